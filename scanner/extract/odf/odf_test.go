package odf_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

const ns = `xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" ` +
	`xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" ` +
	`xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" ` +
	`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" ` +
	`xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" xmlns:xlink="http://www.w3.org/1999/xlink"`

// pkg builds an OpenDocument package: the mimetype first, then the
// entries, name and content in turn.
func pkg(t *testing.T, mimetype string, entries ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	w := zip.NewWriter(&b)
	add := func(name, content string) {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(content))
	}
	add("mimetype", "application/vnd.oasis.opendocument."+mimetype)
	for i := 0; i+1 < len(entries); i += 2 {
		add(entries[i], entries[i+1])
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func content(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><office:document-content ` + ns + `>` + body + `</office:document-content>`
}

func read(t *testing.T, data []byte) (*extract.Document, error) {
	t.Helper()
	return extract.Reader(context.Background(), bytes.NewReader(data), int64(len(data)), extract.Options{})
}

// seg is a segment as the tests compare it.
type seg struct {
	part  extract.Part
	page  int
	inner string
	text  string
}

func segs(doc *extract.Document) []seg {
	var out []seg
	for _, s := range doc.Segments {
		out = append(out, seg{s.Part, s.Page, s.Inner, s.Text})
	}
	return out
}

// Each part of a text document is read in its part: headers and footers
// of master pages, properties, deletions, hidden text and paragraphs,
// comments, notes, text boxes, and an embedded object.
func TestText(t *testing.T) {
	styles := `<office:document-styles ` + ns + `><office:master-styles><style:master-page style:name="Standard">` +
		`<style:header><text:p>页眉机密★5年</text:p></style:header><style:footer-left><text:p>页脚</text:p></style:footer-left>` +
		`</style:master-page></office:master-styles></office:document-styles>`
	meta := `<office:document-meta ` + ns + `><office:meta><meta:generator>LibreOffice</meta:generator><dc:title>标题</dc:title>` +
		`<meta:user-defined meta:name="密级">机密</meta:user-defined></office:meta></office:document-meta>`
	body := `<office:automatic-styles><style:style style:name="T1" style:family="text"><style:text-properties text:display="none"/></style:style></office:automatic-styles>` +
		`<office:body><office:text>` +
		`<text:tracked-changes><text:changed-region text:id="c1"><text:deletion><office:change-info><dc:creator>作者</dc:creator><dc:date>2020</dc:date></office:change-info>` +
		`<text:p>删除的</text:p></text:deletion></text:changed-region></text:tracked-changes>` +
		`<text:h>标题一</text:h>` +
		`<text:p>正文<text:s text:c="2"/>A<text:tab/>B<text:span text:style-name="T1">隐藏</text:span>C` +
		`<office:annotation><dc:creator>审阅</dc:creator><text:p>批注</text:p></office:annotation>` +
		`<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body><text:p>脚注</text:p></text:note-body></text:note>` +
		`<text:hidden-text text:condition="x" text:string-value="条件隐藏"/></text:p>` +
		`<text:p>隐藏段落<text:hidden-paragraph text:condition="ooow:1"/></text:p>` +
		`<text:section text:name="S" text:display="none"><text:p>隐藏节</text:p></text:section>` +
		`<text:p><draw:frame><draw:text-box><text:p>文本框</text:p></draw:text-box><svg:title>替代</svg:title></draw:frame></text:p>` +
		`<text:p><draw:frame><draw:object xlink:href="./Object 1"/></draw:frame></text:p>` +
		`</office:text></office:body>`
	data := pkg(t, "text", "content.xml", content(body), "styles.xml", styles, "meta.xml", meta,
		"Object 1/content.xml", content(`<office:body><office:text><text:p>嵌入</text:p></office:text></office:body>`),
		"Pictures/1.png", string(picturetest.PNG(t, 200, 100)), "Thumbnails/thumbnail.png", string(picturetest.PNG(t, 200, 100)))
	doc, err := read(t, data)
	if err != nil {
		t.Fatal(err)
	}
	// Each destination is a segment per part: the body's text stays whole
	// around what is hidden in it ("正文  A\tB" then "C"), as it shows.
	want := []seg{
		{extract.PartHeader, 0, "", "页眉机密★5年"},
		{extract.PartFooter, 0, "", "页脚"},
		{extract.PartDeleted, 0, "", "删除的"},
		{extract.PartComment, 0, "", "批注"},
		{extract.PartFootnote, 0, "", "脚注"},
		{extract.PartTextbox, 0, "", "文本框"},
		{extract.PartBody, 0, "", "标题一\n正文  A\tBC"},
		{extract.PartHidden, 0, "", "隐藏条件隐藏\n隐藏段落\n隐藏节"},
		{extract.PartAltText, 0, "", "替代"},
		{extract.PartMetadata, 0, "", "标题"},
		{extract.PartMetadata, 0, "", "机密"},
		{extract.PartBody, 0, "Object 1", "嵌入"},
	}
	if got := segs(doc); !equal(got, want) {
		t.Errorf("segments\n%+v\nwant\n%+v", got, want)
	}
	if doc.Format != extract.FormatODT {
		t.Errorf("format %q, want odt", doc.Format)
	}
	if len(doc.Review) != 1 || doc.Review[0] != "1 picture in the document may carry text (not read)" {
		t.Errorf("review %q, want the one picture (not the thumbnail)", doc.Review)
	}
}

func equal(a, b []seg) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Sheets have their names and pages; a hidden sheet's cells are hidden.
func TestSpreadsheet(t *testing.T) {
	body := `<office:automatic-styles><style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style></office:automatic-styles>` +
		`<office:body><office:spreadsheet>` +
		`<table:tracked-changes><table:cell-content-change table:id="ct1"><table:cell-address table:column="0" table:row="0" table:table="0"/>` +
		`<office:change-info><dc:creator>作者</dc:creator></office:change-info><table:previous><table:change-track-table-cell><text:p>旧值</text:p>` +
		`</table:change-track-table-cell></table:previous></table:cell-content-change></table:tracked-changes>` +
		`<table:table table:name="表一"><table:table-column table:number-columns-repeated="2"/><table:table-column table:visibility="collapse"/>` +
		`<table:table-row><table:table-cell table:number-columns-repeated="2"/><table:table-cell><text:p>隐藏列</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell><text:p>甲</text:p></table:table-cell><table:table-cell><text:p>乙</text:p></table:table-cell></table:table-row>` +
		`<table:table-row table:visibility="collapse"><table:table-cell><text:p>隐藏行</text:p></table:table-cell></table:table-row></table:table>` +
		`<table:table table:name="隐藏表" table:style-name="ta2"><table:table-row><table:table-cell><text:p>机密</text:p>` +
		`<office:annotation><text:p>注</text:p></office:annotation></table:table-cell></table:table-row></table:table>` +
		`</office:spreadsheet></office:body>`
	doc, err := read(t, pkg(t, "spreadsheet", "content.xml", content(body)))
	if err != nil {
		t.Fatal(err)
	}
	want := []seg{
		{extract.PartDeleted, 0, "", "旧值"},
		{extract.PartSheetName, 1, "", "表一"},
		{extract.PartHidden, 1, "", "隐藏列\n隐藏行"},
		{extract.PartBody, 1, "", "甲\n乙"},
		{extract.PartSheetName, 2, "", "隐藏表"},
		{extract.PartComment, 2, "", "注"},
		{extract.PartHidden, 2, "", "机密"},
	}
	if got := segs(doc); !equal(got, want) || doc.Format != extract.FormatODS {
		t.Errorf("%s: segments\n%+v\nwant\n%+v", doc.Format, got, want)
	}
}

// Slides have their pages and notes; a hidden slide is hidden.
func TestPresentation(t *testing.T) {
	body := `<office:automatic-styles><style:style style:name="dp2" style:family="drawing-page"><style:drawing-page-properties presentation:visibility="hidden"/></style:style></office:automatic-styles>` +
		`<office:body><office:presentation>` +
		`<draw:page draw:name="p1"><draw:frame><draw:text-box><text:p>幻灯片</text:p></draw:text-box></draw:frame>` +
		`<presentation:notes><draw:frame><draw:text-box><text:p>备注</text:p></draw:text-box></draw:frame></presentation:notes></draw:page>` +
		`<draw:page draw:name="p2" draw:style-name="dp2"><draw:frame><draw:text-box><text:p>机密</text:p></draw:text-box></draw:frame></draw:page>` +
		`</office:presentation></office:body>`
	doc, err := read(t, pkg(t, "presentation", "content.xml", content(body)))
	if err != nil {
		t.Fatal(err)
	}
	want := []seg{
		{extract.PartNotes, 1, "", "备注"},
		{extract.PartBody, 1, "", "幻灯片"},
		{extract.PartHidden, 2, "", "机密"},
	}
	if got := segs(doc); !equal(got, want) || doc.Format != extract.FormatODP {
		t.Errorf("%s: segments\n%+v\nwant\n%+v", doc.Format, got, want)
	}
}

// A flat document is one XML file: sniffed from its root, read like a
// package, its inline pictures counted.
func TestFlat(t *testing.T) {
	for _, tt := range []struct {
		mimetype string
		format   extract.Format
	}{{"text", extract.FormatODT}, {"spreadsheet", extract.FormatODS}, {"presentation", extract.FormatODP}} {
		src := "\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<office:document " + ns + ` office:mimetype="application/vnd.oasis.opendocument.` + tt.mimetype + `">` +
			`<office:meta><dc:title>标题</dc:title></office:meta>` +
			`<office:master-styles><style:master-page><style:header><text:p>页眉</text:p></style:header></style:master-page></office:master-styles>` +
			`<office:body><office:text><text:p>机密★5年<draw:frame><draw:image><office:binary-data>iVBORw0KGgo=</office:binary-data></draw:image></draw:frame></text:p></office:text></office:body></office:document>`
		// Indented as LibreOffice writes it: the indentation is no text,
		// and white space in a paragraph is one space.
		src = strings.ReplaceAll(src, "><", ">\n  <")
		src = strings.Replace(src, "机密★5年", "  机密★5年\n   机密", 1)
		doc, err := read(t, []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		want := []seg{
			{extract.PartMetadata, 0, "", "标题"},
			{extract.PartHeader, 0, "", "页眉"},
			{extract.PartBody, 0, "", "机密★5年 机密"},
		}
		if got := segs(doc); !equal(got, want) || doc.Format != tt.format || len(doc.Review) != 1 {
			t.Errorf("%s: segments\n%+v\nwant\n%+v; review %q", doc.Format, got, want, doc.Review)
		}
	}
}

// Damaged documents are errors, never clean.
func TestDamaged(t *testing.T) {
	deep := strings.Repeat("<text:span>", 300)
	tests := []struct {
		name string
		data []byte
		kind extract.Kind
	}{
		{"no content", pkg(t, "text", "styles.xml", "<x/>"), extract.KindCorrupt},
		{"malformed", pkg(t, "text", "content.xml", content(`<office:body><office:text><text:p>机密</text:x>`)), extract.KindCorrupt},
		{"cut short", pkg(t, "text", "content.xml", content(`<office:body><office:text><text:p>机密`)[:200]), extract.KindCorrupt},
		{"encrypted", pkg(t, "text", "content.xml", "\x01\x02", "META-INF/manifest.xml", `<manifest:manifest><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data/></manifest:file-entry></manifest:manifest>`), extract.KindEncrypted},
		{"too deep", pkg(t, "text", "content.xml", content(`<office:body><office:text><text:p>`+deep)), extract.KindLimit},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := read(t, tt.data)
			if extract.KindOf(err) != tt.kind || err == nil {
				t.Errorf("err = %v, want kind %s", err, tt.kind)
			}
		})
	}
}

// An OLE object a flat document holds inline is read as a document of its
// own: here the Packager format wrapping a text file.
func TestFlatObject(t *testing.T) {
	file := []byte("机密★5年")
	le := binary.LittleEndian
	native := le.AppendUint32(nil, 0) // the total size, not checked
	native = append(native, 2, 0)
	native = append(native, "a.txt\x00a.txt\x00\x00\x00\x03\x00"...)
	native = le.AppendUint32(native, 1)
	native = append(native, 0)
	native = le.AppendUint32(native, uint32(len(file)))
	native = append(native, file...)
	ole := cfb.Build(cfb.Stream{Path: "\x01Ole10Native", Data: native})
	src := `<office:document ` + ns + ` office:mimetype="application/vnd.oasis.opendocument.text"><office:body><office:text><text:p>` +
		`<draw:frame><draw:object-ole><office:binary-data>` + base64.StdEncoding.EncodeToString(ole) + `</office:binary-data></draw:object-ole></draw:frame>` +
		`</text:p></office:text></office:body></office:document>`
	doc, err := read(t, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := []seg{{extract.PartEmbedded, 0, "object 1", "a.txt"}, {extract.PartBody, 0, "object 1", "机密★5年"}}
	if got := segs(doc); !equal(got, want) || len(doc.Review) > 0 {
		t.Errorf("segments\n%+v\nwant\n%+v; review %q", got, want, doc.Review)
	}
}

// Text a document keeps outside its paragraphs: a form control's value,
// label and tooltip (form), a cell validation's help and error messages
// (comment), a user field's value (metadata).
func TestFormsValidationsFields(t *testing.T) {
	text := `<office:body><office:text><office:forms><form:form form:name="表单">` +
		`<form:text form:name="t1" form:current-value="机密★5年" form:title="填写密级"/>` +
		`<form:listbox form:name="l1"><form:option form:label="内部" form:value="1"/></form:listbox>` +
		`</form:form></office:forms>` +
		`<text:user-field-decls><text:user-field-decl office:value-type="string" office:string-value="绝密" text:name="密级"/></text:user-field-decls>` +
		`<text:p>正文</text:p></office:text></office:body>`
	sheet := `<office:body><office:spreadsheet><table:content-validations><table:content-validation table:name="v1" table:condition="of:cell-content-is-whole-number()">` +
		`<table:help-message table:title="说明" table:display="true"><text:p>仅限内部使用</text:p></table:help-message></table:content-validation></table:content-validations>` +
		`<table:table table:name="表"><table:table-row><table:table-cell><text:p>甲</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>`
	ns2 := ` xmlns:form="urn:oasis:names:tc:opendocument:xmlns:form:1.0" xmlns:office2="x"`
	for _, c := range []struct {
		mimetype, body string
		want           []seg
	}{
		{"text", text, []seg{{extract.PartForm, 0, "", "机密★5年\n填写密级\n内部\n1"}, {extract.PartMetadata, 0, "", "密级: 绝密"}, {extract.PartBody, 0, "", "正文"}}},
		{"spreadsheet", sheet, []seg{{extract.PartComment, 0, "", "仅限内部使用"}, {extract.PartSheetName, 1, "", "表"}, {extract.PartBody, 1, "", "甲"}}},
	} {
		doc, err := read(t, pkg(t, c.mimetype, "content.xml", strings.Replace(content(c.body), "<office:document-content ", "<office:document-content"+ns2+" ", 1)))
		if err != nil {
			t.Fatal(err)
		}
		if got := segs(doc); !equal(got, c.want) {
			t.Errorf("%s: segments\n%+v\nwant\n%+v", c.mimetype, got, c.want)
		}
	}
}
