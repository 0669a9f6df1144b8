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

// basePowK is hashBase^K mod 2^64: what the character leaving the k-gram
// weighs.
var basePowK = func() uint64 {
	p := uint64(1)
	for range K {
		p *= hashBase
	}
	return p
}()

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
func Each(text string, fn func(Mark)) {
	// ring holds the byte offsets of the last K kept characters and their
	// code points; win the last W k-grams as a deque of increasing hashes.
	var (
		starts [K]int
		runes  [K]rune
		n      int // characters kept so far
		slot   int // n % K, where the next character goes in the ring
		h      uint64
		win    [W]Mark
		head   int // win[head:head+size] (mod W) is the deque
		size   int
		last   = -1 // Pos of the last mark given to fn
	)
	for i := 0; i < len(text); {
		r, sz := rune(text[i]), 1
		switch {
		case r < utf8.RuneSelf:
		case r&0xf0 == 0xe0 && i+2 < len(text) && text[i+1]&0xc0 == 0x80 && text[i+2]&0xc0 == 0x80:
			// Three bytes, as Han characters are: decoded inline.
			r, sz = (r&0x0f)<<12|rune(text[i+1]&0x3f)<<6|rune(text[i+2]&0x3f), 3
		default:
			r, sz = utf8.DecodeRuneInString(text[i:])
		}
		at := i
		i += sz
		if !counts(r) {
			continue
		}
		h = h*hashBase + uint64(r)
		if n >= K {
			h -= uint64(runes[slot]) * basePowK // the character leaving
		}
		runes[slot], starts[slot] = r, at
		n++
		if slot++; slot == K {
			slot = 0
		}
		if n < K {
			continue
		}
		pos := n - K
		m := Mark{Hash: mix(h), Pos: pos, Start: starts[slot], End: i}
		// Drop from the back every k-gram not smaller than the new one: it
		// can no longer be a window's rightmost minimum.
		for size > 0 && win[(head+size-1)&(W-1)].Hash >= m.Hash {
			size--
		}
		win[(head+size)&(W-1)] = m
		size++
		if win[head].Pos <= pos-W {
			head, size = (head+1)&(W-1), size-1
		}
		if min := win[head]; pos >= W-1 && min.Pos != last {
			fn(min)
			last = min.Pos
		}
	}
	// A text shorter than one window still has its smallest k-gram.
	if n >= K && n-K < W-1 && size > 0 {
		fn(win[head])
	}
}

// counts reports whether r is a letter or a digit, the common cases first.
func counts(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	case 0x4e00 <= r && r <= 0x9fff: // CJK Unified Ideographs
		return true
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r)
}

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
