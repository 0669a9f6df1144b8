// Package ocrtest makes pictures of text for tests of OCR: lines of Chinese
// rendered in Noto Sans CJK, the size a page scanned at 300 dpi has them.
// Tests that use it skip when the font is not installed (ErrNoFont).
package ocrtest

import (
	"errors"
	"fmt"
	"image"
	"image/draw"
	"os"
	"sync"

	"github.com/baomi/baomi/scanner/ocr/internal/raster"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Body is the size in pixels of body text (五号, 10.5 pt) at 300 dpi.
const Body = 44

// ErrNoFont is returned when no Noto Sans CJK font is installed
// (Debian: fonts-noto-cjk).
var ErrNoFont = errors.New("ocrtest: Noto Sans CJK is not installed")

// fontPaths are where distributions install Noto Sans CJK.
var fontPaths = []string{
	"/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
	"/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
}

var (
	loadOnce sync.Once
	cjk      *sfnt.Font
	loadErr  error
)

// load parses the Simplified Chinese font of the collection, once.
func load() (*sfnt.Font, error) {
	loadOnce.Do(func() {
		loadErr = ErrNoFont
		for _, p := range fontPaths {
			b, err := os.ReadFile(p)
			if err != nil {
				continue
			}
			c, err := sfnt.ParseCollection(b)
			if err != nil {
				loadErr = fmt.Errorf("ocrtest: %s: %w", p, err)
				return
			}
			for i := range c.NumFonts() {
				f, err := c.Font(i)
				if err != nil {
					continue
				}
				if name, _ := f.Name(nil, sfnt.NameIDFamily); name == "Noto Sans CJK SC" {
					cjk, loadErr = f, nil
					return
				}
			}
		}
	})
	return cjk, loadErr
}

// Render draws lines, black on white, with characters px pixels high
// (Body for body text at 300 dpi), each line 1.5 px below the previous,
// with a margin of 2 px all round. The picture is as wide as the longest
// line needs.
func Render(lines []string, px int) (*image.Gray, error) {
	f, err := load()
	if err != nil {
		return nil, err
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: float64(px), DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, err
	}
	defer face.Close()
	d := &font.Drawer{Src: image.Black, Face: face}
	width := 0
	for _, l := range lines {
		width = max(width, d.MeasureString(l).Ceil())
	}
	margin, step := 2*px, px*3/2
	img := image.NewGray(image.Rect(0, 0, width+2*margin, 2*margin+step*len(lines)))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	d.Dst = img
	for i, l := range lines {
		d.Dot = fixed.P(margin, margin+step*i+px)
		d.DrawString(l)
	}
	return img, nil
}

// Turn returns g turned deg degrees clockwise (0, 90, 180 or 270), as a
// page scanned sideways or upside down is.
func Turn(g *image.Gray, deg int) *image.Gray { return raster.Turn(g, deg) }
