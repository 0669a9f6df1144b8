//go:build unix

package sandbox

import (
	"context"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// The child says which file it read, so that a caller can tell it is the
// one it meant (watch compares it with the file it found beneath its root).
func TestChildSaysWhichFile(t *testing.T) {
	path := textFile(t, "机密★5年")
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := newPool(t, Options{Timeout: time.Minute}).Extract(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if want := (extract.FileID{Dev: uint64(st.Dev), Ino: uint64(st.Ino)}); doc.File != want {
		t.Errorf("read %+v, want %+v", doc.File, want)
	}
}
