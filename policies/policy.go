// Package policies defines baomi's policy format: rules of sensitive terms,
// regular expressions and built-in detectors, loaded from YAML, validated with
// file:line messages, and merged into one Policy. The default policy files
// are embedded in the binary.
package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// Severity ranks how serious a finding is.
type Severity int

// Severities, lowest first, so that they compare with < and >.
const (
	Low Severity = iota + 1
	Medium
	High
)

// String returns the name used in policies and reports: low, medium or high.
func (s Severity) String() string {
	switch s {
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// MarshalText writes the severity's name.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// ParseSeverity reads low, medium or high (any case).
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	}
	return 0, fmt.Errorf("severity %q is not one of high, medium, low", s)
}

// Detectors are the built-in detectors a rule may name.
var Detectors = map[string]string{
	"marking":     "classification markings (密级标志) such as 机密★5年, 绝密★启用前, 密级：秘密",
	"id-card":     "resident identity numbers (GB 11643: region, birth date and check character; the old 15-digit form)",
	"bank-card":   "bank card numbers: 16 to 19 digits with a known issuer prefix, passing the Luhn check",
	"mobile":      "mainland mobile numbers: 11 digits with a mobile prefix, optionally +86 and separators",
	"uscc":        "unified social credit codes (GB 32100: 18 characters with their check character)",
	"file-hash":   "files whose SHA-256 or SM3 digest is in a list (hashes: FILE), archive members and embedded objects too",
	"fingerprint": "passages shared with documents registered in an index (baomi fingerprint build); needs index",
}

// Rule is one policy rule. A rule finds text by literal terms, regular
// expressions, a built-in detector, or any mix of them.
type Rule struct {
	ID          string
	Title       string
	Description string
	Severity    Severity
	// Terms are literal texts, matched after normalization (full-width,
	// traditional characters and spacing do not matter).
	Terms []string
	// Regexes are RE2 expressions matched against the normalized text.
	Regexes []string
	// Detector names a built-in detector (see Detectors), or is empty.
	Detector string
	// Near, when set, keeps a hit only when one of its terms is close by.
	Near *Near
	// Hashes are the known files of a file-hash rule.
	Hashes []KnownFile
	// Exclude lists phrases that contain a hit but are not one (机密性).
	Exclude []string
	// WordCheck asks for the word-segmentation check on Chinese terms: a hit
	// that is only part of a longer word (手机密码) is dropped.
	WordCheck bool
	// Index is the fingerprint index file of a fingerprint rule, and
	// MinChars the shortest shared passage, in characters, that counts.
	Index    string
	MinChars int
	// Hashed are keyed hashes of terms (terms_hashed, made by baomi policy
	// hash) and HashKey the key they were made with (key_file).
	Hashed  []HashedTerm
	HashKey []byte
	// Examples must produce a finding of this rule; Counterexamples must not.
	Examples        []string
	Counterexamples []string
	// File and Line say where the rule was defined.
	File string
	Line int
}

// HashedTerm is one term of a terms_hashed file: the length of the
// normalized term in characters and its keyed hash (hex).
type HashedTerm struct {
	Len int
	Sum string
}

// Pos returns where the rule was defined, as "file:line".
func (r *Rule) Pos() string { return fmt.Sprintf("%s:%d", r.File, r.Line) }

// Problem returns a Problem at the rule's definition.
func (r *Rule) Problem(format string, args ...any) Problem {
	return Problem{File: r.File, Line: r.Line, Msg: fmt.Sprintf("rule %q: ", r.ID) + fmt.Sprintf(format, args...)}
}

// Policy is a set of rules from one or more files.
type Policy struct {
	Rules []*Rule
	// Sources names the files the rules came from, in order.
	Sources []string
	// Hash identifies what the rules find: two policies with the same Hash
	// find the same things. Cached scan results are keyed by it.
	Hash string
}

// hashRules computes Policy.Hash from the fields that change what is found.
func hashRules(rules []*Rule) string {
	h := sha256.New()
	for _, r := range rules {
		fmt.Fprintf(h, "%q|%q|%d|%q|%q|%q|%q|%t", r.ID, r.Title, r.Severity, r.Terms, r.Regexes, r.Detector, r.Exclude, r.WordCheck)
		if r.Near != nil {
			fmt.Fprintf(h, "|near %q %d", r.Near.Terms, r.Near.Within)
		}
		for _, k := range r.Hashes {
			fmt.Fprintf(h, "|%s:%s %q", k.Algo, k.Sum, k.Label)
		}
		if r.Index != "" || len(r.Hashed) > 0 {
			// The index's contents are folded in by match.Compile.
			fmt.Fprintf(h, "|%q|%d|%v|%s", r.Index, r.MinChars, r.Hashed, KeyID(r.HashKey))
		}
		h.Write([]byte("\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Rule returns the rule with the given id, or nil.
func (p *Policy) Rule(id string) *Rule {
	for _, r := range p.Rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}
