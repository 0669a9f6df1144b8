package match

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
)

const testKey = "k3y-for-tests-only-0123456789abcdef"

// hashedPolicy writes terms as a terms_hashed file under testKey and
// returns a policy rule using it, with the directory holding both.
func hashedPolicy(t testing.TB, terms ...string) (string, string) {
	t.Helper()
	dir := t.TempDir()
	var hs []policies.HashedTerm
	for _, term := range terms {
		h, err := HashTerm([]byte(testKey), term)
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	var buf bytes.Buffer
	if err := policies.WriteHashed(&buf, []byte(testKey), hs); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"codes.hashed": buf.Bytes(), "key": []byte(testKey + "\n")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	y := "version: 1\nrules:\n  - id: codes\n    severity: high\n    terms_hashed: codes.hashed\n    key_file: key\n"
	return y, dir
}

func TestHashedTerms(t *testing.T) {
	terms := []string{"天河工程", "北斗七号", "Project Nightjar", "蓝鲸-3"}
	y, dir := hashedPolicy(t, terms...)
	policy := filepath.Join(dir, "policy.yaml")
	if err := os.WriteFile(policy, []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	// The policy and the hashed file reveal no term, nor any part of one.
	for _, name := range []string{"policy.yaml", "codes.hashed"} {
		data, _ := os.ReadFile(filepath.Join(dir, name))
		for _, term := range terms {
			for _, part := range []string{term, strings.ToLower(term), string([]rune(term)[:2])} {
				if bytes.Contains(data, []byte(part)) {
					t.Errorf("%s holds %q", name, part)
				}
			}
		}
	}
	p, err := policies.LoadFile(policy)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		text string
		want []string // the document's own text of each hit
	}{
		{"项目代号天河工程已于三月启动。", []string{"天河工程"}},
		{"北 斗 七 號的試驗", []string{"北 斗 七 號"}}, // spaces, traditional
		{"see PROJECT  NIGHTJAR today", []string{"PROJECT  NIGHTJAR"}},
		{"蓝鲸－3型", []string{"蓝鲸－3"}},
		{"天河工", nil},
		{"天河工程师北斗七号", []string{"天河工程", "北斗七号"}}, // no word check
		{"", nil},
	}
	for _, c := range cases {
		hits, err := m.Match(c.text)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, h := range hits {
			got = append(got, c.text[h.Start:h.End])
		}
		if fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%q: hits %q, want %q", c.text, got, c.want)
		}
	}
}

func TestHashedTermsPolicyErrors(t *testing.T) {
	y, dir := hashedPolicy(t, "天河工程")
	write := func(name, data string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write("other.key", "another-key-of-enough-length-0000")
	write("short.key", "short")
	write("plain.txt", "天河工程\n")
	cases := map[string]struct{ yaml, want string }{
		"other key":     {strings.Replace(y, "key_file: key", "key_file: other.key", 1), "made with another key"},
		"short key":     {strings.Replace(y, "key_file: key", "key_file: short.key", 1), "at least 16"},
		"no key":        {strings.Replace(y, "    key_file: key\n", "", 1), "go together"},
		"plain terms":   {strings.Replace(y, "codes.hashed", "plain.txt", 1), "not a file made by baomi policy hash"},
		"index no det":  {y + "    index: x\n", "belong to a rule with detector: fingerprint"},
		"det no index":  {"version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n", "needs index"},
		"bad min_chars": {"version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n    index: x\n    min_chars: 0\n", "min_chars must be"},
	}
	for name, c := range cases {
		path := filepath.Join(dir, "p.yaml")
		write("p.yaml", c.yaml)
		_, err := policies.LoadFile(path)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", name, err, c.want)
		}
	}
	// An index that is not one is a policy error naming the rule.
	write("bad.index", "not an index")
	write("p.yaml", "version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n    index: bad.index\n")
	p, err := policies.LoadFile(filepath.Join(dir, "p.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(p); err == nil || !strings.Contains(err.Error(), `rule "fp": index: not a valid fingerprint index`) {
		t.Errorf("bad index: %v", err)
	}
}

// BenchmarkHashedTerms is the cost of hashed terms per byte of text with
// 10 and 10,000 terms of 2 to 6 Han characters: one hash per distinct
// length per position, whatever their number.
func BenchmarkHashedTerms(b *testing.B) {
	text := matchText(b, 1<<20)
	for _, n := range []int{10, 10000} {
		rng := rand.New(rand.NewPCG(uint64(n), 3))
		terms := make([]string, n)
		for i := range terms {
			r := make([]rune, 2+i%5)
			for j := range r {
				r[j] = rune(0x4e00 + rng.IntN(0x9fa5-0x4e00))
			}
			terms[i] = string(r)
		}
		y, dir := hashedPolicy(b, terms...)
		p, err := policies.Parse(filepath.Join(dir, "p.yaml"), []byte(y), func(name string) ([]byte, error) { return os.ReadFile(filepath.Join(dir, name)) })
		if err != nil {
			b.Fatal(err)
		}
		m, err := Compile(p)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dterms", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := m.Match(text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// The reference vector of the SipHash paper (appendix A): key 00…0f,
// message 00…0e.
func TestSipHashVector(t *testing.T) {
	m := make([]byte, 15)
	for i := range m {
		m[i] = byte(i)
	}
	if got := sipHash(0x0706050403020100, 0x0f0e0d0c0b0a0908, m); got != 0xa129ca6149be45e5 {
		t.Errorf("SipHash-2-4 = %#x, want 0xa129ca6149be45e5", got)
	}
}

// FuzzMatchDetectors: with hashed terms and a fingerprint rule, hits stay
// in bounds and in order, on character boundaries, and only passage hits
// carry a Passage.
func FuzzMatchDetectors(f *testing.F) {
	reg := hanText(1, 300)
	y, dir := hashedPolicy(f, "天河工程", "ab c", "蓝鲸-3")
	y += fmt.Sprintf("  - id: fp\n    severity: high\n    detector: fingerprint\n    index: %s\n", fpIndex(f, dir, [2]string{"甲", reg}))
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(y), 0o600); err != nil {
		f.Fatal(err)
	}
	p, err := policies.LoadFile(filepath.Join(dir, "p.yaml"))
	if err != nil {
		f.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("天河工程" + reg[30:600] + "AB  C")
	f.Add("\xff天河\u200b工程\x00" + reg[:90])
	f.Fuzz(func(t *testing.T, text string) {
		hits, err := m.Match(text)
		if err != nil {
			t.Fatal(err)
		}
		starts := charStarts(text)
		for i, h := range hits {
			if h.Start < 0 || h.Start >= h.End || h.End > len(text) || (i > 0 && h.Start < hits[i-1].Start) {
				t.Fatalf("hit %d (%s) at [%d,%d) in %d bytes", i, h.Rule.ID, h.Start, h.End, len(text))
			}
			if !starts[h.Start] || !starts[h.End] {
				t.Fatalf("hit %d (%s) at [%d,%d) splits a character of %q", i, h.Rule.ID, h.Start, h.End, text)
			}
			if (h.Passage != nil) != (h.Rule.ID == "fp") || h.Passage != nil && len(h.Passage.Hashes) == 0 {
				t.Fatalf("hit %d: rule %s, passage %+v", i, h.Rule.ID, h.Passage)
			}
		}
	})
}
