// Package report writes scan results for people and programs: one Reporter
// interface and one file per output format.
package report

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// Reporter writes results as a scan produces them. File and Problem are
// called as files finish; Close once at the end with the totals.
type Reporter interface {
	File(scanner.Result) error
	Problem(scanner.Problem) error
	Close(scanner.Summary) error
}

// Options shape a report.
type Options struct {
	Lang  Lang // language of the words around the data
	Mask  bool // show matched text as its first character and ＊
	Color bool // ANSI colours (text format on a terminal only)
	// Policy gives the SARIF and HTML reports rule titles, descriptions
	// and the policy hash; nil: only what the findings carry.
	Policy *policies.Policy
	// Title heads the HTML report; "" for a default in Lang.
	Title string
	// Generated is when the report was made (HTML, SARIF); zero: now.
	// For an audit it is when the audit started.
	Generated time.Time
	// Finished is when the audit ended, for the HTML report's "took";
	// zero: when the report is closed.
	Finished time.Time
	// Paths, Host and User say what was audited, on which machine and by
	// whom, for the HTML report's heading; empty ones are not shown. The
	// folder chart sums findings by the top-level folder below each of
	// Paths.
	Paths      []string
	Host, User string
}

// Formats lists the output formats New accepts.
var Formats = []string{"text", "json", "jsonl", "csv", "sarif", "html"}

// New returns a Reporter writing format to w.
func New(format string, w io.Writer, opt Options) (Reporter, error) {
	switch format {
	case "text":
		return newText(w, opt), nil
	case "json":
		return newJSON(w, opt), nil
	case "jsonl":
		return newJSONL(w, opt), nil
	case "csv":
		return newCSV(w, opt), nil
	case "sarif":
		return newSARIF(w, opt), nil
	case "html":
		return newHTML(w, opt), nil
	}
	return nil, fmt.Errorf("unknown format %q (expected one of: %s)", format, strings.Join(Formats, ", "))
}

// Mask hides matched text: its first character stays, the rest become ＊.
func Mask(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(r) + strings.Repeat("＊", utf8.RuneCountInString(s[size:]))
}

// masked returns f with its text and context masked when opt asks for it:
// the hit and every other hit its context shows.
func (opt Options) masked(f scanner.Finding) scanner.Finding {
	if opt.Mask {
		f.Text = Mask(f.Text)
		f.Before = maskSpans(f.Before, f.BeforeHits)
		f.After = maskSpans(f.After, f.AfterHits)
		f.BeforeHits, f.AfterHits = nil, nil
		f.Context = f.Before + f.Text + f.After
	}
	return f
}

// maskSpans masks the given byte spans of s, which are in order and do not
// overlap.
func maskSpans(s string, spans []scanner.Span) string {
	if len(spans) == 0 {
		return s
	}
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		b.WriteString(s[at:sp.Start])
		b.WriteString(Mask(s[sp.Start:sp.End]))
		at = sp.End
	}
	b.WriteString(s[at:])
	return b.String()
}

// sortFiles orders results by path, for reports that are not streamed.
func sortFiles(files []scanner.Result) {
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
}
