package ooxml

import (
	"archive/zip"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// The builders of slides, shared with extract's tests.
const pNS = ziptest.PNS

var pSlide = ziptest.PSlide

func TestExtractPPTX(t *testing.T) {
	picture := `<p:pic><p:nvPicPr><p:cNvPr id="9" name="Picture 1" descr="盖有印章的内部文件"/></p:nvPicPr></p:pic>`
	slide2 := strings.Replace(pSlide("sld", "", "机|密★5年", "第二行<a:br/>换行"), "</p:spTree>", picture+"</p:spTree>", 1)
	data := buildZip(t,
		zipEntry{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		zipEntry{"ppt/presentation.xml", `<?xml version="1.0"?><p:presentation ` + pNS + `><p:sldIdLst>` +
			`<p:sldId id="256" r:id="rId3"/><p:sldId id="257" r:id="rId2"/><p:sldId id="258" r:id="rId4"/></p:sldIdLst></p:presentation>`},
		zipEntry{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"), rel("rId3", "slide", "slides/slide2.xml"),
			rel("rId4", "slide", "/ppt/slides/slide3.xml"), rel("rId5", "slideMaster", "slideMasters/slideMaster1.xml"))},
		// The presentation shows slide2.xml first.
		zipEntry{"ppt/slides/slide2.xml", slide2},
		zipEntry{"ppt/slides/_rels/slide2.xml.rels", rels(rel("rId1", "notesSlide", "../notesSlides/notesSlide1.xml"),
			rel("rId2", "comments", "../comments/comment1.xml"),
			`<Relationship Id="rId3" Type="http://schemas.microsoft.com/office/2018/10/relationships/comments" Target="../comments/modernComment_101_0.xml"/>`)},
		zipEntry{"ppt/slides/slide1.xml", pSlide("sld", "", "公开内容")},
		zipEntry{"ppt/slides/slide3.xml", pSlide("sld", ` show="0"`, "隐藏页：内部资料")},
		zipEntry{"ppt/slides/slide4.xml", pSlide("sld", "", "未列出")},
		zipEntry{"ppt/notesSlides/notesSlide1.xml", pSlide("notes", "", "讲稿：此页|不得外传")},
		zipEntry{"ppt/comments/comment1.xml", `<p:cmLst ` + pNS + `><p:cm authorId="0"><p:pos x="10" y="10"/><p:text>旧式批注</p:text></p:cm></p:cmLst>`},
		zipEntry{"ppt/comments/modernComment_101_0.xml", `<p188:cmLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/main" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
			`<p188:cm id="{1}"><p188:txBody><a:p><a:r><a:t>新式批注</a:t></a:r></a:p></p188:txBody>` +
			`<p188:replyLst><p188:reply id="{2}"><p188:txBody><a:p><a:r><a:t>回复</a:t></a:r></a:p></p188:txBody></p188:reply></p188:replyLst></p188:cm></p188:cmLst>`},
		core("汇报材料"),
	)
	doc, err := extractWith(t, extractPPTX, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []extract.Segment{
		{Part: extract.PartBody, Page: 1, Text: "机密★5年\n第二行\n换行"},
		{Part: extract.PartAltText, Page: 1, Text: "盖有印章的内部文件"},
		{Part: extract.PartNotes, Page: 1, Text: "讲稿：此页不得外传"},
		{Part: extract.PartComment, Page: 1, Text: "旧式批注"},
		{Part: extract.PartComment, Page: 1, Text: "新式批注\n回复"},
		{Part: extract.PartBody, Page: 2, Text: "公开内容"},
		{Part: extract.PartHidden, Page: 3, Text: "隐藏页：内部资料"},
		{Part: extract.PartBody, Text: "未列出"},
		{Part: extract.PartMetadata, Text: "汇报材料"},
	}
	if !slices.Equal(doc.Segments, want) {
		t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(want))
	}
}

func TestExtractPPTXErrors(t *testing.T) {
	if _, err := extractWith(t, extractPPTX, buildZip(t, zipEntry{"ppt/slides/slide1.xml", "<x/>"})); extract.KindOf(err) != extract.KindCorrupt {
		t.Errorf("no presentation.xml: %v", err)
	}
	bad := buildZip(t, zipEntry{"ppt/presentation.xml", `<p:presentation ` + pNS + `/>`}, zipEntry{"ppt/slides/slide1.xml", "<p:sld><a:t>"})
	if _, err := extractWith(t, extractPPTX, bad); extract.KindOf(err) != extract.KindCorrupt {
		t.Errorf("malformed slide: %v", err)
	}
}

// showPages is showSegments with pages and inner paths.
// pShape is a shape holding one paragraph of text.
func pShape(text string) string {
	return `<p:sp><p:txBody><a:p><a:r><a:t>` + text + `</a:t></a:r></a:p></p:txBody></p:sp>`
}

// pptxOf is a presentation of one slide, its entries packed by pack.
func pptxOf(t *testing.T, pack func(zipEntry) rawEntry, slide string, extra ...zipEntry) []byte {
	entries := append([]zipEntry{
		{"ppt/presentation.xml", `<p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`},
		{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"))},
		{"ppt/slides/slide1.xml", slide},
	}, extra...)
	var raw []rawEntry
	for _, e := range entries {
		raw = append(raw, pack(e))
	}
	return buildRawZip(t, raw...)
}

// Every branch of mc:AlternateContent is read, every entry of a name, and
// parts whatever sizes they declare.
func TestExtractPPTXAlternateContentAndEntries(t *testing.T) {
	const mark = "机密★5年"
	slide := func(tree string) string {
		return `<p:sld ` + pNS + `><p:cSld><p:spTree>` + tree + `</p:spTree></p:cSld></p:sld>`
	}
	plain := func(e zipEntry) rawEntry { return honest(t, e) }
	zero := func(e zipEntry) rawEntry { return lying(t, e, zip.Deflate, 0) }
	cases := []struct {
		name string
		data []byte
		want []extract.Segment
	}{
		{"only in the Fallback", pptxOf(t, plain, slide(ac([2]string{"p14", pShape("公开")}, [2]string{"", pShape(mark)}))),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: "公开\n" + mark}}},
		{"only in a second Choice", pptxOf(t, plain, slide(ac([2]string{"p14", pShape("公开")}, [2]string{"foo", pShape(mark)}, [2]string{"", pShape("公开")}))),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: "公开\n" + mark + "\n公开"}}},
		{"nested", pptxOf(t, plain, slide(ac([2]string{"p14", ac([2]string{"a14", pShape("公开")}, [2]string{"", pShape(mark)})}))),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: "公开\n" + mark}}},
		{"slide declares 0", pptxOf(t, zero, slide(pShape(mark))),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: mark}}},
		{"slide twice", pptxOf(t, plain, slide(pShape("公开")), zipEntry{"ppt/slides/slide1.xml", slide(pShape(mark))}),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: "公开\n" + mark}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractWith(t, extractPPTX, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, c.want) {
				t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(c.want))
			}
		})
	}
}
