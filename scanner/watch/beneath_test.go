package watch

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
)

// TestWatchQuarantineOnlyTheScannedFile makes the race of a file swapped
// between its scan and its quarantine deterministic: the file is
// identified as the scan would, the swap is made, then the actions run
// with that identity. A swap means a refusal, logged, never a move of
// another file (above all not of one outside the share).
func TestWatchQuarantineOnlyTheScannedFile(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	tests := []struct {
		name string
		swap func(t *testing.T, share, outside string)
	}{
		{"nothing swapped", nil},
		{"folder swapped for a link out of the share", func(t *testing.T, share, outside string) {
			mustDo(t, os.Rename(filepath.Join(share, "sub"), filepath.Join(share, "sub.old")))
			mustDo(t, os.Symlink(outside, filepath.Join(share, "sub")))
		}},
		{"folder swapped for a relative link out of the share", func(t *testing.T, share, outside string) {
			mustDo(t, os.RemoveAll(filepath.Join(share, "sub")))
			mustDo(t, os.Symlink(filepath.Join("..", "outside"), filepath.Join(share, "sub")))
		}},
		{"file swapped for a link out of the share", func(t *testing.T, share, outside string) {
			mustDo(t, os.Remove(filepath.Join(share, "sub", "a.txt")))
			mustDo(t, os.Symlink(filepath.Join(outside, "a.txt"), filepath.Join(share, "sub", "a.txt")))
		}},
		{"file replaced by another", func(t *testing.T, share, outside string) {
			mustDo(t, os.Rename(filepath.Join(share, "sub", "a.txt"), filepath.Join(share, "sub", "b.txt")))
			mustDo(t, os.WriteFile(filepath.Join(share, "sub", "a.txt"), []byte(cleanBody), 0o644))
		}},
		{"file rewritten", func(t *testing.T, share, outside string) {
			mustDo(t, os.WriteFile(filepath.Join(share, "sub", "a.txt"), []byte(cleanBody+"\n"), 0o644))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base, err := filepath.EvalSymlinks(t.TempDir())
			mustDo(t, err)
			share, outside, qdir := filepath.Join(base, "share"), filepath.Join(base, "outside"), filepath.Join(base, "q")
			mustDo(t, os.MkdirAll(filepath.Join(share, "sub"), 0o755))
			mustDo(t, os.MkdirAll(outside, 0o755))
			path := filepath.Join(share, "sub", "a.txt")
			mustDo(t, os.WriteFile(path, []byte(markedBody), 0o644))
			mustDo(t, os.WriteFile(filepath.Join(outside, "a.txt"), []byte("outside"), 0o644))

			id, err := identify(share, path) // as the scan opens the file
			mustDo(t, err)
			if tt.swap != nil {
				tt.swap(t, share, outside)
			}
			logs := &syncBuffer{}
			st, err := openStore(filepath.Join(base, "w.db"))
			mustDo(t, err)
			defer st.close()
			a := newActor(zerolog.New(logs), newMetrics(st), st)
			cfg := DefaultConfig()
			cfg.Quarantine = &Quarantine{Dir: qdir}
			cfg.Quarantine.check(func(int, string, ...any) {}, func(...string) int { return 0 }, "quarantine", policies.High, nil)
			r := flaggedResult(path)
			moved, retry := a.run(t.Context(), cfg, share, &r, id)

			if b, err := os.ReadFile(filepath.Join(outside, "a.txt")); err != nil || string(b) != "outside" {
				t.Fatalf("the file outside the share was touched: %q %v", b, err)
			}
			if len(retry) != 0 {
				t.Errorf("queued for retry: %+v; a refusal is final", retry)
			}
			refusedN := strings.Count(scrape(a.m.handler()), `baomi_watch_actions_total{action="quarantine",outcome="refused"} 1`+"\n")
			log := logs.String()
			if strings.Contains(log, "机密") {
				t.Errorf("the log holds document text:\n%s", log)
			}
			if tt.swap == nil {
				b, err := os.ReadFile(filepath.Join(qdir, "sub", "a.txt"))
				if !moved || err != nil || string(b) != markedBody || refusedN != 0 {
					t.Errorf("moved %v, quarantined %q %v, refused %v; want the scanned file moved", moved, b, err, refusedN)
				}
				return
			}
			if moved || refusedN != 1 || !strings.Contains(log, `"message":"action refused"`) || !strings.Contains(log, `"reason":"refused: `) {
				t.Errorf("moved %v, refused %v; want a logged refusal; log:\n%s", moved, refusedN, log)
			}
			if entries, _ := os.ReadDir(filepath.Join(qdir, "sub")); len(entries) != 0 {
				t.Errorf("quarantine holds %v, want nothing", entries)
			}
		})
	}
}

const (
	markedBody = "机密★5年\n关于工作安排的通知。\n"
	cleanBody  = "关于召开会议的通知。\n"
)

// scrape returns the metrics h serves.
func scrape(h http.Handler) string {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	return rec.Body.String()
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
