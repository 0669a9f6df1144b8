package raster

import (
	"image"
	"image/color"
	"image/draw"
	"testing"
)

// grid makes a w×h grey picture whose pixel (x, y) is f(x, y).
func grid(w, h int, f func(x, y int) uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			g.Pix[y*g.Stride+x] = f(x, y)
		}
	}
	return g
}

func TestTurn(t *testing.T) {
	g := grid(3, 2, func(x, y int) uint8 { return uint8(10*y + x) }) // 0 1 2 / 10 11 12
	tests := []struct {
		deg  int
		want *image.Gray
	}{
		{0, g},
		{90, grid(2, 3, func(x, y int) uint8 { return []uint8{10, 0, 11, 1, 12, 2}[2*y+x] })},
		{180, grid(3, 2, func(x, y int) uint8 { return []uint8{12, 11, 10, 2, 1, 0}[3*y+x] })},
		{270, grid(2, 3, func(x, y int) uint8 { return []uint8{2, 12, 1, 11, 0, 10}[2*y+x] })},
	}
	for _, tt := range tests {
		got := Turn(g, tt.deg)
		if got.Bounds() != tt.want.Bounds() || string(got.Pix) != string(tt.want.Pix) {
			t.Errorf("Turn(%d) = %v %v, want %v %v", tt.deg, got.Bounds(), got.Pix, tt.want.Bounds(), tt.want.Pix)
		}
	}
	// A sub-picture turns from its own origin.
	sub := g.SubImage(image.Rect(1, 0, 3, 2)).(*image.Gray)
	if got := Turn(sub, 180); string(got.Pix) != string([]uint8{12, 11, 2, 1}) {
		t.Errorf("Turn(sub, 180) = %v", got.Pix)
	}
}

func TestGray(t *testing.T) {
	nrgba := image.NewNRGBA(image.Rect(0, 0, 2, 1))
	nrgba.SetNRGBA(0, 0, color.NRGBA{A: 0})   // transparent: white
	nrgba.SetNRGBA(1, 0, color.NRGBA{A: 255}) // opaque black
	ycc := image.NewYCbCr(image.Rect(0, 0, 2, 1), image.YCbCrSubsampleRatio420)
	ycc.Y[0], ycc.Y[1] = 30, 200
	sub := grid(3, 1, func(x, _ int) uint8 { return uint8(x) }).SubImage(image.Rect(1, 0, 3, 1))
	paletted := image.NewPaletted(image.Rect(0, 0, 2, 1), color.Palette{color.White, color.NRGBA{R: 255, A: 128}})
	paletted.Pix[1] = 1
	tests := []struct {
		name string
		img  image.Image
		want []uint8
	}{
		{"transparent on white", nrgba, []uint8{255, 0}},
		{"half-transparent red on white", paletted, []uint8{255, 165}},
		{"no RGBA64At", struct{ image.Image }{nrgba}, []uint8{255, 0}},
		{"JPEG luma", ycc, []uint8{30, 200}},
		{"grey sub-picture", sub, []uint8{1, 2}},
	}
	for _, tt := range tests {
		got := Gray(tt.img)
		if got.Bounds().Min != (image.Point{}) || string(got.Pix) != string(tt.want) {
			t.Errorf("%s: Gray = %v %v, want %v", tt.name, got.Bounds(), got.Pix, tt.want)
		}
	}
}

func TestResize(t *testing.T) {
	tests := []struct {
		name string
		g    *image.Gray
		w, h int
		want []uint8
	}{
		{"shrink averages", grid(4, 2, func(x, _ int) uint8 { return []uint8{0, 100, 200, 200}[x] }), 2, 1, []uint8{50, 200}},
		{"grow keeps flat areas", grid(2, 1, func(x, _ int) uint8 { return []uint8{0, 200}[x] }), 4, 1, []uint8{0, 50, 150, 200}},
		{"to nothing", grid(2, 2, func(int, int) uint8 { return 9 }), 0, 3, nil},
	}
	for _, tt := range tests {
		got := Resize(tt.g, tt.w, tt.h)
		if got.Bounds().Size() != image.Pt(tt.w, tt.h) || string(got.Pix) != string(tt.want) {
			t.Errorf("%s: Resize = %v %v, want %v", tt.name, got.Bounds(), got.Pix, tt.want)
		}
	}
}

func TestThresholdAndInk(t *testing.T) {
	g := grid(10, 10, func(int, int) uint8 { return 230 })
	draw.Draw(g, image.Rect(2, 3, 5, 8), image.NewUniform(color.Gray{20}), image.Point{}, draw.Src)
	if th := Threshold(g); th <= 20 || th > 230 {
		t.Fatalf("Threshold = %d, want between ink (20) and paper (230)", th)
	}
	if got, n := Ink(g, Threshold(g)); got != image.Rect(2, 3, 5, 8) || n != 15 {
		t.Errorf("Ink = %v, %d pixels", got, n)
	}
	if got, n := Ink(grid(5, 5, func(int, int) uint8 { return 255 }), 128); !got.Empty() || n != 0 {
		t.Errorf("Ink of a blank picture = %v, %d pixels", got, n)
	}
}

func TestTextHeight(t *testing.T) {
	// Lines of characters 30 pixels high, 20 apart, broken into words.
	text := grid(600, 300, func(x, y int) uint8 {
		if y%50 < 30 && x%40 < 30 {
			return 0
		}
		return 255
	})
	speck := grid(600, 300, func(x, y int) uint8 {
		if x == 5 && y%20 == 0 {
			return 0
		}
		return 255
	})
	tests := []struct {
		name string
		g    *image.Gray
		want int
	}{
		{"lines of text", text, 30},
		{"specks of noise", speck, 0},
		{"blank", grid(100, 100, func(int, int) uint8 { return 255 }), 0},
	}
	for _, tt := range tests {
		if got := TextHeight(tt.g, 128); got != tt.want {
			t.Errorf("%s: TextHeight = %d, want %d", tt.name, got, tt.want)
		}
	}
}
