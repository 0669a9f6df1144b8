package match

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"traditional folded", "機密文件", "机密文件"},
		{"traditional, mixed", "絕密★長期", "绝密★长期"},
		{"one-to-many takes first", "乾", "干"},
		{"spaces and newline between Han", "机 密\n★", "机密★"},
		{"ideographic space and tab", "机\u3000密\t文件", "机密文件"},
		{"marking spread out", "机密 ★ 5 年", "机密★5年"},
		{"full-width digit", "机密★５年", "机密★5年"},
		{"full-width asterisk", "机密＊5年", "机密*5年"},
		{"full-width letters lower-cased", "ＡＢＣ", "abc"},
		{"zero-width inside a term", "机\u200b密", "机密"},
		{"format characters", "机\u2060密\ufeff文\u00ad件\u200d", "机密文件"},
		{"variation selector", "机\ufe00密", "机密"},
		{"control character", "机\x00密", "机密"},
		{"Latin spacing kept, folded", "  GB/T \t 9704  ", "gb/t 9704"},
		{"digits keep their space", "1 2", "1 2"},
		{"Han next to Latin keeps space", "机密 File", "机密 file"},
		{"full-width punctuation is tight", "机密， 注意", "机密,注意"},
		{"Chinese quotes are tight", "“机密” 文件", "“机密”文件"},
		{"combining mark composes", "cafe\u0301", "café"},
		{"invalid byte", "\xff机", "\ufffd机"},
		{"compatibility ideograph, then folded", "\uf900", "岂"},
		{"empty", "", ""},
		{"only whitespace", " \n\t ", ""},
		{"middle dot inside a word", "机·密★1年", "机密★1年"},
		{"hyphen inside a word", "机-密★1年", "机密★1年"},
		{"full-width hyphen and katakana dot", "机－密・文･件", "机密文件"},
		{"soft hyphen and word joiner", "机\u00ad密\u2060文件", "机密文件"},
		{"hyphen between digits kept", "2027-03-01", "2027-03-01"},
		{"hyphen between Latin kept", "e-mail", "e-mail"},
		{"two hyphens kept", "机--密", "机--密"},
		{"hyphen then space kept", "机- 密", "机- 密"},
		{"hyphen at the end kept", "机-", "机-"},
		{"em dash kept", "机—密", "机—密"},
		{"right-to-left override reversed", "\u202e年1★密机\u202c文件", "机密★1年文件"},
		{"override up to the line break", "a\u202e密机\nb", "a机密 b"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := Normalize(tt.in)
			if n.Text != tt.want {
				t.Fatalf("Normalize(%q) = %q, want %q", tt.in, n.Text, tt.want)
			}
			checkSpans(t, tt.in, n)
		})
	}
}

func TestNormalizeSpan(t *testing.T) {
	tests := []struct {
		in, find, want string
	}{
		{"这是機密文件", "机密", "機密"},
		{"请 机 密 \n 文件", "机密", "机 密"},
		{"x\u200b机\u200b密\u200by", "机密", "机\u200b密"},
		{"机密★５年", "★5年", "★５年"},
		{"机密 ★ 5 年 ", "机密★5年", "机密 ★ 5 年"},
		{"ABC  def", "c d", "C  d"},
		{"㍿", "式会", "㍿"},
		{"x机·密y", "机密", "机·密"},
		{"前\u202e密机\u202c后", "机密", "\u202e密机"},
	}
	for _, tt := range tests {
		n := Normalize(tt.in)
		i := strings.Index(n.Text, tt.find)
		if i < 0 {
			t.Fatalf("%q not in Normalize(%q) = %q", tt.find, tt.in, n.Text)
		}
		a, b := n.Span(i, i+len(tt.find))
		if got := tt.in[a:b]; got != tt.want {
			t.Errorf("Span of %q in %q = %q, want %q", tt.find, tt.in, got, tt.want)
		}
	}
	n := Normalize("机密")
	for _, sp := range [][2]int{{-5, 3}, {3, 100}, {6, 6}, {4, 2}} {
		a, b := n.Span(sp[0], sp[1])
		if a < 0 || b > 6 || a > b {
			t.Errorf("Span(%v) = %d, %d: out of range", sp, a, b)
		}
	}
	if a, b := Normalize("").Span(0, 1); a != 0 || b != 0 {
		t.Errorf("Span on empty text = %d, %d", a, b)
	}
}

// TestNormalizeSpanLong maps back a text holding runs in several chunks:
// each piece "机，５ " becomes "机,5" in three runs (a linear one, two
// width changes; the space between 5 and 机 is dropped).
func TestNormalizeSpanLong(t *testing.T) {
	const pieces = 2 * runChunk
	in := strings.Repeat("机，５ ", pieces)
	n := Normalize(in)
	if want := strings.Repeat("机,5", pieces); n.Text != want {
		t.Fatalf("Normalize gives %d bytes, want %d", len(n.Text), len(want))
	}
	if len(n.runs) < 3 {
		t.Fatalf("%d chunks of runs, want several", len(n.runs))
	}
	type span struct{ a, b int }
	for p := range pieces - 1 {
		o, i := 5*p, 10*p
		for _, tt := range []struct{ got, want span }{
			{span{o, o + 5}, span{i, i + 9}},         // the piece
			{span{o + 1, o + 2}, span{i + 1, i + 2}}, // inside 机
			{span{o + 3, o + 4}, span{i + 3, i + 6}}, // ，
			{span{o + 4, o + 4}, span{i + 6, i + 6}},
			{span{o + 4, o + 6}, span{i + 6, i + 11}}, // 5 and the next piece's first byte
		} {
			if a, b := n.Span(tt.got.a, tt.got.b); a != tt.want.a || b != tt.want.b {
				t.Fatalf("Span(%d, %d) = %d, %d, want %d, %d", tt.got.a, tt.got.b, a, b, tt.want.a, tt.want.b)
			}
		}
	}
	if a, b := n.Span(len(n.Text), len(n.Text)); a != len(in)-1 || b != len(in)-1 {
		t.Errorf("Span at the end = %d, %d, want %d", a, b, len(in)-1)
	}
}

// checkSpans asserts that every character of n.Text maps to a non-empty
// span of in, in order, and that the whole text maps to a span that
// normalizes back to n.Text.
func checkSpans(t *testing.T, in string, n *Normalized) {
	t.Helper()
	prevA, prevB := 0, 0
	for i, r := range n.Text {
		a, b := n.Span(i, i+utf8.RuneLen(r))
		if a < 0 || b > len(in) || a >= b {
			t.Fatalf("%q: Span of %q at %d = [%d,%d)", in, r, i, a, b)
		}
		if a < prevA || b < prevB {
			t.Fatalf("%q: Span of %q at %d = [%d,%d) goes back from [%d,%d)", in, r, i, a, b, prevA, prevB)
		}
		prevA, prevB = a, b
	}
	a, b := n.Span(0, len(n.Text))
	if got := Normalize(in[a:b]).Text; got != n.Text {
		t.Fatalf("%q: whole span %q normalizes to %q, want %q", in, in[a:b], got, n.Text)
	}
}

func TestNormalizeRandom(t *testing.T) {
	alphabet := []string{
		"机", "密", "機", "絕", "文", "a", "B", "5", "５", "＊", "★", " ", "\n", "\t",
		"\u3000", "\u200b", "\ufeff", "\u00ad", "，", "“", "e", "\u0301", "\u0323",
		"㍿", "\xff", "\xe6\x9c", "ﬁ", "İ", "\x00", "-", "·", "\u202e", "\u202c",
	}
	rng := rand.New(rand.NewPCG(7, 8))
	for range 3000 {
		var b strings.Builder
		for range rng.IntN(20) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		in := b.String()
		n := Normalize(in)
		if !utf8.ValidString(n.Text) {
			t.Fatalf("Normalize(%q) = %q: invalid UTF-8", in, n.Text)
		}
		checkSpans(t, in, n)
		// Each Han character of the output maps to exactly one original
		// character that normalizes to it (outside a right-to-left
		// override, whose characters map to the whole run).
		if strings.Contains(in, rlo) {
			continue
		}
		for i, r := range n.Text {
			if r == '机' || r == '密' || r == '绝' {
				a, b := n.Span(i, i+3)
				if got := Normalize(in[a:b]).Text; got != string(r) {
					t.Fatalf("%q: %q at %d maps to %q", in, r, i, in[a:b])
				}
			}
		}
	}
}

// benchChinese builds about size bytes of Chinese-like prose with
// punctuation, digits, some traditional characters and line breaks.
func benchChinese(size int) string {
	rng := rand.New(rand.NewPCG(9, 10))
	next := zipfHan(rng, 4000)
	var b strings.Builder
	for b.Len() < size {
		switch x := rng.IntN(100); {
		case x < 5:
			b.WriteRune('，')
		case x < 7:
			b.WriteString("。\n")
		case x < 8:
			b.WriteString("2024年")
		case x < 10:
			b.WriteRune('機')
		default:
			b.WriteRune(next())
		}
	}
	return b.String()
}

func BenchmarkNormalize(b *testing.B) {
	text := benchChinese(4 << 20)
	fastTables() // built once per process, outside the timing
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Normalize(text)
	}
}

// normalizeSlow is Normalize with every character taken by the slow path:
// the reference its fast paths must agree with.
func normalizeSlow(s string) *Normalized {
	n := normalizer{linEnd: -1, t: fastTables()}
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], rlo) {
			i = n.reversed(s, i)
			continue
		}
		i = n.slow(s, i)
	}
	return n.done()
}

// sameAsSlow fails t unless Normalize gives for in the text and the offset
// map the slow path gives.
func sameAsSlow(t *testing.T, in string) {
	t.Helper()
	got, want := Normalize(in), normalizeSlow(in)
	gr, wr := slices.Concat(got.runs...), slices.Concat(want.runs...)
	if got.Text != want.Text || !slices.Equal(gr, wr) {
		t.Fatalf("Normalize(%+q) = %+q %v, the slow path gives %+q %v", in, got.Text, gr, want.Text, wr)
	}
}

// TestNormalizeFast checks the fast paths (ASCII, runs of three-byte
// characters kept or folded, the table of one-to-one characters) against
// the slow path for every BMP character, in the contexts that change what
// it does: alone, between Han characters, digits, letters or spaces,
// followed by combining marks (perhaps behind a dropped character), after
// a joiner, doubled.
func TestNormalizeFast(t *testing.T) {
	contexts := []string{
		"%c", "%c%c", "机%c密", "机 %c 密", "a %c 1", "1%c2", "a%cb", "%c\n", "\u3000%c\u3000",
		"%c\u0301", "%c\u0323\u0301", "%c\u200b\u0323", "%c\x00\u0301", "%c\U0001d165",
		"机-%c", "机·%c", "%c-机", "%c·机", "%c\u202e密机", "%c\ufe00", "%c\xff", "%c\U00020000",
	}
	for r := rune(0); r < 0x10000; r++ {
		if r >= 0xd800 && r <= 0xdfff {
			continue
		}
		for _, c := range contexts {
			sameAsSlow(t, strings.ReplaceAll(c, "%c", string(r)))
		}
	}
}

// TestNormalizeFastRandom checks the fast paths against the slow path on
// random mixes of the characters they take and of those next to which they
// give way.
func TestNormalizeFastRandom(t *testing.T) {
	alphabet := []string{
		"机", "密", "機", "文", "a", "B", "5", "５", "Ａ", "，", "。", "“", "…", "·", "－", "–", "・",
		" ", "\n", "\u3000", "\u200b", "\u0301", "\u0323", "\x00", "-", "㍿", "\uf900", "\xff",
		"\xe6\x9c", "İ", "Ω", "\U0001d165", "\u202e", "\u202c",
	}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		sameAsSlow(t, b.String())
	}
}

// FuzzFastNormalize checks Normalize's fast paths against the slow path.
func FuzzFastNormalize(f *testing.F) {
	for _, s := range normalizeSeeds {
		f.Add(s)
	}
	f.Add("机，\u0301密 ５\u200b\u0323年 Ａ\x00\u0301")
	f.Fuzz(sameAsSlow)
}
