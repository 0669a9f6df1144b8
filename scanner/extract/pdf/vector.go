package pdf

import (
	"cmp"
	"image"
	"image/draw"
	"math"
	"slices"

	"github.com/ledongthuc/pdf"
	"golang.org/x/image/vector"

	"github.com/baomi/baomi/scanner/extract/internal/pdfimage"
)

// Text drawn as shapes: a marking converted to outlines ("create
// outlines", some print drivers, the red header of an official document, a
// stamp) has neither text operators nor an image. The walker keeps the
// paths a page fills (stroked ones are no glyphs); a page that fills
// glyph-like shapes side by side, as a line of text is, has them drawn in
// gray and read by OCR like a picture (see mayBeText, drawShapes).
const (
	// minSegments is how many line and curve operators (l, c, v, y) make
	// a stream with no text operators worth running: two glyphs' outlines
	// have more (a print driver may cut their curves into lines), a few
	// rules and table shading (re) fewer.
	minSegments = 32
	// maxPathSegs bounds the path segments kept per page (page and
	// annotation appearances): past it the page's shapes are not read.
	maxPathSegs = 200_000
	// A glyph-like subpath is between glyphMin and glyphMax points on its
	// longer side, has glyphSegs segments or more and is not convex: not
	// a dot, a rule, a cell's shading, a rounded box, a disc, an arrow or
	// a whole drawing.
	glyphMin  = 2.0
	glyphMax  = 144.0
	glyphSegs = 9
	// minGlyphs is how many glyph-like subpaths make a page's shapes
	// worth reading: 秘密 or SECRET have 5.
	minGlyphs = 4
	// shapeBand bounds the pixels rasterized at once.
	shapeBand = 1 << 20
	// maxShapeWork and maxShapePixels bound the work of drawing a page's
	// shapes: the rows the segments span, counted in each band they are
	// drawn in, and the pixels of the bands.
	maxShapeWork   = 20_000_000
	maxShapePixels = 1 << 30
)

// whyManyShapes is why the shapes of a page were not read: too many to
// keep or to draw.
const whyManyShapes = "it is drawn with too many shapes"

// pathOp is one operation of a path: a move, line, cubic curve or close.
type pathOp byte

const (
	opMove pathOp = iota
	opLine
	opCurve
	opClose
)

// box is a rectangle of user space.
type box struct{ x0, y0, x1, y1 float64 }

func emptyBox() box { return box{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)} }

func (b *box) add(x, y float64) {
	b.x0, b.y0, b.x1, b.y1 = min(b.x0, x), min(b.y0, y), max(b.x1, x), max(b.y1, y)
}

func (b *box) union(c box) {
	b.x0, b.y0, b.x1, b.y1 = min(b.x0, c.x0), min(b.y0, c.y0), max(b.x1, c.x1), max(b.y1, c.y1)
}

func (b box) meets(c box) bool {
	return b.x0 <= c.x1 && c.x0 <= b.x1 && b.y0 <= c.y1 && c.y0 <= b.y1
}

// fill is one filled path: its operations ops[op:end], its first point,
// its gray and its box.
type fill struct {
	op, end, pt int
	gray        byte
	box         box
}

// shapes are the paths a walker filled, in the page's user space and the
// order drawn, and how many of their subpaths look like glyphs.
type shapes struct {
	ops   []pathOp
	pts   []float32 // x, y: one point for a move or line, three for a curve
	fills []fill
	// The path being built: its first operation and point, its current
	// point and the start of its current subpath.
	op, pt     int
	cur, start [2]float32
	glyphs     int
	marks      []mark  // the first maxMarks glyph-like subpaths
	box        box     // of the glyph-like subpaths (emptyBox at first)
	glyphSize  float64 // the longest side of the largest one
	// over is set when the page's segments passed maxPathSegs: the
	// shapes kept are not all the page's.
	over bool
	clip bool // the path being built clips (W, W*)
}

// pathOperator applies op if it is a path construction or painting
// operator, num giving its nargs operands, drawn with g.
func (w *walker) pathOperator(op string, num func(int) float64, nargs int, g *gstate) {
	s := &w.shapes
	pt := func(i int) (float32, float32) {
		x, y := g.ctm.apply(num(i), num(i+1))
		return float32(x), float32(y)
	}
	switch op {
	case "m", "l":
		if nargs == 2 {
			x, y := pt(0)
			k := opLine
			if op == "m" || len(s.ops) == s.op {
				k = opMove
			}
			w.segment(k, x, y)
		}
	case "c", "v", "y":
		want := 4
		if op == "c" {
			want = 6
		}
		if nargs != want || len(s.ops) == s.op {
			return // no current point: nothing to draw from
		}
		x1, y1 := s.cur[0], s.cur[1]
		var x2, y2, x3, y3 float32
		switch op {
		case "c":
			x1, y1 = pt(0)
			x2, y2 = pt(2)
			x3, y3 = pt(4)
		case "v":
			x2, y2 = pt(0)
			x3, y3 = pt(2)
		case "y":
			x1, y1 = pt(0)
			x3, y3 = pt(2)
			x2, y2 = x3, y3
		}
		w.segment(opCurve, x1, y1, x2, y2, x3, y3)
	case "h":
		if len(s.ops) > s.op {
			w.segment(opClose)
		}
	case "re":
		if nargs == 4 {
			x, y, wd, ht := num(0), num(1), num(2), num(3)
			for i, c := range [4][2]float64{{x, y}, {x + wd, y}, {x + wd, y + ht}, {x, y + ht}} {
				k := opLine
				if i == 0 {
					k = opMove
				}
				px, py := g.ctm.apply(c[0], c[1])
				w.segment(k, float32(px), float32(py))
			}
			w.segment(opClose)
		}
	case "W", "W*":
		s.clip = true
	case "f", "F", "f*", "B", "B*", "b", "b*":
		switch {
		case g.glyphClip:
			w.endPath() // painted through glyphs: drawn as them
		case s.clip:
			w.clip(g, g.fill, true)
		default:
			w.filled(g.fill, int(g.fill))
		}
		s.clip = false
	case "S", "s", "n":
		if s.clip && !g.glyphClip {
			w.clip(g, patternGray, false)
		} else {
			w.endPath()
		}
		s.clip = false
	}
}

// clip keeps the path being built, which clips what is painted next (and
// is filled too when filled), as a fill of gray if it has glyph-like
// subpaths: text filled with a gradient or a picture is a shading or an
// image drawn through its glyphs. What is then painted through them is
// not drawn: it shows as the glyphs, drawn once (a rectangle filled
// through them would hide them).
func (w *walker) clip(g *gstate, gray byte, filled bool) {
	s := &w.shapes
	if len(s.ops) == s.op {
		return
	}
	before := s.glyphs
	w.filled(gray, 256+len(s.fills)) // a set of its own
	if s.glyphs > before {
		g.glyphClip = true
		return
	}
	if !filled { // only a clip, and not glyphs: forgotten
		last := s.fills[len(s.fills)-1]
		s.fills, s.op, s.pt = s.fills[:len(s.fills)-1], last.op, last.pt
		w.endPath()
	}
}

// segment adds an operation and its points to the path being built,
// counting it against the page's maxPathSegs.
func (w *walker) segment(k pathOp, xy ...float32) {
	s := &w.shapes
	if s.over {
		return
	}
	if w.x.pathSegs++; w.x.pathSegs > maxPathSegs {
		s.over = true
		return
	}
	s.ops = append(s.ops, k)
	s.pts = append(s.pts, xy...)
	switch {
	case k == opMove:
		s.start = [2]float32{xy[0], xy[1]}
		s.cur = s.start
	case k == opClose:
		s.cur = s.start
	default:
		s.cur = [2]float32{xy[len(xy)-2], xy[len(xy)-1]}
	}
}

// endPath forgets the path being built, which was not filled.
func (w *walker) endPath() {
	s := &w.shapes
	w.x.pathSegs -= len(s.ops) - s.op
	s.ops, s.pts = s.ops[:s.op], s.pts[:s.pt]
}

// filled keeps the path being built as a fill of gray, and counts its
// subpaths that look like glyphs, marked as in set (see mark).
func (w *walker) filled(gray byte, set int) {
	s := &w.shapes
	if len(s.ops) == s.op {
		return
	}
	f := fill{op: s.op, end: len(s.ops), pt: s.pt, gray: gray, box: emptyBox()}
	unit := cmp.Or(w.x.userUnit, 1)
	sub := subpath{box: emptyBox()}
	done := func() {
		if size := sub.size() * unit; size >= glyphMin && size <= glyphMax && sub.segs >= glyphSegs && !sub.convex() {
			s.glyphs++
			if len(s.marks) < maxMarks {
				s.marks = append(s.marks, mark{sub.box, set})
			}
			s.box.union(sub.box)
			s.glyphSize = max(s.glyphSize, size/unit)
		}
		f.box.union(sub.box)
		sub = subpath{box: emptyBox()}
	}
	p := s.pts[s.pt:]
	for _, k := range s.ops[s.op:] {
		n := 0
		switch k {
		case opMove:
			done()
			n = 1
		case opLine:
			sub.segs++
			n = 1
		case opCurve:
			sub.segs++
			n = 3
		}
		for i := range n {
			sub.add(float64(p[2*i]), float64(p[2*i+1]))
		}
		p = p[2*n:]
	}
	done()
	s.fills = append(s.fills, f)
	s.op, s.pt = len(s.ops), len(s.pts)
}

// minEdge is the shortest edge a subpath's turns are measured on, in
// units of user space: shorter ones are noise.
const minEdge = 0.05

// subpath follows the points of a subpath (the control points of its
// curves too): its box, its segments and how it turns, to tell whether it
// is convex (a disc, a box, a chart's marker: not a glyph, or one as
// plain as an O).
type subpath struct {
	box         box
	segs        int
	points      int
	first, prev [2]float64
	e0, e       [2]float64 // the first edge and the last
	left, right bool       // it turned left, right
	turned      float64    // by how much in all, in radians
}

func (p *subpath) add(x, y float64) {
	p.box.add(x, y)
	q := [2]float64{x, y}
	if p.points == 0 {
		p.first, p.prev, p.points = q, q, 1
		return
	}
	e := [2]float64{x - p.prev[0], y - p.prev[1]}
	if math.Abs(e[0])+math.Abs(e[1]) < minEdge {
		return // a step lost in the rounding of the points
	}
	if p.points == 1 {
		p.e0 = e
	} else {
		p.turn(p.e, e)
	}
	p.e, p.prev = e, q
	p.points++
}

// turn notes the turn from edge a to edge b.
func (p *subpath) turn(a, b [2]float64) {
	cross, dot := a[0]*b[1]-a[1]*b[0], a[0]*b[0]+a[1]*b[1]
	// Nearly straight on (a curve's smooth join) is no turn.
	if tol := 1e-2 * math.Hypot(a[0], a[1]) * math.Hypot(b[0], b[1]); cross > tol {
		p.left = true
	} else if cross < -tol {
		p.right = true
	}
	p.turned += math.Atan2(cross, dot)
}

func (p *subpath) size() float64 { return max(p.box.x1-p.box.x0, p.box.y1-p.box.y0) }

// convex reports whether the subpath, closed, turns one way only and
// once round.
func (p *subpath) convex() bool {
	if p.points < 3 {
		return true
	}
	p.add(p.first[0], p.first[1])
	p.turn(p.e, p.e0)
	return !(p.left && p.right) && math.Abs(p.turned) < 2*math.Pi+0.1
}

// mark is a glyph-like subpath: its box and the set it is in, those of
// one gray (0 to 255) or of one clipping path.
type mark struct {
	box box
	set int
}

// maxMarks bounds the glyph-like subpaths kept to be looked at: a page of
// more is text, or as good as.
const maxMarks = 2048

// mayBeText reports whether the shapes look like text: minGlyphs
// glyph-like subpaths of one set (one gray, or one clipping path) side by
// side, in a row or a column, of sizes alike (the pieces of a drawing lie
// one over the other, or apart, in many colors or clipping paths).
func (s *shapes) mayBeText() bool {
	if s.glyphs > len(s.marks) {
		return true
	}
	for i, a := range s.marks {
		for _, vertical := range []bool{false, true} {
			near := 1
			for j, b := range s.marks {
				if j != i && b.set == a.set && inLine(a.box, b.box, vertical) {
					near++
				}
			}
			if near >= minGlyphs {
				return true
			}
		}
	}
	return false
}

// inLine reports whether b could be another glyph of the line (column
// when vertical) that a is one of: across the line, they overlap by half
// the smaller at least, along it by half the smaller at most (one inside
// the other are a drawing's), they are alike in size (within four times),
// and b is within eight of a's sizes along the line.
func inLine(a, b box, vertical bool) bool {
	if vertical {
		a, b = box{a.y0, a.x0, a.y1, a.x1}, box{b.y0, b.x0, b.y1, b.x1}
	}
	wa, wb, ha, hb := a.x1-a.x0, b.x1-b.x0, a.y1-a.y0, b.y1-b.y0
	sa, sb := max(wa, ha), max(wb, hb)
	return min(a.y1, b.y1)-max(a.y0, b.y0) >= min(ha, hb)/2 &&
		min(a.x1, b.x1)-max(a.x0, b.x0) <= min(wa, wb)/2 &&
		sb <= 4*sa && sa <= 4*sb &&
		math.Abs((a.x0+a.x1)-(b.x0+b.x1))/2 <= 8*sa
}

// patternGray is the gray of what a pattern (a gradient, a tiling) fills:
// a page's background often, which must not hide the text drawn on it,
// and the letters of a title sometimes, which must show.
const patternGray = 0x80

// fillGray returns the gray (0 black, 255 white) of a fill color given by
// operands of sc or scn in color space cs; an indexed color or any space
// it cannot tell is black, so that what it fills shows.
func fillGray(cs pdfimage.ColorSpace, v []float64) byte {
	clamp := func(f float64) byte {
		if !(f > 0) {
			return 0
		}
		return byte(min(f, 1)*255 + 0.5)
	}
	switch {
	case cs.Space == pdfimage.Gray && len(v) == 1:
		return clamp(v[0])
	case cs.Space == pdfimage.RGB && len(v) == 3:
		return clamp(0.299*v[0] + 0.587*v[1] + 0.114*v[2])
	case cs.Space == pdfimage.CMYK && len(v) == 4:
		k := 1 - v[3]
		return clamp(0.299*(1-v[0])*k + 0.587*(1-v[1])*k + 0.114*(1-v[2])*k)
	case cs.Space == pdfimage.Lab && len(v) == 3:
		return clamp(v[0] / 100)
	case cs.Space == pdfimage.Tint && len(v) > 0:
		sum := 0.0
		for _, t := range v {
			sum += t
		}
		return clamp(1 - sum/float64(len(v)))
	}
	return 0
}

// colorOperator applies fill color operator op, args its operands, to g,
// color spaces named looked up in res. It reports whether op was one.
func colorOperator(op string, args []pdf.Value, g *gstate, res pdf.Value) bool {
	nums := func() []float64 {
		v := make([]float64, 0, len(args))
		for _, a := range args {
			if k := a.Kind(); k == pdf.Integer || k == pdf.Real {
				v = append(v, a.Float64())
			}
		}
		return v
	}
	switch op {
	case "g":
		g.space = pdfimage.ColorSpace{Space: pdfimage.Gray}
	case "rg":
		g.space = pdfimage.ColorSpace{Space: pdfimage.RGB}
	case "k":
		g.space = pdfimage.ColorSpace{Space: pdfimage.CMYK}
	case "cs":
		if len(args) == 1 {
			g.space = colorSpace(pdfName(args[0].Name()), res, 0)
		}
		g.fill = 0 // each space's initial color is black, or near it
		return true
	case "sc", "scn":
	default:
		return false
	}
	if len(args) > 0 && args[len(args)-1].Kind() == pdf.Name {
		g.fill = patternGray
		return true
	}
	g.fill = fillGray(g.space, nums())
	return true
}

// drawShapes draws the fills of s that cross the box of its glyph-like
// subpaths, grown by the largest of them (the simpler glyphs next to
// them, an I or a 一, are not glyph-like), gray on white, each over those
// before, at 300 dpi: the picture OCR reads. A run of fills of one gray
// is drawn at once, in bands of its box. why is set when there were too
// many to draw.
func (x *pdfRun) drawShapes(s *shapes) (image.Image, string) {
	if s.over {
		return nil, whyManyShapes
	}
	unit := cmp.Or(x.userUnit, 1)
	b := s.box
	m := max(s.glyphSize, 6/unit) // and at least 6 points
	b = box{b.x0 - m, b.y0 - m, b.x1 + m, b.y1 + m}
	c := newCanvas([]matrix{{b.x1 - b.x0, 0, 0, b.y1 - b.y0, b.x0, b.y0}}, []int{0}, []int{0}, unit)
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
			if work += s.rasterize(&z, c, s.fills[i:j], band); work > maxShapeWork || pixels > maxShapePixels || x.ctx.Err() != nil {
				return nil, whyManyShapes
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
func (s *shapes) rasterize(z *vector.Rasterizer, c *canvas, fills []fill, band image.Rectangle) int {
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
