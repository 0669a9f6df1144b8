package report

import (
	"encoding/json"
	"io"

	"github.com/baomi/baomi/scanner"
)

// jsonReport writes DESIGN.md's JSON object at Close, files sorted by path.
type jsonReport struct {
	w        io.Writer
	opt      Options
	files    []scanner.Result
	problems []scanner.Problem
}

func newJSON(w io.Writer, opt Options) *jsonReport {
	return &jsonReport{w: w, opt: opt, files: []scanner.Result{}, problems: []scanner.Problem{}}
}

func (j *jsonReport) File(r scanner.Result) error {
	// A copy: masking must not change the caller's findings, which share
	// r's backing array.
	fs := make([]scanner.Finding, len(r.Findings))
	for i, f := range r.Findings {
		fs[i] = j.opt.masked(f)
	}
	r.Findings = fs
	j.files = append(j.files, r)
	return nil
}

func (j *jsonReport) Problem(p scanner.Problem) error {
	j.problems = append(j.problems, p)
	return nil
}

func (j *jsonReport) Close(s scanner.Summary) error {
	sortFiles(j.files)
	enc := json.NewEncoder(j.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(struct {
		Files    []scanner.Result  `json:"files"`
		Problems []scanner.Problem `json:"problems"`
		Summary  scanner.Summary   `json:"summary"`
	}{j.files, j.problems, s})
}
