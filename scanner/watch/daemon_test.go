package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/match"
)

// syncBuffer is a log sink the test reads while the daemon writes.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

// scanned returns the verdict of each "scanned" line by path.
func (b *syncBuffer) scanned() map[string][]string {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := map[string][]string{}
	for _, line := range strings.Split(b.buf.String(), "\n") {
		var m struct{ Message, Path, Verdict string }
		if json.Unmarshal([]byte(line), &m) == nil && m.Message == "scanned" {
			out[m.Path] = append(out[m.Path], m.Verdict)
		}
	}
	return out
}

func testScanner(t *testing.T) *scanner.Scanner {
	t.Helper()
	p, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return scanner.New(m, scanner.Options{Workers: 2})
}

// TestDaemonInProcess runs the daemon in the test's process (so that the
// race detector sees its goroutines): files written before start, during
// and after, a restart on the same database, and the metrics.
func TestWatchDaemonInProcess(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "share")
	os.MkdirAll(filepath.Join(root, "old"), 0o755)
	write := func(rel, text string) string {
		p := filepath.Join(root, rel)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pre := write("old/pre.txt", "机密★5年\n")
	sc := testScanner(t)
	logs := &syncBuffer{}
	cfg := DefaultConfig()
	cfg.Debounce = 100 * time.Millisecond
	opt := Options{Roots: []string{root}, DB: filepath.Join(base, "watch.db"), Workers: 2, Log: zerolog.New(logs)}

	start := func() (*Daemon, func()) { return startDaemon(t, opt, sc, cfg) }
	wait := func(paths ...string) map[string][]string {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			got := logs.scanned()
			missing := 0
			for _, p := range paths {
				if len(got[p]) == 0 {
					missing++
				}
			}
			if missing == 0 {
				return got
			}
			if time.Now().After(deadline) {
				t.Fatalf("%d of %d files not scanned; log:\n%s", missing, len(paths), logs.buf.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}

	d, stop := start()
	var paths []string
	for i := range 50 {
		paths = append(paths, write(fmt.Sprintf("d%d/f%02d.txt", i%5, i), "会议通知\n"))
	}
	got := wait(append(paths, pre)...)
	if got[pre][0] != "flagged" || got[paths[0]][0] != "clean" {
		t.Errorf("verdicts %v %v", got[pre], got[paths[0]])
	}
	rec := httptest.NewRecorder()
	d.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), `baomi_watch_files_scanned_total{verdict="clean"} 50`) {
		t.Errorf("metrics:\n%s", body)
	}
	stop()

	// Down: one file changes, one appears, one goes.
	time.Sleep(10 * time.Millisecond) // a different mtime on coarse clocks
	changed := write("d0/f00.txt", "内部资料，注意保存\n")
	added := write("new/added.txt", "会议通知\n")
	os.Remove(paths[1])
	before := logs.scanned()
	_, stop = start()
	wait(changed, added)
	time.Sleep(300 * time.Millisecond) // nothing else should be scanned
	stop()
	got = logs.scanned()
	if n := len(got[changed]); n != 2 || got[changed][1] != "flagged" {
		t.Errorf("changed file: %v, want a second scan, flagged", got[changed])
	}
	for _, p := range paths[2:] {
		if len(got[p]) != len(before[p]) {
			t.Errorf("%s scanned again after a restart though unchanged", p)
		}
	}
}

// startDaemon runs a daemon in the test's process; stop cancels it and
// waits for Run to return.
func startDaemon(t *testing.T, opt Options, sc *scanner.Scanner, cfg *Config) (d *Daemon, stop func()) {
	t.Helper()
	d, err := New(opt, sc, cfg)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error)
	go func() { done <- d.Run(ctx) }()
	return d, func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	}
}

// waitFor polls cond until it holds, failing the test after a generous
// deadline (a stuck daemon, not a slow one).
func waitFor(t *testing.T, what string, logs *syncBuffer, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(20 * time.Second); !cond(); time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("waiting for %s; log:\n%s", what, logs.String())
		}
	}
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
