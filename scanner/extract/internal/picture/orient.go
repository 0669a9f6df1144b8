package picture

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// jpegOrientation returns the EXIF Orientation of a JPEG (1 to 8; 0 when it
// has none): a phone photo taken sideways is stored sideways with 6 or 8,
// and OCR reads lines the way they are stored. The EXIF block is an APP1
// segment before the first scan.
func jpegOrientation(b []byte) int {
	o := 0
	jpegSegments(b, func(marker byte, seg []byte) bool {
		if marker == 0xE1 && len(seg) >= 14 && string(seg[:6]) == "Exif\x00\x00" {
			o = exifOrientation(seg[6:])
			return false
		}
		return true
	})
	return o
}

// exifOrientation returns the Orientation of the first IFD of an EXIF
// block, a TIFF structure of its own.
func exifOrientation(t []byte) int {
	var order binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		order = binary.LittleEndian
	case "MM\x00*":
		order = binary.BigEndian
	default:
		return 0
	}
	return ifdOrientation(t, order, int(order.Uint32(t[4:])))
}

// orient returns img turned as Orientation o says it is shown (2 to 8:
// mirrored, turned a half or a quarter, or both); other values leave it as
// it is.
func orient(img image.Image, o int) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := toRaster(img)
	b := src.img.Bounds()
	w, h := b.Dx(), b.Dy()
	dw, dh := w, h
	if o >= 5 { // a quarter turn swaps the sides
		dw, dh = h, w
	}
	dst := src.blank(dw, dh)
	sp, ss, dp, ds, bpp := src.pix, src.stride, dst.pix, dst.stride, src.bpp
	for y := range dh {
		// The pixel shown at (x, y) is stored at (sx0 + x*dsx, sy0 +
		// x*dsy): along a row shown, the stored pixels run straight.
		var sx0, sy0, dsx, dsy int
		switch o {
		case 2: // mirrored left to right
			sx0, sy0, dsx = w-1, y, -1
		case 3: // turned a half
			sx0, sy0, dsx = w-1, h-1-y, -1
		case 4: // mirrored top to bottom
			sx0, sy0, dsx = 0, h-1-y, 1
		case 5: // transposed
			sx0, sy0, dsy = y, 0, 1
		case 6: // stored a quarter turn anticlockwise
			sx0, sy0, dsy = y, h-1, -1
		case 7: // transposed the other way
			sx0, sy0, dsy = w-1-y, h-1, -1
		case 8: // stored a quarter turn clockwise
			sx0, sy0, dsy = w-1-y, 0, 1
		}
		si, step := sy0*ss+sx0*bpp, dsy*ss+dsx*bpp
		row := dp[y*ds : y*ds+dw*bpp]
		if bpp == 1 { // grey scans: a byte at a time, without copy's cost
			for di := range row {
				row[di] = sp[si]
				si += step
			}
			continue
		}
		for di := 0; di < len(row); di += bpp {
			copy(row[di:di+bpp], sp[si:si+bpp])
			si += step
		}
	}
	return dst.img
}

// raster is an image whose pixels are a byte slice, bpp bytes each,
// starting at (0, 0).
type raster struct {
	img         image.Image
	pix         []byte
	stride, bpp int
}

// toRaster returns img as a raster: itself when its type is one, else
// drawn into an RGBA image.
func toRaster(img image.Image) raster {
	b := img.Bounds()
	if b.Min == (image.Point{}) {
		switch m := img.(type) {
		case *image.Gray:
			return raster{m, m.Pix, m.Stride, 1}
		case *image.Gray16:
			return raster{m, m.Pix, m.Stride, 2}
		case *image.Paletted:
			return raster{m, m.Pix, m.Stride, 1}
		case *image.RGBA:
			return raster{m, m.Pix, m.Stride, 4}
		case *image.NRGBA:
			return raster{m, m.Pix, m.Stride, 4}
		case *image.CMYK:
			return raster{m, m.Pix, m.Stride, 4}
		}
	}
	m := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(m, m.Bounds(), img, b.Min, draw.Src)
	return raster{m, m.Pix, m.Stride, 4}
}

// blank returns an empty raster of w×h of r's type.
func (r raster) blank(w, h int) raster {
	rect := image.Rect(0, 0, w, h)
	switch m := r.img.(type) {
	case *image.Gray:
		return toRaster(image.NewGray(rect))
	case *image.Gray16:
		return toRaster(image.NewGray16(rect))
	case *image.Paletted:
		return toRaster(image.NewPaletted(rect, m.Palette))
	case *image.NRGBA:
		return toRaster(image.NewNRGBA(rect))
	case *image.CMYK:
		return toRaster(image.NewCMYK(rect))
	}
	return toRaster(image.NewRGBA(rect))
}
