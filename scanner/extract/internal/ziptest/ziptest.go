// Package ziptest builds zip files and the documents made of them (Word,
// Excel and PowerPoint packages, OFD) by hand, for the tests of extract and
// its readers. It does not import extract, so that extract's own tests can
// use it.
package ziptest

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Entry is one file of a zip built by a test: its name and its body. It is
// an array, not a struct, so that tests in other packages write it
// {name, body} as they always have (go vet wants field names in a literal
// of another package's struct).
type Entry [2]string

// Name is the entry's name in the zip.
func (e Entry) Name() string { return e[0] }

// Body is the entry's content.
func (e Entry) Body() string { return e[1] }

// Zip writes entries, in order, to a zip (deflated, except "mimetype").
func Zip(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	return StoredZip(t, []string{"mimetype"}, entries...)
}

// StoredZip writes entries, in order, to a zip: those named in store are
// stored as they are, the others deflated.
func StoredZip(t testing.TB, store []string, entries ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name(), Method: zip.Deflate}
		if slices.Contains(store, e.Name()) {
			h.Method = zip.Store
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.Body())); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Nested puts inner in n zips named z1.zip … zn.zip, z1.zip outermost.
func Nested(t testing.TB, n int, inner Entry) []byte {
	t.Helper()
	data := Zip(t, inner)
	for i := n; i >= 1; i-- {
		data = Zip(t, Entry{"z" + strconv.Itoa(i) + ".zip", string(data)})
	}
	return data
}

// WNS declares the namespaces of a WordprocessingML part.
const WNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml"`

// WDoc is a document.xml whose body is body.
func WDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + WNS + `><w:body>` + body + `</w:body></w:document>`
}

// Para is a paragraph of the given runs.
func Para(runs ...string) string { return "<w:p>" + strings.Join(runs, "") + "</w:p>" }

// Run is a run of text.
func Run(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

// RelsNS is the namespace of relationship types.
const RelsNS = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`

// Rels is a relationships part holding rs.
func Rels(rs ...string) string {
	return `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + strings.Join(rs, "") + `</Relationships>`
}

// Rel is one relationship, of a type named by its last path element.
func Rel(id, typ, target string) string {
	return `<Relationship Id="` + id + `" Type="` + RelsNS + `/` + typ + `" Target="` + target + `"/>`
}

// DOCX builds a package: content types, document.xml, its rels (unless
// docRels is "-") and the extra entries.
func DOCX(t testing.TB, body, docRels string, extra ...Entry) []byte {
	return Zip(t, DOCXEntries(body, docRels, extra...)...)
}

// DOCXEntries are the entries of the package DOCX builds.
func DOCXEntries(body, docRels string, extra ...Entry) []Entry {
	entries := []Entry{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", Rels(Rel("rId1", "officeDocument", "word/document.xml"))},
		{"word/document.xml", WDoc(body)},
	}
	if docRels != "-" {
		entries = append(entries, Entry{"word/_rels/document.xml.rels", docRels})
	}
	return append(entries, extra...)
}

// RawEntry is a zip entry written as is, with sizes it declares.
type RawEntry struct {
	Name         string
	Data         []byte // stored bytes (deflated unless Method is Store)
	Method       uint16
	Uncompressed uint64 // declared inflated size
	CRC          uint32
}

// RawZip writes entries as they are, trusting their declared sizes.
func RawZip(t testing.TB, entries ...RawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		f, err := w.CreateRaw(&zip.FileHeader{
			Name:               e.Name,
			Method:             e.Method,
			CRC32:              e.CRC,
			CompressedSize64:   uint64(len(e.Data)),
			UncompressedSize64: e.Uncompressed,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.Data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Deflate compresses b as a zip entry's deflated data.
func Deflate(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// Garbage is not a deflate stream: inflating it fails, so a limit error on
// an entry holding it shows the limit was checked before inflating.
var Garbage = []byte("\xFF\xFF\xFF\xFF not deflate")

// Lying packs e (deflated, or stored when method is zip.Store) with its true
// CRC-32 and compressed size, declaring declared as its inflated size in the
// local header and the central directory alike.
func Lying(t testing.TB, e Entry, method uint16, declared uint64) RawEntry {
	data := []byte(e.Body())
	if method == zip.Deflate {
		data = Deflate(t, data)
	}
	return RawEntry{Name: e.Name(), Data: data, Method: method, Uncompressed: declared, CRC: crc32.ChecksumIEEE([]byte(e.Body()))}
}

// Honest packs e deflated, declaring its true size.
func Honest(t testing.TB, e Entry) RawEntry {
	return Lying(t, e, zip.Deflate, uint64(len(e.Body())))
}

// AsFolder renames an entry, in its local header and the central directory,
// to name, which ends in "/" and is as long as the old one: archive/zip
// writes no data under such a name, unzip extracts it.
func AsFolder(t testing.TB, data []byte, old, name string) []byte {
	if len(old) != len(name) || bytes.Count(data, []byte(old)) != 2 {
		t.Fatalf("cannot rename %s to %s", old, name)
	}
	return bytes.ReplaceAll(data, []byte(old), []byte(name))
}

const (
	// SSNS declares the namespaces of a SpreadsheetML part.
	SSNS    = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`
	coreXML = `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>TITLE</dc:title>` +
		`<dcterms:created>2024-03-01T09:00:00Z</dcterms:created></cp:coreProperties>`
)

// Core is a core properties part whose title is title.
func Core(title string) Entry {
	return Entry{"docProps/core.xml", strings.Replace(coreXML, "TITLE", title, 1)}
}

// XLSX builds a workbook from its sheets (name, state, sheet XML body)
// and extra entries; sheet i is xl/worksheets/sheet<i+1>.xml.
func XLSX(t testing.TB, sheets [][3]string, extra ...Entry) []byte {
	var list, wbRels strings.Builder
	entries := []Entry{{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`}}
	for i, s := range sheets {
		id := "rId" + string(rune('1'+i))
		list.WriteString(`<sheet name="` + s[0] + `" sheetId="` + string(rune('1'+i)) + `" r:id="` + id + `"`)
		if s[1] != "" {
			list.WriteString(` state="` + s[1] + `"`)
		}
		list.WriteString(`/>`)
		wbRels.WriteString(Rel(id, "worksheet", "worksheets/sheet"+string(rune('1'+i))+".xml"))
		entries = append(entries, Entry{"xl/worksheets/sheet" + string(rune('1'+i)) + ".xml",
			`<?xml version="1.0"?><worksheet ` + SSNS + `>` + s[2] + `</worksheet>`})
	}
	wbRels.WriteString(Rel("rId9", "sharedStrings", "sharedStrings.xml"))
	entries = append(entries,
		Entry{"xl/workbook.xml", `<?xml version="1.0"?><workbook ` + SSNS + `><sheets>` + list.String() + `</sheets></workbook>`},
		Entry{"xl/_rels/workbook.xml.rels", Rels(wbRels.String())})
	return Zip(t, append(entries, extra...)...)
}

// PNS declares the namespaces of a PresentationML part.
const PNS = `xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// PSlide is a slide (or notes slide, root notes) with one shape per text;
// each text is a paragraph whose runs are split on "|".
func PSlide(root, attrs string, texts ...string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><p:` + root + ` ` + PNS + attrs + `><p:cSld><p:spTree>`)
	for i, t := range texts {
		b.WriteString(`<p:sp><p:nvSpPr><p:cNvPr id="` + string(rune('2'+i)) + `" name="TextBox"/></p:nvSpPr><p:txBody><a:p>`)
		for _, r := range strings.Split(t, "|") {
			b.WriteString(`<a:r><a:t>` + r + `</a:t></a:r>`)
		}
		b.WriteString(`</a:p></p:txBody></p:sp>`)
	}
	b.WriteString(`</p:spTree></p:cSld></p:` + root + `>`)
	return b.String()
}

// WPart is a WordprocessingML part whose root element is root.
func WPart(root, inner string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><w:` + root + ` ` + WNS + `>` + inner + `</w:` + root + `>`
}

// OFDNS declares the OFD namespace.
const OFDNS = `xmlns:ofd="http://www.ofdspec.org/2016"`

// OFDGlyphs draws text one glyph per TextObject, as converters do, from
// (x, baseline) in steps of size, listing the objects in the given order.
func OFDGlyphs(text string, x, baseline, size float64, order []int) string {
	runes := []rune(text)
	objs := make([]string, len(runes))
	for i, r := range runes {
		// The boundary's top is above the baseline; Y is the baseline
		// within it.
		objs[i] = fmt.Sprintf(`<ofd:TextObject ID="%d" Boundary="%g %g %g %g" Font="3" Size="%g"><ofd:TextCode X="0" Y="%g">%c</ofd:TextCode></ofd:TextObject>`,
			i+10, x+size*float64(i), baseline-size, size, size*1.2, size, size, r)
	}
	var b strings.Builder
	for _, i := range order {
		b.WriteString(objs[i])
	}
	return b.String()
}

// OFDPage is a page whose one layer holds body.
func OFDPage(body string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ` + OFDNS + `><ofd:Content><ofd:Layer ID="2">` + body + `</ofd:Layer></ofd:Content></ofd:Page>`
}

// GB18030 encodes s in GB18030.
func GB18030(t testing.TB, s string) string {
	b, err := simplifiedchinese.GB18030.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// OFD writes a two-page OFD: page 1 uses a template and draws its
// glyphs one per text object, shuffled; page 2 is GB18030-encoded XML with
// a scaled text object and a watermark annotation; an attachment.
func OFD(t testing.TB) []byte {
	page1 := `<?xml version="1.0" encoding="UTF-8"?><ofd:Page ` + OFDNS + `><ofd:Template TemplateID="50" ZOrder="Background"/>` +
		`<ofd:Content><ofd:Layer ID="2">` +
		OFDGlyphs("关于某事的通知", 20, 50, 5, []int{6, 2, 0, 4, 1, 5, 3}) +
		OFDGlyphs("机密★5年", 20, 30, 5, []int{3, 0, 4, 2, 1}) +
		// Another font's glyph sits a little off the line's baseline.
		`<ofd:PageBlock><ofd:TextObject ID="40" Boundary="45 25.6 5 6" Size="5"><ofd:TextCode X="0" Y="5">。</ofd:TextCode></ofd:TextObject></ofd:PageBlock>` +
		OFDGlyphs("甲", 20, 70, 5, []int{0}) + OFDGlyphs("乙", 100, 70, 5, []int{0}) +
		`</ofd:Layer></ofd:Content></ofd:Page>`
	page2 := `<?xml version="1.0" encoding="GB18030"?><ofd:Page ` + OFDNS + `><ofd:Content><ofd:Layer ID="2">` +
		`<ofd:TextObject ID="80" Boundary="0 0 210 297" Size="3" CTM="2 0 0 2 0 0"><ofd:TextCode X="10" Y="20" DeltaX="g 3 3">第二页内容</ofd:TextCode></ofd:TextObject>` +
		`</ofd:Layer></ofd:Content></ofd:Page>`
	return Zip(t,
		Entry{"OFD.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:OFD ` + OFDNS + ` Version="1.0" DocType="OFD"><ofd:DocBody>` +
			`<ofd:DocInfo><ofd:DocID>a1b2</ofd:DocID><ofd:Title>关于某事的通知</ofd:Title><ofd:Author>办公室</ofd:Author>` +
			`<ofd:Creator>转换器</ofd:Creator><ofd:CreationDate>2024-03-01</ofd:CreationDate>` +
			`<ofd:CustomDatas><ofd:CustomData Name="密级">秘密</ofd:CustomData></ofd:CustomDatas></ofd:DocInfo>` +
			`<ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		Entry{"Doc_0/Document.xml", `<?xml version="1.0" encoding="UTF-8"?><ofd:Document ` + OFDNS + `><ofd:CommonData>` +
			`<ofd:MaxUnitID>100</ofd:MaxUnitID><ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>` +
			`<ofd:TemplatePage ID="50" BaseLoc="Tpls/Tpl_0/Content.xml"/></ofd:CommonData>` +
			`<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/><ofd:Page ID="2" BaseLoc="/Doc_0/Pages/Page_1/Content.xml"/></ofd:Pages>` +
			`<ofd:Annotations>Annots/Annotations.xml</ofd:Annotations><ofd:Attachments>Attachs/Attachments.xml</ofd:Attachments></ofd:Document>`},
		Entry{"Doc_0/Tpls/Tpl_0/Content.xml", OFDPage(`<ofd:TextObject ID="51" Boundary="20 5 40 6" Size="5"><ofd:TextCode X="0" Y="5" DeltaX="g 3 5">内部资料</ofd:TextCode></ofd:TextObject>`)},
		Entry{"Doc_0/Pages/Page_0/Content.xml", page1},
		Entry{"Doc_0/Pages/Page_1/Content.xml", GB18030(t, page2)},
		Entry{"Doc_0/Annots/Annotations.xml", `<ofd:Annotations ` + OFDNS + `><ofd:Page PageID="2"><ofd:FileLoc>Page_1/Annotation.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`},
		Entry{"Doc_0/Annots/Page_1/Annotation.xml", `<ofd:PageAnnot ` + OFDNS + `><ofd:Annot ID="60" Type="Watermark"><ofd:Remark>水印</ofd:Remark>` +
			`<ofd:Appearance Boundary="0 0 210 297"><ofd:TextObject ID="61" Boundary="50 100 100 20" Size="10"><ofd:TextCode X="0" Y="10" DeltaX="g 3 10">不得外传</ofd:TextCode></ofd:TextObject></ofd:Appearance></ofd:Annot></ofd:PageAnnot>`},
		Entry{"Doc_0/Attachs/Attachments.xml", `<ofd:Attachments ` + OFDNS + `><ofd:Attachment ID="70" Name="附件一" Format="txt"><ofd:FileLoc>附件一.txt</ofd:FileLoc></ofd:Attachment></ofd:Attachments>`},
		Entry{"Doc_0/Attachs/附件一.txt", "附件正文：内部使用\n"},
	)
}

// GlossaryPart is a glossary document holding one building block whose body
// is the given paragraphs.
func GlossaryPart(paras string) string {
	return WPart("glossaryDocument", `<w:docParts><w:docPart><w:docPartPr><w:name w:val="DefaultPlaceholder_1"/></w:docPartPr>`+
		`<w:docPartBody>`+paras+`</w:docPartBody></w:docPart></w:docParts>`)
}

// RawDOCX builds the package of DOCXEntries with every entry deflated and
// declaring its size, except those in lie, which declare the size given.
func RawDOCX(t testing.TB, lie map[string]uint64, body string, extra ...Entry) []byte {
	var raw []RawEntry
	for _, e := range DOCXEntries(body, Rels(), extra...) {
		if n, ok := lie[e.Name()]; ok {
			raw = append(raw, Lying(t, e, zip.Deflate, n))
		} else {
			raw = append(raw, Honest(t, e))
		}
	}
	return RawZip(t, raw...)
}
