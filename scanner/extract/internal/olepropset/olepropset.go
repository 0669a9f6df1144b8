// Package olepropset reads the text of OLE property sets, the
// "\x05SummaryInformation" and "\x05DocumentSummaryInformation" streams
// of the legacy Office formats ([MS-OLEPS]): title, subject, author,
// keywords, comments, company … and the user-defined properties, whose
// names come from the set's dictionary. Strings are decoded in the set's
// code page (936, GBK, on Chinese Windows).
package olepropset

import (
	"encoding/binary"
	"errors"
	"strings"

	"github.com/baomi/baomi/scanner/extract/internal/codepage"
)

// Property is a property whose value is text.
type Property struct {
	// Name is the property's name: a user-defined property's own name,
	// empty for the built-in ones (title, author …).
	Name string
	Text string
}

// ErrDamaged is returned for a stream that is not a property set or
// whose structure points outside it.
var ErrDamaged = errors.New("damaged property set")

// Property ids of the built-in properties that hold no text of the
// document's author: the code page, the application's name, the template's
// file name and the revision number are left out.
var skipped = map[fmtid]map[uint32]bool{
	summaryInformation: {1: true, 7: true, 9: true, 0x12: true},
	docSummary:         {1: true, 0x0C: true}, // 0x0C: the heading pairs, names of the parts' kinds
}

type fmtid [16]byte

var (
	summaryInformation = fmtid{0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9}
	docSummary         = fmtid{0x02, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE}
)

// Value types ([MS-OLEPS] 2.15).
const (
	vtLPSTR   = 0x1E
	vtLPWSTR  = 0x1F
	vtBSTR    = 0x08
	vtVariant = 0x0C
	vtVector  = 0x1000
)

// maxItems bounds the items of one vector, so that a count a damaged
// stream declares cannot make the reader loop for long.
const maxItems = 1 << 16

// Read returns the text properties of the property set stream b, section
// by section, in the order they are stored. Properties of other types
// (numbers, dates, pictures) are left out.
func Read(b []byte) ([]Property, error) {
	if len(b) == 0 { // an empty stream: no properties
		return nil, nil
	}
	if len(b) < 28 || binary.LittleEndian.Uint16(b) != 0xFFFE {
		return nil, ErrDamaged
	}
	n := int(binary.LittleEndian.Uint32(b[24:]))
	if n < 0 || n > 16 || 28+20*n > len(b) {
		return nil, ErrDamaged
	}
	var out []Property
	for i := 0; i < n; i++ {
		var id fmtid
		copy(id[:], b[28+20*i:])
		off := binary.LittleEndian.Uint32(b[28+20*i+16:])
		if uint64(off)+8 > uint64(len(b)) {
			return nil, ErrDamaged
		}
		props, err := section(b[off:], id)
		if err != nil {
			return nil, err
		}
		out = append(out, props...)
	}
	return out, nil
}

// section reads the properties of one section, which starts at s[0].
func section(s []byte, id fmtid) ([]Property, error) {
	size := binary.LittleEndian.Uint32(s)
	if uint64(size) < 8 || uint64(size) > uint64(len(s)) {
		return nil, ErrDamaged
	}
	s = s[:size]
	count := int(binary.LittleEndian.Uint32(s[4:]))
	if count < 0 || count > (len(s)-8)/8 {
		return nil, ErrDamaged
	}
	type entry struct{ id, off uint32 }
	entries := make([]entry, count)
	cp := codepage.Latin1
	for i := range entries {
		e := entry{binary.LittleEndian.Uint32(s[8+8*i:]), binary.LittleEndian.Uint32(s[12+8*i:])}
		if uint64(e.off)+4 > uint64(len(s)) {
			return nil, ErrDamaged
		}
		entries[i] = e
		if e.id == 1 && uint64(e.off)+6 <= uint64(len(s)) { // the code page, a VT_I2
			cp = int(binary.LittleEndian.Uint16(s[e.off+4:]))
		}
	}
	// The dictionary (property 0) names the user-defined properties.
	names := map[uint32]string{}
	for _, e := range entries {
		if e.id == 0 {
			if err := dictionary(s[e.off:], cp, names); err != nil {
				return nil, err
			}
		}
	}
	var out []Property
	for _, e := range entries {
		if e.id == 0 || e.id == 1 || skipped[id][e.id] && names[e.id] == "" {
			continue
		}
		texts, err := value(s[e.off:], cp)
		if err != nil {
			return nil, err
		}
		for _, t := range texts {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, Property{Name: names[e.id], Text: t})
			}
		}
	}
	return out, nil
}

// dictionary reads the names of a section's dictionary into names.
func dictionary(d []byte, cp int, names map[uint32]string) error {
	n := int(binary.LittleEndian.Uint32(d))
	p := 4
	for i := 0; i < n; i++ {
		if p+8 > len(d) {
			return ErrDamaged
		}
		id, l := binary.LittleEndian.Uint32(d[p:]), int(binary.LittleEndian.Uint32(d[p+4:]))
		p += 8
		width := 1
		if cp == codepage.UTF16LE {
			width = 2 // l counts characters, and entries are padded to 4 bytes
		}
		if l < 0 || l > (len(d)-p)/width {
			return ErrDamaged
		}
		names[id] = trimNUL(codepage.Decode(cp, d[p:p+l*width]))
		p += l * width
		if width == 2 {
			p = (p + 3) &^ 3
		}
	}
	return nil
}

// value returns the strings of a typed value: one for a string, each
// string item of a vector of strings or variants, none for other types.
func value(v []byte, cp int) ([]string, error) {
	typ := binary.LittleEndian.Uint16(v)
	v = v[4:]
	if typ&vtVector == 0 {
		s, _, err := str(v, typ, cp, true)
		if s == "" {
			return nil, err
		}
		return []string{s}, err
	}
	if len(v) < 4 {
		return nil, ErrDamaged
	}
	n := int(binary.LittleEndian.Uint32(v))
	if n < 0 || n > maxItems {
		return nil, ErrDamaged
	}
	v = v[4:]
	var out []string
	for i := 0; i < n; i++ {
		t := typ &^ vtVector
		if t == vtVariant {
			if len(v) < 4 {
				return nil, ErrDamaged
			}
			t, v = binary.LittleEndian.Uint16(v), v[4:]
		}
		// Word pads the 8-bit strings of a vector only at its end.
		s, rest, err := str(v, t, cp, t == vtLPWSTR)
		if err != nil {
			return nil, err
		}
		if rest == nil { // an item of a type whose size is not read here
			break
		}
		if s != "" {
			out = append(out, s)
		}
		v = rest
	}
	return out, nil
}

// str reads a string of type t at the start of v and returns what follows
// it, after padding to 4 bytes if pad (nil for a type that is not a
// string: its size is not known here).
func str(v []byte, t uint16, cp int, pad bool) (string, []byte, error) {
	if t != vtLPSTR && t != vtLPWSTR && t != vtBSTR {
		return "", nil, nil
	}
	if len(v) < 4 {
		return "", nil, ErrDamaged
	}
	l := int(binary.LittleEndian.Uint32(v))
	v = v[4:]
	if t == vtLPWSTR {
		if l < 0 || l > len(v)/2 {
			return "", nil, ErrDamaged
		}
		s := codepage.Decode(codepage.UTF16LE, v[:2*l])
		return trimNUL(s), v[min((2*l+3)&^3, len(v)):], nil
	}
	if l < 0 || l > len(v) {
		return "", nil, ErrDamaged
	}
	s := codepage.Decode(cp, v[:l])
	if pad {
		l = (l + 3) &^ 3
	}
	return trimNUL(s), v[min(l, len(v)):], nil
}

// trimNUL drops the terminating NUL a string keeps, and what a careless
// writer left after it.
func trimNUL(s string) string {
	if i := strings.IndexByte(s, 0); i >= 0 {
		return s[:i]
	}
	return s
}
