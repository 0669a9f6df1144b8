package ofd

import (
	"fmt"
	"image"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// compositeOFD is an OFD whose DocumentRes.xml holds res (units,
// DrawParams), whose template draws template and whose pages draw pages,
// each on the template.
func compositeOFD(t testing.TB, res, template string, pages ...string) []byte {
	var list strings.Builder
	entries := []zipEntry{
		{"OFD.xml", `<ofd:OFD ` + ofdNS + ` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		{"Doc_0/DocumentRes.xml", `<ofd:Res ` + ofdNS + ` BaseLoc="Res">` + res + `</ofd:Res>`},
		{"Doc_0/Tpl.xml", ofdPage(template)},
	}
	for i, body := range pages {
		fmt.Fprintf(&list, `<ofd:Page ID="%d" BaseLoc="Page_%d.xml"/>`, i+1, i+1)
		page := strings.Replace(ofdPage(body), "<ofd:Content>", `<ofd:Template TemplateID="50"/><ofd:Content>`, 1)
		entries = append(entries, zipEntry{fmt.Sprintf("Doc_0/Page_%d.xml", i+1), page})
	}
	entries = append(entries, zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:CommonData><ofd:TemplatePage ID="50" BaseLoc="Tpl.xml"/>` +
		`<ofd:DocumentRes>DocumentRes.xml</ofd:DocumentRes></ofd:CommonData><ofd:Pages>` + list.String() + `</ofd:Pages></ofd:Document>`})
	return buildZip(t, entries...)
}

// unit is a CompositeGraphicUnit of 60 by 10 mm that draws content.
func unit(id int, content string) string {
	return fmt.Sprintf(`<ofd:CompositeGraphicUnits><ofd:CompositeGraphicUnit ID="%d" Width="60" Height="10"><ofd:Content>%s</ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits>`, id, content)
}

// use is a CompositeObject that draws unit id with attrs (a Boundary, a
// CTM).
func use(id int, attrs string) string {
	return fmt.Sprintf(`<ofd:CompositeObject ID="9%d" ResourceID="%d" %s/>`, id, id, attrs)
}

// Text drawn through composite units is found where they are used, once
// per use (as a template's is on each page that shows it: each use is
// seen by a reader), placed by the object's Boundary and CTM or the
// unit's size stretched over the Boundary, nested units too. A unit that
// uses itself, directly or not, nests too deep or is missing makes the
// page review; the rest of the page is read.
func TestCompositeText(t *testing.T) {
	marking := ofdGlyphs("机密★5年", 0, 8, 5, []int{0, 1, 2, 3, 4})
	title := ofdGlyphs("通知", 20, 60, 5, []int{0, 1})
	const broken = "page 1: a composite object it draws is missing or uses itself: text it draws may be missing"
	chain := func(n int) string { // unit i uses unit i+1; the last draws the marking
		var b strings.Builder
		for i := range n {
			content := use(71+i, `Boundary="0 0 60 10"`)
			if i == n-1 {
				content = marking
			}
			b.WriteString(unit(70+i, content))
		}
		return b.String()
	}
	tests := []struct {
		name     string
		res      string
		template string
		pages    []string
		want     []extract.Segment
		review   []string
	}{
		{name: "used on two pages", res: unit(70, marking),
			pages: []string{title + use(70, `Boundary="20 30 60 10"`), use(70, `Boundary="20 100 60 10"`)},
			want:  []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年\n通知"}, {Part: extract.PartBody, Page: 2, Text: "机密★5年"}}},
		{name: "twice on a page, by CTM and by size", res: unit(70, marking),
			pages: []string{use(70, `Boundary="20 70 60 10" CTM="0.5 0 0 0.5 0 0"`) + title + use(70, `Boundary="20 30 120 20"`)},
			want:  []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年\n通知\n机密★5年"}}},
		{name: "nested, in the template", res: unit(70, use(71, `Boundary="0 0 60 10"`)) + unit(71, marking),
			template: use(70, `Boundary="20 30 60 10"`), pages: []string{title},
			want: []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年\n通知"}}},
		{name: "a page's resources named in a unit, not read", res: unit(70, "<ofd:PageRes>DocumentRes.xml</ofd:PageRes>"+marking),
			pages: []string{use(70, `Boundary="20 30 60 10"`)},
			want:  []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年"}}},
		{name: "nested within the limit", res: chain(maxNesting),
			pages: []string{use(70, `Boundary="20 30 60 10"`)},
			want:  []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年"}}},
		{name: "white through a DrawParam", res: `<ofd:DrawParams><ofd:DrawParam ID="5"><ofd:FillColor Value="255 255 255"/></ofd:DrawParam></ofd:DrawParams>` + unit(70, marking),
			pages: []string{use(70, `Boundary="20 30 60 10" DrawParam="5"`)},
			want:  []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年"}}},
		{name: "uses itself", res: unit(70, marking+use(70, `Boundary="0 0 60 10"`)),
			pages:  []string{title + use(70, `Boundary="20 30 60 10"`)},
			want:   []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年\n通知"}},
			review: []string{broken}},
		{name: "units using each other", res: unit(70, use(71, `Boundary="0 0 60 10"`)) + unit(71, marking+use(70, `Boundary="0 0 60 10"`)),
			pages:  []string{title + use(70, `Boundary="20 30 60 10"`), use(71, `Boundary="20 30 60 10"`)},
			want:   []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年\n通知"}, {Part: extract.PartBody, Page: 2, Text: "机密★5年"}},
			review: []string{broken, strings.Replace(broken, "page 1", "page 2", 1)}},
		{name: "nested too deep", res: chain(maxNesting + 1),
			pages:  []string{title + use(70, `Boundary="20 30 60 10"`)},
			want:   []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "通知"}},
			review: []string{broken}},
		{name: "missing", pages: []string{title + use(70, `Boundary="20 30 60 10"`)},
			want:   []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "通知"}},
			review: []string{broken}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := extractWith(t, extractOFD, compositeOFD(t, tt.res, tt.template, tt.pages...))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("segments:\n%s\nReview %q\nwant:\n%s\nReview %q", showPages(doc.Segments), doc.Review, showPages(tt.want), tt.review)
			}
		})
	}
}

// A unit a page defines in resources of its own (PageRes, a location
// relative to the page) is drawn as one of the document's is; two pages
// naming the same file read it once.
func TestCompositePageRes(t *testing.T) {
	marking := ofdGlyphs("机密★5年", 0, 8, 5, []int{0, 1, 2, 3, 4})
	page := func(res string) string {
		return strings.Replace(ofdPage(use(70, `Boundary="20 30 60 10"`)), "<ofd:Content>", "<ofd:PageRes>"+res+"</ofd:PageRes><ofd:Content>", 1)
	}
	data := buildZip(t,
		zipEntry{"OFD.xml", `<ofd:OFD ` + ofdNS + ` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/>` +
			`<ofd:Page ID="2" BaseLoc="Pages/Page_1/Content.xml"/></ofd:Pages></ofd:Document>`},
		zipEntry{"Doc_0/Pages/Page_0/Content.xml", page("PageRes.xml")},
		zipEntry{"Doc_0/Pages/Page_1/Content.xml", page("../Page_0/PageRes.xml")},
		zipEntry{"Doc_0/Pages/Page_0/PageRes.xml", `<ofd:Res ` + ofdNS + `>` + unit(70, marking) + `</ofd:Res>`},
	)
	doc, err := extractWith(t, extractOFD, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "机密★5年"}, {Part: extract.PartBody, Page: 2, Text: "机密★5年"}}
	if !slices.Equal(doc.Segments, want) || len(doc.Review) != 0 {
		t.Errorf("segments:\n%s\nReview %q\nwant:\n%s", showPages(doc.Segments), doc.Review, showPages(want))
	}
}

// Units that use one another many times draw exponentially many objects:
// the file is over a limit, not read for ever.
func TestCompositeLimit(t *testing.T) {
	var res strings.Builder
	for i := range 10 {
		content := strings.Repeat(use(71+i, `Boundary="0 0 6 1"`), 10)
		if i == 9 {
			content = ofdGlyphs("机密", 0, 8, 5, []int{0, 1})
		}
		res.WriteString(unit(70+i, content))
	}
	_, err := extractWith(t, extractOFD, compositeOFD(t, res.String(), "", use(70, `Boundary="20 30 60 10"`)))
	if extract.KindOf(err) != extract.KindLimit {
		t.Fatalf("got %v (%s), want %s", err, extract.KindOf(err), extract.KindLimit)
	}
}

// Text drawn as paths in a composite unit is drawn and read by OCR, once
// for pages that draw the same units and no paths of their own.
func TestCompositePaths(t *testing.T) {
	latin := outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 0, 6, `Fill="true"`, "")
	for _, tt := range []struct {
		name  string
		pages []string
		pics  []string
	}{
		{"one page", []string{use(70, `Boundary="20 30 60 10"`)}, []string{"1:机密"}},
		{"scaled down", []string{use(70, `Boundary="20 30 30 5"`)}, []string{"1:机密"}},
		{"three pages, read once", []string{use(70, `Boundary="20 30 60 10"`), use(70, `Boundary="20 30 60 10"`), use(70, `Boundary="20 90 60 10"`)}, []string{"1:机密"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := &keeper{Engine: picturetest.Engine{Text: "机密", Conf: 90}}
			doc := doctest.ReadOCR(t, e, compositeOFD(t, unit(70, latin), "", tt.pages...))
			got := doctest.Pictures(doc, func(s extract.Segment) string {
				first, _, _ := strings.Cut(s.Text, "\n")
				return fmt.Sprintf("%d:%s", s.Page, first)
			})
			if !slices.Equal(got, tt.pics) || len(doc.Review) != 0 {
				t.Errorf("picture segments %q, Review %q; want %q and none", got, doc.Review, tt.pics)
			}
		})
	}
}

// A path without a FillColor takes its DrawParam's, named by itself, by
// the nearest element around it or by the CompositeObject that draws it,
// through Relative; without one, or past a broken chain, it is black.
func TestDrawParamFill(t *testing.T) {
	x := &ofdReader{params: map[string]*ofdDrawParam{
		"1": {fill: 200, colored: true},
		"2": {relative: "1"},
		"3": {relative: "4"}, "4": {relative: "3"}, // a loop
		"5": {relative: "9"}, // to none
		"6": {relative: "2", fill: 100, colored: true},
	}}
	for _, tt := range []struct {
		path ofdPath
		gray byte
	}{
		{ofdPath{param: "1"}, 200},
		{ofdPath{param: "2"}, 200},
		{ofdPath{param: "6"}, 100},
		{ofdPath{param: "1", gray: 50, colored: true}, 50}, // its own FillColor
		{ofdPath{param: "3"}, 0},
		{ofdPath{param: "5"}, 0},
		{ofdPath{}, 0},
	} {
		paths := []ofdPath{tt.path}
		x.fill(paths)
		if paths[0].gray != tt.gray || !paths[0].colored {
			t.Errorf("fill(%+v) = %d, want %d", tt.path, paths[0].gray, tt.gray)
		}
	}
}

// Outlined text drawn light gray through a DrawParam is drawn light gray,
// as a reader sees it, from the page's layer or a CompositeObject.
func TestDrawParamPicture(t *testing.T) {
	latin := outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 20, 40, `Fill="true"`, "")
	unitLatin := outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 0, 6, `Fill="true"`, "")
	const params = `<ofd:DrawParams><ofd:DrawParam ID="5"><ofd:FillColor Value="200 200 200"/></ofd:DrawParam><ofd:DrawParam ID="6" Relative="5"/></ofd:DrawParams>`
	for _, tt := range []struct {
		name, page string
		darkest    byte
	}{
		{"black by default", latin, 0},
		{"a layer's", `<ofd:PageBlock DrawParam="6">` + latin + `</ofd:PageBlock>`, 200},
		{"a composite object's", use(70, `Boundary="0 34 60 10" DrawParam="5"`), 200},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := &keeper{Engine: picturetest.Engine{Text: "SECRET", Conf: 90}}
			doctest.ReadOCR(t, e, compositeOFD(t, params+unit(70, unitLatin), "", tt.page))
			if len(e.got) != 1 {
				t.Fatalf("engine called %d times, want 1", len(e.got))
			}
			g := e.got[0].(*image.Gray)
			if d := slices.Min(g.Pix); d < tt.darkest || d > tt.darkest+2 {
				t.Errorf("darkest pixel %d, want %d", d, tt.darkest)
			}
		})
	}
}

// BenchmarkComposite reads a page of 400 composite objects (40 rows of
// 10) that draw a unit of 5 characters, as text or drawn as paths, half
// size, with a fake OCR engine.
func BenchmarkComposite(b *testing.B) {
	for _, tt := range []struct{ name, content string }{
		{"text", ofdGlyphs("机密★5年", 0, 8, 5, []int{0, 1, 2, 3, 4})},
		{"paths", outlined(b, doctest.NotoCJK(b), "机密★5年", 5, 0, 6, `Fill="true"`, "")},
	} {
		var page strings.Builder
		for i := range 400 {
			page.WriteString(use(70, fmt.Sprintf(`Boundary="%d %d 30 5"`, 10+i%10*31, 20+i/10*7)))
		}
		data := compositeOFD(b, unit(70, tt.content), "", page.String())
		b.Run(tt.name, func(b *testing.B) {
			for range b.N {
				doctest.ReadOCR(b, picturetest.Engine{Conf: 90}, data)
			}
		})
	}
}
