package pdf

import (
	"github.com/ledongthuc/pdf"

	"github.com/baomi/baomi/scanner/extract/internal/outline"
	"github.com/baomi/baomi/scanner/extract/internal/pdfimage"
)

// Text drawn as shapes (see package outline): the walker keeps the paths
// a page fills (stroked ones are no glyphs) in its shapes; a page whose
// shapes may be text has them drawn and read by OCR like a picture.

// minSegments is how many line and curve operators (l, c, v, y) make a
// stream with no text operators worth running: two glyphs' outlines have
// more (a print driver may cut their curves into lines), a few rules and
// table shading (re) fewer.
const minSegments = 32

// pathOperator applies op if it is a path construction or painting
// operator, num giving its nargs operands, drawn with g.
func (w *walker) pathOperator(op string, num func(int) float64, nargs int, g *gstate) {
	s := &w.shapes
	pt := func(i int) (float32, float32) {
		x, y := g.ctm.apply(num(i), num(i+1))
		return float32(x), float32(y)
	}
	switch op {
	case "m":
		if nargs == 2 {
			s.MoveTo(pt(0))
		}
	case "l":
		if nargs == 2 {
			s.LineTo(pt(0))
		}
	case "c", "v", "y":
		want := 4
		if op == "c" {
			want = 6
		}
		x1, y1, ok := s.Current()
		if nargs != want || !ok {
			return // no current point: nothing to draw from
		}
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
		s.CurveTo(x1, y1, x2, y2, x3, y3)
	case "h":
		s.Close()
	case "re":
		if nargs == 4 {
			x, y, wd, ht := num(0), num(1), num(2), num(3)
			for i, c := range [4][2]float64{{x, y}, {x + wd, y}, {x + wd, y + ht}, {x, y + ht}} {
				px, py := g.ctm.apply(c[0], c[1])
				if i == 0 {
					s.MoveTo(float32(px), float32(py))
				} else {
					s.LineTo(float32(px), float32(py))
				}
			}
			s.Close()
		}
	case "W", "W*":
		w.clipping = true
	case "f", "F", "f*", "B", "B*", "b", "b*":
		switch {
		case g.glyphClip:
			s.Drop() // painted through glyphs: drawn as them
		case w.clipping:
			g.glyphClip = s.Clip(g.fill, true)
		default:
			s.Fill(g.fill)
		}
		w.clipping = false
	case "S", "s", "n":
		if w.clipping && !g.glyphClip {
			g.glyphClip = s.Clip(patternGray, false)
		} else {
			s.Drop()
		}
		w.clipping = false
	}
}

// patternGray is the gray of what a pattern (a gradient, a tiling) fills:
// a page's background often, which must not hide the text drawn on it,
// and the letters of a title sometimes, which must show.
const patternGray = 0x80

// fillGray returns the gray (0 black, 255 white) of a fill color given by
// operands of sc or scn in color space cs; an indexed color or any space
// it cannot tell is black, so that what it fills shows.
func fillGray(cs pdfimage.ColorSpace, v []float64) byte {
	switch {
	case cs.Space == pdfimage.Gray && len(v) == 1, cs.Space == pdfimage.RGB && len(v) == 3, cs.Space == pdfimage.CMYK && len(v) == 4:
		return outline.Gray(v...)
	case cs.Space == pdfimage.Lab && len(v) == 3:
		return outline.Gray(v[0] / 100)
	case cs.Space == pdfimage.Tint && len(v) > 0:
		sum := 0.0
		for _, t := range v {
			sum += t
		}
		return outline.Gray(1 - sum/float64(len(v)))
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
