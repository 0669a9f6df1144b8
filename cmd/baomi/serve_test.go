package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Anything but loopback needs a token file; bad flags are usage errors.
func TestServeRefuses(t *testing.T) {
	short := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(short, []byte("cms short\n"), 0o600)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"exposed without token", []string{"--listen", "0.0.0.0:0"}, "--token-file"},
		{"weak token", []string{"--token-file", short}, "shorter than 16"},
		{"tls half", []string{"--tls-cert", "c.pem"}, "go together"},
		{"bad size", []string{"--max-upload", "lots"}, "--max-upload"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runBaomi(t, append([]string{"serve", "--listen", "127.0.0.1:0"}, tc.args...)...)
			if code != 3 || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, stderr %q; want 3 and %q", code, stderr, tc.want)
			}
		})
	}
}

// The real binary serves, reloads its policy on SIGHUP and, on SIGTERM,
// finishes the request in flight before exiting 0.
func TestServeReloadAndStop(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("POSIX signals")
	}
	policy := filepath.Join(t.TempDir(), "office.yaml")
	writePolicy := func(term string) {
		os.WriteFile(policy, []byte("version: 1\nrules:\n  - id: office.project\n    title: 项目代号\n    severity: medium\n    terms: ["+term+"]\n"), 0o600)
	}
	writePolicy("青松计划")
	p := startProc(t, []string{"serve", "--listen", "127.0.0.1:0", "-j", "2", "--policy", policy})
	p.waitMsg("serving", 1, time.Minute)
	p.mu.Lock()
	addr := withMsg(p.lines, "serving")[0]["addr"].(string)
	p.mu.Unlock()

	doc := []byte("关于长风工程的进展\n")
	scan := func() (string, string) {
		resp, err := http.Post("http://"+addr+"/api/v1/scan?name=a.txt", "text/plain", bytes.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r jsonReport
		if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Files) != 1 {
			t.Fatalf("status %d: %v", resp.StatusCode, err)
		}
		return r.Files[0].Verdict, resp.Header.Get("Baomi-Exit-Code")
	}
	if v, code := scan(); v != "clean" || code != "0" {
		t.Fatalf("before reload: %s, exit %s", v, code)
	}
	writePolicy("长风工程")
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitMsg("policy reloaded", 1, time.Minute)
	if v, code := scan(); v != "flagged" || code != "1" {
		t.Errorf("after reload: %s, exit %s", v, code)
	}

	// A request whose upload has begun when SIGTERM comes is answered.
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(time.Minute))
	fmt.Fprintf(conn, "POST /api/v1/scan?name=b.txt HTTP/1.1\r\nHost: %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\n\r\n%s", addr, len(doc), doc[:6])
	time.Sleep(200 * time.Millisecond) // let the server take the request before the signal
	p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitMsg("stopping: waiting for requests in flight", 1, time.Minute)
	conn.Write(doc[6:])
	answer, _ := io.ReadAll(conn)
	if !bytes.HasPrefix(answer, []byte("HTTP/1.1 200")) || !bytes.Contains(answer, []byte(`"verdict": "flagged"`)) {
		t.Errorf("request in flight got %q", answer)
	}
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("exit %d after SIGTERM, want 0", code)
	}
}

// BenchmarkServe measures baomi serve (isolated extraction, 2 workers) under
// 8 clients posting small documents on loopback, one file per request, and
// reports requests per second and the server process's resident memory
// (the parent only: extraction runs in children).
//
//	go test ./cmd/baomi -run XXX -bench Serve -benchtime 2000x
func BenchmarkServe(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads /proc")
	}
	var docs [][]byte
	for _, name := range []string{"机密通知.docx", "关于举办春季运动会的通知.docx", "关于举办春季运动会的通知.pdf", "clean-utf8.md"} {
		data, err := os.ReadFile(filepath.Join("..", "..", "samples", "docs", name))
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, data)
	}
	p := startProc(b, []string{"serve", "--listen", "127.0.0.1:0", "-j", "2"})
	p.waitMsg("serving", 1, time.Minute)
	p.mu.Lock()
	addr := withMsg(p.lines, "serving")[0]["addr"].(string)
	p.mu.Unlock()
	url := "http://" + addr + "/api/v1/scan?name=doc"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	jobs := make(chan int)
	errs := make(chan error, 8)
	b.ResetTimer()
	start := time.Now()
	for range 8 {
		go func() {
			var err error
			for i := range jobs {
				resp, e := client.Post(url, "application/octet-stream", bytes.NewReader(docs[i%len(docs)]))
				if e != nil {
					err = e
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					err = fmt.Errorf("status %d", resp.StatusCode)
				}
			}
			errs <- err
		}()
	}
	for i := range b.N {
		jobs <- i
	}
	close(jobs)
	for range 8 {
		if err := <-errs; err != nil {
			b.Error(err)
		}
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "req/s")
	status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	for _, line := range strings.Split(string(status), "\n") {
		var kb float64
		if _, err := fmt.Sscanf(line, "VmHWM: %f kB", &kb); err == nil {
			b.ReportMetric(kb/1024, "peak-MiB")
		}
		if _, err := fmt.Sscanf(line, "VmRSS: %f kB", &kb); err == nil {
			b.ReportMetric(kb/1024, "rss-MiB")
		}
	}
}
