package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner"
)

// csvHeader names the columns. In English they are the JSON report's
// field names and the values are as in JSON (verdict "flagged", severity
// "high", part "header"), for scripts; in Chinese, for people, headers,
// verdicts, severities, parts and reasons are in Chinese (csvHeaderZH). The
// columns are the same in both.
var csvHeader = []string{"path", "format", "verdict", "reason", "rule", "title", "severity", "part", "page", "line", "offset", "inner", "text", "context"}

var csvHeaderZH = []string{"路径", "格式", "结论", "原因", "规则", "规则名称", "严重程度", "位置", "页码", "行号", "偏移", "内部路径", "命中文字", "上下文"}

// csvReport writes one row per finding and one row for each file without
// findings (its finding columns empty), files sorted by path, then one row
// per problem with verdict "problem", the problem's reason and nothing else:
// a path the walk could not enter is as much a gap in the audit as a file
// that could not be read, and belongs in the same sheet.
//
// The file starts with a UTF-8 byte order mark, without which Excel on
// Chinese Windows reads it as GBK and garbles every Chinese character.
type csvReport struct {
	w        io.Writer
	opt      Options
	files    []scanner.Result
	problems []scanner.Problem
}

func newCSV(w io.Writer, opt Options) *csvReport {
	return &csvReport{w: w, opt: opt}
}

func (c *csvReport) File(r scanner.Result) error {
	c.files = append(c.files, c.opt.maskedResult(r))
	return nil
}

func (c *csvReport) Problem(p scanner.Problem) error {
	c.problems = append(c.problems, p)
	return nil
}

func (c *csvReport) Close(scanner.Summary) error {
	sortFiles(c.files)
	if _, err := io.WriteString(c.w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(c.w)
	cw.UseCRLF = true // RFC 4180, and what Excel writes
	header, zh := csvHeader, c.opt.Lang == Chinese
	t := wordsFor(c.opt.Lang)
	if zh {
		header = csvHeaderZH
	}
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range c.files {
		verdict := string(r.Verdict)
		if zh {
			verdict = t.verdict[r.Verdict]
		}
		file := []string{cell(r.Path), cell(r.Format), verdict, cell(c.opt.Lang.Reason(r.Reason))}
		if len(r.Findings) == 0 {
			if err := cw.Write(append(file, make([]string, len(csvHeader)-len(file))...)); err != nil {
				return err
			}
		}
		for _, f := range r.Findings {
			l := f.Location
			sev, part := f.Severity.String(), l.Part
			if zh {
				sev, part = t.severity[f.Severity], t.partName(formatAt(r.Format, l), l.Part)
			}
			row := append(file[:len(file):len(file)], cell(f.Rule), cell(c.title(f)), sev, cell(part),
				strconv.Itoa(l.Page), strconv.Itoa(l.Line), strconv.Itoa(l.Offset), cell(l.Inner), cell(f.Text), cell(f.Context))
			if err := cw.Write(row); err != nil {
				return err
			}
		}
	}
	for _, p := range c.problems {
		row := make([]string, len(csvHeader))
		row[0], row[2], row[3] = cell(p.Path), "problem", cell(c.opt.Lang.Reason(p.Reason))
		if zh {
			row[2] = t.problem
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// title is the finding's rule title, from the policy when the finding has
// none.
func (c *csvReport) title(f scanner.Finding) string {
	if f.Title == "" && c.opt.Policy != nil {
		if r := c.opt.Policy.Rule(f.Rule); r != nil {
			return r.Title
		}
	}
	return f.Title
}

// cell guards against formula injection: file names and document text are
// untrusted, and a spreadsheet runs a cell starting with = + - @ (or a tab
// or carriage return before one) as a formula (=cmd|' /C calc'!A0). A
// leading apostrophe makes it text. The full-width forms are guarded too,
// cheaply, in case a spreadsheet folds them to ASCII. Bytes that are not
// UTF-8 are escaped (see escapeInvalid).
func cell(s string) string {
	s = escapeInvalid(s)
	if r, _ := utf8.DecodeRuneInString(s); strings.ContainsRune("=+-@\t\r＝＋－＠", r) {
		return "'" + s
	}
	return s
}

// escapeInvalid writes each byte of s that is not part of valid UTF-8 as
// \xNN: a file name on Linux is bytes, not text, and a report that is not
// UTF-8 throughout is garbled or refused by what reads it. The byte stays
// visible, so the file can still be found.
func escapeInvalid(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	const hex = "0123456789abcdef"
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b.WriteString(`\x`)
			b.WriteByte(hex[s[i]>>4])
			b.WriteByte(hex[s[i]&15])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}
