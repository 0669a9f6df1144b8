package msdoc

import (
	"encoding/binary"
	"sort"
)

// Character properties that decide a run's part.
const (
	deleted  = 1 << iota // sprmCFRMarkDel: deleted under revision marks
	hidden               // sprmCFVanish: hidden text
	inserted             // sprmCFRMarkIns: inserted under revision marks
)

// charRun gives the properties of the characters from offset fc of the
// WordDocument stream to the next run.
type charRun struct {
	fc    uint32
	props uint8
}

// maxFKPs bounds the pages of character properties read, so that a
// damaged PlcfBteChpx cannot make the reader loop for long.
const maxFKPs = 1 << 16

// charRuns reads the runs of character properties of a Word 97 file: the
// PlcfBteChpx names the 512-byte pages (FKPs) of WordDocument that hold
// them, each page a list of offsets and of the properties (CHPX) of the
// runs between them. Only the revision and hidden marks are kept. Word
// 6/95 files name their pages in 16 bits and code their sprms in one byte.
func (f *fib) charRuns(wd []byte, hiddenStyle map[[2]int]bool) []charRun {
	plc := f.pair(iPlcfBteChpx)
	pnSize := 4
	if f.word6 {
		pnSize = 2
	}
	if len(plc) < 8+pnSize {
		return nil
	}
	le := binary.LittleEndian
	// No more pages than the stream holds: a damaged table repeating one
	// page cannot multiply the runs.
	n := min((len(plc)-4)/(4+pnSize), maxFKPs, len(wd)/512)
	var out []charRun
	for i := 0; i < n; i++ {
		var pn uint64
		if at := 4*(n+1) + pnSize*i; f.word6 {
			pn = uint64(le.Uint16(plc[at:]))
		} else {
			pn = uint64(le.Uint32(plc[at:]) & 0x3FFFFF)
		}
		if (pn+1)*512 > uint64(len(wd)) {
			continue
		}
		page := wd[pn*512 : (pn+1)*512]
		crun := int(page[511])
		if 4*(crun+1)+crun > 511 {
			continue
		}
		for j := 0; j < crun; j++ {
			run := charRun{fc: le.Uint32(page[4*j:])}
			if off := 2 * int(page[4*(crun+1)+j]); off > 0 && off < 511 {
				cb := int(page[off])
				var istd int
				run.props, istd = f.sprmProps(page[off+1 : min(511, off+1+cb)])
				if hiddenStyle[[2]int{charStyle, istd}] {
					run.props |= hidden
				}
			}
			out = append(out, run, charRun{fc: le.Uint32(page[4*j+4:])})
		}
	}
	// Runs come page by page in the order of the stream; sorted and with
	// each run's end as the start of a run of plain text, a lookup finds
	// the last run starting at or before a character.
	sort.SliceStable(out, func(a, b int) bool { return out[a].fc < out[b].fc })
	return out
}

// runAt returns the properties of the character at offset fc.
func runAt(runs []charRun, fc uint32) uint8 {
	i := sort.Search(len(runs), func(i int) bool { return runs[i].fc > fc })
	if i == 0 {
		return 0
	}
	return runs[i-1].props
}

// sprmProps reads the revision and hidden marks from a list of sprms g of
// the file's version, and the character style it names (-1 for none).
func (f *fib) sprmProps(g []byte) (uint8, int) {
	if f.word6 {
		return sprmProps6(g), -1
	}
	return sprmProps8(g)
}

// sprmProps8 reads the revision and hidden marks from a list of sprms
// ([MS-DOC] 2.2.5): each a 16-bit code whose top three bits give the
// size of its operand.
func sprmProps8(g []byte) (props uint8, istd int) {
	istd = -1
	for len(g) >= 2 {
		sprm := binary.LittleEndian.Uint16(g)
		g = g[2:]
		var size int
		switch sprm >> 13 {
		case 0, 1:
			size = 1
		case 2, 4, 5:
			size = 2
		case 3:
			size = 4
		case 7:
			size = 3
		case 6: // variable: a byte of size first (two for sprmTDefTable)
			if len(g) < 1 {
				return props, istd
			}
			size = 1 + int(g[0])
			if sprm == 0xD608 && len(g) >= 2 {
				size = 2 + int(binary.LittleEndian.Uint16(g))
			}
		}
		if size > len(g) {
			return props, istd
		}
		// A toggle's operand: 1 on, 0x81 the opposite of the style's
		// (taken as on: the style itself is not read), 0 and 0x80 off.
		on := g[0] == 1 || g[0] == 0x81
		switch sprm {
		case 0x0800:
			if on {
				props |= deleted
			}
		case 0x083C:
			if on {
				props |= hidden
			}
		case 0x0801:
			if on {
				props |= inserted
			}
		case 0x4A30: // sprmCIstd: the character style
			istd = int(binary.LittleEndian.Uint16(g))
		}
		g = g[size:]
	}
	return props, istd
}

// sprm6Size gives the operand sizes of the Word 6/95 character sprms (one
// byte each, as LibreOffice's table of them has it): a size, or -1 for an
// operand whose size is in the byte after the sprm. A sprm not listed ends
// the reading of its list.
var sprm6Size = map[byte]int{
	65: 1, 66: 1, 67: 1, 68: -1, 69: 2, 70: 4, 71: 1, 72: 2, 73: 3, 74: -1, 75: 1, 77: -1, 79: -1,
	80: 2, 81: -1, 82: -1, 83: 0, 85: 1, 86: 1, 87: 1, 88: 1, 89: 1, 90: 1, 91: 1, 92: 1, 93: 2,
	94: 1, 95: 3, 96: 2, 97: 2, 98: 1, 99: 2, 100: 1, 101: 2, 102: 1, 103: -1, 104: 1, 105: -1,
	106: -1, 107: 2, 108: -1, 109: 2, 110: 2, 111: -1, 112: -1, 113: -1, 114: -1, 115: -1,
}

// sprmProps6 reads the deleted (sprmCFStrikeRM, 65) and hidden
// (sprmCFVanish, 92) marks from a list of Word 6/95 sprms.
func sprmProps6(g []byte) uint8 {
	var props uint8
	for len(g) >= 1 {
		sprm := g[0]
		size, ok := sprm6Size[sprm]
		g = g[1:]
		if !ok {
			return props
		}
		if size < 0 {
			if len(g) < 1 {
				return props
			}
			size, g = int(g[0]), g[1:]
		}
		if size > len(g) {
			return props
		}
		on := size > 0 && (g[0] == 1 || g[0] == 0x81)
		switch {
		case sprm == 65 && on:
			props |= deleted
		case sprm == 92 && on:
			props |= hidden
		}
		g = g[size:]
	}
	return props
}

// maxStyleDepth bounds the chain of base styles followed, so that a style
// based on itself cannot loop.
const maxStyleDepth = 16

// Style kinds (stk).
const (
	paraStyle = 1
	charStyle = 2
)

// hiddenStyles returns the styles of a Word 97 file whose character
// properties, or those of the styles they are based on, make text hidden
// (sprmCFVanish), by kind and index in the stylesheet (STSH): a header
// (STSHI: the count of styles, the size of each style's base), then each
// style (STD) after its size: kind and base style, its name, and its
// property lists (UPX), each at an even offset after its size. A
// character style has one, its CHPX; a paragraph style two, its PAPX then
// its CHPX. Word 6/95 stylesheets are not read.
func (f *fib) hiddenStyles() map[[2]int]bool {
	stsh := f.pair(1)
	if f.word6 || len(stsh) < 2 {
		return nil
	}
	le := binary.LittleEndian
	n := int(le.Uint16(stsh))
	if 2+n > len(stsh) || n < 4 {
		return nil
	}
	cstd, baseSize := int(le.Uint16(stsh[2:])), int(le.Uint16(stsh[4:]))
	type style struct {
		kind, base int
		hidden     bool
	}
	styles := map[int]style{}
	p := 2 + n
	for istd := 0; istd < cstd && p+2 <= len(stsh); istd++ {
		size := int(le.Uint16(stsh[p:]))
		p += 2
		if p+size > len(stsh) {
			break
		}
		std := stsh[p : p+size]
		p += size
		if size == 0 || baseSize < 10 || len(std) < baseSize+2 {
			continue // an empty slot
		}
		kind := int(le.Uint16(std[2:]) & 0xF)
		if kind != paraStyle && kind != charStyle {
			continue
		}
		q := baseSize + 2 + 2*int(le.Uint16(std[baseSize:])) + 2 // after the name and its NUL
		var chpx []byte
		upxs := 1 // a character style's CHPX
		if kind == paraStyle {
			upxs = 2 // its PAPX, then its CHPX
		}
		for u := 0; u < upxs; u++ { // the CHPX is the last UPX of both kinds
			q += q & 1
			if q+2 > len(std) {
				break
			}
			cb := int(le.Uint16(std[q:]))
			chpx = std[q+2 : min(len(std), q+2+cb)]
			q += 2 + cb
		}
		props, _ := sprmProps8(chpx)
		styles[istd] = style{kind: kind, base: int(le.Uint16(std[2:]) >> 4), hidden: props&hidden != 0}
	}
	out := map[[2]int]bool{}
	for istd, s := range styles {
		kind := s.kind
		for d := 0; d < maxStyleDepth && !s.hidden; d++ {
			b, ok := styles[s.base]
			if !ok || s.base == 0x0FFF {
				break
			}
			s = b
		}
		if s.hidden {
			out[[2]int{kind, istd}] = true
		}
	}
	return out
}

// paraRuns returns the runs of paragraphs of a Word 97 file whose style
// is hidden: the PlcfBtePapx names the pages (FKPs) of paragraph
// properties, each a list of offsets, then for each paragraph a byte
// giving where its PAPX is (and 12 bytes of layout), the PAPX its size
// (in words) then its style's index.
func (f *fib) paraRuns(wd []byte, hiddenStyle map[[2]int]bool) []charRun {
	plc := f.pair(13)
	if f.word6 || len(hiddenStyle) == 0 || len(plc) < 12 {
		return nil
	}
	le := binary.LittleEndian
	n := min((len(plc)-4)/8, maxFKPs, len(wd)/512)
	var out []charRun
	for i := 0; i < n; i++ {
		pn := uint64(le.Uint32(plc[4*(n+1)+4*i:]) & 0x3FFFFF)
		if (pn+1)*512 > uint64(len(wd)) {
			continue
		}
		page := wd[pn*512 : (pn+1)*512]
		crun := int(page[511])
		if 4*(crun+1)+13*crun > 511 {
			continue
		}
		for j := 0; j < crun; j++ {
			off := 2 * int(page[4*(crun+1)+13*j])
			if off == 0 || off+3 >= 511 {
				continue
			}
			at := off + 1 // cb, then the istd
			if page[off] == 0 {
				at++ // a zero cb: the size is in the next byte
			}
			if at+2 > 511 || !hiddenStyle[[2]int{paraStyle, int(le.Uint16(page[at:]))}] {
				continue
			}
			out = append(out, charRun{fc: le.Uint32(page[4*j:]), props: hidden}, charRun{fc: le.Uint32(page[4*j+4:])})
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return out[a].fc < out[b].fc })
	return out
}
