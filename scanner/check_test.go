package scanner_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// pieces is a Streamer that hands one document over in pieces of random
// sizes, and then fails with err if it is set.
type pieces struct {
	doc  *extract.Document
	rnd  *rand.Rand
	max  int
	err  error
	sent int
}

func (p *pieces) Extract(ctx context.Context, path string) (*extract.Document, error) {
	return p.doc, p.err
}

func (p *pieces) ExtractTo(ctx context.Context, path string, sink extract.Sink) (*extract.Document, error) {
	for _, seg := range p.doc.Segments {
		text := seg.Text
		for {
			n := min(len(text), 1+p.rnd.IntN(p.max))
			seg.Text, text = text[:n], text[n:]
			p.sent++
			if err := sink(seg, text != ""); err != nil {
				return nil, err
			}
			if text == "" {
				break
			}
		}
	}
	if p.err != nil {
		return nil, p.err
	}
	return &extract.Document{Format: p.doc.Format}, nil
}

// want is what a finding must say, computed from one Match over the whole
// text.
type want struct {
	Text        string
	Line        int
	Offset      int
	Fingerprint string
}

func reference(t *testing.T, text string) []want {
	t.Helper()
	m, err := testMatcher()
	if err != nil {
		t.Fatal(err)
	}
	hits, err := m.Match(text)
	if err != nil {
		t.Fatal(err)
	}
	var out []want
	for _, h := range hits {
		ls := strings.LastIndexByte(text[:h.Start], '\n') + 1
		out = append(out, want{
			Text: text[h.Start:h.End], Line: strings.Count(text[:h.Start], "\n") + 1,
			Offset:      utf8.RuneCountInString(text[ls:h.Start]),
			Fingerprint: scanner.Fingerprint(h.Rule.ID, text[h.Start:h.End], text[:h.Start], text[h.End:]),
		})
	}
	return out
}

func got(r scanner.Result) []want {
	var out []want
	for _, f := range r.Findings {
		out = append(out, want{f.Text, f.Location.Line, f.Location.Offset, f.Fingerprint})
	}
	return out
}

// longText is several megabytes of text with hits everywhere, many of them
// close to where a window of the matcher may be cut (every mebibyte, less
// match.Reach, and around those places' own windows).
func longText(rnd *rand.Rand) string {
	fill := []string{"通知", "会议", "，", "。", "\n", " ", "ab", "😀", "\u200b", "机", "密"}
	hits := []string{"机密★5年", "机 密 ★ 5 年", "内部资料", "涉密", "绝密★启用前"}
	var b strings.Builder
	near := func() bool {
		for k := 1; k <= 2; k++ {
			for _, edge := range []int{k << 20, k<<20 - match.Reach, k<<20 - 2*match.Reach, k<<20 + match.Reach} {
				if d := b.Len() - edge; d > -64 && d < 64 {
					return true
				}
			}
		}
		return false
	}
	for b.Len() < 2<<20+100 {
		if near() || rnd.IntN(2000) == 0 {
			b.WriteString(hits[rnd.IntN(len(hits))])
		} else {
			b.WriteString(fill[rnd.IntN(len(fill))])
		}
	}
	return b.String()
}

// TestWindows checks that a text longer than one matching window, given
// whole or in pieces of any size, gives the findings of one pass over it:
// the same text, line, offset and fingerprint, none lost or repeated at
// the windows' edges.
func TestWindows(t *testing.T) {
	rnd := rand.New(rand.NewPCG(1, 2))
	text := longText(rnd)
	ref := reference(t, text)
	if len(ref) < 100 {
		t.Fatalf("only %d hits in the test text", len(ref))
	}
	doc := &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{
		{Part: extract.PartBody, Text: "机密★5年"}, {Part: extract.PartBody, Text: text}}}
	ref = append(reference(t, "机密★5年"), ref...)

	s := newScanner(t, &fake{}, 1)
	if r := s.Check("long.txt", doc, nil); !reflect.DeepEqual(got(r), ref) {
		t.Errorf("whole: %d findings, want %d (first difference %s)", len(r.Findings), len(ref), firstDiff(got(r), ref))
	}
	for _, max := range []int{3, 4096, 300 << 10, 3 << 20} {
		x := &pieces{doc: doc, rnd: rnd, max: max}
		r := newScanner(t, x, 1).ScanFile(context.Background(), "long.txt")
		if r.Verdict != scanner.Flagged || !reflect.DeepEqual(got(r), ref) {
			t.Errorf("pieces up to %d bytes (%d sent): %s, %d findings, want %d (first difference %s)",
				max, x.sent, r.Verdict, len(r.Findings), len(ref), firstDiff(got(r), ref))
		}
	}
}

func firstDiff(a, b []want) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return strings.Join([]string{"got", a[i].Text, "want", b[i].Text}, " ")
		}
	}
	return "at the end"
}

// TestFindingsCap checks that a file with more findings than are kept is
// still flagged at its most severe finding, with a reason that says how
// many there were.
func TestFindingsCap(t *testing.T) {
	text := strings.Repeat("涉密，", 12000) + "机密★5年"
	s := newScanner(t, &fake{}, 1)
	r := s.Check("many.txt", body(extract.FormatText, text), nil)
	if r.Verdict != scanner.Flagged || r.MaxSeverity() != policies.High {
		t.Fatalf("%s at %s, want flagged at high", r.Verdict, r.MaxSeverity())
	}
	if len(r.Findings) != 10001 || !strings.Contains(r.Reason, "12001 findings in all") {
		t.Errorf("%d findings, reason %q", len(r.Findings), r.Reason)
	}
}

// TestFindingsBeforeFailure checks that text that arrived before the
// extractor failed is matched: its findings flag the file, and the reason
// says what went wrong.
func TestFindingsBeforeFailure(t *testing.T) {
	x := &pieces{doc: body(extract.FormatPDF, "第一页 机密★5年"), rnd: rand.New(rand.NewPCG(3, 4)), max: 4,
		err: extract.Errorf(extract.KindTimeout, "reading took longer than 1m0s (file timeout): stopped")}
	r := newScanner(t, x, 1).ScanFile(context.Background(), "x.pdf")
	if r.Verdict != scanner.Flagged || len(r.Findings) != 1 || !strings.Contains(r.Reason, "file timeout") {
		t.Errorf("got %s %q with %d findings", r.Verdict, r.Reason, len(r.Findings))
	}
}

// TestPictureText checks that text read from a picture is matched as OCR
// text, whole or in pieces: the star Tesseract read as 女 still makes a
// high marking there, and not in the same text typed in the body.
func TestPictureText(t *testing.T) {
	const scan = "000123\n机密女5年\n特急"
	doc := &extract.Document{Format: extract.FormatImage, Segments: []extract.Segment{
		{Part: extract.PartBody, Text: scan}, {Part: extract.PartPicture, Page: 1, Text: scan}}}
	check := func(name string, r scanner.Result) {
		t.Helper()
		var marks []string
		for _, f := range r.Findings {
			if f.Rule == "marking.classified" {
				marks = append(marks, fmt.Sprintf("%s/%s/%s/%d", f.Location.Part, f.Severity, f.Text, f.Location.Line))
			}
		}
		if want := []string{"picture/high/机密女5年/2"}; !reflect.DeepEqual(marks, want) {
			t.Errorf("%s: markings %q, want %q", name, marks, want)
		}
	}
	check("whole", newScanner(t, &fake{}, 1).Check("scan.png", doc, nil))
	x := &pieces{doc: doc, rnd: rand.New(rand.NewPCG(5, 6)), max: 4}
	check("pieces", newScanner(t, x, 1).ScanFile(context.Background(), "scan.png"))
}
