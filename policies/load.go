package policies

import (
	"bufio"
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"regexp/syntax"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed *.yaml
var defaultFiles embed.FS

// Problem is one thing wrong with a policy file, at a line.
type Problem struct {
	File string
	Line int
	Msg  string
}

func (p Problem) String() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", p.File, p.Line, p.Msg)
	}
	return fmt.Sprintf("%s: %s", p.File, p.Msg)
}

// Errors lists every problem found in policy files; it is the error Load,
// Default and Merge return, so a policy author sees all problems at once.
type Errors []Problem

func (e Errors) Error() string {
	lines := make([]string, len(e))
	for i, p := range e {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Limits on what a policy may ask for, so that a policy cannot make matching
// slow or memory-hungry by accident.
const (
	maxRegexLen  = 2000
	maxTermRunes = 200
	maxTermsFile = 64 << 20
)

var idPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// ruleKeys are the keys a rule may have; anything else is a typo worth a message.
var ruleKeys = []string{"id", "title", "description", "severity", "terms", "terms_file", "regexes", "detector", "hashes", "near", "exclude", "word_check", "examples", "counterexamples", "index", "min_chars", "terms_hashed", "key_file"}

// Default returns the embedded default policy.
func Default() (*Policy, error) {
	names, err := defaultFiles.ReadDir(".")
	if err != nil {
		return nil, err
	}
	var ps []*Policy
	for _, n := range names {
		data, err := defaultFiles.ReadFile(n.Name())
		if err != nil {
			return nil, err
		}
		p, err := Parse("default:"+n.Name(), data, func(rel string) ([]byte, error) { return defaultFiles.ReadFile(rel) })
		if err != nil {
			return nil, err
		}
		ps = append(ps, p)
	}
	return Merge(ps...)
}

// LoadFile reads a policy file; a terms_file or hashes file in it is read relative to the
// policy file's folder.
func LoadFile(path string) (*Policy, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Errors{{File: path, Msg: "cannot read policy: " + unwrap(err)}}
	}
	dir := filepath.Dir(path)
	return Parse(path, data, func(rel string) ([]byte, error) {
		if !filepath.IsAbs(rel) {
			rel = filepath.Join(dir, rel)
		}
		st, err := os.Stat(rel)
		if err == nil && st.Size() > maxTermsFile {
			return nil, fmt.Errorf("terms file is %d bytes, over the limit of %d", st.Size(), maxTermsFile)
		}
		return os.ReadFile(rel)
	})
}

func unwrap(err error) string {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err.Error()
	}
	return err.Error()
}

// Parse reads a policy from data; name is used in messages, readFile reads
// terms files.
func Parse(name string, data []byte, readFile func(string) ([]byte, error)) (*Policy, error) {
	ps := &parser{file: name, readFile: readFile}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Errors{{File: name, Line: yamlErrLine(err), Msg: "invalid YAML: " + yamlErrMsg(err)}}
	}
	p := &Policy{Sources: []string{name}}
	if root.Kind == 0 || len(root.Content) == 0 {
		return nil, Errors{{File: name, Msg: "empty policy: expected a mapping with version and rules"}}
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return nil, Errors{{File: name, Line: doc.Line, Msg: "expected a mapping with version and rules"}}
	}
	sawRules := false
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		switch k.Value {
		case "version":
			if v.Value != "1" {
				ps.errf(v.Line, "version %q is not supported (only 1)", v.Value)
			}
		case "rules":
			sawRules = true
			if v.Kind != yaml.SequenceNode {
				ps.errf(v.Line, "rules must be a list")
				continue
			}
			for _, rn := range v.Content {
				if r := ps.rule(rn); r != nil {
					p.Rules = append(p.Rules, r)
				}
			}
		default:
			ps.errf(k.Line, "unknown key %q (expected version, rules)", k.Value)
		}
	}
	if !sawRules {
		ps.errf(doc.Line, "no rules")
	}
	if len(ps.problems) > 0 {
		return nil, ps.problems
	}
	p.Hash = hashRules(p.Rules)
	return p, nil
}

// Merge joins policies in order. Rule ids must be unique across them.
func Merge(ps ...*Policy) (*Policy, error) {
	out := &Policy{}
	seen := map[string]*Rule{}
	var probs Errors
	for _, p := range ps {
		out.Sources = append(out.Sources, p.Sources...)
		for _, r := range p.Rules {
			if prev, ok := seen[r.ID]; ok {
				probs = append(probs, Problem{File: r.File, Line: r.Line, Msg: fmt.Sprintf("rule id %q is already defined at %s", r.ID, prev.Pos())})
				continue
			}
			seen[r.ID] = r
			out.Rules = append(out.Rules, r)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if len(out.Rules) == 0 {
		return nil, Errors{{File: strings.Join(out.Sources, ", "), Msg: "no rules: nothing would ever be found"}}
	}
	out.Hash = hashRules(out.Rules)
	return out, nil
}

type parser struct {
	file     string
	readFile func(string) ([]byte, error)
	problems Errors
	ids      map[string]int
}

func (ps *parser) errf(line int, format string, args ...any) {
	ps.problems = append(ps.problems, Problem{File: ps.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// rule reads one rule node, reporting every problem in it; nil when invalid.
func (ps *parser) rule(n *yaml.Node) *Rule {
	before := len(ps.problems)
	if n.Kind != yaml.MappingNode {
		ps.errf(n.Line, "a rule must be a mapping (id, severity, terms …)")
		return nil
	}
	r := &Rule{File: ps.file, Line: n.Line, WordCheck: true}
	var sevSet bool
	var hashedKey string // key id a terms_hashed file was made with
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch k.Value {
		case "id":
			r.ID = ps.str(v, "id")
		case "title":
			r.Title = ps.str(v, "title")
		case "description":
			r.Description = ps.str(v, "description")
		case "severity":
			s, err := ParseSeverity(ps.str(v, "severity"))
			if err != nil {
				ps.errf(v.Line, "%v", err)
			}
			r.Severity, sevSet = s, true
		case "terms":
			for _, t := range ps.list(v, "terms") {
				if strings.TrimSpace(t.Value) == "" {
					ps.errf(t.Line, "empty term")
					continue
				}
				r.Terms = append(r.Terms, ps.term(t.Line, t.Value))
			}
		case "terms_file":
			r.Terms = append(r.Terms, ps.termsFile(v)...)
		case "regexes":
			for _, x := range ps.list(v, "regexes") {
				if ps.regex(x) {
					r.Regexes = append(r.Regexes, x.Value)
				}
			}
		case "detector":
			r.Detector = ps.str(v, "detector")
			if _, ok := Detectors[r.Detector]; !ok {
				ps.errf(v.Line, "unknown detector %q (known: %s)", r.Detector, strings.Join(detectorNames(), ", "))
			}
		case "hashes":
			r.Hashes = ps.hashesFile(v)
		case "near":
			r.Near = ps.near(v)
		case "exclude":
			r.Exclude = ps.strs(v, "exclude")
		case "word_check":
			if v.Kind != yaml.ScalarNode || (v.Value != "true" && v.Value != "false") {
				ps.errf(v.Line, "word_check must be true or false")
			}
			r.WordCheck = v.Value == "true"
		case "index":
			r.Index = ps.path(ps.str(v, "index"))
		case "min_chars":
			n, err := strconv.Atoi(ps.str(v, "min_chars"))
			if err != nil || n < 1 || n > maxMinChars {
				ps.errf(v.Line, "min_chars must be a whole number from 1 to %d", maxMinChars)
			}
			r.MinChars = n
		case "terms_hashed":
			r.Hashed, hashedKey = ps.hashedFile(v)
		case "key_file":
			if data := ps.readNamed(v, "key_file"); data != nil {
				key, err := ParseKey(data)
				if err != nil {
					ps.errf(v.Line, "key_file: %v", err)
				}
				r.HashKey = key
			}
		case "examples":
			r.Examples = ps.strs(v, "examples")
		case "counterexamples":
			r.Counterexamples = ps.strs(v, "counterexamples")
		default:
			ps.errf(k.Line, "unknown key %q in rule (expected one of: %s)", k.Value, strings.Join(ruleKeys, ", "))
		}
	}
	switch {
	case r.ID == "":
		ps.errf(n.Line, "rule has no id")
	case !idPattern.MatchString(r.ID):
		ps.errf(n.Line, "rule id %q: use lower-case letters, digits, '.', '_' and '-'", r.ID)
	default:
		if ps.ids == nil {
			ps.ids = map[string]int{}
		}
		if l, dup := ps.ids[r.ID]; dup {
			ps.errf(n.Line, "rule id %q is already defined at line %d", r.ID, l)
		}
		ps.ids[r.ID] = n.Line
	}
	if !sevSet {
		ps.errf(n.Line, "rule %q has no severity (high, medium or low)", r.ID)
	}
	ps.checkEvidence(r, n.Line)
	ps.checkSources(n.Line, r, hashedKey)
	if len(r.Terms) == 0 && len(r.Regexes) == 0 && r.Detector == "" && len(r.Hashed) == 0 && len(ps.problems) == before {
		ps.errf(n.Line, "rule %q finds nothing: give terms, terms_file, terms_hashed, regexes or detector", r.ID)
	}
	if len(ps.problems) > before {
		return nil
	}
	return r
}

func detectorNames() []string {
	var names []string
	for n := range Detectors {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (ps *parser) str(v *yaml.Node, key string) string {
	if v.Kind != yaml.ScalarNode {
		ps.errf(v.Line, "%s must be a single value", key)
		return ""
	}
	return v.Value
}

func (ps *parser) list(v *yaml.Node, key string) []*yaml.Node {
	if v.Kind != yaml.SequenceNode {
		ps.errf(v.Line, "%s must be a list", key)
		return nil
	}
	var out []*yaml.Node
	for _, x := range v.Content {
		if x.Kind != yaml.ScalarNode {
			ps.errf(x.Line, "each entry of %s must be a single value", key)
			continue
		}
		out = append(out, x)
	}
	return out
}

func (ps *parser) strs(v *yaml.Node, key string) []string {
	var out []string
	for _, x := range ps.list(v, key) {
		if strings.TrimSpace(x.Value) == "" {
			ps.errf(x.Line, "empty entry in %s", key)
			continue
		}
		out = append(out, x.Value)
	}
	return out
}

// term checks one literal term.
func (ps *parser) term(line int, t string) string {
	t = strings.TrimSpace(t)
	if n := len([]rune(t)); n > maxTermRunes {
		ps.errf(line, "term is %d characters long, over the limit of %d", n, maxTermRunes)
	}
	return t
}

// termsFile reads a terms file: one term a line, '#' starts a comment line.
func (ps *parser) termsFile(v *yaml.Node) []string {
	name := ps.str(v, "terms_file")
	if name == "" {
		return nil
	}
	data, err := ps.readFile(name)
	if err != nil {
		ps.errf(v.Line, "terms_file %q: %s", name, unwrap(err))
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var terms []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		t := strings.TrimSpace(sc.Text())
		if t == "" || strings.HasPrefix(t, "#") {
			continue
		}
		if n := len([]rune(t)); n > maxTermRunes {
			ps.problems = append(ps.problems, Problem{File: name, Line: ln, Msg: fmt.Sprintf("term is %d characters long, over the limit of %d", n, maxTermRunes)})
			continue
		}
		terms = append(terms, t)
	}
	if err := sc.Err(); err != nil {
		ps.errf(v.Line, "terms_file %q: %v", name, err)
	}
	if len(terms) == 0 && err == nil {
		ps.errf(v.Line, "terms_file %q has no terms", name)
	}
	return terms
}

// maxMinChars bounds min_chars: a passage longer than match.Reach could not
// be seen whole anyway.
const maxMinChars = 10000

// path resolves a file named in the policy against the policy file's folder.
func (ps *parser) path(name string) string {
	if name == "" || filepath.IsAbs(name) || strings.HasPrefix(ps.file, "default:") {
		return name
	}
	return filepath.Join(filepath.Dir(ps.file), name)
}

// readNamed reads the file v names, reporting a problem and returning nil
// when it cannot.
func (ps *parser) readNamed(v *yaml.Node, key string) []byte {
	name := ps.str(v, key)
	if name == "" {
		return nil
	}
	data, err := ps.readFile(name)
	if err != nil {
		ps.errf(v.Line, "%s %q: %s", key, name, unwrap(err))
		return nil
	}
	return data
}

// checkSources checks that the fields of a fingerprint rule and of hashed
// terms come together: index with the fingerprint detector, min_chars only
// there, terms_hashed with the key_file it was made with.
func (ps *parser) checkSources(line int, r *Rule, hashedKey string) {
	if r.Detector == "fingerprint" {
		if r.Index == "" {
			ps.errf(line, "rule %q: the fingerprint detector needs index: FILE (made by baomi fingerprint build)", r.ID)
		}
		if r.MinChars == 0 {
			r.MinChars = DefaultMinChars
		}
	} else if r.Index != "" || r.MinChars != 0 {
		ps.errf(line, "rule %q: index and min_chars belong to a rule with detector: fingerprint", r.ID)
	}
	switch {
	case (hashedKey != "") != (r.HashKey != nil):
		ps.errf(line, "rule %q: terms_hashed and key_file go together", r.ID)
	case hashedKey != "" && hashedKey != KeyID(r.HashKey):
		ps.errf(line, "rule %q: terms_hashed was made with another key than key_file", r.ID)
	}
}

// DefaultMinChars is the shortest shared passage a fingerprint rule counts
// when it does not say: shorter ones are too often formulae.
const DefaultMinChars = 50

// hashedHeader starts a terms_hashed file.
const hashedHeader = "# baomi terms_hashed 1"

// hashedFile reads a terms_hashed file (see WriteHashed) and returns its
// terms and the id of the key they were made with.
func (ps *parser) hashedFile(v *yaml.Node) ([]HashedTerm, string) {
	data := ps.readNamed(v, "terms_hashed")
	if data == nil {
		return nil, ""
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) < 2 || strings.TrimSpace(lines[0]) != hashedHeader || !strings.HasPrefix(lines[1], "key-id: ") {
		ps.errf(v.Line, "terms_hashed: not a file made by baomi policy hash")
		return nil, ""
	}
	var terms []HashedTerm
	for i, l := range lines[2:] {
		var t HashedTerm
		if _, err := fmt.Sscanf(strings.TrimSpace(l), "%d %s", &t.Len, &t.Sum); err != nil || t.Len < 1 || t.Len > maxTermRunes || !hexSum.MatchString(t.Sum) {
			ps.errf(v.Line, "terms_hashed: line %d is not LENGTH HASH", i+3)
			return nil, ""
		}
		terms = append(terms, t)
	}
	if len(terms) == 0 {
		ps.errf(v.Line, "terms_hashed has no terms")
	}
	return terms, strings.TrimSpace(strings.TrimPrefix(lines[1], "key-id: "))
}

var hexSum = regexp.MustCompile(`^[0-9a-f]{16}$`)

// WriteHashed writes a terms_hashed file: a header, the id of the key, then
// one term a line as its length in characters and its keyed hash, sorted so
// that the order of the terms list is not kept either.
func WriteHashed(w io.Writer, key []byte, terms []HashedTerm) error {
	lines := make([]string, len(terms))
	for i, t := range terms {
		lines[i] = fmt.Sprintf("%d %s", t.Len, t.Sum)
	}
	sort.Strings(lines)
	lines = slices.Compact(lines)
	_, err := fmt.Fprintf(w, "%s\nkey-id: %s\n%s\n", hashedHeader, KeyID(key), strings.Join(lines, "\n"))
	return err
}

// ParseKey reads a key file: its bytes, surrounding whitespace trimmed; at
// least 16 of them, so that the hashes cannot be reversed by trying keys.
func ParseKey(data []byte) ([]byte, error) {
	key := bytes.TrimSpace(data)
	if len(key) < 16 {
		return nil, fmt.Errorf("the key is %d bytes long: at least 16 (e.g. head -c 32 /dev/urandom | base64)", len(key))
	}
	return key, nil
}

// KeyID names a key without revealing it, so that hashes made with one key
// are not used with another.
func KeyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("baomi key id"))
	return hex.EncodeToString(m.Sum(nil)[:8])
}

// regex checks that x compiles, is not too long and cannot match nothing.
func (ps *parser) regex(x *yaml.Node) bool {
	if len(x.Value) > maxRegexLen {
		ps.errf(x.Line, "regex is %d bytes long, over the limit of %d", len(x.Value), maxRegexLen)
		return false
	}
	re, err := regexp.Compile(x.Value)
	if err != nil {
		ps.errf(x.Line, "bad regex %q: %v", x.Value, errMsg(err))
		return false
	}
	if re.MatchString("") {
		ps.errf(x.Line, "regex %q matches the empty string: it would match everywhere", x.Value)
		return false
	}
	return true
}

func errMsg(err error) string {
	if se, ok := err.(*syntax.Error); ok {
		return string(se.Code) + ": " + se.Expr
	}
	return err.Error()
}

// yamlErrLine pulls the line number out of a yaml.v3 error ("yaml: line 3: …").
func yamlErrLine(err error) int {
	var line int
	s := err.Error()
	if i := strings.Index(s, "line "); i >= 0 {
		fmt.Sscanf(s[i+5:], "%d", &line)
	}
	return line
}

func yamlErrMsg(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(s, ": "); strings.HasPrefix(s, "line ") && i >= 0 {
		return s[i+2:]
	}
	return s
}
