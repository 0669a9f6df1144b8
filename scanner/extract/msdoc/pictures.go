package msdoc

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
)

// blipKinds are the OfficeArt BLIP records (pictures) of Word 97 and
// later files ([MS-ODRAW] 2.2.23): by record type, the record instances
// with one and with two 16-byte ids before the picture, and whether the
// picture is a metafile (EMF, WMF, PICT: always a picture, its drawing
// scales to any size and may hold text) or a raster picture read by its
// header.
var blipKinds = map[uint16]struct {
	one, two uint16
	metafile bool
	dib      bool
}{
	0xF01A: {0x3D4, 0x3D5, true, false},  // EMF
	0xF01B: {0x216, 0x217, true, false},  // WMF
	0xF01C: {0x542, 0x543, true, false},  // PICT
	0xF01D: {0x46A, 0x46B, false, false}, // JPEG
	0xF02A: {0x6E2, 0x6E3, false, false}, // JPEG (CMYK)
	0xF01E: {0x6E0, 0x6E1, false, false}, // PNG
	0xF01F: {0x7A8, 0x7A9, false, true},  // DIB: a bitmap without its file header
	0xF029: {0x6E4, 0x6E5, false, false}, // TIFF
}

// pictures counts the pictures that may carry text among the BLIP records
// in streams (WordDocument, the table stream, Data): Word keeps inline
// pictures in Data and floating ones in the drawing's store, in either of
// the others. Each picture is stored once, so each is counted once.
// Word 6/95 pictures (metafiles and bitmaps without OfficeArt) are not
// found here: the reader counts the characters anchoring them instead.
func pictures(streams ...[]byte) int {
	n := 0
	for _, b := range streams {
		for i := 0; i+8 <= len(b); i++ {
			if b[i+3] != 0xF0 || b[i]&0x0F != 0 {
				continue
			}
			k, ok := blipKinds[binary.LittleEndian.Uint16(b[i+2:])]
			inst := binary.LittleEndian.Uint16(b[i:]) >> 4
			size := uint64(binary.LittleEndian.Uint32(b[i+4:]))
			if !ok || inst != k.one && inst != k.two || uint64(i)+8+size > uint64(len(b)) {
				continue
			}
			data := b[i+8 : i+8+int(size)]
			skip := 16
			if inst == k.two {
				skip = 32
			}
			if !k.metafile {
				skip++ // a tag byte
			}
			if len(data) < skip {
				continue
			}
			if k.metafile || mayCarryText(data[skip:], k.dib) {
				n++
			}
			i += 7 + int(size)
		}
	}
	return n
}

// mayCarryText reads a raster picture's size from its header; a DIB is
// given the file header of a BMP file so that it reads as one.
func mayCarryText(pic []byte, dib bool) bool {
	if dib {
		head := []byte{'B', 'M', 0, 0, 0, 0, 0, 0, 0, 0, 54, 0, 0, 0}
		binary.LittleEndian.PutUint32(head[2:], uint32(len(pic)+len(head)))
		pic = append(head, pic[:min(len(pic), 64)]...)
	}
	return extract.PictureMayCarryText(pic)
}

// Shape properties ([MS-ODRAW] 2.2.9): the records that hold them, the
// description a person gives a picture (its alt text) and the text of a
// WordArt shape (Word's watermarks are WordArt in the header).
const (
	recFOPT          = 0xF00B
	recTertiaryFOPT  = 0xF122
	propDescription  = 0x0381
	propWordArt      = 0x00C0 // gtextUNICODE
	maxShapeProps    = 1 << 12
	propComplexFlag  = 0x8000
	propIDMask       = 0x3FFF
	officeArtVersion = 0x3
)

// shapeTexts returns the descriptions (alt text) and the WordArt texts of
// the shapes whose property tables (FOPT records) are in streams, in the
// order found: a table of 6-byte properties, the complex ones (strings)
// after it in the same order, each as long as its value says.
func shapeTexts(streams ...[]byte) (alt, wordArt []string) {
	for _, b := range streams {
		for i := 0; i+8 <= len(b); i++ {
			if b[i+3] != 0xF0 && b[i+3] != 0xF1 || b[i]&0x0F != officeArtVersion {
				continue
			}
			typ := binary.LittleEndian.Uint16(b[i+2:])
			n := int(binary.LittleEndian.Uint16(b[i:]) >> 4)
			size := uint64(binary.LittleEndian.Uint32(b[i+4:]))
			if typ != recFOPT && typ != recTertiaryFOPT || n == 0 || n > maxShapeProps ||
				uint64(6*n) > size || uint64(i)+8+size > uint64(len(b)) {
				continue
			}
			rec := b[i+8 : i+8+int(size)]
			complexAt := 6 * n
			for p := 0; p < n; p++ {
				id := binary.LittleEndian.Uint16(rec[6*p:])
				op := int(binary.LittleEndian.Uint32(rec[6*p+2:]))
				if id&propComplexFlag == 0 {
					continue
				}
				if op < 0 || op > len(rec)-complexAt {
					break
				}
				if id := id & propIDMask; id == propDescription || id == propWordArt {
					u := make([]uint16, op/2)
					for k := range u {
						u[k] = binary.LittleEndian.Uint16(rec[complexAt+2*k:])
					}
					s := strings.TrimSpace(strings.TrimRight(string(utf16.Decode(u)), "\x00"))
					switch {
					case s == "":
					case id == propDescription:
						alt = append(alt, s)
					default:
						wordArt = append(wordArt, s)
					}
				}
				complexAt += op
			}
			i += 7 + int(size)
		}
	}
	return alt, wordArt
}
