package sandbox

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats"
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

func fakeExtract(ctx context.Context, path string, opt extract.Options) (*extract.Document, error) {
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
	case "big":
		b := make([]byte, 96<<20)
		for i := range b {
			b[i] = 1
		}
		sink = append(sink, b)
	case "garbage":
		b := make([]byte, 40<<20)
		for i := range b {
			b[i] = 1
		}
	case "rss":
		rss, err := resident()
		return &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: strconv.FormatInt(rss, 10)}}}, err
	case "panic":
		panic("parser bug")
	case "exit":
		os.Exit(7)
	case "oom-message":
		// How the runtime dies at the limit, without the race to get there.
		fmt.Fprintln(os.Stderr, "fatal error: runtime: out of memory")
		os.Exit(2)
	case "print":
		fmt.Println("a library printing to stdout must not break the protocol")
	case "long":
		return longDoc(), nil
	case "pictures":
		return scannedPages(ctx, opt)
	case "pid":
		return &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: strconv.Itoa(os.Getpid())}}}, nil
	}
	return extract.File(ctx, path, opt)
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
		{"oom", extract.KindLimit, "512 MiB of resident memory (file memory limit, enforced by "},
		{"panic", extract.KindCrash, "parser crashed"},
		{"exit", extract.KindCrash, "exit status 7"},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			if tc.file == "oom" && raceEnabled {
				t.Skip("the race detector's memory does not fit under the memory limit")
			}
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

// A file whose child is killed (timeout) or dies (crash) before it could
// hash the file still carries its digest, hashed by the parent, so that a
// file-hash rule knows it; a file over the size limit is not hashed.
func TestDigestOfStoppedRead(t *testing.T) {
	content := []byte("机密★5年 a file known by its hash")
	sum := sha256.Sum256(content)
	tests := []struct {
		name, file string
		opt        Options
		kind       extract.Kind
		hashed     bool
	}{
		{"timeout", "hang", Options{Timeout: time.Second}, extract.KindTimeout, true},
		{"crash", "exit", Options{Timeout: time.Minute}, extract.KindCrash, true},
		{"over the size limit", "exit", Options{Timeout: time.Minute, Extract: extract.Options{MaxFileSize: 10}}, extract.KindCrash, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), tc.file)
			if err := os.WriteFile(path, content, 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := newPool(t, tc.opt).Extract(context.Background(), path)
			if extract.KindOf(err) != tc.kind {
				t.Fatalf("got %v, want %s", err, tc.kind)
			}
			d := extract.DigestsOf(nil, err)
			switch {
			case !tc.hashed && len(d) != 0:
				t.Errorf("digests %+v, want none", d)
			case tc.hashed && (len(d) != 1 || d[0].Inner != "" || d[0].SHA256 != hex.EncodeToString(sum[:]) || len(d[0].SM3) != 64):
				t.Errorf("digests %+v, want the file's", d)
			}
		})
	}
}

// TestStats counts each way a child ends and, on Linux, checks that the
// peak memory of the largest child is measured: the child's own, not its
// parent's. The hang gets a pool of its own so that a slow machine cannot
// turn the oom child's run into a timeout.
func TestStats(t *testing.T) {
	tests := []struct {
		name  string
		opt   Options
		files []string
		want  Stats
		held  int64 // the most a measured child held on purpose, in bytes
	}{
		{"timeout", Options{Timeout: time.Second}, []string{"hang", "pid"}, Stats{Started: 2, TimedOut: 1}, 0},
		// oom-message and exit each cost a child; pid, big and pid share the
		// third, and big holds 96 MiB. (A child really at the limit
		// sometimes dies of SIGSEGV inside Go 1.26's collector instead of
		// "out of memory", so TestFaults' oom is the end-to-end case.)
		{"deaths", Options{Memory: 256 << 20, Timeout: time.Minute}, []string{"oom-message", "exit", "pid", "big", "pid"}, Stats{Started: 3, OutOfMemory: 1, Crashed: 1}, 96 << 20},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.opt.Memory > 0 && raceEnabled {
				t.Skip("the race detector's memory does not fit under the memory limit")
			}
			p := newPool(t, tc.opt)
			for _, file := range tc.files {
				p.Extract(context.Background(), file)
			}
			p.Close()
			got := p.Stats()
			rss := got.MaxRSS
			got.MaxRSS = 0
			if got != tc.want {
				t.Errorf("stats %+v, want %+v", got, tc.want)
			}
			// A Go process of this size needs well under 64 MiB besides.
			if runtime.GOOS == "linux" && (rss < tc.held || rss > tc.held+64<<20) {
				t.Errorf("max child RSS %d MiB, want %d MiB and a little more", rss>>20, tc.held>>20)
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

// A panic value can quote the file (a parser's message about an element
// name): the crash reason is ours alone.
func TestPanicReasonQuotesNothing(t *testing.T) {
	_, err := safely(context.Background(), func(context.Context, string, extract.Options) (*extract.Document, error) {
		panic("element <p> closed by </内部资料注意保存>")
	}, request{})
	if extract.KindOf(err) != extract.KindCrash || err.Error() != "the parser crashed on this file" {
		t.Errorf("got %v (%s), want the crash reason alone", err, extract.KindOf(err))
	}
}

// TestMinMemory reads a 12-byte text file at the smallest limit baomi
// accepts, each time in a fresh child: the runtime's start-up must never
// count against the limit (it did while RLIMIT_DATA was the limit).
func TestMinMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's memory does not fit under the memory limit")
	}
	good := textFile(t, "机密★年")
	failed := 0
	for range 20 {
		p := newPool(t, Options{Memory: MinMemory, Timeout: time.Minute})
		doc, err := p.Extract(context.Background(), good)
		p.Close()
		if err != nil || len(doc.Segments) != 1 || doc.Segments[0].Text != "机密★年" {
			failed++
			t.Logf("%v %+v", err, doc)
		}
	}
	if failed > 0 {
		t.Errorf("%d of 20 fresh children failed a 12-byte file at %d MiB", failed, MinMemory>>20)
	}
}
