package policies

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const (
	sha = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	sm3 = "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
)

func TestEvidenceErrors(t *testing.T) {
	files := map[string]string{
		"bad.txt":   "# known files\nsha256:" + sha + " 方案\nmd5:abcd\nsha256:12ab\nsm3:" + strings.Repeat("g", 64) + "\n",
		"empty.txt": "# nothing\n\n",
		"good.txt":  "sm3:" + sm3 + "\n",
	}
	read := func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	}
	tests := []struct {
		name, yaml string
		want       []string
	}{
		{"bad hash lines", "version: 1\nrules:\n  - {id: a, severity: high, detector: file-hash, hashes: bad.txt}\n",
			[]string{"bad.txt:3: expected sha256:HEX or sm3:HEX", "bad.txt:4: the sha256 digest must be 64 hexadecimal digits", "bad.txt:5: the sm3 digest"}},
		{"no digests", "version: 1\nrules:\n  - {id: a, severity: high, detector: file-hash, hashes: empty.txt}\n", []string{`p.yaml:3: hashes "empty.txt" has no digests`}},
		{"missing list", "version: 1\nrules:\n  - {id: a, severity: high, detector: file-hash, hashes: nope.txt}\n", []string{`p.yaml:3: hashes "nope.txt"`}},
		{"file-hash without hashes", "version: 1\nrules:\n  - {id: a, severity: high, detector: file-hash}\n", []string{"p.yaml:3: rule \"a\": detector file-hash needs hashes"}},
		{"hashes without file-hash", "version: 1\nrules:\n  - {id: a, severity: high, terms: [x], hashes: good.txt}\n", []string{"hashes is only for detector file-hash"}},
		{"file-hash with terms", "version: 1\nrules:\n  - {id: a, severity: high, detector: file-hash, hashes: good.txt, terms: [x]}\n", []string{"takes no terms"}},
		{"near not a mapping", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], near: [y]}\n", []string{"p.yaml:3: near must be a mapping"}},
		{"near within too far", "version: 1\nrules:\n  - id: a\n    severity: low\n    terms: [x]\n    near: {terms: [y], within: 1001}\n", []string{"p.yaml:6: within must be a whole number of characters from 1 to 1000"}},
		{"near within not a number", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], near: {terms: [y], within: ten}}\n", []string{"p.yaml:3: within must be"}},
		{"near without terms", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], near: {within: 5}}\n", []string{"p.yaml:3: near has no terms"}},
		{"near without within", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], near: {terms: [y]}}\n", []string{"p.yaml:3: near has no within"}},
		{"near unknown key", "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], near: {terms: [y], within: 3, before: 2}}\n", []string{`unknown key "before" in near`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse("p.yaml", []byte(tc.yaml), read)
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

func TestEvidenceRule(t *testing.T) {
	dir := t.TempDir()
	list := "\ufeff# files known to be classified\n\nsha256:" + strings.ToUpper(sha) + "\t某方案 定稿\n  sm3:" + sm3 + "\n"
	if err := os.WriteFile(filepath.Join(dir, "known.txt"), []byte(list), 0o600); err != nil {
		t.Fatal(err)
	}
	y := `version: 1
rules:
  - {id: known, severity: high, detector: file-hash, hashes: known.txt}
  - id: project
    severity: medium
    terms: [青龙]
    near: {terms: [项目, 工程], within: 50}
`
	path := filepath.Join(dir, "p.yaml")
	if err := os.WriteFile(path, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := LoadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := []KnownFile{{Algo: "sha256", Sum: sha, Label: "某方案 定稿"}, {Algo: "sm3", Sum: sm3}}
	if got := p.Rule("known").Hashes; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("hashes = %+v, want %+v", got, want)
	}
	if n := p.Rule("project").Near; n == nil || n.Within != 50 || strings.Join(n.Terms, ",") != "项目,工程" {
		t.Errorf("near = %+v", n)
	}
	// What a rule finds is part of the policy hash.
	p2, err := Parse("p.yaml", []byte(strings.Replace(y, "within: 50", "within: 51", 1)), func(string) ([]byte, error) { return []byte(list), nil })
	if err != nil {
		t.Fatal(err)
	}
	if p.Hash == p2.Hash {
		t.Error("changing within left the policy hash alone")
	}
}
