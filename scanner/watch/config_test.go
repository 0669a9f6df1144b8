package watch

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/report"
)

func TestWatchParseConfig(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "watch.yaml")
	full := `debounce: 500ms
ignore: ["*.part", "cache/**"]
quarantine:
  dir: quarantine
  include_text: true
webhook:
  url: https://alerts.example/hook
  retries: 0
command:
  run: [PROGRAM, --quiet]
  min_severity: medium
  verdicts: [error]
  timeout: 5s
retry:
  backoff: 2s
`
	program, err := os.Executable() // a program that is there
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := parseConfig(name, []byte(strings.Replace(full, "PROGRAM", strconv.Quote(program), 1)))
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Debounce != 500*time.Millisecond || len(cfg.Ignore) != 2 {
		t.Errorf("debounce %v ignore %v", cfg.Debounce, cfg.Ignore)
	}
	if q := cfg.Quarantine; q.Dir != filepath.Join(dir, "quarantine") || !q.IncludeText || q.min != policies.High || len(q.verdicts) != 0 {
		t.Errorf("quarantine %+v: want dir beside the config, high, no verdicts", q)
	}
	if n := cfg.Quarantine.Note; n == nil || n.Name != "{name}.已隔离.txt" || n.lang != report.Chinese || n.Contact != "本单位保密管理部门" {
		t.Errorf("note %+v: want the Chinese default", n)
	}
	if w := cfg.Webhook; *w.Retries != 0 || w.Timeout != 10*time.Second || w.Backoff != time.Second || w.min != policies.Low || !w.verdicts[scanner.Error] || !w.verdicts[scanner.Review] {
		t.Errorf("webhook %+v: want defaults and retries 0", w)
	}
	if c := cfg.Command; c.min != policies.Medium || !c.verdicts[scanner.Error] || c.verdicts[scanner.Review] || c.Timeout != 5*time.Second {
		t.Errorf("command %+v", c)
	}

	if r := cfg.Retry; r.Backoff != 2*time.Second || r.MaxBackoff != DefaultRetry.MaxBackoff || r.MaxAttempts != DefaultRetry.MaxAttempts {
		t.Errorf("retry %+v: want backoff 2s and the other defaults", r)
	}

	// Switched off: checked, then absent (a program that is not there is
	// no error then).
	off, err := parseConfig(name, []byte("quarantine:\n  dir: q\n  note:\n    enabled: false\nwebhook:\n  url: http://127.0.0.1:1/\n  enabled: false\ncommand:\n  run: [/nonexistent/notify]\n  enabled: false\n"))
	if err != nil || off.Quarantine == nil || off.Quarantine.Note != nil || off.Webhook != nil || off.Command != nil {
		t.Errorf("switched off: %+v %v; want the quarantine without a note, no webhook, no command", off, err)
	}

	empty, err := parseConfig(name, nil)
	if err != nil || empty.Debounce != DefaultDebounce || len(empty.Ignore) != len(DefaultIgnore) || empty.Quarantine != nil {
		t.Errorf("empty config: %+v, %v; want the defaults", empty, err)
	}
}

func TestWatchParseConfigErrors(t *testing.T) {
	tests := []struct {
		yaml string
		want []string // each must appear, in order
	}{
		{"debounce: 2s\nignor: [x]\n", []string{"w.yaml:2: unknown key ignor"}},
		{"debounce: soon\n", []string{"w.yaml:1:", "time.Duration"}},
		{"debounce: -1s\n", []string{"w.yaml:1: debounce -1s"}},
		{"ignore: [\"[\"]\n", []string{"w.yaml:1: ignore"}},
		{"quarantine:\n  include_text: true\n", []string{"w.yaml:1: quarantine: dir is required"}},
		{"webhook:\n  url: ftp://x\n  retries: 99\n", []string{"w.yaml:2: webhook: url", "w.yaml:3: webhook: retries 99"}},
		{"command:\n  run: []\n  min_severity: grave\n  verdicts: [clean]\n", []string{"w.yaml:1: command: run is required", "w.yaml:3: command: min_severity", "w.yaml:4: command: verdicts"}},
		{"webhook: [1, 2\n", []string{"w.yaml:"}},
		{"retry:\n  backoff: 1m\n  max_backoff: 1s\n", []string{"w.yaml:3: retry: max_backoff 1s is less than backoff 1m0s"}},
		{"command:\n  run: [baomi-no-such-program, -x]\n", []string{"w.yaml:2: command: the program baomi-no-such-program was not found or cannot be run: install it, correct run, or set enabled: false"}},
		{"webhook:\n  url: http://x/\n  enabled: maybe\n", []string{"w.yaml:3:", "bool"}},
		{"quarantine:\n  dir: q\n  note:\n    lang: fr\n    name: a/{name}\n    text: \"{name} {body}\"\n", []string{"w.yaml:4: quarantine: note: lang \"fr\": expected zh or en", "w.yaml:5: quarantine: note: name \"a/{name}\": expected a file name, not a path", "w.yaml:6: quarantine: note: text: unknown placeholder {body}"}},
		{"quarantine:\n  dir: q\n  note:\n    name: \"{time}.txt\"\n", []string{"w.yaml:4: quarantine: note: name: {time}: only {name} may be used in the name"}},
		{"retry:\n  max_attempts: -1\n", []string{"w.yaml:1: retry: backoff and max_backoff must not be negative"}},
	}
	for _, tt := range tests {
		_, err := parseConfig("w.yaml", []byte(tt.yaml))
		if err == nil {
			t.Errorf("%q: no error", tt.yaml)
			continue
		}
		msg, at := err.Error(), 0
		for _, w := range tt.want {
			i := strings.Index(msg[at:], w)
			if i < 0 {
				t.Errorf("%q: error %q lacks %q (in order)", tt.yaml, msg, w)
				break
			}
			at += i + len(w)
		}
	}
}

func TestWatchTrigger(t *testing.T) {
	finding := func(s policies.Severity) scanner.Finding { return scanner.Finding{Rule: "r", Severity: s} }
	results := map[string]scanner.Result{
		"clean":  {Verdict: scanner.Clean},
		"low":    {Verdict: scanner.Flagged, Findings: []scanner.Finding{finding(policies.Low)}},
		"high":   {Verdict: scanner.Flagged, Findings: []scanner.Finding{finding(policies.Low), finding(policies.High)}},
		"review": {Verdict: scanner.Review},
		"error":  {Verdict: scanner.Error},
	}
	tests := []struct {
		min      policies.Severity
		verdicts []string
		want     string // the results that match, in order clean low high review error
	}{
		{policies.High, nil, "high"},
		{policies.Low, alertVerdicts, "low high review error"},
		{policies.Medium, []string{"error"}, "high error"},
	}
	for _, tt := range tests {
		tr := Trigger{Verdicts: tt.verdicts}
		if tt.min != policies.Low {
			tr.MinSeverity = tt.min.String()
		}
		tr.check(func(int, string, ...any) { t.Fatal("unexpected problem") }, func(...string) int { return 0 }, "x", policies.Low, nil)
		var got []string
		for _, k := range []string{"clean", "low", "high", "review", "error"} {
			r := results[k]
			if tr.matches(&r) {
				got = append(got, k)
			}
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("min %v verdicts %v: matches %v, want %s", tt.min, tt.verdicts, got, tt.want)
		}
	}
}

func TestWatchIgnored(t *testing.T) {
	root := filepath.FromSlash("/srv/share")
	tests := []struct {
		path string
		want bool
	}{
		{"/srv/share/~$通知.docx", true},
		{"/srv/share/a/b/draft.tmp", true},
		{"/srv/share/.~lock.report.odt#", true},
		{"/srv/share/~WRL0001.tmp", true},
		{"/srv/share/.DS_Store", true},
		{"/srv/share/通知.docx", false},
		{"/srv/share/tmp/report.pdf", false},
		{"/srv/share/a~$b.docx", false},
	}
	for _, tt := range tests {
		if got := ignored(DefaultIgnore, root, filepath.FromSlash(tt.path)); got != tt.want {
			t.Errorf("ignored(%s) = %v, want %v", tt.path, got, tt.want)
		}
	}
	globs := []string{"cache/**", "*.part"}
	for path, want := range map[string]bool{
		"/srv/share/cache/x/y.pdf": true,
		"/srv/share/a/cache/y.pdf": false,
		"/srv/share/a/b.part":      true,
	} {
		if got := ignored(globs, root, filepath.FromSlash(path)); got != want {
			t.Errorf("ignored(%v, %s) = %v, want %v", globs, path, got, want)
		}
	}
}

// TestExampleConfig keeps deploy/watch.example.yaml valid.
func TestWatchExampleConfig(t *testing.T) {
	cfg, err := LoadConfig(filepath.Join("..", "..", "deploy", "watch.example.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	// The webhook and the command ship switched off: the example's
	// address and program are placeholders.
	if cfg.Quarantine == nil || cfg.Quarantine.Note == nil || cfg.Webhook != nil || cfg.Command != nil || cfg.Debounce != DefaultDebounce {
		t.Errorf("example config: %+v", cfg)
	}
}

func TestWatchRetryDelay(t *testing.T) {
	r := Retry{Backoff: time.Second, MaxBackoff: 10 * time.Second}
	tests := []struct {
		failed int
		want   time.Duration // the delay before jitter
	}{{1, time.Second}, {2, 2 * time.Second}, {4, 8 * time.Second}, {5, 10 * time.Second}, {1000, 10 * time.Second}}
	for _, tt := range tests {
		for range 50 {
			if d := r.delay(tt.failed); d > tt.want || d < tt.want*4/5 {
				t.Fatalf("delay after %d failures: %v, want %v less at most a fifth", tt.failed, d, tt.want)
			}
		}
	}
}
