package pdf

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// pdfMarkingOps shows 机密★5年 with the font /F1 of cjkFont.
const pdfMarkingOps = "BT /F1 12 Tf 10 100 Td <00010002000300040005> Tj ET"

// pagesWith builds a one-page PDF whose /Contents is the array of the
// given stream objects, with cjkFont as /F1, or a ToUnicode stream written
// as toUnicode when that is not empty.
func pagesWith(toUnicode string, streams ...string) []byte {
	b := &pdftest.Builder{}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.Add("") // the page
	font := 0
	if toUnicode == "" {
		font = pdftest.CJKFont(b)
	} else {
		tu := b.Add(toUnicode)
		font = b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
	}
	var refs []string
	for _, s := range streams {
		refs = append(refs, fmt.Sprintf("%d 0 R", b.Add(s)))
	}
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents [%s] /Resources << /Font << /F1 %d 0 R >> >> >>", strings.Join(refs, " "), font)
	return b.Bytes("")
}

// brokenFlate is a FlateDecode stream of content cut off at three quarters
// of its compressed bytes: what comes before the break inflates.
func brokenFlate(content string) string {
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write([]byte(content))
	for i := range 3000 {
		fmt.Fprintf(zw, " %d %d m", i*7919%10007, i*104729%10009)
	}
	zw.Close()
	return pdftest.Stream("/Filter /FlateDecode", string(z.Bytes()[:z.Len()*3/4]))
}

// TestPDFDamagedParts: a damaged part of a page (one content stream with a
// filter nobody knows, data that breaks off, broken syntax; a page tree
// with a cycle) does not hide the rest: what can be read is read, and the
// file is review, never clean and never an error.
func TestPDFDamagedParts(t *testing.T) {
	unknown := pdftest.Stream("/Filter /Foo", "garbage")
	cases := []struct {
		name   string
		data   []byte
		review string
	}{
		{"unknown filter after the text", pagesWith("", pdftest.Stream("", pdfMarkingOps), unknown), "1 content stream(s) are damaged"},
		{"unknown filter before the text", pagesWith("", unknown, pdftest.Stream("", pdfMarkingOps)), "1 content stream(s) are damaged"},
		{"flate data breaking off after the text", pagesWith("", brokenFlate(pdfMarkingOps)), "1 content stream(s) are damaged"},
		{"broken syntax after the text", pagesWith("", pdftest.Stream("", pdfMarkingOps+" 1 0 0 1 0 0 cm > ] ) BT")), "1 content stream(s) are damaged"},
		{"ToUnicode with an unknown filter", pagesWith(pdftest.Stream("/Filter /Foo", "garbage"), pdftest.Stream("", pdfMarkingOps)), "font Unicode map(s) are damaged"},
		{"page tree with a cycle", func() []byte {
			b := &pdftest.Builder{}
			b.Add("<< /Type /Catalog /Pages 2 0 R >>")
			b.Add("<< /Type /Pages /Kids [3 0 R 5 0 R] /Count 2 >>")
			b.Add("") // the page
			c := b.Add(pdftest.Stream("", pdfMarkingOps))
			b.Add("<< /Type /Pages /Kids [2 0 R] /Parent 2 0 R /Count 1 >>") // its own ancestor
			b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", c, pdftest.CJKFont(b))
			return b.Bytes("")
		}(), "page tree is damaged"},
	}
	cases = append(cases, []struct {
		name   string
		data   []byte
		review string
	}{
		{"page tree with a missing kid", func() []byte {
			b := &pdftest.Builder{}
			b.Add("<< /Type /Catalog /Pages 2 0 R >>")
			b.Add("<< /Type /Pages /Kids [3 0 R 9 0 R] /Count 2 >>") // 9 is not there
			b.Add("")                                                // the page
			c := b.Add(pdftest.Stream("", pdfMarkingOps))
			b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", c, pdftest.CJKFont(b))
			return b.Bytes("")
		}(), "page tree is damaged"},
	}...)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err, done := runPDF(t, tc.data, extract.Options{}, 5*time.Second)
			if !done {
				t.Fatal("did not finish in 5 s")
			}
			if err != nil {
				t.Fatalf("err = %v (%s), want the file read", err, extract.KindOf(err))
			}
			if !strings.Contains(strings.Join(doc.Review, "\n"), tc.review) {
				t.Errorf("review = %q, want %q", doc.Review, tc.review)
			}
			if tc.name == "ToUnicode with an unknown filter" {
				return // the glyphs have no Unicode: nothing to find
			}
			if len(doc.Segments) == 0 || doc.Segments[0].Page != 1 || !strings.Contains(doc.Segments[0].Text, "机密★5年") {
				t.Errorf("segments %+v, want 机密★5年 on page 1", doc.Segments)
			}
		})
	}
}

// TestPDFNoReachablePage: when no page of a damaged page tree can be
// reached, the rest of the file is still read (here the document
// information's title) and the file is review, not an error.
func TestPDFNoReachablePage(t *testing.T) {
	b := &pdftest.Builder{}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [9 0 R] /Count 1 >>") // 9 is not there
	info := b.Add("<< /Title " + pdftest.UTF16Hex("机密★5年") + " >>")
	doc, err, done := runPDF(t, b.Bytes(fmt.Sprintf("/Info %d 0 R", info)), extract.Options{}, 5*time.Second)
	if !done || err != nil {
		t.Fatalf("err = %v, want the file read", err)
	}
	if !strings.Contains(strings.Join(doc.Review, "\n"), "page tree is damaged") {
		t.Errorf("review = %q, want the damaged page tree noted", doc.Review)
	}
	if len(doc.Segments) != 1 || doc.Segments[0].Part != extract.PartMetadata || !strings.Contains(doc.Segments[0].Text, "机密★5年") {
		t.Errorf("segments %+v, want the title in metadata", doc.Segments)
	}
}

// TestRebuildXrefBareCR: rebuildXref finds objects on lines that end in a
// bare CR, as older Acrobat and Mac producers write them.
func TestRebuildXrefBareCR(t *testing.T) {
	data := pagesWith("", pdftest.Stream("", pdfMarkingOps))
	data = bytes.ReplaceAll(data[:bytes.Index(data, []byte("xref\n"))], []byte("\n"), []byte("\r"))
	fixed := rebuildXref(bytes.NewReader(data), int64(len(data)))
	if fixed == nil {
		t.Fatal("no objects found")
	}
	doc, err, _ := runPDF(t, fixed, extract.Options{}, 5*time.Second)
	if err != nil || len(doc.Segments) == 0 || !strings.Contains(doc.Segments[0].Text, "机密★5年") {
		t.Fatalf("err = %v, doc %+v: want 机密★5年 on page 1", err, doc)
	}
}
