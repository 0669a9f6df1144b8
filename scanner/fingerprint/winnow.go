// Package fingerprint registers documents by winnowed hashes of their text
// (Schleimer, Wilkerson and Aiken, "Winnowing: local algorithms for document
// fingerprinting", 2003) and finds the passages another text shares with
// them. An index holds hashes and labels, never text: what was registered
// cannot be read back from it.
//
// The text given here is already normalized by the caller (package match):
// full-width forms, traditional characters and case do not matter. On top of
// that only letters and digits count, so spacing and punctuation changed by a
// copyist do not change the fingerprints.
package fingerprint

import (
	"unicode"
	"unicode/utf8"
)

// Parameters of the winnowing. Any passage of at least K+W-1 letters and
// digits shared by two texts gives both at least one identical fingerprint;
// passages shorter than K are never seen. Changing them changes every hash:
// an index records them and Load refuses one built with others.
const (
	K = 12 // characters in a k-gram
	W = 16 // k-grams in a winnowing window (a power of two)
)

// Mark is one fingerprint selected from a text: the hash of a k-gram, its
// position in k-grams from the text's start, and the byte span of the
// k-gram's characters in the text.
type Mark struct {
	Hash       uint64
	Pos        int
	Start, End int
}

// hashBase is the multiplier of the rolling polynomial hash (odd, so that
// multiplication mod 2^64 loses nothing).
const hashBase = 0x100000001b3

// basePowK is hashBase^K mod 2^64 (K = 12): what the character leaving
// the k-gram weighs.
const (
	basePow2 = hashBase * hashBase & (1<<64 - 1)
	basePow4 = basePow2 * basePow2 & (1<<64 - 1)
	basePowK = basePow4 * basePow4 & (1<<64 - 1) * basePow4 & (1<<64 - 1)
	_        = uint(K-12) + uint(12-K) // basePowK is for K = 12
)

// Marks returns the winnowed fingerprints of text in order of position:
// of each window of W consecutive k-gram hashes, the smallest (the
// rightmost of equal ones), each selected k-gram once ("robust winnowing").
// A text of fewer than K letters and digits has none.
func Marks(text string) []Mark {
	var marks []Mark
	Each(text, func(m Mark) { marks = append(marks, m) })
	return marks
}

// Each calls fn for every fingerprint Marks would return, without
// collecting them.
//
// Its speed is the cost of a fingerprint rule per scanned byte. It works in
// rounds of two tight loops that call nothing, each in a function of its
// own so that the compiler keeps its few variables in registers: one hashes
// the k-gram each character ends, the other keeps the windows' minima.
// Then the round's marks are handed to fn.
func Each(text string, fn func(Mark)) {
	w := winnower{last: -1, pre: ^uint64(0), slowAt: -1}
	for k := range w.suf {
		w.suf[k] = ^uint64(0) // before the first block: no hash
	}
	for i := 0; i < len(text); {
		i = w.hash(text, i)
		for _, p := range w.sel[:w.winnow()] {
			fn(w.mark(p))
		}
		if i < len(text) && i != w.slowAt {
			// A character hash does not decode.
			var size int
			w.slow, size = utf8.DecodeRuneInString(text[i:])
			w.slowAt, w.slowEnd = i, i+size
		}
	}
	// A text shorter than one window still has its smallest k-gram.
	if w.n >= K && w.n-K < W-1 {
		fn(w.mark(w.prePos))
	}
}

// Sizes of a winnower's rings and rounds. A round adds at most round
// characters and a kept k-gram starts at most W+K-2 characters back:
// round+W+K-2 < ring.
const (
	ring  = 256
	round = 128
)

// winnower is the state of Each between rounds.
type winnower struct {
	// Rings indexed by character number (and k-gram position) mod ring:
	// code points, where characters end, hashes of the k-grams they start.
	runes [ring]rune // zero before the text: it weighs nothing leaving
	ends  [ring]int
	hs    [ring]uint64
	n     int    // characters kept so far
	h     uint64 // rolling hash of the last K of them

	p      int           // the next k-gram to winnow
	last   int           // the last minimum put in sel
	pre    uint64        // the minimum of the current block so far
	prePos int           // and its position
	suf    [W + 1]uint64 // the previous block's suffix minima, then no hash
	sufPos [W + 1]int    // and their positions
	sel    [round]int    // positions of the round's marks: one at most per k-gram the round adds

	// The character at slowAt, which hash does not decode, decoded by Each.
	slowAt, slowEnd int
	slow            rune
}

// mark returns the mark of the k-gram at position p.
func (w *winnower) mark(p int) Mark {
	first := w.runes[p&(ring-1)]
	return Mark{Hash: w.hs[p&(ring-1)], Pos: p, Start: w.ends[p&(ring-1)] - utf8.RuneLen(first), End: w.ends[(p+K-1)&(ring-1)]}
}

// hash reads up to round characters of text from i on and returns where it
// stopped: at the end, after round characters or at one it does not decode
// (not ASCII nor three bytes, or in the last three bytes) unless that is
// the one at slowAt. It records the letters and digits and the hash of the
// k-gram each one ends.
func (w *winnower) hash(text string, i int) int {
	n, h := w.n, w.h
	for last := n + round; n < last; {
		var r rune
		if i == w.slowAt {
			r, i = w.slow, w.slowEnd
		} else {
			if i+4 > len(text) {
				break
			}
			t := text[i : i+4]
			v := uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24
			if v&0x80 == 0 {
				r = rune(v & 0x7f)
				i++
			} else if v&0xc0c0f0 == 0x8080e0 { // three bytes, as Han characters are
				r = rune(v&0x0f)<<12 | rune(v>>8&0x3f)<<6 | rune(v>>16&0x3f)
				if r < 0x800 {
					// Overlong: DecodeRune's three RuneErrors, none counts.
					r = utf8.RuneError
				}
				i += 3
			} else {
				break
			}
		}
		if !counts(r) {
			continue
		}
		// The k-gram of the last K characters starts at n-K+1; before the
		// K-th character its slot is one never read.
		c := n & (ring - 1)
		h = h*hashBase + uint64(r) - uint64(w.runes[(n-K)&(ring-1)])*basePowK
		w.runes[c], w.ends[c] = r, i
		w.hs[(n-K+1)&(ring-1)] = mix(h)
		n++
	}
	w.n, w.h = n, h
	return i
}

// winnow takes the minimum of each window ending at a k-gram hash added,
// and puts the position of each new one in sel; it returns how many.
//
// It has no branch that the text makes hard to predict (van Herk, Gil and
// Werman): the positions are cut in blocks of W, so that a window is a
// suffix of one block and a prefix of the next. Each block's suffix minima
// are computed once it is complete, the prefix minimum of the current one
// as it grows, and a window's minimum is the smaller of the two (the
// prefix's if equal: the rightmost of equal hashes).
func (w *winnower) winnow() int {
	p, last, end, ns := w.p, w.last, w.n-K, 0
	pre, prePos := w.pre, w.prePos
	for ; p <= end; p++ {
		j := p & (W - 1)
		if j == 0 && p > 0 {
			// The block ending at p-1 is complete: its suffix minima.
			s, sp := ^uint64(0), 0
			for k := W - 1; k >= 0; k-- {
				q := p - W + k
				if x := w.hs[q&(ring-1)]; x < s {
					s, sp = x, q
				}
				w.suf[k], w.sufPos[k] = s, sp
			}
			pre = ^uint64(0)
		}
		if x := w.hs[p&(ring-1)]; x <= pre {
			pre, prePos = x, p
		}
		m, mp := w.suf[j+1], w.sufPos[j+1]
		if pre <= m {
			mp = prePos
		}
		if p >= W-1 { // a whole window
			w.sel[ns] = mp
			ns += int(uint(last-mp) >> 63) // a new minimum: last < mp
			last = mp
		}
	}
	w.p, w.last, w.pre, w.prePos = p, last, pre, prePos
	return ns
}

// letters has the bit of every letter and digit set: one load classes a
// character, where unicode.IsLetter searches tables. (136 KiB, of which
// the Basic Multilingual Plane's 8 KiB are the ones in use.)
var letters = func() (b [(utf8.MaxRune + 1) / 64]uint64) {
	for _, t := range []*unicode.RangeTable{unicode.L, unicode.N} {
		for _, rg := range t.R16 {
			for r := uint32(rg.Lo); r <= uint32(rg.Hi); r += uint32(rg.Stride) {
				b[r>>6] |= 1 << (r & 63)
			}
		}
		for _, rg := range t.R32 {
			for r := rg.Lo; r <= rg.Hi; r += rg.Stride {
				b[r>>6] |= 1 << (r & 63)
			}
		}
	}
	return b
}()

// counts reports whether r, a valid code point or utf8.RuneError, is a
// letter or a digit.
func counts(r rune) bool { return letters[r>>6]&(1<<(r&63)) != 0 }

// mix spreads the polynomial hash's bits (its low bits depend on few
// characters), so that the smallest hashes of a window are not those of the
// smallest characters and low bits can pick buckets: an xorshift-multiply
// round.
func mix(x uint64) uint64 {
	x ^= x >> 32
	x *= 0xd6e8feb86659fd93
	x ^= x >> 32
	return x
}
