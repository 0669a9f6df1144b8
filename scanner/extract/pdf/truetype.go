package pdf

import "encoding/binary"

// ttMaxGlyphs bounds the glyph-to-Unicode entries read from one font's cmap.
const ttMaxGlyphs = 1 << 17

// trueTypeUnicode reads the Unicode cmap of an embedded TrueType font
// program and returns it inverted: the character of each glyph number. A
// CID font without ToUnicode that embeds its TrueType program (Word and WPS
// write such fonts for 宋体) can be read this way; poppler instead reads
// the glyph numbers as Adobe CIDs and prints other characters. It returns
// nil for a font it cannot read.
func trueTypeUnicode(font []byte) map[uint16]rune {
	u16 := func(off int) int {
		if off < 0 || off+2 > len(font) {
			return -1
		}
		return int(binary.BigEndian.Uint16(font[off:]))
	}
	u32 := func(off int) int64 {
		if off < 0 || off+4 > len(font) {
			return -1
		}
		return int64(binary.BigEndian.Uint32(font[off:]))
	}
	cmapOff := -1
	for i := range max(u16(4), 0) {
		rec := 12 + 16*i
		if rec+16 > len(font) {
			return nil
		}
		if string(font[rec:rec+4]) == "cmap" {
			cmapOff = int(u32(rec + 8))
		}
	}
	if cmapOff < 0 {
		return nil
	}
	// The best subtable: full Unicode (3,10 or 0,4), then BMP (3,1 or 0,x).
	best, bestRank := -1, 0
	for i := range max(u16(cmapOff+2), 0) {
		rec := cmapOff + 4 + 8*i
		platform, encoding := u16(rec), u16(rec+2)
		rank := 0
		switch {
		case platform == 3 && encoding == 10, platform == 0 && encoding == 4:
			rank = 3
		case platform == 3 && encoding == 1:
			rank = 2
		case platform == 0:
			rank = 1
		}
		if rank > bestRank {
			best, bestRank = cmapOff+int(u32(rec+4)), rank
		}
	}
	if best < 0 {
		return nil
	}
	out := map[uint16]rune{}
	add := func(r rune, gid int) {
		if gid > 0 && gid <= 0xffff && len(out) < ttMaxGlyphs {
			if _, ok := out[uint16(gid)]; !ok {
				out[uint16(gid)] = r
			}
		}
	}
	switch u16(best) {
	case 4:
		segs := u16(best+6) / 2
		ends, starts := best+14, best+16+2*segs
		deltas, ranges := starts+2*segs, starts+4*segs
		for s := range max(segs, 0) {
			end, start := u16(ends+2*s), u16(starts+2*s)
			delta, ro := u16(deltas+2*s), u16(ranges+2*s)
			if end < 0 || start < 0 || start > end || end == 0xffff && start == 0xffff {
				continue
			}
			for c := start; c <= end && len(out) < ttMaxGlyphs; c++ {
				gid := (c + delta) & 0xffff
				if ro > 0 {
					g := u16(ranges + 2*s + ro + 2*(c-start))
					if g <= 0 {
						continue
					}
					gid = (g + delta) & 0xffff
				}
				add(rune(c), gid)
			}
		}
	case 12:
		groups := u32(best + 12)
		for g := int64(0); g < groups && len(out) < ttMaxGlyphs; g++ {
			rec := best + 16 + int(12*g)
			start, end, gid := u32(rec), u32(rec+4), u32(rec+8)
			if start < 0 || end < start || end > 0x10ffff || gid < 0 {
				break
			}
			for c := start; c <= end && len(out) < ttMaxGlyphs; c++ {
				add(rune(c), int(gid+c-start))
			}
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
