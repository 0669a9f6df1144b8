// Package fingerprint registers documents by hashes of their text's
// character k-grams and finds the passages another text shares with them.
// Which k-grams it keeps depends on the text's content only, so that two
// texts sharing a passage keep the same ones in it: those whose last four
// characters hash into one P-th of the hash range (sampling by hash value,
// as Manber's "Finding similar files in a large file system", 1994, does
// with anchors), and after each of those one in every G k-grams until the
// next, so that fingerprints are never more than G apart (the bound
// winnowing gives, Schleimer, Wilkerson and Aiken, 2003, at the cost of a
// window's minimum per character). An index holds hashes and labels, never
// text: what was registered cannot be read back from it.
//
// The text given here is already normalized by the caller (package match):
// full-width forms, traditional characters and case do not matter. On top of
// that only letters and digits count, so spacing and punctuation changed by a
// copyist do not change the fingerprints.
package fingerprint

import (
	"math"
	"math/bits"
	"slices"
	"sync"
	"unicode"
	"unicode/utf8"
)

// Parameters of the sampling. A shared passage of n k-grams (n+K-1 letters
// and digits) has no k-gram kept for its hash with probability (1-1/P)^n:
// 0.55 % for a passage of 50 characters (39 k-grams), 2.6e-5 for one of
// 90; otherwise both texts keep the same k-grams in it from the first one
// kept for its hash on, at most G apart. About one k-gram in seven is kept
// (1/P for their hash, plus 1/P(1-1/P)^G/(1-(1-1/P)^G) as gap fillers).
// Passages shorter than K are never seen. Changing them changes every
// fingerprint: an index records K and P, its version the rest, and Load
// refuses one built otherwise.
const (
	K = 12 // characters in a k-gram
	P = 8  // one k-gram in P is kept for its hash, on average (a power of two)
	G = 16 // and one in G after such a one, until the next (a power of two)
)

// Mark is one fingerprint selected from a text: the hash of a k-gram, its
// position in k-grams from the text's start, and the byte span of the
// k-gram's characters in the text.
type Mark struct {
	Hash       uint64
	Pos        int
	Start, End int
}

// gramMul are the multipliers of a k-gram's hash: odd, of random bits. The
// hash is multilinear: the k-gram's letter keys packed two to a word
// (first in the upper half), each word times its multiplier, summed and
// mixed; its six products are independent of one another.
var gramMul = [K / 2]uint64{0x9ae16a3b2f90404f, 0xc2b2ae3d27d4eb4f, 0x165667b19e3779f9, 0xd6e8feb86659fd93, 0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9}

const _ = uint(K-12) + uint(12-K) // emit writes the hash out for K = 12

// keepMul and keepShift select the k-grams kept for their hash: those
// whose last four characters' keys, packed (see keep) and times keepMul,
// have the top log2(P) bits of their product clear.
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
	Each(text, func(ms []Mark) { marks = append(marks, ms...) })
	return marks
}

// Each hands fn the fingerprints Marks would return, in order, some at a
// time, without collecting them: fn must not keep the slice, which is
// reused once it returns.
//
// Its speed is the cost of a fingerprint rule per scanned byte. It works in
// rounds of one tight loop that calls nothing, in a function of its own so
// that the compiler keeps its few variables in registers: it reads
// characters, keeps the letters and digits, and notes those that end a
// k-gram kept for its hash. A Han character of the common block costs no
// decoding: its bytes are its key. Then the round's k-grams kept are
// hashed and handed to fn, with the ones every G letters after them.
func Each(text string, fn func([]Mark)) { each(text, nil, fn) }

// each is Each handing only the marks that may be fingerprints in one of
// filters, when there are any (see Find).
func each(text string, filters [][]uint64, fn func([]Mark)) {
	s := samplers.Get().(*sampler)
	defer func() {
		s.filters = nil // not kept alive by the pool
		samplers.Put(s)
	}()
	// What the rings hold is never read before this call writes it.
	s.n, s.p1, s.x, s.next, s.ns = 0, 0, 0, math.MaxInt, 0
	s.out, s.held = s.buf[0][:0], s.buf[1][:0]
	s.filters, s.late = filters, slices.ContainsFunc(filters, large)
	for i := 0; ; {
		i = s.scan(text, i)
		if i < len(text) && i < s.stop {
			// A character scan does not read: of two or four bytes, in
			// the last three bytes, or not UTF-8.
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if r != utf8.RuneError && isLetter(r) {
				s.push(key(text[i-size:i]), i)
			}
		}
		s.flush()
		s.hand(fn)
		if i >= len(text) {
			if s.late {
				s.hand(fn) // the last round's, held
			}
			return
		}
	}
}

// key returns a character's key: its UTF-8 bytes as a little-endian number.
func key(c string) uint32 {
	var k uint32
	for j := len(c) - 1; j >= 0; j-- {
		k = k<<8 | uint32(c[j])
	}
	return k
}

// keyLen returns the length in bytes of the character of key k (not 0):
// its bytes up to the last that is not zero, which no character's is.
func keyLen(k uint32) int { return (bits.Len32(k) + 7) / 8 }

// Sizes of a sampler's rings and rounds. A round reads at most round bytes,
// so adds at most round letters (and push one more), and a kept k-gram
// starts K-1 letters back: round+1+K < ring.
const (
	ring  = 256
	round = 240
)

// samplers keeps samplers for reuse: a text of a few kilobytes costs less
// than making and clearing one (some 24 KB).
var samplers = sync.Pool{New: func() any { return new(sampler) }}

// sampler is the state of Each between rounds.
type sampler struct {
	// Rings indexed by letter number mod ring: the keys of the letters and
	// digits, each with the one before it in the upper half (as the k-gram
	// hash packs them), and where they end in the text.
	pairs [ring]uint64
	ends  [ring]int
	n     int    // letters so far
	p1    uint32 // the key of the last
	x     uint64 // the keys of the letters so far, 20 bits apart (see keep)
	stop  int    // where the round stops: at most round bytes on
	next  int    // the next letter ending a k-gram kept as a gap filler

	sel [ring]int // the round's letters ending a k-gram kept for its hash
	ns  int

	out []Mark // the round's marks, in buf

	filters [][]uint64 // of the indexes Find looks in; none for Each
	late    bool       // one of them is large: see hand
	held    []Mark     // the last round's marks, in the other buf, if late

	buf [2][ring + ring/G + 1]Mark
}

// keep reports (as 1 or 0) whether the k-gram ending in the last letter
// of x is kept for its hash. x holds the keys of the letters up to it, each
// shifted 20 bits up by the next: the last four count, the oldest by its
// low four bits only.
func keep(x uint64) int {
	return int((x*keepMul>>keepShift - 1) >> 63)
}

// push adds the letter of key k, ending at i, read by Each: as scan does.
func (s *sampler) push(k uint32, i int) {
	c := s.n & (ring - 1)
	s.pairs[c], s.ends[c] = uint64(s.p1)<<32|uint64(k), i
	s.sel[s.ns&(ring-1)] = s.n
	s.x = s.x<<20 ^ uint64(k)
	s.ns += keep(s.x)
	s.p1 = k
	s.n++
}

// flush adds to out the k-grams kept among the letters read since the
// last flush: those kept for their hash, and after each of them one in
// every G until the next (none before the first: where they fall would
// depend on where the text starts).
func (s *sampler) flush() {
	for _, p := range s.sel[:s.ns] {
		s.fill(p)
		s.emit(p)
		s.next = p + G
	}
	s.ns = 0
	s.fill(s.n)
}

// fill adds the gap fillers before letter p.
func (s *sampler) fill(p int) {
	for ; s.next < p; s.next += G {
		s.emit(s.next)
	}
}

// emit adds the mark of the k-gram ending at letter p, if there is one.
func (s *sampler) emit(p int) {
	if p < K-1 {
		return
	}
	// The hash (see gramMul), of the pairs ending at every other letter,
	// written out: as a loop it made Each 7 % slower.
	r := &s.pairs
	h := mix(r[(p-10)&(ring-1)]*gramMul[0] + r[(p-8)&(ring-1)]*gramMul[1] + r[(p-6)&(ring-1)]*gramMul[2] +
		r[(p-4)&(ring-1)]*gramMul[3] + r[(p-2)&(ring-1)]*gramMul[4] + r[p&(ring-1)]*gramMul[5])
	if len(s.filters) > 0 && !s.late && !s.may(h) {
		return // Find's: tested now, in filters that are in the caches
	}
	first := p - K + 1
	s.out = append(s.out, Mark{Hash: h, Pos: first, Start: s.ends[first&(ring-1)] - keyLen(uint32(s.pairs[first&(ring-1)])), End: s.ends[p&(ring-1)]})
}

// Han characters from U+4E00 to U+9FFF, the common block, all letters: the
// big-endian values of their UTF-8 bytes lie between hanLo and hanHi.
const (
	hanLo = 0xe4b880
	hanHi = 0xe9bfbf
)

// scan reads characters of text from i on, up to round bytes, and returns
// where it stopped: there, at the end or at a character it does not read
// (of two or four bytes, in the last three bytes, or not UTF-8).
func (s *sampler) scan(text string, i int) int {
	n, ns, p1, x := s.n, s.ns, s.p1, s.x
	s.stop = i + round
	for lim := min(s.stop, len(text)-3); i < lim; {
		t := text[i : i+4]
		v := uint32(t[0]) | uint32(t[1])<<8 | uint32(t[2])<<16 | uint32(t[3])<<24
		var k uint32
		if v&0xc0c0f0 == 0x8080e0 && bits.ReverseBytes32(v)>>8-hanLo <= hanHi-hanLo {
			k = v & 0xffffff // a common Han character: a letter
			i += 3
		} else {
			var r uint32
			if v&0xc0c0f0 == 0x8080e0 {
				k, r = v&0xffffff, v&0x0f<<12|v>>2&0xfc0|v>>16&0x3f
				if r < 0x800 {
					r = utf8.RuneError // overlong: none of its bytes counts
				}
				i += 3
			} else if v&0x80 == 0 {
				k, r = v&0x7f, v&0x7f
				i++
			} else {
				break
			}
			if letters[r>>6&(1<<16/64-1)]>>(r&63)&1 == 0 { // r < 1<<16
				continue
			}
		}
		c := n & (ring - 1)
		s.pairs[c], s.ends[c] = uint64(p1)<<32|uint64(k), i
		s.sel[ns&(ring-1)] = n
		x = x<<20 ^ uint64(k)
		ns += keep(x)
		p1 = k
		n++
	}
	s.n, s.ns, s.p1, s.x = n, ns, p1, x
	return i
}

// isLetter reports whether r, a valid code point, is a letter or a digit.
func isLetter(r rune) bool { return letters[r>>6]>>(r&63)&1 != 0 }

// letters has the bit of every letter and digit set: one load classes a
// character, where unicode.IsLetter searches tables. (136 KiB, of which
// the Basic Multilingual Plane's 8 KiB are the ones in use.)
var letters = func() (b [(utf8.MaxRune + 1) / 64]uint64) {
	// Whole words at a time where a range covers them: built at every
	// start of every baomi process, a bit at a time took 0.2 ms, now
	// about 0.05.
	set := func(lo, hi, stride uint32) {
		for r := lo; r <= hi; {
			if stride == 1 && r&63 == 0 && hi-r >= 63 {
				b[r>>6], r = ^uint64(0), r+64
				continue
			}
			b[r>>6] |= 1 << (r & 63)
			r += stride
		}
	}
	for _, t := range []*unicode.RangeTable{unicode.L, unicode.N} {
		for _, rg := range t.R16 {
			set(uint32(rg.Lo), uint32(rg.Hi), uint32(rg.Stride))
		}
		for _, rg := range t.R32 {
			set(rg.Lo, rg.Hi, rg.Stride)
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
