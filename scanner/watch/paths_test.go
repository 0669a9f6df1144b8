package watch

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"
)

// TestWatchRefusesPathsInsideShare: a quarantine folder or a database
// reached through a link into the share would have the daemon scan and
// move its own files again, forever; it is refused at start.
func TestWatchRefusesPathsInsideShare(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "share")
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	must(os.Symlink(filepath.Join(root, "sub"), filepath.Join(base, "tosub")))
	must(os.Symlink(root, filepath.Join(base, "toshare")))
	must(os.Symlink(filepath.Join(root, "not-yet"), filepath.Join(base, "dangling")))
	must(os.MkdirAll(filepath.Join(base, "outside"), 0o755))

	tests := []struct {
		name, quarantine, db string
		want                 string // "" for accepted
	}{
		{"plain folders", filepath.Join(base, "q"), filepath.Join(base, "w.db"), ""},
		{"quarantine through a link", filepath.Join(base, "tosub"), "", "quarantine dir " + filepath.Join(base, "tosub") + " (" + filepath.Join(root, "sub") + " once links are resolved) must not be inside the watched folder"},
		{"quarantine not yet made, below a link", filepath.Join(base, "toshare", "q", "new"), "", "must not be inside the watched folder " + root},
		{"quarantine through a dangling link", filepath.Join(base, "dangling", "q"), "", "a link that cannot be resolved"},
		{"quarantine holding the share", base, "", "must not contain the watched folder " + root},
		{"database through a link", "", filepath.Join(base, "toshare", "state", "watch.db"), "the database " + filepath.Join(base, "toshare", "state", "watch.db") + " (" + filepath.Join(root, "state", "watch.db") + " once links are resolved) must not be inside"},
		{"database plainly inside", "", filepath.Join(root, "watch.db"), "must not be inside the watched folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			if tt.quarantine != "" {
				cfg.Quarantine = &Quarantine{Dir: tt.quarantine}
			}
			db := tt.db
			if db == "" {
				db = filepath.Join(t.TempDir(), "w.db")
			}
			d, err := New(Options{Roots: []string{root}, DB: db, NoNotify: true, Log: zerolog.Nop()}, testScanner(t), cfg)
			if d != nil {
				d.st.close()
			}
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("error %v, want one with %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(root, "state")); err == nil {
				t.Error("the refused database's folder was made inside the share")
			}
		})
	}
}
