// Package outline tells whether the filled paths of a page look like text
// drawn as shapes, and draws them for OCR. A marking converted to outlines
// ("create outlines", 文字转曲, some print drivers, the red header of an
// official document, a stamp) has neither text nor an image: a page that
// fills glyph-like shapes side by side, as a line of text is, has them
// drawn in gray and read by OCR like a picture. Readers of fixed-layout
// formats (PDF, OFD) feed it the paths a page fills, in page space.
package outline

import (
	"math"
)

const (
	// maxPathSegs bounds the path segments kept per page: past it the
	// page's shapes are not read.
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
)

// WhyTooMany is why the shapes of a page were not read: too many to keep
// or to draw (the Why of its Picture).
const WhyTooMany = "it is drawn with too many shapes"

// Gray returns the gray (0 black, 255 white) of a color given by its
// components, each 0 to 1 (what lies beyond is as dark or as light as can
// be): one is a gray, three RGB, four CMYK; any other count is black, so
// that what it fills shows.
func Gray(v ...float64) byte {
	f := 0.0
	switch len(v) {
	case 1:
		f = v[0]
	case 3:
		f = 0.299*v[0] + 0.587*v[1] + 0.114*v[2]
	case 4:
		k := 1 - v[3]
		f = 0.299*(1-v[0])*k + 0.587*(1-v[1])*k + 0.114*(1-v[2])*k
	}
	if !(f > 0) {
		return 0
	}
	return byte(min(f, 1)*255 + 0.5)
}

// pathOp is one operation of a path: a move, line, cubic curve or close.
type pathOp byte

const (
	opMove pathOp = iota
	opLine
	opCurve
	opClose
)

// box is a rectangle of page space.
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
// its gray, its box and its glyph-like subpaths' boxes, glyphBoxes[g0:g1].
type fill struct {
	op, end, pt int
	gray        byte
	box         box
	g0, g1      int
}

// text reports whether f is drawn as text (see Shapes.Draw): it has
// glyph-like subpaths, or it is no larger than the largest of them
// (glyphSize), as the simpler glyphs that are not glyph-like are (一, 口,
// a dot).
func (f fill) text(glyphSize float64) bool {
	return f.g1 > f.g0 || max(f.box.x1-f.box.x0, f.box.y1-f.box.y0) <= glyphSize
}

// Shapes are the paths a page fills, in page space (y grows upwards) and
// the order drawn, and how many of their subpaths look like glyphs. A
// path is built with MoveTo, LineTo, CurveTo and Close, then kept by Fill
// or Clip or forgotten by Drop. The zero value holds none.
type Shapes struct {
	// Unit is the size of a unit of page space in points (1/72 inch);
	// 0 is 1.
	Unit float64
	// Count counts the path segments kept on the page, shared by the
	// Shapes of one page (its annotations' too); nil counts these alone.
	Count *int

	ops   []pathOp
	pts   []float32 // x, y: one point for a move or line, three for a curve
	fills []fill
	// The path being built: its first operation and point, its current
	// point and the start of its current subpath.
	op, pt     int
	cur, start [2]float32
	count      int     // Count when nil
	glyphs     int     // glyph-like subpaths
	glyphBoxes []box   // their boxes, in the order drawn
	marks      []mark  // the first maxMarks glyph-like subpaths
	box        box     // of the glyph-like subpaths (valid when glyphs > 0)
	glyphSize  float64 // the longest side of the largest one
	// over is set when the page's segments passed maxPathSegs: the
	// shapes kept are not all the page's.
	over bool
}

func (s *Shapes) unit() float64 {
	if s.Unit > 0 {
		return s.Unit
	}
	return 1
}

// building reports whether a path is being built: it has a current point.
func (s *Shapes) building() bool { return len(s.ops) > s.op }

// Current returns the current point of the path being built; ok is false
// when none is.
func (s *Shapes) Current() (x, y float32, ok bool) {
	return s.cur[0], s.cur[1], s.building()
}

// MoveTo starts a subpath at (x, y).
func (s *Shapes) MoveTo(x, y float32) { s.segment(opMove, x, y) }

// LineTo adds a line to (x, y); with no current point it starts a
// subpath there.
func (s *Shapes) LineTo(x, y float32) {
	if !s.building() {
		s.segment(opMove, x, y)
		return
	}
	s.segment(opLine, x, y)
}

// CurveTo adds a cubic Bézier curve to (x3, y3) with control points (x1,
// y1) and (x2, y2); with no current point there is nothing to draw from
// and it adds nothing.
func (s *Shapes) CurveTo(x1, y1, x2, y2, x3, y3 float32) {
	if s.building() {
		s.segment(opCurve, x1, y1, x2, y2, x3, y3)
	}
}

// Close closes the current subpath.
func (s *Shapes) Close() {
	if s.building() {
		s.segment(opClose)
	}
}

// segment adds an operation and its points to the path being built,
// counting it against the page's maxPathSegs.
func (s *Shapes) segment(k pathOp, xy ...float32) {
	if s.over {
		return
	}
	n := s.Count
	if n == nil {
		n = &s.count
	}
	if *n++; *n > maxPathSegs {
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

// Drop forgets the path being built, which was not filled (a stroke, or
// nothing painted).
func (s *Shapes) Drop() {
	n := s.Count
	if n == nil {
		n = &s.count
	}
	*n -= len(s.ops) - s.op
	s.ops, s.pts = s.ops[:s.op], s.pts[:s.pt]
}

// Fill keeps the path being built as a fill of gray (0 black, 255 white).
// Glyphs of one gray may be one line of text.
func (s *Shapes) Fill(gray byte) { s.filled(gray, int(gray)) }

// Clip keeps the path being built, which clips what is painted next (and
// is filled too when filled), as a fill of gray if it has glyph-like
// subpaths, and reports whether it has: text filled with a gradient or a
// picture is a shading or an image drawn through its glyphs. What is then
// painted through them should not be drawn: it shows as the glyphs, drawn
// once (a rectangle filled through them would hide them). A clip only,
// with no glyph-like subpath, is forgotten.
func (s *Shapes) Clip(gray byte, filled bool) bool {
	if !s.building() {
		return false
	}
	before := s.glyphs
	s.filled(gray, 256+len(s.fills)) // a set of its own
	if s.glyphs > before {
		return true
	}
	if !filled {
		last := s.fills[len(s.fills)-1]
		s.fills, s.op, s.pt = s.fills[:len(s.fills)-1], last.op, last.pt
		s.Drop()
	}
	return false
}

// filled keeps the path being built as a fill of gray, and counts its
// subpaths that look like glyphs, marked as in set (see mark).
func (s *Shapes) filled(gray byte, set int) {
	if !s.building() {
		return
	}
	f := fill{op: s.op, end: len(s.ops), pt: s.pt, gray: gray, box: emptyBox(), g0: len(s.glyphBoxes)}
	unit := s.unit()
	sub := subpath{box: emptyBox()}
	done := func() {
		if size := sub.size() * unit; size >= glyphMin && size <= glyphMax && sub.segs >= glyphSegs && !sub.convex() {
			if s.glyphs == 0 {
				s.box = emptyBox()
			}
			s.glyphs++
			s.glyphBoxes = append(s.glyphBoxes, sub.box)
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
	f.g1 = len(s.glyphBoxes)
	s.fills = append(s.fills, f)
	s.op, s.pt = len(s.ops), len(s.pts)
}

// minEdge is the shortest edge a subpath's turns are measured on, in
// units of page space: shorter ones are noise.
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

// MayBeText reports whether the shapes look like text: minGlyphs
// glyph-like subpaths of one set (one gray, or one clipping path) side by
// side, in a row or a column, of sizes alike (the pieces of a drawing lie
// one over the other, or apart, in many colors or clipping paths); or
// whether there were too many to tell (then Draw says so).
func (s *Shapes) MayBeText() bool {
	if s.over || s.glyphs > len(s.marks) {
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
