package ooxml

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// The builders of workbooks, shared with extract's tests.
const ssNS = ziptest.SSNS

var (
	core    = ziptest.Core
	xlsxZip = ziptest.XLSX
)

func TestExtractXLSX(t *testing.T) {
	sst := `<?xml version="1.0"?><sst ` + ssNS + ` count="4" uniqueCount="4">` +
		`<si><t>通知</t></si>` +
		`<si><r><rPr><b/></rPr><t>机</t></r><r><t>密★5年</t></r><rPh sb="0" eb="1"><t>ジ</t></rPh></si>` +
		`<si><t xml:space="preserve">内部资料 </t></si>` +
		`<si><t>备注</t></si></sst>`
	visible := `<cols><col min="3" max="3" width="0" hidden="1"/></cols><sheetData>` +
		`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>隐藏列</t></is></c></row>` +
		`<row r="2"><c r="A2"><v>42</v></c><c r="B2" t="inlineStr"><is><r><t>注意</t></r><r><t>保存</t></r></is></c><c r="D2" t="str"><f>A2&amp;"x"</f><v>42x</v></c></row>` +
		`<row r="3" hidden="1"><c r="A3" t="s"><v>2</v></c></row>` +
		`<row r="4"><c r="A4" t="s"><v>99</v></c></row>` +
		`<row r="5"><c r="A5" t="str"><f>IF(FALSE,"机密★5年","")&amp;"说""明"""</f><v>说"明"</v></c></row>` +
		`</sheetData><hyperlinks><hyperlink ref="A1" r:id="rId3" tooltip="内部链接"/></hyperlinks>` +
		`<dataValidations count="1"><dataValidation type="list" sqref="B2" promptTitle="填写说明" prompt="仅限内部使用"><formula1>"是,否"</formula1></dataValidation></dataValidations>` +
		`<headerFooter><oddHeader>&amp;L&amp;"宋体,加粗"&amp;12绝密★启用前&amp;R第&amp;P页</oddHeader><oddFooter>&amp;C内部&amp;&amp;公开</oddFooter></headerFooter>`
	hidden := `<sheetData><row r="1"><c r="A1" t="s"><v>3</v></c><c r="B1" t="inlineStr"><is><t>秘密★1年</t></is></c></row></sheetData>`
	data := xlsxZip(t, [][3]string{{"公开", "", visible}, {"内部", "hidden", hidden}, {"机密", "veryHidden", ""}},
		zipEntry{"xl/sharedStrings.xml", sst},
		zipEntry{"xl/worksheets/_rels/sheet1.xml.rels", rels(rel("rId1", "comments", "../comments1.xml"), rel("rId2", "drawing", "../drawings/drawing1.xml"))},
		zipEntry{"xl/comments1.xml", `<comments ` + ssNS + `><authors><author>张三</author></authors><commentList>` +
			`<comment ref="A1" authorId="0"><text><r><t>张三:</t></r><r><t xml:space="preserve">此表不得外传</t></r></text></comment>` +
			`<comment ref="B1" authorId="0"><text><t>第二条</t></text></comment></commentList></comments>`},
		zipEntry{"xl/drawings/drawing1.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">` +
			`<xdr:sp><xdr:txBody><a:p><a:r><a:t>框内</a:t></a:r><a:r><a:t>文字</a:t></a:r></a:p></xdr:txBody></xdr:sp></xdr:wsDr>`},
		zipEntry{"xl/worksheets/sheet9.xml", `<worksheet ` + ssNS + `><sheetData><row><c t="inlineStr"><is><t>孤立</t></is></c></row></sheetData></worksheet>`},
		core("预算表"),
	)
	doc, err := extractWith(t, extractXLSX, data)
	if err != nil {
		t.Fatal(err)
	}
	want := []extract.Segment{
		{Part: extract.PartSheetName, Page: 1, Text: "公开"},
		{Part: extract.PartBody, Page: 1, Text: "通知\t机密★5年\n42\t注意保存\t42x\n说\"明\""},
		{Part: extract.PartHidden, Page: 1, Text: "隐藏列\n内部资料 "},
		{Part: extract.PartHeader, Page: 1, Text: "绝密★启用前\n第页"},
		{Part: extract.PartFooter, Page: 1, Text: "内部&公开"},
		{Part: extract.PartComment, Page: 1, Text: "内部链接\n填写说明\n仅限内部使用"},
		{Part: extract.PartField, Page: 1, Text: "x\n机密★5年 说\"明\""},
		{Part: extract.PartComment, Page: 1, Text: "张三:此表不得外传\n第二条"},
		{Part: extract.PartTextbox, Page: 1, Text: "框内文字"},
		{Part: extract.PartSheetName, Page: 2, Text: "内部"},
		{Part: extract.PartHidden, Page: 2, Text: "备注\t秘密★1年"},
		{Part: extract.PartSheetName, Page: 3, Text: "机密"},
		{Part: extract.PartBody, Text: "孤立"},
		{Part: extract.PartMetadata, Text: "预算表"},
	}
	if !slices.Equal(doc.Segments, want) {
		t.Errorf("segments:\n%s\nwant:\n%s", showSegments(doc.Segments), showSegments(want))
	}
	if len(doc.Review) != 0 {
		t.Errorf("review = %q", doc.Review)
	}
}

func TestExtractXLSXErrors(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		opt  extract.Options
		kind extract.Kind
	}{
		{"no workbook", buildZip(t, zipEntry{"xl/other.xml", "<x/>"}), extract.Options{}, extract.KindCorrupt},
		{"malformed sheet", xlsxZip(t, [][3]string{{"a", "", "<sheetData><row>"}}), extract.Options{}, extract.KindCorrupt},
		{"text limit", xlsxZip(t, [][3]string{{"a", "", `<sheetData><row><c t="inlineStr"><is><t>` + strings.Repeat("机", 100) + `</t></is></c></row></sheetData>`}}),
			extract.Options{MaxText: 64}, extract.KindLimit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractXLSX(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), c.opt.WithDefaults())
			if doc != nil || extract.KindOf(err) != c.kind {
				t.Errorf("got %v (%s), want %s", err, extract.KindOf(err), c.kind)
			}
		})
	}
}

func TestHeaderFooterText(t *testing.T) {
	for in, want := range map[string]string{
		`&L&"Arial,Bold"&14机密&C&D&R&P / &N`: "机密\n\n /",
		`&KFF0000秘密&&公开`:                    "秘密&公开",
		`plain`:                             "plain",
	} {
		if got := headerFooterText(in); got != want {
			t.Errorf("%q: got %q, want %q", in, got, want)
		}
	}
}

// Charts in the corpus's Word documents embed workbooks: their cells are
// read, and name the embedding in Inner.
func TestXLSXEmbeddedInCorpus(t *testing.T) {
	dir := corpusDir(t, "docx-zh")
	doc, err := extract.File(context.Background(), filepath.Join(dir, "poitl__render_include_all.docx"), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	inner := map[string]bool{}
	for _, s := range doc.Segments {
		if s.Inner != "" {
			inner[s.Inner] = true
		}
	}
	for _, want := range []string{"word/embeddings/Microsoft_Excel____.xlsx", "word/embeddings/Microsoft_Excel____1.xlsx", "word/embeddings/Microsoft_Word___.docx"} {
		if !inner[want] {
			t.Errorf("no segment from %s; inner: %v", want, inner)
		}
	}
	// The document shows three pictures (object icons and a 214x246 one).
	if len(doc.Review) != 1 || doc.Review[0] != "3 pictures in the document may carry text (not read)" {
		t.Errorf("review = %q", doc.Review)
	}
}

// Every branch of mc:AlternateContent is read, every entry of a name, and
// parts whatever sizes they declare.
func TestExtractXLSXAlternateContentAndEntries(t *testing.T) {
	const mark = "机密★5年"
	shape := func(text string) string {
		return `<xdr:sp><xdr:txBody><a:p><a:r><a:t>` + text + `</a:t></a:r></a:p></xdr:txBody></xdr:sp>`
	}
	drawing := func(inner string) []zipEntry {
		return []zipEntry{
			{"xl/worksheets/_rels/sheet1.xml.rels", rels(rel("rId1", "drawing", "../drawings/drawing1.xml"))},
			{"xl/drawings/drawing1.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" ` +
				`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>` + inner + `</xdr:twoCellAnchor></xdr:wsDr>`},
		}
	}
	cell := `<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>`
	sst := func(s string) zipEntry {
		return zipEntry{"xl/sharedStrings.xml", `<?xml version="1.0"?><sst ` + ssNS + `><si><t>` + s + `</t></si></sst>`}
	}
	// raw repacks a workbook, entries called zero declaring 0 bytes.
	raw := func(data []byte, zero string) []byte {
		zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			t.Fatal(err)
		}
		var out []rawEntry
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			e := honest(t, zipEntry{f.Name, string(b)})
			if f.Name == zero {
				e.Uncompressed = 0
			}
			out = append(out, e)
		}
		return buildRawZip(t, out...)
	}
	sheet := [][3]string{{"表", "", cell}}
	cases := []struct {
		name string
		data []byte
		want []extract.Segment
	}{
		{"text box only in the Fallback", xlsxZip(t, sheet, drawing(ac([2]string{"a14", shape("公开")}, [2]string{"", shape(mark)}))...),
			[]extract.Segment{{Part: extract.PartTextbox, Page: 1, Text: "公开\n" + mark}}},
		{"text box only in a second Choice", xlsxZip(t, sheet, drawing(ac([2]string{"a14", shape("公开")}, [2]string{"foo", shape(mark)}))...),
			[]extract.Segment{{Part: extract.PartTextbox, Page: 1, Text: "公开\n" + mark}}},
		{"nested", xlsxZip(t, sheet, drawing(ac([2]string{"a14", ac([2]string{"x", shape("公开")}, [2]string{"", shape(mark)})}))...),
			[]extract.Segment{{Part: extract.PartTextbox, Page: 1, Text: "公开\n" + mark}}},
		{"shared strings twice", xlsxZip(t, sheet, sst("公开"), sst(mark)),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: "公开"}, {Part: extract.PartBody, Text: mark}}},
		{"shared strings declare 0", raw(xlsxZip(t, sheet, sst(mark)), "xl/sharedStrings.xml"),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: mark}}},
		{"sheet declares 0", raw(xlsxZip(t, [][3]string{{"表", "", `<sheetData><row><c t="inlineStr"><is><t>` + mark + `</t></is></c></row></sheetData>`}}), "xl/worksheets/sheet1.xml"),
			[]extract.Segment{{Part: extract.PartBody, Page: 1, Text: mark}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractWith(t, extractXLSX, c.data)
			if err != nil {
				t.Fatal(err)
			}
			want := append([]extract.Segment{{Part: extract.PartSheetName, Page: 1, Text: "表"}}, c.want...)
			if !slices.Equal(doc.Segments, want) {
				t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(want))
			}
		})
	}
}

// The text of custom number formats is read: a format shows it in every
// cell of its style, though no cell holds it.
func TestXLSXNumberFormats(t *testing.T) {
	styles := `<styleSheet ` + ssNS + `><numFmts count="2"><numFmt numFmtId="164" formatCode="&quot;内部资料，注意保存 &quot;0.00"/><numFmt numFmtId="165" formatCode="0.00%"/></numFmts></styleSheet>`
	data := xlsxZip(t, [][3]string{{"表", "", `<sheetData><row r="1"><c r="A1" s="1"><v>3</v></c></row></sheetData>`}}, zipEntry{"xl/styles.xml", styles})
	doc, err := extractWith(t, extractXLSX, data)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(doc.Segments, extract.Segment{Part: extract.PartBody, Inner: "xl/styles.xml", Text: "内部资料，注意保存"}) {
		t.Errorf("segments:\n%s", showSegments(doc.Segments))
	}
}

// The strings in the formulas of a workbook's defined names are read, as
// a cell's formula's are: a name 密级 = "机密" shows in no cell.
func TestXLSXDefinedNames(t *testing.T) {
	data := ziptest.Zip(t,
		zipEntry{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		zipEntry{"xl/workbook.xml", `<?xml version="1.0"?><workbook ` + ssNS + `><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets>` +
			`<definedNames><definedName name="密级">"机密★5年"</definedName><definedName name="区域">表!$A$1:$B$2</definedName></definedNames></workbook>`},
		zipEntry{"xl/_rels/workbook.xml.rels", rels(rel("rId1", "worksheet", "worksheets/sheet1.xml"))},
		zipEntry{"xl/worksheets/sheet1.xml", `<?xml version="1.0"?><worksheet ` + ssNS + `><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>甲</t></is></c></row></sheetData></worksheet>`},
	)
	doc, err := extractWith(t, extractXLSX, data)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(doc.Segments, extract.Segment{Part: extract.PartField, Text: "机密★5年"}) {
		t.Errorf("segments:\n%s", showSegments(doc.Segments))
	}
}
