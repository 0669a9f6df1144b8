package pdfimage

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"io"

	"golang.org/x/image/ccitt"
)

// dct decodes the JPEG read from src (at most bound bytes) and returns the
// samples it gives, in its own geometry, and their reader.
func dct(s *samples, src io.Reader, bound int64, maxPixels int) (*samples, io.Reader, error) {
	data, err := io.ReadAll(io.LimitReader(src, bound))
	if err != nil && len(data) == 0 {
		return nil, nil, errCorrupt
	}
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, nil, errCorrupt
	}
	// The JPEG's own size is what its decoder allocates: bound it before.
	js := *s
	js.width, js.height, js.bpc = cfg.Width, cfg.Height, 8
	if err := js.check(maxPixels); err != nil {
		return nil, nil, err
	}
	m, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil && !bytes.HasSuffix(data, []byte{0xff, 0xd9}) {
		// Some writers leave the end marker out; the data is complete.
		m, err = jpeg.Decode(io.MultiReader(bytes.NewReader(data), bytes.NewReader([]byte{0xff, 0xd9})))
	}
	if err != nil {
		return nil, nil, errCorrupt
	}
	rows, comps := jpegSamples(m)
	if comps == 0 {
		return nil, nil, errCorrupt
	}
	if js.space.components() != comps {
		// The color space does not fit the JPEG's components (or there
		// is none): the JPEG says.
		js.space = ColorSpace{Space: Gray}
		switch comps {
		case 3:
			js.space.Space = RGB
		case 4:
			js.space.Space = CMYK
		}
	}
	js.comps = comps
	if err := js.check(maxPixels); err != nil {
		return nil, nil, err
	}
	return &js, rows, nil
}

// jpegSamples returns a reader of the samples of a decoded JPEG,
// interleaved a byte per component, row by row as they are read (a copy
// of a large color picture would cost more than the picture), and how
// many components it has (0 for none it gives).
func jpegSamples(m image.Image) (io.Reader, int) {
	r := &jpegRows{m: m, b: m.Bounds()}
	switch m.(type) {
	case *image.Gray:
		r.comps = 1
	case *image.YCbCr, *image.RGBA:
		r.comps = 3
	case *image.CMYK:
		r.comps = 4
	default:
		return nil, 0
	}
	r.row = make([]byte, r.b.Dx()*r.comps)
	r.off = len(r.row)
	return r, r.comps
}

// jpegRows reads the rows of samples of a decoded JPEG.
type jpegRows struct {
	m     image.Image
	b     image.Rectangle
	comps int
	y     int    // the next row, from 0
	row   []byte // the current row
	off   int    // bytes of row read
}

func (r *jpegRows) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		if r.off == len(r.row) {
			if r.y == r.b.Dy() {
				return n, noEOF(n, io.EOF)
			}
			r.fill(r.b.Min.Y + r.y)
			r.y++
			r.off = 0
		}
		k := copy(p[n:], r.row[r.off:])
		n += k
		r.off += k
	}
	return n, nil
}

// fill makes row y of the picture the current row.
func (r *jpegRows) fill(y int) {
	row, b := r.row, r.b
	switch m := r.m.(type) {
	case *image.Gray:
		copy(row, m.Pix[m.PixOffset(b.Min.X, y):])
	case *image.YCbCr:
		for x := b.Min.X; x < b.Max.X; x++ {
			ci := m.COffset(x, y)
			i := 3 * (x - b.Min.X)
			row[i], row[i+1], row[i+2] = color.YCbCrToRGB(m.Y[m.YOffset(x, y)], m.Cb[ci], m.Cr[ci])
		}
	case *image.RGBA:
		pix := m.Pix[m.PixOffset(b.Min.X, y):]
		for i := 0; i < b.Dx(); i++ {
			copy(row[3*i:3*i+3], pix[4*i:4*i+3])
		}
	case *image.CMYK:
		// image/jpeg gives a 4-component JPEG (which it decodes only
		// with Adobe's APP14 marker) as ink, undoing Adobe's inversion
		// of the stored samples. A PDF's DCTDecode gives the stored
		// samples, and its writers pair Adobe's JPEGs with a Decode of
		// [1 0 1 0 1 0 1 0] that inverts them back: invert them here so
		// that the Decode array applies as in PDF readers.
		for i, v := range m.Pix[m.PixOffset(b.Min.X, y):][:len(row)] {
			row[i] = 255 - v
		}
	}
}

// ccittFax returns the samples CCITTFaxDecode f gives from src: 1-bit
// rows of the data's own width and height, 0 black unless BlackIs1.
func ccittFax(s *samples, f Filter, src io.Reader, maxPixels int) (*samples, io.Reader, error) {
	var sf ccitt.SubFormat
	switch {
	case f.K < 0:
		sf = ccitt.Group4
	case f.K == 0:
		sf = ccitt.Group3
	default:
		return nil, nil, errorf(ErrUnsupported, "its CCITT Group 3 two-dimensional compression is not decoded")
	}
	cs := *s
	if f.Columns > 0 {
		cs.width = f.Columns
	}
	if f.Rows > 0 {
		cs.height = f.Rows
	}
	cs.bpc = 1
	if cs.space.Space == Unknown {
		cs.space.Space = Gray
	}
	if cs.comps != 1 {
		return nil, nil, errSpace
	}
	if err := cs.check(maxPixels); err != nil {
		return nil, nil, err
	}
	opts := &ccitt.Options{Align: f.EncodedByteAlign, Invert: f.BlackIs1}
	return &cs, ccitt.NewReader(src, ccitt.MSB, sf, cs.width, cs.height, opts), nil
}
