package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"
)

// corpusDir is ../shared/corpus seen from this package's folder.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// notReadableExempt are files a rule below marks as not completely readable
// that baomi reads completely all the same; each says why clean is right.
// Anything added here must be a file whose whole text baomi was shown to read.
var notReadableExempt = map[string]string{
	// poppler opens it and finds no text: the one page has no content stream
	// at all (only a JavaScript open action), so there is nothing to miss.
	"edge/tika__testPDF_jsActionOnPage.pdf": "a page without content",
	// AES-256 with an empty user password: decrypted, and its one page
	// draws nothing (poppler agrees).
	"edge/pdfjs__empty_protected.pdf": "encrypted with the empty password, an empty page",
	// An 8.5 x 11 pt page scaled by /UserUnit whose content draws no text
	// and no image (poppler agrees).
	"edge/pdfjs__issue19176.pdf": "an empty page",
	// Ten 3 x 3 pt pages, each drawing only a 1 x 1 pixel image 1 pt wide:
	// too small to hold text by the decoration rule (docs/PICTURES.md).
	"edge/pdfjs__issue11878_reduced.pdf": "pages that draw only a 1-pixel image",
	// AES-256 whose owner password is empty: the oracle gives the user
	// password, but the file opens without one, and poppler reads its 34
	// characters without one too (docs/PDF.md).
	"edge/pypdf__r5-user-password.pdf": "opens with the empty owner password",
	"edge/pypdf__r6-user-password.pdf": "opens with the empty owner password",
}

// TestCorpusScan scans all of ../shared/corpus through the binary, in child
// processes as a user would, and checks the fail-closed promise: every file
// gets one verdict, and no file that cannot be read completely comes out
// clean. It prints, without asserting, the wall time and the peak memory of
// the process tree and of the largest child (targets in docs/ROBUSTNESS.md).
func TestCorpusScan(t *testing.T) {
	if _, err := os.Stat(filepath.Join(corpusDir, "MANIFEST.tsv")); err != nil {
		t.Skipf("../shared/corpus is not here (%v): the corpus scan is skipped", err)
	}
	manifest := readTSV(t, "MANIFEST.tsv")
	oracle := readTSV(t, "ORACLE.tsv")
	files := corpusFiles(t)

	// A hang must fail the test, not block CI until its own timeout.
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	// Without OCR: the promise is checked on what the readers make of the
	// files, in minutes; reading the corpus's thousands of pictures would
	// take an hour on two cores (OCR's own tests read pictures).
	cmd := exec.CommandContext(ctx, binary, "scan", "--format", "json", "--log-level", "info", "--file-timeout", "20s", "--ocr", "off", corpusDir)
	cmd.Env = append(os.Environ(), "LANG=C")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) || ctx.Err() != nil {
		t.Fatalf("running baomi over the corpus: %v (after %v)\nstderr: %s", err, wall, tail(stderr.String()))
	}
	if code := cmd.ProcessState.ExitCode(); code < 0 || code > 2 {
		t.Fatalf("exit code %d, want 0, 1 or 2\nstderr: %s", code, tail(stderr.String()))
	}
	var rep jsonReport
	dec := json.NewDecoder(&stdout)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&rep); err != nil {
		t.Fatalf("the report is not JSON: %v", err)
	}

	// Every file has exactly one entry, with one of the five verdicts.
	verdicts := map[string]string{}
	reasons := map[string]string{}
	for _, f := range rep.Files {
		rel, err := filepath.Rel(corpusDir, f.Path)
		if err != nil {
			t.Errorf("%s: outside the corpus: %v", f.Path, err)
			continue
		}
		rel = filepath.ToSlash(rel)
		if _, dup := verdicts[rel]; dup {
			t.Errorf("%s: more than one entry", rel)
		}
		switch f.Verdict {
		case "clean", "flagged", "review", "error", "skipped":
		default:
			t.Errorf("%s: verdict %q", rel, f.Verdict)
		}
		verdicts[rel], reasons[rel] = f.Verdict, f.Reason
	}
	for _, rel := range files {
		if _, ok := verdicts[rel]; !ok {
			t.Errorf("%s: no entry in the report", rel)
		}
	}
	if len(verdicts) != len(files) {
		t.Errorf("%d entries for %d files", len(verdicts), len(files))
	}
	for _, p := range rep.Problems {
		t.Errorf("problem: %s: %s", p.Path, p.Reason)
	}

	// Fail closed: files the manifest and oracle show cannot be read
	// completely are never clean.
	checked := 0
	for _, rel := range files {
		why := notReadable(rel, manifest[rel], oracle[rel])
		if why == "" {
			continue
		}
		checked++
		if exempt, ok := notReadableExempt[rel]; ok {
			t.Logf("%s: %s, but exempt (%s): %s", rel, why, exempt, verdicts[rel])
			continue
		}
		if verdicts[rel] == "clean" {
			t.Errorf("%s: %s, yet clean", rel, why)
		}
	}
	t.Logf("%d files cannot be read completely: none may be clean", checked)

	// Encrypted PDFs with an empty user password open without one: clean is
	// right for them when their text was read, which pdf_test compares with
	// poppler. Listed so that a reader sees them.
	for _, rel := range files {
		if oracle[rel]["encrypted"] == "yes" && verdicts[rel] == "clean" {
			t.Logf("%s: encrypted with an empty user password, read: clean", rel)
		}
	}

	// Files that cost a child (crash, time, memory) are findings worth
	// reading even when their verdict is right.
	for _, rel := range files {
		r := reasons[rel]
		if strings.Contains(r, "crashed") || strings.Contains(r, "file timeout") || strings.Contains(r, "file memory limit") || strings.Contains(r, "stack limit") {
			t.Logf("%s: %s: %s", rel, verdicts[rel], r)
		}
	}

	counts := map[string]int{}
	for _, v := range verdicts {
		counts[v]++
	}
	t.Logf("%d files in %v (%.1f files/s), exit %d: clean %d, flagged %d, review %d, error %d, skipped %d",
		len(verdicts), wall.Round(time.Millisecond), float64(len(verdicts))/wall.Seconds(), cmd.ProcessState.ExitCode(),
		counts["clean"], counts["flagged"], counts["review"], counts["error"], counts["skipped"])
	// wait4's ru_maxrss covers the process and the children it reaped, so
	// this bounds the parent from above: it is the parent's own figure only
	// when it exceeds the largest child's.
	if kib := peakRSSKiB(cmd.ProcessState); kib >= 0 {
		t.Logf("peak RSS of baomi and its children %.1f MiB (parent at most that)", float64(kib)/1024)
	}
	stats, ok := childStats(stderr.String())
	if !ok {
		t.Errorf("no \"extraction processes\" line at info level\nstderr: %s", tail(stderr.String()))
		return
	}
	t.Logf("children %d, timed out %d, out of memory %d, crashed %d; largest child peak RSS %.1f MiB",
		stats.Children, stats.TimedOut, stats.OutOfMemory, stats.Crashed, float64(stats.MaxRSS)/(1<<20))
}

// notReadable says why the manifest and oracle show that a file cannot be
// read completely, or "" when they do not. The rules, and why:
//
//   - It needs a password baomi was not given (baomi takes none): the oracle
//     gives one; or poppler, trying the empty password, was told "Incorrect
//     password"; or it is an encrypted DOCX (an OLE container: Office
//     encryption has no empty-password mode). Encrypted PDFs with an empty
//     user password are not on the list: they open without one. The
//     oracle's "?" means poppler could not open the file to tell; it counts
//     as encrypted only if the file names an /Encrypt dictionary (poppler
//     fails on many damaged files baomi reads whole, e.g. poppler-67295-0,
//     whose page count is -2^31 over one good page).
//   - "truncat" and "bomb" in the notes: cut short, or more than any limit.
//   - "NOT a zip" (a DOCX whose zip central directory is damaged or that is
//     an OLE container): what a reader recovers cannot be known complete.
//   - "NO extractable text" where poppler opened the file (it counted
//     pages): image-only pages, or pages whose text no reader finds; baomi
//     must say review or error. Where poppler failed to open the file at
//     all ("pdfinfo-fail") its silence says nothing about the text.
//
// Not on the list: "fuzzed", "malformed", "crash repro" alone. Mutated
// files often still parse completely (poppler reads poppler-90-0-fuzzed;
// a CRC error in a theme part loses no text); when the reference found no
// text or no zip, the rules above apply.
func notReadable(rel string, man, orc map[string]string) string {
	notes := man["notes"]
	switch {
	case orc["password"] != "":
		return "needs a password (the oracle's)"
	case strings.Contains(notes, "Incorrect password"):
		return "needs a password poppler does not have"
	case orc["encrypted"] == "yes" && strings.HasSuffix(rel, ".docx"):
		return "an encrypted DOCX"
	case orc["encrypted"] == "?" && namesEncrypt(rel):
		return "encrypted (names /Encrypt; poppler could not open it)"
	case strings.Contains(strings.ToLower(notes), "truncat"):
		return "truncated"
	case strings.Contains(notes, "bomb"):
		return "a decompression bomb"
	case strings.Contains(notes, "NOT a zip"):
		return "not a readable zip"
	case strings.Contains(notes, "NO extractable text") && strings.Contains(notes, "pages=") && !strings.Contains(notes, "pdfinfo-fail"):
		return "pages without extractable text (poppler)"
	}
	return ""
}

// namesEncrypt reports whether a corpus file contains an /Encrypt key.
func namesEncrypt(rel string) bool {
	data, err := os.ReadFile(filepath.Join(corpusDir, filepath.FromSlash(rel)))
	return err == nil && bytes.Contains(data, []byte("/Encrypt"))
}

// readTSV reads a corpus table into rows keyed by their first column, each
// a map from column name to value.
func readTSV(t *testing.T, name string) map[string]map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpusDir, name))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	head := strings.Split(lines[0], "\t")
	rows := map[string]map[string]string{}
	for _, line := range lines[1:] {
		row := map[string]string{}
		for i, v := range strings.Split(line, "\t") {
			if i < len(head) {
				row[head[i]] = v
			}
		}
		rows[row[head[0]]] = row
	}
	return rows
}

// corpusFiles lists every regular file under the corpus, relative and with
// forward slashes, as the tables name them.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(corpusDir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		rel, err := filepath.Rel(corpusDir, path)
		files = append(files, filepath.ToSlash(rel))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// poolStats is the "extraction processes" log line.
type poolStats struct {
	Message     string `json:"message"`
	Children    int    `json:"children"`
	TimedOut    int    `json:"timed_out"`
	OutOfMemory int    `json:"out_of_memory"`
	Crashed     int    `json:"crashed"`
	MaxRSS      int64  `json:"max_child_rss_bytes"`
}

// childStats finds the pool's stats among baomi's JSON log lines.
func childStats(stderr string) (poolStats, bool) {
	sc := bufio.NewScanner(strings.NewReader(stderr))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var s poolStats
		if json.Unmarshal(sc.Bytes(), &s) == nil && s.Message == "extraction processes" {
			return s, true
		}
	}
	return poolStats{}, false
}

// peakRSSKiB is a finished process's peak resident memory in KiB, or -1
// where the system does not say it in KiB. ru_maxrss is KiB on Linux only;
// reflection keeps this file building on Windows, whose Rusage lacks it.
func peakRSSKiB(ps *os.ProcessState) int64 {
	if runtime.GOOS != "linux" {
		return -1
	}
	v := reflect.ValueOf(ps.SysUsage())
	if v.Kind() != reflect.Pointer || v.IsNil() {
		return -1
	}
	if f := v.Elem().FieldByName("Maxrss"); f.IsValid() && f.CanInt() {
		return f.Int()
	}
	return -1
}

// tail is the end of a long output, enough to see why a run failed.
func tail(s string) string {
	const keep = 2000
	if len(s) > keep {
		return "…" + s[len(s)-keep:]
	}
	return s
}
