package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The watch tests start the real daemon (the binary TestMain built) on
// temporary folders and read its JSON log lines.

const (
	markedText = "机密★5年\n关于工作安排的通知。\n"
	cleanText  = "关于召开会议的通知。\n"
)

// watchProc is a running `baomi watch` and the log lines it wrote.
type watchProc struct {
	t     testing.TB
	cmd   *exec.Cmd
	mu    sync.Mutex
	lines []map[string]any
	raw   strings.Builder
	eof   chan struct{}
}

// startWatch starts the daemon with a small debounce, in-process-free
// defaults (isolated extraction, as in production) and 2 workers.
func startWatch(t *testing.T, args ...string) *watchProc {
	t.Helper()
	if runtime.GOOS != "linux" {
		t.Skip("the watch tests use inotify and POSIX signals")
	}
	return startProc(t, append([]string{"watch", "--debounce", "200ms", "-j", "2"}, args...))
}

// startProc starts baomi with args as a daemon whose JSON log lines are
// collected (watch, serve).
func startProc(t testing.TB, args []string) *watchProc {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), "LANG=C")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &watchProc{t: t, cmd: cmd, eof: make(chan struct{})}
	go func() {
		defer close(p.eof)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		for sc.Scan() {
			var m map[string]any
			err := json.Unmarshal(sc.Bytes(), &m)
			p.mu.Lock()
			p.raw.WriteString(sc.Text() + "\n")
			if err == nil {
				p.lines = append(p.lines, m)
			}
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
		if t.Failed() {
			t.Logf("daemon log (last 4 KB):\n%s", p.tail(4096))
		}
	})
	return p
}

func (p *watchProc) tail(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.raw.String()
	return s[max(0, len(s)-n):]
}

// waitFor polls cond over the log lines until it holds or timeout passes.
func (p *watchProc) waitFor(what string, timeout time.Duration, cond func(lines []map[string]any) bool) {
	p.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		p.mu.Lock()
		ok := cond(p.lines)
		p.mu.Unlock()
		if ok {
			return
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// waitMsg waits for n lines with message msg.
func (p *watchProc) waitMsg(msg string, n int, timeout time.Duration) {
	p.t.Helper()
	p.waitFor(fmt.Sprintf("%d %q lines", n, msg), timeout, func(lines []map[string]any) bool {
		return len(withMsg(lines, msg)) >= n
	})
}

// scanned returns the "scanned" lines by path.
func (p *watchProc) scanned() map[string][]map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return byPath(withMsg(p.lines, "scanned"))
}

// waitScanned waits until every path has a "scanned" line.
func (p *watchProc) waitScanned(paths []string, timeout time.Duration) map[string][]map[string]any {
	p.t.Helper()
	var missing int
	deadline := time.Now().Add(timeout)
	for {
		got := p.scanned()
		missing = 0
		for _, f := range paths {
			if len(got[f]) == 0 {
				missing++
			}
		}
		if missing == 0 {
			return got
		}
		if time.Now().After(deadline) {
			p.t.Fatalf("after %v, %d of %d files have no result", timeout, missing, len(paths))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop sends sig and returns the exit code.
func (p *watchProc) stop(sig os.Signal) int {
	p.t.Helper()
	p.cmd.Process.Signal(sig)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		p.t.Fatalf("daemon did not stop within 20s of %v", sig)
	}
	<-p.eof
	return p.cmd.ProcessState.ExitCode()
}

func withMsg(lines []map[string]any, msg string) []map[string]any {
	var out []map[string]any
	for _, l := range lines {
		if l["message"] == msg {
			out = append(out, l)
		}
	}
	return out
}

func byPath(lines []map[string]any) map[string][]map[string]any {
	m := map[string][]map[string]any{}
	for _, l := range lines {
		p, _ := l["path"].(string)
		m[p] = append(m[p], l)
	}
	return m
}

// share makes a watched folder and a database path beside it; the folder
// is resolved as the daemon resolves it.
func share(t *testing.T) (dir, db string) {
	t.Helper()
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(base, "share")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir, filepath.Join(base, "state", "watch.db")
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// writeBurst writes n files (every tenth marked) in ten subfolders and
// returns their paths and which are marked.
func writeBurst(t *testing.T, dir, prefix string, n int) ([]string, map[string]bool) {
	t.Helper()
	var paths []string
	marked := map[string]bool{}
	for i := range n {
		p := filepath.Join(dir, fmt.Sprintf("d%d", i%10), fmt.Sprintf("%s%04d.txt", prefix, i))
		text := cleanText
		if i%10 == 3 {
			text, marked[p] = markedText, true
		}
		writeFile(t, p, text)
		paths = append(paths, p)
	}
	return paths, marked
}

func TestWatchBurst(t *testing.T) {
	dir, db := share(t)
	p := startWatch(t, "--db", db, dir)
	p.waitMsg("watching", 1, 20*time.Second)
	start := time.Now()
	paths, marked := writeBurst(t, dir, "f", 2000)
	got := p.waitScanned(paths, 90*time.Second)
	t.Logf("2000 files written and scanned in %v", time.Since(start).Round(time.Millisecond))
	for _, f := range paths {
		want := "clean"
		if marked[f] {
			want = "flagged"
		}
		if v := got[f][0]["verdict"]; v != want {
			t.Errorf("%s: verdict %v, want %s", f, v, want)
		}
	}
	p.mu.Lock()
	findings := byPath(withMsg(p.lines, "finding"))
	raw := p.raw.String()
	p.mu.Unlock()
	for f := range marked {
		if len(findings[f]) == 0 || findings[f][0]["rule"] != "marking.classified" || findings[f][0]["severity"] != "high" {
			t.Errorf("%s: finding lines %v, want marking.classified high", f, findings[f])
		}
	}
	if strings.Contains(raw, "机密") || strings.Contains(raw, "会议") {
		t.Error("the log contains document text")
	}
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("exit code after SIGTERM %d, want 0", code)
	}
}

func TestWatchFileBeingWritten(t *testing.T) {
	dir, db := share(t)
	p := startWatch(t, "--db", db, "--debounce", "600ms", dir)
	p.waitMsg("watching", 1, 20*time.Second)
	path := filepath.Join(dir, "slow.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	// Chunks 200ms apart, under the 600ms debounce; the marking comes last.
	var size int
	for i := range 6 {
		chunk := strings.Repeat("普通的工作内容。", 20) + "\n"
		if i == 5 {
			chunk = markedText
		}
		n, err := f.WriteString(chunk)
		if err != nil {
			t.Fatal(err)
		}
		size += n
		if i < 5 {
			time.Sleep(200 * time.Millisecond)
		}
	}
	f.Close()
	p.waitScanned([]string{path}, 20*time.Second)
	time.Sleep(1500 * time.Millisecond) // a second scan would show by now
	got := p.scanned()
	if n := len(got[path]); n != 1 {
		t.Fatalf("scanned %d times, want once", n)
	}
	l := got[path][0]
	if l["size"] != float64(size) || l["verdict"] != "flagged" {
		t.Errorf("scanned with size %v verdict %v, want the complete file (%d bytes), flagged", l["size"], l["verdict"], size)
	}
}

func TestWatchNewFoldersAndMoves(t *testing.T) {
	dir, db := share(t)
	outside := filepath.Join(filepath.Dir(dir), "outside")
	writeFile(t, filepath.Join(outside, "moved", "in.txt"), markedText)
	writeFile(t, filepath.Join(outside, "moved", "deep", "in2.txt"), cleanText)
	writeFile(t, filepath.Join(dir, "old.txt"), cleanText)
	p := startWatch(t, "--db", db, dir)
	p.waitMsg("watching", 1, 20*time.Second)
	p.waitScanned([]string{filepath.Join(dir, "old.txt")}, 20*time.Second)

	// A file written at once into a new nested folder races the watch
	// being added: the folder is listed after its watch is set.
	racy := filepath.Join(dir, "new", "a", "b", "racy.txt")
	writeFile(t, racy, markedText)
	time.Sleep(300 * time.Millisecond)
	ignoredFiles := []string{filepath.Join(dir, "new", "~$通知.docx"), filepath.Join(dir, "x.tmp"), filepath.Join(dir, ".~lock.a.odt#"), filepath.Join(dir, ".DS_Store")}
	for _, f := range ignoredFiles {
		writeFile(t, f, markedText)
	}
	later := filepath.Join(dir, "new", "a", "later.txt")
	writeFile(t, later, cleanText)
	// A rename inside the share, and a folder moved in from outside.
	renamed := filepath.Join(dir, "renamed.txt")
	if err := os.Rename(filepath.Join(dir, "old.txt"), renamed); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(outside, "moved"), filepath.Join(dir, "moved")); err != nil {
		t.Fatal(err)
	}
	movedIn := []string{filepath.Join(dir, "moved", "in.txt"), filepath.Join(dir, "moved", "deep", "in2.txt")}
	p.waitScanned(append([]string{racy, later, renamed}, movedIn...), 20*time.Second)
	// A folder renamed inside the share keeps being watched under its new name.
	if err := os.Rename(filepath.Join(dir, "moved"), filepath.Join(dir, "moved2")); err != nil {
		t.Fatal(err)
	}
	time.Sleep(300 * time.Millisecond)
	after := filepath.Join(dir, "moved2", "deep", "after.txt")
	writeFile(t, after, markedText)
	got := p.waitScanned([]string{after}, 20*time.Second)
	if got[after][0]["verdict"] != "flagged" {
		t.Errorf("%s: %v", after, got[after][0])
	}
	for _, f := range ignoredFiles {
		if len(got[f]) > 0 {
			t.Errorf("temporary or lock file %s was scanned", f)
		}
	}
}

func TestWatchKillAndRestart(t *testing.T) {
	dir, db := share(t)
	p := startWatch(t, "--db", db, dir)
	p.waitMsg("watching", 1, 20*time.Second)
	// The burst goes on while the daemon is killed.
	const n = 1500
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("d%d", i%10), fmt.Sprintf("k%04d.txt", i))
	}
	written := make(chan error, 1)
	go func() {
		for _, f := range paths {
			err := os.MkdirAll(filepath.Dir(f), 0o755)
			if err == nil {
				err = os.WriteFile(f, []byte(cleanText), 0o644)
			}
			if err != nil {
				written <- err
				return
			}
			time.Sleep(time.Millisecond)
		}
		written <- nil
	}()
	p.waitMsg("scanned", 100, 30*time.Second)
	select {
	case <-written:
		t.Fatal("the burst ended before the kill: the test proves nothing")
	default:
	}
	p.stop(syscall.SIGKILL)
	before := p.scanned()
	if err := <-written; err != nil {
		t.Fatal(err)
	}
	down := filepath.Join(dir, "while-down.txt") // written while the daemon is down
	writeFile(t, down, markedText)
	paths = append(paths, down)

	p2 := startWatch(t, "--db", db, dir)
	var missing []string
	for _, f := range paths {
		if len(before[f]) == 0 {
			missing = append(missing, f)
		}
	}
	t.Logf("killed after %d of %d files; %d left for the restart", len(paths)-len(missing), len(paths), len(missing))
	p2.waitScanned(missing, 60*time.Second)
	// A file whose result was recorded before the kill is not scanned
	// again; only those in flight (2 workers, plus one in hand-off each).
	after := p2.scanned()
	again := 0
	for f := range before {
		if len(after[f]) > 0 {
			again++
		}
	}
	if again > 4 {
		t.Errorf("%d files scanned before the kill were scanned again, want at most 4", again)
	}
}

// TestWatchOverflow makes the kernel's inotify queue overflow for real: the
// daemon stops reading events while more are written than the queue holds.
func TestWatchOverflow(t *testing.T) {
	limit := 16384
	if b, err := os.ReadFile("/proc/sys/fs/inotify/max_queued_events"); err == nil {
		limit, _ = strconv.Atoi(strings.TrimSpace(string(b)))
	}
	if limit <= 0 || limit > 200000 {
		t.Skipf("max_queued_events is %d: too large to overflow in a test", limit)
	}
	dir, db := share(t)
	p := startWatch(t, "--db", db, "--debug-stall-events", "3s", dir)
	p.waitMsg("not reading events (test)", 1, 20*time.Second)
	// Appends to 200 files in turn: consecutive events differ, so the
	// kernel cannot merge them.
	const n = 200
	rounds := limit/n + 20
	files := make([]*os.File, n)
	paths := make([]string, n)
	for i := range files {
		paths[i] = filepath.Join(dir, fmt.Sprintf("o%03d.txt", i))
		f, err := os.Create(paths[i])
		if err != nil {
			t.Fatal(err)
		}
		files[i] = f
	}
	for r := range rounds {
		for i, f := range files {
			s := "普通内容\n"
			if r == rounds-1 && i%2 == 0 {
				s = markedText
			}
			if _, err := f.WriteString(s); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, f := range files {
		f.Close()
	}
	p.waitMsg("the kernel's event queue overflowed: rescanning the folders", 1, 20*time.Second)
	got := p.waitScanned(paths, 60*time.Second)
	for i, f := range paths {
		fi, _ := os.Stat(f)
		ls := got[f]
		last := ls[len(ls)-1]
		want := "clean"
		if i%2 == 0 {
			want = "flagged"
		}
		if last["size"] != float64(fi.Size()) || last["verdict"] != want {
			t.Errorf("%s: last scan size %v verdict %v, want %d %s", f, last["size"], last["verdict"], fi.Size(), want)
		}
	}
}

func TestWatchReload(t *testing.T) {
	dir, db := share(t)
	policy := filepath.Join(filepath.Dir(dir), "office.yaml")
	writePolicy := func(terms string) {
		writeFile(t, policy, "version: 1\nrules:\n  - id: office.projects\n    severity: high\n    terms: ["+terms+"]\n")
	}
	writePolicy("天河工程")
	cfg := filepath.Join(filepath.Dir(dir), "watch.yaml")
	writeFile(t, cfg, "debounce: 200ms\n")
	p := startWatch(t, "--db", db, "--policy", policy, "--config", cfg, dir)
	p.waitMsg("watching", 1, 20*time.Second)
	a := filepath.Join(dir, "a.txt")
	writeFile(t, a, "青龙计划进展顺利。\n")
	got := p.waitScanned([]string{a}, 20*time.Second)
	if got[a][0]["verdict"] != "clean" {
		t.Fatalf("before reload: %v", got[a][0])
	}

	writePolicy("天河工程, 青龙计划")
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitMsg("reloaded policy and config", 1, 20*time.Second)
	b := filepath.Join(dir, "b.txt")
	writeFile(t, b, "青龙计划进展顺利。\n")
	got = p.waitScanned([]string{b}, 20*time.Second)
	if got[b][0]["verdict"] != "flagged" {
		t.Fatalf("after reload: %v", got[b][0])
	}

	// A broken policy is refused and the old one stays.
	writeFile(t, policy, "version: 1\nrules:\n  - id: BAD ID\n    severity: extreme\n")
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitMsg("reload failed: keeping the old policy and config", 1, 20*time.Second)
	c := filepath.Join(dir, "c.txt")
	writeFile(t, c, "青龙计划进展顺利。\n")
	got = p.waitScanned([]string{c}, 20*time.Second)
	if got[c][0]["verdict"] != "flagged" {
		t.Fatalf("after a failed reload: %v", got[c][0])
	}

	// So is a config whose command's program is not there.
	writePolicy("天河工程, 青龙计划")
	writeFile(t, cfg, "command:\n  run: [baomi-no-such-program]\n")
	p.cmd.Process.Signal(syscall.SIGHUP)
	p.waitMsg("reload failed: keeping the old policy and config", 2, 20*time.Second)
	p.mu.Lock()
	failed := withMsg(p.lines, "reload failed: keeping the old policy and config")
	p.mu.Unlock()
	if e, _ := failed[1]["error"].(string); !strings.Contains(e, "watch.yaml:2: command: the program baomi-no-such-program was not found") {
		t.Errorf("reload error %q", e)
	}
	if code := p.stop(syscall.SIGINT); code != 0 {
		t.Errorf("exit code after SIGINT %d, want 0", code)
	}
}

func TestWatchActions(t *testing.T) {
	dir, db := share(t)
	base := filepath.Dir(dir)
	quar := filepath.Join(base, "quarantine")

	var mu sync.Mutex
	var posts []map[string]any
	var rawPosts []string
	fail := 1 // the first request fails: the webhook must retry
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			return // the start-up check
		}
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		defer mu.Unlock()
		if fail > 0 {
			fail--
			http.Error(w, "try again", http.StatusServiceUnavailable)
			return
		}
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Errorf("webhook body is not JSON: %v", err)
		}
		posts = append(posts, m)
		rawPosts = append(rawPosts, string(body))
	}))
	defer srv.Close()

	script := filepath.Join(base, "hook.sh")
	out := filepath.Join(base, "hook.out")
	writeFile(t, script, "#!/bin/sh\necho \"$BAOMI_VERDICT $BAOMI_SEVERITY $BAOMI_PATH $(wc -c)\" >> "+out+"\n")
	os.Chmod(script, 0o755)
	cfg := filepath.Join(base, "watch.yaml")
	writeFile(t, cfg, fmt.Sprintf(`quarantine:
  dir: %s
webhook:
  url: %s
  backoff: 50ms
  timeout: 2s
command:
  run: [%s]
  min_severity: high
  verdicts: []
`, quar, srv.URL, script))

	// A file already in quarantine under the same name is not overwritten.
	writeFile(t, filepath.Join(quar, "sub", "m1.txt"), "older")
	p := startWatch(t, "--db", db, "--config", cfg, "--listen", "127.0.0.1:0", dir)
	p.waitMsg("watching", 1, 20*time.Second)
	flagged := []string{filepath.Join(dir, "m0.txt"), filepath.Join(dir, "sub", "m1.txt"), filepath.Join(dir, "sub", "x", "m2.txt")}
	clean := []string{filepath.Join(dir, "c0.txt"), filepath.Join(dir, "sub", "c1.txt")}
	for _, f := range flagged {
		writeFile(t, f, markedText)
	}
	for _, f := range clean {
		writeFile(t, f, cleanText)
	}
	p.waitScanned(append(append([]string{}, flagged...), clean...), 20*time.Second)
	p.waitMsg("quarantined", len(flagged), 10*time.Second)

	// Quarantine: exactly the flagged files moved, paths kept, sidecars
	// without the matched text.
	for _, f := range clean {
		if _, err := os.Stat(f); err != nil {
			t.Errorf("clean file %s was moved: %v", f, err)
		}
	}
	wantDest := map[string]string{
		flagged[0]: filepath.Join(quar, "m0.txt"),
		flagged[1]: filepath.Join(quar, "sub", "m1.1.txt"),
		flagged[2]: filepath.Join(quar, "sub", "x", "m2.txt"),
	}
	for src, dest := range wantDest {
		if _, err := os.Stat(src); !os.IsNotExist(err) {
			t.Errorf("flagged file %s is still in the share", src)
		}
		if b, err := os.ReadFile(dest); err != nil || string(b) != markedText {
			t.Errorf("%s: %v, %q", dest, err, b)
		}
		side, err := os.ReadFile(dest + ".baomi.json")
		if err != nil {
			t.Errorf("sidecar: %v", err)
			continue
		}
		var sc struct {
			Path     string
			Verdict  string
			Findings []struct{ Rule, Fingerprint string }
		}
		json.Unmarshal(side, &sc)
		if sc.Path != src || sc.Verdict != "flagged" || len(sc.Findings) != 1 || sc.Findings[0].Rule != "marking.classified" || sc.Findings[0].Fingerprint == "" {
			t.Errorf("sidecar %s: %s", dest, side)
		}
		if strings.Contains(string(side), "机密") {
			t.Errorf("sidecar %s holds the matched text", dest)
		}
	}
	if b, _ := os.ReadFile(filepath.Join(quar, "sub", "m1.txt")); string(b) != "older" {
		t.Errorf("the file already in quarantine was overwritten: %q", b)
	}

	// A note, in Chinese, in place of each file moved; the daemon does not
	// scan its own notes.
	p.waitMsg("not scanned: a note left for a quarantined file", len(flagged), 10*time.Second)
	for _, f := range flagged {
		note := f + ".已隔离.txt"
		b, err := os.ReadFile(note)
		if err != nil || !strings.Contains(string(b), "“"+filepath.Base(f)+"”已于") || strings.Contains(string(b), "机密") {
			t.Errorf("note %s: %v\n%s", note, err, b)
		}
		if n := len(p.scanned()[note]); n != 0 {
			t.Errorf("the note %s was scanned %d times", note, n)
		}
	}
	p.waitMsg("the webhook can be reached", 1, 10*time.Second)

	// Webhook: one post per flagged file, after a retry, without text.
	deadline := time.Now().Add(10 * time.Second)
	for {
		mu.Lock()
		n := len(posts)
		mu.Unlock()
		if n >= len(flagged) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	mu.Lock()
	if len(posts) != len(flagged) {
		t.Errorf("webhook got %d posts, want %d", len(posts), len(flagged))
	}
	for i, m := range posts {
		if m["verdict"] != "flagged" || m["quarantined"] == "" || strings.Contains(rawPosts[i], "机密") {
			t.Errorf("webhook post %s", rawPosts[i])
		}
	}
	mu.Unlock()

	// Metrics count what happened; the last actions and records may still
	// be running, so poll until the queue is empty and the commands ran.
	p.mu.Lock()
	addr, _ := withMsg(p.lines, "serving /healthz and /metrics")[0]["addr"].(string)
	p.mu.Unlock()
	resp, err := http.Get("http://" + addr + "/healthz")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("/healthz: %v %v", err, resp)
	}
	resp.Body.Close()
	var metrics []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err = http.Get("http://" + addr + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		metrics, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(metrics), "baomi_watch_queue_depth 0\n") &&
			strings.Contains(string(metrics), `baomi_watch_actions_total{action="command",outcome="ok"} 3`) {
			break
		}
	}

	// Command: run for high findings only, with the environment and the
	// result on stdin.
	b, _ := os.ReadFile(out)
	runs := strings.Split(strings.TrimSpace(string(b)), "\n")
	if len(runs) != len(flagged) || !strings.HasPrefix(runs[0], "flagged high "+dir) {
		t.Errorf("command runs:\n%s", b)
	}
	for _, want := range []string{
		`baomi_watch_files_scanned_total{verdict="flagged"} 3`,
		`baomi_watch_files_scanned_total{verdict="clean"} 2`,
		`baomi_watch_findings_total{severity="high"} 3`,
		`baomi_watch_actions_total{action="quarantine",outcome="ok"} 3`,
		`baomi_watch_actions_total{action="webhook",outcome="ok"} 3`,
		`baomi_watch_actions_total{action="command",outcome="ok"} 3`,
		`baomi_watch_queue_depth 0`,
		`baomi_watch_scan_duration_seconds_count 5`,
	} {
		if !strings.Contains(string(metrics), want+"\n") {
			t.Errorf("/metrics lacks %s", want)
		}
	}
}

// TestWatchWebhookUnreachable: a webhook nothing answers is reported at
// start, and the daemon runs on (the retry queue delivers later).
func TestWatchWebhookUnreachable(t *testing.T) {
	dir, db := share(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String() + "/hook"
	ln.Close()
	cfg := filepath.Join(filepath.Dir(dir), "watch.yaml")
	writeFile(t, cfg, "webhook:\n  url: "+url+"\n")
	p := startWatch(t, "--db", db, "--config", cfg, dir)
	p.waitMsg("the webhook cannot be reached: alerts wait in the retry queue until it can", 1, 20*time.Second)
	f := filepath.Join(dir, "a.txt")
	writeFile(t, f, cleanText)
	p.waitScanned([]string{f}, 10*time.Second)
	if code := p.stop(syscall.SIGTERM); code != 0 {
		t.Errorf("exit code after SIGTERM %d, want 0", code)
	}
}

func TestWatchPoll(t *testing.T) {
	dir, db := share(t)
	p := startWatch(t, "--db", db, "--poll", "300ms", "--no-notify", dir)
	p.waitMsg("watching", 1, 20*time.Second)
	f := filepath.Join(dir, "sub", "behind.txt")
	writeFile(t, f, cleanText)
	got := p.waitScanned([]string{f}, 10*time.Second)
	if got[f][0]["verdict"] != "clean" {
		t.Fatalf("%v", got[f][0])
	}
	// Changed behind the daemon's back: found by the next poll.
	writeFile(t, f, markedText)
	p.waitFor("a second scan", 10*time.Second, func(lines []map[string]any) bool {
		ls := byPath(withMsg(lines, "scanned"))[f]
		return len(ls) == 2 && ls[1]["verdict"] == "flagged"
	})
	if n := len(p.scanned()[f]); n != 2 {
		t.Errorf("scanned %d times, want 2", n)
	}
}

func TestWatchUsageErrors(t *testing.T) {
	dir, db := share(t)
	base := filepath.Dir(dir)
	bad := func(name, text string) string {
		p := filepath.Join(base, name)
		writeFile(t, p, text)
		return p
	}
	// Links into the share: a quarantine folder or a database reached
	// through them would be scanned and moved again, in a loop.
	if err := os.Symlink(dir, filepath.Join(base, "toshare")); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"quarantine through a link into the share", []string{"--config", bad("f.yaml", "quarantine:\n  dir: "+filepath.Join(base, "toshare", "q")+"\n")},
			"(" + filepath.Join(dir, "q") + " once links are resolved) must not be inside the watched folder"},
		{"database through a link into the share", []string{"--db", filepath.Join(base, "toshare", "watch.db")},
			"(" + filepath.Join(dir, "watch.db") + " once links are resolved) must not be inside the watched folder"},
		{"unknown key", []string{"--config", bad("a.yaml", "debounce: 1s\nquarantin:\n  dir: /x\n")}, "a.yaml:2: unknown key quarantin"},
		{"bad severity", []string{"--config", bad("b.yaml", "webhook:\n  url: http://127.0.0.1:1/\n  min_severity: huge\n")}, "b.yaml:3: webhook: min_severity"},
		{"bad duration", []string{"--config", bad("c.yaml", "\n\ndebounce: soon\n")}, "c.yaml:3:"},
		{"quarantine in share", []string{"--config", bad("d.yaml", "quarantine:\n  dir: "+filepath.Join(dir, "q")+"\n")}, "must not be inside the watched folder"},
		{"command not found", []string{"--config", bad("g.yaml", "command:\n  run: [baomi-no-such-program, --to, x]\n")},
			"g.yaml:2: command: the program baomi-no-such-program was not found or cannot be run: install it, correct run, or set enabled: false"},
		{"command not found, in Chinese", []string{"--lang", "zh", "--config", filepath.Join(base, "g.yaml")},
			"g.yaml:2：command：找不到程序baomi-no-such-program或无法运行：请安装该程序、改正run，或设置enabled: false"},
		{"no-notify alone", []string{"--no-notify"}, "--no-notify needs --poll"},
		{"not a folder", []string{"--config", bad("e.yaml", "")}, "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"watch", "--db", db}, tt.args...)
			if tt.name == "not a folder" {
				args = append(args, filepath.Join(base, "e.yaml"))
			} else {
				args = append(args, dir)
			}
			_, stderr, code := runBaomi(t, args...)
			if code != exitUsage || !strings.Contains(stderr, tt.want) {
				t.Errorf("exit %d, stderr:\n%s\nwant exit 3 and %q", code, stderr, tt.want)
			}
		})
	}
}
