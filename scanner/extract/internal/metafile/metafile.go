// Package metafile reads the text and the bitmaps of Windows metafiles,
// EMF ([MS-EMF], with the EMF+ records GDI+ writes in its comments,
// [MS-EMFPLUS]) and WMF ([MS-WMF]), as Office files store pictures drawn
// in them: a list of drawing records. Text records are read as text; the
// bitmaps the records draw are given back as picture files for OCR; vector
// paths are drawings, not read (text drawn as outlines is neither text nor
// a picture here). The walk is bounded by the bytes given: every record's
// size is checked before it is read, and a size that does not fit ends the
// walk as damage, with what was read before it kept.
package metafile

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract/internal/codepage"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

// Metafile is what was read of a metafile.
type Metafile struct {
	// Text is the text of its text records, in the order they are drawn,
	// a line break where the reference point's y changes.
	Text string
	// Bitmaps are the bitmaps it draws, each as a picture file (a BMP, or
	// the JPEG or PNG a bitmap record holds), for picture.Pages. A bitmap
	// is not decoded here: its header says its size first.
	Bitmaps [][]byte
}

// maxRecords bounds the records walked: a metafile of more is taken for
// damage (Office pictures hold thousands; 2^20 records of 8 bytes are
// 8 MiB of nothing).
const maxRecords = 1 << 20

// Read reads the EMF or WMF metafile in data. The error, a
// *picture.Error, says it is damaged (Damaged) or not a metafile at all
// (Damaged, Format ""); what was read before the damage is returned with
// it.
func Read(data []byte) (Metafile, error) {
	switch {
	case picture.IsEMF(data):
		return readEMF(data)
	case picture.IsWMF(data):
		return readWMF(data)
	}
	return Metafile{}, &picture.Error{Problem: picture.Damaged}
}

// damaged is the error of a damaged metafile of format.
func damaged(format string) error {
	return &picture.Error{Problem: picture.Damaged, Format: format}
}

// lines gathers the strings of text records into lines.
type lines struct {
	b     strings.Builder
	y     int32
	begun bool
}

// add appends s, drawn with its reference point at y: on the same line as
// the string before it when y is the same, else on a new line.
func (l *lines) add(s string, y int32) {
	s = strings.Map(func(r rune) rune {
		if r == 0 || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if strings.TrimSpace(s) == "" {
		return
	}
	if l.begun && y != l.y {
		l.b.WriteByte('\n')
	}
	l.b.WriteString(s)
	l.y, l.begun = y, true
}

func (l *lines) String() string { return l.b.String() }

// utf16le decodes UTF-16LE text, an odd last byte dropped.
func utf16le(b []byte) string { return codepage.Decode(codepage.UTF16LE, b[:len(b)&^1]) }

// ansi decodes the 8-bit text of a font made for charset. ANSI (0) is
// Windows-1252; the default character set (1), the OEM one (255) and an
// unknown one are the system's: GBK when the bytes read as GBK (the
// metafiles baomi meets come from Chinese Windows), else Windows-1252,
// which maps every byte.
func ansi(charset byte, b []byte) string {
	if cp, ok := codepage.FromCharset(int(charset)); ok {
		return codepage.Decode(cp, b)
	}
	if charset == 0 {
		return codepage.Decode(codepage.Latin1, b)
	}
	if s := codepage.Decode(codepage.GBK, b); !strings.ContainsRune(s, utf8.RuneError) {
		return s
	}
	return codepage.Decode(codepage.Latin1, b)
}

// bitmap returns a DIB (its header and color table bmi, its pixels bits)
// as a picture file: the JPEG or PNG itself for a DIB of those
// compressions, else a BMP. nil for no bitmap.
func bitmap(bmi, bits []byte) []byte {
	if len(bmi) < 12 || len(bits) == 0 {
		return nil
	}
	if len(bmi) >= 20 && binary.LittleEndian.Uint32(bmi) >= 40 {
		switch binary.LittleEndian.Uint32(bmi[16:]) { // biCompression
		case 4, 5: // BI_JPEG, BI_PNG
			return bytes.Clone(bits)
		}
	}
	dib := make([]byte, 0, len(bmi)+len(bits))
	return plainMasks(picture.FromDIB(append(append(dib, bmi...), bits...)))
}

// plainMasks returns the BMP file b, when it is a 32-bit bitmap whose
// color masks (BI_BITFIELDS after a 40-byte header, as GDI writes the
// bitmaps of metafiles) are those of plain 32-bit pixels, as a plain one:
// the BMP decoder reads masks only after larger headers. Other files are
// returned as they are.
func plainMasks(b []byte) []byte {
	const masks = "\x00\x00\xFF\x00\x00\xFF\x00\x00\xFF\x00\x00\x00"
	if len(b) < 66 || le.Uint32(b[14:]) != 40 || le.Uint16(b[28:]) != 32 || le.Uint32(b[30:]) != 3 || le.Uint32(b[10:]) < 66 || string(b[54:66]) != masks {
		return b
	}
	b = append(b[:54], b[66:]...)
	le.PutUint32(b[2:], uint32(len(b)))
	le.PutUint32(b[10:], le.Uint32(b[10:])-12)
	le.PutUint32(b[30:], 0) // BI_RGB
	return b
}

// MaxUnpacked bounds the size of a metafile unpacked from an OfficeArt
// BLIP: the largest EMF of the test corpus is under 2 MiB.
const MaxUnpacked = 64 << 20

// Unpack returns the metafile an OfficeArt metafile BLIP stores
// ([MS-ODRAW] 2.2.31): b is the BLIP's data after its ids, a 34-byte
// header (the metafile's size, its bounds, its size in EMUs, the size
// stored, the compression) then the metafile, deflated (zlib) or as is.
// The error is a *picture.Error (Damaged, format): a header or stream that
// does not read (what inflated before the damage is returned with it), or
// a metafile over MaxUnpacked.
func Unpack(b []byte, format string) ([]byte, error) {
	if len(b) < 34 {
		return nil, damaged(format)
	}
	size, stored, compression := uint64(le.Uint32(b)), uint64(le.Uint32(b[28:])), b[32]
	data := b[34:]
	if stored < uint64(len(data)) {
		data = data[:stored]
	}
	switch {
	case size > MaxUnpacked:
		return nil, damaged(format)
	case compression == 0xFE: // stored as is
		return data, nil
	case compression != 0:
		return nil, damaged(format)
	}
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, damaged(format)
	}
	// One byte more than it says: a stream that inflates to more lies.
	out, err := io.ReadAll(io.LimitReader(zr, int64(size)+1))
	switch {
	case uint64(len(out)) > size:
		return nil, damaged(format)
	case err != nil:
		return out, damaged(format) // what inflated before the damage
	}
	return out, nil
}
