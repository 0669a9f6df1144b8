package msdoc_test

import (
	"encoding/binary"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// pc is a piece of a built document: its text, UTF-16 or 8-bit (Latin-1
// for Word 97, the raw bytes given for Word 6/95).
type pc struct {
	text    string
	wide    bool
	deleted bool // the Prm names the Prc, which marks the piece deleted
}

// charProps marks characters [from, to) of the document's text with the
// sprms of a CHPX.
type charProps struct {
	from, to int
	grpprl   []byte
}

// paraStyle gives characters [from, to) of the document's text, a
// paragraph, the style istd.
type paraStyle struct {
	from, to int
	istd     uint16
}

// word is a Word document to build: Word 97 unless word6.
type word struct {
	word6   bool
	complex bool // Word 6/95: with a piece table
	flags   uint16
	lid     uint16
	nFib    uint16
	pieces  []pc
	ccp     [8]uint32 // body, footnotes, headers, macros, comments, endnotes, text boxes, header text boxes
	hdd     []uint32  // the PlcfHdd's character positions
	fonts   []byte    // the SttbfFfn
	stsh    []byte    // the stylesheet
	paras   []paraStyle
	runs    []charProps
	extra   []cfb.Stream
	noTable bool
	tableAt int // bytes left free at the start of the table stream
}

func le16(b []byte, v uint16) []byte { return binary.LittleEndian.AppendUint16(b, v) }
func le32(b []byte, v uint32) []byte { return binary.LittleEndian.AppendUint32(b, v) }

// build writes the document as a compound file.
func (w word) build() []byte { return cfb.Build(w.streams()...) }

// streams returns the streams of the document.
func (w word) streams() []cfb.Stream {
	const textAt = 0x400
	var fibLen, fcLcbAt, ccpAt int
	if w.word6 {
		fibLen, fcLcbAt, ccpAt = 0x168, 0x58, 0x34
	} else {
		fibLen, fcLcbAt, ccpAt = 0x9A+93*8, 0x9A, 0x40+12
	}
	wd := make([]byte, textAt, 4096)
	// The text, piece after piece; each piece's offset and length in bytes.
	var fcs []uint32
	var cps []uint32
	cp := uint32(0)
	for _, p := range w.pieces {
		fcs = append(fcs, uint32(len(wd)))
		cps = append(cps, cp)
		if p.wide {
			u := utf16.Encode([]rune(p.text))
			for _, c := range u {
				wd = le16(wd, c)
			}
			cp += uint32(len(u))
		} else {
			wd = append(wd, p.text...)
			cp += uint32(len(p.text))
		}
	}
	cps = append(cps, cp)
	textEnd := uint32(len(wd))
	// fcOf is the offset of character n of the document.
	fcOf := func(n int) uint32 {
		for i := len(w.pieces) - 1; i >= 0; i-- {
			if uint32(n) >= cps[i] {
				if w.pieces[i].wide {
					return fcs[i] + 2*(uint32(n)-cps[i])
				}
				return fcs[i] + uint32(n) - cps[i]
			}
		}
		return 0
	}
	// Word 6/95 keeps its tables in WordDocument itself; an encrypted
	// file's table stream starts with the encryption header.
	tables := make([]byte, w.tableAt)
	pairs := make([][2]uint32, 34)
	put := func(i int, b []byte) {
		if w.word6 {
			wd = append(wd, b...)
			pairs[i] = [2]uint32{uint32(len(wd) - len(b)), uint32(len(b))}
			return
		}
		pairs[i] = [2]uint32{uint32(len(tables)), uint32(len(b))}
		tables = append(tables, b...)
	}
	if !w.word6 || w.complex {
		// The CLX: a Prc (as a fast save leaves: sprmCFRMarkDel) then
		// the Pcdt.
		clx := []byte{1, 3, 0, 0x00, 0x08, 1}
		var plc []byte
		for _, c := range cps {
			plc = le32(plc, c)
		}
		for i, p := range w.pieces {
			fc := fcs[i]
			if !p.wide && !w.word6 {
				fc = fc*2 | 0x40000000
			}
			plc = le16(plc, 0)
			plc = le32(plc, fc)
			if p.deleted {
				plc = le16(plc, 1) // Prc 0
			} else {
				plc = le16(plc, 0)
			}
		}
		clx = append(clx, 2)
		clx = le32(clx, uint32(len(plc)))
		put(33, append(clx, plc...))
	}
	if w.hdd != nil {
		var plc []byte
		for _, c := range w.hdd {
			plc = le32(plc, c)
		}
		put(11, plc)
	}
	if w.fonts != nil {
		put(15, w.fonts)
	}
	if w.stsh != nil {
		put(1, w.stsh)
	}
	if w.runs != nil {
		// One FKP page of runs after the text, on a 512-byte boundary.
		for len(wd)%512 != 0 {
			wd = append(wd, 0)
		}
		pn := uint32(len(wd) / 512)
		page := make([]byte, 512)
		page[511] = byte(len(w.runs))
		at := 4 * (len(w.runs) + 1)
		grp := 510
		for j, r := range w.runs {
			binary.LittleEndian.PutUint32(page[4*j:], fcOf(r.from))
			binary.LittleEndian.PutUint32(page[4*j+4:], fcOf(r.to))
			grp -= len(r.grpprl) + 1
			grp &^= 1
			page[grp] = byte(len(r.grpprl))
			copy(page[grp+1:], r.grpprl)
			page[at+j] = byte(grp / 2)
		}
		wd = append(wd, page...)
		var plc []byte
		plc = le32(plc, fcOf(w.runs[0].from))
		plc = le32(plc, fcOf(w.runs[len(w.runs)-1].to))
		if w.word6 {
			put(12, le16(plc, uint16(pn)))
		} else {
			put(12, le32(plc, pn))
		}
	}
	if w.paras != nil {
		// One FKP page of paragraphs: offsets, then for each a BX (the
		// PAPX's place in words, 12 bytes of layout), PAPXs at the end.
		for len(wd)%512 != 0 {
			wd = append(wd, 0)
		}
		pn := uint32(len(wd) / 512)
		page := make([]byte, 512)
		page[511] = byte(len(w.paras))
		at := 4 * (len(w.paras) + 1)
		papx := 510
		for j, p := range w.paras {
			binary.LittleEndian.PutUint32(page[4*j:], fcOf(p.from))
			binary.LittleEndian.PutUint32(page[4*j+4:], fcOf(p.to))
			papx -= 4
			page[papx] = 2 // 2*2-1 = 3 bytes: the istd and one byte of sprms
			binary.LittleEndian.PutUint16(page[papx+1:], p.istd)
			page[at+13*j] = byte(papx / 2)
		}
		wd = append(wd, page...)
		plc := le32(nil, fcOf(w.paras[0].from))
		plc = le32(plc, fcOf(w.paras[len(w.paras)-1].to))
		put(13, le32(plc, pn))
	}
	// The FIB.
	nFib := w.nFib
	if nFib == 0 {
		nFib = 193
		if w.word6 {
			nFib = 104
		}
	}
	fib := wd[:fibLen]
	binary.LittleEndian.PutUint16(fib[0:], 0xA5EC)
	binary.LittleEndian.PutUint16(fib[2:], nFib)
	binary.LittleEndian.PutUint16(fib[6:], w.lid)
	flags := w.flags
	if !w.word6 {
		flags |= 0x0200 // the table in 1Table
	}
	if w.complex {
		flags |= 0x0004
	}
	binary.LittleEndian.PutUint16(fib[0x0A:], flags)
	binary.LittleEndian.PutUint32(fib[0x18:], textAt)
	binary.LittleEndian.PutUint32(fib[0x1C:], textEnd)
	if !w.word6 {
		binary.LittleEndian.PutUint16(fib[0x20:], 14)
		binary.LittleEndian.PutUint16(fib[0x3E:], 22)
		binary.LittleEndian.PutUint16(fib[0x98:], 93)
	}
	for i, n := range w.ccp {
		binary.LittleEndian.PutUint32(fib[ccpAt+4*i:], n)
	}
	for i, p := range pairs {
		binary.LittleEndian.PutUint32(fib[fcLcbAt+8*i:], p[0])
		binary.LittleEndian.PutUint32(fib[fcLcbAt+8*i+4:], p[1])
	}
	streams := []cfb.Stream{{Path: "WordDocument", Data: wd}}
	if !w.word6 && !w.noTable {
		streams = append(streams, cfb.Stream{Path: "1Table", Data: tables})
	}
	return append(streams, w.extra...)
}

// body is a Word 97 document whose body is text, in one UTF-16 piece.
func body(text string) word {
	return word{pieces: []pc{{text: text, wide: true}}, ccp: [8]uint32{uint32(len(utf16.Encode([]rune(text))))}}
}
