package cfb_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// FuzzCFB checks that Open, Recover and ReadStream never panic or hang on
// any bytes, that every entry of the tree is reached once (a damaged tree
// cannot loop), that a stream read is as long as it says, and that errors
// are *cfb.Error with a reason of ours in printable ASCII.
func FuzzCFB(f *testing.F) {
	f.Add(cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("机密★5年")}))
	f.Add(cfb.Build(cfb.Stream{Path: "Big", Data: bytes.Repeat([]byte("机密"), 1000)}, cfb.Stream{Path: "ObjectPool/_1/\x01Ole10Native", Data: []byte("x")}))
	f.Add([]byte(cfb.Signature))
	// A few small real compound files (Office 97-2003 files of the shared
	// corpus), when it is present.
	files, _ := filepath.Glob(filepath.Join("..", "..", "..", "..", "shared", "corpus", "legacy", "*"))
	n := 0
	for _, name := range files {
		if st, err := os.Stat(name); err != nil || st.Size() > 16<<10 || n == 8 {
			continue
		}
		if data, err := os.ReadFile(name); err == nil && bytes.HasPrefix(data, []byte(cfb.Signature)) {
			f.Add(data)
			n++
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, open := range []func(io.ReaderAt, int64) (*cfb.File, error){cfb.Open, cfb.Recover} {
			c, err := open(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				checkError(t, err)
				continue
			}
			walk(t, c, c.Root(), map[*cfb.Entry]bool{})
		}
	})
}

// walk reads every stream under e: as long as it says, or, from a
// damaged file that Recover opened, no longer and marked damaged.
func walk(t *testing.T, c *cfb.File, e *cfb.Entry, seen map[*cfb.Entry]bool) {
	for _, k := range c.Children(e) {
		if seen[k] {
			t.Fatalf("entry reached twice")
		}
		seen[k] = true
		if k.IsStorage() {
			walk(t, c, k, seen)
			continue
		}
		b, err := c.ReadStream(k, 1<<20)
		switch {
		case err != nil:
			checkError(t, err)
		case uint64(len(b)) != k.Size && !c.Damaged():
			t.Fatalf("stream of %d bytes read as %d, not damaged", k.Size, len(b))
		case uint64(len(b)) > k.Size:
			t.Fatalf("stream of %d bytes read as %d", k.Size, len(b))
		}
	}
}

func checkError(t *testing.T, err error) {
	t.Helper()
	var e *cfb.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not a *cfb.Error", err)
	}
	if strings.IndexFunc(e.Reason, func(r rune) bool { return r < ' ' || r > '~' }) >= 0 {
		t.Fatalf("reason %q is not printable ASCII", e.Reason)
	}
}
