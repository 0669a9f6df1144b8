package outline

import (
	"context"
	"image"
	"image/draw"
	"math"
	"slices"

	"golang.org/x/image/vector"

	"github.com/baomi/baomi/scanner/extract"
)

const (
	// pagePixels is the resolution shapes are drawn at, in pixels per
	// point: 300 dpi.
	pagePixels = 300.0 / 72
	// shapeBand bounds the pixels rasterized at once.
	shapeBand = 1 << 20
	// maxShapeWork and maxShapePixels bound the work of drawing a page's
	// shapes: the rows the segments span, counted in each band they are
	// drawn in, and the pixels of the bands.
	maxShapeWork   = 20_000_000
	maxShapePixels = 1 << 30
)

// canvas is a gray picture of part of a page, white at first.
type canvas struct {
	img    *image.Gray
	x0, y1 float64 // the top left corner, in page space
	scale  float64 // pixels per unit of page space
}

// newCanvas returns the canvas of b at 300 dpi, units of unit points
// (fewer pixels if that would make more than extract.MaxPicturePixels).
func newCanvas(b box, unit float64) *canvas {
	scale := pagePixels * unit
	cw, ch := (b.x1-b.x0)*scale, (b.y1-b.y0)*scale
	if n := cw * ch; n > extract.MaxPicturePixels {
		f := math.Sqrt(extract.MaxPicturePixels / n)
		scale, cw, ch = scale*f, cw*f, ch*f
	}
	if !(cw >= 1 && ch >= 1) { // NaN too
		cw, ch = 1, 1
	}
	c := &canvas{img: image.NewGray(image.Rect(0, 0, int(cw), int(ch))), x0: b.x0, y1: b.y1, scale: scale}
	for i := range c.img.Pix {
		c.img.Pix[i] = 0xff
	}
	return c
}

// Draw draws the fills that cross the box of the glyph-like subpaths,
// grown by the largest of them (the simpler glyphs next to them, an I or a
// 一, are not glyph-like), gray on white, each over those before, at 300
// dpi: the picture OCR reads. A run of fills of one gray is drawn at once,
// in bands of its box. why is set, and the image nil, when there were too
// many to keep or to draw (or ctx ended). It is called when MayBeText.
func (s *Shapes) Draw(ctx context.Context) (img image.Image, why string) {
	if s.over {
		return nil, WhyTooMany
	}
	unit := s.unit()
	b := s.box
	m := max(s.glyphSize, 6/unit) // and at least 6 points
	b = box{b.x0 - m, b.y0 - m, b.x1 + m, b.y1 + m}
	c := newCanvas(b, unit)
	var z vector.Rasterizer
	var pix []byte // the band's mask
	work, pixels := 0, 0
	for i := 0; i < len(s.fills); {
		j, run := i, emptyBox()
		for ; j < len(s.fills) && s.fills[j].gray == s.fills[i].gray; j++ {
			if s.fills[j].box.meets(b) {
				run.union(s.fills[j].box)
			}
		}
		r := image.Rect(int((run.x0-c.x0)*c.scale), int((c.y1-run.y1)*c.scale),
			int(math.Ceil((run.x1-c.x0)*c.scale)), int(math.Ceil((c.y1-run.y0)*c.scale))).Intersect(c.img.Rect)
		rows := max(1, shapeBand/max(1, r.Dx()))
		for top := r.Min.Y; top < r.Max.Y && run.x0 <= run.x1; top += rows {
			band := image.Rect(r.Min.X, top, r.Max.X, min(top+rows, r.Max.Y))
			pixels += band.Dx() * band.Dy()
			if work += s.rasterize(&z, c, s.fills[i:j], band); work > maxShapeWork || pixels > maxShapePixels || ctx.Err() != nil {
				return nil, WhyTooMany
			}
			pix = slices.Grow(pix[:0], band.Dx()*band.Dy())
			mask := &image.Alpha{Pix: pix[:band.Dx()*band.Dy()], Stride: band.Dx(), Rect: image.Rect(0, 0, band.Dx(), band.Dy())}
			z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
			c.paint(mask, band.Min, s.fills[i].gray)
		}
		i = j
	}
	return c.img, ""
}

// rasterize adds to z, reset to band, a rectangle of canvas c, the fills
// of s among fills that reach it, and returns the work it will take: a
// step per row each segment spans, and one. Points far off the canvas are
// brought nearer it: a line costs a step per row it spans, however far,
// and a curve is cut into lines by its size.
func (s *Shapes) rasterize(z *vector.Rasterizer, c *canvas, fills []fill, band image.Rectangle) int {
	z.Reset(band.Dx(), band.Dy())
	z.DrawOp = draw.Src // the mask is this band's alone (Reset made it Over)
	w, h := float64(c.img.Rect.Dx()), float64(c.img.Rect.Dy())
	at := func(x, y float32) (float32, float32) {
		px := clampTo((float64(x)-c.x0)*c.scale, -w, 2*w)
		py := clampTo((c.y1-float64(y))*c.scale, -h, 2*h)
		return float32(px - float64(band.Min.X)), float32(py - float64(band.Min.Y))
	}
	work := 0
	for _, f := range fills {
		if (c.y1-f.box.y0)*c.scale < float64(band.Min.Y) || (c.y1-f.box.y1)*c.scale > float64(band.Max.Y) {
			continue
		}
		p := s.pts[f.pt:]
		lastY := float32(0)
		for _, k := range s.ops[f.op:f.end] {
			switch k {
			case opMove:
				z.ClosePath()
				x0, y0 := at(p[0], p[1])
				z.MoveTo(x0, y0)
				lastY, p = y0, p[2:]
			case opLine:
				x1, y1 := at(p[0], p[1])
				z.LineTo(x1, y1)
				work += int(math.Abs(float64(y1-lastY))) + 1
				lastY, p = y1, p[2:]
			case opCurve:
				x1, y1 := at(p[0], p[1])
				x2, y2 := at(p[2], p[3])
				x3, y3 := at(p[4], p[5])
				z.CubeTo(x1, y1, x2, y2, x3, y3)
				work += int(max(lastY, y1, y2, y3)-min(lastY, y1, y2, y3))*3 + 1
				lastY, p = y3, p[6:]
			case opClose:
				z.ClosePath()
			}
		}
		z.ClosePath()
	}
	return work
}

// clampTo returns v within [lo, hi], lo for NaN.
func clampTo(v, lo, hi float64) float64 {
	if !(v >= lo) {
		return lo
	}
	return min(v, hi)
}

// paint paints gray on c where mask, placed at at, covers it.
func (c *canvas) paint(mask *image.Alpha, at image.Point, gray byte) {
	for y := range mask.Rect.Dy() {
		src := mask.Pix[y*mask.Stride : y*mask.Stride+mask.Rect.Dx()]
		dst := c.img.Pix[c.img.PixOffset(at.X, at.Y+y):]
		for x, a := range src {
			if a != 0 {
				dst[x] = byte((int(dst[x])*(255-int(a)) + int(gray)*int(a) + 127) / 255)
			}
		}
	}
}
