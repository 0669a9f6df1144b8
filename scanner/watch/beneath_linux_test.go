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
