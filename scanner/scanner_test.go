package scanner_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// testPolicy is small and needs no word segmentation, so that the engine's
// tests do not wait for the segmentation dictionary to load.
const testPolicy = `version: 1
rules:
  - id: marking.classified
    title: 密级标志
    severity: high
    detector: marking
  - id: label.internal
    severity: high
    terms: [内部资料, 注意保存]
    word_check: false
  - id: term.secret
    title: 涉密词语
    severity: medium
    terms: [机密, 涉密]
    word_check: false
`

var testMatcher = sync.OnceValues(func() (*match.Matcher, error) {
	p, err := policies.Parse("test.yaml", []byte(testPolicy), nil)
	if err != nil {
		return nil, err
	}
	return match.Compile(p)
})

func newScanner(t *testing.T, x scanner.Extractor, workers int) *scanner.Scanner {
	t.Helper()
	m, err := testMatcher()
	if err != nil {
		t.Fatal(err)
	}
	return scanner.New(m, scanner.Options{Workers: workers, Extractor: x})
}

// fake is an Extractor that answers from a table keyed by file name. A hook,
// if set, runs first and may block; when it returns a file, that is the
// answer instead of the table's.
type fake struct {
	files map[string]fakeFile
	hook  func(ctx context.Context, name string) *fakeFile
	calls atomic.Int32
}

type fakeFile struct {
	doc *extract.Document
	err error
}

func (f *fake) Extract(ctx context.Context, path string) (*extract.Document, error) {
	f.calls.Add(1)
	name := filepath.Base(path)
	if f.hook != nil {
		if ff := f.hook(ctx, name); ff != nil {
			return ff.doc, ff.err
		}
	}
	ff, ok := f.files[name]
	if !ok {
		return nil, fmt.Errorf("fake extractor has no file %q", name)
	}
	return ff.doc, ff.err
}

// body returns a document of one body segment.
func body(format extract.Format, text string) *extract.Document {
	return &extract.Document{Format: format, Segments: []extract.Segment{{Part: extract.PartBody, Text: text}}}
}

// tempFiles creates empty files with the given names in a new folder.
func tempFiles(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// collector is a Handler that records what it gets and notices calls that
// overlap, which would mean Scan called it from two goroutines at once.
type collector struct {
	inside     atomic.Int32
	concurrent atomic.Bool
	results    []scanner.Result
	problems   []scanner.Problem
	onResult   func(scanner.Result)
}

func (c *collector) enter() {
	if c.inside.Add(1) != 1 {
		c.concurrent.Store(true)
	}
	time.Sleep(50 * time.Microsecond) // widen the window for an overlap
}

func (c *collector) Result(r scanner.Result) {
	c.enter()
	defer c.inside.Add(-1)
	c.results = append(c.results, r)
	if c.onResult != nil {
		c.onResult(r)
	}
}

func (c *collector) Problem(p scanner.Problem) {
	c.enter()
	defer c.inside.Add(-1)
	c.problems = append(c.problems, p)
}

// byName returns the results keyed by base name, failing on duplicates.
func (c *collector) byName(t *testing.T) map[string]scanner.Result {
	t.Helper()
	if c.concurrent.Load() {
		t.Error("Handler was called from two goroutines at once")
	}
	out := map[string]scanner.Result{}
	for _, r := range c.results {
		n := filepath.Base(r.Path)
		if _, dup := out[n]; dup {
			t.Errorf("two results for %s", n)
		}
		out[n] = r
	}
	return out
}

func TestScanVerdicts(t *testing.T) {
	pdfErr := func(kind extract.Kind, reason string) error {
		return &extract.Error{Kind: kind, Reason: reason, Format: extract.FormatPDF}
	}
	tests := []struct {
		name     string
		file     fakeFile
		verdict  scanner.Verdict
		format   string
		reason   string
		findings []string // rule ids
	}{
		{"clean.txt", fakeFile{doc: body(extract.FormatText, "关于召开年度工作会议的通知")}, scanner.Clean, "text", "", nil},
		{"flagged.docx", fakeFile{doc: body(extract.FormatDOCX, "机密★5年")}, scanner.Flagged, "docx", "", []string{"marking.classified"}},
		{"review.pdf", fakeFile{doc: &extract.Document{Format: extract.FormatPDF,
			Segments: []extract.Segment{{Part: extract.PartBody, Page: 1, Text: "正文"}},
			Review:   []string{"page 2 is an image with no text layer"}}},
			scanner.Review, "pdf", "page 2 is an image with no text layer", nil},
		{"image.png", fakeFile{doc: &extract.Document{Format: extract.FormatImage, Review: []string{"a picture"}}},
			scanner.Review, "image", "a picture", nil},
		// Flagged wins over review, and the reason says what was not read.
		{"flagged-review.pdf", fakeFile{doc: &extract.Document{Format: extract.FormatPDF,
			Segments: []extract.Segment{{Part: extract.PartHeader, Page: 1, Text: "内部资料"}},
			Review:   []string{"page 2 is an image with no text layer", "page 3 has glyphs without Unicode mapping"}}},
			scanner.Flagged, "pdf", "page 2 is an image with no text layer; page 3 has glyphs without Unicode mapping", []string{"label.internal"}},
		// Pictures read by OCR: clean says so; flagged needs no reason; a
		// picture not read still makes the file review.
		{"scan.pdf", fakeFile{doc: &extract.Document{Format: extract.FormatPDF,
			Segments: []extract.Segment{{Part: extract.PartPicture, Page: 1, Text: "关于召开年度工作会议的通知"}},
			Pictures: extract.Pictures{Read: 3}}},
			scanner.Clean, "pdf", "text was read by OCR from 3 pictures", nil},
		{"photo.png", fakeFile{doc: &extract.Document{Format: extract.FormatImage, Pictures: extract.Pictures{Read: 1}}},
			scanner.Clean, "image", "text was read by OCR from 1 picture", nil},
		{"scan-flagged.pdf", fakeFile{doc: &extract.Document{Format: extract.FormatPDF,
			Segments: []extract.Segment{{Part: extract.PartPicture, Page: 1, Text: "机密★5年"}},
			Pictures: extract.Pictures{Read: 2}}},
			scanner.Flagged, "pdf", "", []string{"marking.classified"}},
		{"scan-unsure.pdf", fakeFile{doc: &extract.Document{Format: extract.FormatPDF,
			Segments: []extract.Segment{{Part: extract.PartPicture, Page: 1, Text: "通知"}},
			Review:   extract.PicturesReview(1, extract.WhyNotConfident),
			Pictures: extract.Pictures{Read: 1, Unread: 1}}},
			scanner.Review, "pdf", "1 picture in the document may carry text (not read: OCR was not confident)", nil},
		{"encrypted.pdf", fakeFile{err: pdfErr(extract.KindEncrypted, "the file is encrypted")}, scanner.Error, "pdf", "the file is encrypted", nil},
		{"corrupt.pdf", fakeFile{err: pdfErr(extract.KindCorrupt, "broken xref table")}, scanner.Error, "pdf", "broken xref table", nil},
		{"limit.pdf", fakeFile{err: pdfErr(extract.KindLimit, "over 20000 pages")}, scanner.Error, "pdf", "over 20000 pages", nil},
		{"timeout.pdf", fakeFile{err: pdfErr(extract.KindTimeout, "timed out")}, scanner.Error, "pdf", "timed out", nil},
		{"crash.pdf", fakeFile{err: pdfErr(extract.KindCrash, "the parser crashed")}, scanner.Error, "pdf", "the parser crashed", nil},
		{"unsupported.doc", fakeFile{err: &extract.Error{Kind: extract.KindUnsupported, Reason: "Word 97 files cannot be read yet", Format: extract.FormatOLE}},
			scanner.Error, "ole", "Word 97 files cannot be read yet", nil},
		{"plain-error", fakeFile{err: errors.New("input/output error")}, scanner.Error, "", "input/output error", nil},
		{"nil-document", fakeFile{}, scanner.Error, "", "the extractor returned no document", nil},
		{"program.exe", fakeFile{err: &extract.Error{Kind: extract.KindNoText, Reason: "a program carries no document text", Format: extract.FormatProgram}},
			scanner.Skipped, "program", "a program carries no document text", nil},
	}
	files := map[string]fakeFile{}
	var names []string
	for _, tt := range tests {
		files[tt.name] = tt.file
		names = append(names, tt.name)
	}
	dir := tempFiles(t, names...)
	c := &collector{}
	if err := newScanner(t, &fake{files: files}, 3).Scan(context.Background(), []string{dir}, c); err != nil {
		t.Fatal(err)
	}
	got := c.byName(t)
	if len(c.results) != len(tests) || len(c.problems) != 0 {
		t.Fatalf("%d results and problems %v, want %d results and no problems", len(c.results), c.problems, len(tests))
	}
	for _, tt := range tests {
		r := got[tt.name]
		var rules []string
		for _, f := range r.Findings {
			rules = append(rules, f.Rule)
		}
		if r.Path != filepath.Join(dir, tt.name) || r.Verdict != tt.verdict || r.Format != tt.format || r.Reason != tt.reason ||
			!reflect.DeepEqual(rules, tt.findings) || r.Findings == nil {
			t.Errorf("%s: got %+v\nwant verdict %s, format %q, reason %q, findings %v (never nil)", tt.name, r, tt.verdict, tt.format, tt.reason, tt.findings)
		}
		if tt.file.doc != nil && r.OCR != tt.file.doc.Pictures.Read {
			t.Errorf("%s: OCR %d, want the %d pictures read, for progress", tt.name, r.OCR, tt.file.doc.Pictures.Read)
		}
	}
}

func TestCheckLocation(t *testing.T) {
	s := newScanner(t, &fake{}, 1)
	long := strings.Repeat("甲", 30) + "机密★5年" + strings.Repeat("乙", 30)
	tests := []struct {
		name         string
		seg          extract.Segment
		text         string
		line, offset int
		before       string
		after        string
		context      string
	}{
		{"second line", extract.Segment{Part: extract.PartHeader, Page: 3, Inner: "a.zip!b.docx", Text: "第一行\n  前文机密★5年后文\n末行"},
			"机密★5年", 2, 4, "第一行   前文", "后文 末行", "第一行   前文机密★5年后文 末行"},
		{"crlf", extract.Segment{Part: extract.PartBody, Text: "a\r\n机密★5年"},
			"机密★5年", 2, 0, "a ", "", "a 机密★5年"},
		{"offset counts characters", extract.Segment{Part: extract.PartBody, Text: "ab😀机密★5年"},
			"机密★5年", 1, 3, "ab😀", "", "ab😀机密★5年"},
		{"marking split by newlines", extract.Segment{Part: extract.PartBody, Text: "机密★\n5\n年 尾"},
			"机密★\n5\n年", 1, 0, "", " 尾", "机密★ 5 年 尾"},
		{"context window", extract.Segment{Part: extract.PartBody, Text: long},
			"机密★5年", 1, 30, strings.Repeat("甲", 20), strings.Repeat("乙", 20), strings.Repeat("甲", 20) + "机密★5年" + strings.Repeat("乙", 20)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := &extract.Document{Format: extract.FormatDOCX, Segments: []extract.Segment{tt.seg}}
			r := s.Check("x.docx", doc, nil)
			if r.Verdict != scanner.Flagged || len(r.Findings) != 1 {
				t.Fatalf("got %+v, want one finding", r)
			}
			f := r.Findings[0]
			wantLoc := scanner.Location{Part: string(tt.seg.Part), Page: tt.seg.Page, Line: tt.line, Offset: tt.offset, Inner: tt.seg.Inner}
			if f.Rule != "marking.classified" || f.Title != "密级标志" || f.Severity != policies.High {
				t.Errorf("rule %s %q %s", f.Rule, f.Title, f.Severity)
			}
			if f.Text != tt.text || f.Location != wantLoc {
				t.Errorf("text %q at %+v, want %q at %+v", f.Text, f.Location, tt.text, wantLoc)
			}
			if f.Before != tt.before || f.After != tt.after || f.Context != tt.context {
				t.Errorf("before %q after %q context %q\nwant   %q       %q         %q", f.Before, f.After, f.Context, tt.before, tt.after, tt.context)
			}
		})
	}
}

func TestCheckSegmentsInOrder(t *testing.T) {
	s := newScanner(t, &fake{}, 1)
	doc := &extract.Document{Format: extract.FormatDOCX, Segments: []extract.Segment{
		{Part: extract.PartBody, Text: "正文没有问题"},
		{Part: extract.PartDeleted, Text: "删去的 内部资料"},
		{Part: extract.PartFooter, Page: 2, Text: "绝密★启用前"},
	}}
	r := s.Check("x.docx", doc, nil)
	var got []string
	for _, f := range r.Findings {
		got = append(got, f.Location.Part+":"+f.Text)
	}
	want := []string{"deleted:内部资料", "footer:绝密★启用前"}
	if r.Verdict != scanner.Flagged || !reflect.DeepEqual(got, want) {
		t.Errorf("got %s %q, want flagged %q", r.Verdict, got, want)
	}
}

// Results are handed on as files finish, not at the end: the second file
// waits until the first one's result has reached the Handler.
func TestScanStreams(t *testing.T) {
	dir := tempFiles(t, "a.txt", "b.txt")
	gate := make(chan struct{})
	x := &fake{
		files: map[string]fakeFile{"a.txt": {doc: body(extract.FormatText, "一")}, "b.txt": {doc: body(extract.FormatText, "二")}},
		hook: func(ctx context.Context, name string) *fakeFile {
			if name != "b.txt" {
				return nil
			}
			select {
			case <-gate:
				return nil
			case <-time.After(10 * time.Second):
				return &fakeFile{err: errors.New("a.txt's result was not streamed")}
			}
		},
	}
	c := &collector{onResult: func(r scanner.Result) {
		if filepath.Base(r.Path) == "a.txt" {
			close(gate)
		}
	}}
	if err := newScanner(t, x, 2).Scan(context.Background(), []string{dir}, c); err != nil {
		t.Fatal(err)
	}
	got := c.byName(t)
	if got["a.txt"].Verdict != scanner.Clean || got["b.txt"].Verdict != scanner.Clean {
		t.Errorf("got %+v", c.results)
	}
}

func TestScanWorkersSameResults(t *testing.T) {
	texts := []string{"普通文本", "机密★5年", "内部资料，注意保存", "本文件涉密", "请修改手机密码"}
	files := map[string]fakeFile{}
	var names []string
	for i := range 40 {
		n := fmt.Sprintf("f%02d.txt", i)
		names = append(names, n)
		switch i % 7 {
		case 5:
			files[n] = fakeFile{err: &extract.Error{Kind: extract.KindCorrupt, Reason: "bad", Format: extract.FormatPDF}}
		case 6:
			files[n] = fakeFile{err: &extract.Error{Kind: extract.KindNoText, Reason: "font", Format: extract.FormatFont}}
		default:
			files[n] = fakeFile{doc: body(extract.FormatText, texts[i%7])}
		}
	}
	dir := tempFiles(t, names...)
	missing := filepath.Join(dir, "missing")
	run := func(workers int) *collector {
		c := &collector{}
		if err := newScanner(t, &fake{files: files}, workers).Scan(context.Background(), []string{dir, missing}, c); err != nil {
			t.Fatal(err)
		}
		c.byName(t) // checks for duplicates and overlapping calls
		sort.Slice(c.results, func(i, j int) bool { return c.results[i].Path < c.results[j].Path })
		return c
	}
	one, four := run(1), run(4)
	if len(one.results) != len(names) {
		t.Fatalf("Workers=1: %d results, want %d", len(one.results), len(names))
	}
	if !reflect.DeepEqual(one.results, four.results) {
		t.Error("Workers=1 and Workers=4 gave different results")
	}
	wantProblems := []scanner.Problem{{Path: missing, Reason: "no such file or folder"}}
	if !reflect.DeepEqual(one.problems, wantProblems) || !reflect.DeepEqual(four.problems, wantProblems) {
		t.Errorf("problems %v and %v, want %v", one.problems, four.problems, wantProblems)
	}
}

func TestScanHandlerOneGoroutine(t *testing.T) {
	var names []string
	files := map[string]fakeFile{}
	for i := range 100 {
		n := fmt.Sprintf("f%03d.txt", i)
		names = append(names, n)
		files[n] = fakeFile{doc: body(extract.FormatText, "机密★5年")}
	}
	dir := tempFiles(t, names...)
	paths := []string{dir}
	for i := range 20 {
		paths = append(paths, filepath.Join(dir, fmt.Sprintf("missing%d", i)))
	}
	c := &collector{}
	if err := newScanner(t, &fake{files: files}, 8).Scan(context.Background(), paths, c); err != nil {
		t.Fatal(err)
	}
	c.byName(t)
	if len(c.results) != 100 || len(c.problems) != 20 {
		t.Errorf("%d results, %d problems; want 100, 20", len(c.results), len(c.problems))
	}
}

// settle waits for the number of goroutines to drop back to base.
func settle(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, %d before the scan:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestScanCancel(t *testing.T) {
	var names []string
	for i := range 30 {
		names = append(names, fmt.Sprintf("f%02d.txt", i))
	}
	dir := tempFiles(t, names...)
	tests := []struct {
		name string
		// interrupted is what the extractor returns for a file it was in
		// the middle of when the scan was cancelled.
		interrupted fakeFile
	}{
		{"extractor gives up", fakeFile{err: extract.Errorf(extract.KindTimeout, "cancelled")}},
		{"extractor returns a document anyway", fakeFile{doc: body(extract.FormatText, "部分文字")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := runtime.NumGoroutine()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			x := &fake{files: map[string]fakeFile{"f00.txt": {doc: body(extract.FormatText, "一")}}}
			x.hook = func(ctx context.Context, name string) *fakeFile {
				if name == "f00.txt" {
					return nil
				}
				<-ctx.Done()
				return &tt.interrupted
			}
			c := &collector{onResult: func(scanner.Result) { cancel() }}
			err := newScanner(t, x, 4).Scan(ctx, []string{dir}, c)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Scan = %v, want context.Canceled", err)
			}
			got := c.byName(t)
			if len(got) != 1 || got["f00.txt"].Verdict != scanner.Clean || len(c.problems) != 0 {
				t.Errorf("results %+v, problems %v; want only f00.txt", c.results, c.problems)
			}
			if n := x.calls.Load(); n > 1+4 {
				t.Errorf("%d files started after the cancel; want at most the 4 in progress", n-1)
			}
			settle(t, base)
		})
	}
}

func TestScanCancelledBeforeStart(t *testing.T) {
	dir := tempFiles(t, "a.txt", "b.txt")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	x := &fake{files: map[string]fakeFile{"a.txt": {doc: body(extract.FormatText, "一")}, "b.txt": {doc: body(extract.FormatText, "二")}}}
	c := &collector{}
	if err := newScanner(t, x, 2).Scan(ctx, []string{dir}, c); !errors.Is(err, context.Canceled) {
		t.Errorf("Scan = %v, want context.Canceled", err)
	}
	if len(c.results) != 0 || len(c.problems) != 0 || x.calls.Load() != 0 {
		t.Errorf("results %v, problems %v, %d extractions; want none", c.results, c.problems, x.calls.Load())
	}
}

// A reason says each sentence once, in the order the reader gave them.
func TestReadVerdictSaysOnce(t *testing.T) {
	doc := &extract.Document{Format: extract.FormatXLS, Review: []string{"damaged document properties: they are not read", "damaged Excel workbook: some records could not be read", "damaged document properties: they are not read"}}
	_, v, r := scanner.ReadVerdict(doc, nil)
	if want := "damaged document properties: they are not read; damaged Excel workbook: some records could not be read"; v != scanner.Review || r != want {
		t.Errorf("got %s %q, want review %q", v, r, want)
	}
}

// What is said alike of three or more numbered documents of one kind is
// said once, of the first, with how many others; two stay as they are, and
// so do pages, whose sentences are not made that way.
func TestReadVerdictSummarizes(t *testing.T) {
	var review []string
	for _, n := range []int{4, 5, 7, 9} {
		review = append(review, fmt.Sprintf("OLE object %d: unknown format: not a document type baomi can read", n))
	}
	review = append(review, "OLE object 6: damaged, not read", "entry 1: damaged, not read", "entry 2: damaged, not read", "page 2: 50% of glyphs have no Unicode mapping", "page 3: 50% of glyphs have no Unicode mapping", "page 4: 50% of glyphs have no Unicode mapping", "OLE object 11: unknown format: not a document type baomi can read")
	doc := &extract.Document{Format: extract.FormatPPT, Review: review}
	_, _, r := scanner.ReadVerdict(doc, nil)
	want := "OLE object 4 and 4 others alike: unknown format: not a document type baomi can read; OLE object 6: damaged, not read; entry 1: damaged, not read; entry 2: damaged, not read; page 2: 50% of glyphs have no Unicode mapping; page 3: 50% of glyphs have no Unicode mapping; page 4: 50% of glyphs have no Unicode mapping"
	if r != want {
		t.Errorf("reason\n %q\nwant\n %q", r, want)
	}
}
