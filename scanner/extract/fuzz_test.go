package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
)

// Fuzz targets for everything in this package that reads untrusted bytes.
// The seed corpus (sample documents, a few small files of the shared corpus,
// hand-made files and the crashers kept under testdata/fuzz) runs with plain
// `go test`; scripts/fuzz.sh runs the fuzzing campaign.

const (
	// fuzzDeadline is the context deadline handed to extractors.
	fuzzDeadline = 2 * time.Second
	// fuzzHang is how long one call may run, deadline included, before it
	// counts as a hang: extractors check the context between pages, but a
	// library call that loops never returns.
	fuzzHang = 10 * time.Second
	// fuzzMaxHeap is how much the heap may grow during one call. Fuzz inputs
	// are small, so growth near MaxInflated means a bomb got past the guards.
	fuzzMaxHeap = 1 << 30
	// fuzzCorpusMax and fuzzCorpusSize pick the "handful of small files" of
	// the shared corpus each target is seeded with.
	fuzzCorpusMax  = 8
	fuzzCorpusSize = 4 << 10
)

// fuzzSamples and fuzzCorpus are relative to this package's folder.
var (
	fuzzSamples = filepath.Join("..", "..", "samples", "docs")
	fuzzCorpus  = filepath.Join("..", "..", "..", "shared", "corpus")
)

// addFileSeeds adds to f the sample documents whose names end in one of
// exts (all of them when exts is empty) and the smallest such files of the
// shared corpus, when it is present.
func addFileSeeds(f *testing.F, exts ...string) {
	f.Helper()
	match := func(name string) bool {
		return len(exts) == 0 || slices.ContainsFunc(exts, func(e string) bool { return strings.HasSuffix(name, e) })
	}
	samples, err := filepath.Glob(filepath.Join(fuzzSamples, "*"))
	if err != nil || len(samples) == 0 {
		f.Fatalf("no sample documents in %s", fuzzSamples)
	}
	type file struct {
		path string
		size int64
	}
	var small []file
	for _, sub := range []string{"edge", "pdf-zh", "docx-zh"} {
		ents, err := os.ReadDir(filepath.Join(fuzzCorpus, sub))
		if err != nil {
			continue // corpus absent: the samples and hand-made seeds remain
		}
		for _, e := range ents {
			info, err := e.Info()
			if err == nil && info.Mode().IsRegular() && info.Size() <= fuzzCorpusSize && match(e.Name()) {
				small = append(small, file{filepath.Join(fuzzCorpus, sub, e.Name()), info.Size()})
			}
		}
	}
	slices.SortFunc(small, func(a, b file) int {
		if a.size != b.size {
			return int(a.size - b.size)
		}
		return strings.Compare(a.path, b.path)
	})
	for _, s := range small[:min(len(small), fuzzCorpusMax)] {
		samples = append(samples, s.path)
	}
	for _, p := range samples {
		if !match(p) {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// guarded runs one extractor on data and fails t when it panics, runs past
// fuzzHang or grows the heap by more than fuzzMaxHeap.
func guarded(t *testing.T, x extractor, data []byte) (*Document, error) {
	t.Helper()
	type result struct {
		doc   *Document
		err   error
		panic string
	}
	done := make(chan result, 1)
	heap := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(heap)
	base := heap[0].Value.Uint64()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panic: fmt.Sprintf("%v\n%s", p, debug.Stack())}
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), fuzzDeadline)
		defer cancel()
		doc, err := x(ctx, bytes.NewReader(data), int64(len(data)), DefaultOptions())
		done <- result{doc: doc, err: err}
	}()
	hang := time.NewTimer(fuzzHang)
	defer hang.Stop()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case r := <-done:
			if r.panic != "" {
				t.Fatalf("panic: %s", r.panic)
			}
			return r.doc, r.err
		case <-hang.C:
			t.Fatalf("still running after %v (context deadline %v): hang", fuzzHang, fuzzDeadline)
		case <-tick.C:
			metrics.Read(heap)
			if grown := heap[0].Value.Uint64() - min(base, heap[0].Value.Uint64()); grown > fuzzMaxHeap {
				t.Fatalf("heap grew by %d MiB on a %d-byte input", grown>>20, len(data))
			}
		}
	}
}

// knownKinds are the Kinds an *Error may carry.
var knownKinds = []Kind{KindEncrypted, KindCorrupt, KindLimit, KindUnsupported, KindUnknown, KindNoText, KindIO, KindTimeout, KindCrash}

// Page numbering an extractor must keep for its own segments: 1-based for
// PDF pages, with 0 for what belongs to the whole document (properties,
// bookmarks, attachments, form fields on no page); 0 for formats without
// pages; either for formats that number sheets or slides and not their
// properties. Segments of a document inside the file (Inner set: an
// embedded object, an archive entry) keep that document's numbering,
// whatever its format.
var (
	pagedPage = func(s Segment) bool {
		switch s.Part {
		case PartMetadata, PartBookmark, PartAttachment, PartForm, PartHidden:
			// Of the document, not of a page: its properties, outline,
			// files, XFA form, and text after its end (hidden).
			return s.Page >= 0
		}
		return ownPages(func(p int) bool { return p >= 1 })(s)
	}
	unpagedPage = ownPages(func(p int) bool { return p == 0 })
	anyPage     = ownPages(func(p int) bool { return p >= 0 })
)

func ownPages(ok func(page int) bool) func(Segment) bool {
	return func(s Segment) bool {
		if s.Inner != "" {
			return s.Page >= 0
		}
		return ok(s.Page)
	}
}

// checkOutcome checks the contract every extractor keeps: a Document or an
// *Error, never both; a known Kind and a reason; reasons and review notes
// that quote nothing of the file; segments with a part and page numbers that
// fit the format.
func checkOutcome(t *testing.T, doc *Document, err error, pageOK func(Segment) bool) {
	t.Helper()
	checkReasons(t, doc, err)
	if err != nil {
		if doc != nil {
			t.Fatalf("returned a Document together with error %q", err)
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("error %T %q is not an *Error", err, err)
		}
		if !slices.Contains(knownKinds, e.Kind) || e.Reason == "" {
			t.Fatalf("error has kind %q and reason %q", e.Kind, e.Reason)
		}
		return
	}
	if doc == nil {
		t.Fatal("returned neither a Document nor an error")
	}
	var text int64
	for i, s := range doc.Segments {
		text += int64(len(s.Text))
		if s.Part == "" {
			t.Fatalf("segment %d has no part", i)
		}
		if !pageOK(s) {
			t.Fatalf("segment %d (%s) has page %d, inner %q", i, s.Part, s.Page, s.Inner)
		}
	}
	if text > DefaultOptions().MaxText {
		t.Fatalf("%d bytes of text, over MaxText", text)
	}
}

// reasonLeak returns what makes s unfit for a Reason or a Review note, or
// "": our sentences are English, so a byte that is not printable ASCII (a
// Han character, a control byte, a terminal escape) came from the file.
func reasonLeak(s string) string {
	if s == "" {
		return "empty"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return fmt.Sprintf("byte %#02x at %d is not printable ASCII", s[i], i)
		}
	}
	return ""
}

// checkReasons fails t when the Reason of err or a Review note of doc is
// not printable ASCII. The fuzz targets run it on every outcome.
func checkReasons(t testing.TB, doc *Document, err error) {
	t.Helper()
	var e *Error
	if errors.As(err, &e) {
		if why := reasonLeak(e.Reason); why != "" {
			t.Fatalf("reason %q: %s", e.Reason, why)
		}
	}
	if doc != nil {
		for _, r := range doc.Review {
			if why := reasonLeak(r); why != "" {
				t.Fatalf("review note %q: %s", r, why)
			}
		}
	}
}

// FuzzSniff checks that Sniff never panics, gives the same answer twice,
// and keeps its promises: a file any PDF reader opens (%PDF- near the
// start, no other signature) is read as PDF, a file unzip opens is read as
// a zip, a format that is skipped is the only reading of its file, and no
// text file passes for one.
func FuzzSniff(f *testing.F) {
	addFileSeeds(f)
	for _, s := range []string{"", "%PDF-1.7", "\xEF\xBB\xBFPK\x03\x04", "PK\x05\x06" + strings.Repeat("\x00", 18),
		"MZ" + strings.Repeat("x", 100), "ID3 机密", "\xFF\xFB\x90\x00", "\x00\x01\x00\x00\x00", "BM 机密",
		"\x00\x01\x00\x00\x00机密★5年 内部资料", "\x1A\x45\xDF\xA3\x93\x42\x82\x88matroska"} {
		f.Add([]byte(s))
	}
	f.Add(append([]byte("\x7FELF\x02\x01\x01\x00"), buildZip(f, zipEntry{"a.txt", "机密"})...))
	f.Add(storedZip(f, []string{"a.pdf"}, zipEntry{"a.pdf", "%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"}, zipEntry{"word/document.xml", "<w:document/>"}))
	f.Fuzz(func(t *testing.T, data []byte) {
		rs, err := sniff(bytes.NewReader(data), int64(len(data)))
		format, err2 := Sniff(bytes.NewReader(data), int64(len(data)))
		if (err == nil) != (err2 == nil) || KindOf(err) != KindOf(err2) || err == nil && format != rs[0].format {
			t.Fatalf("not deterministic: %v, %v then %q, %v", rs, err, format, err2)
		}
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || format != "" {
				t.Fatalf("failure %q (%T) with format %q", err, err, format)
			}
			checkReasons(t, nil, err)
			return
		}
		if format == "" || slices.ContainsFunc(rs, func(r reading) bool { return r.format == "" || r.off < 0 || r.off > int64(len(data)) }) {
			t.Fatalf("readings %v", rs)
		}
		has := func(ok func(Format) bool) bool {
			return slices.ContainsFunc(rs, func(r reading) bool { return ok(r.format) })
		}
		head := data[:min(len(data), sniffLen)]
		near := bytes.Contains(head[:min(len(head), pdfJunk+5)], []byte("%PDF-"))
		if near && !signed(format) && format != FormatPDF {
			t.Fatalf("format %q, but %%PDF- near the start", format)
		}
		if has(func(f Format) bool { return f == FormatPDF }) && !near && !bytes.Contains(data, []byte("startxref")) {
			t.Fatalf("read as PDF without %%PDF- near the start or a PDF at the end: %v", rs)
		}
		// A compound file keeps zips in its streams (see inOLE).
		if zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data))); err == nil && len(zr.File) > 0 && !has(zipFamily) && format != FormatOLE {
			t.Fatalf("archive/zip opens it, but it is read as %v", rs)
		}
		if noText(format) && (len(rs) > 1 || looksText(head, len(head) < len(data))) {
			t.Fatalf("%q, which is skipped unread, for text or beside another reading: %v", format, rs)
		}
	})
}

// FuzzSniffPrefixed puts arbitrary bytes in front of a document that says
// the marking: text, GB18030 text, a DOCX, a zip, a PDF. Whatever the
// prefix, the file is never skipped, and a file read without a reason for
// review has the marking; a zip that archive/zip (like unzip) opens behind
// the prefix is read, marking and all.
func FuzzSniffPrefixed(f *testing.F) {
	text := marking + " 内部资料，注意保存。\n"
	gb, err := simplifiedchinese.GB18030.NewEncoder().String(text)
	if err != nil {
		f.Fatal(err)
	}
	bodies := [][]byte{
		[]byte(text),
		[]byte(gb),
		docxZip(f, para(run(marking)), rels()),
		buildZip(f, zipEntry{"a/b.txt", text}),
		secretPDF(),
	}
	for _, p := range []string{"", "\x00\x01\x00\x00\x00", "true\x00", "OTTO\x00", "wOF2", "wOFF", "\x7FELF\x02\x01\x01\x00",
		"\xCF\xFA\xED\xFE", "\x1A\x45\xDF\xA3", "MZ", "ID3\x03\x00", "OggS\x00\x02", "RIFF", "\x1F\x8B", "%PDF-1.4\n", "PK\x03\x04"} {
		for i := range bodies {
			f.Add([]byte(p), uint8(i))
		}
	}
	for i := range bodies {
		f.Add(elfBytes(), uint8(i))
		f.Add(harmlessPDF(), uint8(i)) // polyglots: a PDF with a zip appended
		f.Add(bodies[2], uint8(i))     // a DOCX with something appended
	}
	f.Fuzz(func(t *testing.T, prefix []byte, which uint8) {
		body := bodies[int(which)%len(bodies)]
		data := append(slices.Clip(prefix), body...)
		doc, err := guarded(t, func(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error) {
			return Reader(ctx, r, size, opt)
		}, data)
		checkOutcome(t, doc, err, anyPage)
		if KindOf(err) == KindNoText {
			t.Fatalf("skipped: %v", err)
		}
		found := doc != nil && strings.Contains(allText(doc), marking)
		if doc != nil && len(doc.Review) == 0 && !found {
			t.Fatalf("read as %q without the marking and without review", doc.Format)
		}
		if unzipsMarking(data) && !found && KindOf(err) != KindTimeout {
			t.Fatalf("unzip reads the marking, baomi does not: %v, %v", doc, err)
		}
	})
}

// unzipsMarking says archive/zip, like unzip, opens data and reads the
// marking from the entry a test put it in, every entry being sound.
func unzipsMarking(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil || len(zr.File) == 0 {
		return false
	}
	found := false
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return false
		}
		b, err := io.ReadAll(io.LimitReader(rc, 1<<20))
		rc.Close()
		if err != nil {
			return false
		}
		if f.Name == "word/document.xml" || f.Name == "a/b.txt" {
			found = found || strings.Contains(string(b), marking)
		}
	}
	return found
}

// FuzzPDF runs the PDF extractor on arbitrary bytes.
func FuzzPDF(f *testing.F) {
	addFileSeeds(f, ".pdf")
	helv := func(b *pdftest.Builder) string {
		return fmt.Sprintf("/Font << /F1 %d 0 R >>", b.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
	}
	cjk := func(b *pdftest.Builder) string { return fmt.Sprintf("/Font << /F1 %d 0 R >>", pdftest.CJKFont(b)) }
	f.Add(pdftest.OnePage("BT /F1 12 Tf (Hello) Tj ET", "", "", helv))
	f.Add(pdftest.OnePage("BT /F1 12 Tf <00010002000300040005> Tj ET", "", "", cjk))
	f.Add(pdftest.OnePage("BT /F1 12 Tf <4142", "", "", helv))           // content ends inside a hex string
	f.Add(pdftest.OnePage("q Q Q BT /F1 12 Tf (x) Tj ET", "", "", helv)) // Q on an empty stack
	f.Add(pdftest.OnePage("", "", "/Annots [<< /Subtype /Text /Contents (a) >>]", nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := guarded(t, registered(FormatPDF), data)
		checkOutcome(t, doc, err, pagedPage)
	})
}

// asPart lets byte mutations reach an extractor's XML readers: a mutated
// byte inside a deflated zip entry mostly breaks the entry or its checksum,
// so an input that does not start like a zip is taken as the XML of the
// part called name and packed with the other entries. They are stored, not
// deflated: a deflate writer per entry would cost more than the extraction.
func asPart(t *testing.T, data []byte, name string, entries ...zipEntry) []byte {
	if bytes.HasPrefix(data, []byte("PK")) {
		return data
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range append(entries, zipEntry{name, string(data)}) {
		f, err := w.CreateHeader(&zip.FileHeader{Name: e.Name(), Method: zip.Store})
		if err == nil {
			_, err = f.Write([]byte(e.Body()))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// FuzzDOCX runs the DOCX extractor on arbitrary bytes; an input that is not
// a zip is the XML of word/document.xml.
func FuzzDOCX(f *testing.F) {
	addFileSeeds(f, ".docx", ".docm")
	f.Add(docxZip(f, `<w:p><w:r><w:t>机密★5年</w:t></w:r><w:r><w:delText>绝密</w:delText></w:r></w:p>`, rels()))
	f.Add(docxZip(f, `<w:p><w:r><w:t>x</w:t></w:r></w:p>`, "-"))
	f.Add(docxZip(f, para(run("正文")), rels(), zipEntry{"word/glossary/document.xml", glossaryPart(para(run("机密")))},
		zipEntry{"word/embeddings/a.docx", string(docxZip(f, para(run("嵌入")), rels()))}))
	f.Add([]byte(wDoc(para(run("机"), `<w:r><w:rPr><w:vanish/></w:rPr><w:t>密</w:t></w:r>`) + `<w:del><w:r><w:delText>绝密</w:delText></w:r></w:del>` +
		`<w:r><w:fldChar w:fldCharType="begin"/><w:instrText>TITLE</w:instrText></w:r><w:r><w:t>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = asPart(t, data, "word/document.xml", zipEntry{"word/_rels/document.xml.rels", rels()})
		doc, err := guarded(t, registered(FormatDOCX), data)
		checkOutcome(t, doc, err, unpagedPage)
	})
}

// FuzzXLSX runs the workbook extractor on arbitrary bytes; an input that is
// not a zip is the XML of both the only sheet and the shared strings.
func FuzzXLSX(f *testing.F) {
	addFileSeeds(f, ".xlsx", ".xlsm")
	f.Add(xlsxZip(f, [][3]string{
		{"公开", "", `<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>内部资料</t></is></c></row></sheetData>` +
			`<headerFooter><oddHeader>&amp;C机密</oddHeader></headerFooter>`},
		{"机密", "hidden", `<cols><col min="2" max="2" hidden="1"/></cols><sheetData><row r="2" hidden="1"><c r="B2" t="str"><v>绝密</v></c></row></sheetData>`},
	}, zipEntry{"xl/sharedStrings.xml", `<sst ` + ssNS + `><si><r><t>机</t></r><r><t>密★5年</t></r></si></sst>`}, core("预算")))
	f.Add([]byte(`<worksheet ` + ssNS + `><sheetData><row r="1"><c r="A1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><r><t>机</t></r><r><t>密</t></r></is></c>` +
		`</row></sheetData><si><t>内部</t></si><si><t>资料</t></si></worksheet>`))
	wb := zipEntry{"xl/workbook.xml", `<workbook ` + ssNS + `><sheets><sheet name="表" sheetId="1" r:id="rId1"/></sheets></workbook>`}
	wbRels := zipEntry{"xl/_rels/workbook.xml.rels", rels(rel("rId1", "worksheet", "worksheets/sheet1.xml"), rel("rId2", "sharedStrings", "sharedStrings.xml"))}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = asPart(t, data, "xl/worksheets/sheet1.xml", wb, wbRels, zipEntry{"xl/sharedStrings.xml", string(data)})
		doc, err := guarded(t, registered(FormatXLSX), data)
		checkOutcome(t, doc, err, anyPage)
	})
}

// FuzzPPTX runs the presentation extractor on arbitrary bytes; an input
// that is not a zip is the XML of the only slide.
func FuzzPPTX(f *testing.F) {
	addFileSeeds(f, ".pptx", ".pptm")
	f.Add(buildZip(f,
		zipEntry{"ppt/presentation.xml", `<p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`},
		zipEntry{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"))},
		zipEntry{"ppt/slides/slide1.xml", pSlide("sld", "", "机|密★5年")},
		zipEntry{"ppt/slides/_rels/slide1.xml.rels", rels(rel("rId1", "notesSlide", "../notesSlides/notesSlide1.xml"), rel("rId2", "comments", "../comments/comment1.xml"))},
		zipEntry{"ppt/notesSlides/notesSlide1.xml", pSlide("notes", "", "不得外传")},
		zipEntry{"ppt/comments/comment1.xml", `<p:cmLst ` + pNS + `><p:cm><p:text>批注</p:text></p:cm></p:cmLst>`},
		zipEntry{"ppt/slides/slide2.xml", pSlide("sld", ` show="0"`, "隐藏")},
	))
	f.Add([]byte(strings.Replace(pSlide("sld", "", "机|密", "第二<a:br/>行"), "</p:spTree>",
		`<p:pic><p:nvPicPr><p:cNvPr id="9" name="图" descr="印章"/></p:nvPicPr></p:pic></p:spTree>`, 1)))
	pres := zipEntry{"ppt/presentation.xml", `<p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`}
	presRels := zipEntry{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"))}
	f.Fuzz(func(t *testing.T, data []byte) {
		data = asPart(t, data, "ppt/slides/slide1.xml", pres, presRels)
		doc, err := guarded(t, registered(FormatPPTX), data)
		checkOutcome(t, doc, err, anyPage)
	})
}

// FuzzOFD runs the OFD extractor on arbitrary bytes; an input that is not
// a zip is the XML of the only page.
func FuzzOFD(f *testing.F) {
	addFileSeeds(f, ".ofd")
	f.Add(buildOFD(f))
	f.Add([]byte(ofdPage(ofdGlyphs("机密★5年", 20, 30, 5, []int{3, 0, 4, 2, 1}) +
		`<ofd:TextObject ID="80" Boundary="0 0 210 297" Size="3" CTM="2 0 0 2 0 0"><ofd:TextCode X="10" Y="20" DeltaX="g 3 3">内部资料</ofd:TextCode></ofd:TextObject>`)))
	// Glyph-like paths side by side (text drawn as paths), a damaged one.
	star := `<ofd:PathObject ID="%d" Boundary="%d 20 5 5" Fill="true" CTM="0.5 0 0 0.5 0 0"><ofd:FillColor Value="200 0 0"/>` +
		`<ofd:AbbreviatedData>M 5 0 L 6 3.5 L 10 3.5 L 7 6 Q 8 8 8 10 B 6 8 4 8 2 10 L 3 6 L 0 3.5 A 1 1 0 0 1 4 3.5 C</ofd:AbbreviatedData></ofd:PathObject>`
	var paths strings.Builder
	for i := range 5 {
		fmt.Fprintf(&paths, star, 100+i, 20+6*i)
	}
	paths.WriteString(`<ofd:PathObject ID="9" Boundary="0 0 5 5" Fill="true"><ofd:AbbreviatedData>M 0 0 L 1e999 B 1</ofd:AbbreviatedData></ofd:PathObject>`)
	f.Add([]byte(ofdPage(paths.String())))
	root := zipEntry{"OFD.xml", `<ofd:OFD ` + ofdNS + `><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`}
	index := zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`}
	// Composite units: one of text and a path, nested in one that uses
	// itself; DrawParams whose Relative chain loops.
	f.Add(buildZip(f, root,
		zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:CommonData><ofd:DocumentRes>Res.xml</ofd:DocumentRes></ofd:CommonData>` +
			`<ofd:Pages><ofd:Page ID="1" BaseLoc="Pages/Page_0/Content.xml"/></ofd:Pages></ofd:Document>`},
		zipEntry{"Doc_0/Res.xml", `<ofd:Res ` + ofdNS + `><ofd:DrawParams><ofd:DrawParam ID="5" Relative="6"/><ofd:DrawParam ID="6" Relative="5"/>` +
			`<ofd:DrawParam ID="7" Relative="5"><ofd:FillColor Value="200 200 200"/></ofd:DrawParam></ofd:DrawParams><ofd:CompositeGraphicUnits>` +
			`<ofd:CompositeGraphicUnit ID="70" Width="60" Height="10"><ofd:Content>` + ofdGlyphs("机密★5年", 0, 8, 5, []int{0, 1, 2, 3, 4}) + fmt.Sprintf(star, 100, 40) + `</ofd:Content></ofd:CompositeGraphicUnit>` +
			`<ofd:CompositeGraphicUnit ID="71" Width="60" Height="20"><ofd:Content><ofd:PageBlock DrawParam="5"><ofd:CompositeObject ID="1" ResourceID="70" Boundary="0 0 60 10"/>` +
			`<ofd:CompositeObject ID="2" ResourceID="71" Boundary="0 10 60 10" CTM="1 0 0 1 0 0"/></ofd:PageBlock></ofd:Content></ofd:CompositeGraphicUnit></ofd:CompositeGraphicUnits></ofd:Res>`},
		zipEntry{"Doc_0/Pages/Page_0/Content.xml", ofdPage(`<ofd:CompositeObject ID="1" ResourceID="71" Boundary="20 30 60 20" DrawParam="7"/><ofd:CompositeObject ID="2" ResourceID="70" Boundary="20 80 30 5"/>`)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = asPart(t, data, "Doc_0/Pages/Page_0/Content.xml", root, index)
		doc, err := guarded(t, registered(FormatOFD), data)
		checkOutcome(t, doc, err, anyPage)
	})
}

// FuzzArchive runs the zip archive extractor, which reads every entry
// through Reader, on arbitrary bytes. Its own segments all come from
// entries, so each names one.
func FuzzArchive(f *testing.F) {
	addFileSeeds(f, ".zip")
	docx := docxZip(f, para(run("机"), run("密★5年")), rels())
	f.Add(nestedZips(f, 3, zipEntry{"a.txt", "内部资料"}))
	f.Add(buildZip(f, zipEntry{"docs/", ""}, zipEntry{"b/c.docx", string(docx)}, zipEntry{"d.ofd", string(buildOFD(f))},
		zipEntry{"old.doc", string(cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}))},
		zipEntry{"pkg.bin", string(cfb.Build(cfb.Stream{Path: "\x01Ole10Native", Data: buildOle10Native(f, "a.txt", `C:\a.txt`, []byte("机密"))}))}))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := guarded(t, registered(FormatZIP), data)
		checkOutcome(t, doc, err, anyPage)
		if err == nil {
			for i, s := range doc.Segments {
				if s.Inner == "" {
					t.Fatalf("segment %d (%s) names no entry", i, s.Part)
				}
			}
		}
	})
}

// FuzzText runs the plain-text extractor on arbitrary bytes. It must always
// read them, as valid UTF-8, and give UTF-8 input back unchanged.
func FuzzText(f *testing.F) {
	addFileSeeds(f, ".txt", ".md")
	for _, s := range []string{"", "机密★5年\n", "\xEF\xBB\xBF内部资料", "\xFF\xFE\x3A\x67\xC6\x5B", "\xFE\xFF\x67\x3A\xD8\x00",
		"\xBB\xFA\xC3\xDC", "\x81\x30\x81\x30", "abc\xFFdef", "a\x00b"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := guarded(t, extractText, data)
		checkOutcome(t, doc, err, unpagedPage)
		if err != nil {
			t.Fatalf("text extraction failed: %v", err)
		}
		var text string
		for _, s := range doc.Segments {
			if !utf8.ValidString(s.Text) {
				t.Fatalf("segment %s is not valid UTF-8", s.Part)
			}
			text += s.Text
		}
		if utf8.Valid(data) {
			if want := strings.TrimPrefix(string(data), "\xEF\xBB\xBF"); text != want || len(doc.Review) > 0 {
				t.Fatalf("UTF-8 input read as %q (review %q), want %q", text, doc.Review, want)
			}
		}
	})
}

// FuzzReader runs the whole of extraction, sniffing included, on arbitrary
// bytes: the format it reports must be the one Sniff gives.
func FuzzReader(f *testing.F) {
	addFileSeeds(f)
	f.Add([]byte("机密★5年"))
	f.Add([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	// Minimal containers, so that mutations reach the readers of the
	// other zip-based formats and of archives.
	f.Add(buildZip(f, zipEntry{"xl/workbook.xml", `<workbook><sheets><sheet name="机密" r:id="rId1"/></sheets></workbook>`}))
	f.Add(buildZip(f, zipEntry{"ppt/presentation.xml", `<p:presentation/>`}))
	f.Add(buildZip(f, zipEntry{"OFD.xml", `<ofd:OFD/>`}))
	f.Add(buildZip(f, zipEntry{"a/b.txt", "机密★5年"}, zipEntry{"c.docx", "PK\x05\x06"}))
	// An object read by its presentation (a formula's WMF).
	f.Add(cfb.Build(cfb.Stream{Path: "Equation Native", Data: []byte("eq")}, cfb.Stream{Path: "\x02OlePres000", Data: olePres(cfMetafilePict, metafiletest.WMF(metafiletest.WMFTextOut(1, 1, []byte("ab")))[22:], 0)}))
	// A formula read by its MTEF data.
	f.Add(cfb.Build(cfb.Stream{Path: "Equation Native", Data: equation(5, "机密★5年", false)}))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := guarded(t, func(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error) {
			return Reader(ctx, r, size, opt)
		}, data)
		format, serr := Sniff(bytes.NewReader(data), int64(len(data)))
		checkOutcome(t, doc, err, anyPage)
		switch {
		case serr != nil:
			if err == nil {
				t.Fatalf("read as %q although Sniff failed: %v", doc.Format, serr)
			}
		case err != nil:
			if !sameFormat(FormatOf(err), format) {
				t.Fatalf("error records format %q, Sniff says %q", FormatOf(err), format)
			}
			if KindOf(err) == KindNoText && !noText(format) {
				t.Fatalf("%q skipped as carrying no text", format)
			}
		case !sameFormat(doc.Format, format):
			t.Fatalf("document has format %q, Sniff says %q", doc.Format, format)
		}
	})
}

// sameFormat reports whether a file sniffed as sniffed may be read as
// read: a compound file is sniffed as such, and its reader names the
// Office 97-2003 format it holds.
func sameFormat(read, sniffed Format) bool {
	return read == sniffed || sniffed == FormatOLE && (read == FormatDOC || read == FormatXLS || read == FormatPPT)
}

// acDocument builds the body of a document.xml from shape, one paragraph
// of nested mc:AlternateContent: each byte (modulo 6) opens an
// AlternateContent, a Choice (of a known or unknown namespace) or the
// Fallback, closes the innermost open element, writes a run of text or
// opens a text box. The
// marking goes at the start of the branch numbered at (modulo the number of
// branches), or after the paragraph when there is none. Elements always
// nest and close correctly.
func acDocument(shape []byte, at int, mark string) string {
	const maxOpen = 30 // a text box is six elements: keeps under MaxXMLDepth
	build := func(markAt int) (string, int) {
		var b strings.Builder
		var open []string // closing tags, innermost last
		branches := 0
		branch := func(tag string) {
			b.WriteString(tag)
			if branches == markAt {
				b.WriteString(run(mark))
			}
			branches++
		}
		inAC := func() bool { return len(open) > 0 && open[len(open)-1] == "</mc:AlternateContent>" }
		b.WriteString("<w:p>")
		for _, c := range shape {
			if len(open) >= maxOpen && c%6 != 3 {
				continue
			}
			switch c % 6 {
			case 0, 1, 2:
				// 0 opens an AlternateContent, or a Choice directly in
				// one; 1 and 2 a Choice or the Fallback, in a new
				// AlternateContent unless directly in one.
				if !inAC() {
					b.WriteString(`<mc:AlternateContent>`)
					open = append(open, "</mc:AlternateContent>")
					if c%6 == 0 {
						break
					}
				}
				if c%6 == 2 {
					branch(`<mc:Fallback>`)
					open = append(open, "</mc:Fallback>")
				} else {
					branch(`<mc:Choice Requires="` + [...]string{"wps", "foo", "w14"}[int(c/6)%3] + `">`)
					open = append(open, "</mc:Choice>")
				}
			case 3:
				if len(open) > 0 {
					b.WriteString(open[len(open)-1])
					open = open[:len(open)-1]
				}
			case 4:
				if !inAC() {
					b.WriteString(run([...]string{"公开", "框内", "正文"}[int(c/6)%3]))
				}
			case 5:
				if !inAC() {
					b.WriteString(`<w:r><w:pict><v:shape><v:textbox><w:txbxContent><w:p>`)
					open = append(open, `</w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>`)
				}
			}
		}
		for i := len(open) - 1; i >= 0; i-- {
			b.WriteString(open[i])
		}
		b.WriteString("</w:p>")
		return b.String(), branches
	}
	_, n := build(-1)
	if n == 0 {
		body, _ := build(-1)
		return body + para(run(mark))
	}
	body, _ := build(at % n)
	return body
}

// FuzzAlternateContent builds DOCX files of nested mc:AlternateContent
// (see acDocument) with the marking in one branch: wherever it is, the
// marking must be read, whole, in one segment.
func FuzzAlternateContent(f *testing.F) {
	f.Add([]byte{1, 5, 4, 3, 3, 2, 5, 4}, uint8(1))             // text box: Choice, then Fallback
	f.Add([]byte{1, 4, 3, 7, 4, 3, 2, 4}, uint8(1))             // second Choice of an unknown namespace
	f.Add([]byte{1, 0, 4, 3, 2, 4, 3, 3, 2, 4}, uint8(2))       // nested in the Choice
	f.Add([]byte{2, 4, 3, 1, 4}, uint8(1))                      // a Choice after the Fallback
	f.Add([]byte{4, 5, 1, 5, 2, 4, 3, 3, 3, 3, 2, 4}, uint8(3)) // in a text box in a branch
	f.Fuzz(func(t *testing.T, shape []byte, at uint8) {
		const mark = "机密★5年"
		if len(shape) > 200 {
			return
		}
		body := acDocument(shape, int(at), mark)
		doc, err := guarded(t, registered(FormatDOCX), docxZip(t, body, rels()))
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		for _, s := range doc.Segments {
			if strings.Contains(s.Text, mark) {
				return
			}
		}
		t.Fatalf("marking not found in\n%s\nsegments:\n%s", body, showPages(doc.Segments))
	})
}

// FuzzZipDeclaredSize reads an entry through the zip guard whatever
// inflated size it declares: the bytes read must be the entry's own.
func FuzzZipDeclaredSize(f *testing.F) {
	for _, declared := range []uint64{0, 1, 5, 100, 1 << 20} {
		f.Add([]byte("机密★5年"), declared, false)
		f.Add([]byte(strings.Repeat("机密", 500)), declared, true)
	}
	f.Fuzz(func(t *testing.T, body []byte, declared uint64, stored bool) {
		method := uint16(zip.Deflate)
		if stored {
			method = zip.Store
		}
		// Up to 1 MiB: larger declared sizes are checked against the
		// ratio and the limits before anything is read.
		declared %= ratioMinSize + 1
		data := buildRawZip(t, lying(t, zipEntry{"a", string(body)}, method, declared))
		got, err := readAll(t, data, Options{}, "a")
		if err != nil || !bytes.Equal(got, body) {
			t.Fatalf("read %d bytes, err %v; want the entry's %d bytes", len(got), err, len(body))
		}
	})
}

// FuzzArchiveDeclaredSizes runs the archive extractor on archives whose
// entries declare sizes of 0, carry folder names or share a name: mutations
// reach the guard's own reading of entries.
func FuzzArchiveDeclaredSizes(f *testing.F) {
	const mark = "机密★5年"
	docx := docxZip(f, para(run(mark)), rels())
	f.Add(buildRawZip(f, lying(f, zipEntry{"a.txt", mark}, zip.Deflate, 0), lying(f, zipEntry{"b/c.docx", string(docx)}, zip.Store, 0)))
	f.Add(buildRawZip(f, lying(f, zipEntry{"a.txt", mark}, zip.Store, 3), lying(f, zipEntry{"a.txt", mark}, zip.Deflate, 1000)))
	f.Add(asFolder(f, buildRawZip(f, lying(f, zipEntry{"dir/a.txt", mark}, zip.Deflate, 0)), "dir/a.txt", "dir/a.tx/"))
	f.Add(buildRawZip(f, lying(f, zipEntry{"in.docx", string(rawDOCX(f, map[string]uint64{"word/document.xml": 0}, para(run(mark))))}, zip.Deflate, 0)))
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := guarded(t, registered(FormatZIP), data)
		checkOutcome(t, doc, err, anyPage)
	})
}
