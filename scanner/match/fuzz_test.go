package match

import (
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
)

// Fuzz targets for normalization, the automaton and the matcher: all three
// run on text taken from untrusted documents.

// normalizeSeeds are inputs that exercise each rule of Normalize.
var normalizeSeeds = []string{
	"", "机密★5年", "機密文件", "机 密\n★ 5 年", "机\u200b密", "机密★５年", "ＡＢＣ", "GB/T 9704",
	"1 2", "机密， 注意", "“机密” 文件", "cafe\u0301", "\xff机", "\uf900", "㍿", "ﬁ", "İ", "e\u0301\u0323",
	"a" + strings.Repeat("\u0301", 40), "\u3000\t机\r\n", "\xe6\x9c", "內部資料，注意保存",
}

// FuzzNormalize checks the offset map and what Normalize promises: valid
// UTF-8 out; every character of the output maps to a non-empty span of the
// input, in order, on character boundaries; a span maps to the spans of
// its halves joined; and the input span of any piece of the output
// normalizes to something holding that piece.
func FuzzNormalize(f *testing.F) {
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		n := Normalize(in)
		starts := charStarts(in)
		boundary := func(i int) bool { return i >= 0 && i <= len(in) && starts[i] }
		if !utf8.ValidString(n.Text) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", in, n.Text)
		}
		checkSpans(t, in, n)
		var bounds []int // rune boundaries of n.Text, both ends included
		for i := range n.Text {
			bounds = append(bounds, i)
		}
		bounds = append(bounds, len(n.Text))
		for k, i := range bounds {
			if a, b := n.Span(i, i); a != b || !boundary(a) {
				t.Fatalf("%q: empty span at %d maps to [%d,%d)", in, i, a, b)
			}
			if k+1 == len(bounds) {
				break
			}
			j := bounds[k+1]
			a, b := n.Span(i, j)
			if !boundary(a) || !boundary(b) {
				t.Fatalf("%q: %q at %d maps to [%d,%d), not on character boundaries", in, n.Text[i:j], i, a, b)
			}
			if k+2 < len(bounds) {
				l := bounds[k+2]
				a2, b2 := n.Span(i, l)
				if _, e := n.Span(j, l); a2 != a || b2 != e {
					t.Fatalf("%q: Span(%d,%d) = [%d,%d), halves give [%d,%d)", in, i, l, a2, b2, a, e)
				}
			}
			// A piece that does not start or end with a space (those hang
			// on neighbours outside it) comes from input that normalizes
			// to text holding it.
			for _, l := range []int{j, bounds[min(k+3, len(bounds)-1)]} {
				piece := n.Text[i:l]
				if piece == "" || piece[0] == ' ' || piece[len(piece)-1] == ' ' {
					continue
				}
				a, b := n.Span(i, l)
				if got := Normalize(in[a:b]).Text; !strings.Contains(got, piece) {
					t.Fatalf("%q: %q at %d maps to %q, which normalizes to %q", in, piece, i, in[a:b], got)
				}
			}
		}
		// Normalizing twice changes nothing, except around combining marks:
		// a character dropped between a base and its mark ("a\x00\u0323")
		// keeps them from composing until the second pass. Known, and
		// harmless for Chinese terms; TestNormalizeDroppedBeforeMark.
		if again := Normalize(n.Text).Text; again != n.Text && !strings.ContainsFunc(n.Text, unicode.IsMark) {
			t.Fatalf("not idempotent: %q → %q → %q", in, n.Text, again)
		}
	})
}

// charStarts marks the character boundaries of s, both ends included,
// counting each invalid byte as a character, as Normalize does.
func charStarts(s string) []bool {
	b := make([]bool, len(s)+1)
	for i := 0; i < len(s); {
		b[i] = true
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	b[len(s)] = true
	return b
}

// fuzzMatcher compiles the embedded default policy once per process.
var fuzzMatcher = sync.OnceValues(func() (*Matcher, error) {
	p, err := policies.Default()
	if err != nil {
		return nil, err
	}
	return Compile(p)
})

// FuzzMatch matches arbitrary text against the default policy, as typed
// text and as text read by OCR: hits lie inside the text on character
// boundaries, are non-empty, ordered, name a rule of the policy, and the
// text of a hit in typed text (what a report shows) is found again by the
// same rule when matched alone, unless its severity came from its context
// (a weak marking form such as a property value, or a hit the context
// scoring moved).
func FuzzMatch(f *testing.F) {
	m, err := fuzzMatcher()
	if err != nil {
		f.Fatalf("default policy: %v", err)
	}
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	for _, r := range m.Policy().Rules {
		for _, s := range slices.Concat(r.Examples, r.Counterexamples) {
			f.Add(s)
		}
	}
	f.Add("本文件 内部\u200b资料，注意 保存。绝密★启用前 手机密码 秘密★ 长期")
	f.Add("你守国家秘密是每个公民的义务，员守国家秘密\n商止秘密")
	f.Fuzz(func(t *testing.T, text string) {
		picture, err := m.MatchPicture(text)
		if err != nil {
			t.Fatalf("MatchPicture: %v", err)
		}
		checkHits(t, m, text, picture)
		hits, err := m.Match(text)
		if err != nil {
			t.Fatalf("Match: %v", err)
		}
		checkHits(t, m, text, hits)
		for i, h := range hits {
			if h.Rule.Near != nil || h.Severity != h.Rule.Severity {
				continue // its evidence, or the context that scored it, lies outside the hit
			}
			again, err := m.Match(text[h.Start:h.End])
			if err != nil {
				t.Fatalf("Match: %v", err)
			}
			found := false
			for _, g := range again {
				found = found || g.Rule == h.Rule
			}
			if !found {
				t.Fatalf("hit %d (%s) %q not found again alone: %v", i, h.Rule.ID, text[h.Start:h.End], again)
			}
		}
	})
}

// checkHits checks that hits lie inside text on character boundaries, are
// non-empty, ordered and name a rule of m's policy.
func checkHits(t *testing.T, m *Matcher, text string, hits []Hit) {
	t.Helper()
	starts := charStarts(text)
	for i, h := range hits {
		if h.Rule == nil || m.Policy().Rule(h.Rule.ID) != h.Rule {
			t.Fatalf("hit %d has a rule not in the policy: %+v", i, h.Rule)
		}
		if h.Start < 0 || h.Start >= h.End || h.End > len(text) {
			t.Fatalf("hit %d (%s) at [%d,%d) in %d bytes", i, h.Rule.ID, h.Start, h.End, len(text))
		}
		if !starts[h.Start] || !starts[h.End] {
			t.Fatalf("hit %d (%s) at [%d,%d) cuts a character of %q", i, h.Rule.ID, h.Start, h.End, text)
		}
		if i > 0 && hits[i-1].Start > h.Start {
			t.Fatalf("hits out of order: [%d,%d) then [%d,%d)", hits[i-1].Start, hits[i-1].End, h.Start, h.End)
		}
	}
}

// FuzzAutomaton checks the automaton against strings.Index-style search:
// pats holds up to 32 patterns separated by newlines.
func FuzzAutomaton(f *testing.F) {
	f.Add("机密\n密\n机密文件", "这是机密文件")
	f.Add("a\nab\nbab\nbc\nbca\nc\ncaa", "abccab")
	f.Add("\x00\xff\n\x80\n", "\x00\xff\x80")
	f.Add("he\nshe\nhis\nhers\nhe", "ushers")
	f.Fuzz(func(t *testing.T, pats, text string) {
		patterns := strings.Split(pats, "\n")
		checkAutomaton(t, patterns[:min(len(patterns), 32)], text)
	})
}

// FuzzMarking checks that the marking detector, which reads the original
// text around what it finds in normalized text, never panics and reports
// markings inside the text that do not overlap, each within Reach.
func FuzzMarking(f *testing.F) {
	f.Add("机密★5年 秘密★长期")
	f.Add("密级：机密★10年，绝密★2030年前解密")
	f.Add("密密级机密★★秘密 ★ 十五年")
	f.Add("秘密★考试结束后解密，机密*３个月")
	f.Add("\u202e年1★密机\u202c\nTOP SECRET\nSecurityLevel: 机密\n【机密】 ★绝密")
	f.Fuzz(func(t *testing.T, text string) { checkMarkings(t, text) })
}

// TestNormalizeDroppedBeforeMark is what FuzzNormalize found: a character
// Normalize drops (a control or zero-width character) between a base and
// its combining mark must not keep the two from composing.
func TestNormalizeDroppedBeforeMark(t *testing.T) {
	for _, in := range []string{"a\x00\u0323", "a\u200b\u0323"} {
		if got, want := Normalize(in).Text, Normalize("a\u0323").Text; got != want {
			t.Errorf("Normalize(%+q) = %+q, want %+q", in, got, want)
		}
	}
}
