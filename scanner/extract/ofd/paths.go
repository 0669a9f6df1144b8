package ofd

import (
	"encoding/xml"
	"fmt"
	"image"
	"maps"
	"math"
	"slices"
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
// Boundary's origin and its CTM), its gray (0 black) and its
// AbbreviatedData.
type ofdPath struct {
	ox, oy float64
	ctm    [6]float64
	gray   byte
	data   string
}

// newPath returns the path a PathObject fills, nil when it is not filled
// (Fill is false unless said otherwise): a stroke is no glyph. Its fill
// is black until its FillColor says otherwise.
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
// gray, three RGB, four CMYK, each 0 to 255 (or #hex). Any other, or one
// not read, is black, so that what it fills shows.
func colorGray(value string) byte {
	f := strings.Fields(value)
	v := make([]float64, 0, 4)
	for _, c := range f {
		var n int64
		var err error
		if h, ok := strings.CutPrefix(c, "#"); ok {
			n, err = strconv.ParseInt(h, 16, 32)
		} else {
			n, err = strconv.ParseInt(c, 10, 32)
		}
		if err != nil || len(v) == 4 {
			return 0
		}
		v = append(v, float64(min(max(n, 0), 255))/255)
	}
	gray := 0.0
	switch len(v) {
	case 1:
		gray = v[0]
	case 3:
		gray = 0.299*v[0] + 0.587*v[1] + 0.114*v[2]
	case 4:
		k := 1 - v[3]
		gray = 0.299*(1-v[0])*k + 0.587*(1-v[1])*k + 0.114*(1-v[2])*k
	}
	return byte(gray*255 + 0.5)
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
	var op byte
	var args [7]float64
	n := 0 // numbers read for op
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
		switch op {
		case 'S', 'M':
			s.MoveTo(at(args[0], args[1]))
			op = 'L'
		case 'L':
			s.LineTo(at(args[0], args[1]))
		case 'Q':
			// The cubic curve of a quadratic one: its control points two
			// thirds of the way to the quadratic's.
			x0, y0, _ := s.Current()
			qx, qy := at(args[0], args[1])
			x3, y3 := at(args[2], args[3])
			s.CurveTo(x0+2*(qx-x0)/3, y0+2*(qy-y0)/3, x3+2*(qx-x3)/3, y3+2*(qy-y3)/3, x3, y3)
		case 'B':
			x1, y1 := at(args[0], args[1])
			x2, y2 := at(args[2], args[3])
			x3, y3 := at(args[4], args[5])
			s.CurveTo(x1, y1, x2, y2, x3, y3)
		case 'A':
			// An arc is drawn as a line to its end: its glyph may look
			// plainer, and is drawn all the same.
			s.LineTo(at(args[5], args[6]))
		}
	}
	return n == 0
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

// pathsReview returns the Review sentences of the pages with a damaged
// path: a glyph drawn by it may be missing.
func (x *ofdReader) pathsReview() []string {
	var out []string
	for _, page := range slices.Sorted(maps.Keys(x.damagedPaths)) {
		if page == 0 {
			out = append(out, "an annotation draws a damaged path: text drawn as paths may be missing")
			continue
		}
		out = append(out, fmt.Sprintf("page %d: a path it draws is damaged: text drawn as paths may be missing", page))
	}
	return out
}
