package ooxml

import (
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
)

const (
	mark  = "机密★5年"
	cNS   = `xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
	dgmNo = `xmlns:dgm="` + dgmNS + `" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
	dspNo = `xmlns:dsp="` + dspNS + `" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
)

// chartXML is a chart: a rich-text title, one series whose name and
// categories are string caches and whose values are numbers.
func chartXML(title, series string, cats ...string) string {
	var pts strings.Builder
	for i, c := range cats {
		pts.WriteString(`<c:pt idx="` + string(rune('0'+i)) + `"><c:v>` + c + `</c:v></c:pt>`)
	}
	return `<?xml version="1.0"?><c:chartSpace ` + cNS + `><c:chart>` +
		`<c:title><c:tx><c:rich><a:bodyPr/><a:p><a:r><a:t>` + title + `</a:t></a:r></a:p></c:rich></c:tx></c:title>` +
		`<c:plotArea><c:barChart><c:ser><c:idx val="0"/>` +
		`<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:ptCount val="1"/><c:pt idx="0"><c:v>` + series + `</c:v></c:pt></c:strCache></c:strRef></c:tx>` +
		`<c:cat><c:strRef><c:f>Sheet1!$A$2:$A$3</c:f><c:strCache><c:ptCount val="2"/>` + pts.String() + `</c:strCache></c:strRef></c:cat>` +
		`<c:val><c:numRef><c:f>Sheet1!$B$2:$B$3</c:f><c:numCache><c:formatCode>General</c:formatCode><c:ptCount val="2"/>` +
		`<c:pt idx="0"><c:v>4.3</c:v></c:pt><c:pt idx="1"><c:v>2.5</c:v></c:pt></c:numCache></c:numRef></c:val>` +
		`</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>`
}

// smartArtData is a SmartArt data part with one point per text.
func smartArtData(texts ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><dgm:dataModel ` + dgmNo + `><dgm:ptLst><dgm:pt modelId="{0}" type="doc"><dgm:prSet/><dgm:spPr/><dgm:t><a:bodyPr/><a:p><a:endParaRPr/></a:p></dgm:t></dgm:pt>`)
	for i, t := range texts {
		b.WriteString(`<dgm:pt modelId="{` + string(rune('1'+i)) + `}"><dgm:prSet phldrT="[文本]"/><dgm:spPr/><dgm:t><a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>` + t + `</a:t></a:r></a:p></dgm:t></dgm:pt>`)
	}
	b.WriteString(`</dgm:ptLst><dgm:cxnLst/></dgm:dataModel>`)
	return b.String()
}

// smartArtDrawing is a SmartArt drawing part with one shape per text.
func smartArtDrawing(texts ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><dsp:drawing ` + dspNo + `><dsp:spTree>`)
	for _, t := range texts {
		b.WriteString(`<dsp:sp><dsp:txBody><a:bodyPr/><a:p><a:r><a:t>` + t + `</a:t></a:r></a:p></dsp:txBody></dsp:sp>`)
	}
	b.WriteString(`</dsp:spTree></dsp:drawing>`)
	return b.String()
}

// The parts of a package no reader of its format knows are read: charts and
// SmartArt as body, custom XML and unknown XML parts as metadata, each with
// Inner naming the part; a chart's numbers are not text, SmartArt text in
// both the data and the drawing part is read once, and the parts known to
// carry no text (styles, theme, custom XML properties) are not read.
func TestOtherParts(t *testing.T) {
	const themeNS = `xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"`
	parts := func(dir string) []zipEntry {
		return []zipEntry{
			{dir + "/charts/chart1.xml", chartXML(mark, "系列一", "类别一", mark)},
			{dir + "/charts/colors1.xml", `<cs:colorStyle xmlns:cs="http://schemas.microsoft.com/office/drawingml/2012/chartStyle">不读</cs:colorStyle>`},
			{dir + "/diagrams/data1.xml", smartArtData("总部", mark)},
			// The drawing repeats the data and holds one text of its own.
			{dir + "/diagrams/drawing1.xml", smartArtDrawing("总部", mark, "仅在绘图中")},
			{dir + "/diagrams/layout1.xml", `<dgm:layoutDef ` + dgmNo + `><dgm:title val="布局"/></dgm:layoutDef>`},
			{dir + "/theme/theme1.xml", `<a:theme ` + themeNS + ` name="Office">主题里的字</a:theme>`},
			{"customXml/item1.xml", `<?xml version="1.0"?><doc xmlns="urn:dms"><密级 id="0x0101" ok="true">` + mark + `</密级><编号 label="绝密">42</编号></doc>`},
			{"customXml/itemProps1.xml", `<ds:datastoreItem xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml" ds:itemID="{1}">不读</ds:datastoreItem>`},
			{"customXml/item2.xml", `<ct:contentTypeSchema xmlns:ct="http://schemas.microsoft.com/office/2006/metadata/contentType" ma:contentTypeName="文档" xmlns:ma="urn:ma">` +
				`<xsd:enumeration xmlns:xsd="http://www.w3.org/2001/XMLSchema" value="机密"/>不读</ct:contentTypeSchema>`},
			{dir + "/unknown.xml", `<root><a>未知部件</a><b>` + mark + `</b></root>`},
		}
	}
	body := func(dir string) []extract.Segment {
		return []extract.Segment{
			{Part: extract.PartBody, Inner: dir + "/charts/chart1.xml", Text: mark + "\n系列一\n类别一\n" + mark},
			{Part: extract.PartBody, Inner: dir + "/diagrams/data1.xml", Text: "总部\n" + mark},
			{Part: extract.PartBody, Inner: dir + "/diagrams/drawing1.xml", Text: "仅在绘图中"},
		}
	}
	meta := func(dir string) []extract.Segment {
		return []extract.Segment{
			{Part: extract.PartMetadata, Inner: "customXml/item1.xml", Text: mark + "\n绝密\n42"},
			{Part: extract.PartMetadata, Inner: dir + "/unknown.xml", Text: "未知部件\n" + mark},
		}
	}
	styles := map[string]zipEntry{
		"word": {"word/styles.xml", `<w:styles ` + wNS + `>样式</w:styles>`},
		"xl":   {"xl/styles.xml", `<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">样式</styleSheet>`},
		"ppt":  {"ppt/tableStyles.xml", `<a:tblStyleLst ` + themeNS + `>样式</a:tblStyleLst>`},
	}
	cases := []segmentsCase{
		{"docx", extractDOCX, docxZip(t, para(run("正文")), rels(), append(parts("word"), styles["word"])...),
			slices.Concat([]extract.Segment{{Part: extract.PartBody, Text: "正文"}}, body("word"), meta("word"))},
		{"xlsx", extractXLSX, xlsxZip(t, [][3]string{{"表一", "", ""}}, append(parts("xl"), styles["xl"])...),
			slices.Concat([]extract.Segment{{Part: extract.PartSheetName, Page: 1, Text: "表一"}}, body("xl"), meta("xl"))},
		{"pptx", extractPPTX, buildZip(t, append(pptxEntries(pSlide("sld", "", "正文")), append(parts("ppt"), styles["ppt"])...)...),
			slices.Concat([]extract.Segment{{Part: extract.PartBody, Page: 1, Text: "正文"}}, body("ppt"), meta("ppt"))},
	}
	wantSegments(t, cases)
}

// pptxEntries are the parts of a presentation of one slide.
func pptxEntries(slide string) []zipEntry {
	return []zipEntry{
		{"ppt/presentation.xml", `<p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`},
		{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"))},
		{"ppt/slides/slide1.xml", slide},
	}
}

// What the other parts hold, and how a part that is not well-formed, not
// XML or not UTF-8 is read.
func TestOtherPartsKinds(t *testing.T) {
	cases := []struct {
		name   string
		part   zipEntry
		want   []extract.Segment
		review bool
	}{
		{"chart ex: strings, not numbers", zipEntry{"word/charts/chartEx1.xml", `<cx:chartSpace xmlns:cx="http://schemas.microsoft.com/office/drawingml/2014/chartex"><cx:chartData><cx:data id="0">` +
			`<cx:strDim type="cat"><cx:lvl ptCount="1"><cx:pt idx="0">` + mark + `</cx:pt></cx:lvl></cx:strDim>` +
			`<cx:numDim type="val"><cx:lvl ptCount="1"><cx:pt idx="0">12</cx:pt></cx:lvl></cx:numDim></cx:data></cx:chartData></cx:chartSpace>`},
			[]extract.Segment{{Part: extract.PartBody, Inner: "word/charts/chartEx1.xml", Text: mark}}, false},
		{"literal series name, data label rich text, trendline name", zipEntry{"word/charts/chart2.xml", `<c:chartSpace ` + cNS + `><c:chart><c:plotArea><c:lineChart><c:ser>` +
			"<c:tx><c:v>系列</c:v></c:tx><c:dLbls><c:dLbl><c:tx><c:rich><a:p><a:r><a:t>标签一</a:t></a:r><a:r><a:t>续</a:t></a:r></a:p><a:p><a:r><a:t>" + mark + `</a:t></a:r></a:p></c:rich></c:tx></c:dLbl></c:dLbls>` +
			`<c:trendline><c:name>趋势线</c:name><c:trendlineType val="linear"/></c:trendline>` +
			`<c:val><c:numLit><c:pt idx="0"><c:v>7</c:v></c:pt></c:numLit></c:val></c:ser></c:lineChart></c:plotArea></c:chart></c:chartSpace>`},
			[]extract.Segment{{Part: extract.PartBody, Inner: "word/charts/chart2.xml", Text: "系列\n标签一续\n" + mark + "\n趋势线"}}, false},
		{"shapes drawn over a chart", zipEntry{"word/drawings/drawing1.xml", `<c:userShapes ` + cNS + ` xmlns:cdr="http://schemas.openxmlformats.org/drawingml/2006/chartDrawing"><cdr:relSizeAnchor><cdr:sp><cdr:txBody><a:p><a:r><a:t>` + mark + `</a:t></a:r></a:p></cdr:txBody></cdr:sp></cdr:relSizeAnchor></c:userShapes>`},
			[]extract.Segment{{Part: extract.PartBody, Inner: "word/drawings/drawing1.xml", Text: mark}}, false},
		{"VML: a control's text, not its settings", zipEntry{"word/vmlDrawing1.vml", `<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:x="urn:schemas-microsoft-com:office:excel"><v:shape><v:textbox><div>` + mark + `</div></v:textbox><x:ClientData ObjectType="Checkbox"><x:Anchor>1, 15, 0, 2</x:Anchor><x:Row>0</x:Row></x:ClientData></v:shape></xml>`},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "word/vmlDrawing1.vml", Text: mark}}, false},
		{"VML: WordArt's text, an attribute", zipEntry{"xl/drawings/vmlDrawing2.vml", `<xml xmlns:v="urn:schemas-microsoft-com:vml"><v:shape type="#_x0000_t136"><v:textpath string="` + mark + `"/></v:shape></xml>`},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "xl/drawings/vmlDrawing2.vml", Text: mark}}, false},
		{"custom XML in UTF-16", zipEntry{"customXml/item1.xml", utf16LE(`<?xml version="1.0" encoding="utf-16"?><p:properties xmlns:p="urn:p"><密级>` + mark + `</密级></p:properties>`)},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "customXml/item1.xml", Text: mark}}, false},
		{"document properties in UTF-16", zipEntry{"docProps/core.xml", utf16LE(strings.Replace(core(mark).Body(), `<?xml version="1.0"?>`, `<?xml version="1.0" encoding="UTF-16"?>`, 1))},
			[]extract.Segment{{Part: extract.PartMetadata, Text: mark}}, false},
		{"declaration says UTF-16 over UTF-8", zipEntry{"customXml/item2.xml", `<?xml version="1.0" encoding="utf-16"?><密级>` + mark + `</密级>`},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "customXml/item2.xml", Text: mark}}, false},
		{"not well-formed: text before the fault, and review", zipEntry{"word/unknown.xml", `<root><a>` + mark + `</a><b></root>`},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "word/unknown.xml", Text: mark}}, true},
		{"Word's document variables, not its other settings", zipEntry{"word/settings.xml", wPart("settings", `<w:zoom w:percent="100"/><w:docVars>`+
			`<w:docVar w:name="密级" w:val="`+mark+`"/><w:docVar w:name="ShowGuides" w:val="1"/></w:docVars><w:rsids><w:rsidRoot w:val="00A1B2C3"/></w:rsids>`)},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "word/settings.xml", Text: "密级: " + mark}}, false},
		{"a pivot table's cache: field names and string items, not numbers", zipEntry{"xl/pivotCache/pivotCacheDefinition1.xml", `<pivotCacheDefinition xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" recordCount="2"><cacheFields count="2">` +
			`<cacheField name="项目"><sharedItems><s v="` + mark + `"/><s v="110105199003071234"/></sharedItems></cacheField><cacheField name="经费"><sharedItems containsNumber="1"><n v="12"/></sharedItems></cacheField></cacheFields></pivotCacheDefinition>`},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "xl/pivotCache/pivotCacheDefinition1.xml", Text: "项目\n" + mark + "\n110105199003071234\n经费"}}, false},
		{"not XML", zipEntry{"word/notes.bin", "\x00\x01机密"}, nil, false},
		{"named like a styles part, rooted otherwise", zipEntry{"word/styles2.xml", wPart("document", para(run(mark)))},
			[]extract.Segment{{Part: extract.PartMetadata, Inner: "word/styles2.xml", Text: mark}}, false},
		{"relationships hold no text", zipEntry{"word/_rels/styles.xml.rels", strings.Replace(rels(rel("rId1", "image", "media/x.png")), "</Relationships>", "<x>"+mark+"</x></Relationships>", 1)}, nil, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractWith(t, extractDOCX, docxZip(t, para(run("正文")), rels(), c.part))
			if err != nil {
				t.Fatal(err)
			}
			want := append([]extract.Segment{{Part: extract.PartBody, Text: "正文"}}, c.want...)
			if !slices.Equal(doc.Segments, want) {
				t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(want))
			}
			if got := len(doc.Review) == 1 && strings.Contains(doc.Review[0], "not well-formed"); got != c.review || (!c.review && len(doc.Review) > 0) {
				t.Errorf("review = %q, want review %v", doc.Review, c.review)
			}
		})
	}
}

// utf16LE encodes s in UTF-16, little-endian, behind a byte order mark.
func utf16LE(s string) string {
	b := []byte{0xFF, 0xFE}
	for _, r := range s {
		if r > 0xFFFF {
			r1, r2 := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
			b = append(b, byte(r1), byte(r1>>8), byte(r2), byte(r2>>8))
			continue
		}
		b = append(b, byte(r), byte(r>>8))
	}
	return string(b)
}

// A slide master or layout draws on every slide that uses it: its text is
// read as body, Inner naming it, but for the prompts of its placeholders. A drawing no sheet of a workbook shows
// (a chart sheet's) is read with page 0, and the alt text of a sheet
// drawing's pictures is read as on slides.
func TestMastersAndSheetDrawings(t *testing.T) {
	// A placeholder's text is a slide's own, and a prompt on a master.
	placeholder := func(root, text string) string {
		return strings.Replace(pSlide(root, "", mark), "</p:spTree>", `<p:sp><p:nvSpPr><p:cNvPr id="9" name="Title 1"/><p:cNvSpPr/><p:nvPr><p:ph type="title"/></p:nvPr></p:nvSpPr>`+
			`<p:txBody><a:p><a:r><a:t>`+text+`</a:t></a:r></a:p></p:txBody></p:sp></p:spTree>`, 1)
	}
	pptx := buildZip(t, append(pptxEntries(placeholder("sld", "标题")),
		zipEntry{"ppt/slideMasters/slideMaster1.xml", placeholder("sldMaster", "单击此处编辑母版标题样式")},
		zipEntry{"ppt/slideLayouts/slideLayout1.xml", pSlide("sldLayout", "", "版式")})...)
	xlsx := xlsxZip(t, [][3]string{{"表一", "", ""}},
		zipEntry{"xl/chartsheets/sheet1.xml", `<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>`},
		zipEntry{"xl/drawings/drawing9.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
			`<xdr:sp><xdr:txBody><a:p><a:r><a:t>` + mark + `</a:t></a:r></a:p></xdr:txBody></xdr:sp>` +
			`<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="图片 1" descr="印章：绝密"/></xdr:nvPicPr></xdr:pic></xdr:wsDr>`})
	cases := []segmentsCase{
		{"pptx", extractPPTX, pptx, []extract.Segment{{Part: extract.PartBody, Page: 1, Text: mark + "\n标题"},
			{Part: extract.PartBody, Inner: "ppt/slideMasters/slideMaster1.xml", Text: mark},
			{Part: extract.PartBody, Inner: "ppt/slideLayouts/slideLayout1.xml", Text: "版式"}}},
		{"xlsx", extractXLSX, xlsx, []extract.Segment{{Part: extract.PartSheetName, Page: 1, Text: "表一"},
			{Part: extract.PartTextbox, Text: mark}, {Part: extract.PartAltText, Text: "印章：绝密"}}},
	}
	wantSegments(t, cases)
}

// A chart or SmartArt on a slide or sheet has its page: a slide shows the
// chart, a sheet the drawing that shows it.
func TestOtherPartsPages(t *testing.T) {
	pptx := buildZip(t, append(pptxEntries(pSlide("sld", "", "正文")),
		zipEntry{"ppt/slides/_rels/slide1.xml.rels", rels(rel("rId2", "chart", "../charts/chart1.xml"), rel("rId3", "diagramData", "../diagrams/data1.xml"))},
		zipEntry{"ppt/charts/chart1.xml", chartXML(mark, "系列一")},
		zipEntry{"ppt/diagrams/data1.xml", smartArtData("组织")})...)
	xlsx := xlsxZip(t, [][3]string{{"表一", "", ""}, {"表二", "", ""}},
		zipEntry{"xl/worksheets/_rels/sheet2.xml.rels", rels(rel("rId1", "drawing", "../drawings/drawing1.xml"))},
		zipEntry{"xl/drawings/drawing1.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>`},
		zipEntry{"xl/drawings/_rels/drawing1.xml.rels", rels(rel("rId1", "chart", "../charts/chart1.xml"))},
		zipEntry{"xl/charts/chart1.xml", chartXML(mark, "系列一")})
	cases := []segmentsCase{
		{"pptx", extractPPTX, pptx, []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "正文"},
			{Part: extract.PartBody, Page: 1, Inner: "ppt/charts/chart1.xml", Text: mark + "\n系列一"},
			{Part: extract.PartBody, Page: 1, Inner: "ppt/diagrams/data1.xml", Text: "组织"}}},
		{"xlsx", extractXLSX, xlsx, []extract.Segment{{Part: extract.PartSheetName, Page: 1, Text: "表一"}, {Part: extract.PartSheetName, Page: 2, Text: "表二"},
			{Part: extract.PartBody, Page: 2, Inner: "xl/charts/chart1.xml", Text: mark + "\n系列一"}}},
	}
	wantSegments(t, cases)
}

// segmentsCase is a package read by x and the segments it gives.
type segmentsCase struct {
	name string
	x    extractor
	data []byte
	want []extract.Segment
}

// wantSegments reads each case and checks its segments, and that it is not
// review.
func wantSegments(t *testing.T, cases []segmentsCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractWith(t, c.x, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, c.want) {
				t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(c.want))
			}
			if len(doc.Review) != 0 {
				t.Errorf("review = %q", doc.Review)
			}
		})
	}
}

// Any bytes in the parts otherParts reads give a document whose own text is
// still there, or an *Error; never a panic or a hang.
func FuzzOtherParts(f *testing.F) {
	f.Add([]byte(chartXML(mark, "系列", "类别")))
	f.Add([]byte(smartArtData("总部", mark)))
	f.Add([]byte(smartArtDrawing("总部")))
	f.Add([]byte(utf16LE(`<?xml version="1.0" encoding="utf-16"?><a b="机密">秘密</a>`)))
	f.Add([]byte("\xFF\xFE<\x00"))
	f.Add([]byte(`<?xml version="1.0" encoding="utf-16"?>`))
	f.Add([]byte(`<xml><x:ClientData><x:Row>0</x:Row></x:ClientData>文字</xml>`))
	names := []string{"word/charts/chart1.xml", "customXml/item1.xml", "word/diagrams/drawing1.xml", "word/theme/theme1.xml", "word/unknown.xml"}
	f.Fuzz(func(t *testing.T, data []byte) {
		var extra []zipEntry
		for _, n := range names {
			extra = append(extra, zipEntry{n, string(data)})
		}
		doc, err := extractWith(t, extractDOCX, docxZip(t, para(run("正文")), rels(), extra...))
		if err != nil {
			if _, ok := err.(*extract.Error); !ok {
				t.Fatalf("error %T %v is not an *Error", err, err)
			}
			return
		}
		if len(doc.Segments) == 0 || doc.Segments[0].Text != "正文" {
			t.Fatalf("body lost: %v", doc.Segments)
		}
	})
}
