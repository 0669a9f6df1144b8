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
	// ink has the bit of each pixel text was painted on, shown of those
	// painted black or white so as to show (made with the first text).
	ink, shown []uint64
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
// dpi: the picture OCR reads. A run of fills of one gray, all text (see
// fill.text) or none, is drawn at once, in bands of its box. What would
// hide outlined text from OCR while it stays in the file is undone: text
// is drawn in black or white, whichever shows, where its gray would
// hardly show on what lies under it (white on white; not on text drawn
// before, as a bold drawn twice is), and a fill that is not text and
// covers a glyph drawn before (a white box over a marking) is not drawn. why is
// set, and the image nil, when there were too many to keep or to draw (or
// ctx ended). It is called when MayBeText.
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
	var run []fill // the fills of a run that are drawn
	work, pixels := 0, 0
	for i := 0; i < len(s.fills); {
		f0, j, r := s.fills[i], i, emptyBox()
		text := f0.text(s.glyphSize)
		run = run[:0]
		for ; j < len(s.fills) && s.fills[j].gray == f0.gray && s.fills[j].text(s.glyphSize) == text; j++ {
			f := s.fills[j]
			if !f.box.meets(b) {
				continue
			}
			if !text {
				// The glyphs drawn before it: telling whether it covers
				// one counts as work.
				before := s.glyphBoxes[:f.g0]
				if work += len(before); work > maxShapeWork || ctx.Err() != nil {
					return nil, WhyTooMany
				}
				if covers(f.box, before) {
					continue
				}
			}
			run = append(run, f)
			r.union(f.box)
		}
		rect := image.Rect(int((r.x0-c.x0)*c.scale), int((c.y1-r.y1)*c.scale),
			int(math.Ceil((r.x1-c.x0)*c.scale)), int(math.Ceil((c.y1-r.y0)*c.scale))).Intersect(c.img.Rect)
		rows := max(1, shapeBand/max(1, rect.Dx()))
		for top := rect.Min.Y; top < rect.Max.Y && r.x0 <= r.x1; top += rows {
			band := image.Rect(rect.Min.X, top, rect.Max.X, min(top+rows, rect.Max.Y))
			pixels += band.Dx() * band.Dy()
			if work += s.rasterize(&z, c, run, band); work > maxShapeWork || pixels > maxShapePixels || ctx.Err() != nil {
				return nil, WhyTooMany
			}
			pix = slices.Grow(pix[:0], band.Dx()*band.Dy())
			mask := &image.Alpha{Pix: pix[:band.Dx()*band.Dy()], Stride: band.Dx(), Rect: image.Rect(0, 0, band.Dx(), band.Dy())}
			z.Draw(mask, mask.Rect, image.Opaque, image.Point{})
			c.paint(mask, band.Min, f0.gray, text)
		}
		i = j
	}
	return c.img, ""
}

// covers reports whether a fill of box f covers one of the glyph-like
// subpaths of boxes glyphs: it holds the middle of one, and is larger both
// ways. A glyph's own simpler pieces (the dot of an i, a 一 beside it) do
// not.
func covers(f box, glyphs []box) bool {
	for _, g := range glyphs {
		mx, my := (g.x0+g.x1)/2, (g.y0+g.y1)/2
		if f.x0 <= mx && mx <= f.x1 && f.y0 <= my && my <= f.y1 && f.x1-f.x0 > g.x1-g.x0 && f.y1-f.y0 > g.y1-g.y0 {
			return true
		}
	}
	return false
}

// minContrast is how far glyphs' gray must lie from what they are drawn
// over to be drawn in it: 48 of 255 (a gray of 0.81 on white is).
const minContrast = 48

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

// paint paints gray on c where mask, placed at at, covers it. Text is
// painted black on what is light and white on what is dark where gray
// would hardly show (see Draw), but on the pixels of text painted before:
// there in its gray, or, where that was painted so, left as it is (hidden
// text drawn twice, as a bold is, stays shown).
func (c *canvas) paint(mask *image.Alpha, at image.Point, gray byte, text bool) {
	if text && c.ink == nil {
		c.ink = make([]uint64, (len(c.img.Pix)+63)/64)
		c.shown = make([]uint64, len(c.ink))
	}
	for y := range mask.Rect.Dy() {
		src := mask.Pix[y*mask.Stride : y*mask.Stride+mask.Rect.Dx()]
		o := c.img.PixOffset(at.X, at.Y+y)
		dst := c.img.Pix[o:]
		for x, a := range src {
			if a == 0 {
				continue
			}
			d, g := int(dst[x]), int(gray)
			if text {
				w, bit := (o+x)/64, uint64(1)<<((o+x)%64)
				switch {
				case c.shown[w]&bit != 0:
					continue
				case c.ink[w]&bit == 0 && max(d-g, g-d) < minContrast:
					g = 0
					if d < 128 {
						g = 255
					}
					if a >= 0x80 {
						c.shown[w] |= bit
					}
				}
				if a >= 0x80 {
					c.ink[w] |= bit
				}
			}
			dst[x] = byte((d*(255-int(a)) + g*int(a) + 127) / 255)
		}
	}
}
