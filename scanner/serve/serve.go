// Package serve is `baomi serve`: a page for staff who release documents and
// an HTTP API for the systems that publish them. Uploads are scanned by the
// same engine as `baomi scan` and answered with the same JSON object; they
// are kept in a private folder only until the answer is sent.
package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/match"
	"github.com/baomi/baomi/scanner/report"
	"github.com/baomi/baomi/scanner/scanmetrics"
)

// Options configure a Server.
type Options struct {
	// Matcher is the compiled policy; Reload replaces it.
	Matcher *match.Matcher
	// Extractor reads files (child processes in baomi serve); nil means
	// in-process.
	Extractor scanner.Extractor
	// Workers is how many files are scanned at once, over all requests.
	Workers int
	// MaxRequests is how many scan requests are taken at once (receiving,
	// waiting for a worker or being scanned); more are answered 503.
	MaxRequests int
	// MaxUpload is the most bytes a request body may carry.
	MaxUpload int64
	// FailOn is the lowest severity that makes Baomi-Exit-Code 1; 0 means
	// low.
	FailOn policies.Severity
	// Tokens, when not empty, are required on the API and /metrics as
	// "Authorization: Bearer TOKEN".
	Tokens Tokens
	// TempDir holds the uploads' private folders; "" means os.TempDir().
	TempDir string
	// ClientTimeout is how long a client may send nothing while uploading,
	// or take to read the answer; 0 means 30 seconds.
	ClientTimeout time.Duration
	// Log receives one audit line per scan request and the server's errors;
	// it never carries document text.
	Log zerolog.Logger
}

// Defaults of Options.
const (
	DefaultMaxUpload   = 200 << 20
	DefaultMaxRequests = 32
)

// maxFiles bounds the files of one request (each gets a goroutine).
const maxFiles = 1000

// Server answers the page, the API, /healthz and /metrics.
type Server struct {
	opt     Options
	engine  atomic.Pointer[engine]
	slots   chan struct{} // one per file being scanned
	pending chan struct{} // one per scan request taken
	metrics *scanmetrics.Scans
	mux     *http.ServeMux
}

// engine is a policy and the scanner that matches with it, swapped whole
// on reload so that a request uses one policy from start to end.
type engine struct {
	sc     *scanner.Scanner
	policy *policies.Policy
}

// New returns a Server; its Handler serves everything.
func New(opt Options) *Server {
	if opt.Workers <= 0 {
		opt.Workers = 1
	}
	if opt.MaxRequests <= 0 {
		opt.MaxRequests = DefaultMaxRequests
	}
	if opt.MaxUpload <= 0 {
		opt.MaxUpload = DefaultMaxUpload
	}
	if opt.FailOn == 0 {
		opt.FailOn = policies.Low
	}
	if opt.ClientTimeout <= 0 {
		opt.ClientTimeout = 30 * time.Second
	}
	s := &Server{
		opt:     opt,
		slots:   make(chan struct{}, opt.Workers),
		pending: make(chan struct{}, opt.MaxRequests),
		metrics: scanmetrics.New("baomi_serve"),
		mux:     http.NewServeMux(),
	}
	s.Reload(opt.Matcher)
	s.routes()
	return s
}

// Reload makes later requests match with m; requests being scanned finish
// with the policy they started with.
func (s *Server) Reload(m *match.Matcher) {
	// Workers is 1: the server bounds files at once itself, over requests.
	sc := scanner.New(m, scanner.Options{Workers: 1, Extractor: s.opt.Extractor})
	s.engine.Store(&engine{sc: sc, policy: m.Policy()})
}

// Handler returns the server's handler.
func (s *Server) Handler() http.Handler { return securityHeaders(s.mux) }

func (s *Server) routes() {
	s.mux.HandleFunc("GET /{$}", s.page)
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(staticFS)))
	s.mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	s.mux.Handle("GET /metrics", s.guard(s.metrics.Handler()))
	s.mux.HandleFunc("GET /api/v1/openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(openAPI)
	})
	s.mux.Handle("GET /api/v1/policy", s.guard(http.HandlerFunc(s.policy)))
	s.mux.Handle("POST /api/v1/scan", s.guard(http.HandlerFunc(s.scan)))
	s.mux.HandleFunc("/api/v1/scan", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", "POST")
		fail(w, http.StatusMethodNotAllowed, msgMethod)
	})
	s.mux.HandleFunc("/api/", func(w http.ResponseWriter, r *http.Request) {
		fail(w, http.StatusNotFound, msgNotFound)
	})
}

// guard checks the token, if any, and refuses requests sent by a page of
// another origin (a browser sends Origin; baomi answers no CORS).
func (s *Server) guard(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o := r.Header.Get("Origin"); o != "" {
			if u, err := url.Parse(o); err != nil || u.Host != r.Host {
				fail(w, http.StatusForbidden, msgOrigin)
				return
			}
		}
		name, ok := s.opt.Tokens.check(r.Header.Get("Authorization"))
		if !ok {
			s.opt.Log.Warn().Str("event", "denied").Str("client", r.RemoteAddr).Str("path", r.URL.Path).Msg("request without a valid token")
			w.Header().Set("WWW-Authenticate", `Bearer realm="baomi"`)
			fail(w, http.StatusUnauthorized, msgToken)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), tokenKey{}, name)))
	})
}

type tokenKey struct{}

// policy answers the rules, their titles and severities, and the policy hash.
func (s *Server) policy(w http.ResponseWriter, r *http.Request) {
	type rule struct {
		ID          string            `json:"id"`
		Title       string            `json:"title"`
		Description string            `json:"description,omitempty"`
		Severity    policies.Severity `json:"severity"`
	}
	p := s.engine.Load().policy
	out := struct {
		Hash  string `json:"hash"`
		Rules []rule `json:"rules"`
	}{Hash: p.Hash, Rules: []rule{}}
	for _, r := range p.Rules {
		out.Rules = append(out.Rules, rule{r.ID, r.Title, r.Description, r.Severity})
	}
	writeJSON(w, http.StatusOK, out)
}

// scan receives the uploads, scans them and answers scan's JSON object.
func (s *Server) scan(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	select {
	case s.pending <- struct{}{}:
		defer func() { <-s.pending }()
	default:
		w.Header().Set("Retry-After", "5")
		s.audit(r, start, nil, nil, http.StatusServiceUnavailable, -1)
		fail(w, http.StatusServiceUnavailable, msgBusy)
		return
	}
	eng := s.engine.Load()
	up, err := s.receive(w, r)
	if up != nil {
		defer up.remove()
	}
	if err != nil {
		s.audit(r, start, up, nil, err.status, -1)
		fail(w, err.status, err.msg)
		return
	}
	results, ok := s.scanAll(r.Context(), eng.sc, up.files)
	if !ok {
		s.audit(r, start, up, results, 499, -1) // the client went away
		return
	}
	mask := r.URL.Query().Get("mask")
	var buf bytes.Buffer
	rep, _ := report.New("json", &buf, report.Options{Mask: mask == "1" || mask == "true", Policy: eng.policy})
	var sum scanner.Summary
	for i := range results {
		sum.Add(&results[i])
		rep.File(results[i]) // writes to a buffer: cannot fail
	}
	rep.Close(sum)
	code := s.exitCode(results)
	s.audit(r, start, up, results, http.StatusOK, code)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Baomi-Exit-Code", strconv.Itoa(code))
	http.NewResponseController(w).SetWriteDeadline(time.Now().Add(s.opt.ClientTimeout))
	w.Write(buf.Bytes())
}

// scanAll scans the files, at most Workers at once over all requests, and
// gives each result the uploaded name and digest; ok is false when ctx
// ended first (the client went away), and then the results are partial.
func (s *Server) scanAll(ctx context.Context, sc *scanner.Scanner, files []upload) ([]scanner.Result, bool) {
	results := make([]scanner.Result, len(files))
	done := make(chan struct{}, len(files))
	for i, f := range files {
		go func() {
			defer func() { done <- struct{}{} }()
			select {
			case s.slots <- struct{}{}:
			case <-ctx.Done():
				return
			}
			t := time.Now()
			res := sc.ScanFile(ctx, f.path)
			<-s.slots
			if ctx.Err() != nil {
				return // interrupted: whatever came back may be partial
			}
			s.metrics.Observe(&res, time.Since(t))
			res.Path, res.SHA256 = f.name, f.sha256
			results[i] = res
		}()
	}
	for range files {
		<-done
	}
	return results, ctx.Err() == nil
}

// exitCode is the exit code `baomi scan` would give for these results
// (DESIGN.md's table; 130 and 3 cannot happen here).
func (s *Server) exitCode(results []scanner.Result) int {
	code := 0
	for i := range results {
		switch {
		case results[i].MaxSeverity() >= s.opt.FailOn:
			return 1
		case results[i].Verdict == scanner.Review || results[i].Verdict == scanner.Error:
			code = 2
		}
	}
	return code
}

// audit logs one line per scan request for the office's records: client,
// token name, and per file its name, size, digest and verdict; never text.
func (s *Server) audit(r *http.Request, start time.Time, up *uploads, results []scanner.Result, status, exit int) {
	name, _ := r.Context().Value(tokenKey{}).(string)
	files := zerolog.Arr()
	if up != nil {
		for i, f := range up.files {
			d := zerolog.Dict().Str("name", f.name).Int64("size", f.size).Str("sha256", f.sha256)
			if i < len(results) && results[i].Verdict != "" {
				d = d.Str("verdict", string(results[i].Verdict)).Int("findings", len(results[i].Findings))
			}
			files.Dict(d)
		}
	}
	ev := s.opt.Log.Info().Str("event", "scan").Str("client", r.RemoteAddr).Str("token", name).
		Int("status", status).Array("files", files).Dur("took", time.Since(start))
	if exit >= 0 {
		ev = ev.Int("exit_code", exit)
	}
	ev.Msg("scan request")
}

// message is a bad request's answer, in Chinese and English.
type message struct {
	Code string `json:"error"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

var (
	msgBusy     = message{"busy", "服务器正忙，请稍后重试。", "The server is busy: try again in a few seconds."}
	msgToken    = message{"unauthorized", "缺少或错误的访问令牌（Authorization: Bearer）。", "Missing or wrong token (Authorization: Bearer)."}
	msgOrigin   = message{"origin", "不接受来自其他网站的请求。", "Requests from another site's pages are refused."}
	msgNotFound = message{"not-found", "没有这个接口。", "No such endpoint."}
	msgMethod   = message{"method", "请用 POST 上传文件。", "Upload files with POST."}
	msgNoFile   = message{"no-file", "请求中没有文件（multipart 字段 file）。", "The request carries no file (multipart field \"file\")."}
	msgField    = message{"wrong-field", "只接受名为 file 的 multipart 字段。", "Only multipart fields named \"file\" are accepted."}
	msgTooLarge = message{"too-large", "上传内容超过大小限制。", "The upload is larger than the server's limit."}
	msgTooMany  = message{"too-many-files", "一次上传的文件过多。", "Too many files in one request."}
	msgNoName   = message{"no-name", "请以 multipart 上传（字段 file），或以原始请求体上传并给出 ?name=。", "Send multipart (field \"file\"), or a raw body with ?name=."}
	msgBroken   = message{"bad-upload", "上传内容不完整或格式错误。", "The upload is incomplete or malformed."}
	msgSlow     = message{"timeout", "上传太慢，已中止。", "The upload was too slow and was stopped."}
	msgStorage  = message{"storage", "服务器无法保存上传的文件。", "The server could not store the upload."}
)

// fail answers a bad request.
func fail(w http.ResponseWriter, status int, m message) {
	writeJSON(w, status, m)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.Encode(v)
}

// Tokens maps a token's SHA-256 to its name (for the audit line).
type Tokens map[[sha256.Size]byte]string

// check returns the name of the token an Authorization header carries; ok
// when it is known or when no token is required.
func (t Tokens) check(header string) (name string, ok bool) {
	if len(t) == 0 {
		return "", true
	}
	const scheme = "Bearer "
	if len(header) <= len(scheme) || !strings.EqualFold(header[:len(scheme)], scheme) {
		return "", false
	}
	sum := sha256.Sum256([]byte(header[len(scheme):]))
	for k, n := range t {
		// Comparing digests in constant time leaks nothing of the token.
		if subtle.ConstantTimeCompare(k[:], sum[:]) == 1 {
			name, ok = n, true
		}
	}
	return name, ok
}
