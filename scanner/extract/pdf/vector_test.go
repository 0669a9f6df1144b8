package pdf

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/image/font/sfnt"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/outline"
	"github.com/baomi/baomi/scanner/ocr"
)

// outlined returns the operators that fill lines of text drawn with f at
// size points, from (x, y) down.
func outlined(t *testing.T, f *sfnt.Font, size, x, y float64, lines ...string) string {
	t.Helper()
	var b strings.Builder
	for i, l := range lines {
		ops, _, err := pdftest.Outlines(f, l, size, x, y-float64(i)*size*1.5)
		if err != nil {
			t.Fatal(err)
		}
		b.WriteString(ops)
	}
	return b.String()
}

// notRead is the Review of a page whose shapes were not read for lack of
// an OCR engine: that of a picture.
var notRead = []string{"page 1 has a picture that may carry text (not read)"}

// Pages whose text is drawn as filled outlines, on the page, in a form or
// in a stamp's appearance, are read by OCR as a picture, and are review
// without an engine; tables, rules, a logo and outlines only stroked are
// not text.
func TestPDFShapes(t *testing.T) {
	latin := func(t *testing.T) string { return outlined(t, doctest.GoRegular(t), 12, 20, 100, "SECRET") }
	cases := []struct {
		name string
		pdf  func(t *testing.T) []byte
		text bool // read as text drawn as shapes
	}{
		{"Latin outlines", func(t *testing.T) []byte { return pdftest.OnePage(latin(t), "", "", nil) }, true},
		{"Chinese outlines", func(t *testing.T) []byte {
			return pdftest.OnePage(outlined(t, doctest.NotoCJK(t), 10.5, 20, 100, "秘密"), "", "", nil)
		}, true},
		{"red, in a form drawn half size", func(t *testing.T) []byte {
			return pdftest.OnePage("q 0.5 0 0 0.5 10 10 cm /X1 Do Q", "", "", func(b *pdftest.Builder) string {
				x := b.Add(pdftest.Stream("/Type /XObject /Subtype /Form /BBox [0 0 200 200]", "1 0 0 rg\n"+outlined(t, doctest.GoRegular(t), 24, 20, 100, "SECRET")))
				return fmt.Sprintf("/XObject << /X1 %d 0 R >>", x)
			})
		}, true},
		{"in a stamp's appearance", func(t *testing.T) []byte {
			return pdftest.OnePage("", "", "/Annots [6 0 R]", func(b *pdftest.Builder) string {
				ap := b.Add(pdftest.Stream("/Type /XObject /Subtype /Form /BBox [0 0 200 200]", latin(t)))
				b.Add(fmt.Sprintf("<< /Type /Annot /Subtype /Stamp /Rect [0 0 200 200] /AP << /N %d 0 R >> >>", ap))
				return ""
			})
		}, true},
		{"beside real text", func(t *testing.T) []byte {
			return pdftest.OnePage("BT /F1 12 Tf 20 150 Td (Notice) Tj ET\n"+latin(t), "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>", "", nil)
		}, true},
		{"Chinese in a column", func(t *testing.T) []byte {
			return pdftest.OnePage(outlined(t, doctest.NotoCJK(t), 10.5, 20, 100, "秘", "密"), "", "", nil)
		}, true},
		{"nested shapes: a radial gradient", func(t *testing.T) []byte {
			var b strings.Builder
			for i := range 20 {
				r := 60 - 2.5*float64(i)
				// Four stars a gray, each of 16 sides: not convex.
				fmt.Fprintf(&b, "%.2f g %.1f 100 m", float64(i/4)/5, 100+r)
				for k := 1; k < 16; k++ {
					a, rk := float64(k)*math.Pi/8, r*(1-0.1*float64(k%2))
					fmt.Fprintf(&b, " %.1f %.1f l", 100+rk*math.Cos(a), 100+rk*math.Sin(a))
				}
				b.WriteString(" h f\n")
			}
			return pdftest.OnePage(b.String(), "", "", nil)
		}, false},
		{"table, rules and a logo", func(t *testing.T) []byte {
			var b strings.Builder
			for r := range 12 {
				for c := range 6 {
					fmt.Fprintf(&b, "0.9 g %d %d 30 12 re f\n", 10+c*31, 10+r*13)
				}
			}
			b.WriteString("0 g 10 170 180 0.5 re f 10 5 180 1 re f\n")
			// A round logo of four curves, a ring, and three dots.
			b.WriteString("150 180 m 150 191 141 200 130 200 c 119 200 110 191 110 180 c 110 169 119 160 130 160 c 141 160 150 169 150 180 c f\n")
			b.WriteString("20 190 m 30 190 l 30 195 l 25 198 l 20 195 l h 22 191 m 28 191 l 28 194 l 22 194 l h f*\n")
			for i := range 3 {
				fmt.Fprintf(&b, "%d 185 m %d 187 l %d 189 l %d 187 l h f\n", 60+i*10, 62+i*10, 60+i*10, 58+i*10)
			}
			return pdftest.OnePage(b.String(), "", "", nil)
		}, false},
		{"outlines stroked, not filled", func(t *testing.T) []byte {
			return pdftest.OnePage(strings.ReplaceAll(latin(t), "f\n", "S\n"), "", "", nil)
		}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := c.pdf(t)
			e := &fakeEngine{text: "机密", conf: 90}
			doc := readWith(t, data, e)
			want, pics := 0, []string(nil)
			if c.text {
				want, pics = 1, []string{"1:机密"}
			}
			if len(e.got) != want {
				t.Fatalf("engine called %d times, want %d", len(e.got), want)
			}
			if got := pictureText(doc); !slices.Equal(got, pics) || len(doc.Review) != 0 {
				t.Errorf("picture segments %q, Review %q; want %q and none", got, doc.Review, pics)
			}
			doc = readWith(t, data, nil)
			var review []string
			if c.text {
				review = notRead
			}
			if !slices.Equal(doc.Review, review) {
				t.Errorf("without OCR: Review = %q, want %q", doc.Review, review)
			}
		})
	}
}

// The picture of text drawn as shapes: the glyphs' box and a margin at
// 300 dpi, each fill in its gray over those before.
func TestPDFShapesPicture(t *testing.T) {
	ops, end, err := pdftest.Outlines(doctest.GoRegular(t), "SECRET", 12, 20, 100)
	if err != nil {
		t.Fatal(err)
	}
	// On a white page, red text, its right half then covered by white:
	// drawn all the same (the cover hides it from a reader of the page,
	// not of the file).
	content := "1 g 0 0 200 200 re f 1 0 0 rg\n" + ops + fmt.Sprintf("1 g %g 90 %g 30 re f\n", (20+end)/2, end)
	e := &fakeEngine{text: "SECRET", conf: 90}
	readWith(t, pdftest.OnePage(content, "", "", nil), e)
	if len(e.got) != 1 {
		t.Fatalf("engine called %d times, want 1", len(e.got))
	}
	g, ok := e.got[0].(*image.Gray)
	if !ok {
		t.Fatalf("picture is a %T, want *image.Gray", e.got[0])
	}
	// At 300 dpi: the text's width, and less than a glyph's size (12
	// points) each side.
	if w, lo, hi := g.Rect.Dx(), (end-20)*300/72, (end-20+24)*300/72; float64(w) < lo || float64(w) > hi {
		t.Errorf("picture is %d pixels wide, want %.0f to %.0f", w, lo, hi)
	}
	darkest := func(x0, x1 int) byte {
		d := byte(255)
		for y := range g.Rect.Dy() {
			for _, p := range g.Pix[y*g.Stride+x0 : y*g.Stride+x1] {
				d = min(d, p)
			}
		}
		return d
	}
	w := g.Rect.Dx()
	if p := g.Pix[0]; p != 255 {
		t.Errorf("top left pixel is %d, want white: the page", p)
	}
	if d := darkest(0, w/3); d < 70 || d > 82 {
		t.Errorf("darkest pixel of the left third is %d, want red's gray, 76", d)
	}
	if d := darkest(w*2/3, w); d < 70 || d > 82 {
		t.Errorf("darkest pixel of the right third is %d, want red's gray, 76: the white fill over it is not drawn", d)
	}
}

// Shapes are drawn in the gray of their fill color, whatever its space;
// what a pattern fills is mid gray, and so is what glyphs clip, once.
func TestPDFShapesGray(t *testing.T) {
	ops, _, err := pdftest.Outlines(doctest.GoRegular(t), "SECRET", 12, 20, 100)
	if err != nil {
		t.Fatal(err)
	}
	spaces := func(b *pdftest.Builder) string {
		icc := b.Add(pdftest.Stream("/N 3", "icc"))
		return fmt.Sprintf("/ColorSpace << /Sep [/Separation /Spot /DeviceCMYK 0 0 R] /ICC [/ICCBased %d 0 R] >>", icc)
	}
	for _, c := range []struct {
		color, paint string // the color the glyphs are filled with, how
		gray         byte
	}{
		{"0.5 g", "f", 128},
		{"0 1 0 rg", "f", 150},
		{"0 0 0 1 k", "f", 0},
		{"0 1 1 0 k", "f", 76},
		{"/ICC cs 1 0 0 scn", "f", 76},
		{"/Sep cs 0.25 scn", "f", 191},
		{"/Pattern cs /P0 scn", "f", patternGray},
		{"/DeviceGray cs", "f", 0},
		// Clipping a shading, or a black rectangle: drawn as the glyphs.
		{"0.5 g", "W n /Sh0 sh", patternGray},
		{"0.5 g", "W n 0 g 0 0 200 200 re f", patternGray},
		{"0.5 g", "W* f 0 g 0 0 200 200 re f", 128},
	} {
		t.Run(c.color+" "+c.paint, func(t *testing.T) {
			e := &fakeEngine{text: "SECRET", conf: 90}
			// One path of all the glyphs, painted (or clipping) once.
			glyphs := strings.ReplaceAll(ops, "f\n", "") + c.paint + "\n"
			readWith(t, pdftest.OnePage(c.color+"\n"+glyphs, "", "", spaces), e)
			if len(e.got) != 1 {
				t.Fatalf("engine called %d times, want 1", len(e.got))
			}
			g := e.got[0].(*image.Gray)
			if d := slices.Min(g.Pix); d != c.gray {
				t.Errorf("darkest pixel %d, want %d", d, c.gray)
			}
		})
	}
}

// Text drawn as shapes read by the real Tesseract: 机密★5年 in outlines
// comes out as picture text, and the file is not review; in white on the
// page's white too.
func TestPDFShapesTesseract(t *testing.T) {
	info := doctest.Tesseract(t)
	text := outlined(t, doctest.NotoCJK(t), 16, 20, 150, "机密★5年", "关于加强档案管理工作的通知")
	for _, c := range []struct{ name, content string }{
		{"black", text},
		{"white on white", "1 g 0 0 612 792 re f\n" + text},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := pdftest.OnePage(c.content, "", "", nil)
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
			defer cancel()
			doc, err := extractPDF(ctx, bytes.NewReader(data), int64(len(data)), extract.Options{OCR: ocr.Config{Command: info.Command}})
			if err != nil {
				t.Fatal(err)
			}
			doctest.ReadOnPage1(t, doc, "机密")
		})
	}
}

// A page of a million path segments keeps maxPathSegs of them and is
// review: its shapes are not read, with an engine or without; so is a page
// whose shapes would take too long to draw.
func TestPDFShapesLimit(t *testing.T) {
	var b bytes.Buffer
	b.WriteString("10 10 m\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&b, "%d %d l\n", 10+i%100, 11+i%2)
	}
	b.WriteString("f\n")
	data := pdftest.OnePage("", "", "", func(pb *pdftest.Builder) string {
		// The page's content, compressed: written over the one OnePage adds.
		pb.Objs[3] = pdftest.Stream("/Filter /FlateDecode", pdftest.Zlib(b.Bytes()))
		return ""
	})
	// Text, and fifty thousand curves each reaching far off the page
	// left of it (not over it, or they would not be drawn): too many to
	// draw.
	var far strings.Builder
	far.WriteString(outlined(t, doctest.GoRegular(t), 12, 20, 100, "SECRET"))
	for range 50_000 {
		far.WriteString("-1000 -1000 m 15 -1000 15 3000 -1000 3000 c h f\n")
	}
	farOff := pdftest.OnePage("", "", "", func(pb *pdftest.Builder) string {
		pb.Objs[3] = pdftest.Stream("/Filter /FlateDecode", pdftest.Zlib([]byte(far.String())))
		return ""
	})
	manyShapes := []string{"page 1 has a picture that may carry text (not read: " + outline.WhyTooMany + ")"}
	for _, c := range []struct {
		name   string
		pdf    []byte
		engine ocr.Engine
		review []string
	}{
		{"too many to keep, no engine", data, nil, notRead},
		{"too many to keep", data, &fakeEngine{conf: 90}, manyShapes},
		{"too many to draw", farOff, &fakeEngine{conf: 90}, manyShapes},
	} {
		t.Run(c.name, func(t *testing.T) {
			if doc := readWith(t, c.pdf, c.engine); !slices.Equal(doc.Review, c.review) {
				t.Errorf("Review = %q, want %q", doc.Review, c.review)
			}
		})
	}
}

// FuzzPDFShapes reads a page of text drawn as shapes, drawn with any
// matrix, followed by any path and color operators, with an OCR engine so
// that the shapes are drawn: never a panic, and reasons of ours.
func FuzzPDFShapes(f *testing.F) {
	f.Add("0 0 m 1e30 1e30 l -1e30 5 l f", 1.0, 0.0, 0.0, 1.0)
	f.Add("/CS0 cs 0.5 scn 0 0 1e300 1 re f* /P0 scn 10 10 m 20 20 30 5 40 40 c 50 50 60 60 v 1 2 3 4 y h B", 1e-300, 1e300, 0.0, 1e-300)
	f.Add("1 0 0 0 k 0 0 m h f 1 1 m c v y f 0 0 200 200 re W n 0.3 1 0.2 rg 5 5 m 1e-30 1e-30 l b*", -2.0, 0.5, 0.5, -1.0)
	secret, _, err := pdftest.Outlines(doctest.GoRegular(f), "SECRET", 12, 20, 100)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, ops string, a, b, c, d float64) {
		content := fmt.Sprintf("q %g %g %g %g 10 10 cm\n", a, b, c, d) + secret + ops + "\nQ"
		readFuzzed(t, pdftest.OnePage(content, "/ColorSpace << /CS0 /DeviceGray >>", "", nil))
	})
}
