// Package baseline keeps the findings a reviewer accepted, so that later
// scans and audits show only new ones. A baseline file holds paths, rule ids
// and fingerprints (scanner.Fingerprint), never document text.
package baseline

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/baomi/baomi/scanner"
)

// Version is the baseline file format's version.
const Version = 1

// Entry is one accepted finding.
type Entry struct {
	Path        string `json:"path"`
	Rule        string `json:"rule"`
	Fingerprint string `json:"fingerprint"`
}

// Baseline is a set of accepted findings, as stored in a baseline file.
type Baseline struct {
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	Entries []Entry   `json:"entries"`
	index   map[key]bool
}

type key struct{ path, fingerprint string }

// cleanPath makes "./a/b" and "a//b" the same path on every system.
func cleanPath(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// New returns a baseline of entries, made at created, without duplicates
// and sorted by path, rule and fingerprint.
func New(entries []Entry, created time.Time) *Baseline {
	b := &Baseline{Version: Version, Created: created.UTC(), Entries: []Entry{}, index: map[key]bool{}}
	for _, e := range entries {
		e.Path = cleanPath(e.Path)
		k := key{e.Path, e.Fingerprint}
		if !b.index[k] {
			b.index[k] = true
			b.Entries = append(b.Entries, e)
		}
	}
	sort.Slice(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.Path != y.Path {
			return x.Path < y.Path
		}
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// FromReport returns a baseline of every finding in a JSON report written
// by `baomi scan --format json` or `baomi audit --report x.json`.
func FromReport(r io.Reader, created time.Time) (*Baseline, error) {
	var rep struct {
		Files *[]struct {
			Path     string `json:"path"`
			Findings []struct {
				Rule        string `json:"rule"`
				Fingerprint string `json:"fingerprint"`
			} `json:"findings"`
		} `json:"files"`
	}
	if err := json.NewDecoder(r).Decode(&rep); err != nil {
		return nil, fmt.Errorf("not a baomi JSON report: %w", err)
	}
	if rep.Files == nil {
		return nil, errors.New(`not a baomi JSON report: no "files"`)
	}
	var es []Entry
	for _, f := range *rep.Files {
		for _, fd := range f.Findings {
			if fd.Fingerprint == "" {
				return nil, fmt.Errorf("%s: a finding of rule %q has no fingerprint (a report from an older baomi? scan again)", f.Path, fd.Rule)
			}
			es = append(es, Entry{Path: f.Path, Rule: fd.Rule, Fingerprint: fd.Fingerprint})
		}
	}
	return New(es, created), nil
}

// Load reads a baseline file.
func Load(path string) (*Baseline, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var b Baseline
	if err := json.Unmarshal(data, &b); err != nil {
		return nil, fmt.Errorf("%s: not a baseline file: %w", path, err)
	}
	if b.Version != Version {
		return nil, fmt.Errorf("%s: baseline version %d, this baomi reads version %d", path, b.Version, Version)
	}
	for i, e := range b.Entries {
		if e.Path == "" || e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: entry %d has no path or fingerprint", path, i+1)
		}
	}
	return New(b.Entries, b.Created), nil
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(b)
}

// Filter hides r's findings that the baseline accepted and returns r and
// how many were hidden. A finding not in the baseline is never hidden. A
// file whose findings were all accepted becomes clean, with a reason saying
// how many were accepted, or review when part of it could not be read (a
// flagged file's reason says so): baomi never calls a partly read file
// clean.
func (b *Baseline) Filter(r scanner.Result) (scanner.Result, int) {
	if len(r.Findings) == 0 || len(b.index) == 0 {
		return r, 0
	}
	p := cleanPath(r.Path)
	kept := make([]scanner.Finding, 0, len(r.Findings))
	for _, f := range r.Findings {
		if !b.index[key{p, f.Fingerprint}] {
			kept = append(kept, f)
		}
	}
	hidden := len(r.Findings) - len(kept)
	if hidden == 0 {
		return r, 0
	}
	r.Findings = kept
	if len(kept) == 0 {
		accepted := fmt.Sprintf("%d findings accepted in baseline", hidden)
		if hidden == 1 {
			accepted = "1 finding accepted in baseline"
		}
		if r.Reason == "" {
			r.Verdict, r.Reason = scanner.Clean, accepted
		} else {
			r.Verdict, r.Reason = scanner.Review, r.Reason+"; "+accepted
		}
	}
	return r, hidden
}
