package fingerprint

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/baomi/baomi/internal/cputime"
)

// han returns n pseudo-random common Han characters: text no two seeds share.
func han(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	r := make([]rune, n)
	for i := range r {
		r[i] = rune(0x4e00 + rng.IntN(3000))
	}
	return string(r)
}

func hashes(text string) map[uint64]bool {
	set := map[uint64]bool{}
	for _, m := range Marks(text) {
		set[m.Hash] = true
	}
	return set
}

// shared counts the fingerprints of b also in a.
func shared(a, b string) int {
	set, n := hashes(a), 0
	for h := range hashes(b) {
		if set[h] {
			n++
		}
	}
	return n
}

func TestSampling(t *testing.T) {
	reg := han(1, 400)
	r := []rune(reg)
	cases := []struct {
		name  string
		other string
		want  bool // shares a fingerprint with reg
	}{
		{"passage of 90 characters", han(2, 50) + string(r[100:190]) + han(3, 50), true},
		{"passage with spaces and punctuation changed", han(2, 50) + " " + strings.Join(strings.Split(string(r[200:290]), ""), "， ") + "。" + han(3, 50), true},
		{"passage shorter than K", han(2, 50) + string(r[100:100+K-1]) + han(3, 50), false},
		{"unrelated text", han(4, 400), false},
		{"ASCII letters case and width", "ＡＢＣ", false},
	}
	for _, c := range cases {
		if got := shared(reg, c.other) > 0; got != c.want {
			t.Errorf("%s: shares a fingerprint = %v, want %v", c.name, got, c.want)
		}
	}
}

// A shared passage of n k-grams has no fingerprint with probability
// (1-1/P)^n, wherever it sits: 0.55 % for 50 characters, next to none for
// 90 (the figures the package documents).
func TestSamplingMisses(t *testing.T) {
	reg := []rune(han(5, 20000))
	set := hashes(string(reg))
	for _, c := range []struct{ chars, most int }{{50, 12}, {90, 0}} {
		missed, tries := 0, 0
		for at := 0; at+c.chars <= len(reg); at += 19 {
			other := han(uint64(at)+10, 30) + string(reg[at:at+c.chars]) + han(uint64(at)+11, 30)
			found := false
			for h := range hashes(other) {
				found = found || set[h]
			}
			if !found {
				missed++
			}
			tries++
		}
		// 1052 tries: 5.8 misses expected for 50 characters.
		if missed > c.most {
			t.Errorf("%d of %d passages of %d characters have no fingerprint, want at most %d", missed, tries, c.chars, c.most)
		}
	}
}

func TestMarksSpans(t *testing.T) {
	text := "甲，乙 丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥"
	ms := Marks(text)
	if len(ms) == 0 {
		t.Fatal("no marks")
	}
	for _, m := range ms {
		n := 0
		for _, r := range text[m.Start:m.End] {
			if r != '，' && r != ' ' {
				n++
			}
		}
		if n != K {
			t.Errorf("mark %+v spans %q: %d letters, want %d", m, text[m.Start:m.End], n, K)
		}
	}
	if got := Marks(han(9, K-1)); len(got) != 0 {
		t.Errorf("text shorter than K: %d marks", len(got))
	}
}

// writeIndex builds and writes an index of docs (label → text) with common
// as boilerplate, and loads it back.
func writeIndex(t testing.TB, docs [][2]string, common ...string) (*Index, string) {
	t.Helper()
	b := NewBuilder()
	for _, d := range docs {
		if err := b.Add(d[0], d[1]); err != nil {
			t.Fatal(err)
		}
	}
	b.AddCommon(common...)
	path := filepath.Join(t.TempDir(), "index")
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	x, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return x, path
}

func TestIndexRoundTrip(t *testing.T) {
	boiler := "各有关单位：现将有关事项通知如下，请结合实际认真贯彻执行。特此通知。"
	a, b := han(20, 500), han(21, 500)
	x, path := writeIndex(t, [][2]string{{"甲文件", a + boiler}, {"乙文件", b + boiler + a[:90]}}, boiler)
	docs := x.Docs()
	if len(docs) != 2 || docs[0].Label != "甲文件" || docs[1].Label != "乙文件" {
		t.Fatalf("docs %+v", docs)
	}
	for _, m := range Marks(a) {
		if refs := x.Lookup(m.Hash); len(refs) == 0 || refs[0] != 0 {
			t.Fatalf("fingerprint of 甲 not found: %v", refs)
		}
	}
	for _, m := range Marks(boiler) {
		if refs := x.Lookup(m.Hash); len(refs) != 0 {
			t.Errorf("boilerplate fingerprint kept: %v", refs)
		}
	}
	for _, m := range Marks(han(22, 300)) {
		if refs := x.Lookup(m.Hash); len(refs) != 0 {
			t.Errorf("unregistered text found: %v", refs)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(data, []byte(a[:6])) || bytes.Contains(data, []byte("通知")) {
		t.Error("the index holds registered text")
	}
	if len(x.Digest()) != 64 {
		t.Errorf("digest %q", x.Digest())
	}
}

// A damaged index is refused with a reason, never half loaded.
func TestLoadDamaged(t *testing.T) {
	_, path := writeIndex(t, [][2]string{{"甲", han(30, 300)}, {"乙", han(31, 300)}})
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ndocsAt := len(magic) + 12
	entriesAt := bytes.LastIndex(good, []byte("乙")) + len("乙")
	n := int(binary.LittleEndian.Uint64(good[entriesAt:]))
	firstHash := entriesAt + 8
	firstRef := firstHash + 8*n
	edit := func(f func(b []byte) []byte) []byte { return f(bytes.Clone(good)) }
	cases := map[string][]byte{
		"empty":           {},
		"not an index":    []byte("PK\x03\x04 something else entirely"),
		"newer version":   edit(func(b []byte) []byte { b[8] = version + 1; return b }),
		"other K":         edit(func(b []byte) []byte { b[12]++; return b }),
		"huge doc count":  edit(func(b []byte) []byte { binary.LittleEndian.PutUint32(b[ndocsAt:], 1<<30); return b }),
		"huge entries":    edit(func(b []byte) []byte { binary.LittleEndian.PutUint64(b[entriesAt:], 1<<40); return b }),
		"truncated":       good[:len(good)-3],
		"trailing data":   append(bytes.Clone(good), 0),
		"out of order":    edit(func(b []byte) []byte { copy(b[firstHash:], bytes.Repeat([]byte{0xff}, 8)); return b }),
		"bad doc number":  edit(func(b []byte) []byte { b[firstRef] = 7; return b }),
		"count mismatch":  edit(func(b []byte) []byte { b[ndocsAt+4]++; return b }),
		"control label":   edit(func(b []byte) []byte { return bytes.Replace(b, []byte("甲"), []byte("\x1b[2"), 1) }),
		"label too long":  edit(func(b []byte) []byte { binary.LittleEndian.PutUint16(b[ndocsAt+8:], MaxLabel+1); return b }),
		"no header bytes": good[:10],
	}
	for name, data := range cases {
		p := filepath.Join(t.TempDir(), "index")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if x, err := Load(p); err == nil {
			t.Errorf("%s: loaded (%d docs)", name, len(x.Docs()))
		} else if !strings.Contains(err.Error(), "not a valid fingerprint index") {
			t.Errorf("%s: %v", name, err)
		}
	}
	// An index of an older version asks to be rebuilt: version 1
	// (winnowed, W = 16), version 2 (selection by three characters).
	for v, w := range map[byte]byte{1: 16, 2: P} {
		p := filepath.Join(t.TempDir(), "index")
		if err := os.WriteFile(p, edit(func(b []byte) []byte { b[8], b[16] = v, w; return b }), 0o600); err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("fingerprint index of an older format (version %d, this baomi reads 3): rebuild it with baomi fingerprint build", v)
		if _, err := Load(p); err == nil || err.Error() != want {
			t.Errorf("version %d: %v", v, err)
		}
	}
}

func TestBuilderRefuses(t *testing.T) {
	for _, c := range []struct{ label, text string }{
		{"", han(1, 100)},
		{" ", han(1, 100)},
		{"a\nb", han(1, 100)},
		{strings.Repeat("长", MaxLabel), han(1, 100)},
		{"short", "太短了"},
	} {
		if err := NewBuilder().Add(c.label, c.text); err == nil {
			t.Errorf("Add(%q, %d bytes) accepted", c.label, len(c.text))
		}
	}
}

// bigIndex writes an index of n documents of size characters each.
func bigIndex(b *testing.B, n, size int) string {
	bl := NewBuilder()
	for i := range n {
		if err := bl.Add(fmt.Sprintf("文件%d", i), han(uint64(i)+1000, size)); err != nil {
			b.Fatal(err)
		}
	}
	path := filepath.Join(b.TempDir(), "index")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := bl.WriteTo(f); err != nil {
		b.Fatal(err)
	}
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkLoad loads an index of 10,000 registered documents of 3,000
// characters each (a few pages of a 公文).
func BenchmarkLoad(b *testing.B) {
	path := bigIndex(b, 10000, 3000)
	st, _ := os.Stat(path)
	var x *Index
	for b.Loop() {
		var err error
		if x, err = Load(path); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(st.Size())/(1<<20), "index-MiB")
	b.ReportMetric(float64(len(x.hashes)), "entries")
}

// BenchmarkMarks is the cost of fingerprinting scanned text, per byte.
func BenchmarkMarks(b *testing.B) {
	text := han(77, 1<<18)
	cputime.PerByte(b, len(text), func() { Each(text, func([]Mark) {}) })
}

// FuzzLoad: whatever the file holds, Load refuses it or gives an index
// whose lookups and Find stay in bounds; it never panics.
func FuzzLoad(f *testing.F) {
	b := NewBuilder()
	if err := b.Add("甲", han(1, 200)); err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(magic))
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		p := filepath.Join(dir, "index")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		x, err := Load(p)
		if err != nil {
			return
		}
		ms := Marks(han(1, 200))
		for _, m := range ms {
			for _, d := range x.Lookup(m.Hash) {
				_ = x.Docs()[d]
			}
		}
		Find(han(1, 200), []*Index{x}, func([]Mark) {})
	})
}

// The hashes behave as random ones should: about one k-gram in seven is
// kept (the density the package documents), and the low bits that cut
// passages and pick filter bits are even.
func TestMarksDensity(t *testing.T) {
	ms := Marks(han(3, 200000))
	q := 1.0 / P
	r := math.Pow(1-q, G)
	want := q + q*r/(1-r)
	if d := float64(len(ms)) / float64(200000-K+1); d < want*0.95 || d > want*1.05 {
		t.Errorf("density %.4f, want about %.4f", d, want)
	}
	low := 0
	for _, m := range ms[:20000] {
		if m.Hash%32 == 0 {
			low++
		}
	}
	if low < 20000/32*8/10 || low > 20000/32*12/10 {
		t.Errorf("%d of 20000 hashes are multiples of 32, want about %d", low, 20000/32)
	}
}

// After the first, fingerprints are never more than G letters apart, even
// in text whose characters repeat (a short period gives no k-gram kept
// for its hash, or many).
func TestSamplingGaps(t *testing.T) {
	for _, text := range []string{han(4, 50000), strings.Repeat("第1条 规定如下：", 3000), strings.Repeat("机密", 5000)} {
		ms := Marks(text)
		if len(ms) == 0 {
			continue // no k-gram kept for its hash: none at all
		}
		for i := 1; i < len(ms); i++ {
			if gap := ms[i].Pos - ms[i-1].Pos; gap < 1 || gap > G {
				t.Fatalf("text %.20q: marks %d and %d are %d k-grams apart", text, i-1, i, gap)
			}
		}
	}
}

// Each reads a Han character of U+4E00 to U+9FFF as a letter without
// looking it up: they must all be letters.
func TestHanFastPath(t *testing.T) {
	lo, hi := rune(0x4e00), rune(0x9fff)
	be := func(r rune) uint32 { b := string(r); return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2]) }
	if be(lo) != hanLo || be(hi) != hanHi {
		t.Fatal("hanLo and hanHi do not bound U+4E00 to U+9FFF")
	}
	for r := lo; r <= hi; r++ {
		if !unicode.IsLetter(r) {
			t.Fatalf("%U is not a letter", r)
		}
	}
}

// The letters table, filled a word at a time where it can be, has every
// letter and digit of Unicode and nothing else.
func TestLetters(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if isLetter(r) != (unicode.IsLetter(r) || unicode.IsNumber(r)) {
			t.Fatalf("%U: isLetter %v", r, isLetter(r))
		}
	}
}

// naiveMarks is the sampling done slowly: every k-gram hashed from scratch,
// kept if its hash falls in the range kept or if it comes a multiple of G
// letters after the last one that did. Each must agree.
func naiveMarks(text string) []Mark {
	type char struct {
		r          rune
		start, end int
	}
	var cs []char
	for i, r := range text {
		if unicode.IsLetter(r) || unicode.IsNumber(r) {
			cs = append(cs, char{r, i, i + utf8.RuneLen(r)})
		}
	}
	var out []Mark
	last := -1 // the last letter ending a k-gram kept for its hash
	for j := range cs {
		// The selection's value: the keys of this letter and the three
		// before, zero before the text, twenty bits apart.
		var x uint64
		for i := max(j-3, 0); i <= j; i++ {
			x = x<<20 ^ uint64(key(string(cs[i].r)))
		}
		if keep(x) == 1 {
			last = j
		}
		if p := j - K + 1; p >= 0 && last >= 0 && (j-last)%G == 0 {
			var g [K]uint32
			for i, c := range cs[p : j+1] {
				g[i] = key(string(c.r))
			}
			var h uint64
			for i, m := range gramMul {
				h += (uint64(g[2*i])<<32 | uint64(g[2*i+1])) * m
			}
			out = append(out, Mark{Hash: mix(h), Pos: p, Start: cs[p].start, End: cs[j].end})
		}
	}
	return out
}

// Each, fast, gives exactly the marks of naiveMarks: on Han text, ASCII,
// punctuation, characters of two and four bytes, invalid and overlong
// UTF-8, repeated text (equal hashes in a window), texts around K, W and
// the rounds' sizes.
func TestMarksAsNaive(t *testing.T) {
	pieces := []string{"机密", "，", "。", " ", "a", "Z", "7", "é", "Ж", "𠀀", "😀", "\xff", "\xe0\x80\x80", "\xed\xa0\x80", "\xe4\xb8", "〇", "々", "\u3000", "①", "ｱ"}
	rng := rand.New(rand.NewPCG(3, 4))
	var texts []string
	for _, n := range []int{0, 1, K - 1, K, K + 1, K + P, 127, 128, 129, 255, 256, 257, 1000, 5000} {
		texts = append(texts, han(uint64(n), n))
		var b strings.Builder
		for range n {
			if rng.IntN(3) == 0 {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			} else {
				b.WriteString(han(rng.Uint64(), 1))
			}
		}
		texts = append(texts, b.String(), strings.Repeat("第1条规定", n/5+1), strings.Repeat("ab", n))
	}
	for _, text := range texts {
		got, want := Marks(text), naiveMarks(text)
		if !slices.Equal(got, want) {
			t.Fatalf("text of %d bytes: %d marks, want %d\n got %v\nwant %v", len(text), len(got), len(want), got, want)
		}
	}
}

// FuzzMarks: whatever the text, Each gives naiveMarks' marks.
func FuzzMarks(f *testing.F) {
	f.Add("机密★5年 各有关单位：现将有关事项通知如下")
	f.Add(strings.Repeat("ab", 40) + "\xe0\x80\x80" + han(1, 40))
	f.Fuzz(func(t *testing.T, text string) {
		if got, want := Marks(text), naiveMarks(text); !slices.Equal(got, want) {
			t.Fatalf("%d marks, want %d\n got %v\nwant %v", len(got), len(want), got, want)
		}
	})
}

// A lookup costs about one cache line of hashes, and the filter turns away
// nearly every hash of unregistered text: the buckets are even although
// kept hashes crowd near zero, and the filter's false positives are rare.
// The filter never turns away a registered hash.
func TestIndexBucketsAndFilter(t *testing.T) {
	var docs [][2]string
	for i := range 300 {
		docs = append(docs, [2]string{fmt.Sprintf("文件%d", i), han(uint64(i)+500, 3000)})
	}
	x, _ := writeIndex(t, docs)
	// The bucket a registered hash is searched in, on average over the
	// hashes, and the longest.
	seen, longest := 0, 0
	for b := range len(x.dir) - 1 {
		size := int(x.dir[b+1] - x.dir[b])
		seen += size * size
		longest = max(longest, size)
	}
	if mean := float64(seen) / float64(len(x.hashes)); mean > 16 || longest > 64 {
		t.Errorf("%d entries in %d buckets: a lookup searches %.1f on average, %d at most", len(x.hashes), len(x.dir)-1, mean, longest)
	}
	for i, h := range x.hashes {
		if b := x.bucket(h); int(x.dir[b]) > i || i >= int(x.dir[b+1]) {
			t.Fatalf("entry %d is not in its bucket %d", i, b)
		}
	}
	for i, h := range x.hashes {
		if !inFilter(x.filter, h) {
			t.Fatalf("the filter turns away registered hash %d", i)
		}
	}
	ms := Marks(han(99999, 200000))
	passed := 0
	for _, m := range ms {
		if inFilter(x.filter, m.Hash) {
			passed++
		}
	}
	if rate := float64(passed) / float64(len(ms)); rate > 0.01 {
		t.Errorf("the filter lets %.2f%% of unregistered hashes through", 100*rate)
	}
}

// Find hands the marks Marks gives that pass a filter of one of its
// indexes, in order: over small filters, tested as they come, and over
// large ones, tested a round late.
func TestFind(t *testing.T) {
	reg := [][2]string{{"甲", han(1, 3000)}, {"乙", han(2, 3000)}}
	small, _ := writeIndex(t, reg)
	// widened returns x with a filter big enough to be tested late.
	widened := func(x *Index) *Index {
		y := *x
		y.filter = make([]uint64, 2*prefetchWords)
		for _, h := range x.hashes {
			w, m := filterBits(h, len(y.filter))
			y.filter[w] |= m
		}
		return &y
	}
	big := widened(small)
	// One of each, each registering one of the documents scanned.
	first, _ := writeIndex(t, reg[:1])
	second, _ := writeIndex(t, reg[1:])
	// Registered passages amid unregistered text, over many rounds.
	var b strings.Builder
	for i := range 40 {
		b.WriteString(han(uint64(i)+100, 300))
		d := reg[i%2][1]
		b.WriteString(d[i*30 : i*30+600])
	}
	text := b.String()
	all := Marks(text)
	for _, tt := range []struct {
		name string
		xs   []*Index
	}{
		{"none", nil},
		{"small", []*Index{small}},
		{"large", []*Index{big}},
		{"small and large", []*Index{first, widened(second)}},
		{"small twice", []*Index{small, small}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got := slices.ContainsFunc(tt.xs, func(x *Index) bool { return large(x.filter) }); got != strings.Contains(tt.name, "large") {
				t.Fatalf("tested late: %v", got)
			}
			var want, got []Mark
			for _, m := range all {
				if slices.ContainsFunc(tt.xs, func(x *Index) bool { return inFilter(x.filter, m.Hash) }) {
					want = append(want, m)
				}
			}
			Find(text, tt.xs, func(ms []Mark) { got = append(got, ms...) })
			if !slices.Equal(got, want) {
				t.Fatalf("%d marks, want %d", len(got), len(want))
			}
			if len(tt.xs) > 0 && len(want) < 100 {
				t.Fatalf("only %d marks pass", len(want))
			}
		})
	}
}
