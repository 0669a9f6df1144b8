package ofd

import (
	"encoding/xml"
	"math"
	"slices"
	"strconv"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/decoration"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

// Composite objects (GB/T 33190 §13): a CompositeObject on a page draws
// the CompositeGraphicUnit of a resource file that its ResourceID names,
// whose Content holds objects as a page's does (text, paths, pictures,
// other composite objects), in a space of the unit's Width and Height.
// A unit's content is read once, with the resource file, and placed where
// each object uses it: its text is found on each page, once per use, as a
// template's is on each page that shows it. A unit that uses itself,
// directly or not, or that is missing, is damage: the page is review.
//
// DrawParams (§8.2) are read from the resource files too: a PathObject
// without a FillColor of its own takes the one of its DrawParam, or of
// the nearest element around it that names one, or of the
// CompositeObject that draws it, following Relative.

const (
	// maxNesting bounds how deep composite units use one another.
	maxNesting = 16
	// maxRelative bounds the Relative chain of a DrawParam.
	maxRelative = 16
	// maxPlaced bounds the objects (glyphs, paths, pictures) a part draws
	// through composite units: units that use one another many times
	// draw exponentially many.
	maxPlaced = 1 << 20
)

// ofdUnit is a CompositeGraphicUnit: its size and what its content
// draws, in its own space; expanding is set while the units it uses are
// placed in drawn, expanded once they are.
type ofdUnit struct {
	width, height float64
	drawn         ofdDrawn
	expanding     bool
	expanded      bool
}

func newUnit(e xml.StartElement) *ofdUnit {
	u := &ofdUnit{}
	u.width, _ = strconv.ParseFloat(xmlpkg.Attr(e, "Width"), 64)
	u.height, _ = strconv.ParseFloat(xmlpkg.Attr(e, "Height"), 64)
	return u
}

// ofdUse is one CompositeObject: the unit it draws, its Boundary, its CTM
// (ctm set when it has one) and the DrawParam it or what holds it names.
type ofdUse struct {
	id, param string
	box       [4]float64
	ctm       [6]float64
	hasCTM    bool
}

func newUse(e xml.StartElement, param string) ofdUse {
	u := ofdUse{id: xmlpkg.Attr(e, "ResourceID"), param: param}
	copy(u.box[:], numbers(xmlpkg.Attr(e, "Boundary"), 4))
	if m := numbers(xmlpkg.Attr(e, "CTM"), 6); len(m) == 6 {
		copy(u.ctm[:], m)
		u.hasCTM = true
	}
	return u
}

// matrix maps the space of unit u into the space of the part that uses
// it: by the object's CTM from its Boundary's origin, or else the unit's
// Width and Height stretched over the Boundary.
func (s ofdUse) matrix(u *ofdUnit) [6]float64 {
	m := [6]float64{1, 0, 0, 1, 0, 0}
	switch {
	case s.hasCTM:
		m = s.ctm
	case u.width > 0 && u.height > 0 && s.box[2] != 0 && s.box[3] != 0:
		m[0], m[3] = s.box[2]/u.width, s.box[3]/u.height
	}
	m[4] += s.box[0]
	m[5] += s.box[1]
	return m
}

// compose returns the matrix of inner then outer.
func compose(outer, inner [6]float64) [6]float64 {
	o, i := outer, inner
	return [6]float64{
		o[0]*i[0] + o[2]*i[1], o[1]*i[0] + o[3]*i[1],
		o[0]*i[2] + o[2]*i[3], o[1]*i[2] + o[3]*i[3],
		o[0]*i[4] + o[2]*i[5] + o[4], o[1]*i[4] + o[3]*i[5] + o[5],
	}
}

// apply maps the point (x, y) by m.
func apply(m [6]float64, x, y float64) (float64, float64) {
	return m[0]*x + m[2]*y + m[4], m[1]*x + m[3]*y + m[5]
}

// expand places in d what the composite units it uses draw, nested
// units first (depth is how deep d is itself), and notes in d a unit
// that cannot be read. Its work is bounded as a part's is: the text by
// the document's limit, the path data by maxPathBytes.
func (x *ofdReader) expand(d *ofdDrawn, depth int) error {
	uses := d.uses
	d.uses = nil
	for _, use := range uses {
		u := x.units[use.id]
		if u == nil || u.expanding || depth >= maxNesting {
			d.broken = true
			continue
		}
		if !u.expanded {
			u.expanding = true
			err := x.expand(&u.drawn, depth+1)
			u.expanding, u.expanded = false, true
			if err != nil {
				return err
			}
		}
		if err := x.place(d, &u.drawn, use.matrix(u), use.param); err != nil {
			return err
		}
		d.units = append(d.units, use.id)
	}
	return nil
}

// place adds to d what a unit draws, u, mapped by m; its paths without a
// fill color of their own take param's.
func (x *ofdReader) place(d, u *ofdDrawn, m [6]float64, param string) error {
	d.broken = d.broken || u.broken
	if d.placed += len(u.glyphs) + len(u.paths) + len(u.pictures) + len(u.decorations); d.placed > maxPlaced {
		return extract.Errorf(extract.KindLimit, "a page draws more than %d objects through composite objects", maxPlaced)
	}
	if d.text += u.text; len(u.glyphs) > 0 {
		if err := x.Doc.Fits(d.text); err != nil {
			return err
		}
	}
	scale := math.Hypot(m[2], m[3])
	for _, g := range u.glyphs {
		g.x, g.y = apply(m, g.x, g.y)
		g.size *= scale
		d.glyphs = append(d.glyphs, g)
	}
	for _, id := range u.pictures {
		if !slices.Contains(d.pictures, id) {
			d.pictures = append(d.pictures, id)
		}
	}
	for _, b := range u.decorations {
		if len(d.decorations) > decoration.Max {
			break
		}
		x0, y0 := apply(m, b.X0, b.Y0)
		x1, y1 := apply(m, b.X1, b.Y1)
		x2, y2 := apply(m, b.X0, b.Y1)
		x3, y3 := apply(m, b.X1, b.Y0)
		d.decorations = append(d.decorations, decoration.Box{X0: min(x0, x1, x2, x3), Y0: min(y0, y1, y2, y3), X1: max(x0, x1, x2, x3), Y1: max(y0, y1, y2, y3)})
	}
	if d.manyPaths = d.manyPaths || u.manyPaths; d.manyPaths {
		d.paths = nil
		return nil
	}
	if d.pathBytes += u.pathBytes; d.pathBytes > maxPathBytes {
		d.manyPaths, d.paths = true, nil
		return nil
	}
	for _, p := range u.paths {
		inner := p.ctm
		inner[4] += p.ox
		inner[5] += p.oy
		p.ox, p.oy, p.ctm = 0, 0, compose(m, inner)
		if !p.colored && p.param == "" {
			p.param = param
		}
		d.paths = append(d.paths, p)
	}
	return nil
}

// ofdDrawParam is a DrawParam: the one it is relative to, and its fill
// color's gray when it has one (colored).
type ofdDrawParam struct {
	relative string
	fill     byte
	colored  bool
}

// fill gives the paths without a FillColor of their own the gray of their
// DrawParam, through its Relative chain (bounded); none is black.
func (x *ofdReader) fill(paths []ofdPath) {
	for i := range paths {
		p := &paths[i]
		if p.colored {
			continue
		}
		id := p.param
		for range maxRelative {
			dp := x.params[id]
			if dp == nil {
				break
			}
			if dp.colored {
				p.gray = dp.fill
				break
			}
			id = dp.relative
		}
		p.colored = true
	}
}

// noteBroken notes page (0: an annotation's of no known page) when d
// draws a composite unit that could not be read.
func (x *ofdReader) noteBroken(page int, d ofdDrawn) {
	if d.broken {
		if x.brokenUnits == nil {
			x.brokenUnits = map[int]bool{}
		}
		x.brokenUnits[page] = true
	}
}
