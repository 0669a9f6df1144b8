package report

import (
	"bytes"
	"encoding/json"
	"io"

	"github.com/baomi/baomi/scanner"
)

// jsonlReport writes JSON Lines as results come, so that an audit of tens of
// thousands of files can be followed (and survives an interruption): one
// line per file, shaped as an element of the JSON report's "files"; one
// {"problem": {...}} line per problem; a final {"summary": {...}} line.
type jsonlReport struct {
	w   io.Writer
	opt Options
}

func newJSONL(w io.Writer, opt Options) *jsonlReport {
	return &jsonlReport{w: w, opt: opt}
}

func (j *jsonlReport) File(r scanner.Result) error {
	return j.line(j.opt.maskedResult(r))
}

func (j *jsonlReport) Problem(p scanner.Problem) error {
	return j.line(struct {
		Problem scanner.Problem `json:"problem"`
	}{p})
}

func (j *jsonlReport) Close(s scanner.Summary) error {
	return j.line(struct {
		Summary scanner.Summary `json:"summary"`
	}{s})
}

// line writes v as one line in a single Write, then flushes a buffered
// writer, so a reader tailing the file never sees half a line for long.
func (j *jsonlReport) line(v any) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false) // document text as written, as in the JSON report
	if err := enc.Encode(v); err != nil {
		return err
	}
	if _, err := j.w.Write(b.Bytes()); err != nil {
		return err
	}
	if f, ok := j.w.(interface{ Flush() error }); ok {
		return f.Flush()
	}
	return nil
}

// maskedResult returns r with masked copies of its findings (never nil, so
// that JSON shows [] rather than null); r's own findings stay unchanged.
func (opt Options) maskedResult(r scanner.Result) scanner.Result {
	fs := make([]scanner.Finding, len(r.Findings))
	for i, f := range r.Findings {
		fs[i] = opt.masked(f)
	}
	r.Findings = fs
	return r
}
