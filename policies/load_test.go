package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func noFiles(string) ([]byte, error) { return nil, os.ErrNotExist }

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, yaml string
		want       []string // each must appear in the error, with its line
	}{
		{"malformed yaml", "version: 1\nrules:\n  - id: a\n   severity: [", []string{"p.yaml:2: invalid YAML"}},
		{"empty", "", []string{"p.yaml: empty policy"}},
		{"not a mapping", "- a\n- b\n", []string{"p.yaml:1: expected a mapping"}},
		{"unknown top key", "version: 1\nrulez: []\n", []string{`p.yaml:2: unknown key "rulez"`, "no rules"}},
		{"bad version", "version: 2\nrules:\n  - {id: a, severity: high, terms: [x]}\n", []string{`p.yaml:1: version "2" is not supported`}},
		{"unknown rule key", "version: 1\nrules:\n  - id: a\n    severity: high\n    term: [x]\n", []string{`p.yaml:5: unknown key "term" in rule`}},
		{"bad severity", "version: 1\nrules:\n  - id: a\n    severity: critical\n    terms: [x]\n", []string{`p.yaml:4: severity "critical" is not one of high, medium, low`}},
		{"no severity", "version: 1\nrules:\n  - id: a\n    terms: [x]\n", []string{`p.yaml:3: rule "a" has no severity`}},
		{"empty term", "version: 1\nrules:\n  - id: a\n    severity: low\n    terms: [x, \"\", \"  \"]\n", []string{"p.yaml:5: empty term"}},
		{"bad regex", "version: 1\nrules:\n  - id: a\n    severity: low\n    regexes: ['a(b']\n", []string{"p.yaml:5: bad regex"}},
		{"huge repeat", "version: 1\nrules:\n  - id: a\n    severity: low\n    regexes: ['(a{1000}){1000}']\n", []string{"p.yaml:5: bad regex"}},
		{"empty-matching regex", "version: 1\nrules:\n  - id: a\n    severity: low\n    regexes: ['x*']\n", []string{"p.yaml:5: regex \"x*\" matches the empty string"}},
		{"duplicate id", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x]}\n  - {id: a, severity: low, terms: [y]}\n", []string{`p.yaml:4: rule id "a" is already defined at line 3`}},
		{"bad id", "version: 1\nrules:\n  - {id: 'A B', severity: low, terms: [x]}\n", []string{`p.yaml:3: rule id "A B"`}},
		{"no id", "version: 1\nrules:\n  - {severity: low, terms: [x]}\n", []string{"p.yaml:3: rule has no id"}},
		{"finds nothing", "version: 1\nrules:\n  - {id: a, severity: low}\n", []string{`p.yaml:3: rule "a" finds nothing`}},
		{"unknown detector", "version: 1\nrules:\n  - {id: a, severity: low, detector: magic}\n", []string{`p.yaml:3: unknown detector "magic" (known: `}},
		{"word_check not bool", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], word_check: maybe}\n", []string{"p.yaml:3: word_check must be true or false"}},
		{"terms not a list", "version: 1\nrules:\n  - {id: a, severity: low, terms: x}\n", []string{"p.yaml:3: terms must be a list"}},
		{"missing terms file", "version: 1\nrules:\n  - {id: a, severity: low, terms_file: nope.txt}\n", []string{`p.yaml:3: terms_file "nope.txt"`}},
		{"rule not mapping", "version: 1\nrules:\n  - just text\n", []string{"p.yaml:3: a rule must be a mapping"}},
		{"all problems reported", "version: 1\nrules:\n  - {id: a, severity: bad, terms: [x]}\n  - {id: b, severity: low, regexes: ['(']}\n", []string{"p.yaml:3:", "p.yaml:4:"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte(tc.yaml), noFiles)
			if err == nil {
				t.Fatalf("want error, got policy with %d rules", len(p.Rules))
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}

func TestParseRule(t *testing.T) {
	y := `version: 1
rules:
  - id: office.project
    title: 项目代号
    severity: medium
    terms: [天河工程, " 青龙计划 "]
    terms_file: extra.txt
    regexes: ['项目编号\d{6}']
    exclude: [天河工程公开招标]
    word_check: false
    examples: [天河工程]
    counterexamples: [天河]
`
	read := func(name string) ([]byte, error) {
		if name != "extra.txt" {
			t.Fatalf("read %q", name)
		}
		return []byte("\ufeff# comment\n\n白虎计划\n  朱雀计划  \n"), nil
	}
	p, err := Parse("p.yaml", []byte(y), read)
	if err != nil {
		t.Fatal(err)
	}
	r := p.Rule("office.project")
	if r == nil || r.Severity != Medium || r.WordCheck || r.Line != 3 || r.Pos() != "p.yaml:3" {
		t.Fatalf("rule = %+v", r)
	}
	want := []string{"天河工程", "青龙计划", "白虎计划", "朱雀计划"}
	if strings.Join(r.Terms, ",") != strings.Join(want, ",") {
		t.Errorf("terms = %q, want %q", r.Terms, want)
	}
	if len(r.Regexes) != 1 || len(r.Exclude) != 1 || len(r.Examples) != 1 || len(r.Counterexamples) != 1 {
		t.Errorf("rule = %+v", r)
	}
	if p.Hash == "" {
		t.Error("no hash")
	}
}

func TestDefaultAndMerge(t *testing.T) {
	d, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"marking.classified", "label.internal", "label.work-secret", "term.secret"} {
		if d.Rule(id) == nil {
			t.Errorf("default policy lacks %s", id)
		}
	}
	if d.Rule("marking.classified").Severity != High {
		t.Error("markings must be high")
	}
	if s := d.Rule("term.secret").Severity; s > Medium {
		t.Errorf("bare mentions must be medium at most, got %v", s)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "office.yaml")
	os.WriteFile(path, []byte("version: 1\nrules:\n  - {id: term.secret, severity: low, terms: [x]}\n  - {id: office.x, severity: low, terms_file: t.txt}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "t.txt"), []byte("甲\n乙\n"), 0o644)
	p, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got := p.Rule("office.x").Terms; len(got) != 2 {
		t.Errorf("terms file relative to policy: %q", got)
	}
	_, err = Merge(d, p)
	if err == nil || !strings.Contains(err.Error(), path+`:3: rule id "term.secret" is already defined at default:default.yaml:`) {
		t.Errorf("merge duplicate: %v", err)
	}
	other, _ := Parse("o.yaml", []byte("version: 1\nrules:\n  - {id: o.y, severity: high, terms: [y]}\n"), noFiles)
	m, err := Merge(d, other)
	if err != nil || len(m.Rules) != len(d.Rules)+1 || m.Hash == d.Hash {
		t.Errorf("merge: %v", err)
	}
	if _, err := LoadFile(filepath.Join(dir, "missing.yaml")); err == nil || !strings.Contains(err.Error(), "cannot read policy") {
		t.Errorf("missing file: %v", err)
	}
}

func TestSeverity(t *testing.T) {
	for _, s := range []string{"high", "HIGH", " medium ", "low"} {
		if _, err := ParseSeverity(s); err != nil {
			t.Errorf("%q: %v", s, err)
		}
	}
	if Low >= Medium || Medium >= High {
		t.Error("severities must be ordered")
	}
}
