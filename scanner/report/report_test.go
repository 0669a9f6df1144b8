package report

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// sample returns results of every verdict, in the order a scan might
// finish them (not sorted by path).
func sample() []scanner.Result {
	return []scanner.Result{
		{Path: "out/通知.docx", Format: "docx", Verdict: scanner.Flagged, Findings: []scanner.Finding{
			{Rule: "marking.classified", Title: "密级标志", Severity: policies.High, Text: "机密★5年",
				Location: scanner.Location{Part: "header", Line: 1},
				Before:   "", After: " 关于召开会议的通知", Context: "机密★5年 关于召开会议的通知"},
			{Rule: "term.secret", Title: "涉密词语", Severity: policies.Medium, Text: "涉密",
				Location: scanner.Location{Part: "deleted", Page: 2, Line: 3, Offset: 4, Inner: "a.zip!b.docx"},
				Before:   "加强", After: "人员管理", Context: "加强涉密人员管理"},
		}},
		{Path: "out/clean.txt", Format: "text", Verdict: scanner.Clean, Findings: []scanner.Finding{}},
		{Path: "out/scan.pdf", Format: "pdf", Verdict: scanner.Review, Reason: "page 2 has a picture that may carry text (not read)"},
		{Path: "out/locked.pdf", Format: "pdf", Verdict: scanner.Error, Reason: "encrypted PDF: needs a password"},
		{Path: "out/font.ttf", Format: "font", Verdict: scanner.Skipped, Reason: "font file: carries no document text"},
	}
}

var sampleProblem = scanner.Problem{Path: "share/missing.pdf", Reason: "no such file or folder"}

// render writes results, a problem and the summary in format.
func render(t *testing.T, format string, opt Options, results []scanner.Result, problems ...scanner.Problem) string {
	t.Helper()
	var buf bytes.Buffer
	rep, err := New(format, &buf, opt)
	if err != nil {
		t.Fatal(err)
	}
	var sum scanner.Summary
	for _, r := range results {
		sum.Add(&r)
		if err := rep.File(r); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range problems {
		if err := rep.Problem(p); err != nil {
			t.Fatal(err)
		}
	}
	if err := rep.Close(sum); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func TestTextReport(t *testing.T) {
	tests := []struct {
		lang Lang
		want string
	}{
		{English, `FLAGGED  out/通知.docx  [docx]
    high   密级标志 (marking.classified)  header line 1
           机密★5年 关于召开会议的通知
    medium 涉密词语 (term.secret)  a.zip!b.docx › text deleted under tracked changes page 2 line 3
           加强涉密人员管理
clean    out/clean.txt  [text]
REVIEW   out/scan.pdf  [pdf]  page 2 has a picture that may carry text (not read)
ERROR    out/locked.pdf  [pdf]  encrypted PDF: needs a password
skipped  out/font.ttf  [font]  font file: carries no document text
NOT READ share/missing.pdf  no such file or folder

5 files: FLAGGED 1, REVIEW 1, ERROR 1, clean 1, skipped 1
`},
		{Chinese, `发现问题   out/通知.docx  [docx]
    高     密级标志（marking.classified）  页眉 第1行
           机密★5年 关于召开会议的通知
    中     涉密词语（term.secret）  a.zip!b.docx › 修订删除的文字 第2页 第3行
           加强涉密人员管理
通过       out/clean.txt  [text]
需人工复核 out/scan.pdf  [pdf]  第2页有图片，可能含有文字（未读取）
无法读取   out/locked.pdf  [pdf]  已加密的PDF：需要密码
跳过       out/font.ttf  [font]  字体文件，不含文档文字
未读取     share/missing.pdf  文件或文件夹不存在

共5个文件：发现问题1个，需人工复核1个，无法读取1个，通过1个，跳过1个。
`},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			got := render(t, "text", Options{Lang: tt.lang}, sample(), sampleProblem)
			if got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
	if got := render(t, "text", Options{}, nil); got != "no files\n" {
		t.Errorf("empty report %q, want %q", got, "no files\n")
	}
}

func TestTextReportColor(t *testing.T) {
	plain := render(t, "text", Options{Lang: English}, sample(), sampleProblem)
	if strings.Contains(plain, "\x1b") {
		t.Errorf("escape sequence without Options.Color:\n%q", plain)
	}
	colored := render(t, "text", Options{Lang: English, Color: true}, sample(), sampleProblem)
	for _, want := range []string{red + "FLAGGED " + reset, green + "clean   " + reset, bold + red + "机密★5年" + reset, yellow + "medium" + reset} {
		if !strings.Contains(colored, want) {
			t.Errorf("coloured report lacks %q:\n%q", want, colored)
		}
	}
}

func TestSafe(t *testing.T) {
	tests := []struct{ in, safe, safeText string }{
		{"通知.docx", "通知.docx", "通知.docx"},
		{"a\x1b[31mred", "a\uFFFD[31mred", "a\uFFFD[31mred"},
		{"x\u009b2Jy", "x\uFFFD2Jy", "x\uFFFD2Jy"},               // C1 CSI
		{"x\x9b2J\xffy", "x\uFFFD2J\uFFFDy", "x\uFFFD2J\uFFFDy"}, // invalid UTF-8 (a GBK file name)
		{"\u202Excod.exe", "\uFFFDxcod.exe", "\uFFFDxcod.exe"},
		{"a\u2066b\u2069c", "a\uFFFDb\uFFFDc", "a\uFFFDb\uFFFDc"},
		{"a\u200Fb\u200Ec\u061Cd", "a\uFFFDb\uFFFDc\uFFFDd", "a\uFFFDb\uFFFDc\uFFFDd"},
		{"a\u2028b", "a\uFFFDb", "a\uFFFDb"},
		{"line\nnext\tcol\r", "line\uFFFDnext\uFFFDcol\uFFFD", "line\nnext\tcol\uFFFD"},
		{"bell\a", "bell\uFFFD", "bell\uFFFD"},
	}
	for _, tt := range tests {
		if got := Safe(tt.in); got != tt.safe {
			t.Errorf("Safe(%q) = %q, want %q", tt.in, got, tt.safe)
		}
		if got := SafeText(tt.in); got != tt.safeText {
			t.Errorf("SafeText(%q) = %q, want %q", tt.in, got, tt.safeText)
		}
	}
}

// Control characters in paths, reasons and document text do not reach the
// terminal, in either format's text.
func TestReportsStripControls(t *testing.T) {
	evil := []scanner.Result{{Path: "out/\x1b]0;title\a\u202Efdp.exe", Format: "pdf", Verdict: scanner.Flagged, Reason: "bad\x1b[2J",
		Findings: []scanner.Finding{{Rule: "term.secret", Severity: policies.Medium, Text: "机\u202E密",
			Location: scanner.Location{Part: "body\x1b", Line: 1, Inner: "x\x1b.docx"}, Before: "\x1b[1A", After: "\u2066"}}}}
	out := render(t, "text", Options{Lang: English}, evil, scanner.Problem{Path: "p\x1b", Reason: "r\u202E"})
	if i := strings.IndexFunc(out, func(r rune) bool { return r != '\n' && isControl(r) }); i >= 0 {
		t.Errorf("control character %U in text report:\n%q", []rune(out[i:])[0], out)
	}
}

func TestMask(t *testing.T) {
	tests := []struct{ in, want string }{
		{"机密★5年", "机＊＊＊＊"},
		{"内部资料", "内＊＊＊"},
		{"机", "机"},
		{"", ""},
		{"ZX-2024", "Z＊＊＊＊＊＊"},
		{"机密★\n5\n年", "机＊＊＊＊＊＊"},
	}
	for _, tt := range tests {
		if got := Mask(tt.in); got != tt.want {
			t.Errorf("Mask(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMaskedReports(t *testing.T) {
	text := render(t, "text", Options{Lang: English, Mask: true}, sample())
	js := render(t, "json", Options{Mask: true}, sample())
	for name, out := range map[string]string{"text": text, "json": js} {
		if strings.Contains(out, "机密★5年") || strings.Contains(out, "涉密人员") {
			t.Errorf("%s report shows masked text:\n%s", name, out)
		}
		for _, want := range []string{"机＊＊＊＊ 关于召开会议的通知", "加强涉＊人员管理"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s report lacks the masked context %q:\n%s", name, want, out)
			}
		}
	}
	// Masking works on copies: the caller's results are unchanged.
	results := sample()
	render(t, "json", Options{Mask: true}, results)
	render(t, "text", Options{Mask: true}, results)
	if !reflect.DeepEqual(results, sample()) {
		t.Error("a masked report changed the results it was given")
	}
}

// The JSON report's shape, as DESIGN.md and the README give it (title is
// the field the README adds).
type jsonShape struct {
	Files []struct {
		Path     string `json:"path"`
		Format   string `json:"format"`
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
	Summary struct {
		Files     int `json:"files"`
		Clean     int `json:"clean"`
		Flagged   int `json:"flagged"`
		Review    int `json:"review"`
		Error     int `json:"error"`
		Skipped   int `json:"skipped"`
		Baselined int `json:"baselined"`
	} `json:"summary"`
}

func decodeStrict(t *testing.T, s string) jsonShape {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.DisallowUnknownFields()
	var v jsonShape
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("report does not have DESIGN.md's shape: %v\n%s", err, s)
	}
	if dec.More() {
		t.Fatalf("more than one JSON value:\n%s", s)
	}
	return v
}

func TestJSONReport(t *testing.T) {
	out := render(t, "json", Options{Lang: Chinese}, sample(), sampleProblem)
	v := decodeStrict(t, out)
	var paths []string
	for _, f := range v.Files {
		paths = append(paths, f.Path)
	}
	wantPaths := []string{"out/clean.txt", "out/font.ttf", "out/locked.pdf", "out/scan.pdf", "out/通知.docx"}
	if !reflect.DeepEqual(paths, wantPaths) {
		t.Errorf("files in order %q, want sorted %q", paths, wantPaths)
	}
	flagged := v.Files[4]
	if flagged.Verdict != "flagged" || flagged.Format != "docx" || len(flagged.Findings) != 2 {
		t.Fatalf("flagged file: %+v", flagged)
	}
	f := flagged.Findings[1]
	if f.Rule != "term.secret" || f.Title != "涉密词语" || f.Severity != "medium" || f.Text != "涉密" || f.Context != "加强涉密人员管理" ||
		f.Location.Part != "deleted" || f.Location.Page != 2 || f.Location.Line != 3 || f.Location.Offset != 4 || f.Location.Inner != "a.zip!b.docx" {
		t.Errorf("finding: %+v", f)
	}
	if v.Files[3].Verdict != "review" || v.Files[3].Reason != "page 2 has a picture that may carry text (not read)" {
		t.Errorf("review file: %+v", v.Files[3])
	}
	if len(v.Problems) != 1 || v.Problems[0].Path != sampleProblem.Path || v.Problems[0].Reason != sampleProblem.Reason {
		t.Errorf("problems: %+v", v.Problems)
	}
	if s := v.Summary; s.Files != 5 || s.Clean != 1 || s.Flagged != 1 || s.Review != 1 || s.Error != 1 || s.Skipped != 1 {
		t.Errorf("summary: %+v", s)
	}
	// Empty lists are [] (never null): the review file was given nil findings.
	if strings.Contains(out, "null") {
		t.Errorf("null in JSON report:\n%s", out)
	}
	// Document text is written as is, not HTML-escaped.
	if !strings.Contains(out, `"text": "机密★5年"`) {
		t.Errorf("finding text not written as is:\n%s", out)
	}

	empty := render(t, "json", Options{}, nil)
	want := "{\n  \"files\": [],\n  \"problems\": [],\n  \"summary\": {\n    \"files\": 0,\n    \"clean\": 0,\n    \"flagged\": 0,\n    \"review\": 0,\n    \"error\": 0,\n    \"skipped\": 0,\n    \"baselined\": 0\n  }\n}\n"
	if empty != want {
		t.Errorf("empty JSON report\n%s\nwant\n%s", empty, want)
	}
	decodeStrict(t, empty)
}

func TestNewAndLang(t *testing.T) {
	if _, err := New("xml", &bytes.Buffer{}, Options{}); err == nil || !strings.Contains(err.Error(), "text, json") {
		t.Errorf("New(xml) = %v, want an error listing the formats", err)
	}
	for _, f := range Formats {
		if _, err := New(f, &bytes.Buffer{}, Options{}); err != nil {
			t.Errorf("New(%s): %v", f, err)
		}
	}
	for locale, want := range map[string]Lang{"zh_CN.UTF-8": Chinese, "zh_TW": Chinese, "ZH": Chinese, "en_US.UTF-8": English, "C": English, "": English} {
		if got := LangFromLocale(locale); got != want {
			t.Errorf("LangFromLocale(%q) = %s, want %s", locale, got, want)
		}
	}
}

// TestMaskNeighbours checks that a masked report hides every hit wherever
// it shows: in its own finding and in the context of its neighbours', in
// every format.
func TestMaskNeighbours(t *testing.T) {
	p, err := policies.Parse("test.yaml", []byte(`version: 1
rules:
  - {id: marking, severity: high, detector: marking}
  - {id: label, severity: high, terms: [内部资料], word_check: false}
  - {id: term, severity: medium, terms: [涉密], word_check: false}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	doc := &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{
		{Part: extract.PartBody, Text: "前言内部资料，机密★5年\n涉密人员"}}}
	r := scanner.New(m, scanner.Options{}).Check("x.txt", doc, nil)
	if len(r.Findings) != 3 {
		t.Fatalf("%d findings, want 3: %+v", len(r.Findings), r.Findings)
	}
	for _, format := range Formats {
		out := render(t, format, Options{Lang: English, Mask: true}, []scanner.Result{r})
		for _, hit := range []string{"内部资料", "部资料", "机密★5年", "密★5年", "涉密"} {
			if strings.Contains(out, hit) {
				t.Errorf("%s report shows %q:\n%s", format, hit, out)
			}
		}
		if format != "sarif" && !strings.Contains(out, "前言") { // SARIF shows no context
			t.Errorf("%s report lost the unmasked context:\n%s", format, out)
		}
	}
}

// Sheets and slides are not pages, and hidden text in a workbook is a
// hidden sheet, row or column.
func TestWhere(t *testing.T) {
	tests := []struct {
		format string
		loc    scanner.Location
		en, zh string
	}{
		{"pdf", scanner.Location{Part: "body", Page: 1, Line: 2}, "body page 1 line 2", "正文 第1页 第2行"},
		{"xlsx", scanner.Location{Part: "body", Page: 2, Line: 1}, "body sheet 2 line 1", "正文 第2个工作表 第1行"},
		{"xlsx", scanner.Location{Part: "hidden", Page: 3, Line: 1}, "hidden sheet, row or column sheet 3 line 1", "隐藏的工作表、行或列 第3个工作表 第1行"},
		{"pptx", scanner.Location{Part: "notes", Page: 4, Line: 1}, "slide notes slide 4 line 1", "备注 第4张幻灯片 第1行"},
		{"pptx", scanner.Location{Part: "hidden", Page: 5}, "hidden slide slide 5", "隐藏的幻灯片 第5张幻灯片"},
		{"docx", scanner.Location{Part: "hidden", Line: 1}, "hidden text line 1", "隐藏文字 第1行"},
		// Inside a container, the inner document's format counts.
		{"zip", scanner.Location{Part: "body", Page: 2, Line: 1, Inner: "报表.XLSX"}, "报表.XLSX › body sheet 2 line 1", "报表.XLSX › 正文 第2个工作表 第1行"},
		{"pdf", scanner.Location{Part: "filename-to-be", Line: 1}, "filename-to-be line 1", "filename-to-be 第1行"},
	}
	for _, tt := range tests {
		if en, zh := where(wordsFor(English), tt.format, tt.loc), where(wordsFor(Chinese), tt.format, tt.loc); en != tt.en || zh != tt.zh {
			t.Errorf("where(%s, %+v) = %q, %q; want %q, %q", tt.format, tt.loc, en, zh, tt.en, tt.zh)
		}
	}
}

func TestCount(t *testing.T) {
	for _, tt := range []struct {
		l    Lang
		n    int
		want string
	}{{English, 0, "0 files"}, {English, 1, "1 file"}, {English, 17, "17 files"}, {Chinese, 1, "1个文件"}, {Chinese, 17, "17个文件"}} {
		if got := tt.l.count(tt.n, "file", "files", "个文件"); got != tt.want {
			t.Errorf("count(%s, %d) = %q, want %q", tt.l, tt.n, got, tt.want)
		}
	}
	one := []scanner.Result{{Path: "a.txt", Format: "text", Verdict: scanner.Clean}}
	if got := render(t, "text", Options{Lang: English}, one); !strings.HasSuffix(got, "\n1 file: clean 1\n") {
		t.Errorf("summary of one file: %q", got)
	}
	if got := render(t, "text", Options{Lang: Chinese}, one); !strings.HasSuffix(got, "\n共1个文件：通过1个。\n") {
		t.Errorf("summary of one file: %q", got)
	}
}

func TestParseLang(t *testing.T) {
	for in, want := range map[string]Lang{"zh": Chinese, "ZH": Chinese, "zh_CN.UTF-8": Chinese, "zh-TW": Chinese, "en": English, "en_US.UTF-8": English} {
		if got, err := ParseLang(in); err != nil || got != want {
			t.Errorf("ParseLang(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "fr", "zhx", "C"} {
		if _, err := ParseLang(bad); err == nil {
			t.Errorf("ParseLang(%q) accepted", bad)
		}
	}
}

// Columns with Chinese in them line up on a terminal.
func TestTable(t *testing.T) {
	var b strings.Builder
	if err := Table(&b, [][]string{{"序号", "文件", "路径"}, {"1", "12", "共享/a"}, {"10", "3", "b"}}); err != nil {
		t.Fatal(err)
	}
	want := "序号  文件  路径\n1     12    共享/a\n10    3     b\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
