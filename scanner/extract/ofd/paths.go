package ofd

import (
	"encoding/xml"
	"image"
	"math"
	"strconv"
	"strings"

	"github.com/baomi/baomi/scanner/extract/internal/outline"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

// Text drawn as paths: some producers write each character as a
// PathObject (text converted to outlines, a red header). The filled paths
// a page draws (its templates' and its own, or an annotation's) are given
// to outline, which tells whether they look like text; if so they are a
// picture of the page, drawn and read by OCR as PDF's are.

const (
	// mmPoints is the size of a millimetre, OFD's unit, in points.
	mmPoints = 72 / 25.4
	// maxPathBytes bounds the AbbreviatedData kept per part: past it the
	// part's paths are too many to read (a glyph's segment takes some ten
	// bytes, and outline keeps 200,000 segments a page).
	maxPathBytes = 8 << 20
)

// ofdPath is one filled PathObject: where its space lies on the page (its
// Boundary's origin and its CTM), its gray (0 black; colored once known:
// from its FillColor, or else its DrawParam's, see fill), the DrawParam it
// or what holds it names, and its AbbreviatedData.
type ofdPath struct {
	ox, oy  float64
	ctm     [6]float64
	gray    byte
	colored bool
	param   string
	data    string
}

// newPath returns the path a PathObject fills, nil when it is not filled
// (Fill is false unless said otherwise): a stroke is no glyph. Its fill
// is black until its FillColor or DrawParam says otherwise.
func newPath(e xml.StartElement) *ofdPath {
	if f := xmlpkg.Attr(e, "Fill"); f != "true" && f != "1" {
		return nil
	}
	p := &ofdPath{ctm: [6]float64{1, 0, 0, 1, 0, 0}}
	if b := numbers(xmlpkg.Attr(e, "Boundary"), 4); len(b) >= 2 {
		p.ox, p.oy = b[0], b[1]
	}
	if m := numbers(xmlpkg.Attr(e, "CTM"), 6); len(m) == 6 {
		copy(p.ctm[:], m)
	}
	return p
}

// colorGray returns the gray of a color's Value: one component is a
// gray, three RGB, four CMYK (see outline.Gray), each 0 to 255 (or #hex).
// Any other, or one not read, is black, so that what it fills shows.
func colorGray(value string) byte {
	var v []float64
	for _, c := range strings.Fields(value) {
		base := 10
		if h, ok := strings.CutPrefix(c, "#"); ok {
			c, base = h, 16
		}
		n, err := strconv.ParseInt(c, base, 32)
		if err != nil {
			return 0
		}
		v = append(v, float64(n)/255)
	}
	return outline.Gray(v...)
}

// pathArgs is how many numbers each operator of AbbreviatedData takes
// (GB/T 33190 §9.3.3): S and M start a subpath, L draws a line, Q a
// quadratic curve, B a cubic one, A an elliptic arc, C closes.
var pathArgs = [256]int8{'S': 2, 'M': 2, 'L': 2, 'Q': 4, 'B': 6, 'A': 7, 'C': 0}

// feed adds the path's subpaths to s, in page space (y up, as outline
// has it). It reports false when its data is damaged (an unknown
// operator, a number that is not one, missing or not finite): what came
// before is kept. Numbers past an operator's repeat it (a move's as
// lines).
func (p *ofdPath) feed(s *outline.Shapes) bool {
	at := func(x, y float64) (float32, float32) {
		m := p.ctm
		return float32(p.ox + m[0]*x + m[2]*y + m[4]), float32(-(p.oy + m[1]*x + m[3]*y + m[5]))
	}
	curve := func(x1, y1, x2, y2, x3, y3 float64) {
		ax, ay := at(x1, y1)
		bx, by := at(x2, y2)
		cx, cy := at(x3, y3)
		s.CurveTo(ax, ay, bx, by, cx, cy)
	}
	var op byte
	var args [7]float64
	var pen, start [2]float64 // the current point and the subpath's start
	n := 0                    // numbers read for op
	d := p.data
	for i := 0; i < len(d); {
		c := d[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',':
			i++
			continue
		case c >= 'A' && c <= 'Z':
			if n != 0 || (pathArgs[c] == 0 && c != 'C') {
				return false
			}
			op, i = c, i+1
			if op == 'C' {
				s.Close()
				pen = start
			}
			continue
		}
		j := number(d, i)
		v, err := strconv.ParseFloat(d[i:j], 64)
		if j == i || err != nil || math.IsInf(v, 0) || math.IsNaN(v) || pathArgs[op] == 0 {
			return false
		}
		args[n], n, i = v, n+1, j
		if n < int(pathArgs[op]) {
			continue
		}
		n = 0
		a := args
		switch op {
		case 'S', 'M':
			s.MoveTo(at(a[0], a[1]))
			start, op = [2]float64{a[0], a[1]}, 'L'
		case 'L':
			s.LineTo(at(a[0], a[1]))
		case 'Q':
			// The cubic curve of a quadratic one: its control points two
			// thirds of the way to the quadratic's.
			curve(pen[0]+2*(a[0]-pen[0])/3, pen[1]+2*(a[1]-pen[1])/3, a[2]+2*(a[0]-a[2])/3, a[3]+2*(a[1]-a[3])/3, a[2], a[3])
		case 'B':
			curve(a[0], a[1], a[2], a[3], a[4], a[5])
		case 'A':
			if !arc(pen, a, curve) {
				s.LineTo(at(a[5], a[6]))
			}
		}
		pen = [2]float64{a[pathArgs[op]-2], a[pathArgs[op]-1]}
	}
	return n == 0
}

// arc draws with curve the elliptic arc from p that a, the numbers of an
// A operator, give as SVG's arcs are (radii, the x axis's rotation in
// degrees, the large arc and sweep flags, the end), in cubic curves of a
// quarter turn at most. It reports false, drawing nothing, when the arc
// is a line (a radius 0) or its numbers are too large to draw it.
func arc(p [2]float64, a [7]float64, curve func(x1, y1, x2, y2, x3, y3 float64)) bool {
	rx, ry, x, y := math.Abs(a[0]), math.Abs(a[1]), a[5], a[6]
	if rx == 0 || ry == 0 || (p[0] == x && p[1] == y) {
		return false
	}
	sin, cos := math.Sincos(a[2] * math.Pi / 180)
	// The end points' middle, in the ellipse's axes (SVG 1.1, F.6.5).
	dx, dy := (p[0]-x)/2, (p[1]-y)/2
	x1, y1 := cos*dx+sin*dy, -sin*dx+cos*dy
	if l := x1*x1/(rx*rx) + y1*y1/(ry*ry); l > 1 { // radii too small: grown
		rx, ry = rx*math.Sqrt(l), ry*math.Sqrt(l)
	}
	num := rx*rx*ry*ry - rx*rx*y1*y1 - ry*ry*x1*x1
	k := math.Sqrt(max(0, num/(rx*rx*y1*y1+ry*ry*x1*x1)))
	if (a[3] != 0) == (a[4] != 0) {
		k = -k
	}
	cx1, cy1 := k*rx*y1/ry, -k*ry*x1/rx
	cx, cy := cos*cx1-sin*cy1+(p[0]+x)/2, sin*cx1+cos*cy1+(p[1]+y)/2
	angle := func(ux, uy, vx, vy float64) float64 { return math.Atan2(ux*vy-uy*vx, ux*vx+uy*vy) }
	t := angle(1, 0, (x1-cx1)/rx, (y1-cy1)/ry)
	sweep := angle((x1-cx1)/rx, (y1-cy1)/ry, (-x1-cx1)/rx, (-y1-cy1)/ry)
	if a[4] == 0 && sweep > 0 {
		sweep -= 2 * math.Pi
	} else if a[4] != 0 && sweep < 0 {
		sweep += 2 * math.Pi
	}
	if v := cx + cy + t + sweep; math.IsNaN(v) || math.IsInf(v, 0) {
		return false
	}
	parts := math.Ceil(math.Abs(sweep) / (math.Pi / 2))
	if parts == 0 {
		return false
	}
	step := sweep / parts
	h := 4.0 / 3 * math.Tan(step/4) // of the control points
	// The point of the ellipse at angle u, and its tangent.
	point := func(u float64) (px, py, tx, ty float64) {
		su, cu := math.Sincos(u)
		return cx + rx*cu*cos - ry*su*sin, cy + rx*cu*sin + ry*su*cos,
			-rx*su*cos - ry*cu*sin, -rx*su*sin + ry*cu*cos
	}
	for range int(parts) {
		x0, y0, tx0, ty0 := point(t)
		x3, y3, tx3, ty3 := point(t + step)
		curve(x0+h*tx0, y0+h*ty0, x3-h*tx3, y3-h*ty3, x3, y3)
		t += step
	}
	return true
}

// number returns where the number that starts d[i:] ends: a sign,
// digits and points, an exponent. A sign past its start is the next
// number's ("1-1" is two).
func number(d string, i int) int {
	digits := func(i int) int {
		for i < len(d) && (d[i] >= '0' && d[i] <= '9' || d[i] == '.') {
			i++
		}
		return i
	}
	sign := func(i int) int {
		if i < len(d) && (d[i] == '+' || d[i] == '-') {
			return i + 1
		}
		return i
	}
	j := digits(sign(i))
	if j < len(d) && (d[j] == 'e' || d[j] == 'E') {
		j = digits(sign(j + 1))
	}
	return j
}

// pathsPicture feeds the paths d fills on page (0 when not known) to
// outline and returns how to draw them when they may be text, nil when
// not. A page with a damaged path is noted (see damagedPaths).
func (x *ofdReader) pathsPicture(page int, d ofdDrawn) func() (image.Image, string) {
	if d.manyPaths {
		return func() (image.Image, string) { return nil, outline.WhyTooMany }
	}
	s := &outline.Shapes{Unit: mmPoints}
	for i := range d.paths {
		if !d.paths[i].feed(s) {
			if x.damagedPaths == nil {
				x.damagedPaths = map[int]bool{}
			}
			x.damagedPaths[page] = true
		}
		s.Fill(d.paths[i].gray)
	}
	if !s.MayBeText() {
		return nil
	}
	return func() (image.Image, string) { return s.Draw(x.Ctx) }
}
