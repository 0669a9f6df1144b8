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
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
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

// newPayload describes r, without its text; quarantined is where the file
// was moved, if it was.
func newPayload(root string, r *scanner.Result, quarantined string) payload {
	host, _ := os.Hostname()
	p := payload{Path: r.Path, Root: root, Host: host, Format: r.Format, Verdict: r.Verdict, Reason: r.Reason,
		Time: time.Now().UTC(), Quarantined: quarantined, Findings: []payloadFinding{}}
	if r.Verdict == scanner.Flagged {
		p.MaxSeverity = r.MaxSeverity().String()
	}
	for _, f := range r.Findings {
		p.Findings = append(p.Findings, payloadFinding{Rule: f.Rule, Title: f.Title, Severity: f.Severity.String(), Location: f.Location, Fingerprint: f.Fingerprint})
	}
	return p
}

// The actions, in the order they run.
const (
	actQuarantine = "quarantine"
	actWebhook    = "webhook"
	actCommand    = "command"
)

// task is one action for one result. A failed task waits in the retry
// queue (the database's table actions) as JSON, so its Payload never
// holds document text; r, with the text an include_text action sends,
// is there only for the first attempt.
type task struct {
	Action  string  `json:"action"`
	Payload payload `json:"payload"`
	File    *fileID `json:"file,omitempty"` // the file scanned, for a quarantine
	r       *scanner.Result
}

// payload returns what the action sends: the text too when includeText
// is set and the result is at hand (a retry has no text to send).
func (t *task) payload(includeText bool) payload {
	p := t.Payload
	if includeText && t.r != nil && len(t.r.Findings) == len(p.Findings) {
		p.Findings = slices.Clone(p.Findings)
		for i, f := range t.r.Findings {
			p.Findings[i].Text, p.Findings[i].Context = f.Text, f.Context
		}
	}
	return p
}

// actor runs the configured actions for results.
type actor struct {
	log    zerolog.Logger
	m      *metrics
	client *http.Client
	notes  *store // records the notes quarantines leave
}

func newActor(log zerolog.Logger, m *metrics, notes *store) *actor {
	return &actor{log: log, m: m, client: &http.Client{}, notes: notes}
}

// run tries once each action cfg sets for r, in order: quarantine,
// webhook, command; id is the file the scan read. It reports whether the
// file was moved out of the share and returns the failed tasks worth
// another attempt (the caller queues them) with their wait.
func (a *actor) run(ctx context.Context, cfg *Config, root string, r *scanner.Result, id *fileID) (moved bool, retry []queuedTask) {
	base := newPayload(root, r, "")
	for _, t := range []struct {
		name string
		on   bool
	}{
		{actQuarantine, cfg.Quarantine != nil && cfg.Quarantine.matches(r)},
		{actWebhook, cfg.Webhook != nil && cfg.Webhook.matches(r)},
		{actCommand, cfg.Command != nil && cfg.Command.matches(r)},
	} {
		if !t.on {
			continue
		}
		tk := task{Action: t.name, Payload: base, r: r}
		if t.name == actQuarantine {
			tk.File = id
		}
		dest, err := a.attempt(ctx, cfg, &tk)
		if dest != "" {
			moved, base.Quarantined = true, dest
		}
		if again, wait := a.outcome(&tk, 1, err, &cfg.Retry); again {
			tk.r = nil
			retry = append(retry, queuedTask{task: tk, attempts: 1, next: time.Now().Add(wait)})
		}
	}
	return moved, retry
}

// attempt runs t once; for a quarantine it returns where the file went
// (even with an error, when only the sidecar failed).
func (a *actor) attempt(ctx context.Context, cfg *Config, t *task) (dest string, err error) {
	var include bool
	var send func(body []byte) error
	switch t.Action {
	case actQuarantine:
		if cfg.Quarantine == nil {
			return "", permanent(errors.New("quarantine is no longer configured"))
		}
		dest, err = quarantine(cfg.Quarantine, t, a.notes)
		if dest != "" {
			a.log.Warn().Str("path", t.Payload.Path).Str("to", dest).Msg("quarantined")
		}
		return dest, err
	case actWebhook:
		w := cfg.Webhook
		if w == nil {
			return "", permanent(errors.New("the webhook is no longer configured"))
		}
		include, send = w.IncludeText, func(b []byte) error { return w.post(ctx, a.client, b) }
	case actCommand:
		c := cfg.Command
		if c == nil {
			return "", permanent(errors.New("the command is no longer configured"))
		}
		p := &t.Payload
		include, send = c.IncludeText, func(b []byte) error { return c.exec(ctx, p, b) }
	default:
		return "", permanent(fmt.Errorf("unknown action %q", t.Action))
	}
	body, err := json.Marshal(t.payload(include))
	if err != nil {
		return "", permanent(err)
	}
	return "", send(body)
}

// outcome counts and logs the result of attempt number n of t, and says
// whether to try again and after how long: not after a success, a
// refusal, a failure no attempt can mend, nor after rt.MaxAttempts.
// Logs carry our own error messages and the path, never document text.
func (a *actor) outcome(t *task, n int, err error, rt *Retry) (again bool, wait time.Duration) {
	label := "ok"
	switch {
	case err == nil:
	case errors.Is(err, errRefused):
		label = "refused"
		a.log.Warn().Str("path", t.Payload.Path).Str("action", t.Action).Str("reason", err.Error()).Msg("action refused")
	case isPermanent(err) || n >= rt.MaxAttempts:
		label = "given_up"
		a.log.Error().Err(err).Str("path", t.Payload.Path).Str("action", t.Action).Int("attempts", n).Msg("action failed for good")
	default:
		label, again, wait = "failed", true, rt.delay(n)
		a.log.Warn().Err(err).Str("path", t.Payload.Path).Str("action", t.Action).Int("attempt", n).Dur("retry_in", wait).Msg("action failed: queued for another attempt")
	}
	a.m.actions.WithLabelValues(t.Action, label).Inc()
	if err != nil && label != "refused" {
		a.m.errors.WithLabelValues("action").Inc()
	}
	return again, wait
}

// permanentError is a failure another attempt cannot mend, such as a
// webhook's 4xx answer.
type permanentError struct{ err error }

func (e permanentError) Error() string { return e.err.Error() }
func (e permanentError) Unwrap() error { return e.err }

// permanent marks err (if any) as one no retry can mend.
func permanent(err error) error {
	if err == nil {
		return nil
	}
	return permanentError{err}
}

func isPermanent(err error) bool {
	var p permanentError
	return errors.As(err, &p)
}

// quarantine moves t's file to q.Dir under its path relative to the
// watched folder, writes a sidecar (the same name + ".baomi.json") and
// leaves q.Note in the share (recorded in notes). The file moved is the
// one scanned, or none (see moveBeneath). An existing file is never
// overwritten: the name gets a number (report.1.docx, report.2.docx …).
func quarantine(q *Quarantine, t *task, notes *store) (string, error) {
	if t.File == nil {
		return "", refused("the file could not be reached beneath the watched folder when it was scanned", nil)
	}
	rel, err := relBeneath(t.Payload.Root, t.Payload.Path)
	if err != nil {
		return "", err
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
		err := moveBeneath(t.Payload.Root, rel, t.File, dest)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", err
		}
		p := t.payload(q.IncludeText)
		p.Quarantined = dest
		body, err := json.MarshalIndent(p, "", "  ")
		if err == nil {
			err = writeNew(dest+sidecarExt, append(body, '\n'), 0o600)
		}
		if q.Note != nil {
			if nerr := leaveNote(q.Note, notes, t, rel); nerr != nil {
				err = errors.Join(err, fmt.Errorf("the note could not be left in the share: %w", nerr))
			}
		}
		// The file is moved: another attempt would find nothing to move.
		return dest, permanent(err)
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

// writeNew writes a file that must not exist yet, readable by its owner
// only (a sidecar) or by all (perm 0o644: a note in the share).
func writeNew(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	return writeClose(f, data)
}

// writeClose writes data to f and closes it.
func writeClose(f *os.File, data []byte) error {
	_, err := f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// readLimited reads r whole, refusing more than limit bytes.
func readLimited(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err == nil && int64(len(data)) > limit {
		err = errors.New("larger than expected")
	}
	return data, err
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
			return permanent(err)
		}
	}
	if *w.Retries == 0 {
		return err
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
		return true, withoutURL(err)
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

// probeTimeout bounds the start-up check of a webhook.
const probeTimeout = 5 * time.Second

// probe checks that the webhook can be reached: a HEAD request to its URL
// with its headers, through the same client (proxy, TLS) as the posts,
// cut off after its timeout or probeTimeout. Any answer will do but 401
// and 403, which its posts would get too and which are not retried.
func (w *Webhook) probe(ctx context.Context, client *http.Client) error {
	ctx, cancel := context.WithTimeout(ctx, min(w.Timeout, probeTimeout))
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, w.URL, nil)
	if err != nil {
		return err
	}
	req.Header.Set("User-Agent", "baomi-watch")
	for k, v := range w.Headers {
		req.Header.Set(k, v)
	}
	resp, err := client.Do(req)
	if err != nil {
		return withoutURL(err)
	}
	resp.Body.Close()
	if resp.StatusCode == http.StatusUnauthorized || resp.StatusCode == http.StatusForbidden {
		return fmt.Errorf("%w: it answered %s", errProbeRefused, resp.Status)
	}
	return nil
}

// withoutURL returns the cause of an HTTP client's error without the URL
// it quotes, which may hold a token (?key=…) that must not be logged.
func withoutURL(err error) error {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		return fmt.Errorf("%s: %w", strings.ToLower(ue.Op), ue.Err)
	}
	return err
}

// errProbeRefused marks a webhook that answers its check 401 or 403.
var errProbeRefused = errors.New("refused")

// exec runs the command with body on its standard input and BAOMI_PATH,
// BAOMI_VERDICT and BAOMI_SEVERITY (from p) set; its output is discarded.
func (c *Command) exec(ctx context.Context, p *payload, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, c.Run[0], c.Run[1:]...)
	cmd.Stdin = bytes.NewReader(body)
	cmd.Env = append(os.Environ(), "BAOMI_PATH="+p.Path, "BAOMI_VERDICT="+string(p.Verdict), "BAOMI_SEVERITY="+p.MaxSeverity)
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() == context.DeadlineExceeded {
			return fmt.Errorf("command %s timed out after %v", c.Run[0], c.Timeout)
		}
		return fmt.Errorf("command %s: %w", c.Run[0], err)
	}
	return nil
}
