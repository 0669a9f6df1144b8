package msxls

import (
	"encoding/binary"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract/internal/codepage"
)

// record is one BIFF record: its type and its data (a slice of the stream);
// pos is the offset of its header in the stream.
type record struct {
	typ  uint16
	data []byte
	pos  int
}

// records splits a workbook stream into its records. A record whose length
// runs past the end of the stream ends the list and makes it damaged.
func records(b []byte) (recs []record, damaged bool) {
	for p := 0; p+4 <= len(b); {
		typ, n := binary.LittleEndian.Uint16(b[p:]), int(binary.LittleEndian.Uint16(b[p+2:]))
		if p+4+n > len(b) {
			return recs, true
		}
		if typ == 0 && n == 0 {
			// Padding after the last EOF: writers fill the stream to a sector.
			break
		}
		recs = append(recs, record{typ: typ, data: b[p+4 : p+4+n], pos: p})
		p += 4 + n
	}
	return recs, false
}

// chunks reads a structure that a record's data starts and the CONTINUE
// records after it carry on (the shared string table, the text of a text
// object). Strings are split between chunks in the middle of their
// characters, and each chunk that carries on the characters of a string
// starts with its own flags byte, saying whether the characters in it are
// one byte or two; everything else (headers, formatting runs, phonetic
// blocks) simply goes on in the next chunk.
type chunks struct {
	parts [][]byte
	i     int // current part
	off   int // offset in it
}

// next makes the next part current, when there is one.
func (c *chunks) next() bool {
	if c.i+1 >= len(c.parts) {
		return false
	}
	c.i, c.off = c.i+1, 0
	return true
}

// byte reads one byte, moving to the next part at the end of one.
func (c *chunks) byte() (byte, bool) {
	for c.off >= len(c.parts[c.i]) {
		if !c.next() {
			return 0, false
		}
	}
	b := c.parts[c.i][c.off]
	c.off++
	return b, true
}

func (c *chunks) u16() (uint16, bool) {
	lo, ok1 := c.byte()
	hi, ok2 := c.byte()
	return uint16(lo) | uint16(hi)<<8, ok1 && ok2
}

func (c *chunks) u32() (uint32, bool) {
	lo, ok1 := c.u16()
	hi, ok2 := c.u16()
	return uint32(lo) | uint32(hi)<<16, ok1 && ok2
}

// skip passes n bytes, across parts.
func (c *chunks) skip(n int) bool {
	for n > 0 {
		left := len(c.parts[c.i]) - c.off
		if left >= n {
			c.off += n
			return true
		}
		n -= left
		if !c.next() {
			return false
		}
	}
	return true
}

// chars reads n characters, one byte each (Latin-1) or two (UTF-16) as
// high says; a part ending inside them is followed by one starting with a
// new flags byte. ok is false when the data ends first: what was read is
// still returned.
func (c *chunks) chars(n int, high bool) (s string, ok bool) {
	var u []uint16
	for n > 0 {
		if c.off >= len(c.parts[c.i]) {
			if !c.next() {
				return decodeUTF16(u), false
			}
			f, _ := c.byte()
			high = f&1 != 0
			continue
		}
		p := c.parts[c.i][c.off:]
		if high {
			for len(p) >= 2 && n > 0 {
				u = append(u, binary.LittleEndian.Uint16(p))
				p, n, c.off = p[2:], n-1, c.off+2
			}
			if len(p) == 1 && n > 0 {
				// A character cut by the end of a part: damaged.
				return decodeUTF16(u), false
			}
		} else {
			for len(p) > 0 && n > 0 {
				u = append(u, uint16(p[0]))
				p, n, c.off = p[1:], n-1, c.off+1
			}
		}
	}
	return decodeUTF16(u), true
}

func decodeUTF16(u []uint16) string { return string(utf16.Decode(u)) }

// richString reads an XLUnicodeRichExtendedString (a string of the shared
// string table): its characters, skipping its formatting runs and its
// phonetic (ruby) block.
func (c *chunks) richString() (string, bool) {
	n, ok := c.u16()
	flags, ok2 := c.byte()
	if !ok || !ok2 {
		return "", false
	}
	var runs, ext uint32
	if flags&0x08 != 0 {
		r, ok := c.u16()
		if !ok {
			return "", false
		}
		runs = uint32(r)
	}
	if flags&0x04 != 0 {
		if ext, ok = c.u32(); !ok {
			return "", false
		}
	}
	s, ok := c.chars(int(n), flags&1 != 0)
	if !ok {
		return s, false
	}
	if !c.skip(int(runs) * 4) {
		return s, false
	}
	if ext > 1<<30 || !c.skip(int(ext)) {
		return s, false
	}
	return s, true
}

// xlString reads an XLUnicodeString (BIFF8: a 16-bit count, a flags byte,
// the characters, and formatting runs after them when rich) at the start
// of b; BIFF5 strings are a count and bytes in the workbook's code page.
// wide is the size of the count (1 or 2 bytes).
func (w *workbook) xlString(b []byte, wide int) (string, bool) {
	if len(b) < wide {
		return "", false
	}
	n := int(b[0])
	if wide == 2 {
		n = int(binary.LittleEndian.Uint16(b))
	}
	b = b[wide:]
	if !w.biff8 {
		ok := len(b) >= n
		return w.decode(b[:min(n, len(b))]), ok
	}
	if len(b) < 1 {
		return "", n == 0
	}
	flags := b[0]
	b = b[1:]
	if flags&0x08 != 0 { // rich: a run count first
		b = b[min(2, len(b)):]
	}
	if flags&0x04 != 0 { // phonetic: its size first
		b = b[min(4, len(b)):]
	}
	c := chunks{parts: [][]byte{b}}
	return c.chars(n, flags&1 != 0)
}

// decode turns bytes in the workbook's code page (BIFF5: BIFF8 strings are
// Unicode) into text; a code page baomi does not know reads as
// Windows-1252 (Latin letters and digits still come out right), and the
// workbook is then review.
func (w *workbook) decode(b []byte) string {
	if cp := int(w.codePage); !codepage.Known(cp) && cp != 0 && cp != 367 {
		w.unknownCodePage = true
	}
	if w.codePage == 0 || w.codePage == 367 || w.codePage == 1200 {
		return codepage.Decode(codepage.Latin1, b)
	}
	return codepage.Decode(int(w.codePage), b)
}
