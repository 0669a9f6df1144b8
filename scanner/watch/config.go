package watch

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// DefaultDebounce is how long a file must stay unchanged (size and
// modification time) before it is scanned, when neither flag nor config
// says otherwise.
const DefaultDebounce = 2 * time.Second

// DefaultIgnore are the names of temporary and lock files that office
// programs and file managers leave beside documents: Word's ~$x.docx owner
// files, LibreOffice's .~lock.x.odt# files, *.tmp, macOS's .DS_Store.
var DefaultIgnore = []string{"~$*", "*.tmp", ".~lock.*#", "~*.tmp", ".DS_Store"}

// Config is the daemon's YAML configuration (--config). Every field is
// optional; the zero Config (see DefaultConfig) logs results and acts on
// nothing.
type Config struct {
	// Debounce is how long a file must stay unchanged before it is scanned.
	Debounce time.Duration `yaml:"debounce"`
	// Ignore lists globs of names (or, with a '/', of paths relative to the
	// watched folder) that are never scanned; it replaces DefaultIgnore.
	Ignore     []string    `yaml:"ignore"`
	Quarantine *Quarantine `yaml:"quarantine"`
	Webhook    *Webhook    `yaml:"webhook"`
	Command    *Command    `yaml:"command"`
	// Retry says how failed actions are tried again.
	Retry Retry `yaml:"retry"`
}

// Retry is the schedule of the retry queue: an action that failed (a
// webhook down, a full disk, a command that failed) is kept in the
// database and tried again Backoff later, then twice as long each time up
// to MaxBackoff (less up to a fifth at random, so that actions that failed
// together do not come back together), across restarts, until it succeeds
// or has been tried MaxAttempts times in all.
type Retry struct {
	Backoff     time.Duration `yaml:"backoff"`
	MaxBackoff  time.Duration `yaml:"max_backoff"`
	MaxAttempts int           `yaml:"max_attempts"`
}

// DefaultRetry: 1s, 2s … 15m, then every 15m; 400 attempts last about
// three and a half days.
var DefaultRetry = Retry{Backoff: time.Second, MaxBackoff: 15 * time.Minute, MaxAttempts: 400}

// delay returns the wait after the n-th failed attempt.
func (r *Retry) delay(n int) time.Duration {
	d := r.Backoff
	for i := 1; i < n && d < r.MaxBackoff; i++ {
		d *= 2
	}
	d = min(d, r.MaxBackoff)
	return d - rand.N(d/5+1)
}

// Trigger says which results an action acts on: flagged files with a
// finding at or above MinSeverity, and files whose verdict is in Verdicts
// (review or error).
type Trigger struct {
	// Enabled false switches the action off (it is still checked): the
	// example config ships its webhook and command so.
	Enabled     *bool    `yaml:"enabled"`
	MinSeverity string   `yaml:"min_severity"`
	Verdicts    []string `yaml:"verdicts"`

	min      policies.Severity
	verdicts map[scanner.Verdict]bool
}

// Quarantine moves matching files out of the share into Dir, keeping their
// path relative to the watched folder, with a JSON sidecar saying why.
type Quarantine struct {
	Trigger     `yaml:",inline"`
	Dir         string `yaml:"dir"`
	IncludeText bool   `yaml:"include_text"`
	// Note is left in the share in place of each file moved (see Note);
	// nil leaves none. A config file's quarantine has one unless it says
	// enabled: false.
	Note *Note `yaml:"note"`
}

// Webhook POSTs matching results as JSON to URL.
type Webhook struct {
	Trigger     `yaml:",inline"`
	URL         string            `yaml:"url"`
	Headers     map[string]string `yaml:"headers"`
	Timeout     time.Duration     `yaml:"timeout"`
	Retries     *int              `yaml:"retries"`
	Backoff     time.Duration     `yaml:"backoff"`
	IncludeText bool              `yaml:"include_text"`
}

// Command runs a program for matching results, with the result as JSON on
// its standard input.
type Command struct {
	Trigger     `yaml:",inline"`
	Run         []string      `yaml:"run"`
	Timeout     time.Duration `yaml:"timeout"`
	IncludeText bool          `yaml:"include_text"`
}

// DefaultConfig is the configuration without a config file.
func DefaultConfig() *Config {
	return &Config{Debounce: DefaultDebounce, Ignore: append([]string(nil), DefaultIgnore...), Retry: DefaultRetry}
}

// matches reports whether r sets the trigger off.
func (t *Trigger) matches(r *scanner.Result) bool {
	if r.Verdict == scanner.Flagged && r.MaxSeverity() >= t.min {
		return true
	}
	return t.verdicts[r.Verdict]
}

// LoadConfig reads and checks a config file. Every problem is reported as
// "file:line: message", all of them at once.
func LoadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseConfig(path, data)
}

var (
	yamlLine     = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	unknownField = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// parseConfig decodes data (read from name) and checks it.
func parseConfig(name string, data []byte) (*Config, error) {
	type problem struct {
		line int
		msg  string
	}
	var errs []problem
	at := func(line int, format string, args ...any) {
		errs = append(errs, problem{line, fmt.Sprintf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))})
	}
	cfg := DefaultConfig()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, yamlErrors(name, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(cfg); err != nil && err != io.EOF { // io.EOF: an empty file
		return nil, yamlErrors(name, err)
	}
	line := func(keys ...string) int { return lineOf(&root, keys...) }

	if cfg.Debounce < 0 || cfg.Debounce > time.Hour {
		at(line("debounce"), "debounce %v: expected a duration between 0 and 1h, such as 2s", cfg.Debounce)
	}
	if cfg.Debounce == 0 {
		cfg.Debounce = DefaultDebounce
	}
	for _, g := range cfg.Ignore {
		if !doublestar.ValidatePattern(g) || g == "" {
			at(line("ignore"), "ignore: %q is not a valid glob", g)
		}
	}
	base := filepath.Dir(name)
	if q := cfg.Quarantine; q != nil {
		q.check(at, line, "quarantine", policies.High, nil)
		if q.Dir == "" {
			at(line("quarantine"), "quarantine: dir is required (the folder flagged files are moved to)")
		} else if !filepath.IsAbs(q.Dir) {
			q.Dir = filepath.Join(base, q.Dir)
		}
		if q.Note == nil {
			q.Note = &Note{}
		}
		q.Note.check(at, line)
		if !on(q.Note.Enabled) {
			q.Note = nil
		}
	}
	if w := cfg.Webhook; w != nil {
		w.check(at, line, "webhook", policies.Low, alertVerdicts)
		if u, err := url.Parse(w.URL); w.URL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			at(line("webhook", "url"), "webhook: url %q: expected an http:// or https:// address", w.URL)
		}
		if w.Timeout < 0 || w.Backoff < 0 {
			at(line("webhook"), "webhook: timeout and backoff must not be negative")
		}
		w.Timeout = orDefault(w.Timeout, 10*time.Second)
		w.Backoff = orDefault(w.Backoff, time.Second)
		if w.Retries == nil {
			w.Retries = new(3)
		} else if *w.Retries < 0 || *w.Retries > 20 {
			at(line("webhook", "retries"), "webhook: retries %d: expected 0 to 20", *w.Retries)
		}
	}
	if c := cfg.Command; c != nil {
		c.check(at, line, "command", policies.Low, alertVerdicts)
		if len(c.Run) == 0 || c.Run[0] == "" {
			at(line("command"), "command: run is required: the program and its arguments, as a list")
		}
		if c.Timeout < 0 {
			at(line("command", "timeout"), "command: timeout must not be negative")
		}
		c.Timeout = orDefault(c.Timeout, 30*time.Second)
		// A program that is not there would fail every alert, silently
		// until someone reads the log: refuse to start (or to reload).
		if len(c.Run) > 0 && c.Run[0] != "" && on(c.Enabled) {
			if _, err := exec.LookPath(c.Run[0]); err != nil {
				at(line("command", "run"), "command: the program %s was not found or cannot be run: install it, correct run, or set enabled: false", c.Run[0])
			}
		}
	}
	if r := &cfg.Retry; r.Backoff < 0 || r.MaxBackoff < 0 || r.MaxAttempts < 0 || r.MaxAttempts > 100000 {
		at(line("retry"), "retry: backoff and max_backoff must not be negative, max_attempts must be between 1 and 100000")
	} else {
		r.Backoff = orDefault(r.Backoff, DefaultRetry.Backoff)
		r.MaxBackoff = orDefault(r.MaxBackoff, DefaultRetry.MaxBackoff)
		if r.MaxAttempts == 0 {
			r.MaxAttempts = DefaultRetry.MaxAttempts
		}
		if r.MaxBackoff < r.Backoff {
			at(line("retry", "max_backoff"), "retry: max_backoff %v is less than backoff %v", r.MaxBackoff, r.Backoff)
		}
	}
	// Switched off: checked like the others, then dropped as if absent.
	if cfg.Quarantine != nil && !on(cfg.Quarantine.Enabled) {
		cfg.Quarantine = nil
	}
	if cfg.Webhook != nil && !on(cfg.Webhook.Enabled) {
		cfg.Webhook = nil
	}
	if cfg.Command != nil && !on(cfg.Command.Enabled) {
		cfg.Command = nil
	}
	if len(errs) > 0 {
		slices.SortStableFunc(errs, func(a, b problem) int { return a.line - b.line })
		msgs := make([]string, len(errs))
		for i, e := range errs {
			msgs[i] = e.msg
		}
		return nil, errors.New(strings.Join(msgs, "\n"))
	}
	return cfg, nil
}

// alertVerdicts are the verdicts webhook and command act on by default: a
// file baomi could not read completely is not proven clean, so someone
// should hear of it (fail closed), but it is not moved out of the share.
var alertVerdicts = []string{string(scanner.Review), string(scanner.Error)}

// check parses the trigger of action section, filling in the defaults.
func (t *Trigger) check(at func(int, string, ...any), line func(...string) int, section string, min policies.Severity, verdicts []string) {
	t.min = min
	if t.MinSeverity != "" {
		s, err := policies.ParseSeverity(t.MinSeverity)
		if err != nil {
			at(line(section, "min_severity"), "%s: min_severity: %v", section, err)
		}
		t.min = s
	}
	if t.Verdicts == nil {
		t.Verdicts = verdicts
	}
	t.verdicts = map[scanner.Verdict]bool{}
	for _, v := range t.Verdicts {
		switch scanner.Verdict(v) {
		case scanner.Review, scanner.Error:
			t.verdicts[scanner.Verdict(v)] = true
		default:
			at(line(section, "verdicts"), "%s: verdicts: %q: expected review or error (flagged files are chosen by min_severity)", section, v)
		}
	}
}

// on reads an enabled switch: on unless set to false.
func on(enabled *bool) bool { return enabled == nil || *enabled }

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// yamlErrors turns yaml.v3's "line N: msg" errors into "file:N: msg".
func yamlErrors(name string, err error) error {
	var msgs []string
	var te *yaml.TypeError
	if errors.As(err, &te) {
		msgs = te.Errors
	} else {
		msgs = []string{err.Error()}
	}
	out := make([]string, 0, len(msgs))
	for _, m := range msgs {
		if sm := yamlLine.FindStringSubmatch(m); sm != nil {
			n, _ := strconv.Atoi(sm[1])
			msg := unknownField.ReplaceAllString(sm[2], "unknown key $1")
			out = append(out, fmt.Sprintf("%s:%d: %s", name, n, msg))
		} else {
			out = append(out, fmt.Sprintf("%s: %s", name, strings.TrimPrefix(m, "yaml: ")))
		}
	}
	return errors.New(strings.Join(out, "\n"))
}

// lineOf returns the line of the value at keys in a YAML document, or of
// the deepest key found, or 1.
func lineOf(doc *yaml.Node, keys ...string) int {
	n, line := doc, 1
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	for _, k := range keys {
		if n.Kind != yaml.MappingNode {
			return line
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				line, next = n.Content[i].Line, n.Content[i+1]
				break
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}
