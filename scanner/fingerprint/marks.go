// Package fingerprint registers documents by hashes of their text's
// character k-grams and finds the passages another text shares with them.
// It keeps the k-grams whose hash falls in one P-th of the hash range
// (sampling by hash value, as in Manber's "Finding similar files in a large
// file system", 1994, and Broder's "mod p" selection): which k-grams are
// kept depends on their content only, so two texts sharing a passage keep
// the same ones in it. An index holds hashes and labels, never text: what
// was registered cannot be read back from it.
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

// Parameters of the sampling. A shared passage of n k-grams (n+K-1 letters
// and digits) gives both texts the same fingerprints, about n/P of them;
// it has none with probability (1-1/P)^n: 0.55 % for a passage of 50
// characters (39 k-grams), 2.6e-5 for one of 90. There is no guarantee as
// winnowing gives, in exchange for one hash and one comparison per
// character. Passages shorter than K are never seen. Changing them
// changes every fingerprint: an index records them and Load refuses one
// built with others.
const (
	K = 12 // characters in a k-gram
	P = 8  // one k-gram in P is kept, on average (a power of two)
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

// keepMul and keepShift select the k-grams kept: those whose polynomial
// hash times keepMul has its top log2(P) bits clear. The product's top
// bits depend on every bit of the hash (the polynomial's low bits depend
// on few characters), and are not the bits of the fingerprint that pick
// filter bits and buckets (mix's).
const (
	keepMul   = 0x9e3779b97f4a7c15
	keepShift = 64 - 3
	_         = uint(P-1<<(64-keepShift)) + uint(1<<(64-keepShift)-P) // keepShift is for P = 8
)

// Marks returns the fingerprints of text in order of position: the hashes
// of the k-grams kept. A text of fewer than K letters and digits has none;
// a short one may have none either.
func Marks(text string) []Mark {
	var marks []Mark
	Each(text, func(m Mark) { marks = append(marks, m) })
	return marks
}

// Each calls fn for every fingerprint Marks would return, without
// collecting them.
//
// Its speed is the cost of a fingerprint rule per scanned byte. It works in
// rounds of two tight loops that call nothing and take no branch the text
// makes hard to predict, each in a function of its own so that the compiler
// keeps its few variables in registers: one decodes characters and keeps
// the letters and digits, the other rolls the hash over them and notes the
// k-grams kept. Then the round's marks are handed to fn.
func Each(text string, fn func(Mark)) {
	s := sampler{slowAt: -1}
	for i := 0; i < len(text); {
		i = s.decode(text, i)
		for j, p := range s.sel[:s.roll()] {
			fn(s.mark(p, s.selH[j]))
		}
		if i < len(text) && i != s.slowAt {
			// A character decode does not decode.
			var size int
			s.slow, size = utf8.DecodeRuneInString(text[i:])
			s.slowAt, s.slowEnd = i, i+size
		}
	}
}

// Sizes of a sampler's rings and rounds. A round adds at most round
// characters and a kept k-gram starts K-1 characters back: round+K < ring.
const (
	ring  = 256
	round = 128
)

// sampler is the state of Each between rounds.
type sampler struct {
	// Rings indexed by character number mod ring: the letters and digits
	// (zero before the text: they weigh nothing leaving the hash), and
	// where they end in the text.
	runes [ring]rune
	ends  [ring]int
	n     int    // characters kept so far
	p     int    // characters hashed so far
	h     uint64 // rolling hash of the last K of them

	sel  [round]int    // the last characters of the round's kept k-grams
	selH [round]uint64 // and their polynomial hashes

	// The character at slowAt, which decode does not decode, decoded by Each.
	slowAt, slowEnd int
	slow            rune
}

// mark returns the mark of the k-gram ending at character p, of
// polynomial hash h.
func (s *sampler) mark(p int, h uint64) Mark {
	first := s.runes[(p-K+1)&(ring-1)]
	return Mark{Hash: mix(h), Pos: p - K + 1, Start: s.ends[(p-K+1)&(ring-1)] - utf8.RuneLen(first), End: s.ends[p&(ring-1)]}
}

// decode reads up to round letters and digits of text from i on and
// returns where it stopped: at the end, after round of them or at a
// character it does not decode (not ASCII nor three bytes, or in the last
// three bytes) unless that is the one at slowAt. Every character is
// written to the next slot; only letters and digits move on to the one
// after, so that punctuation costs no branch.
func (s *sampler) decode(text string, i int) int {
	n := s.n
	for last := n + round; n < last; {
		var r rune
		if i == s.slowAt {
			r, i = s.slow, s.slowEnd
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
		c := n & (ring - 1)
		s.runes[c], s.ends[c] = r, i
		n += int(letters[r>>6] >> (r & 63) & 1)
	}
	s.n = n
	return i
}

// roll hashes the k-gram each character decoded since the last call ends,
// and puts in sel and selH the last character and hash of each one kept; it
// returns how many. Every k-gram is written to the next slot; only a kept
// one moves on to the one after.
func (s *sampler) roll() int {
	p, h, ns := s.p, s.h, 0
	for ; p < s.n; p++ {
		h = h*hashBase + uint64(s.runes[p&(ring-1)]) - uint64(s.runes[(p-K)&(ring-1)])*basePowK
		s.sel[ns], s.selH[ns] = p, h
		if p >= K-1 { // a whole k-gram: false only at the start
			ns += int((h*keepMul>>keepShift - 1) >> 63)
		}
	}
	s.p, s.h = p, h
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

// mix spreads the polynomial hash's bits (its low bits depend on few
// characters), so that any bits of a fingerprint can pick buckets and
// filter bits: an xorshift-multiply round.
func mix(x uint64) uint64 {
	x ^= x >> 32
	x *= 0xd6e8feb86659fd93
	x ^= x >> 32
	return x
}
