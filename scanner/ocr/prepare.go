package ocr

import (
	"fmt"
	"image"
	"image/draw"

	"github.com/baomi/baomi/scanner/ocr/internal/raster"
)

// Bounds on the pictures an engine reads, so that its memory and time stay
// bounded whatever a document holds.
const (
	// MaxPixels is the largest picture read: a 600 dpi A3 scan has 70
	// million pixels. A larger one is refused with an error (the picture
	// is then unread, its file review), never read at the cost of memory.
	MaxPixels = 100_000_000
	// MaxSide is the longest side of the picture Tesseract gets: larger
	// ones are scaled down to it (an A4 page at 300 dpi is 3508 pixels
	// high).
	MaxSide = 4000
)

// Characters are scaled to be about textHeight pixels high (Chinese at
// 12 pt and 300 dpi) when they are smaller than minHeight or larger than
// maxHeight: Tesseract reads small text badly (a screenshot at 96 dpi lost
// 10 to 40% of its characters) and huge text worse. Scaling up is bounded
// by maxUp, scaling down by maxDown.
const (
	textHeight = 45
	minHeight  = 24
	maxHeight  = 80
	maxUp      = 4
	maxDown    = 0.5
	// border is the white margin left around the ink: Tesseract misses
	// characters that touch the edge.
	border = 32
	// inkPerChar is the share of a character's square its ink covers, in
	// Chinese (measured on Noto Sans CJK: 0.29).
	inkPerChar = 0.3
	// maxInk is the lightest grey that may count as ink, whatever the
	// histogram says: on a blank page Otsu's threshold splits the paper's
	// noise.
	maxInk = 160
)

// frame maps pixels of a prepared picture back to the picture as given.
type frame struct {
	// origin is where the prepared picture's (0, 0) is, scaled.
	origin image.Point
	// scale is prepared pixels per given pixel.
	scale float64
	// size is the picture as given.
	size image.Point
	// chars is about how many characters its ink makes if it is text (0
	// when it does not look like lines of text): a reading with far fewer
	// has missed most, as Tesseract does on a picture turned upside down.
	chars int
}

// back maps r, in the prepared picture, to the picture as given.
func (f frame) back(r image.Rectangle) image.Rectangle {
	at := func(p image.Point) image.Point {
		return image.Pt(int(float64(p.X+f.origin.X)/f.scale), int(float64(p.Y+f.origin.Y)/f.scale))
	}
	return image.Rectangle{Min: at(r.Min), Max: at(r.Max)}.Intersect(image.Rectangle{Max: f.size})
}

// prepare makes img what Tesseract reads best: grey, cropped to its ink
// with a white border, its characters scaled to about textHeight pixels
// and its longest side to at most MaxSide. It returns nil for a picture
// without ink (nothing to read), and an error for one over MaxPixels.
func prepare(img image.Image) (*image.Gray, frame, error) {
	size := img.Bounds().Size()
	f := frame{scale: 1, size: size}
	if size.X <= 0 || size.Y <= 0 {
		return nil, f, nil
	}
	if float64(size.X)*float64(size.Y) > MaxPixels {
		return nil, f, fmt.Errorf("picture of %dx%d pixels is over the limit of %d million", size.X, size.Y, MaxPixels/1_000_000)
	}
	g := raster.Gray(img)
	t := min(raster.Threshold(g), maxInk)
	ink, inked := raster.Ink(g, t)
	if ink.Empty() {
		return nil, f, nil
	}
	g = g.SubImage(ink).(*image.Gray)
	scale := 1.0
	h := raster.TextHeight(g, t)
	if h > 0 {
		f.chars = int(float64(inked) / (inkPerChar * float64(h*h)))
	}
	if h > 0 && h < minHeight {
		scale = min(float64(textHeight)/float64(h), maxUp)
	} else if h > maxHeight {
		scale = max(float64(textHeight)/float64(h), maxDown)
	}
	scale = min(scale, float64(MaxSide-2*border)/float64(max(ink.Dx(), ink.Dy())))
	if scale != 1 {
		g = raster.Resize(g, max(int(float64(ink.Dx())*scale), 1), max(int(float64(ink.Dy())*scale), 1))
	}
	out := image.NewGray(image.Rect(0, 0, g.Bounds().Dx()+2*border, g.Bounds().Dy()+2*border))
	draw.Draw(out, out.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(out, out.Bounds().Inset(border), g, g.Bounds().Min, draw.Src)
	f.scale = scale
	f.origin = image.Pt(int(float64(ink.Min.X)*scale)-border, int(float64(ink.Min.Y)*scale)-border)
	return out, f, nil
}
