package pdf

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// nestedOutline builds: 第一章 (children 机密附件, 绝密) → 第二章, whose
// /Next points back to 第一章 (a cycle).
func nestedOutline(b *pdftest.Builder) int {
	root := b.Add("")
	ch1 := b.Add("")
	sub1 := b.Add("")
	sub2 := b.Add("")
	ch2 := b.Add("")
	b.Objs[root-1] = fmt.Sprintf("<< /Type /Outlines /First %d 0 R /Last %d 0 R >>", ch1, ch2)
	b.Objs[ch1-1] = fmt.Sprintf("<< /Title %s /Parent %d 0 R /First %d 0 R /Last %d 0 R /Next %d 0 R >>", pdftest.UTF16Hex("第一章"), root, sub1, sub2, ch2)
	b.Objs[sub1-1] = fmt.Sprintf("<< /Title %s /Parent %d 0 R /Next %d 0 R >>", pdftest.UTF16Hex("机密附件"), ch1, sub2)
	b.Objs[sub2-1] = fmt.Sprintf("<< /Title %s /Parent %d 0 R /Prev %d 0 R /Next %d 0 R >>", pdftest.UTF16Hex("绝密"), ch1, sub1, sub1)
	b.Objs[ch2-1] = fmt.Sprintf("<< /Title (Chapter 2) /Parent %d 0 R /Prev %d 0 R /Next %d 0 R >>", root, ch1, ch1)
	return root
}

const testXMP = `<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:pdf="http://ns.adobe.com/pdf/1.3/" pdf:Keywords="秘密 关键词">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">内部资料</rdf:li></rdf:Alt></dc:title>
<dc:description><rdf:Alt><rdf:li xml:lang="x-default">注意保存</rdf:li></rdf:Alt></dc:description>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`

// TestPDFDocumentParts: metadata, bookmarks and attachments of hand-built
// PDFs come out as their parts, and what cannot be read is a review note.
func TestPDFDocumentParts(t *testing.T) {
	docx := ziptest.DOCX(t, ziptest.Para(ziptest.Run("绝密★10年")), "-")
	inner := pdftest.BuildParts(pdftest.Parts{Files: map[string][]byte{"x.docx": docx}})
	cases := []struct {
		name   string
		parts  pdftest.Parts
		want   map[string]string // part[@inner] → text it contains
		absent []string          // part[@inner] that must not be there
		review []string          // substrings of review notes, in order
	}{
		{
			name: "info",
			parts: pdftest.Parts{Info: "<< /Title " + pdftest.UTF16Hex("机密★5年") + " /Author (Zhang San) /Producer (\x92\x8d Writer) /CreationDate (D:20260101) /Classification " +
				pdftest.UTF16Hex("内部") + " /Company <C4DAB2BFD7CAC1CF> >>"},
			want: map[string]string{"metadata": "机密★5年\nZhang San\n™“ Writer\nClassification: 内部\nCompany: 内部资料"},
		},
		{
			name: "an XFA form: its template's text and its data, not its scripts",
			parts: pdftest.Parts{XFA: []string{
				"preamble", `<xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">`,
				"template", `<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform><draw><value><text>机密★5年</text></value></draw>` +
					`<field name="title"><caption><value><text>标题</text></value></caption><event><script contentType="application/x-javascript">app.alert("x")</script></event></field></subform></template>`,
				"datasets", `<xfa:datasets xmlns:xfa="http://www.xfa.org/schema/xfa-data/1.0/"><xfa:data><form1><title>内部资料</title></form1></xfa:data></xfa:datasets>`,
				"postamble", `</xdp:xdp>`,
			}},
			want: map[string]string{"form": "机密★5年\n标题\n内部资料"},
		},
		{
			name:   "a damaged XFA form: what was read, and review",
			parts:  pdftest.Parts{XFA: []string{"template", `<template><draw><text>机密</text></draw><draw><text>未完`}},
			want:   map[string]string{"form": "机密"},
			review: []string{"XFA form is damaged"},
		},
		{
			name:  "xmp and info deduplicated",
			parts: pdftest.Parts{Info: "<< /Title " + pdftest.UTF16Hex("内部资料") + " >>", XMP: testXMP},
			want:  map[string]string{"metadata": "内部资料\n秘密 关键词\n注意保存"},
		},
		{
			name:   "damaged xmp",
			parts:  pdftest.Parts{XMP: "<x:xmpmeta><dc:title>机密</dc:title><a b=\"></x:xmpmeta>"},
			want:   map[string]string{"metadata": "机密"},
			review: []string{"XMP metadata is damaged"},
		},
		{
			name:   "bookmarks nested with a cycle",
			parts:  pdftest.Parts{Outline: nestedOutline},
			want:   map[string]string{"bookmark": "第一章\n机密附件\n绝密\nChapter 2"},
			absent: []string{"metadata"},
		},
		{
			name:  "attached docx, also by annotation",
			parts: pdftest.Parts{Files: map[string][]byte{"x.docx": docx}, AnnotFS: true},
			want: map[string]string{
				"body@x.docx":       "绝密★10年",
				"attachment@x.docx": "x.docx\nabout x.docx",
				"body":              "机密★5",
			},
		},
		{
			name:  "attached pdf holding a docx",
			parts: pdftest.Parts{Files: map[string][]byte{"inner.pdf": inner}},
			want: map[string]string{
				"body@inner.pdf":              "机密★5",
				"body@inner.pdf!x.docx":       "绝密★10年",
				"attachment@inner.pdf!x.docx": "x.docx",
			},
		},
		{
			name:   "broken attachment",
			parts:  pdftest.Parts{Files: map[string][]byte{"bad.docx": docx[:len(docx)/2], "ok.docx": docx}},
			want:   map[string]string{"body@ok.docx": "绝密★10年", "attachment@bad.docx": "bad.docx"},
			review: []string{"attachment 1: damaged zip container"},
		},
		{
			name:   "attachment without data",
			parts:  pdftest.Parts{RawFiles: "(gone.pdf) << /F (gone.pdf) /EF << /F 999 0 R >> >>"},
			want:   map[string]string{"attachment@gone.pdf": "gone.pdf"},
			review: []string{"attachment 1: its data is missing"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err, done := runPDF(t, pdftest.BuildParts(c.parts), extract.Options{}, 5*time.Second)
			if !done {
				t.Fatal("did not finish in 5 s")
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			got := doctest.Parts(doc, "\n")
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
	data := pdftest.BuildParts(pdftest.Parts{Files: map[string][]byte{"big.txt": big}})
	_, err, done := runPDF(t, data, extract.Options{MaxInflated: 100000}, 5*time.Second)
	if !done || extract.KindOf(err) != extract.KindLimit {
		t.Fatalf("err = %v (done %v), want a limit", err, done)
	}

	// A chain of 3000 nested bookmarks: read to the depth bound, no hang.
	deep := func(b *pdftest.Builder) int {
		root := b.Add("")
		prev := root
		for i := 0; i < 3000; i++ {
			n := b.Add("")
			b.Objs[prev-1] = fmt.Sprintf("<< /Title (level %d) /First %d 0 R >>", i, n)
			prev = n
		}
		b.Objs[prev-1] = "<< /Title (last) >>"
		return root
	}
	doc, err, done := runPDF(t, pdftest.BuildParts(pdftest.Parts{Outline: deep}), extract.Options{}, 20*time.Second)
	if !done || err != nil {
		t.Fatalf("err = %v (done %v)", err, done)
	}
	if len(doc.Review) != 1 || !strings.Contains(doc.Review[0], "bookmarks") {
		t.Errorf("review = %q, want a note on bookmarks left unread", doc.Review)
	}
	if n := strings.Count(doctest.Parts(doc, "\n")["bookmark"], "\n") + 1; n != pdfMaxTreeDepth {
		t.Errorf("read %d nested bookmarks, want the depth bound %d", n, pdfMaxTreeDepth)
	}
}
