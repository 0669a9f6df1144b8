package report

import (
	"encoding/csv"
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// readCSV checks the byte order mark and reads the report back as
// encoding/csv does, header first: the English one.
func readCSV(t *testing.T, out string) [][]string {
	t.Helper()
	return readCSVHeader(t, out, csvHeader)
}

func readCSVHeader(t *testing.T, out string, header []string) [][]string {
	t.Helper()
	body, ok := strings.CutPrefix(out, "\uFEFF")
	if !ok {
		t.Fatalf("CSV does not start with a UTF-8 BOM: %q", out[:min(len(out), 20)])
	}
	r := csv.NewReader(strings.NewReader(body))
	r.FieldsPerRecord = len(csvHeader)
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("CSV does not read back: %v\n%s", err, body)
	}
	if len(rows) == 0 || fmt.Sprint(rows[0]) != fmt.Sprint(header) {
		t.Fatalf("header %q, want %q", rows[0], header)
	}
	return rows[1:]
}

func TestCSVReport(t *testing.T) {
	out := render(t, "csv", auditOptions(English, false), auditResults(), auditProblem)
	rows := readCSV(t, out)
	noFinding := strings.Repeat("|", 10) // separators of the ten empty finding columns
	// Files in path order, then problems. Columns: path format verdict
	// reason rule title severity part page line offset inner text context.
	want := []string{
		"共享/<script>alert(3)</script>.txt|text|flagged||term.secret|涉密词语|medium|body|0|7|25||秘密|" + xssBefore + "秘密" + xssAfter,
		"共享/<script>alert(3)</script>.txt|text|flagged||office.cmd||low|body|0|8|0||'" + formulaText + "|'" + formulaText + " 了",
		chinesePath + "|docx|flagged||marking.classified|密级标志|high|header|0|1|0||机密★5年|机密★5年 关于召开会议的通知",
		chinesePath + "|docx|flagged||label.internal|内部标识|high|footer|0|2|3||内部资料|本文为内部资料，注意保存",
		chinesePath + "|docx|flagged||term.secret|涉密词语|medium|deleted|2|3|4|附件.zip!b.docx|涉密|加强涉密人员管理",
		"共享/公开.txt|text|clean|" + noFinding,
		"共享/加密.pdf|pdf|error|encrypted PDF: needs a password" + noFinding,
		"共享/字体.ttf|font|skipped|font file: carries no document text" + noFinding,
		"共享/扫描件.pdf|pdf|review|page 2 has a picture that may carry text (not read)" + noFinding,
		"共享/部分.pdf|pdf|flagged|page 3 could not be read: damaged page content|label.internal|内部标识|high|annotation|1|1|0||内部使用|内部使用",
		"共享/无权限||problem|permission denied" + noFinding,
	}
	if len(rows) != len(want) {
		t.Fatalf("%d rows, want %d:\n%s", len(rows), len(want), out)
	}
	for i, row := range rows {
		if got := strings.Join(row, "|"); got != want[i] {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, got, want[i])
		}
	}
	if !strings.Contains(out, "\r\n") {
		t.Error("rows do not end in CRLF")
	}
}

// In Chinese the headers and the words baomi writes (verdicts,
// severities, parts, reasons) are Chinese; the columns stay the same.
func TestCSVReportChinese(t *testing.T) {
	rows := readCSVHeader(t, render(t, "csv", auditOptions(Chinese, false), auditResults(), auditProblem), csvHeaderZH)
	want := map[int]string{
		2:  chinesePath + "|docx|发现问题||marking.classified|密级标志|高|页眉|0|1|0||机密★5年|机密★5年 关于召开会议的通知",
		4:  chinesePath + "|docx|发现问题||term.secret|涉密词语|中|修订删除的文字|2|3|4|附件.zip!b.docx|涉密|加强涉密人员管理",
		6:  "共享/加密.pdf|pdf|无法读取|已加密的PDF：需要密码" + strings.Repeat("|", 10),
		10: "共享/无权限||未读取|无访问权限" + strings.Repeat("|", 10),
	}
	for i, w := range want {
		if got := strings.Join(rows[i], "|"); got != w {
			t.Errorf("row %d:\n got %s\nwant %s", i+1, got, w)
		}
	}
}

func TestCSVReportMasked(t *testing.T) {
	rows := readCSV(t, render(t, "csv", auditOptions(English, true), auditResults(), auditProblem))
	for _, row := range rows {
		if strings.Contains(row[12]+row[13], "机密★5年") || strings.Contains(row[12]+row[13], "内部资料") {
			t.Errorf("masked CSV shows the hit: %q", row)
		}
		if row[4] == "marking.classified" && (row[12] != "机＊＊＊＊" || row[13] != "机＊＊＊＊ 关于召开会议的通知") {
			t.Errorf("masked row: %q", row)
		}
	}
}

func TestCSVReportEmpty(t *testing.T) {
	if rows := readCSV(t, render(t, "csv", Options{}, nil)); len(rows) != 0 {
		t.Errorf("rows in an empty report: %q", rows)
	}
}

func TestCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"=1+2", "'=1+2"},
		{"+86 10 1234", "'+86 10 1234"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\t=1", "'\t=1"},
		{"\r=1", "'\r=1"},
		{"＝HYPERLINK()", "'＝HYPERLINK()"},
		{"机密★5年", "机密★5年"},
		{"a=b", "a=b"},
		{"'quoted", "'quoted"},
		{"", ""},
		{"共享/\xff\xfe名.txt", `共享/\xff\xfe名.txt`},
		{"\xbb\xfa\xc3\xdc.doc", `\xbb\xfa\xc3\xdc.doc`}, // 机密 in GBK
		{"机\xe5\x86", `机\xe5\x86`},                       // a character cut short
		{"=\xff", `'=\xff`},
		{"\uFFFD", "\uFFFD"},
	}
	for _, tt := range tests {
		if got := cell(tt.in); got != tt.want {
			t.Errorf("cell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// A path that is not UTF-8 (Linux names are bytes) keeps the report UTF-8:
// its bytes are escaped, and the file stays recognisable.
func TestCSVInvalidUTF8(t *testing.T) {
	r := scanner.Result{Path: "共享/\xbb\xfa\xc3\xdc.txt", Format: "text", Verdict: scanner.Flagged, Findings: []scanner.Finding{{
		Rule: "marking.classified", Severity: policies.High, Text: "机密", Context: "机密\xff",
		Location: scanner.Location{Part: "body", Inner: "a.zip!\xd6\xd0.txt"},
	}}}
	out := render(t, "csv", Options{}, []scanner.Result{r})
	if !utf8.ValidString(out) {
		t.Fatalf("CSV is not UTF-8: %q", out)
	}
	rows := readCSV(t, out)
	if len(rows) != 1 || rows[0][0] != `共享/\xbb\xfa\xc3\xdc.txt` || rows[0][11] != `a.zip!\xd6\xd0.txt` || rows[0][13] != `机密\xff` {
		t.Errorf("rows = %q", rows)
	}
}
