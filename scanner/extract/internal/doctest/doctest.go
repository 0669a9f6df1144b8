// Package doctest holds the helpers of the tests of extract's format
// packages (extract/ooxml, extract/ofd, ...) that read a document and look
// at what a reader returns.
// extract's own tests cannot import it (it imports extract).
package doctest

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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

// CorpusDir returns the folder sub of the shared corpus seen from a format
// package (scanner/extract/ooxml), skipping t when the corpus is absent.
func CorpusDir(t *testing.T, sub string) string {
	dir := filepath.Join("..", "..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return dir
}
