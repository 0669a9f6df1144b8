package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/ocr"
	"github.com/baomi/baomi/scanner/ocr/ocrtest"
)

// fakeEngine reads every picture as text, with confidence conf, and keeps
// the pictures it was given.
type fakeEngine struct {
	text string
	conf float64
	got  []image.Image
}

func (e *fakeEngine) Recognize(_ context.Context, img image.Image) (ocr.Result, error) {
	e.got = append(e.got, img)
	return ocr.Result{Lines: []ocr.Line{{Text: e.text, Conf: e.conf}}, Size: img.Bounds().Size(), Conf: e.conf}, nil
}

// readWith reads a PDF with OCR engine e (none when nil).
func readWith(t *testing.T, data []byte, e ocr.Engine) *extract.Document {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if e != nil {
		ctx = extract.WithEngine(ctx, e)
	}
	doc, err := extractPDF(ctx, bytes.NewReader(data), int64(len(data)), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// pictureText returns the text of doc's picture segments, "page:text".
func pictureText(doc *extract.Document) []string {
	return doctest.Pictures(doc, func(s extract.Segment) string { return fmt.Sprintf("%d:%s", s.Page, s.Text) })
}

// The picture the tests draw: 64×32 gray, its left half black.
const picW, picH = 64, 32

func halfBlack() *image.Gray {
	m := image.NewGray(image.Rect(0, 0, picW, picH))
	for y := range picH {
		for x := range picW {
			if x >= picW/2 {
				m.Pix[y*picW+x] = 0xff
			}
		}
	}
	return m
}

// imagePage is a one-page PDF drawing image XObject Im1 (its dictionary
// and data) with ctm, after content; pre adds objects and resources.
func imagePage(dict string, data []byte, ctm, content string, pre func(b *pdftest.Builder) string) []byte {
	return pdftest.OnePage(content+"q "+ctm+" cm /Im1 Do Q", "", "", func(b *pdftest.Builder) string {
		im := b.Add(pdftest.Stream("/Type /XObject /Subtype /Image "+dict, string(data)))
		res := fmt.Sprintf("/XObject << /Im1 %d 0 R >>", im)
		if pre != nil {
			res += " " + pre(b)
		}
		return res
	})
}

// grayOf is the gray of a pixel of a picture the engine was given.
func grayOf(m image.Image, x, y int) byte {
	return color.GrayModel.Convert(m.At(x, y)).(color.Gray).Y
}

// A page that is one image, in each encoding, reaches the engine decoded,
// as the page shows it.
func TestPDFPictureEncodings(t *testing.T) {
	pix := halfBlack().Pix
	var j bytes.Buffer
	if err := jpeg.Encode(&j, halfBlack(), &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	// PNG predictors, each row of type None.
	var rows []byte
	for y := range picH {
		rows = append(append(rows, 0), pix[y*picW:(y+1)*picW]...)
	}
	// 1 bit, left half 0 (black), as packed rows.
	bits := bytes.Repeat(append(bytes.Repeat([]byte{0}, picW/16), bytes.Repeat([]byte{0xff}, picW/16)...), picH)
	// Group 4, every row white: one V0 code ("1") a row.
	g4 := bytes.Repeat([]byte{0xff}, picH/8)
	// Raw samples holding " EI " and binary bytes, for an inline image.
	inl := slices.Clone(pix)
	copy(inl[40:], " EI \x00\x01")
	const gray = "/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray "
	const draw = "128 0 0 64 50 400"
	type px struct{ x, y int }
	black, white := []px{{5, 5}, {5, 30}}, []px{{60, 5}, {60, 30}}
	cases := []struct {
		name         string
		pdf          []byte
		black, white []px
	}{
		{"JPEG", imagePage(gray+"/Filter /DCTDecode", j.Bytes(), draw, "", nil), black, white},
		{"Flate", imagePage(gray+"/Filter /FlateDecode", []byte(pdftest.Zlib(pix)), draw, "", nil), black, white},
		{"Flate with PNG predictors, filters as arrays", imagePage(gray+"/Filter [/FlateDecode] /DecodeParms [<< /Predictor 15 /Columns 64 >>]", []byte(pdftest.Zlib(rows)), draw, "", nil), black, white},
		{"1-bit G4, BlackIs1", imagePage("/Width 64 /Height 32 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 64 /Rows 32 /BlackIs1 true >>", g4, draw, "", nil), append(black, white...), nil},
		{"1-bit G4, Decode [1 0]", imagePage("/Width 64 /Height 32 /BitsPerComponent 1 /ColorSpace /DeviceGray /Decode [1 0] /Filter /CCF /DecodeParms << /K -1 /Columns 64 >>", g4, draw, "", nil), append(black, white...), nil},
		{"stencil mask", imagePage("/Width 64 /Height 32 /ImageMask true", bits, draw, "", nil), black, white},
		{"Indexed, table as a string", imagePage("/Width 64 /Height 32 /BitsPerComponent 1 /ColorSpace [/Indexed /DeviceRGB 1 <000000FFFFFF>]", bits, draw, "", nil), black, white},
		{"named ICC-based space", imagePage("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /CS0", pix, draw, "", func(b *pdftest.Builder) string {
			return fmt.Sprintf("/ColorSpace << /CS0 [/ICCBased %d 0 R] >>", b.Add(pdftest.Stream("/N 1", "icc")))
		}), black, white},
		{"soft mask: what it hides is white", imagePage("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceRGB /SMask 6 0 R", make([]byte, 3*picW*picH), draw, "", func(b *pdftest.Builder) string {
			// Opaque on the left, the black under the right hidden.
			b.Add(pdftest.Stream("/Type /XObject /Subtype /Image /Width 2 /Height 1 /BitsPerComponent 8 /ColorSpace /DeviceGray", "\xff\x00"))
			return ""
		}), black, white},
		{"drawn upside down: put upright", imagePage(gray, pix, "128 0 0 -64 50 464", "", nil), black, white},
		{"drawn mirrored", imagePage(gray, pix, "-128 0 0 64 178 400", "", nil), white, black},
		{"in a form XObject", pdftest.OnePage("q 2 0 0 2 0 0 cm /Fm1 Do Q", "", "", func(b *pdftest.Builder) string {
			im := b.Add(pdftest.Stream("/Type /XObject /Subtype /Image "+gray, string(pix)))
			fm := b.Add(pdftest.Stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /Im1 %d 0 R >> >>", im), "q 64 0 0 32 10 10 cm /Im1 Do Q"))
			return fmt.Sprintf("/XObject << /Fm1 %d 0 R >>", fm)
		}), black, white},
		{"in a stamp's appearance", pdftest.OnePage("", "", "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [0 0 100 100] /AP << /N 6 0 R >> >>]", func(b *pdftest.Builder) string {
			im := b.Add(pdftest.Stream("/Type /XObject /Subtype /Image "+gray, string(pix)))
			b.Add(pdftest.Stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Im1 %d 0 R >> >>", im), "q 128 0 0 64 0 0 cm /Im1 Do Q"))
			return ""
		}), black, white},
		{"inline, raw samples with EI among them", pdftest.OnePage("q "+draw+" cm BI /W 64 /H 32 /BPC 8 /CS /G ID "+string(inl)+" EI Q", "", "", nil), black, white},
		{"inline, Flate", pdftest.OnePage("q "+draw+" cm BI /W 64 /H 32 /BPC 8 /CS /G /F /Fl ID "+pdftest.Zlib(pix)+" EI Q", "", "", nil), black, white},
		{"inline, abbreviated Indexed", pdftest.OnePage("q "+draw+" cm BI /W 64 /H 32 /BPC 1 /CS [/I /RGB 1 <000000FFFFFF>] ID "+string(bits)+" EI Q", "", "", nil), black, white},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := &fakeEngine{text: "机密★5年", conf: 90}
			doc := readWith(t, c.pdf, e)
			if len(e.got) != 1 {
				t.Fatalf("engine given %d pictures, want 1 (Review %q)", len(e.got), doc.Review)
			}
			m := e.got[0]
			if b := m.Bounds(); b.Dx() != picW || b.Dy() != picH {
				t.Errorf("picture of %v, want %dx%d", b, picW, picH)
			}
			for _, p := range c.black {
				if g := grayOf(m, p.x, p.y); g > 40 {
					t.Errorf("pixel %v = %d, want black", p, g)
				}
			}
			for _, p := range c.white {
				if g := grayOf(m, p.x, p.y); g < 215 {
					t.Errorf("pixel %v = %d, want white", p, g)
				}
			}
			if got := pictureText(doc); !slices.Equal(got, []string{"1:机密★5年"}) {
				t.Errorf("picture segments %q", got)
			}
			if len(doc.Review) != 0 {
				t.Errorf("Review = %q, want none", doc.Review)
			}
		})
	}
}

// A file whose pictures were read with confidence is no longer review for
// them; one read unsure or not read says so on its page.
func TestPDFPictureVerdicts(t *testing.T) {
	scan := imagePage("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", []byte(pdftest.Zlib(halfBlack().Pix)), "128 0 0 64 50 400", "", nil)
	jbig2 := imagePage("/Width 64 /Height 32 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /JBIG2Decode", []byte("jbig2"), "128 0 0 64 50 400", "", nil)
	cases := []struct {
		name     string
		pdf      []byte
		engine   *fakeEngine
		review   []string
		pictures []string
		calls    int
	}{
		{"no engine: as before OCR", scan, nil, []string{"page 1 has a picture that may carry text (not read)"}, nil, 0},
		{"read with confidence", scan, &fakeEngine{text: "机密★5年", conf: 90}, nil, []string{"1:机密★5年"}, 1},
		{"read unsure: matched, and said", scan, &fakeEngine{text: "机密", conf: 30}, []string{"page 1 has a picture that may carry text (not read: OCR was not confident)"}, []string{"1:机密"}, 1},
		{"cut short: read, and said", imagePage("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", []byte(pdftest.Zlib(halfBlack().Pix[:picW*20])), "128 0 0 64 50 400", "", nil),
			&fakeEngine{text: "机密", conf: 90}, []string{"page 1 has a picture that may carry text (not read: its data is cut short)"}, []string{"1:机密"}, 1},
		{"not decoded", jbig2, &fakeEngine{text: "x", conf: 90}, []string{"page 1 has a picture that may carry text (not read: its JBIG2Decode compression is not decoded)"}, nil, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var e ocr.Engine
			if c.engine != nil {
				e = c.engine
			}
			doc := readWith(t, c.pdf, e)
			if !slices.Equal(doc.Review, c.review) {
				t.Errorf("Review = %q, want %q", doc.Review, c.review)
			}
			if got := pictureText(doc); !slices.Equal(got, c.pictures) {
				t.Errorf("picture segments %q, want %q", got, c.pictures)
			}
			if c.engine != nil && len(c.engine.got) != c.calls {
				t.Errorf("engine called %d times, want %d", len(c.engine.got), c.calls)
			}
			read := 0
			if c.calls > 0 && c.engine.conf >= ocr.MinConf {
				read = 1
			}
			if want := (extract.Pictures{Read: read, Unread: 1 - read}); doc.Pictures != want {
				t.Errorf("Pictures = %+v, want %+v", doc.Pictures, want)
			}
		})
	}
}

// A scan stored as strips (inline images, in a stream without text) is
// one picture, its strips put together where the page draws them: strips
// too thin to hold a line of text, and strips that each could, a line of
// text crossing from one to the next.
func TestPDFPictureStrips(t *testing.T) {
	for _, c := range []struct{ n, h int }{{8, 4}, {3, 30}} {
		t.Run(fmt.Sprintf("%d strips %d px high", c.n, c.h), func(t *testing.T) {
			var content strings.Builder
			for i := range c.n {
				strip := bytes.Repeat([]byte{byte(i * 30)}, picW*c.h)
				fmt.Fprintf(&content, "q 128 0 0 %d 50 %d cm BI /W 64 /H %d /BPC 8 /CS /G ID %s EI Q\n", 2*c.h, 700-2*c.h*(i+1), c.h, strip)
			}
			e := &fakeEngine{text: "机密", conf: 90}
			doc := readWith(t, pdftest.OnePage(content.String(), "", "", nil), e)
			if len(e.got) != 1 || len(doc.Review) != 0 {
				t.Fatalf("engine given %d pictures, Review %q: want one picture read", len(e.got), doc.Review)
			}
			m := e.got[0]
			if b := m.Bounds(); b.Dx() != picW || b.Dy() != c.n*c.h {
				t.Fatalf("picture of %v, want %dx%d", b, picW, c.n*c.h)
			}
			for i := range c.n {
				if g := grayOf(m, 10, c.h*i+c.h/2); g != byte(i*30) {
					t.Errorf("strip %d reads %d, want %d", i, g, i*30)
				}
			}
		})
	}
}

// An image drawn on every page is read once.
func TestPDFPictureReadOnce(t *testing.T) {
	b := &pdftest.Builder{}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>")
	b.Add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 5 0 R /Resources << /XObject << /Im1 6 0 R >> >> >>")
	b.Add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents 5 0 R /Resources << /XObject << /Im1 6 0 R >> >> >>")
	b.Add(pdftest.Stream("", "q 128 0 0 64 50 100 cm /Im1 Do Q"))
	b.Add(pdftest.Stream("/Type /XObject /Subtype /Image /Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray", string(halfBlack().Pix)))
	for _, c := range []struct {
		conf   float64
		review []string
	}{
		{90, nil},
		{30, []string{"pages 1-2 have pictures that may carry text (not read: OCR was not confident)"}},
	} {
		e := &fakeEngine{text: "机密", conf: c.conf}
		doc := readWith(t, b.Bytes(""), e)
		if len(e.got) != 1 || !slices.Equal(doc.Review, c.review) || !slices.Equal(pictureText(doc), []string{"1:机密"}) {
			t.Errorf("confidence %v: engine given %d pictures, Review %q, pictures %q", c.conf, len(e.got), doc.Review, pictureText(doc))
		}
	}
}

// A scanned notice read by the real Tesseract through a PDF page: the
// marking's characters come out in a picture segment of page 1, and the
// file is no longer review for it.
func TestPDFPictureTesseract(t *testing.T) {
	info := doctest.Tesseract(t)
	g, err := ocrtest.Render([]string{"机密★5年", "关于加强档案管理工作的通知"}, ocrtest.Body)
	if errors.Is(err, ocrtest.ErrNoFont) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	b := g.Bounds()
	dict := fmt.Sprintf("/Width %d /Height %d /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", b.Dx(), b.Dy())
	// Drawn at 300 dpi: 72/300 of a point a pixel.
	ctm := fmt.Sprintf("%g 0 0 %g 20 300", float64(b.Dx())*72/300, float64(b.Dy())*72/300)
	data := imagePage(dict, []byte(pdftest.Zlib(g.Pix)), ctm, "", nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	doc, err := extractPDF(ctx, bytes.NewReader(data), int64(len(data)), extract.Options{OCR: ocr.Config{Command: info.Command}})
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(pictureText(doc), "|")
	if !strings.HasPrefix(got, "1:") || !strings.Contains(got, "机密") || !strings.Contains(got, "档案管理") {
		t.Errorf("picture segments %q, want page 1 with 机密 and 档案管理", got)
	}
	if len(doc.Review) != 0 {
		t.Errorf("Review = %q, want none", doc.Review)
	}
}

// Images of a file the library decrypts itself are not decoded: its key
// is not reachable for their raw bytes.
func TestPDFPictureEncrypted(t *testing.T) {
	data := imagePage("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray", halfBlack().Pix, "128 0 0 64 50 400", "", nil)
	rd, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	xo := rd.Page(1).Resources().Key("XObject").Key("Im1")
	for _, encrypted := range []bool{false, true} {
		x := &pdfRun{opt: extract.Options{}.WithDefaults(), file: bytes.NewReader(data), size: int64(len(data)), encrypted: encrypted}
		img, _, why := x.decode(drawn{xo: xo})
		if encrypted && (img != nil || why != whyEncrypted) || !encrypted && (img == nil || why != "") {
			t.Errorf("encrypted %v: decode = %v, %q", encrypted, img != nil, why)
		}
	}
}

// A canvas is as fine as its finest image, up to 600 dpi; 300 dpi when no
// image says its size; in the page's /UserUnit.
func TestNewCanvas(t *testing.T) {
	for _, c := range []struct {
		name   string
		ctm    matrix
		w, h   int
		unit   float64
		gw, gh int
	}{
		{"72 dpi", matrix{72, 0, 0, 36, 0, 0}, 72, 36, 1, 72, 36},
		{"6000 dpi: 600", matrix{72, 0, 0, 1.2, 0, 0}, 6000, 100, 1, 600, 10},
		{"size unknown: 300", matrix{72, 0, 0, 72, 0, 0}, 0, 0, 1, 300, 300},
		{"turned a quarter", matrix{0, 72, -36, 0, 36, 0}, 72, 36, 1, 36, 72},
		{"UserUnit 2", matrix{36, 0, 0, 36, 0, 0}, 0, 0, 2, 300, 300},
	} {
		g := newCanvas([]matrix{c.ctm}, []int{c.w}, []int{c.h}, c.unit).img.Bounds()
		if g.Dx() != c.gw || g.Dy() != c.gh {
			t.Errorf("%s: canvas %v, want %dx%d", c.name, g, c.gw, c.gh)
		}
	}
}
