package scanner

import (
	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/extract"
)

// Verdict is the outcome for one file (DESIGN.md, "Verdict").
type Verdict string

// The five verdicts.
const (
	Clean   Verdict = "clean"   // read completely, nothing found
	Flagged Verdict = "flagged" // at least one finding
	Review  Verdict = "review"  // read, but the text may be incomplete
	Error   Verdict = "error"   // could not be read
	Skipped Verdict = "skipped" // a type that carries no document text
)

// Location says where in a file a finding is. Line is 1-based within the
// segment's text; Offset counts characters (not bytes) from the line's start.
type Location struct {
	Part   string `json:"part"`
	Page   int    `json:"page"`
	Line   int    `json:"line"`
	Offset int    `json:"offset"`
	Inner  string `json:"inner"`
}

// Finding is one hit of a rule. Text and Context are document text: reports
// for people show them; logs and stores never do.
type Finding struct {
	Rule     string            `json:"rule"`
	Title    string            `json:"title,omitempty"`
	Severity policies.Severity `json:"severity"`
	Text     string            `json:"text"`
	Location Location          `json:"location"`
	Context  string            `json:"context"`
	// Fingerprint identifies the finding across edits elsewhere in the
	// file: see Fingerprint. Baselines and the cache keep it, not the text.
	Fingerprint string `json:"fingerprint"`
	// Before and After are the parts of Context around Text, so that a
	// report can highlight or mask the hit.
	Before string `json:"-"`
	After  string `json:"-"`
	// BeforeHits and AfterHits are the byte spans of Before and After that
	// show other hits, so that a masked report hides those too.
	BeforeHits []Span `json:"-"`
	AfterHits  []Span `json:"-"`
	// Passages locates the passages a fingerprint finding's file shares
	// with the registered document (at most 100); Location is the first.
	Passages []Location `json:"passages,omitempty"`
}

// Span is a byte range [Start, End) of a string.
type Span struct{ Start, End int }

// MarshalZerologObject logs a finding without its text or context.
func (f Finding) MarshalZerologObject(e *zerolog.Event) {
	e.Str("rule", f.Rule).Str("severity", f.Severity.String()).
		Str("part", f.Location.Part).Int("page", f.Location.Page).Int("line", f.Location.Line)
	if f.Location.Inner != "" {
		e.Str("inner", f.Location.Inner)
	}
}

// Result is what scanning one file gave.
type Result struct {
	Path     string    `json:"path"`
	Format   string    `json:"format"`
	SHA256   string    `json:"sha256,omitempty"`
	Verdict  Verdict   `json:"verdict"`
	Reason   string    `json:"reason"`
	Findings []Finding `json:"findings"`
	// OCR is how many of the file's pictures were read by OCR while it
	// was scanned (0 when its result came from the cache), for progress.
	OCR int `json:"-"`
	// File identifies the file that was read, when known (not for a
	// result from the cache), so that a caller can tell it is the one it
	// meant.
	File extract.FileID `json:"-"`
}

// Replaced is the result of a file whose name led to another file than the
// one meant while it was read, on each of the caller's tries (see
// Result.File): what was read says nothing of the file.
func Replaced(path string) Result {
	return Result{Path: path, Verdict: Review, Findings: []Finding{},
		Reason: "the file was replaced while it was read, twice: what was read may be another file"}
}

// MaxSeverity returns the highest severity among the findings, 0 if none.
func (r *Result) MaxSeverity() policies.Severity {
	var m policies.Severity
	for _, f := range r.Findings {
		m = max(m, f.Severity)
	}
	return m
}

// MarshalZerologObject logs a result without document text.
func (r Result) MarshalZerologObject(e *zerolog.Event) {
	e.Str("path", r.Path).Str("format", r.Format).Str("verdict", string(r.Verdict)).Int("findings", len(r.Findings))
	if r.Reason != "" {
		e.Str("reason", r.Reason)
	}
}

// Problem is a path the walk could not enter or read.
type Problem struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// Summary counts files by verdict, and the findings a baseline hid.
type Summary struct {
	Files   int `json:"files"`
	Clean   int `json:"clean"`
	Flagged int `json:"flagged"`
	Review  int `json:"review"`
	Error   int `json:"error"`
	Skipped int `json:"skipped"`
	// Baselined counts findings not shown because a baseline accepted them.
	Baselined int `json:"baselined"`
}

// Add counts one result.
func (s *Summary) Add(r *Result) {
	s.Files++
	switch r.Verdict {
	case Clean:
		s.Clean++
	case Flagged:
		s.Flagged++
	case Review:
		s.Review++
	case Error:
		s.Error++
	case Skipped:
		s.Skipped++
	}
}
