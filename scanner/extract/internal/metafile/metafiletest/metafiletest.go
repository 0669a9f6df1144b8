// Package metafiletest builds EMF and WMF metafiles for tests, record by
// record: fonts, text, bitmaps, EMF+ comments, and an OfficeArt BLIP
// holding one.
package metafiletest

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"math"
	"unicode/utf16"
)

var le = binary.LittleEndian

// u32s appends the 32-bit numbers v to b.
func u32s(b []byte, v ...uint32) []byte {
	for _, x := range v {
		b = le.AppendUint32(b, x)
	}
	return b
}

// UTF16 is s in UTF-16LE.
func UTF16(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = le.AppendUint16(b, u)
	}
	return b
}

// Record is one EMF record: its type and its bytes after type and size
// (padded to 4 bytes when the file is built).
type Record struct {
	Type uint32
	Body []byte
}

// EMF is an EMF file: a header, the records, then EMR_EOF.
func EMF(records ...Record) []byte {
	header := make([]byte, 80)
	copy(header[32:], " EMF")
	le.PutUint32(header[36:], 0x10000)
	all := append([]Record{{1, header}}, records...)
	all = append(all, Record{14, make([]byte, 12)})
	var b []byte
	for _, r := range all {
		body := r.Body
		for len(body)%4 != 0 {
			body = append(body, 0)
		}
		b = u32s(b, r.Type, uint32(8+len(body)))
		b = append(b, body...)
	}
	le.PutUint32(b[48:], uint32(len(b)))
	le.PutUint32(b[52:], uint32(len(all)))
	return b
}

// Font is EMR_EXTCREATEFONTINDIRECTW: font object ih, of charset.
func Font(ih uint32, charset byte) Record {
	logfont := make([]byte, 92)
	logfont[23] = charset
	return Record{82, append(u32s(nil, ih), logfont...)}
}

// Select is EMR_SELECTOBJECT of object ih.
func Select(ih uint32) Record { return Record{37, u32s(nil, ih)} }

// TextW is EMR_EXTTEXTOUTW drawing s with its reference point at (x, y).
func TextW(x, y int32, s string) Record {
	str := UTF16(s)
	return textOut(84, x, y, uint32(len(str)/2), str)
}

// TextA is EMR_EXTTEXTOUTA drawing the 8-bit string s at (x, y).
func TextA(x, y int32, s []byte) Record { return textOut(83, x, y, uint32(len(s)), s) }

func textOut(typ uint32, x, y int32, n uint32, str []byte) Record {
	b := make([]byte, 28) // bounds, graphics mode, scales
	// EmrText: reference, count, offString (from the record's start),
	// options, rectangle, offDx.
	b = u32s(b, uint32(x), uint32(y), n, 8+28+40, 0, 0, 0, 0, 0, 0)
	return Record{typ, append(b, str...)}
}

// StretchDIBits is EMR_STRETCHDIBITS drawing dib (a BMP file's bytes
// after its 14-byte file header), its header and palette given apart
// from its bits: bmi bytes of it are the header and palette.
func StretchDIBits(dib []byte, bmi int) Record {
	b := make([]byte, 16+24)
	const at = 8 + 16 + 24 + 32
	b = u32s(b, at, uint32(bmi), at+uint32(bmi), uint32(len(dib)-bmi), 0, 0xCC0020, 1, 1)
	return Record{81, append(b, dib...)}
}

// PlusString is an EMR_COMMENT holding EMF+ records: a header (dual or
// not), then EmfPlusDrawString drawing s with its layout at y.
func PlusString(dual bool, y float32, s string) Record {
	var flags uint16
	if dual {
		flags = 1
	}
	plus := []byte("EMF+")
	plus = le.AppendUint16(plus, 0x4001)
	plus = le.AppendUint16(plus, flags)
	plus = u32s(plus, 28, 16, 0xDBC01002, 0, 96, 96)
	str := UTF16(s)
	for len(str)%4 != 0 {
		str = append(str, 0)
	}
	plus = le.AppendUint16(plus, 0x401C)
	plus = le.AppendUint16(plus, 0)
	plus = u32s(plus, uint32(12+28+len(str)), uint32(28+len(str)), 0, 0, uint32(len([]rune(s))), 0, math.Float32bits(y), 0, 0)
	plus = append(plus, str...)
	return Record{70, append(u32s(nil, uint32(len(plus))), plus...)}
}

// WMFRecord is one WMF record: its function and its parameters.
type WMFRecord struct {
	Function uint16
	Params   []byte
}

// WMF is a WMF file with a placeable header: the records, then META_EOF.
func WMF(records ...WMFRecord) []byte {
	b := u32s(nil, 0x9AC6CDD7)
	b = append(b, make([]byte, 18)...)
	b = append(b, 1, 0, 9, 0, 0, 3)    // memory metafile, 9 words, version 3
	b = append(b, make([]byte, 12)...) // size, objects, max record, members
	for _, r := range append(records, WMFRecord{0, nil}) {
		p := r.Params
		if len(p)%2 != 0 {
			p = append(p, 0)
		}
		b = u32s(b, uint32(3+len(p)/2))
		b = le.AppendUint16(b, r.Function)
		b = append(b, p...)
	}
	return b
}

// WMFFont is META_CREATEFONTINDIRECT of a font of charset.
func WMFFont(charset byte) WMFRecord {
	f := make([]byte, 18+32)
	f[13] = charset
	return WMFRecord{0x02FB, f}
}

// WMFSelect is META_SELECTOBJECT of object i.
func WMFSelect(i uint16) WMFRecord { return WMFRecord{0x012D, le.AppendUint16(nil, i)} }

// WMFText is META_EXTTEXTOUT drawing the 8-bit string s at (x, y).
func WMFText(x, y int16, s []byte) WMFRecord {
	p := le.AppendUint16(nil, uint16(y))
	p = le.AppendUint16(p, uint16(x))
	p = le.AppendUint16(p, uint16(len(s)))
	p = le.AppendUint16(p, 0)
	return WMFRecord{0x0A32, append(p, s...)}
}

// WMFTextOut is META_TEXTOUT drawing the 8-bit string s at (x, y).
func WMFTextOut(x, y int16, s []byte) WMFRecord {
	p := le.AppendUint16(nil, uint16(len(s)))
	p = append(p, s...)
	if len(s)%2 != 0 {
		p = append(p, 0)
	}
	p = le.AppendUint16(p, uint16(y))
	return WMFRecord{0x0521, le.AppendUint16(p, uint16(x))}
}

// WMFStretchDIB is META_STRETCHDIB drawing dib.
func WMFStretchDIB(dib []byte) WMFRecord {
	p := u32s(nil, 0xCC0020)
	p = append(p, make([]byte, 18)...)
	return WMFRecord{0x0F43, append(p, dib...)}
}

// Blip is an OfficeArt EMF or WMF BLIP record (format "EMF" or "WMF")
// holding m deflated, as Word 97-2003 stores one.
func Blip(format string, m []byte) []byte {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	_, _ = w.Write(m)
	_ = w.Close()
	typ, inst := uint16(0xF01A), uint16(0x3D4)
	if format == "WMF" {
		typ, inst = 0xF01B, 0x216
	}
	data := make([]byte, 16) // the picture's id
	data = u32s(data, uint32(len(m)), 0, 0, 0, 0, 0, 0, uint32(z.Len()))
	data = append(data, 0, 0xFE) // deflated, no filter
	data = append(data, z.Bytes()...)
	b := le.AppendUint16(nil, inst<<4)
	b = le.AppendUint16(b, typ)
	b = u32s(b, uint32(len(data)))
	return append(b, data...)
}
