package match

import (
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// A step is what one character of a chunk's NFKC form becomes (see fold):
// its kind, and for a kept character the rune emitted and its class. In
// the fast path's table (normTables.chars) it also carries flags about the
// original character.
type step uint32

const (
	stepRune      = 1<<21 - 1 // the rune emitted
	stepClsShift  = 21        // its class (3 bits)
	stepKindShift = 24        // its kind (2 bits)

	// The flags, in the table only.
	stepInert   = 1 << 26 // nothing after the character joins its chunk
	stepStarter = 1 << 27 // the character joins no chunk before it
)

// Kinds of step.
const (
	kindDrop   = iota // dropped (an ignorable character)
	kindSpace         // whitespace, folded with its neighbours
	kindJoiner        // a joiner, perhaps dropped between CJK characters
	kindChar          // emitted
)

func (s step) kind() int  { return int(s>>stepKindShift) & 3 }
func (s step) r() rune    { return rune(s & stepRune) }
func (s step) class() int { return int(s>>stepClsShift) & 7 }

// fold says what out, a character of the NFKC form of a chunk whose first
// character is orig, becomes.
func fold(orig, out rune) step {
	if ignorable(out) {
		return kindDrop << stepKindShift
	}
	if unicode.IsSpace(out) {
		return kindSpace << stepKindShift
	}
	out = foldTS(unicode.ToLower(out))
	if isJoiner(out) {
		return kindJoiner<<stepKindShift | step(out)
	}
	return kindChar<<stepKindShift | step(classOf(orig, out))<<stepClsShift | step(out)
}

// normTables are the fast path's tables for the BMP, built from the rules
// the slow path applies, so they cannot drift from it (TestNormalizeFast
// compares the two for every character).
type normTables struct {
	// stable gives the class of a three-byte character emitted in runs
	// (stableRun), and 0 for any other: one that is always a chunk of its
	// own (stepInert and stepStarter in chars) and that normalization
	// leaves unchanged or, flagged runFolded, turns into another
	// three-byte character (a traditional ideograph).
	stable [0x10000]uint8
	// chars gives, for a character the slow path turns into one character
	// when it is a chunk of its own, what fold makes of that character
	// (kind 0 otherwise), and for every character the flags stepInert (its
	// chunk is always itself alone: NFKC's boundary after) and stepStarter
	// (it is not ignorable and has a boundary before, so it ends the chunk
	// of the character before it).
	chars [0x10000]step
}

// runFolded flags a character of normTables.stable that is folded.
const runFolded = 8

// fastTables is built on first use, not at start-up: that takes about
// 10 ms, which every baomi process, extraction children and
// commands that never normalize included, would pay otherwise.
var fastTables = sync.OnceValue(func() *normTables {
	t := new(normTables)
	var n normalizer
	// Every character in one string, so that each is a substring: a
	// conversion per character allocated 12,000 times.
	var b []byte
	for r := rune(utf8.RuneSelf); r < 0x10000; r++ {
		if r < 0xd800 || r > 0xdfff {
			b = utf8.AppendRune(b, r)
		}
	}
	all := string(b)
	for i := 0; i < len(all); {
		r, size := utf8.DecodeRuneInString(all[i:])
		s := all[i : i+size]
		i += size
		p := norm.NFKC.PropertiesString(s)
		var e step
		if p.BoundaryAfter() {
			e |= stepInert
		}
		if p.BoundaryBefore() && !ignorable(r) {
			e |= stepStarter
		}
		if out := n.nfkc(s, true); !ignorable(r) && utf8.RuneCount(out) == 1 {
			o, _ := utf8.DecodeRune(out)
			e |= fold(r, o)
		}
		t.chars[r] = e
		if r >= 0x800 && e.kind() == kindChar && e&stepInert != 0 && e&stepStarter != 0 && utf8.RuneLen(e.r()) == 3 {
			t.stable[r] = uint8(e.class())
			if e.r() != r {
				t.stable[r] |= runFolded
			}
		}
	}
	return t
})
