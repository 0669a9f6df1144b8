package watch

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
)

// retryFixture is a share with one marked file, a database and a config
// whose failed actions come back after 10ms.
type retryFixture struct {
	base, root, file string
	opt              Options
	cfg              *Config
	logs             *syncBuffer
}

func newRetryFixture(t *testing.T) *retryFixture {
	base, err := filepath.EvalSymlinks(t.TempDir())
	mustDo(t, err)
	f := &retryFixture{base: base, root: filepath.Join(base, "share"), logs: &syncBuffer{}}
	f.file = filepath.Join(f.root, "sub", "a.txt")
	mustDo(t, os.MkdirAll(filepath.Dir(f.file), 0o755))
	mustDo(t, os.WriteFile(f.file, []byte(markedBody), 0o644))
	f.cfg = DefaultConfig()
	f.cfg.Debounce = 50 * time.Millisecond
	f.cfg.Retry = Retry{Backoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond, MaxAttempts: 1000}
	f.opt = Options{Roots: []string{f.root}, DB: filepath.Join(base, "watch.db"), Workers: 1, NoNotify: true, Poll: time.Hour, Log: zerolog.New(f.logs)}
	return f
}

// has reports whether the metrics d serves include every line of want.
func has(d *Daemon, want ...string) bool {
	m := scrape(d.Handler())
	for _, w := range want {
		if !strings.Contains(m, w+"\n") {
			return false
		}
	}
	return true
}

// TestWatchWebhookRetried: a webhook answering 500, or hanging, is not
// dropped: the delivery waits in the retry queue and is made again, and
// counted.
func TestWatchWebhookRetried(t *testing.T) {
	tests := []struct {
		name    string
		first   func(w http.ResponseWriter, r *http.Request)
		wantErr string // the error logged for the first attempt
	}{
		{"500 then 200", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
			`"error":"webhook answered 500 Internal Server Error"`},
		{"hang then 200", func(w http.ResponseWriter, r *http.Request) {
			io.Copy(io.Discard, r.Body) // then the server sees the client give up
			<-r.Context().Done()
		}, `context deadline exceeded`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newRetryFixture(t)
			var mu sync.Mutex
			requests := 0
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.Method == http.MethodHead {
					return // the start-up check
				}
				mu.Lock()
				requests++
				first := requests == 1
				mu.Unlock()
				if first {
					tt.first(w, r)
				}
			}))
			defer srv.Close()
			f.cfg.Webhook = &Webhook{URL: srv.URL, Timeout: time.Second, Retries: new(0), Backoff: time.Millisecond}
			f.cfg.Webhook.check(func(int, string, ...any) {}, func(...string) int { return 0 }, "webhook", policies.Low, alertVerdicts)

			d, stop := startDaemon(t, f.opt, testScanner(t), f.cfg)
			defer stop()
			waitFor(t, "a delivery on retry", f.logs, func() bool {
				return has(d, `baomi_watch_actions_total{action="webhook",outcome="ok"} 1`, `baomi_watch_actions_pending 0`)
			})
			mu.Lock()
			if requests != 2 {
				t.Errorf("%d requests, want 2", requests)
			}
			mu.Unlock()
			for _, w := range []string{
				`baomi_watch_actions_total{action="webhook",outcome="failed"} 1`,
				`baomi_watch_action_retries_total{action="webhook"} 1`,
				`baomi_watch_errors_total{kind="action"} 1`,
			} {
				if !has(d, w) {
					t.Errorf("metrics lack %s:\n%s", w, scrape(d.Handler()))
				}
			}
			var failed string
			for _, l := range strings.Split(f.logs.String(), "\n") {
				if strings.Contains(l, `"message":"action failed: queued for another attempt"`) {
					failed = l
				}
			}
			if !strings.Contains(failed, `"level":"warn"`) || !strings.Contains(failed, tt.wantErr) ||
				!strings.Contains(failed, `"path":"`+f.file+`","action":"webhook","attempt":1`) || strings.Contains(f.logs.String(), "机密") {
				t.Errorf("want the failure logged at warn, without text; log:\n%s", f.logs.String())
			}
		})
	}
}

// TestWatchQuarantineRetriedAfterRestart: a quarantine that fails (a file
// where the quarantine folder should be) stays in the retry queue, and a
// new daemon on the same database moves the file once it can.
func TestWatchQuarantineRetriedAfterRestart(t *testing.T) {
	f := newRetryFixture(t)
	qdir := filepath.Join(f.base, "q")
	mustDo(t, os.WriteFile(qdir, []byte("in the way"), 0o644))
	f.cfg.Quarantine = &Quarantine{Dir: qdir}
	f.cfg.Quarantine.check(func(int, string, ...any) {}, func(...string) int { return 0 }, "quarantine", policies.High, nil)
	sc := testScanner(t)

	d, stop := startDaemon(t, f.opt, sc, f.cfg)
	waitFor(t, "failed quarantines", f.logs, func() bool {
		return has(d, `baomi_watch_actions_pending 1`) && strings.Count(f.logs.String(), `"action":"quarantine","attempt"`) >= 2
	})
	stop()
	if _, err := os.Stat(f.file); err != nil {
		t.Fatalf("the file left the share though the quarantine failed: %v", err)
	}

	mustDo(t, os.Remove(qdir)) // the disk has room again
	d, stop = startDaemon(t, f.opt, sc, f.cfg)
	defer stop()
	waitFor(t, "the quarantine after a restart", f.logs, func() bool {
		return has(d, `baomi_watch_actions_total{action="quarantine",outcome="ok"} 1`, `baomi_watch_actions_pending 0`)
	})
	if b, err := os.ReadFile(filepath.Join(qdir, "sub", "a.txt")); err != nil || string(b) != markedBody {
		t.Errorf("quarantined file: %q %v", b, err)
	}
	if _, err := os.Stat(f.file); !os.IsNotExist(err) {
		t.Errorf("the file is still in the share: %v", err)
	}
	if !has(d, `baomi_watch_files_scanned_total{verdict="flagged"} 0`) {
		t.Error("the file was scanned again; the retry queue alone should have moved it")
	}
}
