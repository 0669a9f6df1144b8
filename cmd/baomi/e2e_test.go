package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// binary is baomi built with -trimpath into a temporary folder, so the tests
// also prove that it runs away from its source tree.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "baomi-e2e")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "baomi")
	if runtime.GOOS == "windows" {
		binary += ".exe"
	}
	build := exec.Command("go", "build", "-trimpath", "-o", binary, ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building baomi: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// runBaomi runs the built binary and returns stdout, stderr and exit code.
func runBaomi(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	// No run of the tests takes a minute; a hung baomi fails its test with
	// a message instead of stalling the package until go test's timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(os.Environ(), "LANG=C")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("baomi %q did not finish in 3 minutes; stderr: %s", args, errb.String())
	}
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running baomi: %v", err)
	}
	return out.String(), errb.String(), code
}

// jsonReport mirrors DESIGN.md's --format json shape.
type jsonReport struct {
	Files []struct {
		Path     string `json:"path"`
		Format   string `json:"format"`
		SHA256   string `json:"sha256"`
		Verdict  string `json:"verdict"`
		Reason   string `json:"reason"`
		Findings []struct {
			Rule     string `json:"rule"`
			Title    string `json:"title"`
			Severity string `json:"severity"`
			Text     string `json:"text"`
			Location struct {
				Part   string `json:"part"`
				Page   int    `json:"page"`
				Line   int    `json:"line"`
				Offset int    `json:"offset"`
				Inner  string `json:"inner"`
			} `json:"location"`
			Context     string `json:"context"`
			Fingerprint string `json:"fingerprint"`
		} `json:"findings"`
	} `json:"files"`
	Problems []struct {
		Path   string `json:"path"`
		Reason string `json:"reason"`
	} `json:"problems"`
	Summary map[string]int `json:"summary"`
}

func scanJSON(t *testing.T, args ...string) (jsonReport, int) {
	t.Helper()
	out, stderr, code := runBaomi(t, append([]string{"scan", "--format", "json"}, args...)...)
	var rep jsonReport
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("scan output is not the JSON report: %v\nstdout: %s\nstderr: %s", err, out, stderr)
	}
	return rep, code
}

// expectation is one entry of samples/expected.yaml.
type expectation struct {
	File     string `yaml:"file"`
	Verdict  string `yaml:"verdict"`
	Findings []struct {
		Rule     string `yaml:"rule"`
		Severity string `yaml:"severity"`
		Part     string `yaml:"part"`
		Page     int    `yaml:"page"`
		Text     string `yaml:"text"`
	} `yaml:"findings"`
	Absent      []string `yaml:"absent"`
	MaxSeverity string   `yaml:"max_severity"`
	// OCR says the expectation holds where Tesseract is installed (--ocr
	// auto reads the file's pictures); without it the file is review.
	OCR bool `yaml:"ocr"`
}

var severityRank = map[string]int{"low": 1, "medium": 2, "high": 3}

// TestSamplesGolden scans every committed sample and checks the verdicts and
// findings that samples/expected.yaml gives.
func TestSamplesGolden(t *testing.T) {
	data, err := os.ReadFile("../../samples/expected.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var want []expectation
	if err := yaml.Unmarshal(data, &want); err != nil {
		t.Fatal(err)
	}
	var paths []string
	for _, w := range want {
		paths = append(paths, filepath.Join("../../samples/docs", w.File))
	}
	rep, code := scanJSON(t, paths...)
	if code != 1 {
		t.Errorf("exit code %d over samples with flagged files, want 1", code)
	}
	got := map[string]int{}
	for i, f := range rep.Files {
		got[strings.TrimPrefix(filepath.ToSlash(f.Path), "../../samples/docs/")] = i
	}
	seen := map[string]bool{}
	_, noOCR := exec.LookPath("tesseract")
	for _, w := range want {
		seen[w.File] = true
		i, ok := got[w.File]
		if !ok {
			t.Errorf("%s: not in the report", w.File)
			continue
		}
		f := rep.Files[i]
		if w.OCR && noOCR != nil {
			if f.Verdict != "review" {
				t.Errorf("%s: verdict %s (%s) without Tesseract, want review", w.File, f.Verdict, f.Reason)
			}
			continue
		}
		if f.Verdict != w.Verdict {
			t.Errorf("%s: verdict %s (%s), want %s", w.File, f.Verdict, f.Reason, w.Verdict)
		}
		used := make([]bool, len(f.Findings)) // each expected finding takes a distinct one
		for _, wf := range w.Findings {
			found := false
			for j, gf := range f.Findings {
				if !used[j] && gf.Rule == wf.Rule && (wf.Severity == "" || gf.Severity == wf.Severity) &&
					(wf.Part == "" || gf.Location.Part == wf.Part) && (wf.Page == 0 || gf.Location.Page == wf.Page) &&
					(wf.Text == "" || gf.Text == wf.Text) {
					found, used[j] = true, true
					break
				}
			}
			if !found {
				t.Errorf("%s: missing finding %+v; got %+v", w.File, wf, f.Findings)
			}
		}
		for _, gf := range f.Findings {
			for _, a := range w.Absent {
				if gf.Rule == a {
					t.Errorf("%s: finding of %s, which must be absent: %q in %q", w.File, a, gf.Text, gf.Context)
				}
			}
			if w.MaxSeverity != "" && severityRank[gf.Severity] > severityRank[w.MaxSeverity] {
				t.Errorf("%s: %s finding %s (%q) above max %s", w.File, gf.Severity, gf.Rule, gf.Text, w.MaxSeverity)
			}
		}
	}
	// Every sample document has an expectation.
	entries, _ := os.ReadDir("../../samples/docs")
	for _, e := range entries {
		name := e.Name()
		if !seen[name] {
			t.Errorf("%s: a sample without an expectation in samples/expected.yaml", name)
		}
	}
}

func TestScanExitCodes(t *testing.T) {
	dir := t.TempDir()
	clean := filepath.Join(dir, "clean.txt")
	os.WriteFile(clean, []byte("关于举办春季运动会的通知。请修改手机密码。"), 0o644)
	medium := filepath.Join(dir, "medium.txt")
	os.WriteFile(medium, []byte("这是一份机密文件。"), 0o644)
	high := filepath.Join(dir, "high.txt")
	os.WriteFile(high, []byte("机密★5年\n关于加强管理的通知"), 0o644)
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"clean", []string{"scan", clean}, 0},
		{"high finding", []string{"scan", high}, 1},
		{"medium below fail-on high", []string{"scan", "--fail-on", "high", medium}, 0},
		{"medium at fail-on medium", []string{"scan", "--fail-on", "medium", medium}, 1},
		{"missing path", []string{"scan", clean, filepath.Join(dir, "nope.pdf")}, 2},
		{"finding wins over missing", []string{"scan", high, filepath.Join(dir, "nope.pdf")}, 1},
		{"no args", []string{"scan"}, 3},
		{"bad flag", []string{"scan", "--bogus", clean}, 3},
		{"bad fail-on", []string{"scan", "--fail-on", "severe", clean}, 3},
		{"bad format", []string{"scan", "--format", "xml", clean}, 3},
		{"missing policy", []string{"scan", "--policy", filepath.Join(dir, "none.yaml"), clean}, 3},
		{"no policy at all", []string{"scan", "--no-default-policy", clean}, 3},
		{"unknown command", []string{"scna", clean}, 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := runBaomi(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.code, stderr)
			}
		})
	}
}

func TestScanJSONShapeAndMask(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "通知.txt")
	os.WriteFile(p, []byte("标题\n机密★5年 关于加强管理的通知"), 0o644)
	rep, code := scanJSON(t, p)
	if code != 1 || len(rep.Files) != 1 {
		t.Fatalf("code %d, report %+v", code, rep)
	}
	f := rep.Files[0]
	if f.Verdict != "flagged" || f.Format != "text" || len(f.Findings) != 1 {
		t.Fatalf("file %+v", f)
	}
	g := f.Findings[0]
	if g.Rule != "marking.classified" || g.Severity != "high" || g.Text != "机密★5年" ||
		g.Location.Part != "body" || g.Location.Line != 2 || g.Location.Offset != 0 || g.Location.Page != 0 ||
		!strings.Contains(g.Context, "机密★5年 关于") {
		t.Errorf("finding %+v", g)
	}
	if rep.Summary["files"] != 1 || rep.Summary["flagged"] != 1 || rep.Problems == nil {
		t.Errorf("summary %+v problems %v", rep.Summary, rep.Problems)
	}
	masked, _ := scanJSON(t, "--mask", p)
	mf := masked.Files[0].Findings[0]
	if mf.Text != "机＊＊＊＊" || strings.Contains(mf.Context, "机密★5年") {
		t.Errorf("masked finding %+v", mf)
	}
	// Logs never carry matched text, even at debug level.
	_, stderr, _ := runBaomi(t, "scan", "--log-level", "debug", p)
	if strings.Contains(stderr, "机密") || !strings.Contains(stderr, "marking") && !strings.Contains(stderr, "scanned") {
		t.Errorf("debug log leaks or is empty: %s", stderr)
	}
}

// TestBrokenFiles checks the verdicts DESIGN.md gives files that cannot be
// read completely: none of them may come out clean.
func TestBrokenFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	pdf, err := os.ReadFile("../../samples/docs/秘密文件.pdf")
	if err != nil {
		t.Fatal(err)
	}
	docx, err := os.ReadFile("../../samples/docs/机密通知.docx")
	if err != nil {
		t.Fatal(err)
	}
	// A 64-bit ELF header and one program header: magic bytes alone
	// are not a program.
	elfProgram := []byte("\x7fELF\x02\x01\x01" + strings.Repeat("\x00", 9) + "\x02\x00\x3e\x00\x01\x00\x00\x00" +
		strings.Repeat("\x00", 8) + "\x40" + strings.Repeat("\x00", 19) + "\x40\x00\x38\x00\x01\x00\x40\x00\x00\x00\x00\x00" +
		strings.Repeat("\x00", 56))
	cases := map[string]string{
		write("truncated.pdf", pdf[:len(pdf)/2]):    "error",
		write("truncated.docx", docx[:len(docx)/2]): "error",
		write("bomb.docx", bombDOCX(t)):             "error",
		write("program.pdf", elfProgram):            "skipped",
		write("docx-named.pdf", docx):               "flagged",
	}
	enc := "../../../shared/corpus/edge/pypdf__r6-both-passwords.pdf"
	if _, err := os.Stat(enc); err == nil {
		cases[enc] = "error"
	} else {
		t.Logf("encrypted PDF from ../shared/corpus not found (%v): that case is skipped", err)
	}
	var paths []string
	for p := range cases {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	rep, code := scanJSON(t, paths...)
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	for _, f := range rep.Files {
		if want := cases[f.Path]; f.Verdict != want || (f.Verdict != "flagged" && f.Reason == "") {
			t.Errorf("%s: verdict %s (%q), want %s with a reason", f.Path, f.Verdict, f.Reason, want)
		}
	}
	if len(rep.Files) != len(cases) {
		t.Errorf("%d files in report, want %d", len(rep.Files), len(cases))
	}
}

// bombDOCX builds a DOCX whose document.xml declares 4 GiB: it must be
// refused from the declared size before anything is inflated.
func bombDOCX(t *testing.T) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"[Content_Types].xml", "word/_rels/document.xml.rels"} {
		w, _ := zw.Create(name)
		w.Write([]byte("<x/>"))
	}
	fh := &zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate}
	w, err := zw.CreateHeader(fh)
	if err != nil {
		t.Fatal(err)
	}
	chunk := bytes.Repeat([]byte("<w:t>a</w:t>"), 1<<16)
	for range 4 {
		w.Write(chunk)
	}
	zw.Close()
	// Patch the declared uncompressed size in the central directory to 4 GiB-1.
	b := buf.Bytes()
	cd := bytes.LastIndex(b, []byte("PK\x01\x02"))
	for i := cd; i >= 0; i = bytes.LastIndex(b[:i], []byte("PK\x01\x02")) {
		if bytes.HasPrefix(b[i+46:], []byte("word/document.xml")) {
			copy(b[i+24:i+28], []byte{0xff, 0xff, 0xff, 0xff})
			break
		}
	}
	return b
}

func TestExtractJSON(t *testing.T) {
	out, stderr, code := runBaomi(t, "extract", "--format", "json", "../../samples/docs/秘密文件.pdf")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	var doc struct {
		Path     string `json:"path"`
		Format   string `json:"format"`
		Verdict  string `json:"verdict"`
		Reason   string `json:"reason"`
		Segments []struct {
			Part  string `json:"part"`
			Page  int    `json:"page"`
			Inner string `json:"inner"`
			Text  string `json:"text"`
		} `json:"segments"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if doc.Format != "pdf" || doc.Verdict != "clean" || len(doc.Segments) < 2 || doc.Segments[0].Page != 1 || doc.Segments[0].Part != "body" {
		t.Errorf("extract: %+v", doc)
	}
	if !strings.Contains(doc.Segments[0].Text, "秘密") {
		t.Errorf("page 1 text lacks the marking: %q", doc.Segments[0].Text)
	}
	_, _, code = runBaomi(t, "extract", "--format", "json", filepath.Join(t.TempDir(), "missing.pdf"))
	if code != 2 {
		t.Errorf("extract of a missing file: exit %d, want 2", code)
	}
	_, _, code = runBaomi(t, "extract")
	if code != 3 {
		t.Errorf("extract without a file: exit %d, want 3", code)
	}
	txt, _, code := runBaomi(t, "extract", "../../samples/docs/秘密文件.pdf")
	if code != 0 || !strings.Contains(txt, "=== body page=1 ===") {
		t.Errorf("extract text: exit %d\n%s", code, txt)
	}
}

func TestPolicyValidate(t *testing.T) {
	out, stderr, code := runBaomi(t, "policy", "validate")
	if code != 0 || !strings.HasPrefix(out, "ok:") {
		t.Fatalf("default policy: exit %d\n%s%s", code, out, stderr)
	}
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	os.WriteFile(bad, []byte("version: 1\nrules:\n  - id: x\n    severity: hgh\n    terms: [天河]\n  - id: y\n    severity: low\n    regexes: ['(']\n"), 0o644)
	_, stderr, code = runBaomi(t, "policy", "validate", bad)
	if code != 3 || !strings.Contains(stderr, bad+":4:") || !strings.Contains(stderr, bad+":8:") {
		t.Errorf("bad policy: exit %d\n%s", code, stderr)
	}
	failing := filepath.Join(dir, "examples.yaml")
	os.WriteFile(failing, []byte("version: 1\nrules:\n  - id: x\n    severity: low\n    terms: [天河工程]\n    examples: [天河]\n    counterexamples: [天河工程启动]\n"), 0o644)
	_, stderr, code = runBaomi(t, "policy", "validate", failing)
	if code != 3 || !strings.Contains(stderr, "does not find its example") || !strings.Contains(stderr, "finds its counterexample") {
		t.Errorf("examples: exit %d\n%s", code, stderr)
	}
}

func TestVersionAndHelp(t *testing.T) {
	out, _, code := runBaomi(t, "version")
	if code != 0 || !strings.HasPrefix(out, "baomi ") {
		t.Errorf("version: %d %q", code, out)
	}
	out, _, code = runBaomi(t, "scan", "--help")
	if code != 0 || !strings.Contains(out, "--fail-on") {
		t.Errorf("help: %d %q", code, out)
	}
}

// TestScanInterrupt sends SIGINT in the middle of a scan: baomi reports the
// files that finished, as a complete JSON document, and exits 130.
func TestScanInterrupt(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no SIGINT to send on Windows")
	}
	dir := t.TempDir()
	for i := range 20000 {
		sub := filepath.Join(dir, fmt.Sprintf("d%03d", i/100))
		os.MkdirAll(sub, 0o755)
		os.WriteFile(filepath.Join(sub, fmt.Sprintf("f%05d.txt", i)), []byte(fmt.Sprintf("第%d号通知：机密★5年", i)), 0o644)
	}
	cmd := exec.Command(binary, "scan", "--format", "json", "--workers", "1", dir)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(700 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, want 130; stderr: %s", err, errb.String())
	}
	var rep jsonReport
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("interrupted scan's report is not JSON: %v", err)
	}
	if len(rep.Files) == 0 || len(rep.Files) >= 20000 || rep.Summary["files"] != len(rep.Files) {
		t.Errorf("%d files reported (summary %d): want the finished ones only", len(rep.Files), rep.Summary["files"])
	}
	for _, f := range rep.Files {
		if f.Verdict != "flagged" {
			t.Errorf("%s: %s (%s): an interrupted file must not be reported", f.Path, f.Verdict, f.Reason)
			break
		}
	}
	if !strings.Contains(errb.String(), "interrupted") {
		t.Errorf("stderr does not say it was interrupted: %s", errb.String())
	}
}
