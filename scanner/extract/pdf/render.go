package pdf

import (
	"image"
	"math"

	"github.com/baomi/baomi/scanner/extract"
)

// piece is a decoded image and where the page draws it; a stencil mask
// paints only its black.
type piece struct {
	img  image.Image
	ctm  matrix
	mask bool
}

// render draws pieces on a white gray picture as the page shows them, at
// the finest resolution among them (fewer pixels if that would make more
// than extract.MaxPicturePixels): the strips of a scan put together, or one
// picture drawn turned or mirrored put upright. Each pixel takes the
// nearest pixel of the last piece drawn over it.
func render(pieces []piece) *image.Gray {
	x0, y0, x1, y1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
	scale := 0.0 // pixels per unit of user space
	for _, p := range pieces {
		for _, c := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
			x, y := p.ctm.apply(c[0], c[1])
			x0, y0, x1, y1 = min(x0, x), min(y0, y), max(x1, x), max(y1, y)
		}
		b := p.img.Bounds()
		if u := math.Hypot(p.ctm[0], p.ctm[1]); u > 0 {
			scale = max(scale, float64(b.Dx())/u)
		}
		if v := math.Hypot(p.ctm[2], p.ctm[3]); v > 0 {
			scale = max(scale, float64(b.Dy())/v)
		}
	}
	w, h := (x1-x0)*scale, (y1-y0)*scale
	if n := w * h; n > extract.MaxPicturePixels {
		f := math.Sqrt(extract.MaxPicturePixels / n)
		scale, w, h = scale*f, w*f, h*f
	}
	if !(w >= 1 && h >= 1) { // NaN too
		return image.NewGray(image.Rect(0, 0, 1, 1))
	}
	out := image.NewGray(image.Rect(0, 0, int(w), int(h)))
	for i := range out.Pix {
		out.Pix[i] = 0xff
	}
	for _, p := range pieces {
		inv, ok := p.ctm.inverse()
		if !ok {
			continue
		}
		// The piece's box on the picture.
		bx0, by0, bx1, by1 := math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)
		for _, c := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
			x, y := p.ctm.apply(c[0], c[1])
			px, py := (x-x0)*scale, (y1-y)*scale
			bx0, by0, bx1, by1 = min(bx0, px), min(by0, py), max(bx1, px), max(by1, py)
		}
		b := p.img.Bounds()
		pw, ph := float64(b.Dx()), float64(b.Dy())
		for py := max(0, int(by0)); py < min(out.Rect.Dy(), int(math.Ceil(by1))); py++ {
			row := out.Pix[py*out.Stride:]
			for px := max(0, int(bx0)); px < min(out.Rect.Dx(), int(math.Ceil(bx1))); px++ {
				u, v := inv.apply(x0+(float64(px)+0.5)/scale, y1-(float64(py)+0.5)/scale)
				if u < 0 || u >= 1 || v <= 0 || v > 1 {
					continue
				}
				g := grayAt(p.img, b.Min.X+int(u*pw), b.Min.Y+int((1-v)*ph))
				if p.mask && g >= 0x80 {
					continue
				}
				row[px] = g
			}
		}
	}
	return out
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
// flattens the plane.
func (m matrix) inverse() (matrix, bool) {
	det := m[0]*m[3] - m[1]*m[2]
	if det == 0 || math.IsNaN(det) || math.IsInf(det, 0) {
		return matrix{}, false
	}
	return matrix{
		m[3] / det, -m[1] / det,
		-m[2] / det, m[0] / det,
		(m[2]*m[5] - m[3]*m[4]) / det, (m[1]*m[4] - m[0]*m[5]) / det,
	}, true
}
