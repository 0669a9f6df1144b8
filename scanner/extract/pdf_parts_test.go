package extract

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"
)

// utf16Hex is s as a PDF hex string in UTF-16BE with a byte order mark.
func utf16Hex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// zlibString compresses data for a /FlateDecode stream.
func zlibString(data []byte) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.String()
}

// pdfParts describes the document-level parts of a test PDF.
type pdfParts struct {
	info     string // the information dictionary, "" for none
	xmp      string // the XMP packet, "" for none
	outline  func(b *pdfBuilder) int
	files    map[string][]byte // embedded files by name (name tree)
	annotFS  bool              // also attach the first file by a FileAttachment annotation
	rawFiles string            // extra /Names entries, written as is
}

// buildPartsPDF builds a one-page PDF (body 机密★5年) with the given parts.
func buildPartsPDF(p pdfParts) []byte {
	b := &pdfBuilder{}
	b.add("") // catalog
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("") // page
	c := b.add(pdfStream("", "BT /F1 12 Tf 10 100 Td <0001000200030004> Tj ET"))
	font := cjkFont(b)
	cat := "/Type /Catalog /Pages 2 0 R"
	if p.xmp != "" {
		cat += fmt.Sprintf(" /Metadata %d 0 R", b.add(pdfStream("/Type /Metadata /Subtype /XML", p.xmp)))
	}
	if p.outline != nil {
		cat += fmt.Sprintf(" /Outlines %d 0 R", p.outline(b))
	}
	names := p.rawFiles
	first := 0
	for _, name := range sortedKeys(p.files) {
		ef := b.add(pdfStream("/Type /EmbeddedFile /Filter /FlateDecode", zlibString(p.files[name])))
		fs := b.add(fmt.Sprintf("<< /Type /Filespec /F (%s) /UF %s /Desc (about %s) /EF << /F %d 0 R >> >>", name, utf16Hex(name), name, ef))
		if first == 0 {
			first = fs
		}
		names += fmt.Sprintf(" (%s) %d 0 R", name, fs)
	}
	if names != "" {
		cat += " /Names << /EmbeddedFiles << /Names [" + names + "] >> >>"
	}
	annots := ""
	if p.annotFS && first != 0 {
		annots = fmt.Sprintf("/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS %d 0 R >>]", first)
	}
	b.objs[0] = "<< " + cat + " >>"
	b.objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> %s >>", c, font, annots)
	trailer := ""
	if p.info != "" {
		trailer = fmt.Sprintf("/Info %d 0 R", b.add(p.info))
	}
	return b.bytes(trailer)
}

func sortedKeys(m map[string][]byte) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	for i := range ks {
		for j := i + 1; j < len(ks); j++ {
			if ks[j] < ks[i] {
				ks[i], ks[j] = ks[j], ks[i]
			}
		}
	}
	return ks
}

// nestedOutline builds: 第一章 (children 机密附件, 绝密) → 第二章, whose
// /Next points back to 第一章 (a cycle).
func nestedOutline(b *pdfBuilder) int {
	root := b.add("")
	ch1 := b.add("")
	sub1 := b.add("")
	sub2 := b.add("")
	ch2 := b.add("")
	b.objs[root-1] = fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R >>", ch1, ch2)
	b.objs[ch1-1] = fmt.Sprintf("<< /Title %s /Parent %d 0 R /First %d 0 R /Last %d 0 R /Next %d 0 R >>", utf16Hex("第一章"), root, sub1, sub2, ch2)
	b.objs[sub1-1] = fmt.Sprintf("<< /Title %s /Parent %d 0 R /Next %d 0 R >>", utf16Hex("机密附件"), ch1, sub2)
	b.objs[sub2-1] = fmt.Sprintf("<< /Title %s /Parent %d 0 R /Prev %d 0 R /Next %d 0 R >>", utf16Hex("绝密"), ch1, sub1, sub1)
	b.objs[ch2-1] = fmt.Sprintf("<< /Title (Chapter 2) /Parent %d 0 R /Prev %d 0 R /Next %d 0 R >>", root, ch1, ch1)
	return root
}

const testXMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Keywords="秘密 关键词">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">内部资料</rdf:li></rdf:Alt></dc:title>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">注意保存</rdf:li></rdf:Alt></dc:description>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`

// partsOf collects the text of doc's segments by part and inner path.
func partsOf(doc *Document) map[string]string {
	m := map[string]string{}
	for _, s := range doc.Segments {
		k := string(s.Part)
		if s.Inner != "" {
			k += "@" + s.Inner
		}
		if m[k] != "" {
			m[k] += "\n"
		}
		m[k] += s.Text
	}
	return m
}

// TestPDFDocumentParts: metadata, bookmarks and attachments of hand-built
// PDFs come out as their parts, and what cannot be read is a review note.
func TestPDFDocumentParts(t *testing.T) {
	docx := docxZip(t, para(run("绝密★10年")), "-")
	inner := buildPartsPDF(pdfParts{files: map[string][]byte{"x.docx": docx}})
	cases := []struct {
		name   string
		parts  pdfParts
		want   map[string]string // part[@inner] → text it contains
		absent []string          // part[@inner] that must not be there
		review []string          // substrings of review notes, in order
	}{
		{
			name: "info",
			parts: pdfParts{info: "<< /Title " + utf16Hex("机密★5年") + " /Author (Zhang San) /Producer (\x92\x8d Writer) /CreationDate (D:20260101) /Classification " +
				utf16Hex("内部") + " /Company <C4DAB2BFD7CAC1CF> >>"},
			want: map[string]string{"metadata": "机密★5年\nZhang San\n™“ Writer\nClassification: 内部\nCompany: 内部资料"},
		},
		{
			name:  "xmp and info deduplicated",
			parts: pdfParts{info: "<< /Title " + utf16Hex("内部资料") + " >>", xmp: testXMP},
			want:  map[string]string{"metadata": "内部资料\n秘密 关键词\n注意保存"},
		},
		{
			name:   "damaged xmp",
			parts:  pdfParts{xmp: "<x:xmpmeta><dc:title>机密</dc:title><a b=\"></x:xmpmeta>"},
			want:   map[string]string{"metadata": "机密"},
			review: []string{"XMP metadata is damaged"},
		},
		{
			name:   "bookmarks nested with a cycle",
			parts:  pdfParts{outline: nestedOutline},
			want:   map[string]string{"bookmark": "第一章\n机密附件\n绝密\nChapter 2"},
			absent: []string{"metadata"},
		},
		{
			name:  "attached docx, also by annotation",
			parts: pdfParts{files: map[string][]byte{"x.docx": docx}, annotFS: true},
			want: map[string]string{
				"body@x.docx":       "绝密★10年",
				"attachment@x.docx": "x.docx\nabout x.docx",
				"body":              "机密★5",
			},
		},
		{
			name:  "attached pdf holding a docx",
			parts: pdfParts{files: map[string][]byte{"inner.pdf": inner}},
			want: map[string]string{
				"body@inner.pdf":              "机密★5",
				"body@inner.pdf!x.docx":       "绝密★10年",
				"attachment@inner.pdf!x.docx": "x.docx",
			},
		},
		{
			name:   "broken attachment",
			parts:  pdfParts{files: map[string][]byte{"bad.docx": docx[:len(docx)/2], "ok.docx": docx}},
			want:   map[string]string{"body@ok.docx": "绝密★10年", "attachment@bad.docx": "bad.docx"},
			review: []string{"attachment 1: damaged zip container"},
		},
		{
			name:   "attachment without data",
			parts:  pdfParts{rawFiles: "(gone.pdf) << /F (gone.pdf) /EF << /F 999 0 R >> >>"},
			want:   map[string]string{"attachment@gone.pdf": "gone.pdf"},
			review: []string{"attachment 1: its data is missing"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err, done := runPDF(t, buildPartsPDF(c.parts), Options{}, 5*time.Second)
			if !done {
				t.Fatal("did not finish in 5 s")
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := partsOf(doc)
			for k, w := range c.want {
				if !strings.Contains(got[k], w) {
					t.Errorf("%s = %q, want it to contain %q (all: %q)", k, got[k], w, got)
				}
			}
			for _, k := range c.absent {
				if _, ok := got[k]; ok {
					t.Errorf("unexpected %s segment %q", k, got[k])
				}
			}
			if len(doc.Review) != len(c.review) {
				t.Fatalf("review = %q, want %d notes like %q", doc.Review, len(c.review), c.review)
			}
			for i, r := range c.review {
				if !strings.Contains(doc.Review[i], r) {
					t.Errorf("review[%d] = %q, want %q", i, doc.Review[i], r)
				}
			}
		})
	}
}

// TestPDFDocumentPartsLimits: an attachment larger than what is left of
// MaxInflated fails the file, and deep outlines stay bounded.
func TestPDFDocumentPartsLimits(t *testing.T) {
	big := bytes.Repeat([]byte("机密 "), 100000)
	data := buildPartsPDF(pdfParts{files: map[string][]byte{"big.txt": big}})
	_, err, done := runPDF(t, data, Options{MaxInflated: 100000}, 5*time.Second)
	if !done || KindOf(err) != KindLimit {
		t.Fatalf("err = %v (done %v), want a limit", err, done)
	}

	// A chain of 3000 nested bookmarks: read to the depth bound, no hang.
	deep := func(b *pdfBuilder) int {
		root := b.add("")
		prev := root
		for i := 0; i < 3000; i++ {
			n := b.add("")
			b.objs[prev-1] = fmt.Sprintf("<< /Title (level %d) /First %d 0 R >>", i, n)
			prev = n
		}
		b.objs[prev-1] = "<< /Title (last) >>"
		return root
	}
	doc, err, done := runPDF(t, buildPartsPDF(pdfParts{outline: deep}), Options{}, 20*time.Second)
	if !done || err != nil {
		t.Fatalf("err = %v (done %v)", err, done)
	}
	if len(doc.Review) != 1 || !strings.Contains(doc.Review[0], "bookmarks") {
		t.Errorf("review = %q, want a note on bookmarks left unread", doc.Review)
	}
	if n := strings.Count(partsOf(doc)["bookmark"], "\n") + 1; n != pdfMaxTreeDepth {
		t.Errorf("read %d nested bookmarks, want the depth bound %d", n, pdfMaxTreeDepth)
	}
}
