package watch

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// checkedNote returns a note as parseConfig leaves it.
func checkedNote(t *testing.T, n Note) *Note {
	t.Helper()
	n.check(func(_ int, f string, args ...any) { t.Fatalf("unexpected problem: "+f, args...) }, func(...string) int { return 0 })
	return &n
}

func TestWatchNoteRender(t *testing.T) {
	flagged := flaggedResult("/s/通知.docx")
	review := scanner.Result{Path: "/s/扫描件.pdf", Verdict: scanner.Review}
	at := time.Date(2026, 12, 1, 9, 5, 0, 0, time.Local)
	tests := []struct {
		name     string
		note     Note
		r        *scanner.Result
		wantName string
		want     []string // in the text, in order
	}{
		{"Chinese by default", Note{}, &flagged, "通知.docx.已隔离.txt",
			[]string{"关于文件“通知.docx”的说明\r\n\r\n", "已于2026年12月1日09:05被保密检查程序自动移出", "检查结论为“发现问题”，文件可能存在泄密问题", "请联系本单位保密管理部门。"}},
		{"English, a file not read completely", Note{Lang: "en", Contact: "Wang Li, ext. 6012"}, &review, "扫描件.pdf.quarantined.txt",
			[]string{`About the file "扫描件.pdf"`, "at 2026-12-01 09:05", `verdict is "review": the file could not be read completely`, "ask Wang Li, ext. 6012."}},
		{"the administrator's template", Note{Name: "{name}", Text: "{name}: {verdict} ({rules}), ask {contact}\n", Contact: "保密办"}, &flagged, "通知.docx",
			[]string{"通知.docx: 发现问题 (marking.classified), ask 保密办\r\n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newPayload("/s", tt.r, "")
			name, body := checkedNote(t, tt.note).render(filepath.Base(tt.r.Path), &p, at)
			if name != tt.wantName {
				t.Errorf("name %q, want %q", name, tt.wantName)
			}
			text, ok := strings.CutPrefix(string(body), "\uFEFF")
			if !ok || strings.Contains(strings.ReplaceAll(text, "\r\n", ""), "\n") {
				t.Errorf("want a byte order mark and CRLF line ends: %q", body)
			}
			rest := text
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("note lacks %q (in order):\n%s", w, text)
				}
				rest = rest[i+len(w):]
			}
			// Never the text found, nor a rule's title.
			for _, secret := range []string{"机密★5年", "密级标志"} {
				if strings.Contains(text, secret) {
					t.Errorf("note holds %q:\n%s", secret, text)
				}
			}
		})
	}

	// The default notes are clean under the default policy, so that a
	// copy of one that someone passes on raises no alarm.
	dir := t.TempDir()
	sc := testScanner(t)
	for _, lang := range []string{"zh", "en"} {
		p := newPayload("/s", &flagged, "")
		_, body := checkedNote(t, Note{Lang: lang}).render("会议通知.docx", &p, at)
		f := filepath.Join(dir, lang+".txt")
		mustDo(t, os.WriteFile(f, body, 0o644))
		if r := sc.ScanFile(t.Context(), f); r.Verdict != scanner.Clean {
			t.Errorf("the default %s note is %s: %+v", lang, r.Verdict, r.Findings)
		}
	}
}

// TestWatchNoteLeft runs the daemon with a quarantine: a file whose name
// holds a marking is moved, a note is left beside where it was (not
// through a link someone put under the note's name), the daemon does not
// scan its own note (its name would flag it, and a quarantine of the
// note would leave a note for the note, forever), but a note someone
// changed is scanned like any file.
func TestWatchNoteLeft(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	mustDo(t, err)
	root, qdir, outside := filepath.Join(base, "share"), filepath.Join(base, "q"), filepath.Join(base, "outside.txt")
	mustDo(t, os.MkdirAll(filepath.Join(root, "sub"), 0o755))
	mustDo(t, os.WriteFile(outside, []byte("outside"), 0o644))
	file := filepath.Join(root, "sub", "机密★5年通知.txt")
	noteName := "机密★5年通知.txt.已隔离.txt"
	// A link under the note's name, into a file outside the share.
	if err := os.Symlink(outside, filepath.Join(root, "sub", noteName)); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	note := filepath.Join(root, "sub", "机密★5年通知.txt.已隔离.1.txt")

	logs := &syncBuffer{}
	cfg := DefaultConfig()
	cfg.Debounce = 50 * time.Millisecond
	cfg.Quarantine = &Quarantine{Dir: qdir, Note: checkedNote(t, Note{Contact: "保密办（电话6012）"})}
	cfg.Quarantine.check(func(int, string, ...any) {}, func(...string) int { return 0 }, "quarantine", policies.High, nil)
	opt := Options{Roots: []string{root}, DB: filepath.Join(base, "watch.db"), Workers: 1, Log: zerolog.New(logs)}
	d, stop := startDaemon(t, opt, testScanner(t), cfg)
	defer stop()
	waitFor(t, "watching", logs, func() bool { return strings.Contains(logs.String(), `"message":"watching"`) })
	mustDo(t, os.WriteFile(file, []byte(markedBody), 0o644))
	waitFor(t, "the note's event", logs, func() bool {
		return strings.Contains(logs.String(), `"path":"`+note+`","message":"not scanned: a note left for a quarantined file"`)
	})

	if b, err := os.ReadFile(filepath.Join(qdir, "sub", "机密★5年通知.txt")); err != nil || string(b) != markedBody {
		t.Errorf("quarantined file: %q %v", b, err)
	}
	if b, _ := os.ReadFile(outside); string(b) != "outside" {
		t.Errorf("the note went through the link: the file outside holds %q", b)
	}
	b, err := os.ReadFile(note)
	if err != nil || !strings.Contains(string(b), "“机密★5年通知.txt”已于") || !strings.Contains(string(b), "请联系保密办（电话6012）。") || strings.Contains(string(b), "关于工作安排") {
		t.Errorf("note: %v\n%s", err, b)
	}
	if n := len(logs.scanned()[note]); n != 0 {
		t.Errorf("the daemon scanned its own note %d times", n)
	}

	// Changed by someone: no longer the daemon's note.
	mustDo(t, os.WriteFile(note, append(b, "机密★5年\n"...), 0o644))
	waitFor(t, "the changed note scanned", logs, func() bool { return len(logs.scanned()[note]) == 1 })
	waitFor(t, "the changed note quarantined", logs, func() bool {
		return has(d, `baomi_watch_actions_total{action="quarantine",outcome="ok"} 2`)
	})
}

func TestWatchWebhookProbe(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodHead || r.Header.Get("Authorization") != "Bearer good" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusMethodNotAllowed) // an answer: reachable
	}))
	defer srv.Close()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	mustDo(t, err)
	closed := "http://" + ln.Addr().String() + "/hook?token=SECRET"
	ln.Close()

	tests := []struct {
		name, url, auth string
		want            string // "" for reachable; else in the error
	}{
		{"reachable", srv.URL, "Bearer good", ""},
		{"refused", srv.URL, "Bearer bad", "refused: it answered 401"},
		{"nothing listening", closed, "", "connection refused"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := &Webhook{URL: tt.url, Timeout: time.Second, Headers: map[string]string{"Authorization": tt.auth}}
			err := w.probe(context.Background(), &http.Client{})
			if tt.want == "" {
				if err != nil {
					t.Errorf("probe: %v, want nil", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) || strings.Contains(err.Error(), "SECRET") {
				t.Errorf("probe: %v, want an error with %q and without the URL", err, tt.want)
			}
			if refused := errors.Is(err, errProbeRefused); refused != (tt.name == "refused") {
				t.Errorf("errProbeRefused %v", refused)
			}
		})
	}

	// The daemon warns at start, and goes on.
	f := newRetryFixture(t)
	f.cfg.Retry = DefaultRetry
	f.cfg.Webhook = &Webhook{URL: closed, Timeout: time.Second, Retries: new(0)}
	f.cfg.Webhook.check(func(int, string, ...any) {}, func(...string) int { return 0 }, "webhook", policies.Low, alertVerdicts)
	_, stop := startDaemon(t, f.opt, testScanner(t), f.cfg)
	defer stop()
	waitFor(t, "the warning", f.logs, func() bool {
		return strings.Contains(f.logs.String(), `"level":"warn","error":"head: dial tcp `) &&
			strings.Contains(f.logs.String(), `"message":"the webhook cannot be reached: alerts wait in the retry queue until it can"`)
	})
	waitFor(t, "the file scanned", f.logs, func() bool { return len(f.logs.scanned()[f.file]) == 1 })
	if strings.Contains(f.logs.String(), "SECRET") {
		t.Errorf("the log holds the webhook's token:\n%s", f.logs.String())
	}
}
