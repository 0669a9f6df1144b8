package ooxml

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// The builders of zips and Word packages (internal/ziptest), and what
// the tests look at (internal/doctest).
const (
	wNS    = ziptest.WNS
	relsNS = ziptest.RelsNS
)

type (
	zipEntry  = ziptest.Entry
	rawEntry  = ziptest.RawEntry
	extractor = extract.Extractor
)

var (
	showPages   = doctest.ShowPages
	corpusDir   = doctest.CorpusDir
	extractWith = doctest.ExtractWith
	buildZip    = ziptest.Zip
	buildRawZip = ziptest.RawZip
	garbage     = ziptest.Garbage
	lying       = ziptest.Lying
	honest      = ziptest.Honest
	asFolder    = ziptest.AsFolder
)

var (
	wDoc         = ziptest.WDoc
	para         = ziptest.Para
	run          = ziptest.Run
	rels         = ziptest.Rels
	rel          = ziptest.Rel
	docxZip      = ziptest.DOCX
	docxEntries  = ziptest.DOCXEntries
	wPart        = ziptest.WPart
	glossaryPart = ziptest.GlossaryPart
	rawDOCX      = ziptest.RawDOCX
)

func extractBytes(t testing.TB, data []byte, opt extract.Options) (*extract.Document, error) {
	return extractDOCX(context.Background(), bytes.NewReader(data), int64(len(data)), opt.WithDefaults())
}

func TestExtractDOCX(t *testing.T) {
	textbox := `<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>` +
		`<wp:docPr id="1" name="Text Box 1" descr="印章图片"/><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>` +
		para(run("框内机密")) + `</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>` + para(run("框内机密")) +
		`</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`
	cases := []struct {
		name  string
		data  []byte
		want  []extract.Segment
		check func(t *testing.T, doc *extract.Document)
	}{
		{
			name: "word split across runs",
			data: docxZip(t, para(run("机"), `<w:r><w:rPr><w:b/></w:rPr><w:t>密★5年</w:t></w:r>`)+
				para(`<w:r><w:t>甲</w:t><w:tab/><w:t>乙</w:t><w:br/><w:t>丙</w:t><w:noBreakHyphen/><w:t>丁</w:t></w:r>`)+
				`<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>`+run("末段")+`</w:p>`, rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "机密★5年\n甲\t乙\n丙-丁\n末段"}},
		},
		{
			name: "deleted text kept apart",
			data: docxZip(t, para(run("公开"), `<w:del w:id="1" w:author="a"><w:r><w:delText>绝密</w:delText></w:r></w:del>`, run("资料"),
				`<w:ins w:id="2" w:author="a">`+run("新增")+`</w:ins>`,
				`<w:moveFrom w:id="3" w:author="a">`+run("移走")+`</w:moveFrom>`), rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "公开资料新增"}, {Part: extract.PartDeleted, Text: "绝密移走"}},
		},
		{
			name: "hidden text",
			data: docxZip(t, para(`<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏机密</w:t></w:r>`,
				`<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>显示</w:t></w:r>`,
				`<w:r><w:t>正文</w:t></w:r>`)+
				`<w:p><w:pPr><w:rPr><w:vanish/></w:rPr></w:pPr>`+run("段落标记隐藏不影响正文")+`</w:p>`, rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "显示正文\n段落标记隐藏不影响正文"}, {Part: extract.PartHidden, Text: "隐藏机密"}},
		},
		{
			name: "field codes",
			data: docxZip(t, para(`<w:r><w:fldChar w:fldCharType="begin"/></w:r>`,
				`<w:r><w:instrText xml:space="preserve"> DOCPROPERTY 密级 </w:instrText></w:r>`,
				`<w:r><w:fldChar w:fldCharType="separate"/></w:r>`, run("机密"), `<w:r><w:fldChar w:fldCharType="end"/></w:r>`)+
				`<w:p><w:fldSimple w:instr=" PAGE ">`+run("1")+`</w:fldSimple></w:p>`, rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "机密\n1"}, {Part: extract.PartField, Text: " DOCPROPERTY 密级 \n PAGE "}},
		},
		{
			name: "text box read once, from Choice",
			data: docxZip(t, para(run("前文"), textbox, run("正文")), rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "前文正文"}, {Part: extract.PartAltText, Text: "印章图片"}, {Part: extract.PartTextbox, Text: "框内机密"}},
		},
		{
			name: "fallback read when there is no choice",
			data: docxZip(t, para(`<w:r><mc:AlternateContent><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>`+
				para(run("旧式文本框"))+`</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>`), rels()),
			want: []extract.Segment{{Part: extract.PartTextbox, Text: "旧式文本框"}},
		},
		{
			name: "headers and footers through rels",
			data: docxZip(t, para(run("正文")),
				rels(rel("rId1", "styles", "styles.xml"), rel("rId8", "header", "hdr/top.xml"), rel("rId9", "footer", "/word/footer1.xml"),
					`<Relationship Id="rId10" Type="`+relsNS+`/header" Target="http://example.com/x.xml" TargetMode="External"/>`),
				zipEntry{"word/hdr/top.xml", wPart("hdr", para(run("机密★5年")))},
				zipEntry{"word/footer1.xml", wPart("ftr", para(run("第"), run("1"), run("页")))},
			),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartHeader, Text: "机密★5年"}, {Part: extract.PartFooter, Text: "第1页"}},
		},
		{
			name: "a watermark drawn as VML WordArt in the header, a VML shape's alt text",
			data: docxZip(t, para(`<w:r><w:pict><v:rect alt="公章">`+`</v:rect></w:pict></w:r>`, run("正文")),
				rels(rel("rId8", "header", "header1.xml")),
				zipEntry{"word/header1.xml", wPart("hdr", para(`<w:r><w:pict><v:shape id="PowerPlusWaterMarkObject1" type="#_x0000_t136"><v:textpath style="font-family:&quot;宋体&quot;" string="内部资料"/></v:shape></w:pict></w:r>`))},
			),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartAltText, Text: "公章"}, {Part: extract.PartTextbox, Text: "内部资料"}},
		},
		{
			name: "list numbering's text, not its numbers and bullets",
			data: docxZip(t, para(run("正文")), rels(rel("rId5", "numbering", "numbering.xml")),
				zipEntry{"word/numbering.xml", wPart("numbering", `<w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:lvlText w:val="机密%1."/></w:lvl>`+
					`<w:lvl w:ilvl="1"><w:lvlText w:val="%1.%2."/></w:lvl><w:lvl w:ilvl="2"><w:lvlText w:val=""/></w:lvl><w:lvl w:ilvl="3"><w:lvlText w:val="o"/></w:lvl></w:abstractNum>`)},
			),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: "word/numbering.xml", Text: "机密."}},
		},
		{
			name: "no rels file: library fails, package still read",
			data: docxZip(t, para(run("正文")), "-",
				zipEntry{"word/header2.xml", wPart("hdr", para(run("页眉二")))},
				zipEntry{"word/header1.xml", wPart("hdr", para(run("页眉一")))},
			),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartHeader, Text: "页眉一"}, {Part: extract.PartHeader, Text: "页眉二"}},
		},
		{
			name: "notes, comments and properties",
			data: docxZip(t, para(run("正文")), rels(rel("rId3", "comments", "comments.xml")),
				zipEntry{"word/comments.xml", wPart("comments", `<w:comment w:id="0">`+para(run("批注：涉密"))+`</w:comment>`)},
				zipEntry{"word/footnotes.xml", wPart("footnotes", `<w:footnote w:id="1">`+para(run("脚注"))+`</w:footnote>`)},
				zipEntry{"word/endnotes.xml", wPart("endnotes", `<w:endnote w:id="1">`+para(run("尾注"))+`</w:endnote>`)},
				zipEntry{"docProps/core.xml", `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"><dc:title>内部资料</dc:title><dc:creator>办公室</dc:creator><dc:subject></dc:subject><cp:revision>3</cp:revision><dcterms:created>2021-01-01T00:00:00Z</dcterms:created></cp:coreProperties>`},
				zipEntry{"docProps/app.xml", `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Microsoft Office Word</Application><Pages>2</Pages><Company>某某局</Company></Properties>`},
				zipEntry{"docProps/custom.xml", `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="密级"><vt:lpwstr>机密</vt:lpwstr></property></Properties>`},
			),
			want: []extract.Segment{
				{Part: extract.PartBody, Text: "正文"},
				{Part: extract.PartFootnote, Text: "脚注"},
				{Part: extract.PartEndnote, Text: "尾注"},
				{Part: extract.PartComment, Text: "批注：涉密"},
				{Part: extract.PartMetadata, Text: "内部资料\n办公室"},
				{Part: extract.PartMetadata, Text: "某某局"},
				{Part: extract.PartMetadata, Text: "密级: 机密"},
			},
		},
		{
			name: "phonetic guide kept apart",
			data: docxZip(t, para(`<w:r><w:ruby><w:rt><w:r><w:t>jī</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>机</w:t></w:r></w:rubyBase></w:ruby></w:r>`,
				`<w:r><w:ruby><w:rt><w:r><w:t>mì</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>密</w:t></w:r></w:rubyBase></w:ruby></w:r>`), rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "机密"}, {Part: extract.PartAnnotation, Text: "jīmì"}},
		},
		{
			name: "math text",
			data: docxZip(t, `<w:p xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math"><m:oMath><m:r><m:t>机密</m:t></m:r></m:oMath></w:p>`, rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "机密"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, c.want) {
				t.Errorf("segments:\n got %s\nwant %s", showSegments(doc.Segments), showSegments(c.want))
			}
			if len(doc.Review) != 0 {
				t.Errorf("review = %q, want none", doc.Review)
			}
		})
	}
}

// Content the reader cannot read makes the document "review", not clean.
func TestExtractDOCXReview(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"altChunk", docxZip(t, para(run("正文"))+`<w:altChunk r:id="rId5" xmlns:r="`+relsNS+`"/>`, rels(rel("rId5", "aFChunk", "afchunk.htm")),
			zipEntry{"word/afchunk.htm", "<html>机密</html>"}), "altChunk"},
		{"damaged embedded workbook", docxZip(t, para(run("正文")), rels(), zipEntry{"word/embeddings/Microsoft_Excel_Worksheet.xlsx", "PK\x03\x04broken"}),
			"entry 5: damaged zip container"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Review) != 1 || !strings.Contains(doc.Review[0], c.want) {
				t.Errorf("review = %q, want one containing %q", doc.Review, c.want)
			}
			if len(doc.Segments) != 1 || doc.Segments[0].Text != "正文" {
				t.Errorf("segments = %s", showSegments(doc.Segments))
			}
		})
	}
}

// The docx library reads word/document.xml when it can; without the rels
// file it fails and the body is streamed from the zip instead (the "no rels
// file" case of TestExtractDOCX checks the result is the same).
func TestLibraryContent(t *testing.T) {
	with := docxZip(t, para(run("机密")), rels())
	if content, ok := libraryContent(bytes.NewReader(with), int64(len(with))); !ok || !strings.Contains(content, "机密") {
		t.Errorf("library on a complete package: ok=%v", ok)
	}
	without := docxZip(t, para(run("机密")), "-")
	if _, ok := libraryContent(bytes.NewReader(without), int64(len(without))); ok {
		t.Error("library read a package without word/_rels/document.xml.rels; the fallback is untested")
	}
}

func showSegments(segs []extract.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(string(s.Part) + ":" + strconv.Quote(s.Text) + " ")
	}
	return b.String()
}

func TestExtractDOCXErrors(t *testing.T) {
	good := docxZip(t, para(run(strings.Repeat("机密", 2000))), rels())
	deep := strings.Repeat("<w:sdt>", 300) + strings.Repeat("</w:sdt>", 300)
	cases := []struct {
		name string
		data []byte
		opt  extract.Options
		kind extract.Kind
		msg  string
	}{
		{"truncated", good[:len(good)*2/3], extract.Options{}, extract.KindCorrupt, "damaged zip container"},
		{"bomb: huge declared size", buildRawZip(t, rawEntry{Name: "word/document.xml", Data: garbage, Method: 8, Uncompressed: 4 << 30}), extract.Options{}, extract.KindLimit, "declared inflated size 4.0 GB exceeds the limit of 1.0 GB: possible decompression bomb"},
		{"no document.xml", buildZip(t, zipEntry{"word/styles.xml", "<x/>"}), extract.Options{}, extract.KindCorrupt, "word/document.xml is missing"},
		{"malformed XML", buildZip(t, zipEntry{"word/document.xml", `<w:document ` + wNS + `><w:body><w:p>`}), extract.Options{}, extract.KindCorrupt, "malformed XML in part 1 at line 1"},
		{"malformed header", docxZip(t, para(run("x")), rels(), zipEntry{"word/header1.xml", "<w:hdr"}), extract.Options{}, extract.KindCorrupt, "malformed XML in part 5 at line 1"},
		{"external entity", buildZip(t, zipEntry{"word/document.xml", `<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document ` + wNS + `><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>`}), extract.Options{}, extract.KindCorrupt, "malformed XML"},
		{"too deep", docxZip(t, deep, rels()), extract.Options{}, extract.KindLimit, "nests deeper than 256 elements (max XML depth)"},
		{"too much text", good, extract.Options{MaxText: 1000}, extract.KindLimit, "max text"},
		{"too much metadata", docxZip(t, "", rels(), zipEntry{"docProps/core.xml", "<p><t>" + strings.Repeat("机", 1000) + "</t></p>"}), extract.Options{MaxText: 1000}, extract.KindLimit, "max text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, c.opt)
			if err == nil || extract.KindOf(err) != c.kind || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("error = %v (%s), want %s containing %q; doc %+v", err, extract.KindOf(err), c.kind, c.msg, doc)
			}
		})
	}
}

func TestExtractDOCXCancelled(t *testing.T) {
	data := docxZip(t, para(run("正文")), rels())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := extractDOCX(ctx, bytes.NewReader(data), int64(len(data)), extract.DefaultOptions())
	if extract.KindOf(err) != extract.KindTimeout {
		t.Errorf("error = %v, want a timeout", err)
	}
}

// Reader sends a DOCX through Sniff to the extractor, and a truncated one to
// an error.
func TestReaderDOCX(t *testing.T) {
	data := docxZip(t, para(run("机密★5年")), rels())
	doc, err := extract.Reader(context.Background(), bytes.NewReader(data), int64(len(data)), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatDOCX || len(doc.Segments) != 1 || doc.Segments[0].Text != "机密★5年" {
		t.Errorf("doc = %+v", doc)
	}
	cut := data[:len(data)-30]
	if _, err := extract.Reader(context.Background(), bytes.NewReader(cut), int64(len(cut)), extract.Options{}); extract.KindOf(err) != extract.KindCorrupt {
		t.Errorf("truncated: error = %v, want corrupt", err)
	}
}

// oracle reads han_chars_reference per file from ORACLE.tsv.
func oracle(t *testing.T) map[string]int {
	f, err := os.Open(filepath.Join(corpusDir(t, ""), "ORACLE.tsv"))
	if err != nil {
		t.Skipf("no oracle: %v", err)
	}
	defer f.Close()
	ref := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) > 2 {
			if n, err := strconv.Atoi(cols[2]); err == nil {
				ref[cols[0]] = n
			}
		}
	}
	return ref
}

func hanCount(segs []extract.Segment, parts ...extract.Part) int {
	n := 0
	for _, s := range segs {
		if len(parts) > 0 && !containsPart(parts, s.Part) {
			continue
		}
		for _, r := range s.Text {
			if unicode.Is(unicode.Han, r) {
				n++
			}
		}
	}
	return n
}

func containsPart(ps []extract.Part, p extract.Part) bool {
	for _, q := range ps {
		if q == p {
			return true
		}
	}
	return false
}

// Every Chinese DOCX of the corpus is read; the Han count is compared with
// the reference (a regex over the raw XML, which also counts deleted text,
// field codes and Fallback copies of text boxes).
func TestCorpusDOCX(t *testing.T) {
	dir := corpusDir(t, "docx-zh")
	ref := oracle(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.docx"))
	if len(files) == 0 {
		t.Skip("no DOCX in corpus")
	}
	for _, path := range files {
		doc, err := extract.File(context.Background(), path, extract.Options{})
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		key := "docx-zh/" + filepath.Base(path)
		stories := hanCount(doc.Segments, extract.PartBody, extract.PartHeader, extract.PartFooter, extract.PartComment, extract.PartFootnote, extract.PartEndnote, extract.PartTextbox, extract.PartHidden, extract.PartDeleted, extract.PartField)
		t.Logf("%-50s han=%4d (stories %4d, deleted %3d) reference=%4d", filepath.Base(path), hanCount(doc.Segments), stories, hanCount(doc.Segments, extract.PartDeleted), ref[key])
		if filepath.Base(path) == "poitl__636.docx" && hanCount(doc.Segments, extract.PartDeleted) == 0 {
			t.Errorf("poitl__636.docx: tracked deletions not found")
		}
	}
}

// The malformed, encrypted and odd DOCX of the corpus never crash and never
// come out as a clean empty document when they cannot be read.
func TestCorpusEdgeDOCX(t *testing.T) {
	dir := corpusDir(t, "edge")
	files, _ := filepath.Glob(filepath.Join(dir, "*.docx"))
	want := map[string]extract.Kind{
		"tika__testWORD_protected_passtika.docx": extract.KindEncrypted,
		"poi__protected_agile.docx":              extract.KindEncrypted,
		"tika__protected_normal_case.docx":       extract.KindEncrypted,
		"tika__testWORD_truncated.docx":          extract.KindCorrupt,
		"poi__truncated62886.docx":               extract.KindCorrupt,
	}
	for _, path := range files {
		name := filepath.Base(path)
		doc, err := extract.File(context.Background(), path, extract.Options{})
		if err != nil {
			t.Logf("%-60s %s: %v", name, extract.KindOf(err), err)
		} else {
			t.Logf("%-60s %s: %d segments, han=%d", name, doc.Format, len(doc.Segments), hanCount(doc.Segments))
		}
		if k, ok := want[name]; ok && extract.KindOf(err) != k {
			t.Errorf("%s: error %v, want %s", name, err, k)
		}
	}
}

// The glossary (AutoText, Quick Parts) is read as a story of its own, found
// by its relationship or by its usual name; Inner names the part.
func TestExtractDOCXGlossary(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		want []extract.Segment
	}{
		{
			name: "usual name, no relationship",
			data: docxZip(t, para(run("正文")), rels(), zipEntry{docxGlossary, glossaryPart(para(run("机密★5年")))}),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: docxGlossary, Text: "机密★5年"}},
		},
		{
			name: "named by the relationship",
			data: docxZip(t, para(run("正文")), rels(rel("rId9", "glossaryDocument", "parts/blocks.xml")),
				zipEntry{"word/parts/blocks.xml", glossaryPart(para(run("内部资料")) + para(`<w:del><w:r><w:delText>绝密</w:delText></w:r></w:del>`))}),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: "word/parts/blocks.xml", Text: "内部资料"},
				{Part: extract.PartDeleted, Inner: "word/parts/blocks.xml", Text: "绝密"}},
		},
		{
			name: "relationship to a missing part falls back to the usual name",
			data: docxZip(t, para(run("正文")), rels(rel("rId9", "glossaryDocument", "gone.xml")), zipEntry{docxGlossary, glossaryPart(para(run("秘密")))}),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: docxGlossary, Text: "秘密"}},
		},
		{
			name: "no glossary",
			data: docxZip(t, para(run("正文")), rels()),
			want: []extract.Segment{{Part: extract.PartBody, Text: "正文"}},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, c.want) {
				t.Errorf("segments = %+v, want %+v", doc.Segments, c.want)
			}
		})
	}
	bad := docxZip(t, para(run("正文")), rels(), zipEntry{docxGlossary, "<w:glossaryDocument"})
	if _, err := extractBytes(t, bad, extract.Options{}); extract.KindOf(err) != extract.KindCorrupt || err.Error() != "malformed XML in part 5 at line 1" {
		t.Errorf("malformed glossary: error = %v, want corrupt naming part 5, the glossary", err)
	}
}

// MaxXMLElements counts the elements of all parts of one document; the
// part that crosses it is named.
func TestExtractDOCXElementLimit(t *testing.T) {
	tiny := func(n int) string { return strings.Repeat("<w:proofErr/>", n) }
	header := func(n int) zipEntry { return zipEntry{"word/header1.xml", wPart("hdr", tiny(n))} }
	cases := []struct {
		name  string
		data  []byte
		limit int
		fail  string // the part named in the error, "" when reading succeeds
	}{
		{"body over the limit", docxZip(t, tiny(5000), rels()), 1000, "XML in part 3 has more than 1000 elements (max XML elements)"},
		{"parts add up", docxZip(t, tiny(600)+para(run("正文")), rels(), header(600)), 1000, "XML in part 5 has more than 1000 elements"},
		{"under the limit", docxZip(t, tiny(400)+para(run("正文")), rels(), header(400)), 1000, ""},
		{"a million elements under the default", docxZip(t, tiny(1_000_000)+para(run("正文")), rels()), 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, extract.Options{MaxXMLElements: c.limit})
			if c.fail == "" {
				if err != nil {
					t.Fatal(err)
				}
				if len(doc.Segments) != 1 || doc.Segments[0].Text != "正文" {
					t.Errorf("segments = %s, want the text read", showSegments(doc.Segments))
				}
				return
			}
			if extract.KindOf(err) != extract.KindLimit || !strings.Contains(err.Error(), c.fail) {
				t.Errorf("error = %v (%s), want a limit: %q", err, extract.KindOf(err), c.fail)
			}
		})
	}
}

// Parts and embedded objects are read whatever sizes they declare, and
// every entry of a name is read.
func TestExtractDOCXLyingEntries(t *testing.T) {
	const mark = "机密★5年"
	body := para(run("正文"))
	inner := string(docxZip(t, para(run(mark)), rels()))
	embedded := []extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: "word/embeddings/a.docx", Text: mark}}
	cases := []struct {
		name string
		data []byte
		want []extract.Segment
	}{
		{"main part declares 0", rawDOCX(t, map[string]uint64{docxMain: 0}, para(run(mark))), []extract.Segment{{Part: extract.PartBody, Text: mark}}},
		{"main part declares less", rawDOCX(t, map[string]uint64{docxMain: 20}, para(run(mark))), []extract.Segment{{Part: extract.PartBody, Text: mark}}},
		{"main part declares more", rawDOCX(t, map[string]uint64{docxMain: 5000}, para(run(mark))), []extract.Segment{{Part: extract.PartBody, Text: mark}}},
		{"header declares 0", rawDOCX(t, map[string]uint64{"word/header1.xml": 0}, body, zipEntry{"word/header1.xml", wPart("hdr", para(run(mark)))}),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartHeader, Text: mark}}},
		{"embedded object declares 0", rawDOCX(t, map[string]uint64{"word/embeddings/a.docx": 0}, body, zipEntry{"word/embeddings/a.docx", inner}), embedded},
		{"embedded object declares less", rawDOCX(t, map[string]uint64{"word/embeddings/a.docx": 100}, body, zipEntry{"word/embeddings/a.docx", inner}), embedded},
		{"embedded object named like a folder", asFolder(t, rawDOCX(t, nil, body, zipEntry{"word/embeddings/a.docx", inner}), "word/embeddings/a.docx", "word/embeddings/a.doc/"),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: "word/embeddings/a.doc/", Text: mark}}},
		{"main part twice, decoy first", docxZip(t, para(run("公开")), rels(), zipEntry{docxMain, wDoc(para(run(mark)))}),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开\n" + mark}}},
		{"main part twice, in another case", docxZip(t, para(run("公开")), rels(), zipEntry{"Word/Document.XML", wDoc(para(run(mark)))}),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开\n" + mark}}},
		{"header twice", docxZip(t, body, rels(rel("rId8", "header", "header1.xml")),
			zipEntry{"word/header1.xml", wPart("hdr", para(run("页眉")))}, zipEntry{"word/header1.xml", wPart("hdr", para(run(mark)))}),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartHeader, Text: "页眉\n" + mark}}},
		{"rels twice", docxZip(t, body, rels(), zipEntry{"word/_rels/document.xml.rels", rels(rel("rId8", "footer", "f.xml"))},
			zipEntry{"word/f.xml", wPart("ftr", para(run(mark)))}),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartFooter, Text: mark}}},
		{"embedded object twice", docxZip(t, body, rels(), zipEntry{"word/embeddings/a.docx", string(docxZip(t, para(run("公开")), rels()))},
			zipEntry{"word/embeddings/a.docx", inner}),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartBody, Inner: "word/embeddings/a.docx", Text: "公开"}, {Part: extract.PartBody, Inner: "word/embeddings/a.docx", Text: mark}}},
		{"properties twice", docxZip(t, body, rels(), core("公开"), core(mark)),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartMetadata, Text: "公开\n" + mark}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, c.want) || len(doc.Review) != 0 {
				t.Errorf("segments:\n%s\nreview %q\nwant:\n%s", showPages(doc.Segments), doc.Review, showPages(c.want))
			}
		})
	}
}

// ac is an mc:AlternateContent of the given branches: each is the inner XML
// of a Choice (with its Requires) or, when requires is "", the Fallback.
func ac(branches ...[2]string) string {
	var b strings.Builder
	b.WriteString(`<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">`)
	for _, br := range branches {
		if br[0] == "" {
			b.WriteString(`<mc:Fallback>` + br[1] + `</mc:Fallback>`)
		} else {
			b.WriteString(`<mc:Choice Requires="` + br[0] + `">` + br[1] + `</mc:Choice>`)
		}
	}
	b.WriteString(`</mc:AlternateContent>`)
	return b.String()
}

// Every branch of mc:AlternateContent is read: Word shows the first Choice
// it understands, LibreOffice the Fallback.
func TestExtractDOCXAlternateContent(t *testing.T) {
	const mark = "机密★5年"
	box := func(text string) string {
		return `<w:r><w:pict><v:shape><v:textbox><w:txbxContent>` + para(run(text)) + `</w:txbxContent></v:textbox></v:shape></w:pict></w:r>`
	}
	cases := []struct {
		name string
		body string
		want []extract.Segment
	}{
		{"only in the Fallback", para(ac([2]string{"wps", run("公开")}, [2]string{"", run(mark)})),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开" + mark}}},
		{"only in a second Choice of an unknown namespace", para(ac([2]string{"wps", run("公开")}, [2]string{"foo", run(mark)}, [2]string{"", run("公开")})),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开" + mark}}},
		{"only in a Choice after the Fallback", para(ac([2]string{"", run("公开")}, [2]string{"foo", run(mark)})),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开" + mark}}},
		{"nested, in the inner Fallback", para(ac([2]string{"wps", ac([2]string{"w14", run("公开")}, [2]string{"", run(mark)})}, [2]string{"", run("公开")})),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开" + mark + "公开"}}},
		{"nested in the Fallback", para(ac([2]string{"wps", run("公开")}, [2]string{"", ac([2]string{"w14", run("公开")}, [2]string{"", run(mark)})})),
			[]extract.Segment{{Part: extract.PartBody, Text: "公开公开" + mark}}},
		{"text boxes that differ", para(run("正文"), ac([2]string{"wps", box("框内")}, [2]string{"", box(mark)})),
			[]extract.Segment{{Part: extract.PartBody, Text: "正文"}, {Part: extract.PartTextbox, Text: "框内\n" + mark}}},
		{"the same text in every branch, once", para(ac([2]string{"wps", box(mark)}, [2]string{"foo", box(mark)}, [2]string{"", box(mark)})),
			[]extract.Segment{{Part: extract.PartTextbox, Text: mark}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, docxZip(t, c.body, rels()), extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Segments, c.want) {
				t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(c.want))
			}
		})
	}
	t.Run("text budget counts a repeated branch once", func(t *testing.T) {
		big := strings.Repeat("机", 300) // 900 bytes
		data := docxZip(t, para(ac([2]string{"wps", box(big)}, [2]string{"", box(big)}))+para(run(big)), rels())
		if _, err := extractBytes(t, data, extract.Options{MaxText: 2000}); err != nil {
			t.Errorf("err = %v: 1,800 bytes of text are kept", err)
		}
	})
}
