// Package officeart reads what the shapes of an Office 97-2003 file say
// in words ([MS-ODRAW]): Word, Excel and PowerPoint keep their drawings as
// OfficeArt records, each shape with a table of properties.
package officeart

import (
	"encoding/binary"
	"strings"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
)

// Segments returns what the shapes whose property tables are in streams
// say (ShapeTexts) as a document's segments: the WordArt texts, which are
// text on the page (Word's watermarks), as a text box's, and the
// descriptions as alt text; none for what is empty.
func Segments(streams ...[]byte) []extract.Segment {
	alt, wordArt := ShapeTexts(streams...)
	var out []extract.Segment
	for _, s := range []extract.Segment{{Part: extract.PartTextbox, Text: strings.Join(wordArt, "\n")}, {Part: extract.PartAltText, Text: strings.Join(alt, "\n")}} {
		if s.Text != "" {
			out = append(out, s)
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

// ShapeTexts returns the descriptions (alt text) and the WordArt texts of
// the shapes whose property tables (FOPT records) are in streams, in the
// order found: a table of 6-byte properties, the complex ones (strings)
// after it in the same order, each as long as its value says.
func ShapeTexts(streams ...[]byte) (alt, wordArt []string) {
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
