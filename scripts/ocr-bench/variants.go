package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"

	"golang.org/x/image/draw"
	"golang.org/x/image/math/f64"
)

// variant is one way a page reaches baomi: it makes the file (PNG, JPEG,
// TIFF) from the 300 dpi page; the engine reads that file decoded, so it
// sees what a scan of that kind holds.
type variant struct {
	name string
	ext  string
	make func(p *image.Gray, rng *rand.Rand, tmp string) ([]byte, error)
}

var variants = []variant{
	{"clean", "png", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodePNG(p) }},
	{"noise", "png", func(p *image.Gray, rng *rand.Rand, _ string) ([]byte, error) {
		return encodePNG(noisy(p, rng, 20, 0.01))
	}},
	{"skew", "png", func(p *image.Gray, rng *rand.Rand, _ string) ([]byte, error) {
		// 1 to 2 degrees, either way.
		deg := 1 + rng.Float64()
		if rng.IntN(2) == 0 {
			deg = -deg
		}
		return encodePNG(rotate(p, deg))
	}},
	{"jpeg80", "jpg", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodeJPEG(p, 80) }},
	{"jpeg60", "jpg", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodeJPEG(p, 60) }},
	{"g4", "tif", func(p *image.Gray, _ *rand.Rand, tmp string) ([]byte, error) { return g4TIFF(p, tmp) }},
	{"photo", "jpg", func(p *image.Gray, rng *rand.Rand, _ string) ([]byte, error) { return encodeJPEG(photo(p, rng), 70) }},
	{"dpi200", "png", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodePNG(scale(p, 200.0/dpi)) }},
	{"dpi150", "png", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodePNG(scale(p, 150.0/dpi)) }},
	{"rot90", "png", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodePNG(turn(p, 90)) }},
	{"rot180", "png", func(p *image.Gray, _ *rand.Rand, _ string) ([]byte, error) { return encodePNG(turn(p, 180)) }},
}

func encodePNG(im image.Image) ([]byte, error) {
	var b bytes.Buffer
	err := png.Encode(&b, im)
	return b.Bytes(), err
}

func encodeJPEG(im image.Image, q int) ([]byte, error) {
	var b bytes.Buffer
	err := jpeg.Encode(&b, im, &jpeg.Options{Quality: q})
	return b.Bytes(), err
}

func clamp(v float64) uint8 { return uint8(math.Round(max(0, min(255, v)))) }

// noisy adds Gaussian noise of deviation sigma and salt and pepper on a
// share sp of the pixels.
func noisy(p *image.Gray, rng *rand.Rand, sigma, sp float64) *image.Gray {
	out := image.NewGray(p.Rect)
	for i, v := range p.Pix {
		switch r := rng.Float64(); {
		case r < sp/2:
			out.Pix[i] = 0
		case r < sp:
			out.Pix[i] = 255
		default:
			out.Pix[i] = clamp(float64(v) + rng.NormFloat64()*sigma)
		}
	}
	return out
}

// rotate turns p by deg degrees (clockwise) about its centre, on white.
func rotate(p *image.Gray, deg float64) *image.Gray {
	out := image.NewGray(p.Rect)
	draw.Draw(out, out.Rect, image.White, image.Point{}, draw.Src)
	s, c := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(p.Rect.Dx())/2, float64(p.Rect.Dy())/2
	m := f64.Aff3{c, -s, cx - c*cx + s*cy, s, c, cy - s*cx - c*cy}
	draw.BiLinear.Transform(out, m, p, p.Rect, draw.Over, nil)
	return out
}

// scale resamples p by f, as a scanner set to a lower resolution would.
func scale(p *image.Gray, f float64) *image.Gray {
	out := image.NewGray(image.Rect(0, 0, int(float64(p.Rect.Dx())*f), int(float64(p.Rect.Dy())*f)))
	draw.CatmullRom.Scale(out, out.Rect, p, p.Rect, draw.Src, nil)
	return out
}

// turn turns p clockwise by 90 or 180 degrees exactly: a page fed into the
// scanner sideways or upside down.
func turn(p *image.Gray, deg int) *image.Gray {
	w, h := p.Rect.Dx(), p.Rect.Dy()
	if deg == 180 {
		out := image.NewGray(p.Rect)
		for i, v := range p.Pix {
			out.Pix[len(out.Pix)-1-i] = v
		}
		return out
	}
	out := image.NewGray(image.Rect(0, 0, h, w))
	for y := range h {
		for x := range w {
			out.Pix[x*h+(h-1-y)] = p.Pix[y*w+x]
		}
	}
	return out
}

// photo makes p look like a phone's picture of the printed page: the page
// a little smaller than the frame on a darker desk, seen slightly from the
// side (a perspective) and turned a few degrees, light falling off towards
// one corner, a warm tint, out of focus, sensor noise.
func photo(p *image.Gray, rng *rand.Rand) *image.RGBA {
	w, h := float64(p.Rect.Dx()), float64(p.Rect.Dy())
	deg := 2 + 2*rng.Float64()
	if rng.IntN(2) == 0 {
		deg = -deg
	}
	s, c := math.Sincos(deg * math.Pi / 180)
	const zoom = 1.08 // the frame is this much larger than the page
	// k tilts the page: its top edge further from the camera.
	k := 4e-5 * (0.5 + rng.Float64())
	gray := image.NewGray(p.Rect)
	for y := range p.Rect.Dy() {
		for x := range p.Rect.Dx() {
			// Frame point, centred, to page point: undo the tilt, the turn
			// and the zoom.
			u, v := float64(x)-w/2, float64(y)-h/2
			d := 1 - k*v
			u, v = u/d, v/d
			u, v = c*u+s*v, -s*u+c*v
			u, v = u*zoom+w/2, v*zoom+h/2
			gray.Pix[y*gray.Stride+x] = sample(p, u, v, 70)
		}
	}
	blurred := boxBlur(boxBlur(gray))
	out := image.NewRGBA(p.Rect)
	for y := range p.Rect.Dy() {
		for x := range p.Rect.Dx() {
			// Light from the top left: 100 % there, 62 % at the far corner.
			l := 1 - 0.38*math.Hypot(float64(x)/w, float64(y)/h)/math.Sqrt2
			v := float64(blurred.Pix[y*blurred.Stride+x])*l + rng.NormFloat64()*5
			out.SetRGBA(x, y, color.RGBA{clamp(v), clamp(v * 0.96), clamp(v * 0.86), 255})
		}
	}
	return out
}

// sample reads p at (x, y) bilinearly, bg outside it.
func sample(p *image.Gray, x, y float64, bg uint8) uint8 {
	x0, y0 := int(math.Floor(x)), int(math.Floor(y))
	if x0 < 0 || y0 < 0 || x0+1 >= p.Rect.Dx() || y0+1 >= p.Rect.Dy() {
		return bg
	}
	fx, fy := x-float64(x0), y-float64(y0)
	at := func(x, y int) float64 { return float64(p.Pix[y*p.Stride+x]) }
	top := at(x0, y0)*(1-fx) + at(x0+1, y0)*fx
	bot := at(x0, y0+1)*(1-fx) + at(x0+1, y0+1)*fx
	return clamp(top*(1-fy) + bot*fy)
}

// boxBlur averages each pixel with its eight neighbours; twice is close to
// a Gaussian blur of about 1.2 pixels.
func boxBlur(p *image.Gray) *image.Gray {
	out := image.NewGray(p.Rect)
	copy(out.Pix, p.Pix)
	w, h := p.Rect.Dx(), p.Rect.Dy()
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			sum := 0
			for dy := -1; dy <= 1; dy++ {
				i := (y+dy)*p.Stride + x
				sum += int(p.Pix[i-1]) + int(p.Pix[i]) + int(p.Pix[i+1])
			}
			out.Pix[y*out.Stride+x] = uint8(sum / 9)
		}
	}
	return out
}

// bilevel thresholds p at half grey, as a scanner in black-and-white mode.
func bilevel(p *image.Gray) *image.Gray {
	out := image.NewGray(p.Rect)
	for i, v := range p.Pix {
		if v >= 128 {
			out.Pix[i] = 255
		}
	}
	return out
}

// g4TIFF makes a 1-bit TIFF of p compressed with CCITT Group 4, in one
// strip (so that the strip is also a PDF's CCITTFaxDecode stream), with
// ImageMagick.
func g4TIFF(p *image.Gray, tmp string) ([]byte, error) {
	in, out := filepath.Join(tmp, "g4.png"), filepath.Join(tmp, "g4.tif")
	b, err := encodePNG(bilevel(p))
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(in, b, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command("convert", in, "-type", "bilevel", "-compress", "Group4",
		"-define", fmt.Sprintf("tiff:rows-per-strip=%d", p.Rect.Dy()), out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("convert: %v: %s", err, msg)
	}
	return os.ReadFile(out)
}
