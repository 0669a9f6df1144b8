// Package codepage decodes the 8-bit and double-byte text of the legacy
// Office formats, which name their Windows code page (property sets, Word
// 6/95 files, BIFF5 workbooks) or imply it by a language id.
package codepage

import (
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Windows code pages the decoders below cover.
const (
	GBK     = 936
	Latin1  = 1252
	UTF16LE = 1200
	UTF8    = 65001
)

var encodings = map[int]encoding.Encoding{
	GBK:   simplifiedchinese.GB18030, // a superset of GBK: decodes every GBK file
	54936: simplifiedchinese.GB18030,
	20936: simplifiedchinese.GBK,
	950:   traditionalchinese.Big5,
	932:   japanese.ShiftJIS,
	949:   korean.EUCKR,
	874:   charmap.Windows874,
	1250:  charmap.Windows1250,
	1251:  charmap.Windows1251,
	1252:  charmap.Windows1252,
	1253:  charmap.Windows1253,
	1254:  charmap.Windows1254,
	1255:  charmap.Windows1255,
	1256:  charmap.Windows1256,
	1257:  charmap.Windows1257,
	1258:  charmap.Windows1258,
	437:   charmap.CodePage437,
	850:   charmap.CodePage850,
	10000: charmap.Macintosh,
	32768: charmap.Macintosh, // as Excel writes it
	28591: charmap.ISO8859_1,
}

// Known reports whether Decode has a decoder of its own for cp (the
// others read as Windows-1252).
func Known(cp int) bool {
	_, ok := encodings[cp]
	return ok || cp == UTF16LE || cp == UTF8
}

// Encoding returns the 8-bit or double-byte encoding of Windows code page
// cp, Windows-1252 for one it does not know (see Known). UTF-16 and UTF-8
// are Decode's own.
func Encoding(cp int) encoding.Encoding {
	if e, ok := encodings[cp]; ok {
		return e
	}
	return charmap.Windows1252
}

// Decode returns b, text in code page cp, as UTF-8. An unknown code page
// reads as Windows-1252, which maps every byte, so no text is lost
// silently: a wrong guess shows as mojibake, not as nothing.
func Decode(cp int, b []byte) string {
	switch cp {
	case UTF16LE:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i]) | uint16(b[2*i+1])<<8
		}
		return string(utf16.Decode(u))
	case UTF8:
		if utf8.Valid(b) {
			return string(b)
		}
	}
	s, err := Encoding(cp).NewDecoder().Bytes(b)
	if err != nil {
		// The decoders of x/text replace what they cannot map; an error
		// here is a truncated final sequence: keep the rest.
		s, _ = charmap.Windows1252.NewDecoder().Bytes(b)
	}
	return string(s)
}

// charsets are the code pages of the Windows character sets a font can be
// made for, but ANSI (0) and the default (1), which are the system's.
var charsets = map[int]int{
	77: 10000, 128: 932, 129: 949, 130: 1361, 134: GBK, 136: 950, 161: 1253,
	162: 1254, 163: 1258, 177: 1255, 178: 1256, 186: 1257, 204: 1251, 222: 874, 238: 1250,
}

// FromCharset is the code page of the Windows character set cs of a font
// (an RTF \fcharset, a LOGFONT's lfCharSet); ok is false for ANSI (0),
// the default (1) and sets it does not know: their text is in the code
// page of the document or of the system that wrote it.
func FromCharset(cs int) (cp int, ok bool) {
	cp, ok = charsets[cs]
	return cp, ok
}

// FromLID is the ANSI code page of the Windows language id lid, as Word
// 6/95 files imply it: their 8-bit text is in the code page of the
// language they were written in.
func FromLID(lid int) int {
	switch lid & 0x3FF { // the primary language
	case 0x04: // Chinese
		if lid == 0x0404 || lid == 0x0C04 || lid == 0x1404 {
			return 950
		}
		return GBK
	case 0x11:
		return 932
	case 0x12:
		return 949
	case 0x19, 0x02, 0x22, 0x23:
		return 1251
	case 0x05, 0x0E, 0x15, 0x18, 0x1A, 0x1B, 0x24:
		return 1250
	case 0x08:
		return 1253
	case 0x1F:
		return 1254
	case 0x0D:
		return 1255
	case 0x01:
		return 1256
	case 0x25, 0x26, 0x27:
		return 1257
	case 0x1E:
		return 874
	}
	return Latin1
}
