package outline

import (
	"bytes"
	"context"
	"image"
	"math"
	"slices"
	"testing"
)

// star adds to s a star of 12 points, r wide, centred on (x, y), and fills
// it in gray: glyph-like (not convex, 24 segments).
func star(s *Shapes, x, y, r float32, gray byte) {
	starPath(s, x, y, r)
	s.Fill(gray)
}

// starPath builds star's path.
func starPath(s *Shapes, x, y, r float32) {
	for i := range 24 {
		a, k := float64(i)*math.Pi/12, float32(1-0.4*float64(i%2))
		px, py := x+r/2*k*float32(math.Cos(a)), y+r/2*k*float32(math.Sin(a))
		if i == 0 {
			s.MoveTo(px, py)
		} else {
			s.LineTo(px, py)
		}
	}
	s.Close()
}

// Four glyph-like shapes of one gray in a row may be text; of four grays,
// one over the other or apart, they are a drawing's.
func TestMayBeText(t *testing.T) {
	for _, tt := range []struct {
		name string
		draw func(s *Shapes)
		text bool
	}{
		{"a row", func(s *Shapes) {
			for i := range 4 {
				star(s, 10+12*float32(i), 10, 10, 0)
			}
		}, true},
		{"a column", func(s *Shapes) {
			for i := range 4 {
				star(s, 10, 10+12*float32(i), 10, 0)
			}
		}, true},
		{"three", func(s *Shapes) {
			for i := range 3 {
				star(s, 10+12*float32(i), 10, 10, 0)
			}
		}, false},
		{"four grays", func(s *Shapes) {
			for i := range 4 {
				star(s, 10+12*float32(i), 10, 10, byte(i*50))
			}
		}, false},
		{"one over the other", func(s *Shapes) {
			for i := range 4 {
				star(s, 40, 40, 10+8*float32(i), 0)
			}
		}, false},
		{"far apart", func(s *Shapes) {
			for i := range 4 {
				star(s, 10+200*float32(i), 10, 10, 0)
			}
		}, false},
	} {
		var s Shapes
		tt.draw(&s)
		if got := s.MayBeText(); got != tt.text {
			t.Errorf("%s: MayBeText = %v, want %v", tt.name, got, tt.text)
		}
	}
}

// The Shapes of one page share their count of segments: a path dropped
// gives its segments back; past the page's maximum, any of them may be
// text and is not drawn.
func TestShapesCount(t *testing.T) {
	n := 0
	a, b := Shapes{Count: &n}, Shapes{Count: &n}
	star(&a, 10, 10, 10, 0)
	b.MoveTo(0, 0)
	b.LineTo(1, 1)
	if n != 27 {
		t.Fatalf("count %d, want 27", n)
	}
	b.Drop()
	if n != 25 || b.MayBeText() {
		t.Fatalf("after Drop: count %d, MayBeText %v; want 25, false", n, b.MayBeText())
	}
	b.MoveTo(0, 0)
	for i := range maxPathSegs {
		b.LineTo(float32(i%10), float32(i%2))
	}
	b.Fill(0)
	if !b.MayBeText() {
		t.Fatal("MayBeText = false past the maximum, want true")
	}
	if img, why := b.Draw(context.Background()); img != nil || why != WhyTooMany {
		t.Errorf("Draw = %v, %q; want nil, %q", img, why, WhyTooMany)
	}
	a.MoveTo(0, 0) // a's next segment is past it too
	if !a.MayBeText() {
		t.Error("the other Shapes of the page: MayBeText = false, want true")
	}
}

// A clip with glyph-like subpaths is kept as a fill of its own set; a
// clip of none is forgotten unless filled.
func TestClip(t *testing.T) {
	var s Shapes
	s.MoveTo(0, 0)
	s.LineTo(10, 0)
	s.LineTo(10, 10)
	s.Close()
	if s.Clip(0, false) || len(s.fills) != 0 || len(s.ops) != 0 {
		t.Errorf("a triangle's clip: kept %d fills, %d operations; want none", len(s.fills), len(s.ops))
	}
	s.MoveTo(0, 0)
	s.LineTo(10, 0)
	s.LineTo(10, 10)
	s.Close()
	if s.Clip(0, true) || len(s.fills) != 1 {
		t.Errorf("a triangle's filled clip: kept %d fills, want 1", len(s.fills))
	}
	for i := range 4 {
		starPath(&s, 10+12*float32(i), 10, 10)
		if !s.Clip(0x80, false) {
			t.Fatalf("star %d: Clip = false, want true", i)
		}
	}
	// Each clip is a set of its own: four stars, no line of one set.
	if s.MayBeText() {
		t.Error("MayBeText = true, want false")
	}
}

// drawn returns the Shapes draw makes and their picture.
func drawn(t *testing.T, draw func(s *Shapes)) (*Shapes, *image.Gray) {
	t.Helper()
	var s Shapes
	draw(&s)
	img, why := s.Draw(context.Background())
	if img == nil {
		t.Fatalf("not drawn: %s", why)
	}
	return &s, img.(*image.Gray)
}

// rectangle fills the rectangle of corners (x0, y0) and (x1, y1) in gray.
func rectangle(s *Shapes, x0, y0, x1, y1 float32, gray byte) {
	s.MoveTo(x0, y0)
	s.LineTo(x1, y0)
	s.LineTo(x1, y1)
	s.LineTo(x0, y1)
	s.Close()
	s.Fill(gray)
}

// What hides outlined text from a reader of the page but not from one of
// the file does not hide it from OCR: glyphs that do not show against what
// lies under them are drawn in a gray that does, and a fill covering
// glyphs drawn before is not drawn. Glyphs that show keep their gray, and
// what does not cover them is drawn.
func TestDrawHidden(t *testing.T) {
	stars := func(s *Shapes, gray byte) {
		for i := range 4 {
			star(s, 10+12*float32(i), 10, 10, gray)
		}
	}
	for _, tt := range []struct {
		name string
		draw func(s *Shapes)
		// The darkest pixel, and how many pixels must be of gray.
		darkest byte
		gray    byte
	}{
		{"black", func(s *Shapes) { stars(s, 0) }, 0, 0},
		{"light gray on white", func(s *Shapes) { stars(s, 207) }, 207, 207},
		{"white on white", func(s *Shapes) { stars(s, 255) }, 0, 0},
		{"white on the page's white", func(s *Shapes) {
			rectangle(s, -100, -100, 200, 200, 255)
			stars(s, 255)
		}, 0, 0},
		{"near white on white", func(s *Shapes) { stars(s, 230) }, 0, 0},
		{"white on black", func(s *Shapes) {
			rectangle(s, -100, -100, 200, 200, 0)
			stars(s, 255)
		}, 0, 255},
		{"black on black", func(s *Shapes) {
			rectangle(s, -100, -100, 200, 200, 0)
			stars(s, 0)
		}, 0, 255},
		{"covered by white", func(s *Shapes) {
			stars(s, 0)
			rectangle(s, 0, 0, 60, 20, 255)
		}, 0, 0},
		{"a smaller shape on a star", func(s *Shapes) {
			stars(s, 0)
			rectangle(s, 8, 8, 12, 12, 100)
		}, 0, 100},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, g := drawn(t, tt.draw)
			if d := slices.Min(g.Pix); d != tt.darkest {
				t.Errorf("darkest pixel %d, want %d", d, tt.darkest)
			}
			// Pixels inside the shapes, not at their edges.
			if n := bytes.Count(g.Pix, []byte{tt.gray}); n < 100 {
				t.Errorf("%d pixels of gray %d, want at least 100", n, tt.gray)
			}
		})
	}
}

// Telling whether a fill covers glyphs drawn before counts as work: ten
// thousand boxes over two thousand glyphs are too many to draw.
func TestDrawCoversWork(t *testing.T) {
	var s Shapes
	for i := range 2000 {
		star(&s, 10+12*float32(i%100), 10+12*float32(i/100), 10, 0)
	}
	for range 10_001 {
		rectangle(&s, 0, 0, 1300, 300, 255)
	}
	if img, why := s.Draw(context.Background()); img != nil || why != WhyTooMany {
		t.Errorf("Draw = %v, %q; want nil, %q", img, why, WhyTooMany)
	}
}

// The contrast of hidden glyphs is decided pixel by pixel: each star of a
// run of one gray shows, on a dark banner as on the page, whatever the
// others are on; glyphs drawn twice (a bold) stay as first drawn; a box
// over one glyph of a path that draws a whole line is not drawn either.
func TestDrawHiddenPixels(t *testing.T) {
	xs := []float32{10, 22, 34, 46, 58, 70}
	line := func(s *Shapes, gray byte) {
		for _, x := range xs {
			star(s, x, 10, 10, gray)
		}
	}
	// twice draws the line of stars, a dot elsewhere, and the line again.
	twice := func(gray byte) func(s *Shapes) {
		return func(s *Shapes) {
			line(s, gray)
			rectangle(s, 100, 100, 101, 101, 128)
			line(s, gray)
		}
	}
	for _, tt := range []struct {
		name string
		draw func(s *Shapes)
		want []byte // the gray at each star's middle
	}{
		{"white on a banner and on the page", func(s *Shapes) {
			rectangle(s, 0, 0, 28, 20, 30)
			line(s, 255)
		}, []byte{255, 255, 0, 0, 0, 0}},
		{"white with a plain glyph on white", func(s *Shapes) {
			for _, x := range xs[:5] {
				star(s, x, 10, 10, 255)
			}
			rectangle(s, 68, 8, 72, 12, 255) // not glyph-like, as a 口's strokes
		}, []byte{0, 0, 0, 0, 0, 0}},
		{"black drawn twice", twice(0), []byte{0, 0, 0, 0, 0, 0}},
		{"white drawn twice", twice(255), []byte{0, 0, 0, 0, 0, 0}},
		{"a box over one glyph of a line", func(s *Shapes) {
			for _, x := range xs {
				starPath(s, x, 10, 10)
			}
			s.Fill(0)
			rectangle(s, 28, 3, 40, 17, 255)
		}, []byte{0, 0, 0, 0, 0, 0}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, g := drawn(t, tt.draw)
			// Where page point (x, y) is drawn (as newCanvas places it).
			m := max(s.glyphSize, 6)
			x0, y1 := s.box.x0-m, s.box.y1+m
			for i, x := range xs {
				px, py := int((float64(x)-x0)*pagePixels), int((y1-10)*pagePixels)
				if got := g.GrayAt(px, py).Y; got != tt.want[i] {
					t.Errorf("star %d: %d, want %d", i, got, tt.want[i])
				}
			}
		})
	}
}
