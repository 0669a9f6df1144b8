package pdf

import (
	"cmp"
	"math"
	"slices"
	"strings"
	"unicode/utf8"
)

// Layout thresholds, in ems of the glyphs compared.
const (
	lineTolerance = 0.5  // baselines closer than this are one line
	wordGap       = 0.2  // a wider gap between Latin glyphs is a space
	dupAlong      = 0.1  // a glyph redrawn this close along the line ...
	dupAcross     = 0.2  // ... and across it is fake bold, kept once
	dupLookBack   = 8    // glyphs looked back at for a redrawn one
	minGlyphSize  = 1e-3 // floor for degenerate sizes
)

// laidGlyph is a glyph in the frame of its line: u runs along the line in
// reading order, v across lines in reading order.
type laidGlyph struct {
	u, v, adv, size float64
	text            string
	wide            bool
}

// layoutText rebuilds the lines of a page from its glyphs: glyphs of one
// orientation are grouped into lines by baseline, each line is read along
// its direction (top to bottom for vertical writing), glyphs redrawn at the
// same place (fake bold) are kept once, and a space is put where a gap
// between Latin glyphs is wider than a fifth of an em.
func layoutText(glyphs []placedGlyph) string {
	// A group per orientation: 4 quarter turns, horizontal or vertical.
	// Counting first sizes each group once: pages run to thousands of
	// glyphs, and growing the slices was a tenth of the allocation of a
	// PDF scan.
	group := func(g placedGlyph) int {
		k := int(g.rot&3) * 2
		if g.vert {
			k++
		}
		return k
	}
	var count [8]int
	var order []int
	for _, g := range glyphs {
		k := group(g)
		if count[k] == 0 {
			order = append(order, k)
		}
		count[k]++
	}
	var groups [8][]laidGlyph
	for _, k := range order {
		groups[k] = make([]laidGlyph, 0, count[k])
	}
	for _, g := range glyphs {
		u0, v0 := frame(g.x0, g.y0, g.rot, g.vert)
		u1, _ := frame(g.x1, g.y1, g.rot, g.vert)
		r, _ := utf8.DecodeRuneInString(g.text)
		k := group(g)
		groups[k] = append(groups[k], laidGlyph{
			u: u0, v: v0, adv: u1 - u0,
			size: max(g.size, minGlyphSize),
			text: g.text, wide: isWide(r),
		})
	}
	var b strings.Builder
	for _, k := range order {
		gs := groups[k]
		slices.SortStableFunc(gs, func(x, y laidGlyph) int { return cmp.Compare(x.v, y.v) })
		for start := 0; start < len(gs); {
			end := start + 1
			for end < len(gs) && gs[end].v-gs[start].v <= lineTolerance*min(gs[start].size, gs[end].size) {
				end++
			}
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			writeLine(&b, gs[start:end])
			start = end
		}
	}
	return b.String()
}

// frame maps a point of user space to (along, across) coordinates for text
// of the given orientation: horizontal lines run left to right and follow
// each other downwards; vertical columns run downwards and follow each other
// leftwards.
func frame(x, y float64, rot int8, vert bool) (u, v float64) {
	switch rot {
	case 1:
		x, y = y, -x
	case 2:
		x, y = -x, -y
	case 3:
		x, y = -y, x
	}
	if vert {
		return -y, -x
	}
	return x, -y
}

// writeLine writes the glyphs of one line in reading order.
func writeLine(b *strings.Builder, line []laidGlyph) {
	slices.SortStableFunc(line, func(x, y laidGlyph) int { return cmp.Compare(x.u, y.u) })
	kept := line[:0]
	for _, g := range line {
		if !redrawn(kept, g) {
			kept = append(kept, g)
		}
	}
	space := true // no space at the start of a line
	for i, g := range kept {
		if strings.TrimSpace(g.text) == "" {
			if !space {
				b.WriteByte(' ')
				space = true
			}
			continue
		}
		if i > 0 && !space {
			p := kept[i-1]
			gap := g.u - (p.u + p.adv)
			if gap > wordGap*min(p.size, g.size) && !(p.wide && g.wide) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(g.text)
		space = false
	}
}

// redrawn reports whether g repeats one of the last glyphs kept: the same
// text at nearly the same place, as producers draw fake bold.
func redrawn(kept []laidGlyph, g laidGlyph) bool {
	for j := len(kept) - 1; j >= 0 && j >= len(kept)-dupLookBack; j-- {
		k := kept[j]
		if g.u-k.u > dupAlong*g.size {
			return false
		}
		if k.text == g.text && math.Abs(g.v-k.v) <= dupAcross*g.size {
			return true
		}
	}
	return false
}

// glyphShare formats the share of unmapped glyphs as a whole percentage.
func glyphShare(unmapped, total int) int {
	return int(math.Round(100 * float64(unmapped) / float64(max(total, 1))))
}
