package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/baomi/baomi/internal/pdftest"
)

// pdfUTF16 is s as a PDF hex string in UTF-16BE with a byte order mark.
func pdfUTF16(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	return b.String() + ">"
}

// partsPDF builds a one-page PDF whose page says nothing secret, with the
// markings hidden in its document title, a bookmark and an attached DOCX.
func partsPDF(docx []byte) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R /Outlines 5 0 R /Names << /EmbeddedFiles << /Names [(x.docx) 8 0 R] >> >> >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 4 0 R /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
		"<< /Length 33 >>\nstream\nBT /F1 12 Tf 10 100 Td (Hi) Tj ET\nendstream",
		"<< /Type /Outlines /First 6 0 R /Last 6 0 R >>",
		"<< /Title (Contents) /Parent 5 0 R /First 7 0 R /Last 7 0 R >>",
		"<< /Title " + pdfUTF16("秘密★1年") + " /Parent 6 0 R >>",
		"<< /Type /Filespec /F (x.docx) /UF " + pdfUTF16("x.docx") + " /EF << /F 9 0 R >> >>",
		fmt.Sprintf("<< /Type /EmbeddedFile /Length %d >>\nstream\n%s\nendstream", len(docx), docx),
		"<< /Title " + pdfUTF16("机密★5年") + " >>",
	}
	return (&pdftest.Builder{Objs: objs}).Bytes("/Info 10 0 R")
}

// TestScanPDFParts: a PDF whose pages are harmless is flagged for the
// markings in its properties, its bookmarks and the DOCX attached to it,
// each finding saying where it was.
func TestScanPDFParts(t *testing.T) {
	docx, err := os.ReadFile("../../samples/docs/机密通知.docx")
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "parts.pdf")
	if err := os.WriteFile(p, partsPDF(docx), 0o644); err != nil {
		t.Fatal(err)
	}
	rep, code := scanJSON(t, p)
	if code != 1 || len(rep.Files) != 1 || rep.Files[0].Verdict != "flagged" {
		t.Fatalf("exit %d, report %+v", code, rep)
	}
	found := map[string]bool{}
	for _, f := range rep.Files[0].Findings {
		found[f.Location.Part+"|"+f.Location.Inner+"|"+f.Text] = true
	}
	for _, want := range []string{"metadata||机密★5年", "bookmark||秘密★1年"} {
		if !found[want] {
			t.Errorf("no finding %q in %v", want, found)
		}
	}
	inner := false
	for k := range found {
		inner = inner || strings.HasPrefix(k, "body|x.docx|")
	}
	if !inner {
		t.Errorf("no finding in the attached x.docx: %v", found)
	}
}
