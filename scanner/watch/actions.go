package watch

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/scanner"
)

// payload is the JSON a webhook receives, a command reads on its standard
// input and a quarantine sidecar holds. Findings carry rule ids, locations
// and fingerprints; Text and Context only when the action's include_text
// is set.
type payload struct {
	Path        string           `json:"path"`
	Root        string           `json:"root"`
	Host        string           `json:"host"`
	Format      string           `json:"format"`
	Verdict     scanner.Verdict  `json:"verdict"`
	Reason      string           `json:"reason"`
	MaxSeverity string           `json:"max_severity,omitempty"`
	Time        time.Time        `json:"time"`
	Quarantined string           `json:"quarantined,omitempty"`
	Findings    []payloadFinding `json:"findings"`
}

// payloadFinding is one finding in a payload.
type payloadFinding struct {
	Rule        string           `json:"rule"`
	Title       string           `json:"title,omitempty"`
	Severity    string           `json:"severity"`
	Location    scanner.Location `json:"location"`
	Fingerprint string           `json:"fingerprint"`
	Text        string           `json:"text,omitempty"`
	Context     string           `json:"context,omitempty"`
}

// newPayload describes r; quarantined is where the file was moved, if it was.
func newPayload(root string, r *scanner.Result, quarantined string, includeText bool) payload {
	host, _ := os.Hostname()
	p := payload{Path: r.Path, Root: root, Host: host, Format: r.Format, Verdict: r.Verdict, Reason: r.Reason,
		Time: time.Now().UTC(), Quarantined: quarantined, Findings: []payloadFinding{}}
	if r.Verdict == scanner.Flagged {
		p.MaxSeverity = r.MaxSeverity().String()
	}
	for _, f := range r.Findings {
		pf := payloadFinding{Rule: f.Rule, Title: f.Title, Severity: f.Severity.String(), Location: f.Location, Fingerprint: f.Fingerprint}
		if includeText {
			pf.Text, pf.Context = f.Text, f.Context
		}
		p.Findings = append(p.Findings, pf)
	}
	return p
}

// actor runs the configured actions for results.
type actor struct {
	log    zerolog.Logger
	m      *metrics
	client *http.Client
}

func newActor(log zerolog.Logger, m *metrics) *actor {
	return &actor{log: log, m: m, client: &http.Client{}}
}

// run runs the actions cfg sets for r, in order: quarantine, webhook,
// command. It reports whether the file was moved out of the share. A
// failed action is logged and counted; the others still run.
func (a *actor) run(ctx context.Context, cfg *Config, root string, r *scanner.Result) (moved bool) {
	var dest string
	if q := cfg.Quarantine; q != nil && q.matches(r) {
		var err error
		dest, err = quarantine(q, root, r)
		a.outcome("quarantine", r.Path, err)
		if err == nil {
			moved = true
			a.log.Warn().Str("path", r.Path).Str("to", dest).Msg("quarantined")
		}
	}
	if w := cfg.Webhook; w != nil && w.matches(r) {
		body, err := json.Marshal(newPayload(root, r, dest, w.IncludeText))
		if err == nil {
			err = w.post(ctx, a.client, body)
		}
		a.outcome("webhook", r.Path, err)
	}
	if c := cfg.Command; c != nil && c.matches(r) {
		body, err := json.Marshal(newPayload(root, r, dest, c.IncludeText))
		if err == nil {
			err = c.exec(ctx, r, body)
		}
		a.outcome("command", r.Path, err)
	}
	return moved
}

func (a *actor) outcome(action, path string, err error) {
	if err == nil {
		a.m.actions.WithLabelValues(action, "ok").Inc()
		return
	}
	a.m.actions.WithLabelValues(action, "failed").Inc()
	a.m.errors.WithLabelValues("action").Inc()
	a.log.Error().Err(err).Str("path", path).Str("action", action).Msg("action failed")
}

// quarantine moves r's file to q.Dir under its path relative to root, and
// writes a sidecar (the same name + ".baomi.json"). An existing file is
// never overwritten: the name gets a number (report.1.docx, report.2.docx …).
func quarantine(q *Quarantine, root string, r *scanner.Result) (string, error) {
	rel, err := filepath.Rel(root, r.Path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(r.Path)
	}
	target := filepath.Join(q.Dir, rel)
	if err := os.MkdirAll(filepath.Dir(target), 0o700); err != nil {
		return "", err
	}
	for n := 0; n < 10000; n++ {
		dest := numbered(target, n)
		if _, err := os.Lstat(dest + sidecarExt); err == nil {
			continue
		}
		err := move(r.Path, dest)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		body, err := json.MarshalIndent(newPayload(root, r, dest, q.IncludeText), "", "  ")
		if err != nil {
			return dest, err
		}
		return dest, writeNew(dest+sidecarExt, append(body, '\n'))
	}
	return "", fmt.Errorf("no free name for %s in the quarantine folder", target)
}

// sidecarExt ends the name of a quarantined file's sidecar.
const sidecarExt = ".baomi.json"

// numbered returns path with n before its extension (n > 0).
func numbered(path string, n int) string {
	if n == 0 {
		return path
	}
	ext := filepath.Ext(path)
	return fmt.Sprintf("%s.%d%s", strings.TrimSuffix(path, ext), n, ext)
}

// move moves src to dst without ever replacing dst: a hard link then an
// unlink on one file system, an exclusive copy then an unlink across file
// systems. It returns an fs.ErrExist error when dst exists.
func move(src, dst string) error {
	err := os.Link(src, dst)
	if err == nil {
		return os.Remove(src)
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	// Another file system, or one without hard links.
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return err
	}
	if fi, err := in.Stat(); err == nil {
		_ = os.Chtimes(dst, fi.ModTime(), fi.ModTime()) // keep the date for the investigation
	}
	return os.Remove(src)
}

// writeNew writes a file that must not exist yet.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// post sends body, retrying failures other than a client error with
// exponential backoff: Backoff, 2×Backoff … at most a minute apart.
func (w *Webhook) post(ctx context.Context, client *http.Client, body []byte) error {
	delay := w.Backoff
	var err error
	for attempt := 0; attempt <= *w.Retries; attempt++ {
		if attempt > 0 {
			select {
			case <-time.After(delay):
			case <-ctx.Done():
				return fmt.Errorf("%w (last: %v)", ctx.Err(), err)
			}
			delay = min(2*delay, time.Minute)
		}
		var retry bool
		retry, err = w.try(ctx, client, body)
		if err == nil || !retry {
			return err
		}
	}
	return fmt.Errorf("%d attempts: %w", *w.Retries+1, err)
}

// try makes one request; retry says whether another could succeed.
func (w *Webhook) try(ctx context.Context, client *http.Client, body []byte) (retry bool, err error) {
	ctx, cancel := context.WithTimeout(ctx, w.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "baomi-watch")
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return true, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return false, nil
	case c == http.StatusRequestTimeout || c == http.StatusTooManyRequests || c >= 500:
		return true, fmt.Errorf("webhook answered %s", resp.Status)
	default:
		return false, fmt.Errorf("webhook answered %s (not retried)", resp.Status)
	}
}

// exec runs the command with body on its standard input and BAOMI_PATH,
// BAOMI_VERDICT and BAOMI_SEVERITY set; its output is discarded.
func (c *Command) exec(ctx context.Context, r *scanner.Result, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Run[0], c.Run[1:]...)
	cmd.Stdin = bytes.NewReader(body)
	sev := ""
	if r.Verdict == scanner.Flagged {
		sev = r.MaxSeverity().String()
	}
	cmd.Env = append(os.Environ(), "BAOMI_PATH="+r.Path, "BAOMI_VERDICT="+string(r.Verdict), "BAOMI_SEVERITY="+sev)
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return fmt.Errorf("command %s timed out after %v", c.Run[0], c.Timeout)
		}
		return fmt.Errorf("command %s: %w", c.Run[0], err)
	}
	return nil
}
