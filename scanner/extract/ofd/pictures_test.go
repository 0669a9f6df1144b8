package ofd

import (
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// The pictures an OFD draws are read by OCR from the picture files its
// resources name, each with the page it is on: on a page, in a template
// (read once, on the first page), in an annotation (a stamp); a picture
// whose resource is missing is not decoded, one cut in strips cannot be
// read as one; without an engine the page's sentence is the one of before.
func TestPicturesOCR(t *testing.T) {
	photo := string(picturetest.PNG(t, 200, 100))
	picture := func(res string) string {
		return `<ofd:ImageObject ID="90" Boundary="20 40 80 10" CTM="80 0 0 10 0 0" ResourceID="` + res + `"/>`
	}
	withTemplate := func(body string) string {
		return strings.Replace(ofdPage(body), "<ofd:Content>", `<ofd:Template TemplateID="50"/><ofd:Content>`, 1)
	}
	// build is a document of the pages given (their content parts), a
	// template, an annotation on page 1, and its resources: picture 91
	// is Res/image_91.png.
	build := func(template, annotation string, pages ...string) []byte {
		list := ""
		entries := []zipEntry{
			{"OFD.xml", `<ofd:OFD ` + ofdNS + ` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
			{"Doc_0/DocumentRes.xml", `<ofd:Res ` + ofdNS + ` BaseLoc="Res"><ofd:MultiMedias><ofd:MultiMedia ID="91" Type="Image" Format="PNG"><ofd:MediaFile>image_91.png</ofd:MediaFile></ofd:MultiMedia></ofd:MultiMedias></ofd:Res>`},
			{"Doc_0/Res/image_91.png", photo},
			{"Doc_0/Tpl.xml", ofdPage(template)},
			{"Doc_0/Annotations.xml", `<ofd:Annotations ` + ofdNS + `><ofd:Page PageID="1"><ofd:FileLoc>Annot.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`},
			{"Doc_0/Annot.xml", `<ofd:PageAnnot ` + ofdNS + `><ofd:Annot ID="60" Type="Stamp"><ofd:Appearance Boundary="0 0 50 50">` + annotation + `</ofd:Appearance></ofd:Annot></ofd:PageAnnot>`},
		}
		for i, p := range pages {
			n := string(rune('1' + i))
			list += `<ofd:Page ID="` + n + `" BaseLoc="Page_` + n + `.xml"/>`
			entries = append(entries, zipEntry{"Doc_0/Page_" + n + ".xml", p})
		}
		entries = append(entries, zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:CommonData><ofd:TemplatePage ID="50" BaseLoc="Tpl.xml"/>` +
			`<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>` + list + `</ofd:Pages><ofd:Annotations>Annotations.xml</ofd:Annotations></ofd:Document>`})
		return buildZip(t, entries...)
	}
	type seg struct {
		page        int
		inner, text string
	}
	read := func(page int) seg { return seg{page, "Doc_0/Res/image_91.png", "机密\n200x100"} }
	confident := picturetest.Engine{Text: "机密", Conf: 90}
	strips := `<ofd:ImageObject ID="94" Boundary="20 40 80 1.5"/><ofd:ImageObject ID="95" Boundary="20 41.5 80 1.5"/><ofd:ImageObject ID="96" Boundary="20 43 80 1.5"/>`
	tests := []struct {
		name   string
		data   []byte
		engine ocr.Engine // nil: none
		want   []seg
		review []string
	}{
		{"page", build("", "", ofdPage(picture("91"))), confident, []seg{read(1)}, nil},
		{"template, read once", build(picture("91"), "", withTemplate(""), withTemplate("")), confident, []seg{read(1)}, nil},
		{"annotation", build("", picture("91"), ofdPage("")), confident, []seg{read(1)}, nil},
		{"second page", build("", "", ofdPage(""), ofdPage(picture("91"))), confident, []seg{read(2)}, nil},
		{"resource missing", build("", "", ofdPage(picture("99"))), confident, nil,
			[]string{"1 picture in the document may carry text (not read: it could not be decoded)"}},
		{"strips", build("", "", ofdPage(strips)), confident, nil,
			[]string{"1 picture in the document may carry text (not read: it is drawn in pieces too small to read)"}},
		{"no engine", build("", "", ofdPage(picture("91"))), nil, nil, []string{"page 1 has a picture that may carry text (not read)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := doctest.ReadOCR(t, tt.engine, tt.data)
			got := doctest.Pictures(doc, func(s extract.Segment) seg { return seg{s.Page, s.Inner, s.Text} })
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("pictures %v, review %q\nwant %v, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
