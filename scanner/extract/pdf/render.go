package pdf

import (
	"image"
	"math"

	"github.com/baomi/baomi/scanner/extract"
)

// canvas is a gray picture of part of a page, white at first, on which
// images are drawn as the page shows them: the pieces of a picture put
// together, or one picture drawn turned or mirrored put upright.
type canvas struct {
	img    *image.Gray
	x0, y1 float64 // the top left corner, in user space
	scale  float64 // pixels per unit of user space
}

// Resolutions of a canvas, in pixels per point: that of one none of whose
// images has a known size (300 dpi), and the finest (600 dpi), as OCR reads
// no better beyond and a logo of 2000 pixels drawn a centimetre wide must
// not make the whole page as fine.
const (
	pagePixels = 300.0 / 72
	maxPixels  = 600.0 / 72
)

// newCanvas returns the canvas that holds images of w×h pixels drawn with
// ctms in a user space of unit points, at the finest resolution among them
// up to maxPixels (fewer pixels if that would make more than
// extract.MaxPicturePixels).
func newCanvas(ctms []matrix, w, h []int, unit float64) *canvas {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	scale := 0.0
	for i, m := range ctms {
		for _, c := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
			x, y := m.apply(c[0], c[1])
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
		if u := math.Hypot(m[0], m[1]); u > 0 {
			scale = max(scale, float64(w[i])/u)
		}
		if v := math.Hypot(m[2], m[3]); v > 0 {
			scale = max(scale, float64(h[i])/v)
		}
	}
	if scale == 0 {
		scale = pagePixels * unit
	}
	scale = min(scale, maxPixels*unit)
	cw, ch := (x1-x0)*scale, (y1-y0)*scale
	if n := cw * ch; n > extract.MaxPicturePixels {
		f := math.Sqrt(extract.MaxPicturePixels / n)
		scale, cw, ch = scale*f, cw*f, ch*f
	}
	if !(cw >= 1 && ch >= 1) { // NaN too
		cw, ch = 1, 1
	}
	c := &canvas{img: image.NewGray(image.Rect(0, 0, int(cw), int(ch))), x0: x0, y1: y1, scale: scale}
	for i := range c.img.Pix {
		c.img.Pix[i] = 0xff
	}
	return c
}

// draw draws img with ctm: each pixel of the canvas it covers takes its
// nearest pixel; a stencil mask (mask) paints only its black.
func (c *canvas) draw(img image.Image, ctm matrix, mask bool) {
	inv, ok := ctm.inverse()
	if !ok {
		return
	}
	// The image's box on the canvas.
	bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	for _, p := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := ctm.apply(p[0], p[1])
		px, py := (x-c.x0)*c.scale, (c.y1-y)*c.scale
		bx0, by0, bx1, by1 = min(bx0, px), min(by0, py), max(bx1, px), max(by1, py)
	}
	b := img.Bounds()
	pw, ph := float64(b.Dx()), float64(b.Dy())
	out := c.img
	for py := max(0, int(by0)); py < min(out.Rect.Dy(), int(math.Ceil(by1))); py++ {
		row := out.Pix[py*out.Stride:]
		for px := max(0, int(bx0)); px < min(out.Rect.Dx(), int(math.Ceil(bx1))); px++ {
			u, v := inv.apply(c.x0+(float64(px)+0.5)/c.scale, c.y1-(float64(py)+0.5)/c.scale)
			if !(u >= 0 && u < 1 && v > 0 && v <= 1) { // NaN too
				continue
			}
			g := grayAt(img, b.Min.X+int(u*pw), b.Min.Y+int((1-v)*ph))
			if mask && g >= 0x80 {
				continue
			}
			row[px] = g
		}
	}
}

// grayAt is the gray of one pixel of m.
func grayAt(m image.Image, x, y int) byte {
	switch m := m.(type) {
	case *image.Gray:
		return m.Pix[m.PixOffset(x, y)]
	case *image.RGBA:
		i := m.PixOffset(x, y)
		return byte((299*int(m.Pix[i]) + 587*int(m.Pix[i+1]) + 114*int(m.Pix[i+2])) / 1000)
	}
	r, g, b, _ := m.At(x, y).RGBA()
	return byte((299*r + 587*g + 114*b) / 1000 >> 8)
}

// inverse returns the transformation that undoes m, false when m
// flattens the plane (or nearly: the inverse would not be finite).
func (m matrix) inverse() (matrix, bool) {
	det := m[0]*m[3] - m[1]*m[2]
	inv := matrix{
		m[3] / det, -m[1] / det,
		-m[2] / det, m[0] / det,
		(m[2]*m[5] - m[3]*m[4]) / det, (m[1]*m[4] - m[0]*m[5]) / det,
	}
	for _, v := range inv {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return matrix{}, false
		}
	}
	return inv, true
}
