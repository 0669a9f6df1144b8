// Package officearttest builds the OfficeArt records of shapes for the
// tests of the Office 97-2003 readers.
package officearttest

import (
	"encoding/binary"
	"unicode/utf16"
)

// Shape returns the property table (an FOPT record) of a shape with a
// simple property, the description desc (its alt text) and the WordArt
// text wordArt, both NUL-terminated UTF-16 as Office writes them.
func Shape(desc, wordArt string) []byte {
	le := binary.LittleEndian
	utf16z := func(s string) []byte {
		var b []byte
		for _, c := range utf16.Encode([]rune(s + "\x00")) {
			b = le.AppendUint16(b, c)
		}
		return b
	}
	d, a := utf16z(desc), utf16z(wordArt)
	props := le.AppendUint32(le.AppendUint16(nil, 0x007F), 0) // a simple property
	props = le.AppendUint32(le.AppendUint16(props, 0x0381|0x8000), uint32(len(d)))
	props = le.AppendUint32(le.AppendUint16(props, 0x00C0|0x8000), uint32(len(a)))
	props = append(append(props, d...), a...)
	rec := le.AppendUint16(le.AppendUint16(nil, 3<<4|3), 0xF00B) // version 3, 3 properties
	return append(le.AppendUint32(rec, uint32(len(props))), props...)
}
