package pdf

import (
	"math"
	"unicode"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/outline"
	"github.com/baomi/baomi/scanner/extract/internal/pdfimage"
)

// Bounds of one page's content, forms included.
const (
	pdfMaxOps     = 5_000_000 // operators executed
	pdfMaxGlyphs  = 2_000_000 // glyphs shown
	pdfMaxGStates = 4096      // nested q without Q; deeper ones are not saved
	pdfCtxEvery   = 4096      // operators between two checks of the context
)

// matrix is a PDF transformation matrix [a b c d e f].
type matrix [6]float64

var identityMatrix = matrix{1, 0, 0, 1, 0, 0}

// mul returns m × n: the transformation m, then n.
func (m matrix) mul(n matrix) matrix {
	return matrix{
		m[0]*n[0] + m[1]*n[2], m[0]*n[1] + m[1]*n[3],
		m[2]*n[0] + m[3]*n[2], m[2]*n[1] + m[3]*n[3],
		m[4]*n[0] + m[5]*n[2] + n[4], m[4]*n[1] + m[5]*n[3] + n[5],
	}
}

// apply maps the point (x, y) through m.
func (m matrix) apply(x, y float64) (float64, float64) {
	return x*m[0] + y*m[2] + m[4], x*m[1] + y*m[3] + m[5]
}

func translate(tx, ty float64) matrix { return matrix{1, 0, 0, 1, tx, ty} }

// matrixOf reads an array of six numbers, the identity if v is not one.
func matrixOf(v pdf.Value) matrix {
	if v.Len() != 6 {
		return identityMatrix
	}
	var m matrix
	for i := range m {
		m[i] = v.Index(i).Float64()
	}
	return m
}

// placedGlyph is a glyph as drawn: its text, where its origin was before
// and after its advance (user space of the page), its size and its
// orientation (rot quarter turns; vert for vertical writing).
type placedGlyph struct {
	x0, y0, x1, y1 float64
	size           float64
	text           string
	rot            int8
	vert           bool
}

// textState is the text part of the graphics state.
type textState struct {
	font                                          *pdfFont
	size, charSpace, wordSpace, scale, lead, rise float64
}

type gstate struct {
	ctm matrix
	ts  textState
	// The fill color, as a gray (0 black), and its color space: what
	// shapes are drawn with; glyphClip is set when what is painted is
	// clipped by glyph-like shapes (see vector.go).
	fill      byte
	space     pdfimage.ColorSpace
	glyphClip bool
}

// walker runs the content streams of one page (or one annotation
// appearance), forms included, and collects the glyphs they draw.
type walker struct {
	x        *pdfRun
	glyphs   []placedGlyph
	total    int // glyphs shown
	unmapped int // glyphs without a Unicode mapping
	// images are the images drawn, to be read once the page is walked
	// (see readPictures); decorations counts those too small to hold a
	// line of text, manyPieces is set past decoration.Max of them.
	images      []drawn
	decorations int
	manyPieces  bool
	// appearances are the walkers of the page's annotation appearances:
	// their pictures are the page's.
	appearances []*walker
	inlines     map[string]inlines // inline images by stream, on this page
	// shapes are the paths filled (see vector.go); clipping is set when
	// the path being built clips (W, W*).
	shapes   outline.Shapes
	clipping bool
	ops      int
	damaged  int                    // streams that could be read only in part
	onPath   map[string]bool        // forms being run, to stop a form drawing itself
	scanned  map[string]streamCheck // streams checked on this page
}

func (x *pdfRun) newWalker() *walker {
	return &walker{x: x, onPath: map[string]bool{}, scanned: map[string]streamCheck{}, inlines: map[string]inlines{}, shapes: outline.Shapes{Unit: x.userUnit, Count: &x.pathSegs}}
}

// gstack is the stack of graphics states that q saves and Q restores. A q
// beyond pdfMaxGStates deep is not saved, and a Q with none saved changes
// nothing, as viewers do.
type gstack[T any] []T

func (s *gstack[T]) push(v T) {
	if len(*s) < pdfMaxGStates {
		*s = append(*s, v)
	}
}

func (s *gstack[T]) pop(v *T) {
	if n := len(*s); n > 0 {
		*v, *s = (*s)[n-1], (*s)[:n-1]
	}
}

// fail stops the walk: Interpret offers no other way out of a stream. The
// page's protect turns the panic back into err.
func fail(err error) { panic(err) }

// check inflates stream strm before the library's lexer reads it,
// counting its bytes against MaxInflated. It reports whether the stream
// can draw text, whether it is damaged: some part does not decode to its
// end (damaged data, a filter the library lacks) or the bytes end inside a
// hex string (the lexer never returns from it), and whether it has inline
// images. A form drawn many times is checked once per page.
func (w *walker) check(strm pdf.Value) streamCheck {
	key := strm.String()
	if c, ok := w.scanned[key]; ok {
		return c
	}
	var scan streamScan
	damaged := false
	for _, p := range contentParts(strm) {
		if w.inflate(p, &scan) != nil {
			damaged = true
		}
	}
	scan.endWord()
	damaged = damaged || scan.hexOpen()
	c := streamCheck{text: scan.drawsText() || damaged, damaged: damaged, inline: scan.inlineImage}
	w.scanned[key] = c
	return c
}

// streamCheck is what check found out about a stream.
type streamCheck struct{ text, damaged, inline bool }

// contentParts returns the streams of strm: strm itself, or the elements
// of an array of content streams.
func contentParts(strm pdf.Value) []pdf.Value {
	if strm.Kind() != pdf.Array {
		return []pdf.Value{strm}
	}
	parts := make([]pdf.Value, 0, strm.Len())
	for i := 0; i < strm.Len(); i++ {
		parts = append(parts, strm.Index(i))
	}
	return parts
}

// inflate is pdfRun.inflate with the library's panic on a filter it lacks
// turned into an error; a limit still stops the walk.
func (w *walker) inflate(p pdf.Value, scan *streamScan) error {
	err := protect(func() error { return w.x.inflate(p, scan) })
	if e, ok := err.(*extract.Error); ok {
		fail(e)
	}
	return err
}

// run interprets strm, a content stream (or array of them) or form, with
// resources res and the transformation ctm, at form nesting depth. A
// damaged stream is read as far as it can be, as poppler does, and counted
// in w.damaged: each part on its own (a part that fails would end the
// others' reading), a part whose data breaks off or whose syntax is broken
// up to the break, none of a part that decodes to its end inside a hex
// string (the lexer would never return).
func (w *walker) run(strm, res pdf.Value, ctm matrix, depth int) {
	if strm.Kind() != pdf.Stream && strm.Kind() != pdf.Array {
		return
	}
	c := w.check(strm)
	if c.inline {
		// Their data is binary, on which the library's lexer can fail:
		// they are found in the stream's bytes, whether or not it is run.
		w.inline(strm, res, ctm)
	}
	if !c.damaged {
		if c.text && !w.interpret(strm, res, ctm, depth) {
			w.damaged++
		}
		return
	}
	w.damaged++
	for _, p := range contentParts(strm) {
		var scan streamScan
		err := w.inflate(p, &scan)
		scan.endWord()
		if err == nil && (scan.hexOpen() || !scan.drawsText()) {
			continue
		}
		w.interpret(p, res, ctm, depth)
	}
}

// interpret runs the operators of strm and reports whether it read them
// to the end: the library's lexer panics where the data breaks off or the
// syntax is broken (any other panic in the library ends the stream the
// same way), and the glyphs shown before stay. A limit or timeout still
// stops the walk.
func (w *walker) interpret(strm, res pdf.Value, ctm matrix, depth int) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			if e, isOurs := r.(*extract.Error); isOurs {
				panic(e)
			}
			ok = false
		}
	}()
	fonts := map[string]*pdfFont{} // by resource name, for this stream only
	g := gstate{ctm: ctm, ts: textState{scale: 1}, space: pdfimage.ColorSpace{Space: pdfimage.Gray}}
	var saved gstack[gstate]
	var tm, tlm matrix = identityMatrix, identityMatrix
	// An inline image: BI, its dictionary, ID, its data, EI (see inline).
	inImage := false
	var args []pdf.Value
	nextLine := func(tx, ty float64) {
		tlm = translate(tx, ty).mul(tlm)
		tm = tlm
	}
	num := func(i int) float64 {
		if i < len(args) {
			return args[i].Float64()
		}
		return 0
	}
	pdf.Interpret(strm, func(stk *pdf.Stack, op string) {
		args = args[:0]
		for stk.Len() > 0 {
			args = append(args, stk.Pop())
		}
		for i, j := 0, len(args)-1; i < j; i, j = i+1, j-1 {
			args[i], args[j] = args[j], args[i]
		}
		w.ops++
		if w.ops > w.x.maxOps {
			fail(extract.Errorf(extract.KindLimit, "more than %d operators on a page (max operators)", w.x.maxOps))
		}
		if w.ops%pdfCtxEvery == 0 && w.x.ctx.Err() != nil {
			fail(extract.Errorf(extract.KindTimeout, "timed out reading a page"))
		}
		if inImage {
			inImage = op != "EI"
			return
		}
		switch op {
		case "q":
			saved.push(g)
		case "Q":
			saved.pop(&g)
		case "cm":
			if len(args) == 6 {
				g.ctm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}.mul(g.ctm)
			}
		case "BT":
			tm, tlm = identityMatrix, identityMatrix
		case "Tc":
			g.ts.charSpace = num(0)
		case "Tw":
			g.ts.wordSpace = num(0)
		case "Tz":
			g.ts.scale = num(0) / 100
		case "TL":
			g.ts.lead = num(0)
		case "Ts":
			g.ts.rise = num(0)
		case "Tf":
			if len(args) == 2 {
				g.ts.font = w.fontNamed(res, fonts, args[0].Name())
				g.ts.size = num(1)
			}
		case "Td":
			nextLine(num(0), num(1))
		case "TD":
			g.ts.lead = -num(1)
			nextLine(num(0), num(1))
		case "Tm":
			if len(args) == 6 {
				tlm = matrix{num(0), num(1), num(2), num(3), num(4), num(5)}
				tm = tlm
			}
		case "T*":
			nextLine(0, -g.ts.lead)
		case "Tj", "'", "\"":
			if len(args) == 0 {
				return
			}
			if op != "Tj" {
				if op == "\"" && len(args) == 3 {
					g.ts.wordSpace, g.ts.charSpace = num(0), num(1)
				}
				nextLine(0, -g.ts.lead)
			}
			w.show(&g, &tm, args[len(args)-1].RawString())
		case "TJ":
			if len(args) == 0 {
				return
			}
			a := args[0]
			for i := 0; i < a.Len(); i++ {
				e := a.Index(i)
				if e.Kind() == pdf.String {
					w.show(&g, &tm, e.RawString())
					continue
				}
				adj := -e.Float64() / 1000 * g.ts.size
				if g.ts.font != nil && g.ts.font.vertical {
					tm = translate(0, adj).mul(tm)
				} else {
					tm = translate(adj*g.ts.scale, 0).mul(tm)
				}
			}
		case "BI":
			inImage = true
		case "Do":
			if len(args) == 1 {
				w.do(res, args[0].Name(), g.ctm, depth)
			}
		default:
			if !colorOperator(op, args, &g, res) {
				w.pathOperator(op, num, len(args), &g)
			}
		}
	})
	return true
}

// fontNamed returns the font the resource dictionary res names, nil when
// there is none; fonts caches the answer for this stream. A font that is an
// object of its own is read once per file and found again by its object
// reference: resolving it re-parses the object, Widths and all, which took
// a seventh of the time spent on PDFs.
func (w *walker) fontNamed(res pdf.Value, fonts map[string]*pdfFont, name string) *pdfFont {
	if f, ok := fonts[name]; ok {
		return f
	}
	fd := res.Key("Font")
	ref := dictRefs(fd)[name] // "" for a font written in place: never cached
	f, ok := w.x.fontRefs[ref]
	if !ok {
		if v := fd.Key(name); v.Kind() == pdf.Dict {
			var err error
			if f, err = w.x.font(v); err != nil {
				fail(err)
			}
		}
		if ref != "" {
			w.x.fontRefs[ref] = f
		}
	}
	fonts[name] = f
	return f
}

// do draws the XObject res names: an image is measured, a form is run with
// its own resources and matrix.
func (w *walker) do(res pdf.Value, name string, ctm matrix, depth int) {
	xo := res.Key("XObject").Key(name)
	switch xo.Key("Subtype").Name() {
	case "Image":
		w.picture(drawn{xo: xo, res: res, ctm: ctm, w: int(xo.Key("Width").Int64()), h: int(xo.Key("Height").Int64())})
	case "Form":
		key := xo.String()
		if w.onPath[key] {
			return // a form that draws itself: its text is read once
		}
		if depth+1 > pdfMaxFormDepth {
			fail(extract.Errorf(extract.KindCorrupt, "form XObjects nested more than %d deep", pdfMaxFormDepth))
		}
		m := matrixOf(xo.Key("Matrix"))
		fres := xo.Key("Resources")
		if fres.Kind() != pdf.Dict {
			fres = res // old files let forms use the page's resources
		}
		w.onPath[key] = true
		w.run(xo, fres, m.mul(ctm), depth+1)
		delete(w.onPath, key)
	}
}

// pageUserUnit returns the size of a unit of the page's user space in
// points: its /UserUnit, 1 by default. A page may set it to draw everything
// larger than its numbers say, so a picture is measured with it.
func pageUserUnit(page pdf.Value) float64 {
	if u := page.Key("UserUnit").Float64(); u > 0 {
		return u
	}
	return 1
}

// show draws the string s with the current font, one glyph per code.
func (w *walker) show(g *gstate, tm *matrix, s string) {
	ts := &g.ts
	f := ts.font
	vert := f != nil && f.vertical
	for len(s) > 0 {
		var gl pdfGlyph
		if f != nil {
			gl = f.next(s)
		} else {
			gl = pdfGlyph{n: 1, w: 0.5, space: s[0] == ' '}
		}
		gl.n = max(gl.n, 1)
		s = s[min(gl.n, len(s)):]
		m := tm.mul(g.ctm)
		x0, y0 := m.apply(0, ts.rise)
		spacing := ts.charSpace
		if gl.space {
			spacing += ts.wordSpace
		}
		if vert {
			*tm = translate(0, -ts.size+spacing).mul(*tm)
		} else {
			*tm = translate((gl.w*ts.size+spacing)*ts.scale, 0).mul(*tm)
		}
		x1, y1 := tm.mul(g.ctm).apply(0, ts.rise)
		w.total++
		text := gl.text
		if !gl.mapped || !readableText(text) {
			w.unmapped++
			text = "\uFFFD"
		}
		if len(w.glyphs) >= pdfMaxGlyphs {
			fail(extract.Errorf(extract.KindLimit, "more than %d glyphs on a page (max glyphs)", pdfMaxGlyphs))
		}
		w.glyphs = append(w.glyphs, placedGlyph{
			x0: x0, y0: y0, x1: x1, y1: y1,
			size: math.Abs(ts.size) * math.Hypot(m[2], m[3]),
			text: text,
			rot:  quarterTurns(m),
			vert: vert,
		})
	}
}

// quarterTurns returns the orientation of text drawn with m: the direction
// of its x axis rounded to a multiple of 90 degrees.
func quarterTurns(m matrix) int8 {
	a := math.Atan2(m[1], m[0])
	k := int(math.Round(a/(math.Pi/2))) % 4
	if k < 0 {
		k += 4
	}
	return int8(k)
}

// readableText reports whether a glyph's mapping is text: not empty, no
// replacement or control characters, not only private-use code points.
func readableText(s string) bool {
	if s == "" || !utf8.ValidString(s) {
		return false
	}
	private := true
	for _, r := range s {
		if r == utf8.RuneError || unicode.IsControl(r) && r != '\t' {
			return false
		}
		if r < 0xe000 || r > 0xf8ff {
			private = false
		}
	}
	return !private
}
