package msdoc

import (
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
