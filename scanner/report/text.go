package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// textReport writes one block per file as it finishes, then a summary line.
type textReport struct {
	w   io.Writer
	opt Options
	t   *words
	col int // terminal columns of the verdict column
}

func newText(w io.Writer, opt Options) *textReport {
	t := wordsFor(opt.Lang)
	col := columns(t.problem)
	for _, v := range t.verdict {
		col = max(col, columns(v))
	}
	return &textReport{w: w, opt: opt, t: t, col: col}
}

// columns is how many terminal columns s takes: Chinese characters take two.
func columns(s string) int {
	n := 0
	for _, r := range s {
		switch width.LookupRune(r).Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
	}
	return n
}

// pad fills s with spaces to n terminal columns, so columns line up in
// Chinese reports too (fmt's %-8s counts characters, not columns).
func pad(s string, n int) string {
	return s + strings.Repeat(" ", max(n-columns(s), 0))
}

// Table writes rows as columns two spaces apart, each cell padded to the
// terminal width of its column's widest (text/tabwriter counts characters,
// and a column with Chinese in it would not line up). The last column is
// not padded.
func Table(w io.Writer, rows [][]string) error {
	var width []int
	for _, row := range rows {
		for i, cell := range row {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], columns(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for i, cell := range row {
			if i == len(row)-1 {
				b.WriteString(cell)
				break
			}
			b.WriteString(pad(cell, width[i]) + "  ")
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// ANSI colours, used only when Options.Color is set.
const (
	red    = "\x1b[31m"
	yellow = "\x1b[33m"
	green  = "\x1b[32m"
	dim    = "\x1b[2m"
	bold   = "\x1b[1m"
	reset  = "\x1b[0m"
)

func (t *textReport) paint(color, s string) string {
	if !t.opt.Color || color == "" {
		return s
	}
	return color + s + reset
}

var verdictColor = map[scanner.Verdict]string{
	scanner.Clean: green, scanner.Flagged: red, scanner.Review: yellow, scanner.Error: red, scanner.Skipped: dim,
}

var severityColor = map[policies.Severity]string{policies.High: red, policies.Medium: yellow, policies.Low: ""}

func (t *textReport) File(r scanner.Result) error {
	var b strings.Builder
	head := t.paint(verdictColor[r.Verdict], pad(t.t.verdict[r.Verdict], t.col))
	fmt.Fprintf(&b, "%s %s", head, Safe(r.Path))
	if r.Format != "" {
		fmt.Fprintf(&b, "  [%s]", r.Format)
	}
	if r.Reason != "" {
		fmt.Fprintf(&b, "  %s", Safe(t.opt.Lang.Reason(r.Reason)))
	}
	b.WriteByte('\n')
	for _, f := range r.Findings {
		f = t.opt.masked(f)
		loc := where(t.t, r.Format, f.Location)
		title := f.Rule
		if f.Title != "" {
			title = t.t.titled(f.Title, f.Rule)
		}
		sev := t.paint(severityColor[f.Severity], pad(t.t.severity[f.Severity], 6))
		fmt.Fprintf(&b, "    %s %s  %s\n", sev, Safe(title), loc)
		fmt.Fprintf(&b, "           %s%s%s\n", Safe(f.Before), t.paint(bold+red, Safe(oneLine(f.Text))), Safe(f.After))
	}
	_, err := io.WriteString(t.w, b.String())
	return err
}

func (t *textReport) Problem(p scanner.Problem) error {
	_, err := fmt.Fprintf(t.w, "%s %s  %s\n", t.paint(red, pad(t.t.problem, t.col)), Safe(p.Path), Safe(t.opt.Lang.Reason(p.Reason)))
	return err
}

func (t *textReport) Close(s scanner.Summary) error {
	if s.Files == 0 {
		_, err := fmt.Fprintln(t.w, t.t.none)
		return err
	}
	parts := []string{}
	for _, c := range []struct {
		v scanner.Verdict
		n int
	}{{scanner.Flagged, s.Flagged}, {scanner.Review, s.Review}, {scanner.Error, s.Error}, {scanner.Clean, s.Clean}, {scanner.Skipped, s.Skipped}} {
		if c.n > 0 {
			parts = append(parts, t.count(c.v, c.n))
		}
	}
	line := fmt.Sprintf("\n%s: %s\n", t.t.files(s.Files), strings.Join(parts, ", "))
	if t.opt.Lang == Chinese {
		line = fmt.Sprintf("\n共%s：%s。\n", t.t.files(s.Files), strings.Join(parts, "，"))
	}
	_, err := io.WriteString(t.w, line)
	return err
}

// count is "FLAGGED 2" or "发现问题2个".
func (t *textReport) count(v scanner.Verdict, n int) string {
	if t.opt.Lang == Chinese {
		return t.t.verdict[v] + strconv.Itoa(n) + "个"
	}
	return t.t.verdict[v] + " " + strconv.Itoa(n)
}

// oneLine shows a hit split over lines (机密★\n5\n年) on one line, as the
// context around it is.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace

// Safe replaces control characters, so that a file name or document text
// cannot move the cursor or recolour a terminal.
func Safe(s string) string { return sanitize(s, false) }

// SafeText is Safe for multi-line text: line breaks and tabs stay.
func SafeText(s string) string { return sanitize(s, true) }

func sanitize(s string, keepLines bool) string {
	// utf8.RuneError also stands for an invalid byte, which a terminal not
	// in UTF-8 mode may read as a control (0x9B is CSI); strings.Map turns
	// invalid bytes into U+FFFD.
	bad := func(r rune) bool {
		return r == utf8.RuneError || isControl(r) && !(keepLines && (r == '\n' || r == '\t'))
	}
	if strings.IndexFunc(s, bad) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if bad(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// isControl reports C0/C1 controls (ESC starts terminal sequences), line and
// paragraph separators, and the Unicode bidirectional controls (embeddings,
// overrides, isolates and the LRM, RLM and ALM marks) that can make text
// display in another order than it is stored.
func isControl(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069') ||
		r == '\u200E' || r == '\u200F' || r == '\u061C'
}
