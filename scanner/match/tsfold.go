package match

import "unicode/utf8"

//go:generate go run -C internal/gen . -o ../../tsfold_table.go

// tsLimit bounds the runes the fold table covers: every traditional
// character OpenCC lists lies below it (planes 0-2).
const tsLimit = 0x30000

// tsFolder is a two-level rune table: index maps the high bits of a rune to
// a 256-rune page, page 0 being all zeros ("no mapping"). A lookup is two
// loads and no branch on page presence, which keeps Normalize fast on
// Chinese text; only pages holding a traditional character are allocated.
type tsFolder struct {
	index [tsLimit >> 8]uint16
	pages [][256]rune
}

var tsTable = newTSFolder(tsPairs)

// newTSFolder builds the table from a string of (traditional, simplified)
// rune pairs.
func newTSFolder(pairs string) *tsFolder {
	t := &tsFolder{pages: make([][256]rune, 1)}
	for len(pairs) > 0 {
		from, n := utf8.DecodeRuneInString(pairs)
		to, m := utf8.DecodeRuneInString(pairs[n:])
		pairs = pairs[n+m:]
		if from >= tsLimit {
			continue
		}
		p := t.index[from>>8]
		if p == 0 {
			t.pages = append(t.pages, [256]rune{})
			p = uint16(len(t.pages) - 1)
			t.index[from>>8] = p
		}
		t.pages[p][from&0xff] = to
	}
	return t
}

// foldTS returns the simplified form of a traditional Chinese character,
// or r itself when it has none.
func foldTS(r rune) rune {
	if r < 0 || r >= tsLimit {
		return r
	}
	if s := tsTable.pages[tsTable.index[r>>8]][r&0xff]; s != 0 {
		return s
	}
	return r
}
