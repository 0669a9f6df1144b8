package html_test

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// corpus is ../shared/corpus from the repository root.
const corpus = "../../../../shared/corpus"

// The corpus has no web pages or mail, but old Office files are sometimes
// one saved under another name (Word writes HTML and MHT as .doc): every
// corpus file sniffed as html or eml is read without a failure, a panic
// or a hang, and is never clean when it is not read whole.
func TestCorpus(t *testing.T) {
	if _, err := os.Stat(corpus); err != nil || testing.Short() {
		t.Skip("../shared/corpus is absent (or -short)")
	}
	n := 0
	err := filepath.WalkDir(corpus, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		st, _ := f.Stat()
		format, _ := extract.Sniff(f, st.Size())
		f.Close()
		if format != extract.FormatHTML && format != extract.FormatEML {
			return nil
		}
		n++
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		doc, err := extract.File(ctx, path, extract.Options{})
		if err != nil {
			t.Errorf("%s (%s): %v", path, format, err)
			return nil
		}
		t.Logf("%s: %s, %d segments, review %q", path, doc.Format, len(doc.Segments), doc.Review)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d corpus files are web pages or mail", n)
}
