// Package doctest holds the helpers of the tests of extract's format
// packages (extract/ooxml, extract/ofd, ...) that read a document and look
// at what a reader returns.
// extract's own tests cannot import it (it imports extract).
package doctest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/ocr"
)

// ShowPages lists segments one a line, with their part, page and inner
// document, for failure messages and substring checks.
func ShowPages(segs []extract.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(string(s.Part) + "@" + string(rune('0'+s.Page)) + "[" + s.Inner + "]:" + strings.ReplaceAll(s.Text, "\n", `\n`) + "\n")
	}
	return b.String()
}

// Parts joins the text of doc's segments by part, keyed "part" or
// "part@inner" for those of an inner document, the texts of one key apart
// by sep.
func Parts(doc *extract.Document, sep string) map[string]string {
	m := map[string]string{}
	for _, s := range doc.Segments {
		k := string(s.Part)
		if s.Inner != "" {
			k += "@" + s.Inner
		}
		if m[k] != "" {
			m[k] += sep
		}
		m[k] += s.Text
	}
	return m
}

// WantParts checks that doc's text by part (Parts, "|" apart) is want,
// key for key and no more.
func WantParts(t *testing.T, doc *extract.Document, want map[string]string) {
	t.Helper()
	got := Parts(doc, "|")
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("parts:\n%s", ShowPages(doc.Segments))
	}
}

// ExtractWith reads data with extractor x and the default options.
func ExtractWith(t testing.TB, x extract.Extractor, data []byte) (*extract.Document, error) {
	t.Helper()
	return x(context.Background(), bytes.NewReader(data), int64(len(data)), extract.DefaultOptions())
}

// ReadOCR reads data with extract.Reader and the default options, its
// pictures read by OCR engine e (by none when e is nil).
func ReadOCR(t testing.TB, e ocr.Engine, data []byte) *extract.Document {
	t.Helper()
	ctx := context.Background()
	if e != nil {
		ctx = extract.WithEngine(ctx, e)
	}
	doc, err := extract.Reader(ctx, bytes.NewReader(data), int64(len(data)), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// Pictures returns what f takes of each of doc's picture segments, in
// order: the fields a test compares.
func Pictures[T any](doc *extract.Document, f func(extract.Segment) T) []T {
	var out []T
	for _, s := range doc.Segments {
		if s.Part == extract.PartPicture {
			out = append(out, f(s))
		}
	}
	return out
}

// Tesseract returns the OCR engine of this machine, skipping t when there
// is none or it has no Simplified Chinese model.
func Tesseract(t *testing.T) ocr.Info {
	t.Helper()
	info, err := ocr.Find("")
	if err != nil || !slices.Contains(info.Langs, "chi_sim") {
		t.Skipf("Tesseract with chi_sim is not installed (%v): apt-get install tesseract-ocr tesseract-ocr-chi-sim", err)
	}
	return info
}

// ReadOnPage1 checks that doc, read with a real engine, has pictures on
// page 1 only whose text holds want, and no Review.
func ReadOnPage1(t *testing.T, doc *extract.Document, want string) {
	t.Helper()
	got := strings.Join(Pictures(doc, func(s extract.Segment) string { return fmt.Sprintf("%d:%s", s.Page, s.Text) }), "|")
	if !strings.HasPrefix(got, "1:") || !strings.Contains(got, want) {
		t.Errorf("picture segments %q, want page 1 with %s", got, want)
	}
	t.Logf("read: %q", got)
	if len(doc.Review) != 0 {
		t.Errorf("Review = %q, want none", doc.Review)
	}
}

// CorpusDir returns the folder sub of the shared corpus seen from a format
// package (scanner/extract/ooxml), skipping t when the corpus is absent.
func CorpusDir(t *testing.T, sub string) string {
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return dir
}
