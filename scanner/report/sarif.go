package report

import (
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// sarifReport writes one SARIF 2.1.0 log at Close: the policy's rules, one
// result per finding, and the files that were not read completely as tool
// execution notifications (a reader of the log must see the gaps: fail
// closed). SARIF files travel, so a result's message carries the rule and
// the location, never the matched text; the text goes only in
// region.snippet, masked when Options.Mask is set, and the context not at all.
type sarifReport struct {
	w        io.Writer
	opt      Options
	files    []scanner.Result
	problems []scanner.Problem
}

func newSARIF(w io.Writer, opt Options) *sarifReport {
	return &sarifReport{w: w, opt: opt}
}

func (s *sarifReport) File(r scanner.Result) error {
	// Clean and skipped files have nothing to say in SARIF.
	if len(r.Findings) > 0 || r.Verdict == scanner.Error || r.Verdict == scanner.Review {
		s.files = append(s.files, s.opt.maskedResult(r))
	}
	return nil
}

func (s *sarifReport) Problem(p scanner.Problem) error {
	s.problems = append(s.problems, p)
	return nil
}

// The parts of SARIF 2.1.0 baomi writes.
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool        sarifTool         `json:"tool"`
		Invocations []sarifInvocation `json:"invocations"`
		Results     []sarifResult     `json:"results"`
		// ColumnKind says that startColumn counts characters, as
		// Location.Offset does, not UTF-16 units (SARIF's default).
		ColumnKind string         `json:"columnKind"`
		Properties map[string]any `json:"properties"`
	}
	sarifTool struct {
		Driver struct {
			Name  string      `json:"name"`
			Rules []sarifRule `json:"rules"`
		} `json:"driver"`
	}
	sarifText struct {
		Text string `json:"text"`
	}
	sarifRule struct {
		ID                   string     `json:"id"`
		Name                 string     `json:"name,omitempty"`
		ShortDescription     *sarifText `json:"shortDescription,omitempty"`
		FullDescription      *sarifText `json:"fullDescription,omitempty"`
		DefaultConfiguration struct {
			Level string `json:"level"`
		} `json:"defaultConfiguration"`
		Properties map[string]string `json:"properties"`
	}
	sarifInvocation struct {
		ExecutionSuccessful bool                `json:"executionSuccessful"`
		EndTimeUTC          string              `json:"endTimeUtc"`
		Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level      string          `json:"level"`
		Message    sarifText       `json:"message"`
		Locations  []sarifLocation `json:"locations"`
		Descriptor struct {
			ID string `json:"id"`
		} `json:"descriptor"`
	}
	sarifResult struct {
		RuleID     string            `json:"ruleId"`
		RuleIndex  int               `json:"ruleIndex"`
		Level      string            `json:"level"`
		Message    sarifText         `json:"message"`
		Locations  []sarifLocation   `json:"locations"`
		Properties sarifFindingProps `json:"properties"`
	}
	sarifFindingProps struct {
		Severity string `json:"severity"`
		Part     string `json:"part"`
		Page     int    `json:"page"`
		Inner    string `json:"inner,omitempty"`
	}
	sarifLocation struct {
		PhysicalLocation struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Region *sarifRegion `json:"region,omitempty"`
		} `json:"physicalLocation"`
	}
	sarifRegion struct {
		StartLine   int        `json:"startLine"`
		StartColumn int        `json:"startColumn"`
		Snippet     *sarifText `json:"snippet,omitempty"`
	}
)

// sarifLevel maps a severity to SARIF's result levels.
func sarifLevel(s policies.Severity) string {
	switch s {
	case policies.High:
		return "error"
	case policies.Medium:
		return "warning"
	}
	return "note"
}

func (s *sarifReport) Close(sum scanner.Summary) error {
	sortFiles(s.files)
	t := wordsFor(s.opt.Lang)
	var run sarifRun
	run.Tool.Driver.Name = "baomi"
	run.ColumnKind = "unicodeCodePoints"
	run.Properties = map[string]any{"summary": sum}
	index := map[string]int{} // rule id → index in Rules
	addRule := func(id, title, description string, sev policies.Severity) {
		if _, ok := index[id]; ok {
			return
		}
		r := sarifRule{ID: id, Name: title, Properties: map[string]string{"severity": sev.String()}}
		if title != "" {
			r.ShortDescription = &sarifText{title}
		}
		if description != "" {
			r.FullDescription = &sarifText{description}
		}
		r.DefaultConfiguration.Level = sarifLevel(sev)
		index[id] = len(run.Tool.Driver.Rules)
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, r)
	}
	if p := s.opt.Policy; p != nil {
		run.Properties["policyHash"] = p.Hash
		for _, r := range p.Rules {
			addRule(r.ID, r.Title, r.Description, r.Severity)
		}
	}
	inv := sarifInvocation{ExecutionSuccessful: true, EndTimeUTC: s.generated().UTC().Format(time.RFC3339)}
	run.Results = []sarifResult{}
	for _, r := range s.files {
		if n, ok := sarifNotice(r); ok {
			inv.Notifications = append(inv.Notifications, n)
		}
		for _, f := range r.Findings {
			// A rule the policy does not name (or no policy) still gets
			// a descriptor, so that every ruleIndex points somewhere.
			addRule(f.Rule, f.Title, "", f.Severity)
			title := f.Rule
			if f.Title != "" {
				title = f.Title + " (" + f.Rule + ")"
			}
			res := sarifResult{
				RuleID: f.Rule, RuleIndex: index[f.Rule], Level: sarifLevel(f.Severity),
				Message:    sarifText{Safe(title) + ": " + where(t, r.Format, f.Location)},
				Locations:  []sarifLocation{sarifLocationOf(r.Path)},
				Properties: sarifFindingProps{Severity: f.Severity.String(), Part: f.Location.Part, Page: f.Location.Page, Inner: f.Location.Inner},
			}
			if f.Location.Line > 0 {
				res.Locations[0].PhysicalLocation.Region = &sarifRegion{
					StartLine: f.Location.Line, StartColumn: f.Location.Offset + 1, Snippet: &sarifText{f.Text},
				}
			}
			run.Results = append(run.Results, res)
		}
	}
	for _, p := range s.problems {
		n := sarifNotification{Level: "error", Message: sarifText{p.Path + ": " + p.Reason}, Locations: []sarifLocation{sarifLocationOf(p.Path)}}
		n.Descriptor.ID = "problem"
		inv.Notifications = append(inv.Notifications, n)
	}
	if run.Tool.Driver.Rules == nil {
		run.Tool.Driver.Rules = []sarifRule{}
	}
	run.Invocations = []sarifInvocation{inv}
	enc := json.NewEncoder(s.w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// sarifNotice reports a file that was not read completely: an error or
// review verdict, or a flagged file with a reason (found something, but
// missed part of the file). Its descriptor id is the verdict, for filtering.
func sarifNotice(r scanner.Result) (sarifNotification, bool) {
	var n sarifNotification
	switch {
	case r.Verdict == scanner.Error:
		n.Level = "error"
	case r.Verdict == scanner.Review, r.Verdict == scanner.Flagged && r.Reason != "":
		n.Level = "warning"
	default:
		return n, false
	}
	n.Message = sarifText{r.Path + ": " + r.Reason}
	n.Locations = []sarifLocation{sarifLocationOf(r.Path)}
	n.Descriptor.ID = string(r.Verdict)
	return n, true
}

// generated is the report's time: Options.Generated, or now.
func (s *sarifReport) generated() time.Time {
	if s.opt.Generated.IsZero() {
		return time.Now()
	}
	return s.opt.Generated
}

func sarifLocationOf(path string) sarifLocation {
	var l sarifLocation
	l.PhysicalLocation.ArtifactLocation.URI = fileURI(path)
	return l
}

// fileURI turns a path into a URI reference (RFC 3986): a relative path
// stays relative, an absolute one becomes a file: URI; every byte but the
// unreserved characters and the separator is percent-encoded, so Chinese
// names, spaces, '#', '?' and a ':' that would read as a scheme are safe.
func fileURI(path string) string {
	p := strings.ReplaceAll(path, `\`, "/") // Windows paths, on any OS
	switch {
	case len(p) >= 3 && p[1] == ':' && p[2] == '/' && isASCIILetter(p[0]): // C:/x
		return "file:///" + p[:2] + escapePath(p[2:])
	case strings.HasPrefix(p, "//"): // UNC: //server/share/x
		return "file:" + escapePath(p)
	case strings.HasPrefix(p, "/"):
		return "file://" + escapePath(p)
	}
	return escapePath(p)
}

func isASCIILetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func escapePath(p string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		c := p[i]
		if isASCIILetter(c) || '0' <= c && c <= '9' || strings.IndexByte("-._~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}
