package match

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// detectionCase is one line of testdata/detection.tsv.
type detectionCase struct {
	class, text, want, forms string
	line                     int
}

// readDetectionCases reads the detection test set.
func readDetectionCases(t *testing.T) []detectionCase {
	t.Helper()
	f, err := os.Open("testdata/detection.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []detectionCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		if len(col) != 4 {
			t.Fatalf("detection.tsv:%d: %d columns, want 4", n, len(col))
		}
		text, err := strconv.Unquote(`"` + col[1] + `"`)
		if err != nil {
			t.Fatalf("detection.tsv:%d: %v", n, err)
		}
		out = append(out, detectionCase{class: col[0], text: text, want: col[2], forms: col[3], line: n})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// topHit renders the most severe hit as "rule/severity" (the policy's
// earlier rule first among equals), or "none".
func topHit(m *Matcher, hits []Hit) string {
	if len(hits) == 0 {
		return "none"
	}
	rank := map[string]int{}
	for i, r := range m.Policy().Rules {
		rank[r.ID] = i
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Severity != hits[j].Severity {
			return hits[i].Severity > hits[j].Severity
		}
		return rank[hits[i].Rule.ID] < rank[hits[j].Rule.ID]
	})
	return fmt.Sprintf("%s/%s", hits[0].Rule.ID, hits[0].Severity)
}

// TestDetectionCases runs the detection test set (markings, labels and
// their look-alikes as a 保密 officer reads them, issue 15) as plain text
// against the default policy: the most severe finding of each case is the
// one expected. scanner/detection_test.go runs the same cases as files.
func TestDetectionCases(t *testing.T) {
	m := mustDefault(t)
	cases := readDetectionCases(t)
	if len(cases) < 150 {
		t.Fatalf("%d cases, want at least 150", len(cases))
	}
	pass := map[string][2]int{}
	for _, c := range cases {
		hits, err := m.Match(c.text)
		if err != nil {
			t.Fatal(err)
		}
		got := topHit(m, hits)
		p := pass[c.class]
		p[1]++
		if got == c.want {
			p[0]++
		} else {
			t.Errorf("detection.tsv:%d (%s) %q: got %s, want %s", c.line, c.class, c.text, got, c.want)
		}
		pass[c.class] = p
	}
	for cl, p := range pass {
		t.Logf("%-14s %3d of %3d", cl, p[0], p[1])
	}
}
