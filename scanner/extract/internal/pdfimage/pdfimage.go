// Package pdfimage decodes the image of a PDF image XObject or inline image
// from its raw stream bytes, so that its text can be read by OCR. It knows
// no PDF parser: the caller fills Params from the image's dictionary.
//
// It decodes the standard filters (ASCIIHexDecode, ASCII85Decode,
// FlateDecode and LZWDecode with their predictors, RunLengthDecode,
// DCTDecode, CCITTFaxDecode Group 4 and Group 3 one-dimensional) and says
// ErrUnsupported for the others (JBIG2Decode, JPXDecode). Whatever the
// bytes, it allocates no more than the image needs and never panics.
package pdfimage

import (
	"bytes"
	"errors"
	"image"
	"io"
	"math"
)

// Space is the family of an image's color space, resolved by the caller.
type Space uint8

// The color space families. Calibrated and ICC-based spaces are read as
// the device space with as many components: OCR needs no color accuracy.
const (
	// Unknown is no color space: right for an image mask, and for a JPEG,
	// whose own components then say.
	Unknown Space = iota
	// Gray is DeviceGray, CalGray, ICCBased with N 1.
	Gray
	// RGB is DeviceRGB, CalRGB, ICCBased with N 3.
	RGB
	// CMYK is DeviceCMYK, ICCBased with N 4.
	CMYK
	// Lab is Lab, read as gray from its L* component.
	Lab
	// Tint is Separation (N 1) and DeviceN: read as gray, the darker the
	// more ink of any colorant, without running the tint transform.
	Tint
	// Indexed is Indexed: each sample indexes Lookup, colors of Base.
	Indexed
)

// ColorSpace is an image's color space.
type ColorSpace struct {
	Space Space
	// N is the number of colorants of a Tint space (1 for Separation).
	N int
	// Base is the space of an Indexed space's colors (not Indexed).
	Base *ColorSpace
	// Lookup is an Indexed space's table: one color of Base's components,
	// a byte each, per index from 0 to hival. An index past its end reads
	// as its last color.
	Lookup []byte
}

// maxColorants bounds a DeviceN space's colorants (the PDF's own limit).
const maxColorants = 32

// components is how many components a sample of s has, 0 when s is not
// one the package decodes.
func (s ColorSpace) components() int {
	switch s.Space {
	case Gray, Indexed:
		return 1
	case RGB, Lab:
		return 3
	case CMYK:
		return 4
	case Tint:
		if s.N >= 1 && s.N <= maxColorants {
			return s.N
		}
	}
	return 0
}

// Filter is one filter of an image's /Filter chain with its /DecodeParms.
// A zero field is the entry's PDF default, except where it says.
type Filter struct {
	// Name is the filter's name, in full or abbreviated as inline images
	// write it (FlateDecode or Fl).
	Name string

	// Predictor, Colors, BitsPerComponent and Columns are FlateDecode's
	// and LZWDecode's (defaults 1, 1, 8 and 1). Columns is also
	// CCITTFaxDecode's, where 0 means the image's width.
	Predictor, Colors, BitsPerComponent, Columns int
	// NoEarlyChange is LZWDecode's /EarlyChange 0 (the default is 1).
	NoEarlyChange bool

	// K, Rows, EncodedByteAlign and BlackIs1 are CCITTFaxDecode's; Rows 0
	// means the image's height.
	K, Rows                    int
	EncodedByteAlign, BlackIs1 bool
}

// Params is what the image's dictionary says of its samples.
type Params struct {
	Width, Height int
	// BitsPerComponent is 1, 2, 4, 8 or 16; 0 is 1 for a mask, else 8.
	BitsPerComponent int
	ColorSpace       ColorSpace
	// ImageMask is a stencil mask: 1-bit samples, painted (black) where a
	// sample is 0, or 1 with Decode [1 0].
	ImageMask bool
	// Decode is the /Decode array; nil (or one of the wrong length) is the
	// color space's default.
	Decode []float64
	// Filters is the /Filter chain, first applied first.
	Filters []Filter
}

// The kinds of error Decode returns, for errors.Is. The message of the
// error itself is a clause of ours, fit to say why a picture was not read
// ("its JBIG2Decode compression is not decoded"); it quotes nothing of the
// file.
var (
	// ErrUnsupported is a filter, predictor or color space not decoded.
	ErrUnsupported = errors.New("pdfimage: unsupported")
	// ErrTooLarge is an image over the caller's pixel bound.
	ErrTooLarge = errors.New("pdfimage: oversized")
	// ErrInvalid is an image whose data or parameters could not be decoded
	// at all.
	ErrInvalid = errors.New("pdfimage: invalid")
	// ErrTruncated comes with an image: its data ended early or went bad
	// part way, and the rows it did not give are white.
	ErrTruncated = errors.New("pdfimage: truncated")
)

// decodeError is an error of one of the kinds above with our clause.
type decodeError struct {
	kind error
	why  string
}

func (e *decodeError) Error() string { return e.why }
func (e *decodeError) Unwrap() error { return e.kind }

// errorf returns an error of kind saying why.
func errorf(kind error, why string) error { return &decodeError{kind, why} }

var (
	errTruncated = errorf(ErrTruncated, "its data is cut short")
	errCorrupt   = errorf(ErrInvalid, "its data could not be decoded")
	errParams    = errorf(ErrInvalid, "its size or sample depth is not valid")
	errSpace     = errorf(ErrUnsupported, "its color space is not decoded")
)

// Decode decodes an image from raw, its stream's bytes before any filter.
// The image is an *image.Gray for masks and gray spaces (Gray, Lab, Tint,
// Indexed over those), an *image.RGBA otherwise; it has the image's pixels,
// or the JPEG's or CCITT data's own when they differ. An image of more than
// maxPixels pixels is ErrTooLarge. When the data ends early or goes bad
// part way, Decode returns the rows it read, the rest white, with an error
// of kind ErrTruncated; with any other error the image is nil.
func Decode(p Params, raw []byte, maxPixels int) (image.Image, error) {
	s, err := newSamples(p, maxPixels)
	if err != nil {
		return nil, err
	}
	src := io.Reader(bytes.NewReader(raw))
	filters := p.Filters
	var last string
	if n := len(filters); n > 0 {
		last = canonical(filters[n-1].Name)
		if imageFilter(last) {
			filters = filters[:n-1]
		} else {
			last = ""
		}
	}
	// Every filter before the last is bounded by what an image this size
	// could need from it, so that a bomb inflates no more.
	bound := s.need*2 + 1<<20
	for _, f := range filters {
		if src, err = streamFilter(f, src); err != nil {
			return nil, err
		}
		src = io.LimitReader(src, bound)
	}
	switch last {
	case "DCTDecode":
		if s, src, err = dct(s, src, bound, maxPixels); err != nil {
			return nil, err
		}
	case "CCITTFaxDecode":
		if s, src, err = ccittFax(s, p.Filters[len(p.Filters)-1], src, maxPixels); err != nil {
			return nil, err
		}
	case "JBIG2Decode", "JPXDecode":
		return nil, errorf(ErrUnsupported, "its "+last+" compression is not decoded")
	}
	return s.read(src)
}

// canonical returns the full name of a standard filter, abbreviated or
// not, and "" for any other name (never repeated: it is the file's).
func canonical(name string) string {
	switch name {
	case "ASCIIHexDecode", "AHx":
		return "ASCIIHexDecode"
	case "ASCII85Decode", "A85":
		return "ASCII85Decode"
	case "LZWDecode", "LZW":
		return "LZWDecode"
	case "FlateDecode", "Fl":
		return "FlateDecode"
	case "RunLengthDecode", "RL":
		return "RunLengthDecode"
	case "CCITTFaxDecode", "CCF":
		return "CCITTFaxDecode"
	case "DCTDecode", "DCT":
		return "DCTDecode"
	case "JBIG2Decode", "JPXDecode":
		return name
	}
	return ""
}

// imageFilter reports whether name (canonical) decodes to pixels of its
// own geometry rather than to a byte stream; such a filter must be last.
func imageFilter(name string) bool {
	switch name {
	case "CCITTFaxDecode", "DCTDecode", "JBIG2Decode", "JPXDecode":
		return true
	}
	return false
}

// samples is the geometry of an image's decoded samples and how they map
// to pixels.
type samples struct {
	width, height int
	bpc, comps    int
	space         ColorSpace
	decode        []float64
	// need is the bytes of all the rows.
	need int64
}

// newSamples checks p and returns its samples' geometry.
func newSamples(p Params, maxPixels int) (*samples, error) {
	s := &samples{width: p.Width, height: p.Height, bpc: p.BitsPerComponent, space: p.ColorSpace, decode: p.Decode}
	if p.ImageMask {
		// A mask paints black where its Decode maps a sample to 0: it
		// is a 1-bit gray image.
		s.space, s.bpc = ColorSpace{Space: Gray}, 1
	}
	if s.bpc == 0 {
		s.bpc = 8
	}
	if s.comps = s.space.components(); s.comps == 0 {
		// A space not decoded (or none) may still be a JPEG's, whose
		// own components then say; raw samples in it are not decoded.
		s.space, s.comps = ColorSpace{}, 1
	}
	if err := s.check(maxPixels); err != nil {
		return nil, err
	}
	return s, nil
}

// check validates the geometry and computes need.
func (s *samples) check(maxPixels int) error {
	switch s.bpc {
	case 1, 2, 4, 8, 16:
	default:
		return errParams
	}
	if s.width <= 0 || s.height <= 0 {
		return errParams
	}
	if int64(s.width)*int64(s.height) > int64(maxPixels) {
		return errorf(ErrTooLarge, "it has more pixels than the limit")
	}
	if s.space.Space == Indexed {
		if s.bpc > 8 {
			return errParams
		}
		if b := s.space.Base; b == nil || b.Space == Indexed || b.components() == 0 || len(s.space.Lookup) < b.components() {
			return errSpace
		}
	}
	s.need = s.rowBytes() * int64(s.height)
	return nil
}

// rowBytes is the bytes of one row of samples.
func (s *samples) rowBytes() int64 {
	return (int64(s.width)*int64(s.comps)*int64(s.bpc) + 7) / 8
}

// read decodes the rows of samples from src into the image.
func (s *samples) read(src io.Reader) (image.Image, error) {
	if s.space.Space == Unknown {
		return nil, errSpace
	}
	c := newConverter(s)
	img, pix, stride := c.newImage()
	row := make([]byte, s.rowBytes())
	y := 0
	for ; y < s.height; y++ {
		if _, err := io.ReadFull(src, row); err != nil {
			break
		}
		c.row(pix[y*stride:(y+1)*stride], row)
	}
	switch {
	case y == s.height:
		return img, nil
	case y == 0:
		return nil, errCorrupt
	}
	return img, errTruncated
}

// decodeRange returns the Decode range of component i: the array's when
// it is valid, else the default [lo, hi].
func (s *samples) decodeRange(i int, lo, hi float64) (float64, float64) {
	if len(s.decode) != 2*s.comps {
		return lo, hi
	}
	a, b := s.decode[2*i], s.decode[2*i+1]
	if math.IsNaN(a) || math.IsInf(a, 0) || math.IsNaN(b) || math.IsInf(b, 0) {
		return lo, hi
	}
	return a, b
}
