package main

import (
	"bufio"
	"bytes"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/net/html"
	_ "modernc.org/sqlite"
)

// auditTree writes a tree of about 2,000 files under a new folder: text
// files with and without markings in nested folders, many copies of one
// content, copies of the samples, an unreadable folder and a symbolic link
// loop. It returns the root and how many regular files it holds.
func auditTree(t *testing.T) (string, int) {
	t.Helper()
	root := t.TempDir()
	n := 0
	write := func(rel string, data []byte) {
		p := filepath.Join(root, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	for i := range 1700 {
		text := fmt.Sprintf("第%d号文件：关于做好第%d季度工作的通知。\n", i, i%4+1)
		if i%25 == 0 {
			text += fmt.Sprintf("本通知为机密★%d年，请妥善保管。\n", i%9+1)
		}
		write(fmt.Sprintf("d%02d/sub%d/f%04d.txt", i%17, i%3, i), []byte(text))
	}
	for i := range 150 {
		write(fmt.Sprintf("dups/copy%03d.txt", i), []byte("重复的内容：会议纪要。\n"))
	}
	samples, err := filepath.Glob("../../samples/docs/*")
	if err != nil || len(samples) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for i := range 10 {
		for _, s := range samples {
			data, err := os.ReadFile(s)
			if err != nil {
				t.Fatal(err)
			}
			write(fmt.Sprintf("samples%d/%s", i, filepath.Base(s)), data)
		}
	}
	if err := os.MkdirAll(filepath.Join(root, "loop"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("..", filepath.Join(root, "loop", "up")); err != nil {
		t.Fatal(err)
	}
	write("locked/inside.txt", []byte("内部资料"))
	if os.Getuid() != 0 {
		// As root the folder stays readable, so that part is not tested.
		locked := filepath.Join(root, "locked")
		if err := os.Chmod(locked, 0); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(locked, 0o755) })
		n--
	}
	return root, n
}

// auditStats is the "audit" info log line.
type auditStats struct {
	Files, Served, Hashed, Known, Shared, Scanned int
}

func statsOf(t *testing.T, stderr string) auditStats {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(stderr))
	for sc.Scan() {
		var line struct {
			Message string `json:"message"`
			auditStats
		}
		if json.Unmarshal(sc.Bytes(), &line) == nil && line.Message == "audit" {
			return line.auditStats
		}
	}
	t.Fatalf("no audit log line in:\n%s", stderr)
	return auditStats{}
}

func readReport(t *testing.T, path string) jsonReport {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rep jsonReport
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("%s is not the JSON report: %v", path, err)
	}
	return rep
}

// outcome is what must not change between audits of the same tree.
func outcome(rep jsonReport) map[string]string {
	out := map[string]string{}
	for _, f := range rep.Files {
		var fps []string
		for _, fd := range f.Findings {
			fps = append(fps, fd.Rule+":"+fd.Fingerprint+":"+fd.Text)
		}
		out[f.Path] = string(f.Verdict) + "|" + f.Reason + "|" + strings.Join(fps, ",")
	}
	return out
}

func TestAuditEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("audits 2,000 files")
	}
	root, nfiles := auditTree(t)
	out := t.TempDir()
	db := filepath.Join(out, "cache.db")
	rpt := func(ext string) string { return filepath.Join(out, "report"+ext) }
	args := []string{"audit", "--db", db, "--follow", "--log-level", "info"}
	for _, ext := range []string{".html", ".csv", ".json", ".jsonl", ".sarif"} {
		args = append(args, "--report", rpt(ext))
	}
	start := time.Now()
	stdout, stderr, code := runBaomi(t, append(args, root)...)
	took1 := time.Since(start)
	if code != 1 {
		t.Fatalf("exit code %d, want 1\nstderr: %s", code, stderr)
	}
	if !strings.Contains(stdout, "FLAGGED") || strings.Contains(stdout, "clean    ") {
		t.Errorf("text output should list flagged files and not clean ones:\n%.2000s", stdout)
	}
	first := statsOf(t, stderr)

	// JSON: one entry per regular file, the loop a problem.
	rep := readReport(t, rpt(".json"))
	if len(rep.Files) != nfiles || rep.Summary["files"] != nfiles {
		t.Errorf("%d files in the report (summary %d), the tree has %d", len(rep.Files), rep.Summary["files"], nfiles)
	}
	loop := false
	for _, p := range rep.Problems {
		loop = loop || p.Reason == "symbolic link loop"
	}
	if !loop {
		t.Errorf("no symbolic link loop among the problems: %+v", rep.Problems)
	}
	if os.Getuid() != 0 && !strings.Contains(fmt.Sprint(rep.Problems), "permission denied") {
		t.Errorf("the unreadable folder is not a problem: %+v", rep.Problems)
	}
	flagged := map[string]bool{}
	findings := 0
	for _, f := range rep.Files {
		if f.Verdict == "flagged" {
			flagged[f.Path] = true
		}
		findings += len(f.Findings)
	}
	if len(flagged) < 68+10*5 {
		t.Errorf("only %d flagged files", len(flagged))
	}
	// 150 copies of one content and 10 copies of each sample: scanned once.
	if first.Hashed != nfiles || first.Scanned > nfiles-149-9*len(rep.Files)/1000 || first.Shared+first.Known < 149 {
		t.Errorf("first audit: %+v over %d files: copies were not scanned once", first, nfiles)
	}

	// CSV, read back by encoding/csv: a BOM, a header, every flagged file.
	data, err := os.ReadFile(rpt(".csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		t.Error("CSV has no UTF-8 BOM")
	}
	rows, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatalf("CSV: %v", err)
	}
	inCSV := map[string]bool{}
	for _, r := range rows[1:] {
		inCSV[r[0]] = true
	}
	for p := range flagged {
		if !inCSV[p] {
			t.Errorf("CSV lacks flagged file %s", p)
			break
		}
	}

	// JSON Lines: every line an object; one per file.
	data, err = os.ReadFile(rpt(".jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	perFile := 0
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		var obj map[string]any
		if err := json.Unmarshal(line, &obj); err != nil {
			t.Fatalf("JSONL line %d: %v", i+1, err)
		}
		if _, ok := obj["verdict"]; ok {
			perFile++
		}
	}
	if perFile != nfiles {
		t.Errorf("JSONL has %d file lines, want %d", perFile, nfiles)
	}

	// SARIF: valid against the schema when it is at hand, a result per finding.
	data, err = os.ReadFile(rpt(".sarif"))
	if err != nil {
		t.Fatal(err)
	}
	var sarif struct {
		Runs []struct {
			Results []json.RawMessage `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(data, &sarif); err != nil || len(sarif.Runs) != 1 {
		t.Fatalf("SARIF: %v, %d runs", err, len(sarif.Runs))
	}
	if len(sarif.Runs[0].Results) < findings {
		t.Errorf("SARIF has %d results for %d findings", len(sarif.Runs[0].Results), findings)
	}
	validateSARIFSchema(t, data)

	// HTML: parses, loads nothing, lists every flagged file.
	f, err := os.Open(rpt(".html"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(f)
	f.Close()
	if err != nil {
		t.Fatalf("HTML: %v", err)
	}
	var text strings.Builder
	var visit func(*html.Node)
	visit = func(n *html.Node) {
		if n.Type == html.TextNode {
			text.WriteString(n.Data + "\n")
		}
		for _, a := range n.Attr {
			if a.Key == "src" || (n.Data == "link" && a.Key == "href") {
				t.Errorf("HTML loads %s=%q", a.Key, a.Val)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(doc)
	for p := range flagged {
		if !strings.Contains(text.String(), p) {
			t.Errorf("HTML does not list flagged file %s", p)
		}
	}

	// A second audit of the unchanged tree comes from the database: only
	// flagged files (whose text the database does not keep) are read.
	start = time.Now()
	_, stderr, code = runBaomi(t, append(args, root)...)
	took2 := time.Since(start)
	if code != 1 {
		t.Fatalf("second audit: exit code %d\n%s", code, stderr)
	}
	second := statsOf(t, stderr)
	rep2 := readReport(t, rpt(".json"))
	if got, want := outcome(rep2), outcome(rep); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Error("the second audit's results differ from the first's")
	}
	if second.Hashed != 0 || second.Served < nfiles-len(flagged)-len(rep.Files)/100 {
		t.Errorf("second audit: %+v; %d files, %d flagged: not served from the database", second, nfiles, len(flagged))
	}
	t.Logf("first audit %v, second %v; stats %+v then %+v", took1, took2, first, second)

	// Accept every finding, then change one clean file to hold a new one.
	bl := filepath.Join(out, "baseline.json")
	if _, stderr, code := runBaomi(t, "baseline", rpt(".json"), "-o", bl); code != 0 {
		t.Fatalf("baseline: exit %d: %s", code, stderr)
	}
	if data, _ := os.ReadFile(bl); bytes.Contains(data, []byte("妥善保管")) {
		t.Error("the baseline file holds document text")
	}
	changed := filepath.Join(root, "d01", "sub1", "f0001.txt")
	if err := os.WriteFile(changed, []byte("第1号文件：关于做好第2季度工作的通知。\n附件为内部资料，用毕交回。\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(time.Minute)
	if err := os.Chtimes(changed, later, later); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code = runBaomi(t, "audit", "--db", db, "--follow", "--log-level", "info", "--baseline", bl, "--format", "json", root)
	third := statsOf(t, stderr)
	if third.Hashed != 1 {
		t.Errorf("after changing one file, %d files were hashed, want 1 (%+v)", third.Hashed, third)
	}
	var rep3 jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep3); err != nil {
		t.Fatalf("audit --format json: %v\n%s", err, stderr)
	}
	if code != 1 {
		t.Errorf("exit code %d with one new finding, want 1", code)
	}
	var still []string
	for _, f := range rep3.Files {
		if f.Verdict == "flagged" {
			still = append(still, f.Path)
		}
	}
	if len(still) != 1 || still[0] != changed || len(rep3.Files[sort.Search(len(rep3.Files), func(i int) bool { return rep3.Files[i].Path >= changed })].Findings) != 1 {
		t.Errorf("with the baseline, flagged files are %v, want only %s with its one new finding", still, changed)
	}
	if rep3.Summary["baselined"] != findings {
		t.Errorf("summary counts %d baselined findings, the baseline accepted %d", rep3.Summary["baselined"], findings)
	}

	// History: three audits, chain intact; then a record is edited.
	stdout, stderr, code = runBaomi(t, "history", "--db", db)
	if code != 0 || strings.Count(stdout, root) != 3 {
		t.Errorf("history: exit %d, want 3 audits of %s:\n%s%s", code, root, stdout, stderr)
	}
	if stdout, stderr, code := runBaomi(t, "history", "--db", db, "--verify"); code != 0 {
		t.Fatalf("history --verify on an intact chain: exit %d\n%s%s", code, stdout, stderr)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sqldb.Exec(`UPDATE audits SET findings = findings - 1 WHERE id = 2`)
	sqldb.Close()
	if err != nil {
		t.Fatal(err)
	}
	_, stderr, code = runBaomi(t, "history", "--db", db, "--verify")
	if code != 2 || !strings.Contains(stderr, "record 2") {
		t.Errorf("history --verify after editing record 2: exit %d, stderr %q", code, stderr)
	}
}

// validateSARIFSchema checks a SARIF log against the schema in the shared
// folder beside the repository, when it is there.
func validateSARIFSchema(t *testing.T, data []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "shared", "schemas", "sarif-schema-2.1.0.json"))
	if err != nil {
		t.Logf("SARIF schema not found (%v): schema validation skipped", err)
		return
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("sarif.json", doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile("sarif.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := schema.Validate(inst); err != nil {
		t.Errorf("SARIF does not match the schema: %v", err)
	}
}

func TestAuditUsage(t *testing.T) {
	dir := t.TempDir()
	for _, tt := range []struct {
		name string
		args []string
	}{
		{"unknown report extension", []string{"--report", filepath.Join(dir, "r.txt")}},
		{"report named twice", []string{"--report", filepath.Join(dir, "r.json"), "--report", filepath.Join(dir, "r.json")}},
		{"bad glob", []string{"--exclude", "[a-"}},
		{"bad size", []string{"--max-size", "lots"}},
		{"missing baseline", []string{"--baseline", filepath.Join(dir, "none.json")}},
		{"database not SQLite", []string{"--db", "../../samples/docs/clean-utf8.md"}},
	} {
		_, stderr, code := runBaomi(t, append(append([]string{"audit", "--db", filepath.Join(dir, "c.db")}, tt.args...), dir)...)
		if code != 3 {
			t.Errorf("%s: exit %d, want 3 (%s)", tt.name, code, stderr)
		}
	}
}

// A damaged cache database does not stop the audit: it is moved aside,
// kept, a new one is started, and one warning at the default log level
// says where the old one went.
func TestAuditDamagedCache(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.txt"), []byte("普通内容\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "cache.db")
	if err := os.WriteFile(db, []byte("garbage, not a database"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runBaomi(t, "audit", "--db", db, dir)
	if code != 0 {
		t.Fatalf("exit %d, want 0 (%s)", code, stderr)
	}
	moved, _ := filepath.Glob(db + ".corrupt-*")
	if len(moved) != 1 {
		t.Fatalf("moved aside: %q, want one file", moved)
	}
	if b, err := os.ReadFile(moved[0]); err != nil || string(b) != "garbage, not a database" {
		t.Errorf("the damaged file was not kept: %q, %v", b, err)
	}
	warn := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(warn) != 1 || !strings.Contains(warn[0], "moved aside") || !strings.Contains(warn[0], moved[0]) {
		t.Errorf("stderr %q, want one warning naming %s", stderr, moved[0])
	}
	// The new database works: a second audit opens it without a word.
	if _, stderr, code := runBaomi(t, "audit", "--db", db, dir); code != 0 || stderr != "" {
		t.Errorf("second audit: exit %d, stderr %q", code, stderr)
	}
}

func TestAuditMaxSizeAndNoCache(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "big.txt"), bytes.Repeat([]byte("普通内容\n"), 1000), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "small.txt"), []byte("普通内容\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, stderr, code := runBaomi(t, "audit", "--no-cache", "--max-size", "1KiB", "--format", "json", dir)
	var rep jsonReport
	if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
		t.Fatalf("%v\n%s", err, stderr)
	}
	if code != 2 || rep.Summary["error"] != 1 || rep.Summary["clean"] != 1 || !strings.Contains(rep.Files[0].Reason, "--max-size") {
		t.Errorf("exit %d, summary %v, files %+v", code, rep.Summary, rep.Files)
	}
}
