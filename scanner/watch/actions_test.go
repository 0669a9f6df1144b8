package watch

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// flaggedResult is a result with one high finding whose text is secret.
func flaggedResult(path string) scanner.Result {
	return scanner.Result{Path: path, Format: "text", Verdict: scanner.Flagged, Findings: []scanner.Finding{{
		Rule: "marking.classified", Title: "密级标志", Severity: policies.High, Text: "机密★5年",
		Context: "机密★5年 关于", Fingerprint: "0123456789abcdef",
		Location: scanner.Location{Part: "body", Line: 1},
	}}}
}

func TestWatchQuarantine(t *testing.T) {
	base := t.TempDir()
	root, qdir := filepath.Join(base, "share"), filepath.Join(base, "q")
	for _, tt := range []struct {
		includeText bool
		want        string // the quarantined name, relative to qdir
	}{
		{false, "sub/a.txt"},
		{false, "sub/a.1.txt"}, // a.txt taken: never overwritten
		{true, "sub/a.2.txt"},
	} {
		src := filepath.Join(root, "sub", "a.txt")
		if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(src, []byte(tt.want), 0o644)
		r := flaggedResult(src)
		id, err := identify(root, src)
		if err != nil {
			t.Fatal(err)
		}
		dest, err := quarantine(&Quarantine{Dir: qdir, IncludeText: tt.includeText}, &task{Action: actQuarantine, Payload: newPayload(root, &r, ""), File: id, r: &r}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := filepath.Join(qdir, filepath.FromSlash(tt.want)); dest != want {
			t.Errorf("moved to %s, want %s", dest, want)
		}
		if _, err := os.Stat(src); !os.IsNotExist(err) {
			t.Errorf("%s still in the share", src)
		}
		if b, _ := os.ReadFile(dest); string(b) != tt.want {
			t.Errorf("%s holds %q: another file was overwritten", dest, b)
		}
		side, err := os.ReadFile(dest + sidecarExt)
		if err != nil {
			t.Fatal(err)
		}
		var p payload
		if err := json.Unmarshal(side, &p); err != nil {
			t.Fatal(err)
		}
		if p.Path != src || p.Quarantined != dest || p.Root != root || p.MaxSeverity != "high" ||
			len(p.Findings) != 1 || p.Findings[0].Fingerprint != "0123456789abcdef" || p.Findings[0].Location.Part != "body" {
			t.Errorf("sidecar %s", side)
		}
		if has := strings.Contains(string(side), "机密"); has != tt.includeText {
			t.Errorf("include_text %v, but the sidecar holds the text: %v", tt.includeText, has)
		}
	}
}

func TestWatchMoveAcrossFileSystems(t *testing.T) {
	// /dev/shm is another file system than the temp folder on most Linux
	// machines; elsewhere this checks the same-file-system path again.
	if runtime.GOOS != "linux" {
		t.Skip("uses /dev/shm")
	}
	other, err := os.MkdirTemp("/dev/shm", "baomi-watch")
	if err != nil {
		t.Skip("no /dev/shm:", err)
	}
	defer os.RemoveAll(other)
	root := t.TempDir()
	src := filepath.Join(root, "a.txt")
	os.WriteFile(src, []byte("x"), 0o644)
	old := time.Date(2020, 1, 2, 3, 4, 5, 0, time.UTC)
	os.Chtimes(src, old, old)
	dst := filepath.Join(other, "a.txt")
	move := func() error {
		id, err := identify(root, src)
		if err != nil {
			t.Fatal(err)
		}
		return moveBeneath(root, "a.txt", id, dst)
	}
	if err := move(); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(dst)
	if err != nil || !fi.ModTime().Equal(old) {
		t.Errorf("moved file: %v, mtime %v, want %v", err, fi.ModTime(), old)
	}
	if _, err := os.Stat(src); !os.IsNotExist(err) {
		t.Errorf("the moved file is still in the share: %v", err)
	}
	os.WriteFile(src, []byte("y"), 0o644)
	if err := move(); !os.IsExist(err) {
		t.Errorf("moving onto an existing file: %v, want exists", err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "x" {
		t.Errorf("the file in quarantine was overwritten: %q", b)
	}
}

func TestWatchWebhook(t *testing.T) {
	tests := []struct {
		name     string
		statuses []int // answers in turn; the last repeats
		retries  int
		wantErr  bool
		wantHits int32
		final    bool // an error no later attempt can mend
	}{
		{"ok at once", []int{200}, 3, false, 1, false},
		{"retried until ok", []int{503, 502, 204}, 3, false, 3, false},
		{"gives up", []int{500}, 2, true, 3, false},
		{"client error not retried", []int{400}, 3, true, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits atomic.Int32
			var body atomic.Value
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := int(hits.Add(1))
				b, _ := io.ReadAll(r.Body)
				body.Store(string(b))
				if r.Header.Get("Content-Type") != "application/json" || r.Header.Get("X-Token") != "t" {
					t.Errorf("headers %v", r.Header)
				}
				w.WriteHeader(tt.statuses[min(n, len(tt.statuses))-1])
			}))
			defer srv.Close()
			w := &Webhook{URL: srv.URL, Timeout: time.Second, Backoff: 10 * time.Millisecond, Retries: new(tt.retries), Headers: map[string]string{"X-Token": "t"}}
			r := flaggedResult("/s/a.txt")
			b, _ := json.Marshal(newPayload("/s", &r, ""))
			err := w.post(t.Context(), http.DefaultClient, b)
			if (err != nil) != tt.wantErr || hits.Load() != tt.wantHits || isPermanent(err) != tt.final {
				t.Errorf("err %v (permanent %v) after %d requests; want error %v (permanent %v) after %d", err, isPermanent(err), hits.Load(), tt.wantErr, tt.final, tt.wantHits)
			}
			if s, _ := body.Load().(string); strings.Contains(s, "机密") || !strings.Contains(s, `"fingerprint":"0123456789abcdef"`) {
				t.Errorf("payload %s", s)
			}
		})
	}

	// A server that does not answer within the timeout.
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-block }))
	defer srv.Close()
	defer close(block)
	w := &Webhook{URL: srv.URL, Timeout: 100 * time.Millisecond, Backoff: time.Millisecond, Retries: new(1)}
	// Without the timeout, post would wait until the test ends; the bound is
	// loose so that a loaded machine cannot fail it.
	start := time.Now()
	if err := w.post(t.Context(), http.DefaultClient, []byte("{}")); err == nil || time.Since(start) > 30*time.Second {
		t.Errorf("hanging server: %v after %v", err, time.Since(start))
	}
}

func TestWatchCommand(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses /bin/sh")
	}
	dir := t.TempDir()
	out := filepath.Join(dir, "out")
	r := flaggedResult("/s/a b.txt")
	p := newPayload("/s", &r, "")
	body, _ := json.Marshal(p)
	c := &Command{Run: []string{"/bin/sh", "-c", `printf '%s|%s|%s|' "$BAOMI_PATH" "$BAOMI_VERDICT" "$BAOMI_SEVERITY" > "$0"; cat >> "$0"`, out}, Timeout: 5 * time.Second}
	if err := c.exec(t.Context(), &p, body); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(out)
	if want := "/s/a b.txt|flagged|high|" + string(body); string(got) != want {
		t.Errorf("command saw %q, want %q", got, want)
	}

	slow := &Command{Run: []string{"/bin/sh", "-c", "sleep 10"}, Timeout: 200 * time.Millisecond}
	// Killed at its timeout, well before its sleep ends (a loose bound).
	start := time.Now()
	if err := slow.exec(t.Context(), &p, body); err == nil || !strings.Contains(err.Error(), "timed out") || time.Since(start) > 8*time.Second {
		t.Errorf("slow command: %v after %v", err, time.Since(start))
	}
	failing := &Command{Run: []string{"/bin/sh", "-c", "exit 3"}, Timeout: time.Second}
	if err := failing.exec(t.Context(), &p, body); err == nil {
		t.Error("a failing command gave no error")
	}
}
