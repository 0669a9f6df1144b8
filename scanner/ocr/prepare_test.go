package ocr

import (
	"image"
	"image/color"
	"image/draw"
	"strings"
	"testing"
)

// huge is a picture that says it is larger than any that may be read,
// without the memory: prepare must refuse it before touching its pixels.
type huge struct{ image.Gray }

func (huge) Bounds() image.Rectangle { return image.Rect(0, 0, 20_000, 10_000) }

// page draws black boxes (standing for characters h pixels high) on a
// white w×h picture at the given places.
func page(w, h int, boxes ...image.Rectangle) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	draw.Draw(g, g.Bounds(), image.White, image.Point{}, draw.Src)
	for _, b := range boxes {
		draw.Draw(g, b, image.Black, image.Point{}, draw.Src)
	}
	return g
}

// lines returns n rows of 10 character boxes each ch pixels square, from
// at, with gaps of ch/4 between characters and ch/2 between lines.
func lines(at image.Point, n, ch int) []image.Rectangle {
	var r []image.Rectangle
	for i := range n {
		for j := range 10 {
			min := at.Add(image.Pt(j*(ch+ch/4), i*(ch+ch/2)))
			r = append(r, image.Rectangle{Min: min, Max: min.Add(image.Pt(ch, ch))})
		}
	}
	return r
}

func TestPrepare(t *testing.T) {
	transparent := image.NewNRGBA(image.Rect(0, 0, 600, 300))
	for _, b := range lines(image.Pt(50, 50), 3, 40) {
		draw.Draw(transparent, b, image.NewUniform(color.NRGBA{A: 255}), image.Point{}, draw.Src)
	}
	tests := []struct {
		name  string
		img   image.Image
		size  image.Point // of the prepared picture; zero for none
		scale float64
		err   string
	}{
		{"blank", page(800, 600), image.Point{}, 0, ""},
		{"empty", image.NewGray(image.Rectangle{}), image.Point{}, 0, ""},
		{"over the pixel limit", &huge{}, image.Point{}, 0, "over the limit of 100 million"},
		// 3 lines of 40-pixel characters: 490×160 of ink, kept as it is.
		{"text at 300 dpi size, margins cropped", page(2480, 3508, lines(image.Pt(300, 400), 3, 40)...), image.Pt(490+2*border, 160+2*border), 1, ""},
		{"black on transparent", transparent, image.Pt(490+2*border, 160+2*border), 1, ""},
		// 10-pixel characters (a screenshot): scaled up 4 times at most.
		{"small text scaled up", page(300, 200, lines(image.Pt(10, 10), 4, 10)...), image.Pt(118*4+2*border, 55*4+2*border), 4, ""},
		// 200-pixel characters: scaled down by half at most.
		{"huge text scaled down", page(3000, 1000, lines(image.Pt(0, 0), 3, 200)...), image.Pt(2450/2+2*border, 800/2+2*border), 0.5, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, f, err := prepare(tt.img)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || g != nil {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.size == (image.Point{}) {
				if g != nil {
					t.Fatalf("prepared %v, want nothing to read", g.Bounds())
				}
				return
			}
			if g == nil || g.Bounds().Size() != tt.size || f.scale != tt.scale {
				t.Fatalf("prepared %v at scale %v, want %v at %v", g.Bounds(), f.scale, tt.size, tt.scale)
			}
		})
	}
}

// TestPrepareLongSide checks that a picture whose text needs no scaling
// but whose ink spans more than MaxSide is scaled down to it.
func TestPrepareLongSide(t *testing.T) {
	g, f, err := prepare(page(6000, 500, lines(image.Pt(0, 100), 2, 400)...))
	if err != nil || g == nil {
		t.Fatal(err)
	}
	if s := g.Bounds().Size(); max(s.X, s.Y) > MaxSide {
		t.Fatalf("prepared %v at scale %v, longer than %d", s, f.scale, MaxSide)
	}
}

// TestFrameBack checks that a box on the prepared picture maps back to
// where its ink is on the picture as given, to a pixel.
func TestFrameBack(t *testing.T) {
	for _, ch := range []int{40, 10} {
		boxes := lines(image.Pt(300, 400), 1, ch)
		want := boxes[0].Union(boxes[len(boxes)-1])
		g, f, err := prepare(page(2480, 3508, boxes...))
		if err != nil || g == nil {
			t.Fatal(err)
		}
		on := g.Bounds().Inset(border) // the ink, within the border
		got := f.back(on)
		for _, d := range []image.Point{got.Min.Sub(want.Min), got.Max.Sub(want.Max)} {
			if d.X < -1 || d.X > 1 || d.Y < -1 || d.Y > 1 {
				t.Errorf("characters of %d px: back(%v) = %v, want %v", ch, on, got, want)
			}
		}
	}
}

// FuzzPrepare checks that any grey picture prepares without a panic into
// a picture no larger than MaxSide, whose frame maps it back inside the
// picture as given.
func FuzzPrepare(f *testing.F) {
	f.Add(uint8(10), []byte{0, 255, 255, 0, 128, 3, 200, 7})
	f.Add(uint8(1), []byte{0})
	f.Add(uint8(3), []byte{255, 255, 255, 0, 0, 0, 255, 255, 255})
	f.Fuzz(func(t *testing.T, w uint8, pix []byte) {
		if w == 0 || len(pix) < int(w) {
			return
		}
		g := &image.Gray{Pix: pix, Stride: int(w), Rect: image.Rect(0, 0, int(w), len(pix)/int(w))}
		p, fr, err := prepare(g)
		if err != nil {
			t.Fatal(err)
		}
		if p == nil {
			return
		}
		if s := p.Bounds().Size(); max(s.X, s.Y) > MaxSide || s.X <= 2*border || s.Y <= 2*border {
			t.Fatalf("prepared %v", s)
		}
		if b := fr.back(p.Bounds()); !b.In(g.Bounds()) {
			t.Fatalf("back(%v) = %v, outside %v", p.Bounds(), b, g.Bounds())
		}
	})
}
