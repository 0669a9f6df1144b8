package outline

import (
	"context"
	"math"
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
