package serve

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/match"
)

var (
	matcherOnce sync.Once
	matcher     *match.Matcher
)

// defaultMatcher compiles the embedded default policy once for all tests.
func defaultMatcher(t testing.TB) *match.Matcher {
	matcherOnce.Do(func() {
		p, err := policies.Default()
		if err != nil {
			t.Fatal(err)
		}
		if matcher, err = match.Compile(p); err != nil {
			t.Fatal(err)
		}
	})
	return matcher
}

// testServer starts a loopback server with opt (defaults: the default
// policy, in-process extraction, uploads under a test folder) and returns
// it with the folder its uploads go to and its audit log.
func testServer(t testing.TB, opt Options) (*httptest.Server, string, *syncBuffer) {
	t.Helper()
	if opt.Matcher == nil {
		opt.Matcher = defaultMatcher(t)
	}
	if opt.TempDir == "" {
		opt.TempDir = t.TempDir()
	}
	if opt.Workers == 0 {
		opt.Workers = 2
	}
	log := &syncBuffer{}
	opt.Log = zerolog.New(log)
	ts := httptest.NewServer(New(opt).Handler())
	t.Cleanup(ts.Close)
	return ts, opt.TempDir, log
}

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// part is one multipart field of a request.
type part struct {
	field, name string
	data        []byte
}

// multipartBody builds a multipart body; names are written as given (../
// included), as a client may send them.
func multipartBody(t testing.TB, parts ...part) (io.Reader, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, p.field, p.name))
		h.Set("Content-Type", "application/octet-stream")
		w, err := mw.CreatePart(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.data)
	}
	mw.Close()
	return &b, mw.FormDataContentType()
}

// post sends files to /api/v1/scan and returns the answer and its body.
func post(t testing.TB, ts *httptest.Server, query string, hdr http.Header, parts ...part) (*http.Response, []byte) {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	req, err := http.NewRequest("POST", ts.URL+"/api/v1/scan"+query, body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	for k, v := range hdr {
		req.Header[k] = v
	}
	return do(t, req)
}

func do(t testing.TB, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// scanReport is the JSON object the API answers.
type scanReport struct {
	Files []struct {
		Path     string `json:"path"`
		SHA256   string `json:"sha256"`
		Verdict  string `json:"verdict"`
		Reason   string `json:"reason"`
		Findings []struct {
			Rule     string           `json:"rule"`
			Severity string           `json:"severity"`
			Text     string           `json:"text"`
			Location scanner.Location `json:"location"`
		} `json:"findings"`
	} `json:"files"`
	Summary scanner.Summary `json:"summary"`
}

func decodeReport(t testing.TB, b []byte) scanReport {
	t.Helper()
	var r scanReport
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("answer is not scan's JSON: %v\n%s", err, b)
	}
	return r
}

// markedDOCX is a DOCX whose body starts with a classification marking.
func markedDOCX(t testing.TB, body string) []byte {
	t.Helper()
	const w = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"`
	rels := `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	var paras strings.Builder
	for _, line := range strings.Split(body, "\n") {
		paras.WriteString(`<w:p><w:r><w:t xml:space="preserve">` + line + `</w:t></w:r></w:p>`)
	}
	return zipOf(t, map[string]string{
		"[Content_Types].xml":          `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"_rels/.rels":                  rels + `<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":            `<?xml version="1.0" encoding="UTF-8"?><w:document ` + w + `><w:body>` + paras.String() + `</w:body></w:document>`,
		"word/_rels/document.xml.rels": rels + `</Relationships>`,
	})
}

func zipOf(t testing.TB, entries map[string]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/_rels/document.xml.rels"} {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(w, entries[name])
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// plainPDF is a one-page PDF whose text (ASCII, Helvetica) is text.
func plainPDF(text string) []byte {
	content := "BT /F1 12 Tf 72 720 Td (" + text + ") Tj ET"
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
	}
	return (&pdftest.Builder{Objs: objs}).Bytes("")
}

// leftovers lists what the server left in its upload folder.
func leftovers(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}
