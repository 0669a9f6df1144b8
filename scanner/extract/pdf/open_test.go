package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// pdfMarking is a one-page PDF whose text is 机密★5年.
func pdfMarking() []byte {
	return pdftest.OnePage("BT /F1 12 Tf 10 100 Td <0001000200030004> Tj ET BT /F1 12 Tf 46 100 Td <0005> Tj ET", "", "", func(b *pdftest.Builder) string {
		return fmt.Sprintf("/Font << /F1 %d 0 R >>", pdftest.CJKFont(b))
	})
}

// TestPDFRepair: damaged files that poppler opens open with the right text.
func TestPDFRepair(t *testing.T) {
	good := pdfMarking()
	xrefOffsets := regexp.MustCompile(`(?m)^\d{10} 00000 n `)
	cases := []struct {
		name string
		data []byte
	}{
		{"intact", good},
		{"UTF-8 BOM before %PDF", append([]byte("\xef\xbb\xbf"), good...)},
		{"500 bytes of mail header before %PDF", append(bytes.Repeat([]byte("X-Junk: yes\r\n"), 40), good...)},
		{"PDF 2.0 header", bytes.Replace(good, []byte("%PDF-1.7"), []byte("%PDF-2.0"), 1)},
		{"header with a comment on its line", bytes.Replace(good, []byte("%PDF-1.7\n"), []byte("%PDF-1.4 "), 1)},
		{"2 KB of junk after %%EOF", append(append([]byte{}, good...), bytes.Repeat([]byte("<html>junk</html>\n"), 120)...)},
		{"NUL padding after %%EOF", append(append([]byte{}, good...), make([]byte, 4096)...)},
		{"missing final %%EOF", bytes.TrimSuffix(good, []byte("%%EOF\n"))},
		{"xref offsets all wrong", xrefOffsets.ReplaceAll(good, []byte("0000000003 00000 n "))},
		{"no startxref", good[:bytes.LastIndex(good, []byte("startxref"))]},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.data
			if !bytes.Contains(data, []byte("%%EOF")) && !bytes.Contains(data, []byte("startxref")) {
				data = append(append([]byte{}, data...), "%%EOF\n"...)
			}
			doc, err, done := runPDF(t, data, extract.Options{}, 10*time.Second)
			if !done {
				t.Fatal("did not finish")
			}
			if err != nil {
				t.Fatalf("error %v (%s)", err, extract.KindOf(err))
			}
			if got := doc.Segments[0].Text; !strings.Contains(got, "机密★5年") {
				t.Errorf("text %q, want 机密★5年", got)
			}
		})
	}
}

// TestPDFRepairRefuses: what repair must not turn into a clean document.
func TestPDFRepairRefuses(t *testing.T) {
	good := pdfMarking()
	// An update appended after %%EOF and cut short: reading up to the
	// first %%EOF would silently drop it.
	update := append(append([]byte{}, good...), "7 0 obj\n<< /Type /Page >>\nendobj\n8 0 obj\n<< /Len"...)
	cases := []struct {
		name string
		data []byte
		opt  extract.Options
		kind extract.Kind
	}{
		{"incomplete update after %%EOF", update, extract.Options{}, extract.KindCorrupt},
		{"cut in half", good[:len(good)/2], extract.Options{}, extract.KindCorrupt},
		{"repair larger than max inflated", bytes.Replace(good, []byte("startxref"), []byte("startxrex"), 1), extract.Options{MaxInflated: 100}, extract.KindLimit},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err, done := runPDF(t, c.data, c.opt, 10*time.Second)
			if !done {
				t.Fatal("did not finish")
			}
			if err == nil || extract.KindOf(err) != c.kind {
				t.Errorf("err %v (%s), want %s", err, extract.KindOf(err), c.kind)
			}
		})
	}
}

// TestPDFViewReadAt checks the view against the bytes it stands for.
func TestPDFViewReadAt(t *testing.T) {
	file := []byte("junk%PDF-2.0\nbody %%EOF\ntrailing junk")
	v, err := newPDFView(bytes.NewReader(file), int64(len(file)))
	if err != nil {
		t.Fatal(err)
	}
	want := "%PDF-1.7\nbody %%EOF"
	if v.Size() != int64(len(want)) {
		t.Fatalf("size %d, want %d", v.Size(), len(want))
	}
	got, err := io.ReadAll(io.NewSectionReader(v, 0, v.Size()))
	if err != nil || string(got) != want {
		t.Fatalf("read %q, %v; want %q", got, err, want)
	}
	for off := 0; off < len(want); off++ {
		p := make([]byte, 4)
		n, err := v.ReadAt(p, int64(off))
		end := min(off+4, len(want))
		if string(p[:n]) != want[off:end] || (end-off < 4) != (err == io.EOF) {
			t.Errorf("ReadAt(%d) = %q, %v; want %q", off, p[:n], err, want[off:end])
		}
	}
}

// pdfPasswordFiles are the corpus PDFs that need a password, from ORACLE.tsv.
func pdfPasswordFiles(t *testing.T) map[string]oracleRow {
	t.Helper()
	out := map[string]oracleRow{}
	for rel, row := range readOracle(t) {
		if row.password != "" && strings.HasSuffix(rel, ".pdf") {
			out[rel] = row
		}
	}
	return out
}

// TestPDFPasswords opens each corpus PDF with a known password: with it in
// Options.Passwords (among wrong ones) the file opens and reads as many
// Chinese characters as poppler, without it the file is KindEncrypted,
// unless poppler really opens it without (pypdf r5/r6-user-password: their
// owner password is empty).
func TestPDFPasswords(t *testing.T) {
	opened, n := 0, 0
	poppler := map[string]bool{}
	for _, rel := range popplerOpens(t) {
		poppler[rel] = true
	}
	for rel, row := range pdfPasswordFiles(t) {
		data, err := os.ReadFile(filepath.Join(pdfCorpus, rel))
		if err != nil {
			t.Fatal(err)
		}
		n++
		doc, err, done := runPDF(t, data, extract.Options{Passwords: []string{"wrong", row.password}}, 20*time.Second)
		if !done {
			t.Errorf("%s: did not finish", rel)
			continue
		}
		if err != nil {
			t.Logf("%s: with its password: %v (%s)", rel, err, extract.KindOf(err))
			continue
		}
		opened++
		if got := pdfHanCount(doc); got != row.han {
			t.Errorf("%s: opened, %d Chinese characters, poppler %d", rel, got, row.han)
		}
		_, err, _ = runPDF(t, data, extract.Options{Passwords: []string{"wrong"}}, 20*time.Second)
		if poppler[rel] && popplerMisreads[rel] == "" {
			if err != nil {
				t.Errorf("%s: without its password: err %v (%s), poppler opens it", rel, err, extract.KindOf(err))
			}
		} else if extract.KindOf(err) != extract.KindEncrypted {
			t.Errorf("%s: without its password: err %v (%s), want encrypted", rel, err, extract.KindOf(err))
		}
	}
	if n == 0 {
		t.Skip("no password-protected PDFs in the corpus")
	}
	t.Logf("%d of %d opened with their password", opened, n)
	// Measured: all 24, among them the pdfminer rc4-*/aes-* files and
	// issue6010_1/_2 (/Encrypt written directly in the trailer, see
	// fixEncrypt) and saslprep-r6 (see saslPrep).
	const wantOpened = 24
	if opened < wantOpened {
		t.Errorf("only %d of %d password-protected PDFs opened, want %d", opened, n, wantOpened)
	}
}

// TestPDFEmptyPasswordCorpus: files encrypted with an empty user password
// (AES-256 R5/R6, RC4-40, V4 crypt filters) or, for AES-256, an empty owner
// password open without a password.
func TestPDFEmptyPasswordCorpus(t *testing.T) {
	for _, rel := range []string{
		"edge/pypdf__r2-empty-password.pdf",                               // RC4-40
		"edge/pypdf__r4-owner-password.pdf",                               // V4 crypt filter
		"edge/pypdf__r5-empty-password.pdf",                               // AES-256 R5
		"edge/pypdf__r6-owner-password.pdf",                               // AES-256 R6
		"edge/tika__testPDF_no_extract_no_accessibility_owner_empty.pdf",  // copying forbidden
		"edge/tika__testPDF_no_extract_yes_accessibility_owner_empty.pdf", // wrong offsets: table rebuilt
		"edge/pypdf__r4-aes-v2-no-key-length.pdf",                         // V4 without /Length
		"edge/pdfjs__issue7665.pdf",                                       // crypt filters as indirect objects
		"edge/pypdf__r5-user-password.pdf",                                // AES-256 R5, empty owner password
		"edge/pypdf__r6-user-password.pdf",                                // AES-256 R6, empty owner password
		"edge/pdfjs__pr6531_2.pdf",                                        // AES-256 R6, empty owner password: an annotation
		"edge/pdfjs__secHandler.pdf",                                      // AES-256 R6, a stream of only an IV: a form field
	} {
		data, err := os.ReadFile(filepath.Join(pdfCorpus, rel))
		if err != nil {
			t.Skipf("corpus not available: %v", err)
		}
		doc, err, done := runPDF(t, data, extract.Options{}, 20*time.Second)
		if !done || err != nil {
			t.Errorf("%s: %v", rel, err)
			continue
		}
		page1 := "" // body, annotations and form fields
		for _, s := range doc.Segments {
			if s.Page == 1 {
				page1 += s.Text
			}
		}
		if strings.TrimSpace(page1) == "" {
			t.Errorf("%s: opened, but page 1 has no text", rel)
		}
	}
}

// TestPDFRewriteKeepsText: for every corpus PDF the parser reads as it is
// (and in full: a damaged one may read better from the copy),
// pdfcpu's plain copy gives the same text, so that a repaired or decrypted
// file is read as faithfully as an intact one.
func TestPDFRewriteKeepsText(t *testing.T) {
	files, _ := filepath.Glob(filepath.Join(pdfCorpus, "*", "*.pdf"))
	if len(files) == 0 {
		t.Skip("corpus not available")
	}
	opt := extract.Options{}.WithDefaults()
	compared := 0
	for _, f := range files {
		if strings.Contains(f, "bug1978317") {
			// 65,000 objects in one object stream: 5-10 s a read, and on a
			// loaded machine the copy's read can run out of time inside the
			// parser, where the failure does not look like a timeout.
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		doc, err := readPDF(ctx, bytes.NewReader(data), int64(len(data)), opt)
		if err != nil || pdfDamage(doc) > 0 || pdfMaybeEncrypted(bytes.NewReader(data), int64(len(data))) {
			cancel()
			continue
		}
		out, err := pdfRewrite(ctx, bytes.NewReader(data), int64(len(data)), "", opt.MaxInflated)
		if err != nil {
			t.Logf("%s: not rewritten: %v", filepath.Base(f), err)
			cancel()
			continue
		}
		doc2, err := readPDF(ctx, bytes.NewReader(out), int64(len(out)), opt)
		late := ctx.Err() != nil
		cancel()
		if late {
			continue // slow files (bug1978317) prove nothing here
		}
		if err != nil {
			t.Errorf("%s: copy does not read: %v", filepath.Base(f), err)
			continue
		}
		compared++
		if a, b := segmentsText(doc), segmentsText(doc2); a != b {
			t.Errorf("%s: copy reads differently (%d bytes against %d)", filepath.Base(f), len(b), len(a))
		}
	}
	t.Logf("%d files compared", compared)
}

// segmentsText joins the parts and texts of doc's segments.
func segmentsText(doc *extract.Document) string {
	var b strings.Builder
	for _, s := range doc.Segments {
		b.WriteString(string(s.Part) + "\x00" + s.Text + "\x00")
	}
	return b.String()
}

// Data after a PDF's end is shown by no viewer but by any editor: text after
// a startxref with no %%EOF is read as hidden text (after a %%EOF it is the
// file's text reading's, which sniffing finds); other bytes leave the file
// review; a zip there is the zip reading's.
func TestPDFTrailingData(t *testing.T) {
	gbk, err := simplifiedchinese.GB18030.NewEncoder().String("机密★5年 内部资料")
	if err != nil {
		t.Fatal(err)
	}
	page := pdftest.OnePage("BT /F1 12 Tf 10 10 Td (Hello) Tj ET", "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>", "", nil)
	noEOF := bytes.TrimSuffix(bytes.TrimRight(page, "\r\n"), []byte("%%EOF"))
	for _, c := range []struct {
		name   string
		data   []byte
		hidden string // text read as hidden, "" for none
		review bool
	}{
		{"text after %%EOF", append(slices.Clone(page), "\n机密★5年 内部资料\n"...), "", false},
		{"GB18030 after a startxref without %%EOF", append(slices.Clone(noEOF), gbk...), "机密★5年 内部资料", false},
		{"binary after %%EOF", append(slices.Clone(page), 0x01, 0x02, 0xfe, 0xff, 0x00, 0x80), "", true},
		{"white space after %%EOF", append(slices.Clone(page), "\r\n  \n"...), "", false},
		{"the end of a zip after %%EOF", append(slices.Clone(page), "PK\x05\x06"+strings.Repeat("\x00", 18)...), "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractPDF(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var hidden string
			for _, s := range doc.Segments {
				if s.Part == extract.PartHidden {
					hidden = s.Text
				}
			}
			if hidden != c.hidden || (len(doc.Review) > 0) != c.review {
				t.Errorf("hidden %q, review %q; want %q, review %v", hidden, doc.Review, c.hidden, c.review)
			}
		})
	}
}
