package watch

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// TestWatchOpenDirBeneath checks both ways of opening a folder beneath the
// share: openat2, and the component-by-component fallback for kernels
// before 5.6.
func TestWatchOpenDirBeneath(t *testing.T) {
	base := t.TempDir()
	share := filepath.Join(base, "share")
	mustDo(t, os.MkdirAll(filepath.Join(share, "a", "b"), 0o755))
	mustDo(t, os.MkdirAll(filepath.Join(base, "outside", "b"), 0o755))
	mustDo(t, os.Symlink(filepath.Join(base, "outside"), filepath.Join(share, "link")))
	mustDo(t, os.Symlink("b", filepath.Join(share, "a", "inner"))) // stays inside, still a link
	mustDo(t, os.WriteFile(filepath.Join(share, "a", "f"), nil, 0o644))

	ways := map[string]func(rel string) (int, error){
		"openat2": func(rel string) (int, error) { return openDirBeneath(share, rel) },
		"stepwise": func(rel string) (int, error) {
			fd, err := unix.Open(share, dirFlags, 0)
			mustDo(t, err)
			return openDirStepwise(fd, rel)
		},
	}
	tests := []struct {
		rel     string
		refused bool
	}{
		{".", false},
		{"a", false},
		{"a/b", false},
		{"link", true},
		{"link/b", true},
		{"a/inner", true},
		{"a/f", true},
		{"gone/b", true},
	}
	for name, open := range ways {
		for _, tt := range tests {
			fd, err := open(filepath.FromSlash(tt.rel))
			if err == nil {
				unix.Close(fd)
			}
			if got := errors.Is(err, errRefused); got != tt.refused || (err != nil && !got) {
				t.Errorf("%s %s: %v, want refused %v", name, tt.rel, err, tt.refused)
			}
		}
	}
}

// TestWatchMoveFallbacks checks the moves used where renameat2 cannot
// serve: a hard link (file systems without RENAME_NOREPLACE) and a copy
// (another file system). Each moves the scanned file, never replaces a
// file, and refuses a file that is not the one scanned.
func TestWatchMoveFallbacks(t *testing.T) {
	ways := map[string]func(dir int, name string, id *fileID, qdir int, qname, dest string) error{
		"link": linkOut,
		"copy": copyOut,
	}
	for wname, move := range ways {
		t.Run(wname, func(t *testing.T) {
			base := t.TempDir()
			share, q := filepath.Join(base, "share"), filepath.Join(base, "q")
			mustDo(t, os.MkdirAll(share, 0o755))
			mustDo(t, os.MkdirAll(q, 0o755))
			src := filepath.Join(share, "a.txt")
			mustDo(t, os.WriteFile(src, []byte(markedBody), 0o644))
			id, err := identify(share, src)
			mustDo(t, err)
			dir, err := unix.Open(share, dirFlags, 0)
			mustDo(t, err)
			defer unix.Close(dir)
			qdir, err := unix.Open(q, dirFlags, 0)
			mustDo(t, err)
			defer unix.Close(qdir)

			mustDo(t, os.WriteFile(filepath.Join(q, "taken.txt"), []byte("older"), 0o644))
			if err := move(dir, "a.txt", id, qdir, "taken.txt", filepath.Join(q, "taken.txt")); !errors.Is(err, os.ErrExist) {
				t.Errorf("onto an existing file: %v, want exists", err)
			}
			other := *id
			other.Ino++
			if err := move(dir, "a.txt", &other, qdir, "b.txt", filepath.Join(q, "b.txt")); !errors.Is(err, errRefused) {
				t.Errorf("another file: %v, want refused", err)
			}
			if err := move(dir, "a.txt", id, qdir, "a.txt", filepath.Join(q, "a.txt")); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(q, "a.txt"))
			_, inShare := os.Stat(src)
			older, _ := os.ReadFile(filepath.Join(q, "taken.txt"))
			_, stray := os.Stat(filepath.Join(q, "b.txt"))
			if err != nil || string(b) != markedBody || !os.IsNotExist(inShare) || string(older) != "older" || !os.IsNotExist(stray) {
				t.Errorf("moved %q %v, source gone %v, other file %q, refused copy left: %v", b, err, os.IsNotExist(inShare), older, !os.IsNotExist(stray))
			}
		})
	}
}
