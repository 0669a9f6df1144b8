package extract

import (
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// buildOle10Native builds a Windows Packager stream holding a file.
func buildOle10Native(t testing.TB, label, path string, data []byte) []byte {
	var b []byte
	b = binary.LittleEndian.AppendUint16(b, 2)
	b = append(append(b, gb18030(t, label)...), 0)
	b = append(append(b, gb18030(t, path)...), 0)
	b = append(b, 0, 0, 3, 0)
	tmp := append([]byte(gb18030(t, `C:\Temp\`+label)), 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(tmp)))
	b = append(b, tmp...)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	return append(binary.LittleEndian.AppendUint32(nil, uint32(len(b))), b...)
}

// Objects embedded in a DOCX are read as documents of their own: Office
// files as they are, PDFs through the PDF extractor, OLE objects unwrapped.
func TestEmbeddedObjects(t *testing.T) {
	pdf, err := os.ReadFile(filepath.Join("..", "..", "samples", "docs", "秘密文件.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	inner := docxZip(t, para(run("嵌入的机密★5年")), rels())
	data := docxZip(t, para(run("正文")), rels(),
		zipEntry{"word/embeddings/Microsoft_Word_Document.docx", string(inner)},
		zipEntry{"word/embeddings/report.pdf", string(pdf)},
		zipEntry{"word/embeddings/oleObject1.bin", string(cfb.Build(cfb.Stream{Path: "\x01CompObj", Data: []byte("x")}, cfb.Stream{Path: "CONTENTS", Data: pdf}))},
		zipEntry{"word/embeddings/oleObject2.bin", string(cfb.Build(cfb.Stream{Path: "\x01Ole10Native", Data: buildOle10Native(t, "机密附件.txt", `C:\Users\张三\机密附件.txt`, []byte("内部资料，注意保存"))}))},
		zipEntry{"word/embeddings/oleObject3.bin", string(cfb.Build(cfb.Stream{Path: "Package", Data: inner}))},
		zipEntry{"word/embeddings/oleObject4.bin", string(cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}))},
	)
	doc, err := extractBytes(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][]Segment{}
	for _, s := range doc.Segments {
		got[s.Inner] = append(got[s.Inner], s)
	}
	if want := []Segment{{Part: PartBody, Text: "正文"}}; !slices.Equal(got[""], want) {
		t.Errorf("own segments: %s", showPages(got[""]))
	}
	for _, name := range []string{"word/embeddings/Microsoft_Word_Document.docx", "word/embeddings/oleObject3.bin"} {
		if want := []Segment{{Part: PartBody, Inner: name, Text: "嵌入的机密★5年"}}; !slices.Equal(got[name], want) {
			t.Errorf("%s: %s", name, showPages(got[name]))
		}
	}
	for _, name := range []string{"word/embeddings/report.pdf", "word/embeddings/oleObject1.bin"} {
		segs := got[name]
		if len(segs) < 2 || segs[0].Page != 1 || !strings.Contains(strings.Join(strings.Fields(segs[0].Text), ""), "秘密") {
			t.Errorf("%s: %s", name, showPages(segs))
		}
	}
	want := []Segment{
		{Part: PartEmbedded, Inner: "word/embeddings/oleObject2.bin", Text: "机密附件.txt\nC:\\Users\\张三\\机密附件.txt"},
		{Part: PartBody, Inner: "word/embeddings/oleObject2.bin", Text: "内部资料，注意保存"},
	}
	if !slices.Equal(got["word/embeddings/oleObject2.bin"], want) {
		t.Errorf("packager object: %s", showPages(got["word/embeddings/oleObject2.bin"]))
	}
	wantReview := "entry 10: damaged Word document: the file information block is cut short"
	if len(doc.Review) != 1 || doc.Review[0] != wantReview {
		t.Errorf("review = %q, want %q", doc.Review, wantReview)
	}
}

// Workbooks and presentations read their embeddings too.
func TestEmbeddedInXLSXAndPPTX(t *testing.T) {
	inner := zipEntry{"xl/embeddings/x.docx", string(docxZip(t, para(run("机密")), rels()))}
	x := xlsxZip(t, [][3]string{{"a", "", ""}}, inner)
	pInner := zipEntry{"ppt/embeddings/x.docx", inner.Body()}
	p := buildZip(t, zipEntry{"ppt/presentation.xml", `<p:presentation ` + pNS + `/>`}, pInner)
	for name, c := range map[string]struct {
		x    extractor
		data []byte
		path string
	}{"xlsx": {registered(FormatXLSX), x, inner.Name()}, "pptx": {registered(FormatPPTX), p, pInner.Name()}} {
		doc, err := extractWith(t, c.x, c.data)
		if err != nil {
			t.Fatal(err)
		}
		last := doc.Segments[len(doc.Segments)-1]
		if last.Inner != c.path || last.Text != "机密" {
			t.Errorf("%s: %s", name, showPages(doc.Segments))
		}
	}
}

// Real embeddings from the corpus: a PDF in an OLE object, legacy Office
// files, and zips nested four deep in a Packager object.
func TestEmbeddedInCorpus(t *testing.T) {
	dir := corpusDir(t, "edge")
	cases := []struct {
		file   string
		inner  string // a segment's Inner
		text   string // in that segment
		review []string
	}{
		{"tika__EmbeddedPDF.docx", "word/embeddings/oleObject1.bin", "embedded as an icon", nil},
		{"poi__WordWithAttachments.docx", "word/embeddings/_____Microsoft_Office_Excel1.xlsx", "", nil},
		{"tika__test_recursive_embedded.docx", "word/embeddings/oleObject1.bin!embed1/embed2.zip!embed2/embed3.zip!embed3/embed4.zip!embed4.txt", "embed_4", nil},
	}
	for _, c := range cases {
		t.Run(c.file, func(t *testing.T) {
			doc, err := File(context.Background(), filepath.Join(dir, c.file), Options{})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, s := range doc.Segments {
				found = found || s.Inner == c.inner && strings.Contains(s.Text, c.text)
			}
			if !found {
				t.Errorf("no segment from %s containing %q: %s", c.inner, c.text, showPages(doc.Segments))
			}
			review := strings.Join(doc.Review, "\n")
			for _, r := range c.review {
				if !strings.Contains(review, r) {
					t.Errorf("review %q lacks %q", doc.Review, r)
				}
			}
		})
	}
}
