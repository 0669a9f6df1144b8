package match

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Normalized is text prepared for matching, with a map back to the
// original. It is immutable once built and safe to share between goroutines.
//
// The normalization, for matching only:
//   - NFKC, applied per character (or per character plus its combining
//     marks), so full-width forms become ASCII: ５ → 5, ＊ → *;
//   - format characters (category Cf: zero-width spaces and joiners,
//     U+2060-U+2064, U+FEFF, the soft hyphen), variation selectors, U+034F
//     and control characters other than whitespace are dropped;
//   - a run of whitespace (including U+3000, tabs and line breaks) is
//     dropped when both of its neighbours are "tight": CJK characters
//     (Han, kana, CJK and full-width punctuation, Chinese use of general
//     punctuation such as “”…—), ★ and ☆, or ASCII digits, except when both
//     are digits ("1 2" keeps its space). So "机 密\n★ 5 年" becomes
//     "机密★5年" while "GB/T 9704" keeps its space. Any other run becomes
//     one space; leading and trailing whitespace is dropped;
//   - letters are lower-cased;
//   - traditional Chinese characters are folded to simplified ones,
//     character by character (OpenCC TSCharacters);
//   - one joiner (a hyphen or a middle dot: - · ・ ‧ ‐ ‑ ‒ – • ∙ ⋅) between
//     two CJK characters is dropped: 机·密 and 机-密 read as 机密 (digits
//     and Latin keep theirs: 2027-03-01);
//   - text after a right-to-left override (U+202E), up to the next pop
//     (U+202C, U+2069) or line break, is reversed, since that is the order
//     a reader sees it in: "\u202e年1★密机" reads 机密★1年. Every character
//     of it maps to the whole overridden run.
//
// Invalid UTF-8 bytes become U+FFFD.
type Normalized struct {
	// Text is the normalized text.
	Text string
	// runs map Text back, in order, in chunks of runChunk runs (the last
	// may hold fewer): growing one slice copied it again and again, and
	// Chinese text has a run for every 20 bytes or so.
	runs [][]mapRun
}

// runChunk is how many runs a chunk holds. The first chunk grows up to it
// by doubling, since most texts are short.
const runChunk = 4096

// mapRun maps Text[out:next run's out] to s[orig:origEnd]. A linear run
// maps byte for byte (each character kept its byte length), so a span
// inside it maps exactly; its origEnd, which follows from the next run's
// out, is linearRun. Any other run is atomic: every part of its output
// maps to the whole original chunk (a folded whitespace run, an NFKC
// expansion or a width change such as ５ → 5). Runs are many (two for each
// ， in Chinese text), hence no separate flag.
type mapRun struct {
	out, orig, origEnd int
}

// linearRun is the origEnd of a linear run.
const linearRun = -1

// Span maps the byte span [start, end) of n.Text back to the byte span of
// the original string holding exactly the characters that produced it,
// including characters dropped inside the span (a zero-width space between
// two matched characters) but not those dropped before or after it.
// Out-of-range arguments are clamped.
func (n *Normalized) Span(start, end int) (int, int) {
	if len(n.runs) == 0 {
		return 0, 0
	}
	start = min(max(start, 0), len(n.Text))
	end = min(max(end, start), len(n.Text))
	if start == len(n.Text) {
		c := n.runs[len(n.runs)-1]
		last := c[len(c)-1]
		e := last.origEnd
		if e == linearRun {
			e = last.orig + len(n.Text) - last.out
		}
		return e, e
	}
	r := n.runAt(start)
	os := r.orig
	if r.origEnd == linearRun {
		os += start - r.out
	}
	if end == start {
		return os, os
	}
	r = n.runAt(end - 1)
	oe := r.origEnd
	if oe == linearRun {
		oe = r.orig + end - r.out
	}
	return os, oe
}

// runAt returns the run holding Text byte i.
func (n *Normalized) runAt(i int) mapRun {
	c := n.runs[sort.Search(len(n.runs), func(k int) bool { return n.runs[k][0].out > i })-1]
	return c[sort.Search(len(c), func(j int) bool { return c[j].out > i })-1]
}

// Character classes deciding whether whitespace between two characters is
// dropped (see Normalized).
const (
	clsNone  = iota // nothing emitted yet
	clsOther        // Latin letters, symbols, …
	clsCJK
	clsStar
	clsDigit
)

// tight reports whether whitespace between classes a and b is dropped.
func tight(a, b int) bool {
	return a >= clsCJK && b >= clsCJK && !(a == clsDigit && b == clsDigit)
}

type normalizer struct {
	buf     strings.Builder // Builder: Text is handed over without a copy
	runs    [][]mapRun
	linEnd  int // original offset at which the last linear run can grow, or -1
	prevCls int // class of the last character emitted
	ws      bool
	wsStart int // original span of pending whitespace
	wsEnd   int
	tmp     []byte
	t       *normTables // fastTables()
	// A joiner seen right after a CJK character waits here until the next
	// character says whether it is dropped (see flushJoiner).
	jn                bool
	jRune             rune
	jStart, jEnd, jCl int
	jSingle           bool
}

// Normalize prepares s for matching; see Normalized for what it changes.
func Normalize(s string) *Normalized {
	n := normalizer{linEnd: -1, t: fastTables()}
	n.buf.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// ASCII is final unless a combining mark follows it, perhaps
			// behind control characters that are dropped: it goes the slow
			// way unless what follows is known to start a chunk.
			j := i + 1
			for j < len(s) && (s[j] < ' ' && !(s[j] >= '\t' && s[j] <= '\r') || s[j] == 0x7f) {
				j++
			}
			if j < len(s) && s[j] >= utf8.RuneSelf && !n.starter(s, j) {
				i = n.slow(s, i)
				continue
			}
			switch {
			case c == '-':
				n.joiner('-', i, i+1, true)
			case c == ' ' || (c >= '\t' && c <= '\r'):
				n.space(i, i+1)
			case c < ' ' || c == 0x7f:
				// control character: dropped
			case c >= 'A' && c <= 'Z':
				n.emitByte(c+'a'-'A', i, clsOther)
			case c >= '0' && c <= '9':
				n.emitByte(c, i, clsDigit)
			default:
				n.emitByte(c, i, clsOther)
			}
			i++
			continue
		}
		if c == rlo[0] && strings.HasPrefix(s[i:], rlo) {
			i = n.reversed(s, i)
			continue
		}
		// Fast path for three-byte characters that normalization leaves
		// alone (most CJK text) or folds to another three-byte character
		// (traditional ideographs): a run of them is emitted in one go.
		if i+2 < len(s) {
			if r, ok := decode3(s, i); ok && n.t.stable[r] != 0 {
				i = n.stableRun(s, i, r)
				continue
			}
		}
		// Fast path for a character the slow path turns into one character
		// (full-width forms, ideographic space, joiners): what it becomes is
		// in the table, unless a character that joins its chunk (a
		// combining mark) follows.
		if r, size := decodeBMP(s, i); size > 0 {
			if e := n.t.chars[r]; e.kind() != kindDrop && (e&stepInert != 0 || n.starter(s, i+size)) {
				n.emit(e, i, i+size, true)
				i += size
				continue
			}
		}
		i = n.slow(s, i)
	}
	return n.done()
}

// done flushes what still waits and returns the result.
func (n *normalizer) done() *Normalized {
	if n.jn {
		n.flushJoiner(clsNone)
	}
	return &Normalized{Text: n.buf.String(), runs: n.runs}
}

// starter reports whether the character at s[j:], if any, starts a chunk
// of its own: the slow path would not add it to the chunk before it. It
// answers false when in doubt (a character outside the BMP, an invalid
// byte, an ignorable character, which the slow path skips to look further).
func (n *normalizer) starter(s string, j int) bool {
	if j >= len(s) {
		return true
	}
	if c := s[j]; c < utf8.RuneSelf {
		return c >= ' ' && c != 0x7f || c >= '\t' && c <= '\r'
	}
	r, size := decodeBMP(s, j)
	return size > 0 && n.t.chars[r]&stepStarter != 0
}

// decodeBMP decodes the two- or three-byte character at s[i:], which must
// not be ASCII; size is 0 for anything else. A surrogate half, which is
// not UTF-8, is decoded too: the tables have nothing for it.
func decodeBMP(s string, i int) (r rune, size int) {
	if i+2 < len(s) {
		if r, ok := decode3(s, i); ok {
			return r, 3
		}
	}
	if r, size := utf8.DecodeRuneInString(s[i:]); size == 2 {
		return r, 2
	}
	return 0, 0
}

// rlo is the right-to-left override; maxReversed bounds the run it
// reverses, so that one character's mapping (the whole run) stays short
// and within Reach. A longer run is read in logical order.
const (
	rlo         = "\u202e"
	maxReversed = 4 << 10
)

// reversed emits the run after the right-to-left override at s[i:] in the
// order it is displayed, and returns the offset after the run.
func (n *normalizer) reversed(s string, i int) int {
	start := i + len(rlo)
	stop := start
	for stop < len(s) && stop-start <= maxReversed {
		r, size := utf8.DecodeRuneInString(s[stop:])
		if r == '\u202c' || r == '\u2069' || r == '\n' || r == '\r' || r == '\u2029' {
			break
		}
		stop += size
	}
	if stop-start > maxReversed {
		return start
	}
	rs := []rune(s[start:stop])
	for k := len(rs) - 1; k >= 0; k-- {
		if rs[k] == utf8.RuneError {
			n.emit(fold(rs[k], rs[k]), i, stop, false)
			continue
		}
		for t := n.nfkc(string(rs[k]), true); len(t) > 0; {
			o, sz := utf8.DecodeRune(t)
			t = t[sz:]
			n.emit(fold(rs[k], o), i, stop, false)
		}
	}
	return stop
}

// isJoiner reports the hyphens and middle dots dropped between two CJK
// characters (after NFKC: the full-width forms have become these).
func isJoiner(r rune) bool {
	switch r {
	case '-', '\u00b7', '\u30fb', '\u2027', '\u2010', '\u2011', '\u2012', '\u2013', '\u2022', '\u2219', '\u22c5':
		return true
	}
	return false
}

// joiner takes the joiner out (normalized from orig) at s[start:end]: right
// after a CJK character it waits for the next one, otherwise it is
// emitted as it is.
//
// A joiner that stays is not tight (clsOther), whatever its class as
// punctuation: spaces beside it are kept, so that normalizing again drops
// nothing more ("密‐ 文" would otherwise become "密‐文", then "密文").
func (n *normalizer) joiner(out rune, start, end int, single bool) {
	if n.prevCls == clsCJK && !n.ws && !n.jn {
		n.jn, n.jRune, n.jStart, n.jEnd, n.jSingle = true, out, start, end, single
		n.jCl = clsOther
		return
	}
	n.put(out, clsOther, start, end, single)
}

// flushJoiner decides the waiting joiner now that the next character, of
// class cls, is known: dropped between two CJK characters, else emitted.
func (n *normalizer) flushJoiner(cls int) {
	n.jn = false
	if cls == clsCJK {
		return
	}
	n.put(n.jRune, n.jCl, n.jStart, n.jEnd, n.jSingle)
}

// pending flushes what waits for the next character, of class cls: a
// joiner or a whitespace run.
func (n *normalizer) pending(cls int) {
	if n.jn {
		n.flushJoiner(cls)
	}
	if n.ws {
		n.flushSpace(cls)
	}
}

// flushSpace emits a pending whitespace run as one space unless it sits
// between two tight characters or at the start.
func (n *normalizer) flushSpace(cls int) {
	n.ws = false
	if n.prevCls == clsNone || tight(n.prevCls, cls) {
		return
	}
	n.addRun(mapRun{out: n.buf.Len(), orig: n.wsStart, origEnd: n.wsEnd})
	n.buf.WriteByte(' ')
	n.linEnd = -1
}

// space records whitespace at s[start:end].
func (n *normalizer) space(start, end int) {
	if n.jn {
		n.flushJoiner(clsNone)
	}
	if !n.ws {
		n.ws = true
		n.wsStart = start
	}
	n.wsEnd = end
}

// linear extends the current linear run, or starts one, for a character
// at s[start:end] about to be appended.
func (n *normalizer) linear(start, end int) {
	if start != n.linEnd {
		n.addRun(mapRun{out: n.buf.Len(), orig: start, origEnd: linearRun})
	}
	n.linEnd = end
}

func (n *normalizer) emitByte(c byte, i, cls int) {
	n.pending(cls)
	n.linear(i, i+1)
	n.buf.WriteByte(c)
	n.prevCls = cls
}

// decode3 decodes the three-byte UTF-8 character at s[i:]; s must hold
// three bytes from i.
func decode3(s string, i int) (rune, bool) {
	c, c1, c2 := s[i], s[i+1], s[i+2]
	if c&0xf0 != 0xe0 || c1&0xc0 != 0x80 || c2&0xc0 != 0x80 {
		return 0, false
	}
	r := rune(c&0x0f)<<12 | rune(c1&0x3f)<<6 | rune(c2&0x3f)
	return r, r >= 0x800
}

// stableRun emits the run of three-byte characters at s[i:], the first
// being r, that normalization leaves alone or folds to another three-byte
// character (see normTables.stable), and returns the offset after it. The
// characters left alone are copied in stretches.
func (n *normalizer) stableRun(s string, i int, r rune) int {
	if n.ws || n.jn {
		n.pending(int(n.t.stable[r] &^ runFolded))
	}
	n.linear(i, i) // the run grows as it is copied
	from, j, last := i, i, uint8(0)
	for j+2 < len(s) {
		r, ok := decode3(s, j)
		v := n.t.stable[r]
		if !ok || v == 0 {
			break
		}
		if v&runFolded != 0 {
			n.buf.WriteString(s[from:j])
			n.buf.WriteRune(n.t.chars[r].r())
			from = j + 3
		}
		last = v
		j += 3
	}
	n.buf.WriteString(s[from:j])
	n.linEnd = j
	n.prevCls = int(last &^ runFolded)
	return j
}

// addRun appends a run (see Normalized.runs).
func (n *normalizer) addRun(r mapRun) {
	k := len(n.runs) - 1
	switch {
	case k >= 0 && len(n.runs[k]) < cap(n.runs[k]):
	case k < 0:
		n.runs = append(n.runs, make([]mapRun, 0, 16))
		k = 0
	case k == 0 && cap(n.runs[0]) < runChunk:
		n.runs[0] = append(make([]mapRun, 0, 2*cap(n.runs[0])), n.runs[0]...)
	default:
		n.runs = append(n.runs, make([]mapRun, 0, runChunk))
		k++
	}
	n.runs[k] = append(n.runs[k], r)
}

func (n *normalizer) atomic(start, end int) {
	n.addRun(mapRun{out: n.buf.Len(), orig: start, origEnd: end})
	n.linEnd = -1
}

// maxChunk bounds how many runes one NFKC chunk takes, so a long run of
// combining marks cannot make a chunk (and its atomic mapping) unbounded.
const maxChunk = 32

// slow normalizes the character at s[i:] together with the combining
// characters that follow it, and returns the offset after them.
func (n *normalizer) slow(s string, i int) int {
	r, size := utf8.DecodeRuneInString(s[i:])
	if r == utf8.RuneError && size <= 1 {
		n.emit(fold(utf8.RuneError, utf8.RuneError), i, i+1, false)
		return i + 1
	}
	if ignorable(r) {
		return i + size
	}
	// A character that cannot interact with what follows is a chunk of
	// its own, so its span excludes marks that follow it.
	end := i + size
	var joined []byte // chunk without ignorable characters, when some were skipped
	for k := 1; end < len(s) && k < maxChunk && !norm.NFKC.PropertiesString(s[i:]).BoundaryAfter(); k++ {
		// An ignorable character between a letter and its mark is dropped
		// before composing, so a zero-width space cannot keep ạ from matching.
		j := end
		for j < len(s) {
			c, sz := utf8.DecodeRuneInString(s[j:])
			if c == utf8.RuneError || !ignorable(c) {
				break
			}
			j += sz
		}
		if j >= len(s) {
			break
		}
		p := norm.NFKC.PropertiesString(s[j:])
		if p.BoundaryBefore() || p.Size() == 0 {
			break
		}
		if j > end && joined == nil {
			joined = append([]byte(nil), s[i:end]...)
		}
		if joined != nil {
			joined = append(joined, s[j:j+p.Size()]...)
		}
		end = j + p.Size()
	}
	chunk := s[i:end]
	if joined != nil {
		chunk = string(joined)
	}
	out := n.nfkc(chunk, end == i+size)
	one := end == i+size && utf8.RuneCount(out) == 1
	for t := out; len(t) > 0; {
		o, sz := utf8.DecodeRune(t)
		t = t[sz:]
		n.emit(fold(r, o), i, end, one)
	}
	return end
}

// nfkc returns the NFKC form of chunk. A lone character with no
// decomposition, or one decomposing to ASCII only (full-width forms, the
// common case), needs no composition pass; the general path allocates.
func (n *normalizer) nfkc(chunk string, single bool) []byte {
	if single {
		d := norm.NFKC.PropertiesString(chunk).Decomposition()
		if d == nil {
			n.tmp = append(n.tmp[:0], chunk...)
			return n.tmp
		}
		if isASCII(d) {
			n.tmp = append(n.tmp[:0], d...)
			return n.tmp
		}
	}
	n.tmp = norm.NFKC.AppendString(n.tmp[:0], chunk)
	return n.tmp
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// emit applies e, what a character of the NFKC output of the chunk
// s[start:end] becomes (see fold); single says the chunk is one character
// in and one out.
func (n *normalizer) emit(e step, start, end int, single bool) {
	switch e.kind() {
	case kindSpace:
		n.space(start, end)
	case kindJoiner:
		n.joiner(e.r(), start, end, single)
	case kindChar:
		n.put(e.r(), e.class(), start, end, single)
	}
}

// put emits out, of class cls, for the chunk s[start:end]; see emit.
func (n *normalizer) put(out rune, cls, start, end int, single bool) {
	n.pending(cls)
	if single && utf8.RuneLen(out) == end-start {
		n.linear(start, end)
	} else {
		n.atomic(start, end)
	}
	n.buf.WriteRune(out)
	n.prevCls = cls
}

// ignorable reports characters dropped before matching: format characters,
// variation selectors, the combining grapheme joiner and non-space controls.
func ignorable(r rune) bool {
	switch {
	case r >= 0xfe00 && r <= 0xfe0f, r >= 0xe0100 && r <= 0xe01ef, r == 0x34f:
		return true
	case r < 0x100:
		return r == 0xad || (unicode.IsControl(r) && !unicode.IsSpace(r))
	}
	return unicode.Is(unicode.Cf, r)
}

// classOf classifies out, the normalized form of orig, for whitespace
// folding.
func classOf(orig, out rune) int {
	switch {
	case out >= '0' && out <= '9':
		return clsDigit
	case out == '★' || out == '☆':
		return clsStar
	case isCJK(out):
		return clsCJK
	case (orig >= 0xff00 && orig <= 0xffef || orig >= 0x2010 && orig <= 0x205e) && !unicode.IsLetter(out):
		// full-width punctuation (，：（ become ASCII under NFKC) and the
		// general punctuation Chinese text uses (“”…—) stay tight.
		return clsCJK
	}
	return clsOther
}

// isCJK reports Han characters, kana, bopomofo and CJK punctuation.
func isCJK(r rune) bool {
	switch {
	case r < 0x2e80:
		return false
	case r <= 0x312f, // radicals, CJK symbols and punctuation, kana, bopomofo
		r >= 0x31c0 && r <= 0x9fff, // strokes, enclosed CJK, ideographs
		r >= 0xf900 && r <= 0xfaff, // compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f, // CJK compatibility forms
		r >= 0x20000 && r <= 0x3ffff:
		return true
	}
	return false
}
