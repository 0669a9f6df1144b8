package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner"
)

// flushCounter is a buffered writer as a command would pass: JSONL must
// flush it after every line.
type flushCounter struct {
	bytes.Buffer
	flushes int
}

func (f *flushCounter) Flush() error { f.flushes++; return nil }

// JSONL is streamed: each File call writes its whole line at once and
// flushes, before the next result arrives.
func TestJSONLStreams(t *testing.T) {
	var w flushCounter
	rep, err := New("jsonl", &w, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var sum scanner.Summary
	for i, r := range auditResults() {
		sum.Add(&r)
		if err := rep.File(r); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(w.String(), "\n"); n != i+1 || !strings.HasSuffix(w.String(), "\n") {
			t.Fatalf("after %d files: %d lines written", i+1, n)
		}
		if w.flushes != i+1 {
			t.Fatalf("after %d files: %d flushes", i+1, w.flushes)
		}
	}
	if err := rep.Close(sum); err != nil {
		t.Fatal(err)
	}
	if w.flushes != len(auditResults())+1 {
		t.Errorf("%d flushes, want one per line", w.flushes)
	}
}

// Each line decodes; file lines are the JSON report's "files" elements,
// then come the problem and summary lines.
func TestJSONLReport(t *testing.T) {
	out := render(t, "jsonl", Options{}, auditResults(), auditProblem)
	var whole struct {
		Files   []any           `json:"files"`
		Summary scanner.Summary `json:"summary"`
	}
	if err := json.Unmarshal([]byte(render(t, "json", Options{}, auditResults())), &whole); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	n := len(auditResults())
	if len(lines) != n+2 {
		t.Fatalf("%d lines, want %d", len(lines), n+2)
	}
	var files []any
	for _, l := range lines[:n] {
		var v any
		if err := json.Unmarshal([]byte(l), &v); err != nil {
			t.Fatalf("line does not decode: %v\n%s", err, l)
		}
		files = append(files, v)
	}
	// Streamed in the order results came; the JSON report sorts by path.
	sort.Slice(files, func(i, j int) bool {
		return files[i].(map[string]any)["path"].(string) < files[j].(map[string]any)["path"].(string)
	})
	if !reflect.DeepEqual(files, whole.Files) {
		t.Errorf("JSONL file lines differ from the JSON report's files:\n%v\n%v", files, whole.Files)
	}
	strict := func(line string, v any) {
		t.Helper()
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(v); err != nil {
			t.Errorf("line %s: %v", line, err)
		}
	}
	var p struct {
		Problem scanner.Problem `json:"problem"`
	}
	strict(lines[n], &p)
	if p.Problem != auditProblem {
		t.Errorf("problem line %s", lines[n])
	}
	var s struct {
		Summary scanner.Summary `json:"summary"`
	}
	strict(lines[n+1], &s)
	if s.Summary != whole.Summary || s.Summary.Files != n || s.Summary.Flagged != 3 {
		t.Errorf("summary line %s, want %+v", lines[n+1], whole.Summary)
	}
	if strings.Contains(out, "null") || strings.Contains(out, `\u003c`) {
		t.Errorf("null, or HTML-escaped text, in JSONL:\n%s", out)
	}
}

func TestJSONLReportMasked(t *testing.T) {
	results := auditResults()
	out := render(t, "jsonl", Options{Mask: true}, results)
	if strings.Contains(out, "机密★5年") || strings.Contains(out, "内部资料") || !strings.Contains(out, `"text":"机＊＊＊＊"`) {
		t.Errorf("JSONL not masked:\n%s", out)
	}
	if !reflect.DeepEqual(results, auditResults()) {
		t.Error("masking changed the caller's results")
	}
}
