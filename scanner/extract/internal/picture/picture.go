// Package picture decodes the bytes of a picture (a picture file, a
// picture stored inside a document) into images for OCR: PNG, JPEG, GIF,
// BMP, WebP and TIFF with all its pages. It names the picture formats it
// does not decode (EMF, SVG, HEIF …) so that the reader can say why a
// picture was not read. Every page's size is read from its header first: a
// page over the pixel bound costs nothing to refuse.
package picture

import (
	"bytes"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
	"golang.org/x/image/webp"
)

// Problem is why a page was not decoded.
type Problem uint8

const (
	// Damaged: its bytes are not a valid picture of its format, or not a
	// picture format known here at all (Format is then "").
	Damaged Problem = iota + 1
	// NotDecoded: a picture format this package does not decode.
	NotDecoded
	// Unsupported: a kind of a decoded format the decoder does not handle
	// (a 12-bit JPEG, a BigTIFF, an OS/2 BMP).
	Unsupported
	// TooLarge: more pixels than the bound.
	TooLarge
)

// Error says why a page was not decoded. It holds no byte of the picture.
type Error struct {
	Problem Problem
	// Format is the picture's format ("PNG", "EMF"), "" when it is none
	// known here.
	Format string
	// Width and Height are the page's size in pixels when it is TooLarge.
	Width, Height int
}

func (e *Error) Error() string {
	switch e.Problem {
	case NotDecoded:
		return "picture: " + e.Format + " is not decoded"
	case Unsupported:
		return "picture: this kind of " + e.Format + " is not decoded"
	case TooLarge:
		return fmt.Sprintf("picture: %s of %d×%d pixels is too large", e.Format, e.Width, e.Height)
	}
	if e.Format == "" {
		return "picture: not a picture format known here"
	}
	return "picture: damaged " + e.Format
}

// Page is one page of a picture: its image, or the reason it has none.
type Page struct {
	// Index is the page's place, from 0.
	Index int
	// Count is how many pages the picture has, as far as its structure
	// could be read: 1 for all formats but TIFF.
	Count int
	// Image is the decoded page, its orientation (EXIF, TIFF) applied;
	// nil when Err is set.
	Image image.Image
	Err   *Error
}

// Pages calls f with each page of the picture in data, in order: decoded,
// or with the reason it was not. A page over maxPixels (width × height) is
// refused from its header, before any pixel is decoded; maxPixels <= 0
// bounds nothing. Pages returns what f returns, and stops there; it never
// fails by itself: a picture that cannot be decoded at all is one page
// with its Err.
func Pages(data []byte, maxPixels int, f func(Page) error) error {
	name := Format(data)
	c, ok := codecs[name]
	if !ok {
		problem := NotDecoded
		if name == "" {
			problem = Damaged
		}
		return f(Page{Count: 1, Err: &Error{Problem: problem, Format: name}})
	}
	if name == formatTIFF {
		return tiffPages(data, maxPixels, f)
	}
	img, err := decode(c, bytes.NewReader(data), maxPixels)
	if err == nil && name == formatJPEG {
		img = orient(img, jpegOrientation(data))
	}
	if err != nil {
		err.Format = name
		return f(Page{Count: 1, Err: err})
	}
	return f(Page{Count: 1, Image: img})
}

// codec is the decoder of one format.
type codec struct {
	config func(io.Reader) (image.Config, error)
	decode func(io.Reader) (image.Image, error)
	// unsupported reports whether err says the decoder does not handle
	// this kind of the format (rather than that the bytes are damaged).
	unsupported func(err error) bool
}

// Format names of the formats decoded.
const (
	formatPNG  = "PNG"
	formatJPEG = "JPEG"
	formatGIF  = "GIF"
	formatBMP  = "BMP"
	formatWebP = "WebP"
	formatTIFF = "TIFF"
)

var codecs = map[string]codec{
	formatPNG: {png.DecodeConfig, png.Decode, func(err error) bool {
		_, ok := err.(png.UnsupportedError)
		return ok
	}},
	formatJPEG: {jpeg.DecodeConfig, jpeg.Decode, func(err error) bool {
		_, ok := err.(jpeg.UnsupportedError)
		return ok
	}},
	// gif.Decode reads the first frame only.
	formatGIF:  {gif.DecodeConfig, gif.Decode, func(error) bool { return false }},
	formatBMP:  {decodeBMPConfig, decodeBMP, func(err error) bool { return err == bmp.ErrUnsupported }},
	formatWebP: {webp.DecodeConfig, webp.Decode, func(error) bool { return false }},
	formatTIFF: {tiff.DecodeConfig, tiff.Decode, func(err error) bool {
		_, ok := err.(tiff.UnsupportedError)
		return ok
	}},
}

// decode reads the size of the picture r holds, refuses it over maxPixels,
// then decodes it. A decoder's panic is taken for damage (the last guard:
// none is known).
func decode(c codec, r io.ReadSeeker, maxPixels int) (img image.Image, perr *Error) {
	defer func() {
		if recover() != nil {
			img, perr = nil, &Error{Problem: Damaged}
		}
	}()
	fail := func(err error) *Error {
		if c.unsupported(err) {
			return &Error{Problem: Unsupported}
		}
		return &Error{Problem: Damaged}
	}
	cfg, err := c.config(r)
	if err != nil {
		return nil, fail(err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, &Error{Problem: Damaged}
	}
	if maxPixels > 0 && cfg.Width > maxPixels/cfg.Height {
		return nil, &Error{Problem: TooLarge, Width: cfg.Width, Height: cfg.Height}
	}
	if _, err := r.Seek(0, io.SeekStart); err != nil {
		return nil, fail(err)
	}
	if img, err = c.decode(r); err != nil {
		return nil, fail(err)
	}
	return img, nil
}
