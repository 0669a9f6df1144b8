// Package baseline keeps what a reviewer accepted, so that later scans and
// audits show only what is new: findings (paths, rule ids and
// fingerprints, see scanner.Fingerprint), and files that could not be read
// completely and that a person checked by hand (path and content hash, who,
// when and why). A baseline file holds no document text.
package baseline

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
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

// File is a file a person checked and accepted as it is: a review or error
// file needs no more attention while its content is the same; a changed
// file shows again.
type File struct {
	Path   string    `json:"path"`
	SHA256 string    `json:"sha256"` // of the content accepted
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Why    string    `json:"why"`
}

// Baseline is a set of accepted findings and files, as stored in a
// baseline file.
type Baseline struct {
	Version int       `json:"version"`
	Created time.Time `json:"created"`
	Entries []Entry   `json:"entries"`
	Files   []File    `json:"files,omitempty"`
	index   map[key]bool
	files   map[string]File // by clean path
}

type key struct{ path, fingerprint string }

// cleanPath makes "./a/b" and "a//b" the same path on every system.
func cleanPath(p string) string { return filepath.ToSlash(filepath.Clean(p)) }

// New returns a baseline of entries, made at created, without duplicates
// and sorted by path, rule and fingerprint.
func New(entries []Entry, created time.Time) *Baseline {
	b := &Baseline{Version: Version, Created: created.UTC(), Entries: []Entry{}, index: map[key]bool{}, files: map[string]File{}}
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
	nb := New(b.Entries, b.Created)
	for i, f := range b.Files {
		if f.Path == "" || len(f.SHA256) != 2*sha256.Size {
			return nil, fmt.Errorf("%s: accepted file %d has no path or content hash", path, i+1)
		}
		nb.add(f)
	}
	return nb, nil
}

// add records f, replacing what was accepted for its path before.
func (b *Baseline) add(f File) {
	f.Path = cleanPath(f.Path)
	b.files[f.Path] = f
	b.Files = slices.SortedFunc(maps.Values(b.files), func(x, y File) int { return strings.Compare(x.Path, y.Path) })
}

// AcceptFile accepts the file at path as its content is now: who accepted
// it, when and why. It returns what it recorded.
func (b *Baseline) AcceptFile(path, by, why string, at time.Time) (File, error) {
	sum, err := hashFile(path)
	if err != nil {
		return File{}, err
	}
	f := File{Path: cleanPath(path), SHA256: sum, By: by, At: at.UTC(), Why: why}
	b.add(f)
	return f, nil
}

// Accepted returns what was accepted for r's file, when r is review or
// error and the file's content is still the one accepted. A file that
// cannot be read again is not accepted.
func (b *Baseline) Accepted(r scanner.Result) (File, bool) {
	if r.Verdict != scanner.Review && r.Verdict != scanner.Error {
		return File{}, false
	}
	f, ok := b.files[cleanPath(r.Path)]
	if !ok {
		return File{}, false
	}
	sum, err := hashFile(r.Path)
	return f, err == nil && sum == f.SHA256
}

// Note says in a reason who accepted the file, when and why.
func (f File) Note() string {
	return fmt.Sprintf("accepted after review by %s on %s: %s", f.By, f.At.Local().Format("2006-01-02"), f.Why)
}

// hashFile returns the SHA-256 of the file's content, in hex.
func hashFile(path string) (string, error) {
	file, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer file.Close()
	h := sha256.New()
	if _, err := io.Copy(h, file); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
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
