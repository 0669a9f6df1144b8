package baseline

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner"
)

func finding(rule, fp string) scanner.Finding {
	return scanner.Finding{Rule: rule, Fingerprint: fp, Text: "机密", Context: "x机密y"}
}

func TestFilter(t *testing.T) {
	b := New([]Entry{
		{Path: "./share/a.docx", Rule: "term.secret", Fingerprint: "aaaa"},
		{Path: "share/b.pdf", Rule: "term.secret", Fingerprint: "bbbb"},
	}, time.Unix(0, 0))
	tests := []struct {
		name       string
		in         scanner.Result
		verdict    scanner.Verdict
		reason     string
		kept       []string // fingerprints left
		hiddenWant int
	}{
		{"all accepted becomes clean",
			scanner.Result{Path: "share/a.docx", Verdict: scanner.Flagged, Findings: []scanner.Finding{finding("term.secret", "aaaa")}},
			scanner.Clean, "1 finding accepted in baseline", []string{}, 1},
		{"a new finding is never hidden",
			scanner.Result{Path: "share/a.docx", Verdict: scanner.Flagged, Findings: []scanner.Finding{finding("term.secret", "aaaa"), finding("term.secret", "cccc")}},
			scanner.Flagged, "", []string{"cccc"}, 1},
		{"same fingerprint in another file is not hidden",
			scanner.Result{Path: "share/c.docx", Verdict: scanner.Flagged, Findings: []scanner.Finding{finding("term.secret", "aaaa")}},
			scanner.Flagged, "", []string{"aaaa"}, 0},
		{"partly read file becomes review, not clean",
			scanner.Result{Path: "share/b.pdf", Verdict: scanner.Flagged, Reason: "page 2 is an image", Findings: []scanner.Finding{finding("term.secret", "bbbb")}},
			scanner.Review, "page 2 is an image; 1 finding accepted in baseline", []string{}, 1},
		{"path spelled differently",
			scanner.Result{Path: "share//b.pdf", Verdict: scanner.Flagged, Findings: []scanner.Finding{finding("term.secret", "bbbb"), finding("term.secret", "bbbb")}},
			scanner.Clean, "2 findings accepted in baseline", []string{}, 2},
		{"clean file untouched",
			scanner.Result{Path: "share/a.docx", Verdict: scanner.Clean, Findings: []scanner.Finding{}},
			scanner.Clean, "", []string{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, hidden := b.Filter(tt.in)
			if hidden != tt.hiddenWant || got.Verdict != tt.verdict || got.Reason != tt.reason {
				t.Errorf("got hidden %d verdict %s reason %q, want %d %s %q", hidden, got.Verdict, got.Reason, tt.hiddenWant, tt.verdict, tt.reason)
			}
			fps := []string{}
			for _, f := range got.Findings {
				fps = append(fps, f.Fingerprint)
			}
			if !reflect.DeepEqual(fps, tt.kept) {
				t.Errorf("kept %v, want %v", fps, tt.kept)
			}
		})
	}
}

func TestFromReportWriteLoad(t *testing.T) {
	report := `{"files":[
	  {"path":"b.pdf","verdict":"flagged","findings":[{"rule":"term.secret","text":"机密","context":"…机密…","fingerprint":"f2"}]},
	  {"path":"a.docx","verdict":"flagged","findings":[{"rule":"label.internal","text":"内部资料","fingerprint":"f1"},{"rule":"label.internal","text":"内部资料","fingerprint":"f1"}]},
	  {"path":"c.txt","verdict":"clean","findings":[]}],
	 "problems":[],"summary":{"files":3}}`
	created := time.Date(2025, 3, 1, 8, 0, 0, 0, time.UTC)
	b, err := FromReport(strings.NewReader(report), created)
	if err != nil {
		t.Fatal(err)
	}
	want := []Entry{{"a.docx", "label.internal", "f1"}, {"b.pdf", "term.secret", "f2"}}
	if !reflect.DeepEqual(b.Entries, want) {
		t.Fatalf("entries %v, want %v", b.Entries, want)
	}
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "机密") || strings.Contains(buf.String(), "内部资料") {
		t.Errorf("baseline file carries document text:\n%s", buf.String())
	}
	path := filepath.Join(t.TempDir(), "baseline.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Entries, want) || !back.Created.Equal(created) || back.Version != Version {
		t.Errorf("loaded %+v, want entries %v created %v", back, want, created)
	}
}

func TestBadInput(t *testing.T) {
	for _, tt := range []struct{ name, report string }{
		{"not JSON", "机密"},
		{"no files", `{"summary":{}}`},
		{"no fingerprint", `{"files":[{"path":"a","findings":[{"rule":"r"}]}]}`},
	} {
		if _, err := FromReport(strings.NewReader(tt.report), time.Now()); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
	dir := t.TempDir()
	for name, content := range map[string]string{
		"version.json": `{"version":9,"entries":[]}`,
		"entry.json":   `{"version":1,"entries":[{"path":"a","rule":"r"}]}`,
		"junk.json":    `[`,
	} {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := Load(p); err == nil {
			t.Errorf("%s: loaded", name)
		}
	}
}

// A file a person checked is accepted while its content is the one they
// checked, and only when it is review or error.
func TestAcceptFile(t *testing.T) {
	dir := t.TempDir()
	pic := filepath.Join(dir, "扫描件.png")
	content := []byte("\x89PNG\r\n\x1a\n picture")
	if err := os.WriteFile(pic, content, 0o644); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	b := New(nil, at)
	f, err := b.AcceptFile(pic, "张三", "已人工核对", at)
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(content); f.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("hash %q, want the content's SHA-256", f.SHA256)
	}
	// Written and read back, the acceptance holds.
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "accepted.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	b, err = Load(path)
	if err != nil {
		t.Fatal(err)
	}
	review := scanner.Result{Path: pic, Verdict: scanner.Review, Reason: "picture file: text in images is not read"}
	tests := []struct {
		name string
		r    scanner.Result
		want bool
	}{
		{"review, content unchanged", review, true},
		{"error, content unchanged", scanner.Result{Path: pic, Verdict: scanner.Error}, true},
		{"path spelled differently", scanner.Result{Path: dir + "//扫描件.png", Verdict: scanner.Review}, true},
		{"clean is left alone", scanner.Result{Path: pic, Verdict: scanner.Clean}, false},
		{"flagged is left to the findings", scanner.Result{Path: pic, Verdict: scanner.Flagged}, false},
		{"another file", scanner.Result{Path: filepath.Join(dir, "other.png"), Verdict: scanner.Review}, false},
	}
	for _, tt := range tests {
		if f, ok := b.Accepted(tt.r); ok != tt.want || ok && (f.By != "张三" || f.Why != "已人工核对" || !f.At.Equal(at)) {
			t.Errorf("%s: Accepted = %+v, %v; want %v", tt.name, f, ok, tt.want)
		}
	}
	if got := (File{By: "张三", At: at, Why: "已人工核对"}).Note(); !strings.HasPrefix(got, "accepted after review by 张三 on 2026-03-0") || !strings.HasSuffix(got, ": 已人工核对") {
		t.Errorf("Note() = %q", got)
	}
	// A changed file shows again.
	if err := os.WriteFile(pic, []byte("\x89PNG\r\n\x1a\n another picture"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ok := b.Accepted(review); ok {
		t.Error("a changed file is still accepted")
	}
	// A file that is gone is not accepted.
	os.Remove(pic)
	if _, ok := b.Accepted(review); ok {
		t.Error("a missing file is accepted")
	}
	// A damaged entry is refused on loading.
	bad := strings.Replace(buf.String(), f.SHA256, "abc", 1)
	if err := os.WriteFile(path, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(path); err == nil || !strings.Contains(err.Error(), "accepted file 1 has no path or content hash") {
		t.Errorf("Load of a damaged entry: %v", err)
	}
}
