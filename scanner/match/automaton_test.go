package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

type hit struct{ pattern, start, end int }

func findAll(a *Automaton, text string) []hit {
	var got []hit
	a.Find(text, func(p, s, e int) { got = append(got, hit{p, s, e}) })
	return got
}

// naiveFind is the oracle: every occurrence of every pattern, by
// strings.Index from each byte.
func naiveFind(patterns []string, text string) []hit {
	var want []hit
	for p, pat := range patterns {
		if pat == "" {
			continue
		}
		for i := 0; i <= len(text)-len(pat); i++ {
			if strings.HasPrefix(text[i:], pat) {
				want = append(want, hit{p, i, i + len(pat)})
			}
		}
	}
	return want
}

func sortHits(h []hit) {
	slices.SortFunc(h, func(x, y hit) int {
		if x.end != y.end {
			return x.end - y.end
		}
		if x.start != y.start {
			return x.start - y.start
		}
		return x.pattern - y.pattern
	})
}

func TestAutomatonCases(t *testing.T) {
	tests := []struct {
		name     string
		patterns []string
		text     string
		want     []hit
	}{
		{"overlapping nested", []string{"机密", "机密文件"}, "这是机密文件", []hit{{0, 6, 12}, {1, 6, 18}}},
		{"suffix", []string{"密文件", "机密文件"}, "机密文件", []hit{{1, 0, 12}, {0, 3, 12}}},
		{"repeated", []string{"aa"}, "aaaa", []hit{{0, 0, 2}, {0, 1, 3}, {0, 2, 4}}},
		{"duplicate pattern", []string{"密", "密"}, "绝密", []hit{{0, 3, 6}, {1, 3, 6}}},
		{"empty pattern ignored", []string{"", "b"}, "abc", []hit{{1, 1, 2}}},
		{"no patterns", nil, "abc", nil},
		{"empty text", []string{"a"}, "", nil},
		{"all bytes", []string{"\x00\xff", "\x80"}, "\x00\xff\x80", []hit{{0, 0, 2}, {1, 2, 3}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := findAll(NewAutomaton(tt.patterns), tt.text)
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAutomatonMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabets := [][]string{
		{"a", "b", "c"},
		{"机", "密", "文", "件", "a"},
		{"\x00", "\xff", "\xe6", "\x9c", "密"},
	}
	for round := 0; round < 300; round++ {
		alpha := alphabets[round%len(alphabets)]
		word := func(n int) string {
			var b strings.Builder
			for range n {
				b.WriteString(alpha[rng.IntN(len(alpha))])
			}
			return b.String()
		}
		patterns := make([]string, 1+rng.IntN(12))
		for i := range patterns {
			patterns[i] = word(rng.IntN(5))
		}
		text := word(rng.IntN(80))
		got := findAll(NewAutomaton(patterns), text)
		want := naiveFind(patterns, text)
		sortHits(got)
		sortHits(want)
		if !slices.Equal(got, want) {
			t.Fatalf("patterns %q text %q:\ngot  %v\nwant %v", patterns, text, got, want)
		}
	}
}

// zipfHan returns a generator of Han characters over a vocabulary of
// common-looking ideographs with a Zipf-like frequency, like real text.
func zipfHan(rng *rand.Rand, vocab int) func() rune {
	chars := make([]rune, vocab)
	for i := range chars {
		chars[i] = rune(0x4e00 + rng.IntN(0x9fa5-0x4e00))
	}
	z := rand.NewZipf(rand.New(rand.NewPCG(rng.Uint64(), 7)), 1.1, 8, uint64(vocab-1))
	return func() rune { return chars[z.Uint64()] }
}

// benchText builds about size bytes of Chinese-like text: Han characters
// with punctuation, digits and line breaks sprinkled in.
func benchText(rng *rand.Rand, next func() rune, size int) string {
	var b strings.Builder
	b.Grow(size + 8)
	for b.Len() < size {
		switch x := rng.IntN(100); {
		case x < 5:
			b.WriteRune('，')
		case x < 7:
			b.WriteRune('。')
		case x < 8:
			b.WriteString("2024")
		case x < 9:
			b.WriteByte('\n')
		default:
			b.WriteRune(next())
		}
	}
	return b.String()
}

func randomTerms(rng *rand.Rand, next func() rune, n int) []string {
	terms := make([]string, n)
	for i := range terms {
		r := make([]rune, 2+rng.IntN(5))
		for j := range r {
			r[j] = next()
		}
		terms[i] = string(r)
	}
	return terms
}

func BenchmarkAutomaton(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	next := zipfHan(rng, 5000)
	text := benchText(rng, next, 4<<20)
	// Terms draw uniformly from the same vocabulary.
	vocab := make([]rune, 5000)
	for i := range vocab {
		vocab[i] = next()
	}
	uniform := func() rune { return vocab[rng.IntN(len(vocab))] }
	for _, n := range []int{10, 1000, 10000} {
		a := NewAutomaton(randomTerms(rng, uniform, n))
		b.Run(fmt.Sprintf("%dterms", n), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			matches := 0
			for b.Loop() {
				a.Find(text, func(int, int, int) { matches++ })
			}
			b.ReportMetric(float64(matches)/float64(b.N), "matches/op")
		})
	}
}

func BenchmarkNewAutomaton10000(b *testing.B) {
	rng := rand.New(rand.NewPCG(5, 6))
	terms := randomTerms(rng, zipfHan(rng, 5000), 10000)
	for b.Loop() {
		NewAutomaton(terms)
	}
}
