package policies

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// fuzzTerms stands in for the file system behind terms_file and hashes:
// "terms.txt" and "hashes.txt" exist.
func fuzzTerms(name string) ([]byte, error) {
	switch name {
	case "terms.txt":
		return []byte("# terms\n天河工程\n\n青龙计划\n"), nil
	case "hashes.txt":
		return []byte("# known\nsha256:" + strings.Repeat("ab", 32) + " 方案\nsm3:" + strings.Repeat("0", 64) + "\n"), nil
	}
	return nil, os.ErrNotExist
}

// FuzzParse parses arbitrary bytes as a policy file. Parse must not panic
// and must return either a policy or problems, never both; every problem
// names the file; every rule of a returned policy is complete and valid.
func FuzzParse(f *testing.F) {
	names, err := defaultFiles.ReadDir(".")
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range names {
		data, err := defaultFiles.ReadFile(n.Name())
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"version: 1\nrules: []\n",
		"version: 1\nrules:\n  - id: a\n    severity: high\n    terms: [机密]\n",
		"version: 1\nrules:\n  - id: a.b\n    severity: LOW\n    terms_file: terms.txt\n    exclude: [天河工程公开招标]\n    word_check: false\n",
		"version: 1\nrules:\n  - id: r\n    severity: medium\n    regexes: ['项目编号\\d{6}', 'a*']\n",
		"version: 1\nrules:\n  - &r {id: x, severity: high, detector: marking}\n  - *r\n",
		"version: 1\nrules:\n  - id: Bad\n    severity: urgent\n    terms: [' ', [x]]\n    colour: red\n",
		"a: &a [*a]\n",
		"version: 2\n---\nrules: {}\n",
		"version: 1\nrules:\n  - {id: k, severity: high, detector: file-hash, hashes: hashes.txt}\n  - {id: m, severity: low, detector: mobile, near: {terms: [姓名], within: 200}}\n",
		"version: 1\nrules:\n  - {id: k, severity: high, detector: file-hash, hashes: terms.txt, near: {within: 0}}\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse("fuzz.yaml", data, fuzzTerms)
		if (p == nil) == (err == nil) {
			t.Fatalf("policy %v and error %v: want exactly one", p, err)
		}
		if err != nil {
			var probs Errors
			if !errors.As(err, &probs) || len(probs) == 0 {
				t.Fatalf("error %T %q is not a list of problems", err, err)
			}
			for _, pr := range probs {
				if pr.File != "fuzz.yaml" && pr.File != "terms.txt" && pr.File != "hashes.txt" || pr.Msg == "" || pr.Line < 0 {
					t.Fatalf("problem %+v", pr)
				}
			}
			return
		}
		if p.Hash == "" || len(p.Sources) != 1 {
			t.Fatalf("policy without hash or source: %+v", p)
		}
		ids := map[string]bool{}
		for _, r := range p.Rules {
			checkFuzzedRule(t, r)
			if ids[r.ID] {
				t.Fatalf("rule id %q twice", r.ID)
			}
			ids[r.ID] = true
		}
	})
}

// checkFuzzedRule checks that a rule Parse accepted is one the rest of
// baomi can use.
func checkFuzzedRule(t *testing.T, r *Rule) {
	t.Helper()
	if !idPattern.MatchString(r.ID) {
		t.Fatalf("rule id %q", r.ID)
	}
	if r.Severity < Low || r.Severity > High {
		t.Fatalf("rule %q has severity %d", r.ID, r.Severity)
	}
	if len(r.Terms) == 0 && len(r.Regexes) == 0 && r.Detector == "" {
		t.Fatalf("rule %q finds nothing", r.ID)
	}
	if _, ok := Detectors[r.Detector]; r.Detector != "" && !ok {
		t.Fatalf("rule %q has detector %q", r.ID, r.Detector)
	}
	if (r.Detector == "file-hash") != (len(r.Hashes) > 0) {
		t.Fatalf("rule %q: detector %q with %d hashes", r.ID, r.Detector, len(r.Hashes))
	}
	if n := r.Near; n != nil && (len(n.Terms) == 0 || n.Within < 1 || n.Within > MaxWithin) {
		t.Fatalf("rule %q has near %+v", r.ID, n)
	}
	if r.File != "fuzz.yaml" || r.Line < 1 {
		t.Fatalf("rule %q defined at %s", r.ID, r.Pos())
	}
	for _, term := range r.Terms {
		if term == "" || term != strings.TrimSpace(term) || utf8.RuneCountInString(term) > maxTermRunes {
			t.Fatalf("rule %q has term %q", r.ID, term)
		}
	}
	for _, x := range r.Regexes {
		re, err := regexp.Compile(x)
		if err != nil || re.MatchString("") || len(x) > maxRegexLen {
			t.Fatalf("rule %q has regex %q (%v)", r.ID, x, err)
		}
	}
	for _, list := range [][]string{r.Exclude, r.Examples, r.Counterexamples} {
		for _, s := range list {
			if strings.TrimSpace(s) == "" {
				t.Fatalf("rule %q has an empty entry", r.ID)
			}
		}
	}
}
