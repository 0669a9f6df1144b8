package msdoc_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// FuzzDOC checks that no input makes the reader panic or hang, that what
// it reads is a Word document or an error, and that its reasons are
// printable ASCII sentences of ours. Seeds: the documents the tests build
// and the small Word files of the shared corpus.
func FuzzDOC(f *testing.F) {
	f.Add(body("正文" + mark + "\r").build())
	w := body("密级\x13 AUTHOR \x14" + mark + "\x15\r")
	w.runs = []charProps{{0, 2, []byte{0x00, 0x08, 1}}, {2, 6, []byte{0x3C, 0x08, 1}}}
	f.Add(w.build())
	f.Add(word{word6: true, complex: true, lid: 0x0804, pieces: []pc{{text: gbk(mark + "\r"), wide: false}}, ccp: [8]uint32{9}}.build())
	f.Add(encrypted(body(mark+"\r"), ""))
	styled := body("正文\r" + mark + "\r")
	styled.stsh, styled.paras = hiddenStyles, []paraStyle{{0, 3, 0}, {3, 9, 2}}
	f.Add(styled.build())
	files, _ := filepath.Glob(filepath.Join(corpus, "legacy*", "*.doc"))
	for _, name := range files {
		if st, err := os.Stat(name); err == nil && st.Size() <= 64<<10 {
			if b, err := os.ReadFile(name); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		opt := extract.DefaultOptions()
		opt.MaxInflated, opt.MaxText = 64<<20, 16<<20
		doc, err := extract.Reader(ctx, bytes.NewReader(b), int64(len(b)), opt)
		var reasons []string
		var e *extract.Error
		if errors.As(err, &e) {
			reasons = append(reasons, e.Reason)
		}
		if doc != nil {
			reasons = append(reasons, doc.Review...)
		}
		for _, r := range reasons {
			for i := 0; i < len(r); i++ {
				if r[i] < 0x20 || r[i] > 0x7E {
					t.Fatalf("reason %q is not printable ASCII", r)
				}
			}
		}
	})
}
