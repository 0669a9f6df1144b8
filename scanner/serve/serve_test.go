package serve

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// schema compiles one of the OpenAPI document's schemas, which the
// answers must satisfy.
func schema(t *testing.T, name string) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(openAPI))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("mem:///openapi.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("mem:///openapi.json#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func validate(t *testing.T, s *jsonschema.Schema, body []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(inst); err != nil {
		t.Errorf("answer does not match the OpenAPI document: %v\n%s", err, body)
	}
}

func digest(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func TestScanAnswers(t *testing.T) {
	marked := markedDOCX(t, "机密★5年\n关于加强办公网络安全管理的通知")
	clean := plainPDF("Notice of the spring sports meeting")
	broken := append([]byte("PK\x03\x04"), bytes.Repeat([]byte{0xff}, 64)...)
	ts, dir, _ := testServer(t, Options{})
	report := schema(t, "ScanReport")
	tests := []struct {
		name     string
		parts    []part
		exit     string
		verdicts map[string]string // uploaded name -> verdict
	}{
		{"marked docx", []part{{"file", "通知.docx", marked}}, "1", map[string]string{"通知.docx": "flagged"}},
		{"clean pdf", []part{{"file", "运动会.pdf", clean}}, "0", map[string]string{"运动会.pdf": "clean"}},
		{"broken file is a result", []part{{"file", "坏.docx", broken}}, "2", map[string]string{"坏.docx": "error"}},
		{"names are data", []part{{"file", "../../etc/passwd", clean}, {"file", "/abs/a.pdf", clean}},
			"0", map[string]string{"../../etc/passwd": "clean", "/abs/a.pdf": "clean"}},
		{"several files", []part{{"file", "b.pdf", clean}, {"file", "a.docx", marked}, {"file", "c.docx", broken}},
			"1", map[string]string{"a.docx": "flagged", "b.pdf": "clean", "c.docx": "error"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := post(t, ts, "", nil, tc.parts...)
			if resp.StatusCode != 200 {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if got := resp.Header.Get("Baomi-Exit-Code"); got != tc.exit {
				t.Errorf("Baomi-Exit-Code %q, want %q", got, tc.exit)
			}
			validate(t, report, body)
			r := decodeReport(t, body)
			if len(r.Files) != len(tc.parts) || r.Summary.Files != len(tc.parts) {
				t.Fatalf("%d files, summary %d, want %d", len(r.Files), r.Summary.Files, len(tc.parts))
			}
			sums := map[string]string{}
			for _, p := range tc.parts {
				sums[p.name] = digest(p.data)
			}
			for i, f := range r.Files {
				if i > 0 && r.Files[i-1].Path > f.Path {
					t.Errorf("files not sorted by path: %q before %q", r.Files[i-1].Path, f.Path)
				}
				if f.Verdict != tc.verdicts[f.Path] {
					t.Errorf("%s: verdict %s (%s), want %s", f.Path, f.Verdict, f.Reason, tc.verdicts[f.Path])
				}
				if f.SHA256 != sums[f.Path] {
					t.Errorf("%s: sha256 %s, want %s", f.Path, f.SHA256, sums[f.Path])
				}
			}
			if left := leftovers(t, dir); len(left) > 0 {
				t.Errorf("uploads kept after the answer: %v", left)
			}
		})
	}
	// The marking is found, with its text, where it is.
	_, body := post(t, ts, "", nil, part{"file", "通知.docx", marked})
	f := decodeReport(t, body).Files[0].Findings
	if len(f) == 0 || f[0].Text != "机密★5年" || f[0].Severity != "high" || f[0].Location.Line != 1 {
		t.Errorf("findings %+v, want 机密★5年 (high) on line 1", f)
	}
	// ?mask=1 hides it, as scan --mask does.
	_, body = post(t, ts, "?mask=1", nil, part{"file", "通知.docx", marked})
	if f := decodeReport(t, body).Files[0].Findings; len(f) == 0 || f[0].Text != "机＊＊＊＊" || strings.Contains(string(body), "密★5年") {
		t.Errorf("masked answer shows the hit: %s", body)
	}
}

// A raw body named by ?name= is one file.
func TestScanRawBody(t *testing.T) {
	ts, _, _ := testServer(t, Options{})
	data := markedDOCX(t, "绝密★启用前")
	req, _ := http.NewRequest("POST", ts.URL+"/api/v1/scan?name=%E9%80%9A%E7%9F%A5.docx", bytes.NewReader(data))
	req.Header.Set("Content-Type", "application/octet-stream")
	resp, body := do(t, req)
	if resp.StatusCode != 200 || resp.Header.Get("Baomi-Exit-Code") != "1" {
		t.Fatalf("status %d exit %q: %s", resp.StatusCode, resp.Header.Get("Baomi-Exit-Code"), body)
	}
	r := decodeReport(t, body)
	if len(r.Files) != 1 || r.Files[0].Path != "通知.docx" || r.Files[0].Verdict != "flagged" || r.Files[0].SHA256 != digest(data) {
		t.Errorf("got %+v", r.Files)
	}
}

func TestBadRequests(t *testing.T) {
	ts, dir, _ := testServer(t, Options{MaxUpload: 64 << 10})
	errSchema := schema(t, "Error")
	pdf := plainPDF("hello")
	multi := func(parts ...part) func() *http.Request {
		return func() *http.Request {
			body, ct := multipartBody(t, parts...)
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/scan", body)
			req.Header.Set("Content-Type", ct)
			return req
		}
	}
	tests := []struct {
		name   string
		req    func() *http.Request
		status int
		code   string
	}{
		{"no file", multi(), 400, "no-file"},
		{"wrong field", multi(part{"upload", "a.pdf", pdf}), 400, "wrong-field"},
		{"wrong field after a file", multi(part{"file", "a.pdf", pdf}, part{"x", "b.pdf", pdf}), 400, "wrong-field"},
		{"too large", multi(part{"file", "big.pdf", bytes.Repeat([]byte("x"), 100<<10)}), 413, "too-large"},
		{"not multipart", func() *http.Request {
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/scan", strings.NewReader("hello"))
			req.Header.Set("Content-Type", "text/plain")
			return req
		}, 400, "no-name"},
		{"broken multipart", func() *http.Request {
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/scan", strings.NewReader("--x\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\nabc"))
			req.Header.Set("Content-Type", "multipart/form-data; boundary=x")
			return req
		}, 400, "bad-upload"},
		{"no such endpoint", func() *http.Request {
			req, _ := http.NewRequest("GET", ts.URL+"/api/v1/nothing", nil)
			return req
		}, 404, "not-found"},
		{"foreign page", func() *http.Request {
			req := multi(part{"file", "a.pdf", pdf})()
			req.Header.Set("Origin", "http://evil.example")
			return req
		}, 403, "origin"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := do(t, tc.req())
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			validate(t, errSchema, body)
			if !bytes.Contains(body, []byte(`"error":"`+tc.code+`"`)) {
				t.Errorf("answer %s, want error %q", body, tc.code)
			}
			if left := leftovers(t, dir); len(left) > 0 {
				t.Errorf("uploads kept: %v", left)
			}
		})
	}
	resp, _ := do(t, must(http.NewRequest("GET", ts.URL+"/api/v1/scan", nil)))
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/v1/scan: %d, want 405", resp.StatusCode)
	}
}

func must(r *http.Request, err error) *http.Request {
	if err != nil {
		panic(err)
	}
	return r
}

func TestTokens(t *testing.T) {
	const tok = "0123456789abcdef-secret"
	file := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(file, []byte("# tokens\ncms "+tok+"\n"), 0o600)
	tokens, err := LoadTokens(file)
	if err != nil {
		t.Fatal(err)
	}
	ts, _, log := testServer(t, Options{Tokens: tokens})
	pdf := plainPDF("hello")
	for _, tc := range []struct {
		name, auth string
		status     int
	}{
		{"none", "", 401},
		{"wrong", "Bearer 0123456789abcdef-wrong!", 401},
		{"not bearer", "Basic " + tok, 401},
		{"right", "Bearer " + tok, 200},
		{"scheme in any case", "bearer " + tok, 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := http.Header{}
			if tc.auth != "" {
				h.Set("Authorization", tc.auth)
			}
			resp, body := post(t, ts, "", h, part{"file", "a.pdf", pdf})
			if resp.StatusCode != tc.status {
				t.Errorf("status %d, want %d: %s", resp.StatusCode, tc.status, body)
			}
			for _, path := range []string{"/api/v1/policy", "/metrics"} {
				req := must(http.NewRequest("GET", ts.URL+path, nil))
				req.Header = h
				if resp, _ := do(t, req); resp.StatusCode != tc.status {
					t.Errorf("%s: status %d, want %d", path, resp.StatusCode, tc.status)
				}
			}
		})
	}
	// What carries no data needs no token.
	for _, path := range []string{"/", "/healthz", "/api/v1/openapi.json", "/static/app.js"} {
		if resp, _ := do(t, must(http.NewRequest("GET", ts.URL+path, nil))); resp.StatusCode != 200 {
			t.Errorf("%s without a token: %d", path, resp.StatusCode)
		}
	}
	if !strings.Contains(log.String(), `"token":"cms"`) || !strings.Contains(log.String(), `"event":"denied"`) || strings.Contains(log.String(), tok) {
		t.Errorf("audit should name the token and log refusals, never show a token:\n%s", log)
	}
}

func TestLoadTokens(t *testing.T) {
	for _, tc := range []struct {
		name, text, err string
	}{
		{"named", "cms 0123456789abcdef\n", ""},
		{"bare", "0123456789abcdef\n", ""},
		{"short", "cms short\n", "shorter than 16"},
		{"three fields", "a b 0123456789abcdef\n", ":1: expected NAME TOKEN"},
		{"empty", "# nothing\n\n", "holds no token"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "tokens")
			os.WriteFile(file, []byte(tc.text), 0o600)
			_, err := LoadTokens(file)
			if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
				t.Errorf("error %v, want %q", err, tc.err)
			}
			if err != nil && strings.Contains(err.Error(), "short\n") {
				t.Errorf("error quotes the token: %v", err)
			}
		})
	}
}

// blocking is an extractor that reports each file it is given (with the
// mode of its folder), then waits until release is closed or the request
// ends; crash makes it fail as a crashed child does.
type blocking struct {
	started chan string
	release chan struct{}
	crash   bool
}

func (b *blocking) Extract(ctx context.Context, path string) (*extract.Document, error) {
	st, err := os.Stat(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	b.started <- fmt.Sprintf("%s %v", path, st.Mode().Perm())
	select {
	case <-b.release:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if b.crash {
		return nil, extract.Errorf(extract.KindCrash, "the extraction process crashed")
	}
	return &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: "body", Text: "ok"}}}, nil
}

// Uploads live in a 0700 folder while scanned, and are gone after the
// answer, after a crash, and when the client goes away.
func TestUploadsDeleted(t *testing.T) {
	for _, tc := range []struct {
		name    string
		crash   bool
		goAway  bool
		verdict string
	}{
		{"answered", false, false, "clean"},
		{"child crashed", true, false, "error"},
		{"client went away", false, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x := &blocking{started: make(chan string, 1), release: make(chan struct{}), crash: tc.crash}
			ts, dir, log := testServer(t, Options{Extractor: x})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan []byte, 1)
			go func() {
				body, ct := multipartBody(t, part{"file", "../a.txt", []byte("ok")})
				req, _ := http.NewRequestWithContext(ctx, "POST", ts.URL+"/api/v1/scan", body)
				req.Header.Set("Content-Type", ct)
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					done <- nil
					return
				}
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				done <- b
			}()
			got := <-x.started
			if !strings.HasPrefix(got, dir+string(filepath.Separator)+"baomi-serve-") || !strings.HasSuffix(got, " -rwx------") {
				t.Errorf("upload at %q: want a 0700 baomi-serve- folder under %s", got, dir)
			}
			if tc.goAway {
				cancel()
			} else {
				close(x.release)
			}
			body := <-done
			if tc.verdict != "" {
				if r := decodeReport(t, body); len(r.Files) != 1 || r.Files[0].Verdict != tc.verdict {
					t.Errorf("got %s, want verdict %s", body, tc.verdict)
				}
			}
			waitEmpty(t, dir, log)
		})
	}
}

// waitEmpty waits (a bounded number of audit lines) for the handler to
// finish, then checks that the upload folder is empty.
func waitEmpty(t *testing.T, dir string, log *syncBuffer) {
	t.Helper()
	for i := 0; i < 1000 && !strings.Contains(log.String(), `"event":"scan"`); i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("uploads kept: %v", left)
	}
}

// An upload that stops half-way, the client gone or stalled, is dropped
// with its folder.
func TestUploadCutShort(t *testing.T) {
	for _, tc := range []struct {
		name   string
		stall  bool
		status string
	}{
		{"client gone", false, `"status":400`},
		{"client stalled", true, `"status":408`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts, dir, log := testServer(t, Options{ClientTimeout: 50 * time.Millisecond})
			conn, err := net.Dial("tcp", ts.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.SetDeadline(time.Now().Add(time.Minute)) // a hang fails, not blocks
			fmt.Fprintf(conn, "POST /api/v1/scan?name=a.pdf HTTP/1.1\r\nHost: x\r\nContent-Type: application/pdf\r\nContent-Length: 100000\r\n\r\n%s", plainPDF("half"))
			if tc.stall {
				answer, _ := io.ReadAll(conn) // the server answers and closes
				if !bytes.HasPrefix(answer, []byte("HTTP/1.1 408")) {
					t.Errorf("stalled client got %q", answer)
				}
			} else {
				conn.Close()
			}
			waitEmpty(t, dir, log)
			if !strings.Contains(log.String(), tc.status) {
				t.Errorf("audit: %s", log)
			}
		})
	}
}

func TestPage(t *testing.T) {
	ts, _, _ := testServer(t, Options{})
	for _, tc := range []struct {
		accept, query, want string
	}{
		{"", "", "发布前保密检查"},
		{"zh-CN,zh;q=0.9,en;q=0.8", "", "发布前保密检查"},
		{"en-US,en;q=0.9", "", "Secrecy check before release"},
		{"en;q=0.5,zh-TW;q=0.8", "", "发布前保密检查"},
		{"fr-FR, en;q=0.7", "", "Secrecy check before release"},
		{"en", "?lang=zh", "发布前保密检查"},
	} {
		req := must(http.NewRequest("GET", ts.URL+"/"+tc.query, nil))
		req.Header.Set("Accept-Language", tc.accept)
		resp, body := do(t, req)
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte(tc.want)) {
			t.Errorf("Accept-Language %q: status %d, want %q", tc.accept, resp.StatusCode, tc.want)
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("CSP %q", csp)
		}
	}
	// Nothing is loaded from elsewhere: offices run on closed networks.
	for _, path := range []string{"/", "/static/app.js", "/static/app.css"} {
		resp, body := do(t, must(http.NewRequest("GET", ts.URL+path, nil)))
		if resp.StatusCode != 200 || bytes.Contains(body, []byte("http://")) || bytes.Contains(body, []byte("https://")) || bytes.Contains(body, []byte("//cdn")) {
			t.Errorf("%s: status %d, or it refers to another site", path, resp.StatusCode)
		}
		if resp.Header.Get("Access-Control-Allow-Origin") != "" {
			t.Errorf("%s answers CORS", path)
		}
	}
}

// When MaxRequests requests are being handled, the next gets 503 with
// Retry-After, and is served again once one finishes.
func TestBusy(t *testing.T) {
	x := &blocking{started: make(chan string, 1), release: make(chan struct{})}
	ts, _, log := testServer(t, Options{Extractor: x, MaxRequests: 1})
	first := make(chan int, 1)
	go func() {
		resp, _ := post(t, ts, "", nil, part{"file", "a.txt", []byte("a")})
		first <- resp.StatusCode
	}()
	<-x.started
	resp, body := post(t, ts, "", nil, part{"file", "b.txt", []byte("b")})
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("second request: %d, Retry-After %q: %s", resp.StatusCode, resp.Header.Get("Retry-After"), body)
	}
	if !strings.Contains(log.String(), `"status":503`) {
		t.Errorf("no audit line for the refused request:\n%s", log)
	}
	close(x.release)
	if code := <-first; code != 200 {
		t.Errorf("first request: %d", code)
	}
	go func() { <-x.started }()
	if resp, _ := post(t, ts, "", nil, part{"file", "c.txt", []byte("c")}); resp.StatusCode != 200 {
		t.Errorf("after the first finished: %d", resp.StatusCode)
	}
}

// 20 uploads at once each get their own answer.
func TestConcurrentUploads(t *testing.T) {
	ts, dir, log := testServer(t, Options{Workers: 2, MaxRequests: 20})
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprintf("文件%02d.docx", i)
			text, want, exit := fmt.Sprintf("第%d号通知", i), "clean", "0"
			if i%2 == 0 {
				text, want, exit = "秘密★1年\n"+text, "flagged", "1"
			}
			data := markedDOCX(t, text)
			resp, body := post(t, ts, "", nil, part{"file", name, data})
			r := decodeReport(t, body)
			if resp.StatusCode != 200 || resp.Header.Get("Baomi-Exit-Code") != exit || len(r.Files) != 1 ||
				r.Files[0].Path != name || r.Files[0].Verdict != want || r.Files[0].SHA256 != digest(data) {
				errs <- fmt.Errorf("%s: status %d exit %s, %s", name, resp.StatusCode, resp.Header.Get("Baomi-Exit-Code"), body)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if left := leftovers(t, dir); len(left) > 0 {
		t.Errorf("uploads kept: %v", left)
	}
	if n := strings.Count(log.String(), `"event":"scan"`); n != 20 {
		t.Errorf("%d audit lines, want 20", n)
	}
	if strings.Contains(log.String(), "通知") || strings.Contains(log.String(), "秘密★") {
		t.Errorf("audit log carries document text:\n%s", log)
	}
}

func TestPolicyAndReload(t *testing.T) {
	s := New(Options{Matcher: defaultMatcher(t), TempDir: t.TempDir()})
	ts := newTS(t, s)
	resp, body := do(t, must(http.NewRequest("GET", ts.URL+"/api/v1/policy", nil)))
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	validate(t, schema(t, "Policy"), body)
	if !bytes.Contains(body, []byte(defaultMatcher(t).Policy().Hash)) || !bytes.Contains(body, []byte(`"marking.classified"`)) {
		t.Errorf("policy answer: %s", body)
	}

	p, err := policies.Parse("office.yaml", []byte("version: 1\nrules:\n  - id: office.project\n    title: 项目代号\n    severity: medium\n    terms: [长风工程]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	doc := markedDOCX(t, "关于长风工程的进展")
	_, body = post(t, ts, "", nil, part{"file", "a.docx", doc})
	if r := decodeReport(t, body); r.Files[0].Verdict != "clean" {
		t.Fatalf("before reload: %s", body)
	}
	s.Reload(m)
	resp, body = post(t, ts, "", nil, part{"file", "a.docx", doc})
	if r := decodeReport(t, body); r.Files[0].Verdict != "flagged" || r.Files[0].Findings[0].Rule != "office.project" || resp.Header.Get("Baomi-Exit-Code") != "1" {
		t.Errorf("after reload: %s", body)
	}
}

func TestMetrics(t *testing.T) {
	ts, _, _ := testServer(t, Options{})
	post(t, ts, "", nil, part{"file", "a.docx", markedDOCX(t, "机密★5年")})
	_, body := do(t, must(http.NewRequest("GET", ts.URL+"/metrics", nil)))
	for _, want := range []string{`baomi_serve_files_scanned_total{verdict="flagged"} 1`, `baomi_serve_findings_total{severity="high"} 1`, "process_resident_memory_bytes"} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func newTS(t *testing.T, s *Server) *httptest.Server {
	ts := httptest.NewServer(s.Handler())
	t.Cleanup(ts.Close)
	return ts
}
