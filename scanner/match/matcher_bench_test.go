package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
)

// extraPolicy returns the default policy merged with a rule of n office
// terms of 2 to 6 Han characters drawn uniformly from the whole CJK block,
// as lists of project names and code words are: they rarely occur in a
// text, which is what the automaton's cost should not depend on.
func extraPolicy(b *testing.B, n int) *policies.Policy {
	def, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	if n == 0 {
		return def
	}
	rng := rand.New(rand.NewPCG(uint64(n), 9))
	var y strings.Builder
	y.WriteString("version: 1\nrules:\n  - id: office.terms\n    severity: medium\n    word_check: false\n    terms:\n")
	for range n {
		r := make([]rune, 2+rng.IntN(5))
		for j := range r {
			r[j] = rune(0x4e00 + rng.IntN(0x9fa5-0x4e00))
		}
		fmt.Fprintf(&y, "      - %s\n", string(r))
	}
	extra, err := policies.Parse("extra.yaml", []byte(y.String()), nil)
	if err != nil {
		b.Fatal(err)
	}
	p, err := policies.Merge(def, extra)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// matchText returns about size bytes of Chinese text: Zipf-distributed Han
// characters with punctuation, and every 16 KiB or so a paragraph of the
// sample documents (samples/src), which carry markings, labels and traps
// such as 有机密封 and 保守国家秘密: a few hits per page of a flagged document.
func matchText(b *testing.B, size int) string {
	files, _ := filepath.Glob(filepath.Join("..", "..", "samples", "src", "*.fodt"))
	para := regexp.MustCompile(`(?s)<text:p[^>]*>(.*?)</text:p>`)
	tag := regexp.MustCompile(`<[^>]+>`)
	var paras []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		for _, m := range para.FindAllStringSubmatch(string(data), -1) {
			if p := tag.ReplaceAllString(m[1], ""); len(p) > 20 {
				paras = append(paras, p)
			}
		}
	}
	if len(paras) == 0 {
		b.Skip("samples/src has no paragraphs")
	}
	rng := rand.New(rand.NewPCG(11, 12))
	next := zipfHan(rng, 5000)
	var t strings.Builder
	for t.Len() < size {
		t.WriteString(benchText(rng, next, 16<<10))
		t.WriteString(paras[rng.IntN(len(paras))])
	}
	return t.String()
}

// BenchmarkCompile compiles the default policy with 0 to 10,000 extra terms.
func BenchmarkCompile(b *testing.B) {
	for _, n := range []int{0, 10, 1000, 10000} {
		p := extraPolicy(b, n)
		b.Run(fmt.Sprintf("%dextra", n), func(b *testing.B) {
			for b.Loop() {
				if _, err := Compile(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkMatch matches 4 MB of text against the default policy with 10 to
// 10,000 extra terms: normalization, automaton, regexes, marking detector
// and the word check of the candidate hits.
func BenchmarkMatch(b *testing.B) {
	text := matchText(b, 4<<20)
	for _, n := range []int{10, 1000, 10000} {
		m, err := Compile(extraPolicy(b, n))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := m.Match(text); err != nil { // load the dictionary outside the timing
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("%dextra", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			hits := 0
			for b.Loop() {
				h, err := m.Match(text)
				if err != nil {
					b.Fatal(err)
				}
				hits = len(h)
			}
			b.ReportMetric(float64(hits), "hits/op")
		})
	}
}
