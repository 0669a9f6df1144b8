package ofd

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/outline"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// outlined returns PathObjects that fill text drawn with f at size
// millimetres, its baseline from (x, y): one a glyph, its points from its
// Boundary's origin (a TrueType font's quadratic curves as Q, a CFF
// font's cubic ones as B). attrs are added to each PathObject (a CTM,
// Fill), fill is its FillColor's Value ("" for none).
func outlined(t testing.TB, f *sfnt.Font, text string, size, x, y float64, attrs, fill string) string {
	t.Helper()
	var buf sfnt.Buffer
	var b strings.Builder
	ppem := fixed.Int26_6(size * 64)
	pt := func(p fixed.Point26_6) string {
		return fmt.Sprintf("%.3f %.3f", float64(p.X)/64, size+float64(p.Y)/64)
	}
	for i, r := range text {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil {
			t.Fatal(err)
		}
		segs, err := f.LoadGlyph(&buf, gi, ppem, nil)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, `<ofd:PathObject ID="%d" Boundary="%.3f %.3f %.3f %.3f" %s>`, 200+i, x, y-size, size, 1.5*size, attrs)
		if fill != "" {
			fmt.Fprintf(&b, `<ofd:FillColor Value="%s"/>`, fill)
		}
		b.WriteString("<ofd:AbbreviatedData>")
		for k, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				if k > 0 {
					b.WriteString("C ")
				}
				b.WriteString("M " + pt(s.Args[0]) + " ")
			case sfnt.SegmentOpLineTo:
				b.WriteString("L " + pt(s.Args[0]) + " ")
			case sfnt.SegmentOpQuadTo:
				b.WriteString("Q " + pt(s.Args[0]) + " " + pt(s.Args[1]) + " ")
			case sfnt.SegmentOpCubeTo:
				b.WriteString("B " + pt(s.Args[0]) + " " + pt(s.Args[1]) + " " + pt(s.Args[2]) + " ")
			}
		}
		b.WriteString("C</ofd:AbbreviatedData></ofd:PathObject>")
		adv, err := f.GlyphAdvance(&buf, gi, ppem, 0)
		if err != nil {
			t.Fatal(err)
		}
		x += float64(adv) / 64
	}
	return b.String()
}

// pathsOFD is an OFD of pages pages (at least one), each on a template
// that draws template: the first draws body, and has an annotation that
// draws annotation (an appearance's content).
func pathsOFD(t testing.TB, pages int, body, template, annotation string) []byte {
	var list strings.Builder
	entries := []zipEntry{
		{"OFD.xml", `<ofd:OFD ` + ofdNS + ` Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
		{"Doc_0/Tpl.xml", ofdPage(template)},
		{"Doc_0/Annotations.xml", `<ofd:Annotations ` + ofdNS + `><ofd:Page PageID="1"><ofd:FileLoc>Annot.xml</ofd:FileLoc></ofd:Page></ofd:Annotations>`},
		{"Doc_0/Annot.xml", `<ofd:PageAnnot ` + ofdNS + `><ofd:Annot ID="60" Type="Stamp"><ofd:Appearance Boundary="0 0 50 50">` + annotation + `</ofd:Appearance></ofd:Annot></ofd:PageAnnot>`},
	}
	for i := range max(pages, 1) {
		fmt.Fprintf(&list, `<ofd:Page ID="%d" BaseLoc="Page_%d.xml"/>`, i+1, i+1)
		page := strings.Replace(ofdPage(body), "<ofd:Content>", `<ofd:Template TemplateID="50"/><ofd:Content>`, 1)
		body = ""
		entries = append(entries, zipEntry{fmt.Sprintf("Doc_0/Page_%d.xml", i+1), page})
	}
	entries = append(entries, zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:CommonData><ofd:TemplatePage ID="50" BaseLoc="Tpl.xml"/></ofd:CommonData>` +
		`<ofd:Pages>` + list.String() + `</ofd:Pages><ofd:Annotations>Annotations.xml</ofd:Annotations></ofd:Document>`})
	return buildZip(t, entries...)
}

// keeper is a fake OCR engine that keeps the pictures it is given.
type keeper struct {
	picturetest.Engine
	got []image.Image
}

func (k *keeper) Recognize(ctx context.Context, img image.Image) (ocr.Result, error) {
	k.got = append(k.got, img)
	return k.Engine.Recognize(ctx, img)
}

// Review sentences of the paths tests.
const (
	notRead      = "page 1 has a picture that may carry text (not read)"
	damagedPath  = "page 1: a path it draws is damaged: text drawn as paths may be missing"
	tooManyPaths = "1 picture in the document may carry text (not read: " + outline.WhyTooMany + ")"
)

// Pages whose text is drawn as filled PathObjects, on the page, in its
// template, in a stamp, turned by a CTM, are read by OCR as a picture
// of the page, and are review without an engine; a table, rules, a disc
// and outlines only stroked are not text. A damaged AbbreviatedData makes
// the page review, what it drew before is kept.
func TestPathsOCR(t *testing.T) {
	latin := func(t *testing.T) string {
		return outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 20, 40, `Fill="true"`, "")
	}
	var table strings.Builder
	for r := range 12 {
		for c := range 6 {
			fmt.Fprintf(&table, `<ofd:PathObject ID="1" Boundary="%d %d 11 5" Fill="true"><ofd:FillColor Value="230 230 230"/><ofd:AbbreviatedData>M 0 0 L 10.5 0 L 10.5 4.5 L 0 4.5 C</ofd:AbbreviatedData></ofd:PathObject>`, 10+c*11, 60+r*5)
		}
	}
	table.WriteString(`<ofd:PathObject ID="2" Boundary="10 55 180 1" Fill="true"><ofd:AbbreviatedData>M 0 0 L 180 0 L 180 0.2 L 0 0.2 C</ofd:AbbreviatedData></ofd:PathObject>`)
	// A logo: a disc of four curves, and three dots.
	table.WriteString(`<ofd:PathObject ID="3" Boundary="150 10 20 20" Fill="true"><ofd:FillColor Value="200 0 0"/><ofd:AbbreviatedData>M 20 10 B 20 15.5 15.5 20 10 20 B 4.5 20 0 15.5 0 10 B 0 4.5 4.5 0 10 0 B 15.5 0 20 4.5 20 10 C</ofd:AbbreviatedData></ofd:PathObject>`)
	for i := range 3 {
		fmt.Fprintf(&table, `<ofd:PathObject ID="4" Boundary="%d 40 2 2" Fill="true"><ofd:AbbreviatedData>M 0 1 L 1 0 L 2 1 L 1 2 C</ofd:AbbreviatedData></ofd:PathObject>`, 60+i*5)
	}
	tests := []struct {
		name                       string
		pages                      int // 0: 1
		body, template, annotation func(t *testing.T) string
		text                       bool     // read as text drawn as paths
		review                     []string // with or without an engine
	}{
		{name: "Latin outlines", body: latin, text: true},
		{name: "Chinese outlines", body: func(t *testing.T) string {
			return outlined(t, doctest.NotoCJK(t), "机密★5年", 5, 20, 40, `Fill="true"`, "0 0 0")
		}, text: true},
		{name: "in the template", template: latin, text: true},
		{name: "in the template of three pages, read once", pages: 3, template: latin, text: true},
		{name: "in a stamp", annotation: latin, text: true},
		{name: "red, drawn half size by a CTM", body: func(t *testing.T) string {
			return outlined(t, doctest.GoRegular(t), "SECRET", 8, 20, 40, `Fill="1" CTM="0.5 0 0 0.5 0 0"`, "#FF 0 0")
		}, text: true},
		{name: "table, rules and a logo", body: func(*testing.T) string { return table.String() }},
		{name: "outlines stroked, not filled", body: func(t *testing.T) string {
			return outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 20, 40, ``, "")
		}},
		{name: "damaged after the text", body: func(t *testing.T) string {
			return latin(t) + `<ofd:PathObject ID="9" Boundary="0 0 10 10" Fill="true"><ofd:AbbreviatedData>M 0 0 L 5 5 B 1 2</ofd:AbbreviatedData></ofd:PathObject>`
		}, text: true, review: []string{damagedPath}},
		{name: "damaged alone", body: func(*testing.T) string {
			return `<ofd:PathObject ID="9" Boundary="0 0 10 10" Fill="true"><ofd:AbbreviatedData>M 0 0 L 5 5 Z 1 2</ofd:AbbreviatedData></ofd:PathObject>`
		}, review: []string{damagedPath}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			part := func(f func(*testing.T) string) string {
				if f == nil {
					return ""
				}
				return f(t)
			}
			data := pathsOFD(t, tt.pages, part(tt.body), part(tt.template), part(tt.annotation))
			e := &keeper{Engine: picturetest.Engine{Text: "机密", Conf: 90}}
			doc := doctest.ReadOCR(t, e, data)
			want, pics := 0, []string(nil)
			if tt.text {
				want, pics = 1, []string{"1:机密"}
			}
			if len(e.got) != want {
				t.Fatalf("engine called %d times, want %d", len(e.got), want)
			}
			got := doctest.Pictures(doc, func(s extract.Segment) string {
				first, _, _ := strings.Cut(s.Text, "\n")
				return fmt.Sprintf("%d:%s", s.Page, first)
			})
			if !slices.Equal(got, pics) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("picture segments %q, Review %q; want %q and %q", got, doc.Review, pics, tt.review)
			}
			doc = doctest.ReadOCR(t, nil, data)
			review := tt.review
			if tt.text {
				review = append([]string{notRead}, review...)
			}
			if !slices.Equal(doc.Review, review) {
				t.Errorf("without OCR: Review = %q, want %q", doc.Review, review)
			}
		})
	}
}

// The picture of text drawn as paths: the glyphs' box and a margin at 300
// dpi, upright, each path in its gray over those before (but for one that
// would cover glyphs: see outline.Shapes.Draw).
func TestPathsPicture(t *testing.T) {
	// Red SECRET, 4.2 mm, its baseline at y 40 mm (its capitals from
	// about 37 mm); the top quarter of its right half under white, which
	// does not cover the glyphs' middles.
	body := outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 20, 40, `Fill="true"`, "255 0 0") +
		`<ofd:PathObject ID="9" Boundary="32 30 30 7.75" Fill="true"><ofd:FillColor Value="255 255 255"/><ofd:AbbreviatedData>M 0 0 L 30 0 L 30 7.75 L 0 7.75 C</ofd:AbbreviatedData></ofd:PathObject>`
	e := &keeper{Engine: picturetest.Engine{Text: "SECRET", Conf: 90}}
	doctest.ReadOCR(t, e, pathsOFD(t, 1, body, "", ""))
	if len(e.got) != 1 {
		t.Fatalf("engine called %d times, want 1", len(e.got))
	}
	g, ok := e.got[0].(*image.Gray)
	if !ok {
		t.Fatalf("picture is a %T, want *image.Gray", e.got[0])
	}
	// SECRET is some 14.4 mm wide and 3 mm high: at 300 dpi, with at
	// most the font's size (4.2 mm) each side, 170 to 270 pixels by 35 to
	// 136.
	w, h := g.Rect.Dx(), g.Rect.Dy()
	if w < 170 || w > 270 || h < 35 || h > 136 {
		t.Fatalf("picture is %dx%d pixels, want 170 to 270 by 35 to 136", w, h)
	}
	darkest := func(x0, x1, y0, y1 int) byte {
		d := byte(255)
		for y := y0; y < y1; y++ {
			d = min(d, slices.Min(g.Pix[y*g.Stride+x0:y*g.Stride+x1]))
		}
		return d
	}
	if d := darkest(0, w/3, 0, h); d < 70 || d > 82 {
		t.Errorf("darkest pixel of the left third is %d, want red's gray, 76", d)
	}
	// The rows of the glyphs, seen in the left third.
	top, bottom := -1, -1
	for y := range h {
		if darkest(0, w/3, y, y+1) < 128 {
			if top < 0 {
				top = y
			}
			bottom = y
		}
	}
	quarter := top + (bottom-top)/4
	if top < 0 || darkest(w*3/4, w, top, quarter-3) != 255 || darkest(w*3/4, w, quarter+3, bottom+1) > 82 {
		t.Errorf("right quarter, rows %d to %d: want white in the top quarter, red below (upright)", top, bottom)
	}
}

// AbbreviatedData: each operator with its numbers; numbers past them
// repeat the operator; anything else is damage, what came before kept.
func TestPathData(t *testing.T) {
	tests := []struct {
		data string
		ok   bool
	}{
		{"M 0 0 L 1 0 L 1 1 C", true},
		{"S 0 0 Q 1 1 2 0 B 1 1 2 2 3 3 A 1 1 0 0 1 4 4 C", true},
		{"M 0,0 L 1 0 2 0 3 0 C", true}, // commas, and lines repeated
		{"M0 0L1-1L2 1e1C", true},       // no spaces
		{"", true},
		{"M 0 0 L 1", false},       // cut short
		{"M 0 0 Z 1 1", false},     // no such operator
		{"1 2 M 0 0", false},       // numbers before any operator
		{"M 0 0 L 1e999 0", false}, // not finite
		{"M 0 0 L 1..2 0", false},  // not a number
		{"M 0 0 C 1 2", false},     // C takes none
		{"M 0 0 L x 0", false},     // not a number
	}
	for _, tt := range tests {
		s := &outline.Shapes{}
		p := ofdPath{ctm: [6]float64{1, 0, 0, 1, 0, 0}, data: tt.data}
		if ok := p.feed(s); ok != tt.ok {
			t.Errorf("%q: ok %v, want %v", tt.data, ok, tt.ok)
		}
	}
}

// A FillColor's Value is a gray, RGB or CMYK, 0 to 255, in decimal or
// #hex; what is not one is black.
func TestColorGray(t *testing.T) {
	for _, tt := range []struct {
		value string
		gray  byte
	}{
		{"128", 128},
		{"255 0 0", 76},
		{"#FF #FF #ff", 255},
		{"0 255 255 0", 76}, // CMYK: red
		{"0 0 0 255", 0},
		{"300 300 300", 255},
		{"", 0},
		{"1 2", 0},
		{"255 255 x", 0},
		{"1.5", 0},
	} {
		if g := colorGray(tt.value); g != tt.gray {
			t.Errorf("colorGray(%q) = %d, want %d", tt.value, g, tt.gray)
		}
	}
}

// An arc (A) is drawn as SVG draws one, in cubic curves of a quarter turn
// at most, from the current point; radii too small are grown to reach the
// end; a radius 0, or numbers too large, are a line.
func TestPathArc(t *testing.T) {
	tests := []struct {
		name   string
		from   [2]float64
		a      [7]float64
		center [2]float64
		r      float64
		ends   [][2]float64 // of the curves; nil: a line
	}{
		{"half circle, sweep", [2]float64{0, 5}, [7]float64{5, 5, 0, 0, 1, 10, 5}, [2]float64{5, 5}, 5, [][2]float64{{5, 0}, {10, 5}}},
		{"half circle, the other way", [2]float64{0, 5}, [7]float64{5, 5, 0, 0, 0, 10, 5}, [2]float64{5, 5}, 5, [][2]float64{{5, 10}, {10, 5}}},
		{"radius grown", [2]float64{0, 5}, [7]float64{1, 1, 0, 0, 1, 10, 5}, [2]float64{5, 5}, 5, [][2]float64{{5, 0}, {10, 5}}},
		{"quarter, large arc", [2]float64{0, 5}, [7]float64{5, 5, 0, 1, 1, 5, 10}, [2]float64{5, 5}, 5, [][2]float64{{5, 0}, {10, 5}, {5, 10}}},
		{"rotated ellipse", [2]float64{0, 0}, [7]float64{10, 5, 90, 0, 1, 0, 20}, [2]float64{0, 10}, 0, [][2]float64{{5, 10}, {0, 20}}},
		{"radius 0", [2]float64{0, 0}, [7]float64{0, 5, 0, 0, 1, 10, 0}, [2]float64{}, 0, nil},
		{"too large", [2]float64{0, 0}, [7]float64{1e300, 1e300, 0, 0, 1, 1e300, 0}, [2]float64{}, 0, nil},
	}
	for _, tt := range tests {
		var ends [][2]float64
		ok := arc(tt.from, tt.a, func(x1, y1, x2, y2, x3, y3 float64) {
			ends = append(ends, [2]float64{math.Round(x3*1e6) / 1e6, math.Round(y3*1e6) / 1e6})
			if r := math.Hypot(x3-tt.center[0], y3-tt.center[1]); tt.r > 0 && math.Abs(r-tt.r) > 1e-9 {
				t.Errorf("%s: a curve ends %g from the center, want %g", tt.name, r, tt.r)
			}
		})
		if ok != (tt.ends != nil) || !slices.Equal(ends, tt.ends) {
			t.Errorf("%s: %v, curves ending at %v; want %v", tt.name, ok, ends, tt.ends)
		}
	}
}

// A page of more path segments than are kept, or of more path data than
// is kept, is review: its paths are not read, with an engine or without.
func TestPathsLimit(t *testing.T) {
	latin := outlined(t, doctest.GoRegular(t), "SECRET", 4.2, 20, 40, `Fill="true"`, "")
	many := func(segs int) string {
		var b strings.Builder
		b.WriteString(`<ofd:PathObject ID="9" Boundary="0 0 100 10" Fill="true"><ofd:AbbreviatedData>M 0 0`)
		for i := range segs {
			fmt.Fprintf(&b, " L %d %d", i%100, i%2)
		}
		b.WriteString(" C</ofd:AbbreviatedData></ofd:PathObject>")
		return b.String()
	}
	for _, tt := range []struct {
		name string
		body string
	}{
		{"too many segments", latin + many(250_000)},
		{"too much data", latin + many(1_000_000)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			data := pathsOFD(t, 1, tt.body, "", "")
			if doc := doctest.ReadOCR(t, picturetest.Engine{Conf: 90}, data); !slices.Equal(doc.Review, []string{tooManyPaths}) {
				t.Errorf("Review = %q, want %q", doc.Review, tooManyPaths)
			}
			if doc := doctest.ReadOCR(t, nil, data); !slices.Equal(doc.Review, []string{notRead}) {
				t.Errorf("without OCR: Review = %q, want %q", doc.Review, notRead)
			}
		})
	}
}

// Text drawn as paths read by the real Tesseract: 机密★5年 in outlines
// comes out as picture text, and the file is not review.
func TestPathsTesseract(t *testing.T) {
	info := doctest.Tesseract(t)
	noto := doctest.NotoCJK(t)
	body := outlined(t, noto, "机密★5年", 5.6, 20, 40, `Fill="true"`, "") + outlined(t, noto, "关于加强档案管理工作的通知", 5.6, 20, 50, `Fill="true"`, "")
	data := pathsOFD(t, 1, body, "", "")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	opt := extract.DefaultOptions()
	opt.OCR = ocr.Config{Command: info.Command}
	doc, err := extractOFD(ctx, bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		t.Fatal(err)
	}
	doctest.ReadOnPage1(t, doc, "机密")
}

// FuzzOFDPaths reads a page of text drawn as paths followed by a path of
// any data, drawn with any CTM, with an OCR engine so that the paths are
// drawn: never a panic, and reasons of ours.
func FuzzOFDPaths(f *testing.F) {
	f.Add("M 0 0 L 1e30 1e30 L -1e30 5 C", "1 0 0 1 0 0")
	f.Add("S 10 10 Q 20 20 30 5 B 40 40 50 50 60 60 A 5 5 30 1 0 70 70 C M", "1e-300 1e300 0 1e-300 0 0")
	f.Add("M0,0L1e-30-1e-30 B 1 2 3", "-2 0.5 0.5 -1 1e308 -1e308")
	secret := outlined(f, doctest.GoRegular(f), "SECRET", 4.2, 20, 40, `Fill="true"`, "")
	f.Fuzz(func(t *testing.T, data, ctm string) {
		var d, m strings.Builder
		xml.EscapeText(&d, []byte(data))
		xml.EscapeText(&m, []byte(ctm))
		body := secret + `<ofd:PathObject ID="9" Boundary="0 0 10 10" Fill="true" CTM="` + m.String() + `"><ofd:AbbreviatedData>` + d.String() + `</ofd:AbbreviatedData></ofd:PathObject>`
		ofd := pathsOFD(t, 1, body, "", "")
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		doc, err := extractOFD(extract.WithEngine(ctx, picturetest.Engine{Text: "x", Conf: 90}), bytes.NewReader(ofd), int64(len(ofd)), extract.DefaultOptions())
		if err != nil {
			if e := (*extract.Error)(nil); !errors.As(err, &e) {
				t.Fatalf("error %T %q is not an *Error", err, err)
			}
			return
		}
		for _, r := range doc.Review {
			for _, c := range r {
				if c < ' ' || c > '~' {
					t.Fatalf("review %q is not printable ASCII", r)
				}
			}
		}
	})
}

// BenchmarkPaths reads a page of 400 Chinese characters drawn as paths
// (20 lines of 20), with a fake OCR engine (the paths drawn, then read at
// once) and without one (only looked at).
func BenchmarkPaths(b *testing.B) {
	noto := doctest.NotoCJK(b)
	var body strings.Builder
	for i := range 20 {
		line := string([]rune(strings.Repeat("关于加强档案管理工作的通知机密★5年", 2))[:20])
		body.WriteString(outlined(b, noto, line, 5, 20, 30+float64(i)*8, `Fill="true"`, ""))
	}
	data := pathsOFD(b, 1, body.String(), "", "")
	for _, e := range []ocr.Engine{picturetest.Engine{Conf: 90}, nil} {
		b.Run(fmt.Sprintf("engine=%v", e != nil), func(b *testing.B) {
			for range b.N {
				doctest.ReadOCR(b, e, data)
			}
		})
	}
}
