package metafile

import (
	"encoding/binary"
	"math"
)

var le = binary.LittleEndian

// EMF record types read ([MS-EMF] 2.1.1).
const (
	emrEOF                 = 14
	emrSelectObject        = 37
	emrDeleteObject        = 40
	emrComment             = 70
	emrBitBlt              = 76
	emrStretchBlt          = 77
	emrSetDIBitsToDevice   = 80
	emrStretchDIBits       = 81
	emrExtCreateFontW      = 82
	emrExtTextOutA         = 83
	emrExtTextOutW         = 84
	emrPolyTextOutA        = 96
	emrPolyTextOutW        = 97
	emrSmallTextOut        = 108
	emrAlphaBlend          = 114
	emrTransparentBlt      = 116
	emfPlusHeader          = 0x4001
	emfPlusDrawString      = 0x401C
	emfPlusDrawDriverStr   = 0x4036
	emfPlusDual            = 0x0001 // EmfPlusHeader's flag: the EMF records draw it all too
	etoNoRect              = 0x0100
	etoSmallChars          = 0x0200
	driverStringCmapLookup = 0x0001 // the glyphs are characters
)

// field returns the n bytes of rec at off, false when they are not all
// in it.
func field(rec []byte, off, n uint64) ([]byte, bool) {
	if off > uint64(len(rec)) || n > uint64(len(rec))-off {
		return nil, false
	}
	return rec[off : off+n], true
}

// u32 returns the 32-bit number at off in rec, 0 when it is not in it.
func u32(rec []byte, off int) uint32 {
	if off < 0 || off+4 > len(rec) {
		return 0
	}
	return le.Uint32(rec[off:])
}

// emf is the state of the walk of an EMF.
type emf struct {
	gdi, plus lines
	dual      bool
	fonts     map[uint32]byte // the character set of each font object
	charset   byte            // of the font selected
	bitmaps   [][]byte
}

// readEMF walks the records of an EMF: text and bitmaps. Of a "dual" EMF+
// file, whose EMF records draw everything its EMF+ records draw, the EMF
// records' text is kept (the EMF+ text only when they have none); of the
// others, both.
func readEMF(data []byte) (Metafile, error) {
	m := emf{fonts: map[uint32]byte{}, charset: 1}
	var err error
	for off, n := 0, 0; ; n++ {
		if n == maxRecords || len(data)-off < 8 { // no EMR_EOF: truncated
			err = damaged("EMF")
			break
		}
		typ, size := le.Uint32(data[off:]), le.Uint32(data[off+4:])
		if size < 8 || uint64(size) > uint64(len(data)-off) {
			err = damaged("EMF")
			break
		}
		rec := data[off : off+int(size)]
		off += int(size)
		if typ == emrEOF {
			break
		}
		m.record(typ, rec)
	}
	text := m.gdi.String()
	switch plus := m.plus.String(); {
	case plus == "" || m.dual && text != "":
	case text == "":
		text = plus
	default:
		text += "\n" + plus
	}
	return Metafile{Text: text, Bitmaps: m.bitmaps}, err
}

// record reads one EMF record.
func (m *emf) record(typ uint32, rec []byte) {
	switch typ {
	case emrExtCreateFontW:
		if len(rec) > 35 && len(m.fonts) < 1<<16 {
			m.fonts[u32(rec, 8)] = rec[35] // LOGFONT's lfCharSet
		}
	case emrSelectObject:
		ih := u32(rec, 8)
		if cs, ok := m.fonts[ih]; ok {
			m.charset = cs
		} else if ih >= 0x8000000A && ih <= 0x80000011 { // a stock font
			m.charset = 1
		}
	case emrDeleteObject:
		delete(m.fonts, u32(rec, 8))
	case emrExtTextOutA, emrExtTextOutW:
		m.text(rec, 36, typ == emrExtTextOutW)
	case emrPolyTextOutA, emrPolyTextOutW:
		n := uint64(u32(rec, 36))
		for i := uint64(0); i < n && 40+40*i+40 <= uint64(len(rec)); i++ {
			m.text(rec, int(40+40*i), typ == emrPolyTextOutW)
		}
	case emrSmallTextOut:
		m.smallText(rec)
	case emrBitBlt, emrStretchBlt, emrAlphaBlend, emrTransparentBlt:
		m.bitmap(rec, 84)
	case emrStretchDIBits, emrSetDIBitsToDevice:
		m.bitmap(rec, 48)
	case emrComment:
		m.comment(rec)
	}
}

// text reads the EmrText structure at off in rec: the reference point, the
// count of characters, the offset of the string from the record's start.
func (m *emf) text(rec []byte, off int, wide bool) {
	y, n, at := int32(u32(rec, off+4)), uint64(u32(rec, off+8)), uint64(u32(rec, off+12))
	if wide {
		n *= 2
	}
	b, ok := field(rec, at, n)
	if !ok {
		return
	}
	if wide {
		m.gdi.add(utf16le(b), y)
		return
	}
	m.gdi.add(ansi(m.charset, b), y)
}

// smallText reads an EMR_SMALLTEXTOUT record: its string follows its
// fixed fields and, unless ETO_NO_RECT, a clipping rectangle.
func (m *emf) smallText(rec []byte) {
	y, n, opts := int32(u32(rec, 12)), uint64(u32(rec, 16)), u32(rec, 20)
	at := uint64(36)
	if opts&etoNoRect == 0 {
		at += 16
	}
	if opts&etoSmallChars != 0 {
		if b, ok := field(rec, at, n); ok {
			m.gdi.add(ansi(m.charset, b), y)
		}
		return
	}
	if b, ok := field(rec, at, 2*n); ok {
		m.gdi.add(utf16le(b), y)
	}
}

// bitmap keeps the bitmap of a record whose offBmiSrc, cbBmiSrc,
// offBitsSrc and cbBitsSrc are at off: a record without one (a pattern
// fill) has none.
func (m *emf) bitmap(rec []byte, off int) {
	bmi, ok1 := field(rec, uint64(u32(rec, off)), uint64(u32(rec, off+4)))
	bits, ok2 := field(rec, uint64(u32(rec, off+8)), uint64(u32(rec, off+12)))
	if !ok1 || !ok2 {
		return
	}
	if b := bitmap(bmi, bits); b != nil {
		m.bitmaps = append(m.bitmaps, b)
	}
}

// comment reads the EMF+ records an EMR_COMMENT holds (after its
// DataSize and the "EMF+" identifier).
func (m *emf) comment(rec []byte) {
	data, ok := field(rec, 12, uint64(u32(rec, 8)))
	if !ok || len(data) < 4 || string(data[:4]) != "EMF+" {
		return
	}
	for p := data[4:]; len(p) >= 12; {
		typ, flags, size := le.Uint16(p), le.Uint16(p[2:]), le.Uint32(p[4:])
		if size < 12 || uint64(size) > uint64(len(p)) {
			return
		}
		body := p[12:size]
		p = p[size:]
		switch typ {
		case emfPlusHeader:
			m.dual = m.dual || flags&emfPlusDual != 0
		case emfPlusDrawString:
			// BrushId, FormatID, Length, LayoutRect (x, y, width, height
			// as floats), then the string.
			if b, ok := field(body, 28, 2*uint64(u32(body, 8))); ok {
				m.plus.add(utf16le(b), floatY(u32(body, 16)))
			}
		case emfPlusDrawDriverStr:
			// BrushId, options, MatrixPresent, GlyphCount, the glyphs,
			// then their positions (x, y as floats).
			n := 2 * uint64(u32(body, 12))
			if u32(body, 4)&driverStringCmapLookup == 0 {
				continue // glyph indices, not characters
			}
			if b, ok := field(body, 16, n); ok {
				m.plus.add(utf16le(b), floatY(u32(body, 16+int(n)+4)))
			}
		}
	}
}

// floatY is the line a float y coordinate is on.
func floatY(bits uint32) int32 {
	y := float64(math.Float32frombits(bits))
	if math.IsNaN(y) || math.Abs(y) > math.MaxInt32 {
		return 0
	}
	return int32(math.Round(y))
}
