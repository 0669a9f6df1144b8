package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/internal/cputime"
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

// checkAutomaton fails t unless the automaton for patterns reports its
// occurrences in text in Find's order (by end, longer first) and exactly the
// ones naiveFind does.
func checkAutomaton(t testing.TB, patterns []string, text string) {
	t.Helper()
	got := findAll(NewAutomaton(patterns), text)
	for i := 1; i < len(got); i++ {
		if p, h := got[i-1], got[i]; p.end > h.end || p.end == h.end && p.start > h.start {
			t.Fatalf("order: %v before %v", p, h)
		}
	}
	want := naiveFind(patterns, text)
	sortHits(got)
	sortHits(want)
	if !slices.Equal(got, want) {
		if len(text) > 200 {
			t.Fatalf("%d patterns, %d bytes of text: %d hits, want %d", len(patterns), len(text), len(got), len(want))
		}
		t.Fatalf("patterns %q text %q:\ngot  %v\nwant %v", patterns, text, got, want)
	}
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
		checkAutomaton(t, patterns, word(rng.IntN(80)))
	}
}

// TestAutomatonLargeMatchesNaive checks texts longer than a batch of the
// prefilter and pattern sets that choose each path: only long patterns
// (batched scan), some short ones beside long ones (DFA and prefilter in
// one pass), many short ones (width raised), and long shared prefixes.
func TestAutomatonLargeMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	alpha := []string{"机", "密", "文", "件", "a", "b", "\xe6"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alpha[rng.IntN(len(alpha))])
		}
		return b.String()
	}
	tests := []struct {
		name            string
		count, min, max int // patterns and their length range, in letters
	}{
		{"long only", 300, 3, 6},
		{"few short", 200, 1, 6},
		{"many short", 400, 1, 3},
		{"long shared prefixes", 100, 6, 12},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			patterns := make([]string, tt.count)
			for i := range patterns {
				patterns[i] = word(tt.min + rng.IntN(tt.max-tt.min+1))
			}
			for _, text := range []string{word(3000), strings.Repeat(patterns[0], 300) + word(10)} {
				checkAutomaton(t, patterns, text)
			}
		})
	}
}

func TestChooseWidth(t *testing.T) {
	many := func(n int, p string) []string { return slices.Repeat([]string{p}, n) }
	tests := []struct {
		name     string
		patterns []string
		want     int
	}{
		{"two Han characters", []string{"机密", "内部资料"}, 6},
		{"one Han character", []string{"密", "机密"}, 3},
		{"long words", []string{"confidential", "classified"}, 8},
		{"one short among long", append(many(10, "机密文件"), "a"), 6},
		{"many one-byte patterns", append(many(100, "a"), "机密"), 1},
		{"empty ignored", []string{"", "机密"}, 6},
	}
	for _, tt := range tests {
		if got := chooseWidth(tt.patterns); got != tt.want {
			t.Errorf("%s: chooseWidth = %d, want %d", tt.name, got, tt.want)
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

// BenchmarkAutomatonRare is BenchmarkAutomaton with terms drawn uniformly
// from the whole CJK block, so that they rarely occur in the text, as an
// office's lists of project names and code words rarely do: the cost of the
// scan itself, without the cost of thousands of matches.
func BenchmarkAutomatonRare(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	text := benchText(rng, zipfHan(rng, 5000), 4<<20)
	uniform := func() rune { return rune(0x4e00 + rng.IntN(0x9fa5-0x4e00)) }
	for _, n := range []int{10, 1000, 10000} {
		a := NewAutomaton(randomTerms(rng, uniform, n))
		b.Run(fmt.Sprintf("%dterms", n), func(b *testing.B) {
			matches := 0
			cputime.PerByte(b, len(text), func() { a.Find(text, func(int, int, int) { matches++ }) })
			b.ReportMetric(float64(matches)/float64(b.N), "matches/op")
		})
	}
}
