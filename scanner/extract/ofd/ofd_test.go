package ofd

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// The builders of OFD files, shared with extract's tests.
const ofdNS = ziptest.OFDNS

type zipEntry = ziptest.Entry

var (
	ofdGlyphs = ziptest.OFDGlyphs
	ofdPage   = ziptest.OFDPage
	gb18030   = ziptest.GB18030
	buildOFD  = ziptest.OFD

	buildZip    = ziptest.Zip
	showPages   = doctest.ShowPages
	extractWith = doctest.ExtractWith
)

func TestExtractOFD(t *testing.T) {
	doc, err := extractWith(t, extractOFD, buildOFD(t))
	if err != nil {
		t.Fatal(err)
	}
	const att = "Doc_0/Attachs/附件一.txt"
	want := []extract.Segment{
		{Part: extract.PartBody, Page: 1, Text: "内部资料\n机密★5年。\n关于某事的通知\n甲 乙"},
		{Part: extract.PartBody, Page: 2, Text: "第二页内容"},
		{Part: extract.PartAnnotation, Page: 2, Text: "水印\n不得外传"},
		{Part: extract.PartAttachment, Inner: att, Text: "附件一"},
		{Part: extract.PartBody, Inner: att, Text: "附件正文：内部使用\n"},
		{Part: extract.PartMetadata, Text: "关于某事的通知\n办公室\n密级: 秘密"},
	}
	if !slices.Equal(doc.Segments, want) {
		t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(want))
	}
	if len(doc.Review) != 0 {
		t.Errorf("review = %q", doc.Review)
	}
}

func TestExtractOFDDamaged(t *testing.T) {
	cases := []struct {
		name   string
		data   []byte
		kind   extract.Kind
		review string
	}{
		{"no OFD.xml", buildZip(t, zipEntry{"Doc_0/Document.xml", "<x/>"}), extract.KindCorrupt, ""},
		{"missing Document.xml", buildZip(t, zipEntry{"OFD.xml", `<ofd:OFD ` + ofdNS + `><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`}), extract.KindCorrupt, ""},
		{"missing page", buildZip(t,
			zipEntry{"OFD.xml", `<ofd:OFD ` + ofdNS + `><ofd:DocBody><ofd:DocRoot>/Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
			zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`}),
			"", "page 1: its content is missing"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractWith(t, extractOFD, c.data)
			if c.kind != "" {
				if doc != nil || extract.KindOf(err) != c.kind {
					t.Errorf("got %v (%s), want %s", err, extract.KindOf(err), c.kind)
				}
				return
			}
			if err != nil || len(doc.Review) != 1 || doc.Review[0] != c.review {
				t.Errorf("got %v, review %q; want review %q", err, doc.Review, c.review)
			}
		})
	}
}

func TestDeltas(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want []float64
	}{
		{"1 2 3", 5, []float64{1, 2, 3}},
		{"g 3 4.5 1", 5, []float64{4.5, 4.5, 4.5, 1}},
		{"g 1000000000 1", 3, []float64{1, 1, 1}}, // bounded by the text, not the count
		{"x g 2", 5, []float64{2}},                // junk is skipped
	}
	for _, c := range cases {
		got := deltas(c.in, c.n)
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("deltas(%q, %d) = %v, want %v", c.in, c.n, got, c.want)
		}
	}
}

// ofdOne builds an OFD of one document whose OFD.xml body is root; the
// document lists pages (Document.xml's Pages element content) and holds
// the extra entries.
func ofdOne(t testing.TB, root, pages string, extra ...zipEntry) []byte {
	return buildZip(t, append([]zipEntry{
		{"OFD.xml", `<ofd:OFD ` + ofdNS + ` Version="1.0" DocType="OFD"><ofd:DocBody>` + root + `</ofd:DocBody></ofd:OFD>`},
		{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:CommonData><ofd:TemplatePage ID="50" BaseLoc="Tpl.xml"/></ofd:CommonData>` +
			`<ofd:Pages>` + pages + `</ofd:Pages><ofd:Annotations>Annotations.xml</ofd:Annotations></ofd:Document>`},
	}, extra...)...)
}

// TestOFDPicturesAndRoots checks that ImageObjects that may carry text make
// the file review, and that a file is read from its DocRoot whatever its
// case or fails when no page can be read.
func TestOFDPicturesAndRoots(t *testing.T) {
	const root = `<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>`
	const page = `<ofd:Page ID="1" BaseLoc="Page_0.xml"/>`
	marking := ofdGlyphs("机密★5年", 20, 30, 5, []int{0, 1, 2, 3, 4})
	// A picture of text 80 mm by 10 mm, and a rule 150 mm by 0.5 mm.
	picture := `<ofd:ImageObject ID="90" Boundary="20 40 80 10" CTM="80 0 0 10 0 0" ResourceID="91"/>`
	rule := `<ofd:ImageObject ID="92" Boundary="20 60 150 0.5" ResourceID="93"/>`
	const one = "page 1 has a picture that may carry text (not read)"
	cases := []struct {
		name   string
		data   []byte
		kind   extract.Kind
		text   string
		review []string
	}{
		{name: "a picture beside text", data: ofdOne(t, root, page, zipEntry{"Doc_0/Page_0.xml", ofdPage(marking + picture)}), text: "机密★5年", review: []string{one}},
		{name: "only a picture", data: ofdOne(t, root, page, zipEntry{"Doc_0/Page_0.xml", ofdPage(picture)}), review: []string{one}},
		{name: "a rule is a decoration", data: ofdOne(t, root, page, zipEntry{"Doc_0/Page_0.xml", ofdPage(marking + rule)}), text: "机密★5年"},
		{name: "a picture scaled down to 2 mm by its CTM", data: ofdOne(t, root, page,
			zipEntry{"Doc_0/Page_0.xml", ofdPage(marking + `<ofd:ImageObject ID="90" Boundary="20 40 80 10" CTM="80 0 0 2 0 0" ResourceID="91"/>`)}), text: "机密★5年"},
		{name: "a picture cut in strips 1.5 mm high", data: ofdOne(t, root, page, zipEntry{"Doc_0/Page_0.xml", ofdPage(marking +
			`<ofd:ImageObject ID="94" Boundary="20 40 80 1.5"/><ofd:ImageObject ID="95" Boundary="20 41.5 80 1.5"/><ofd:ImageObject ID="96" Boundary="20 43 80 1.5"/>`)}),
			text: "机密★5年", review: []string{one}},
		{name: "a picture in the page's template", data: ofdOne(t, root, `<ofd:Page ID="1" BaseLoc="Page_0.xml"/><ofd:Page ID="2" BaseLoc="Page_1.xml"/>`,
			zipEntry{"Doc_0/Page_0.xml", strings.Replace(ofdPage(marking), "<ofd:Content>", `<ofd:Template TemplateID="50"/><ofd:Content>`, 1)},
			zipEntry{"Doc_0/Page_1.xml", strings.Replace(ofdPage(marking), "<ofd:Content>", `<ofd:Template TemplateID="50"/><ofd:Content>`, 1)},
			zipEntry{"Doc_0/Tpl.xml", ofdPage(picture)}),
			text: "机密★5年", review: []string{"pages 1-2 have pictures that may carry text (not read)"}},
		{name: "a picture in an annotation", data: ofdOne(t, root, page, zipEntry{"Doc_0/Page_0.xml", ofdPage(marking)},
			zipEntry{"Doc_0/Annotations.xml", `<ofd:Annotations ` + ofdNS + `><ofd:Page PageID="1"><ofd:FileLoc>Annot.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`},
			zipEntry{"Doc_0/Annot.xml", `<ofd:PageAnnot ` + ofdNS + `><ofd:Annot ID="60" Type="Stamp"><ofd:Appearance Boundary="0 0 50 50">` + picture + `</ofd:Appearance></ofd:Annot></ofd:PageAnnot>`}),
			text: "机密★5年", review: []string{one}},
		{name: "DocRoot cased differently", data: ofdOne(t, `<ofd:docRoot>DOC_0/document.xml</ofd:docRoot>`, page, zipEntry{"Doc_0/Page_0.xml", ofdPage(marking)}), text: "机密★5年"},
		{name: "DocRoot missing", data: ofdOne(t, "", page, zipEntry{"Doc_0/Page_0.xml", ofdPage(marking)}), kind: extract.KindCorrupt},
		{name: "no page listed", data: ofdOne(t, root, ""), kind: extract.KindCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractWith(t, extractOFD, c.data)
			if c.kind != "" {
				if doc != nil || extract.KindOf(err) != c.kind {
					t.Errorf("got %v (%s), want %s", err, extract.KindOf(err), c.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.text != "" && !strings.Contains(showPages(doc.Segments), c.text) {
				t.Errorf("segments:\n%s\nwant %s", showPages(doc.Segments), c.text)
			}
			if !slices.Equal(doc.Review, c.review) {
				t.Errorf("Review = %q, want %q", doc.Review, c.review)
			}
		})
	}
}
