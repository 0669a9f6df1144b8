// Package mtef reads the text of a formula of Equation Editor 3.0 or
// MathType: the MTEF data of an OLE object's "Equation Native" stream
// (Design Science, "MTEF Storage Format", versions 3 and 5).
package mtef

import (
	"encoding/binary"
	"errors"
	"strings"
)

// ErrVersion is returned for data in a version of MTEF that Text does not
// read (1, 2 and 4) or that is no MTEF at all: nothing was read.
var ErrVersion = errors.New("the formula is in a version of the MTEF format baomi cannot read yet")

// ErrDamaged is returned, with the text read before it, when a record is
// cut short or unknown, or the records nest deeper than maxDepth.
var ErrDamaged = errors.New("the formula is damaged: its text may be incomplete")

// hdrSize is the size of the EQNOLEFILEHDR before the MTEF data.
const hdrSize = 28

// Bounds on the work one formula may make: records nest (a template's
// slots hold lines that hold templates), and every record costs a step.
const (
	maxDepth = 64
	maxSteps = 1 << 20
)

// Record types. v3 keeps the type in the low nibble of the tag and the
// options in the high one; v5 has a byte of each, and more types.
const (
	recEnd = iota
	recLine
	recChar
	recTmpl
	recPile
	recMatrix
	recEmbell
	recRuler
	recFont // v3 FONT, v5 FONT_STYLE_DEF
	recSize
	recFull
	recSub
	recSub2
	recSym
	recSubSym
	recColor
	recColorDef
	recFontDef
	recEqnPrefs
	recEncodingDef
	recFuture = 100 // v5: this type and above carry their length
)

// Options of the records (v3 names in comments where they differ).
const (
	optNudge     = 0x08 // xfLMOVE
	optLineNull  = 0x01 // xfNULL
	optLineSpace = 0x04 // xfLSPACE
	optEmbell3   = 0x02 // xfEMBELL
	optEmbell5   = 0x01
	optChar8     = 0x04
	optChar16    = 0x10
	optNoMTCode  = 0x20
	optColorCMYK = 0x01
	optColorName = 0x04
)

// Typefaces that draw nothing a reader reads: stretched parts of
// templates and invisible markers. fnSPACE is read as a space.
const (
	fnExpand = 22
	fnMarker = 23
	fnSpace  = 24
)

// Text returns the text of the formula in b, an Equation Native stream:
// the characters of each line in order, lines apart by newlines, the
// slots of a template (a fraction's numerator and denominator) by
// spaces. With ErrDamaged it returns what it read before the damage.
func Text(b []byte) (string, error) {
	if len(b) < hdrSize || binary.LittleEndian.Uint16(b) != hdrSize {
		return "", ErrVersion
	}
	data := b[hdrSize:]
	if n := binary.LittleEndian.Uint32(b[8:]); uint64(n) < uint64(len(data)) {
		data = data[:n] // cbObject: the MTEF data's size
	}
	if len(data) < 5 || data[0] != 3 && data[0] != 5 {
		return "", ErrVersion
	}
	// Version, platform, product, its version and subversion; v5 adds the
	// application's key and the equation's options.
	r := &reader{b: data, p: 5, v: data[0]}
	if r.v == 5 {
		r.cstring()
		r.byte()
	}
	r.list(0, true)
	return strings.TrimSpace(r.out.String()), r.err
}

// reader walks the records. Reads past the end return zeros and set err
// once, so that the record code stays straight.
type reader struct {
	b     []byte
	p     int
	v     byte // MTEF version: 3 or 5
	steps int
	err   error
	out   strings.Builder
}

func (r *reader) byte() byte {
	if r.p >= len(r.b) {
		r.fail()
		return 0
	}
	r.p++
	return r.b[r.p-1]
}

func (r *reader) u16() uint16 { return uint16(r.byte()) | uint16(r.byte())<<8 }

func (r *reader) skip(n int) {
	for ; n > 0 && r.err == nil; n-- {
		r.byte()
	}
}

// uint reads a v5 unsigned integer: a byte, or 255 and 16 bits.
func (r *reader) uint() int {
	if b := r.byte(); b != 0xFF {
		return int(b)
	}
	return int(r.u16())
}

func (r *reader) cstring() {
	for r.err == nil && r.byte() != 0 {
	}
}

func (r *reader) fail() {
	if r.err == nil {
		r.err = ErrDamaged
	}
}

// nudge skips a nudge: two offset bytes, or two of -128 and two 16-bit
// values.
func (r *reader) nudge() {
	if dx, dy := r.byte(), r.byte(); dx == 0x80 && dy == 0x80 {
		r.skip(4)
	}
}

// newline ends a line of the text.
func (r *reader) newline() {
	if s := r.out.String(); s != "" && !strings.HasSuffix(s, "\n") {
		r.out.WriteByte('\n')
	}
}

// space parts what comes before from what follows, once.
func (r *reader) space() {
	if s := r.out.String(); s != "" && !strings.HasSuffix(s, " ") && !strings.HasSuffix(s, "\n") {
		r.out.WriteByte(' ')
	}
}

// list reads records up to the END that closes the list at depth. lines
// says whether the list's LINE records are lines of the text (a pile's,
// a matrix's, the equation's) rather than slots of a template.
func (r *reader) list(depth int, lines bool) {
	if depth > maxDepth {
		r.fail()
		return
	}
	for r.err == nil {
		if r.steps++; r.steps > maxSteps {
			r.fail()
			return
		}
		typ, opt := r.tag()
		if r.err != nil || typ == recEnd {
			return
		}
		r.record(typ, opt, depth, lines)
	}
}

// tag reads a record's type and options.
func (r *reader) tag() (typ, opt int) {
	t := r.byte()
	if r.v == 3 {
		return int(t & 0x0F), int(t >> 4)
	}
	if t >= recLine && t <= recEmbell {
		return int(t), int(r.byte()) // only these have options
	}
	return int(t), 0
}

func (r *reader) record(typ, opt, depth int, lines bool) {
	if typ >= recLine && typ <= recEmbell && opt&optNudge != 0 {
		r.nudge()
	}
	switch typ {
	case recLine:
		if opt&optLineSpace != 0 {
			r.u16()
		}
		if opt&optLineNull == 0 {
			r.list(depth+1, false)
		}
		if lines {
			r.newline()
		} else {
			r.space()
		}
	case recChar:
		r.char(opt, depth)
	case recTmpl:
		r.byte() // selector
		if v := r.byte(); r.v == 5 && v&0x80 != 0 {
			r.byte() // the variation's high byte
		}
		r.byte() // template options
		r.list(depth+1, false)
		r.space()
	case recPile:
		r.skip(2) // alignments
		r.newline()
		r.list(depth+1, true)
	case recMatrix:
		r.skip(3)
		rows, cols := int(r.byte()), int(r.byte())
		r.skip((rows+1+3)/4 + (cols+1+3)/4) // partition lines, 2 bits each
		r.newline()
		r.list(depth+1, true)
	case recEmbell:
		r.byte()
		if r.v == 3 {
			r.byte()
		}
	case recRuler:
		r.skip(3 * int(r.byte())) // tab stops: a type and a 16-bit place
	case recFont:
		if r.v == 3 {
			r.skip(2) // typeface, style
			r.cstring()
		} else {
			r.uint()
			r.byte()
		}
	case recSize:
		switch r.byte() {
		case 101:
			r.u16()
		case 100:
			r.byte()
			r.u16()
		default:
			r.byte()
		}
	case recFull, recSub, recSub2, recSym, recSubSym:
	default:
		if r.v == 3 {
			r.fail()
			return
		}
		r.record5(typ)
	}
}

// record5 reads the definitions v5 adds.
func (r *reader) record5(typ int) {
	switch {
	case typ == recColor:
		r.uint()
	case typ == recColorDef:
		opt := r.byte()
		if opt&optColorCMYK != 0 {
			r.skip(8)
		} else {
			r.skip(6)
		}
		if opt&optColorName != 0 {
			r.cstring()
		}
	case typ == recFontDef:
		r.uint()
		r.cstring()
	case typ == recEncodingDef:
		r.cstring()
	case typ == recEqnPrefs:
		r.byte() // options
		r.dimensions()
		r.dimensions()
		for n := int(r.byte()); n > 0 && r.err == nil; n-- {
			if r.byte() != 0 {
				r.byte()
			}
		}
	case typ >= recFuture:
		r.skip(r.uint())
	default:
		r.fail()
	}
}

// dimensions skips an array of dimensions: a count, then for each a unit
// nibble and digits up to an 0xF nibble, packed and padded to a byte at
// the array's end.
func (r *reader) dimensions() {
	n := int(r.byte())
	high := true // the next nibble is the current byte's high one
	var cur byte
	nibble := func() byte {
		if high {
			cur = r.byte()
			high = false
			return cur >> 4
		}
		high = true
		return cur & 0x0F
	}
	for ; n > 0 && r.err == nil; n-- {
		nibble() // unit
		for i := 0; nibble() != 0x0F && r.err == nil; i++ {
			if i > 16 {
				r.fail()
			}
		}
	}
}

// char reads a character and its embellishments.
func (r *reader) char(opt, depth int) {
	typeface := int(r.byte()) - 128
	var code rune = -1
	if r.v == 3 || opt&optNoMTCode == 0 {
		code = rune(r.u16())
	}
	if r.v == 5 {
		switch {
		case opt&optChar8 != 0:
			r.byte()
		case opt&optChar16 != 0:
			r.u16()
		}
	}
	switch {
	case r.err != nil:
		return
	case code < 0:
		r.fail() // only the place in a font: its text is unknown
	case typeface == fnExpand || typeface == fnMarker:
	case typeface == fnSpace:
		r.space()
	case code >= 0x20:
		r.out.WriteRune(code)
	}
	embell := optEmbell3
	if r.v == 5 {
		embell = optEmbell5
	}
	if opt&embell != 0 {
		r.list(depth+1, false)
	}
}
