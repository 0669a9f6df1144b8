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

// ErrDamaged is returned for a stream that is not a property set.
var ErrDamaged = errors.New("damaged property set")

// Damage counts what Read could not read of a property set: the text of
// those parts may be lost, while the rest is read.
type Damage struct {
	// Sections counts the sections whose header or property list could
	// not be found: none of their properties is read.
	Sections int
	// Properties counts the properties whose value could not be read.
	Properties int
}

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

// fixedSize is the size of the value of each type whose size does not
// vary ([MS-OLEPS] 2.15): an item of a vector of variants of such a type
// holds no text and is skipped by it.
var fixedSize = map[uint16]int{
	0x00: 0, 0x01: 0, // VT_EMPTY, VT_NULL
	0x02: 2, 0x0B: 2, 0x12: 2, // VT_I2, VT_BOOL, VT_UI2
	0x10: 1, 0x11: 1, // VT_I1, VT_UI1
	0x03: 4, 0x04: 4, 0x0A: 4, 0x13: 4, 0x16: 4, 0x17: 4, // VT_I4, VT_R4, VT_ERROR, VT_UI4, VT_INT, VT_UINT
	0x05: 8, 0x06: 8, 0x07: 8, 0x14: 8, 0x15: 8, 0x40: 8, // VT_R8, VT_CY, VT_DATE, VT_I8, VT_UI8, VT_FILETIME
	0x48: 16, // VT_CLSID
}

// Read returns the text properties of the property set stream b, section
// by section, in the order they are stored, and what of it could not be
// read. Properties of other types (numbers, dates, pictures) are left out.
// It reads past what real writers get wrong, as Apache POI does: a
// section's size that overstates or understates it (the stream bounds
// it), a section's offset a few bytes short of it (zero bytes before its
// header), a property 0 that is not a dictionary but a value. It returns
// ErrDamaged only for a stream that is not a property set.
func Read(b []byte) ([]Property, Damage, error) {
	var dmg Damage
	if len(b) == 0 { // an empty stream: no properties
		return nil, dmg, nil
	}
	if len(b) < 28 || binary.LittleEndian.Uint16(b) != 0xFFFE {
		return nil, dmg, ErrDamaged
	}
	n := int(binary.LittleEndian.Uint32(b[24:]))
	if n < 0 || n > 16 || 28+20*n > len(b) {
		return nil, dmg, ErrDamaged
	}
	var out []Property
	for i := 0; i < n; i++ {
		var id fmtid
		copy(id[:], b[28+20*i:])
		s := sectionAt(b, binary.LittleEndian.Uint32(b[28+20*i+16:]))
		if s == nil {
			dmg.Sections++
			continue
		}
		props, bad := section(s, id)
		out = append(out, props...)
		dmg.Properties += bad
	}
	return out, dmg, nil
}

// sectionAt returns the section at offset off of the stream b, up to the
// stream's end, or nil when no section header is there. A writer that
// left a vector unpadded points a few bytes short of the next section
// (POI bug 52372): up to 3 zero bytes before a header are skipped.
func sectionAt(b []byte, off uint32) []byte {
	if uint64(off) >= uint64(len(b)) {
		return nil
	}
	s := b[off:]
	for skip := 0; skip < 4 && skip < len(s); skip++ {
		if header(s[skip:]) {
			return s[skip:]
		}
		if s[skip] != 0 {
			break
		}
	}
	return nil
}

// header reports whether s starts with a section header whose property
// list fits in s. Its size is not checked: writers get it wrong both
// ways (POI bugs 42726, 55505), and the stream's end bounds the section.
func header(s []byte) bool {
	if len(s) < 8 || binary.LittleEndian.Uint32(s) < 8 {
		return false
	}
	return uint64(binary.LittleEndian.Uint32(s[4:])) <= uint64(len(s)-8)/8
}

// section reads the text properties of one section, which starts at
// s[0] (its header checked), and counts those whose value could not be
// read.
func section(s []byte, id fmtid) (out []Property, bad int) {
	count := int(binary.LittleEndian.Uint32(s[4:]))
	type entry struct {
		id uint32
		v  []byte // the value, up to the section's end
	}
	entries := make([]entry, 0, count)
	cp := codepage.Latin1
	for i := 0; i < count; i++ {
		pid, off := binary.LittleEndian.Uint32(s[8+8*i:]), binary.LittleEndian.Uint32(s[12+8*i:])
		if uint64(off)+4 > uint64(len(s)) {
			bad++
			continue
		}
		e := entry{pid, s[off:]}
		entries = append(entries, e)
		// The code page is a VT_I2; code page 65001 read as signed is
		// negative, and some writers store it as a 4-byte integer.
		if t := binary.LittleEndian.Uint16(e.v); e.id == 1 && len(e.v) >= 6 && (t == 0x02 || t == 0x12 || t == 0x03 || t == 0x13) {
			cp = int(binary.LittleEndian.Uint16(e.v[4:]))
		}
	}
	// The dictionary (property 0) names the user-defined properties. A
	// writer that used id 0 for a value (POI bug 44375) is read as POI
	// reads it: the value, with no name.
	names := map[uint32]string{}
	values := entries[:0:0]
	for _, e := range entries {
		switch {
		case e.id == 1:
		case e.id == 0 && dictionary(e.v, cp, names) == nil:
		case e.id == 0 && !holdsText(e.v):
			bad++ // a damaged dictionary: the names are lost
		default:
			values = append(values, e)
		}
	}
	for _, e := range values {
		if e.id != 0 && skipped[id][e.id] && names[e.id] == "" {
			continue
		}
		texts, err := value(e.v, cp)
		if err != nil {
			bad++
			continue
		}
		for _, t := range texts {
			if t = strings.TrimSpace(t); t != "" {
				out = append(out, Property{Name: names[e.id], Text: t})
			}
		}
	}
	return out, bad
}

// dictionary reads the names of a section's dictionary into names, and
// leaves names as it was when the dictionary cannot be read.
func dictionary(d []byte, cp int, names map[uint32]string) error {
	n := int(binary.LittleEndian.Uint32(d))
	read := map[uint32]string{}
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
		read[id] = trimNUL(codepage.Decode(cp, d[p:p+l*width]))
		p += l * width
		if width == 2 {
			p = (p + 3) &^ 3
		}
	}
	for id, name := range read {
		names[id] = name
	}
	return nil
}

// value returns the strings of a typed value: one for a string, each
// string item of a vector of strings or variants, none for other types.
func value(v0 []byte, cp int) ([]string, error) {
	typ := binary.LittleEndian.Uint16(v0)
	v := v0[4:]
	if typ&vtVector == 0 {
		s, _, err := str(v, typ, cp, true)
		if s == "" {
			return nil, err
		}
		return []string{s}, err
	}
	if !holdsText(v0) { // a vector of numbers, dates …: no text
		return nil, nil
	}
	item := typ &^ vtVector
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
		t := item
		if t == vtVariant {
			if len(v) < 4 {
				return nil, ErrDamaged
			}
			t, v = binary.LittleEndian.Uint16(v), v[4:]
			if size, ok := fixedSize[t]; ok {
				if size > len(v) {
					return nil, ErrDamaged
				}
				v = v[min((size+3)&^3, len(v)):]
				continue
			}
			if !isString(t) { // its size is not known: what follows is lost
				return nil, ErrDamaged
			}
		}
		// Word pads the 8-bit strings of a vector only at its end.
		s, rest, err := str(v, t, cp, t == vtLPWSTR)
		if err != nil {
			return nil, err
		}
		if s != "" {
			out = append(out, s)
		}
		v = rest
	}
	return out, nil
}

// holdsText reports whether the typed value v is of a type that can hold
// text: a string, or a vector of strings or variants.
func holdsText(v []byte) bool {
	t := binary.LittleEndian.Uint16(v)
	return isString(t) || t&vtVector != 0 && (isString(t&^vtVector) || t&^vtVector == vtVariant)
}

// isString reports whether values of type t are strings.
func isString(t uint16) bool { return t == vtLPSTR || t == vtLPWSTR || t == vtBSTR }

// str reads a string of type t at the start of v and returns what follows
// it, after padding to 4 bytes if pad (nothing for a type that is not a
// string).
func str(v []byte, t uint16, cp int, pad bool) (string, []byte, error) {
	if !isString(t) {
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
