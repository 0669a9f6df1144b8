package sandbox

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// The test binary doubles as the child: with envChild set it serves
// requests with fakeExtract, whose behaviour the file's name chooses.
const envChild = "BAOMI_SANDBOX_TEST_CHILD"

func TestMain(m *testing.M) {
	switch os.Getenv(envChild) {
	case "child":
		if err := ServeChild(fakeExtract); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		os.Exit(0)
	case "parent":
		orphanParent()
		return
	}
	os.Exit(m.Run())
}

var sink [][]byte

func fakeExtract(ctx context.Context, path string, lim extract.Limits) (*extract.Document, error) {
	switch filepath.Base(path) {
	case "hang":
		for {
			runtime.Gosched()
		}
	case "oom":
		for {
			b := make([]byte, 16<<20)
			for i := range b {
				b[i] = 1
			}
			sink = append(sink, b)
		}
	case "panic":
		panic("parser bug")
	case "exit":
		os.Exit(7)
	case "print":
		fmt.Println("a library printing to stdout must not break the protocol")
	case "pid":
		return &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: strconv.Itoa(os.Getpid())}}}, nil
	}
	return extract.File(ctx, path, lim)
}

func newPool(t *testing.T, opt Options) *Pool {
	t.Helper()
	opt.Command = []string{os.Args[0]}
	opt.Env = append(opt.Env, envChild+"=child")
	p := New(opt)
	t.Cleanup(func() { p.Close() })
	return p
}

func textFile(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "notice.txt")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestFaults(t *testing.T) {
	p := newPool(t, Options{Memory: 512 << 20, Timeout: 8 * time.Second})
	good := textFile(t, "机密★5年")
	tests := []struct {
		file   string
		kind   extract.Kind
		reason string
	}{
		{"hang", extract.KindTimeout, "took longer than 8s"},
		{"oom", extract.KindLimit, "512 MiB of memory"},
		{"panic", extract.KindCrash, "parser crashed"},
		{"exit", extract.KindCrash, "exit status 7"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			_, err := p.Extract(context.Background(), tc.file)
			if extract.KindOf(err) != tc.kind || !strings.Contains(fmt.Sprint(err), tc.reason) {
				t.Errorf("got %v (%s), want %s with %q", err, extract.KindOf(err), tc.kind, tc.reason)
			}
			// The next file is read by a healthy child.
			doc, err := p.Extract(context.Background(), good)
			if err != nil || len(doc.Segments) != 1 || doc.Segments[0].Text != "机密★5年" {
				t.Errorf("after %s: %v %+v", tc.file, err, doc)
			}
		})
	}
}

func TestReuseAndProtocol(t *testing.T) {
	p := newPool(t, Options{Memory: 1 << 30, Timeout: 10 * time.Second})
	pid := func() string {
		doc, err := p.Extract(context.Background(), "pid")
		if err != nil {
			t.Fatal(err)
		}
		return doc.Segments[0].Text
	}
	first := pid()
	if _, err := p.Extract(context.Background(), "print"); extract.KindOf(err) != extract.KindIO {
		t.Errorf("print: %v", err)
	}
	if second := pid(); second != first {
		t.Errorf("child not reused: pid %s then %s", first, second)
	}
	if _, err := p.Extract(context.Background(), "panic"); extract.KindOf(err) != extract.KindCrash {
		t.Errorf("panic: %v", err)
	}
	if third := pid(); third != first {
		t.Errorf("a recovered panic should not cost the child: pid %s then %s", first, third)
	}
	_, err := p.Extract(context.Background(), filepath.Join(t.TempDir(), "missing.pdf"))
	if extract.KindOf(err) != extract.KindIO {
		t.Errorf("missing file: %v", err)
	}
}

func TestCancel(t *testing.T) {
	p := newPool(t, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := p.Extract(ctx, "hang")
	if extract.KindOf(err) != extract.KindTimeout || time.Since(start) > 5*time.Second {
		t.Errorf("cancel: %v after %v", err, time.Since(start))
	}
	p.Close()
	if _, err := p.Extract(context.Background(), "pid"); err == nil {
		t.Error("Extract after Close succeeded")
	}
}

// orphanParent is a parent process that starts a child on a hanging file
// and prints the child's pid; the test kills it with SIGKILL.
func orphanParent() {
	p := New(Options{Command: []string{os.Args[0]}, Env: []string{envChild + "=child"}})
	doc, err := p.Extract(context.Background(), "pid")
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	fmt.Println(doc.Segments[0].Text)
	p.Extract(context.Background(), "hang")
}

// TestNoOrphans kills a parent with SIGKILL while its child is busy and
// checks that the child dies too.
func TestNoOrphans(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("parent-death signal is Linux only")
	}
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), envChild+"=parent")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil || pid <= 0 {
		cmd.Process.Kill()
		t.Fatalf("reading child pid: %v", err)
	}
	time.Sleep(200 * time.Millisecond) // let the child start on "hang"
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if syscall.Kill(pid, 0) != nil {
			return // gone
		}
		if data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid)); err == nil && strings.Contains(string(data), ") Z ") {
			return // a zombie waiting for init to reap it is dead
		}
		time.Sleep(50 * time.Millisecond)
	}
	syscall.Kill(pid, syscall.SIGKILL)
	t.Fatalf("child %d outlived its parent", pid)
}
