//go:build unix

package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
)

// File says which file it read, whether it could read it or not, so that a
// caller can tell it is the one it meant.
func TestFileIdentifiesWhatItRead(t *testing.T) {
	dir := t.TempDir()
	for name, data := range map[string]string{"notice.txt": "机密★5年", "unknown.bin": "\x00\x01\x02 not a document"} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		st := fi.Sys().(*syscall.Stat_t)
		doc, err := extract.File(context.Background(), path, extract.Options{})
		if (err != nil) != (name == "unknown.bin") {
			t.Fatalf("%s: %v", name, err) // one read, one not: both kinds of result
		}
		got := extract.FileOf(doc, err)
		if want := (extract.FileID{Dev: uint64(st.Dev), Ino: uint64(st.Ino)}); got != want || !got.Known() {
			t.Errorf("%s: read %+v, want %+v (err %v)", name, got, want, err)
		}
	}
}
