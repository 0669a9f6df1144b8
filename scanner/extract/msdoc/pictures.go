package msdoc

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

// pictures returns the pictures that may carry text among the BLIP records
// in streams (WordDocument, the table stream, Data): Word keeps inline
// pictures in Data and floating ones in the drawing's store, in either of
// the others. A metafile (EMF, WMF, PICT) always may: its drawing scales
// to any size and may hold text; a raster picture unless its header says
// it is a decoration. Word 6/95 pictures (metafiles and bitmaps without
// OfficeArt) are not found here: the reader counts the characters
// anchoring them instead.
func pictures(streams ...[]byte) []picture.Blip {
	var out []picture.Blip
	for _, b := range streams {
		for _, p := range picture.Blips(b) {
			if p.Metafile || extract.PictureMayCarryText(p.Data) {
				out = append(out, p)
			}
		}
	}
	return out
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
