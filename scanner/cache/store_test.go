package cache

import (
	"bytes"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// Document text that must never reach the database file.
const (
	secretText    = "机密★5年"
	secretContext = "关于天河工程进度的通知"
	secretBefore  = "关于"
	secretAfter   = "进度的通知"
)

// stamp is the stamp of a file of this size and mtime where the system
// gives no ctime or inode.
func stamp(size int64, mtime time.Time) scanner.FileStamp {
	return scanner.FileStamp{Size: size, MTime: mtime.UnixNano()}
}

func open(t testing.TB, path string) *Store {
	t.Helper()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func flagged() scanner.Result {
	return scanner.Result{
		Path: "/share/通知.docx", Format: "docx", Verdict: scanner.Flagged,
		Findings: []scanner.Finding{
			{Rule: "marking.classified", Title: "密级标志", Severity: policies.High, Text: secretText,
				Location: scanner.Location{Part: "header", Page: 0, Line: 1, Offset: 0},
				Context:  secretContext, Before: secretBefore, After: secretAfter, Fingerprint: "fp-marking-1"},
			{Rule: "office.projects", Title: "项目代号", Severity: policies.Medium, Text: "天河工程",
				Location: scanner.Location{Part: "body", Page: 3, Line: 12, Offset: 7, Inner: "附件/a.docx"},
				Context:  secretContext, Fingerprint: "fp-projects-2"},
		},
	}
}

// stripped is what the store must give back for r.
func stripped(r scanner.Result) scanner.Result {
	r.Path = ""
	fs := make([]scanner.Finding, len(r.Findings))
	for i, f := range r.Findings {
		f.Text, f.Context, f.Before, f.After = "", "", "", ""
		fs[i] = f
	}
	r.Findings = fs
	return r
}

func TestResultRoundTrip(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cache.db"))
	tests := []struct {
		name string
		r    scanner.Result
	}{
		{"flagged", flagged()},
		{"clean", scanner.Result{Path: "a.txt", Format: "text", Verdict: scanner.Clean, Findings: []scanner.Finding{}}},
		{"clean nil findings", scanner.Result{Format: "text", Verdict: scanner.Clean}},
		{"error", scanner.Result{Format: "pdf", Verdict: scanner.Error, Reason: "encrypted", Findings: []scanner.Finding{}}},
		{"flagged partly read", scanner.Result{Format: "pdf", Verdict: scanner.Flagged, Reason: "page 2 is an image",
			Findings: flagged().Findings[:1]}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hash := fmt.Sprintf("content-%d", i)
			if _, ok, err := s.Result(hash, "policy"); ok || err != nil {
				t.Fatalf("before put: ok %v, err %v", ok, err)
			}
			if err := s.PutResult(hash, "policy", tt.r); err != nil {
				t.Fatal(err)
			}
			got, ok, err := s.Result(hash, "policy")
			if !ok || err != nil {
				t.Fatalf("after put: ok %v, err %v", ok, err)
			}
			if want := stripped(tt.r); !reflect.DeepEqual(got, want) {
				t.Errorf("got  %#v\nwant %#v", got, want)
			}
			if got.Findings == nil {
				t.Error("Findings is nil; reports need [] like the scanner gives")
			}
		})
	}
}

// TestNoDocumentText is promise 5: the matched text and its context never
// reach the database file (nor its WAL), while the rule id does.
func TestNoDocumentText(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(filepath.Join(dir, "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range 50 {
		if err := s.PutResult(fmt.Sprintf("h%d", i), "p", flagged()); err != nil {
			t.Fatal(err)
		}
	}
	scanFiles := func(when string) {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		var all []byte
		for _, e := range entries {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		for _, text := range []string{secretText, secretContext, "天河工程", secretAfter, flagged().Path} {
			if bytes.Contains(all, []byte(text)) {
				t.Errorf("%s: %q found in the database files", when, text)
			}
		}
		if !bytes.Contains(all, []byte("marking.classified")) || !bytes.Contains(all, []byte("fp-projects-2")) {
			t.Errorf("%s: rule id or fingerprint not found: the byte scan does not see the data", when)
		}
	}
	scanFiles("open") // data still in the WAL
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	scanFiles("closed") // checkpointed into cache.db
}

func TestFileHash(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cache.db"))
	mtime := time.Date(2025, 3, 1, 9, 30, 0, 123456789, time.Local)
	a := scanner.FileStamp{Size: 1000, MTime: mtime.UnixNano(), CTime: mtime.Add(time.Second).UnixNano(), Inode: 1 << 63}
	if err := s.PutFileHash("/share/a.docx", a, "h1"); err != nil {
		t.Fatal(err)
	}
	if err := s.PutFileHash("/share/b.pdf", stamp(1000, mtime), "h2"); err != nil {
		t.Fatal(err)
	}
	with := func(f func(*scanner.FileStamp)) scanner.FileStamp {
		st := a
		f(&st)
		return st
	}
	tests := []struct {
		name  string
		path  string
		stamp scanner.FileStamp
		want  string // "" for a miss
	}{
		{"same", "/share/a.docx", a, "h1"},
		{"same instant, other zone", "/share/a.docx", with(func(st *scanner.FileStamp) { st.MTime = mtime.UTC().UnixNano() }), "h1"},
		{"other file", "/share/b.pdf", stamp(1000, mtime), "h2"},
		{"mtime changed", "/share/a.docx", with(func(st *scanner.FileStamp) { st.MTime++ }), ""},
		{"size changed", "/share/a.docx", with(func(st *scanner.FileStamp) { st.Size++ }), ""},
		{"ctime changed (mtime set back)", "/share/a.docx", with(func(st *scanner.FileStamp) { st.CTime++ }), ""},
		{"inode changed (file replaced)", "/share/a.docx", with(func(st *scanner.FileStamp) { st.Inode = 7 }), ""},
		{"unknown path", "/share/c.txt", a, ""},
		{"path is not normalized", "/share/./a.docx", a, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok, err := s.FileHash(tt.path, tt.stamp)
			if err != nil || got != tt.want || ok != (tt.want != "") {
				t.Errorf("FileHash = %q, %v, %v; want %q", got, ok, err, tt.want)
			}
		})
	}
	// Preloaded rows compare the same way.
	if err := s.Preload([]string{"/share/a.docx"}, "p"); err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests[:6] {
		if tt.path != "/share/a.docx" {
			continue
		}
		if got, ok, err := s.FileHash(tt.path, tt.stamp); err != nil || got != tt.want || ok != (tt.want != "") {
			t.Errorf("preloaded, %s: FileHash = %q, %v, %v; want %q", tt.name, got, ok, err, tt.want)
		}
	}
	s.pre.Store(nil)
	// A new put for the path replaces the old key.
	later := mtime.Add(time.Hour)
	if err := s.PutFileHash("/share/a.docx", stamp(2000, later), "h3"); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.FileHash("/share/a.docx", a); ok {
		t.Error("old stamp still hits after the file changed")
	}
	if got, ok, _ := s.FileHash("/share/a.docx", stamp(2000, later)); !ok || got != "h3" {
		t.Errorf("new key: %q, %v", got, ok)
	}
}

func TestPolicySeparation(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cache.db"))
	clean := scanner.Result{Format: "docx", Verdict: scanner.Clean, Findings: []scanner.Finding{}}
	if err := s.PutResult("content", "policy-a", clean); err != nil {
		t.Fatal(err)
	}
	if err := s.PutResult("content", "policy-b", flagged()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		policy string
		want   scanner.Verdict // "" for a miss
	}{{"policy-a", scanner.Clean}, {"policy-b", scanner.Flagged}, {"policy-c", ""}}
	for _, tt := range tests {
		r, ok, err := s.Result("content", tt.policy)
		if err != nil || ok != (tt.want != "") || r.Verdict != tt.want {
			t.Errorf("%s: verdict %q, ok %v, err %v; want %q", tt.policy, r.Verdict, ok, err, tt.want)
		}
	}
	// Putting again replaces.
	if err := s.PutResult("content", "policy-a", flagged()); err != nil {
		t.Fatal(err)
	}
	if r, _, _ := s.Result("content", "policy-a"); r.Verdict != scanner.Flagged {
		t.Errorf("after replace: %q", r.Verdict)
	}
}

func TestReopen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	mtime := time.Unix(1700000000, 42)
	first, err := s.AddAudit(Audit{User: "张三", Host: "pc1", Started: mtime, Finished: mtime.Add(time.Minute)})
	if err == nil {
		err = s.PutFileHash("/a", stamp(1, mtime), "h")
	}
	if err == nil {
		err = s.PutResult("h", "p", flagged())
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	if h, ok, err := s.FileHash("/a", stamp(1, mtime)); h != "h" || !ok || err != nil {
		t.Errorf("FileHash after reopen: %q %v %v", h, ok, err)
	}
	if r, ok, err := s.Result("h", "p"); !ok || err != nil || !reflect.DeepEqual(r, stripped(flagged())) {
		t.Errorf("Result after reopen: %v %v %#v", ok, err, r)
	}
	second, err := s.AddAudit(Audit{User: "李四"})
	if err != nil {
		t.Fatal(err)
	}
	if second.ID != 2 || second.Prev != first.Hash {
		t.Errorf("chain after reopen: id %d prev %q, want 2 %q", second.ID, second.Prev, first.Hash)
	}
	if err := s.Verify(); err != nil {
		t.Error(err)
	}
}

func TestOpenPermissions(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix permissions on Windows")
	}
	dir := filepath.Join(t.TempDir(), "a", "b")
	path := filepath.Join(dir, "cache.db")
	s := open(t, path)
	if err := s.PutFileHash("/x", stamp(1, time.Now()), "h"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path string
		want os.FileMode
	}{{filepath.Dir(dir), 0o700}, {dir, 0o700}, {path, 0o600}, {path + "-wal", 0o600}} {
		fi, err := os.Stat(c.path)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got != c.want {
			t.Errorf("%s: mode %v, want %v", c.path, got, c.want)
		}
	}
}

// TestOpenOddPath: characters that mean something in a URI or DSN are
// part of the file name.
func TestOpenOddPath(t *testing.T) {
	name := "保密 a%20b"
	if runtime.GOOS != "windows" {
		name += "?x=1#y"
	}
	path := filepath.Join(t.TempDir(), name, "cache.db")
	s := open(t, path)
	if err := s.PutFileHash("/x", stamp(1, time.Unix(1, 0)), "h"); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Error(err)
	}
}

func TestDefaultPath(t *testing.T) {
	p, err := DefaultPath()
	if err != nil {
		t.Skip(err)
	}
	if filepath.Base(p) != "cache.db" || filepath.Base(filepath.Dir(p)) != "baomi" || !filepath.IsAbs(p) {
		t.Errorf("DefaultPath = %q", p)
	}
}

// badFiles are database files Open refuses. Damaged ones (want moved)
// OpenOrReplace moves aside; Open alone does not see all damage (opens).
var badFiles = []struct {
	name  string
	make  func(t *testing.T, path string)
	want  string
	moved bool
	opens bool
}{
	{"text file", func(t *testing.T, path string) {
		writeFile(t, path, []byte("这不是数据库 this is not a database\n"))
	}, "not a SQLite database", true, false},
	{"short file", func(t *testing.T, path string) {
		writeFile(t, path, []byte("SQL"))
	}, "not a SQLite database", true, false},
	{"another program's database", func(t *testing.T, path string) {
		rawExec(t, path, `CREATE TABLE notes (body TEXT)`)
	}, "another program", false, false},
	{"newer schema", func(t *testing.T, path string) {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		rawExec(t, path, `UPDATE schema_version SET version = 99`)
	}, "schema version 99, newer", false, false},
	{"damaged pages", func(t *testing.T, path string) {
		b := filledDB(t, path)
		// Keep the 100-byte header, wreck the schema page.
		for i := 100; i < 4096 && i < len(b); i++ {
			b[i] = 0xA5
		}
		writeFile(t, path, b)
	}, "corrupt", true, false},
	{"truncated", func(t *testing.T, path string) {
		b := filledDB(t, path)
		writeFile(t, path, b[:len(b)-4096])
	}, "corrupt", true, false},
	{"damaged row pages", func(t *testing.T, path string) {
		b := filledDB(t, path)
		// Pages of rows, not of the schema: opening does not notice.
		for i := len(b) / 2; i < len(b)/2+8192; i++ {
			b[i] = 0xA5
		}
		writeFile(t, path, b)
	}, "corrupt", true, true},
}

// filledDB makes a database of some pages at path and returns its bytes.
func filledDB(t *testing.T, path string) []byte {
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		s.PutResult(fmt.Sprint(i), "p", flagged())
		s.PutFileHash(fmt.Sprintf("/share/%d.docx", i), stamp(int64(i), time.Unix(1, 0)), fmt.Sprint(i))
	}
	s.Close()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestOpenBadFiles(t *testing.T) {
	for _, tt := range badFiles {
		if tt.opens {
			continue
		}
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			tt.make(t, path)
			s, err := Open(path)
			if err == nil {
				s.Close()
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not name %s or say %q", err, path, tt.want)
			}
		})
	}
}

// A damaged database is moved aside, kept as it was, and a new one works
// at its place; another program's or a newer baomi's is left alone.
func TestOpenOrReplace(t *testing.T) {
	for _, tt := range badFiles {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "cache.db")
			tt.make(t, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			s, moved, err := OpenOrReplace(path)
			if !tt.moved {
				if err == nil || moved != "" || !strings.Contains(err.Error(), tt.want) {
					t.Fatalf("OpenOrReplace = %v, moved %q; want an error saying %q and nothing moved", err, moved, tt.want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if !strings.HasPrefix(moved, path+".corrupt-") {
				t.Errorf("moved to %q, want %s.corrupt-TIMESTAMP", moved, path)
			}
			if kept, err := os.ReadFile(moved); err != nil || !bytes.Equal(kept, before) {
				t.Errorf("the damaged file was not kept as it was at %s: %v", moved, err)
			}
			if err := s.PutFileHash("/a", stamp(1, time.Unix(1, 0)), "h"); err != nil {
				t.Fatal(err)
			}
			if h, ok, err := s.FileHash("/a", stamp(1, time.Unix(1, 0))); h != "h" || !ok || err != nil {
				t.Errorf("new database: FileHash = %q, %v, %v", h, ok, err)
			}
		})
	}
	t.Run("with its WAL", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.db")
		writeFile(t, path, []byte("garbage"))
		writeFile(t, path+"-wal", []byte("stale log"))
		s, moved, err := OpenOrReplace(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if b, err := os.ReadFile(moved + "-wal"); err != nil || string(b) != "stale log" {
			t.Errorf("the WAL was not moved with the database: %q, %v", b, err)
		}
		if err := s.PutFileHash("/a", stamp(1, time.Unix(1, 0)), "h"); err != nil {
			t.Error(err)
		}
	})
	t.Run("a document given by mistake", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "notes.md")
		writeFile(t, path, []byte("# 会议纪要\n"))
		s, moved, err := OpenOrReplace(path)
		if err == nil {
			s.Close()
		}
		if err == nil || moved != "" || !strings.Contains(err.Error(), "not a SQLite database") {
			t.Errorf("OpenOrReplace = %v, moved %q; want an error and the file left alone", err, moved)
		}
		if b, _ := os.ReadFile(path); string(b) != "# 会议纪要\n" {
			t.Errorf("the file became %q", b)
		}
	})
	t.Run("healthy", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "cache.db")
		filledDB(t, path)
		s, moved, err := OpenOrReplace(path)
		if err != nil || moved != "" {
			t.Fatalf("OpenOrReplace = %v, moved %q; want it opened in place", err, moved)
		}
		defer s.Close()
		if h, ok, _ := s.FileHash("/share/7.docx", stamp(7, time.Unix(1, 0))); !ok || h != "7" {
			t.Errorf("rows lost: %q, %v", h, ok)
		}
	})
}

// A database of schema version 1 is migrated in place: its rows, which
// have no ctime or inode, miss once and are replaced.
func TestMigrateFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cache.db")
	rawExec(t, path, migrations[0]+fmt.Sprintf(`; UPDATE schema_version SET version = 1; PRAGMA application_id = %d;
		INSERT INTO files (path, size, mtime, hash) VALUES ('/a', 1, 1000000000, 'old');
		INSERT INTO results (hash, policy, format, verdict, reason) VALUES ('old', 'p', 'text', 'clean', '')`, appID))
	s := open(t, path)
	st := stamp(1, time.Unix(1, 0))
	if h, ok, err := s.FileHash("/a", st); ok || err != nil {
		t.Errorf("version 1 row: FileHash = %q, %v, %v; want a miss", h, ok, err)
	}
	if r, ok, err := s.Result("old", "p"); !ok || err != nil || r.Verdict != scanner.Clean {
		t.Errorf("version 1 result: %v %v %v; want it kept", r.Verdict, ok, err)
	}
	if err := s.PutFileHash("/a", st, "new"); err != nil {
		t.Fatal(err)
	}
	if h, ok, err := s.FileHash("/a", st); h != "new" || !ok || err != nil {
		t.Errorf("after the put: FileHash = %q, %v, %v", h, ok, err)
	}
	var v int
	if err := s.r.QueryRow(`SELECT version FROM schema_version`).Scan(&v); err != nil || v != schemaVersion {
		t.Errorf("schema version %d (%v), want %d", v, err, schemaVersion)
	}
}

func writeFile(t *testing.T, path string, b []byte) {
	t.Helper()
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// rawExec changes the database behind the store's back, as a person with
// the sqlite3 tool would.
func rawExec(t *testing.T, path, query string, args ...any) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// TestConcurrent runs puts, gets and audits from many goroutines (run with
// -race), then checks every write landed.
func TestConcurrent(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cache.db"))
	const workers, each = 8, 60
	mtime := time.Unix(1700000000, 0)
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Go(func() {
			for i := range each {
				key := fmt.Sprintf("%d-%d", w, i)
				if err := s.PutResult(key, "p", flagged()); err != nil {
					errs <- err
				}
				if err := s.PutFileHash("/share/"+key, stamp(int64(i), mtime), key); err != nil {
					errs <- err
				}
				if _, ok, err := s.Result(key, "p"); !ok || err != nil {
					errs <- fmt.Errorf("Result %s: %v %v", key, ok, err)
				}
				if i%20 == 0 {
					if _, err := s.AddAudit(Audit{User: key}); err != nil {
						errs <- err
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for w := range workers {
		for i := range each {
			key := fmt.Sprintf("%d-%d", w, i)
			if h, ok, err := s.FileHash("/share/"+key, stamp(int64(i), mtime)); h != key || !ok || err != nil {
				t.Fatalf("FileHash %s: %q %v %v", key, h, ok, err)
			}
		}
	}
	audits, err := s.Audits()
	if err != nil || len(audits) != workers*each/20 {
		t.Fatalf("%d audits, err %v", len(audits), err)
	}
	if err := s.Verify(); err != nil {
		t.Error(err)
	}
}

// Benchmarks: go test -bench . -benchtime 10000x ./scanner/cache/
func BenchmarkPutResult(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "cache.db"))
	r := flagged()
	for i := 0; b.Loop(); i++ {
		if err := s.PutResult(fmt.Sprint(i), "p", r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
}

func BenchmarkPutResultParallel(b *testing.B) {
	s := open(b, filepath.Join(b.TempDir(), "cache.db"))
	r := flagged()
	var mu sync.Mutex
	n := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			mu.Lock()
			n++
			key := fmt.Sprint(n)
			mu.Unlock()
			if err := s.PutResult(key, "p", r); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "puts/s")
}

func benchGet(b *testing.B, parallel bool) {
	s := open(b, filepath.Join(b.TempDir(), "cache.db"))
	const rows = 10000
	for i := range rows {
		if err := s.PutResult(fmt.Sprint(i), "p", flagged()); err != nil {
			b.Fatal(err)
		}
	}
	get := func(i int) {
		if _, ok, err := s.Result(fmt.Sprint(i%rows), "p"); !ok || err != nil {
			b.Errorf("Result: %v %v", ok, err)
		}
	}
	b.ResetTimer()
	if parallel {
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				get(i)
			}
		})
	} else {
		for i := range b.N {
			get(i)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "gets/s")
}

func BenchmarkResult(b *testing.B)         { benchGet(b, false) }
func BenchmarkResultParallel(b *testing.B) { benchGet(b, true) }

// TestPreload: after Preload, FileHash and Result answer from what it read,
// exactly as the database would, including misses for changed and unknown
// files; other policies still go to the database.
func TestPreload(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "cache.db"))
	mtime := time.Unix(1700000000, 5)
	for _, f := range []struct{ path, hash string }{{"/s/a.txt", "ha"}, {"/s/b.pdf", "hb"}, {"/s/c.docx", "hc"}} {
		if err := s.PutFileHash(f.path, stamp(10, mtime), f.hash); err != nil {
			t.Fatal(err)
		}
	}
	clean := scanner.Result{Format: "text", Verdict: scanner.Clean, Findings: []scanner.Finding{}}
	if err := s.PutResult("ha", "p1", clean); err != nil {
		t.Fatal(err)
	}
	if err := s.PutResult("hb", "p1", flagged()); err != nil {
		t.Fatal(err)
	}
	if err := s.PutResult("hc", "p2", clean); err != nil {
		t.Fatal(err)
	}
	if err := s.Preload([]string{"/s/a.txt", "/s/b.pdf", "/s/c.docx", "/s/new.txt"}, "p1"); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		path  string
		mtime time.Time
		hash  string
		ok    bool
	}{
		{"/s/a.txt", mtime, "ha", true},
		{"/s/a.txt", mtime.Add(time.Second), "", false}, // changed
		{"/s/new.txt", mtime, "", false},                // unknown
		{"/elsewhere", mtime, "", false},                // not preloaded: asks the database
	} {
		hash, ok, err := s.FileHash(c.path, stamp(10, c.mtime))
		if err != nil || ok != c.ok || hash != c.hash {
			t.Errorf("FileHash(%s) = %q, %v, %v; want %q, %v", c.path, hash, ok, err, c.hash, c.ok)
		}
	}
	got, ok, err := s.Result("hb", "p1")
	if !ok || err != nil || !reflect.DeepEqual(got, stripped(flagged())) {
		t.Errorf("preloaded flagged result: %+v %v %v", got, ok, err)
	}
	if got, ok, err := s.Result("hc", "p2"); !ok || err != nil || got.Verdict != scanner.Clean {
		t.Errorf("another policy's result: %+v %v %v", got, ok, err)
	}
	if _, ok, _ := s.Result("hc", "p1"); ok {
		t.Error("result of another policy served")
	}
}
