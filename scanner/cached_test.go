package scanner_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/cache"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/ocr"
)

// memCache is a Cache in memory that, like the SQLite store, keeps no text.
type memCache struct {
	mu      sync.Mutex
	files   map[string]memFile
	results map[string]scanner.Result
}

type memFile struct {
	stamp scanner.FileStamp
	hash  string
}

func newMemCache() *memCache {
	return &memCache{files: map[string]memFile{}, results: map[string]scanner.Result{}}
}

func (c *memCache) FileHash(path string, st scanner.FileStamp) (string, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	f, ok := c.files[path]
	if !ok || f.stamp != st {
		return "", false, nil
	}
	return f.hash, true, nil
}

func (c *memCache) PutFileHash(path string, st scanner.FileStamp, hash string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[path] = memFile{st, hash}
	return nil
}

func (c *memCache) Result(hash, policy string) (scanner.Result, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.results[hash+" "+policy]
	return r, ok, nil
}

func (c *memCache) PutResult(hash, policy string, r scanner.Result) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	fs := []scanner.Finding{}
	for _, f := range r.Findings {
		f.Text, f.Context, f.Before, f.After = "", "", "", ""
		fs = append(fs, f)
	}
	r.Path, r.Findings = "", fs
	c.results[hash+" "+policy] = r
	return nil
}

// textX reads files as text and counts the reads per base name; a file
// named *.err is an error.
type textX struct{ calls sync.Map }

func (x *textX) Extract(ctx context.Context, path string) (*extract.Document, error) {
	n, _ := x.calls.LoadOrStore(filepath.Base(path), new(atomic.Int32))
	n.(*atomic.Int32).Add(1)
	if filepath.Ext(path) == ".err" {
		return nil, errors.New("cannot read")
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return body(extract.FormatText, string(data)), nil
}

func (x *textX) reads() map[string]int {
	out := map[string]int{}
	x.calls.Range(func(k, v any) bool { out[k.(string)] = int(v.(*atomic.Int32).Load()); return true })
	return out
}

func TestCachedScan(t *testing.T) {
	dir := t.TempDir()
	files := map[string]string{
		"clean1.txt": "普通通知", "clean2.txt": "会议纪要", "copy-of-clean1.txt": "普通通知",
		"flagged.txt": "本件机密，注意保存", "copy-of-flagged.txt": "本件机密，注意保存", "broken.err": "x",
	}
	for n, c := range files {
		if err := os.WriteFile(filepath.Join(dir, n), []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := testMatcher()
	if err != nil {
		t.Fatal(err)
	}
	c := newMemCache()
	audit := func() (map[string]scanner.Result, map[string]int, scanner.CacheStats) {
		x := &textX{}
		s := scanner.New(m, scanner.Options{Workers: 3, Extractor: x, Cache: c})
		col := &collector{}
		if err := s.Scan(context.Background(), []string{dir}, col); err != nil {
			t.Fatal(err)
		}
		return col.byName(t), x.reads(), s.CacheStats()
	}

	first, reads, st := audit()
	if len(first) != len(files) {
		t.Fatalf("%d results for %d files", len(first), len(files))
	}
	if reads["clean1.txt"]+reads["copy-of-clean1.txt"] != 1 || reads["flagged.txt"]+reads["copy-of-flagged.txt"] != 1 {
		t.Errorf("files with the same content were not scanned once: %v", reads)
	}
	if st.Hashed != int64(len(files)) || st.Served != 0 {
		t.Errorf("first scan stats %+v", st)
	}
	for n, r := range first {
		if r.Path != filepath.Join(dir, n) {
			t.Errorf("%s: result has path %s", n, r.Path)
		}
	}
	if f := first["copy-of-flagged.txt"]; f.Verdict != scanner.Flagged || len(f.Findings) == 0 || f.Findings[0].Text == "" {
		t.Errorf("copy of a flagged file: %+v", f)
	}

	second, reads, st := audit()
	for n, r := range first {
		s := second[n]
		if s.Verdict != r.Verdict || s.Reason != r.Reason || len(s.Findings) != len(r.Findings) {
			t.Errorf("%s: second scan %+v, first %+v", n, s, r)
		}
		for i := range s.Findings {
			if !reflect.DeepEqual(s.Findings[i], r.Findings[i]) {
				t.Errorf("%s: finding %d differs: %+v vs %+v", n, i, s.Findings[i], r.Findings[i])
			}
		}
	}
	// Clean files come from the cache unread; the flagged content is read
	// again (once) for its text; the error is retried.
	want := map[string]int{"broken.err": 1}
	if reads["flagged.txt"]+reads["copy-of-flagged.txt"] != 1 {
		t.Errorf("flagged content read %v times, want once", reads)
	}
	delete(reads, "flagged.txt")
	delete(reads, "copy-of-flagged.txt")
	if len(reads) != 1 || reads["broken.err"] != 1 {
		t.Errorf("second scan read %v, want only the flagged content and %v", reads, want)
	}
	if st.Served != 3 || st.Hashed != 0 {
		t.Errorf("second scan stats %+v, want 3 served, none hashed", st)
	}

	// Change one file: only it is hashed and read.
	p := filepath.Join(dir, "clean2.txt")
	if err := os.WriteFile(p, []byte("会议纪要（修订）涉密"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(p, later, later); err != nil {
		t.Fatal(err)
	}
	third, reads, st := audit()
	if st.Hashed != 1 || reads["clean2.txt"] != 1 || reads["clean1.txt"] != 0 {
		t.Errorf("after changing one file: stats %+v, reads %v", st, reads)
	}
	if third["clean2.txt"].Verdict != scanner.Flagged {
		t.Errorf("changed file: %+v", third["clean2.txt"])
	}
}

// Results are kept under the reading settings too: turning OCR on, or
// changing its languages or time, reads the files again; the same settings
// are served from the cache.
func TestCachedReading(t *testing.T) {
	ocrOn := extract.Options{OCR: ocr.Config{Command: "tesseract", Langs: []string{"chi_sim", "eng"}}}
	longer := ocrOn
	longer.OCR.Timeout = 5 * time.Minute
	chiSim := ocrOn
	chiSim.OCR.Langs = []string{"chi_sim"}
	keys := map[string]bool{}
	for _, opt := range []extract.Options{{}, ocrOn, longer, chiSim} {
		keys[scanner.ReadingKey(opt)] = true
	}
	if len(keys) != 4 || !keys[""] {
		t.Fatalf("reading keys %v: want four, off being \"\"", keys)
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "scan.txt"), []byte("普通通知"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := testMatcher()
	if err != nil {
		t.Fatal(err)
	}
	c := newMemCache()
	for i, step := range []struct {
		opt  extract.Options
		read int
	}{{extract.Options{}, 1}, {extract.Options{}, 0}, {ocrOn, 1}, {ocrOn, 0}, {chiSim, 1}, {longer, 1}, {extract.Options{}, 0}} {
		x := &textX{}
		s := scanner.New(m, scanner.Options{Workers: 1, Extractor: x, Cache: c, Reading: scanner.ReadingKey(step.opt)})
		if err := s.Scan(context.Background(), []string{dir}, &collector{}); err != nil {
			t.Fatal(err)
		}
		if got := x.reads()["scan.txt"]; got != step.read {
			t.Errorf("step %d (OCR %+v): read %d times, want %d", i, step.opt.OCR, got, step.read)
		}
	}
}

// A file rewritten with the same size and its mtime set back (touch -d)
// is read again, not served from the cache as the clean file it was.
func TestCachedScanMtimeSetBack(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the change time is read on Linux only")
	}
	m, err := testMatcher()
	if err != nil {
		t.Fatal(err)
	}
	store, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	p := filepath.Join(t.TempDir(), "notice.txt")
	old := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	write := func(text string) {
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(p, old, old); err != nil {
			t.Fatal(err)
		}
	}
	audit := func() scanner.Result {
		s := scanner.New(m, scanner.Options{Workers: 1, Extractor: &textX{}, Cache: store})
		col := &collector{}
		if err := s.Scan(context.Background(), []string{p}, col); err != nil {
			t.Fatal(err)
		}
		return col.byName(t)["notice.txt"]
	}
	write("普通通知会议")
	if r := audit(); r.Verdict != scanner.Clean {
		t.Fatalf("first audit: %+v", r)
	}
	write("本件机密注意") // as many bytes, the same mtime
	if r := audit(); r.Verdict != scanner.Flagged {
		t.Errorf("after a rewrite with the mtime set back: verdict %s, want flagged", r.Verdict)
	}
}

func TestMaxSize(t *testing.T) {
	dir := tempFiles(t, "small.txt")
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), make([]byte, 2000), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := testMatcher()
	if err != nil {
		t.Fatal(err)
	}
	x := &textX{}
	s := scanner.New(m, scanner.Options{Workers: 2, Extractor: x, Walk: scanner.WalkOptions{MaxSize: 1000}})
	col := &collector{}
	if err := s.Scan(context.Background(), []string{dir}, col); err != nil {
		t.Fatal(err)
	}
	got := col.byName(t)
	if r := got["big.txt"]; r.Verdict != scanner.Error || r.Reason == "" {
		t.Errorf("file over MaxSize: %+v", r)
	}
	if got["small.txt"].Verdict != scanner.Clean || x.reads()["big.txt"] != 0 {
		t.Errorf("small %+v, reads %v", got["small.txt"], x.reads())
	}
}
