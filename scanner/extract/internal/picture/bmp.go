package picture

import (
	"bytes"
	"encoding/binary"
	"errors"
	"image"
	"image/color"
	"io"
	"math/bits"

	"golang.org/x/image/bmp"
)

// golang.org/x/image/bmp reads uncompressed BMPs of 1, 4, 8, 24 and 32
// bits a pixel. GDI also writes 16-bit ones (5-5-5, or the masks of
// BI_BITFIELDS) and run-length compressed 8 and 4-bit ones (BI_RLE8,
// BI_RLE4), as charts and screenshots in Office files and metafiles are;
// those are decoded here.

// BMP compressions ([MS-WMF] 2.1.1.7).
const (
	biRGB       = 0
	biRLE8      = 1
	biRLE4      = 2
	biBitfields = 3
)

// errBMP is a BMP the fallback cannot read either: damaged.
var errBMP = errors.New("bmp: damaged")

// bmpHeader is what the fallback reads of a BMP's headers.
type bmpHeader struct {
	width, height int  // height is positive
	topDown       bool // rows from the top (a negative height)
	bpp           int
	compression   uint32
	masks         [3]uint32 // red, green, blue of a 16-bit picture
	palette       color.Palette
	offBits       int // where the pixels start
}

// readBMPHeader reads the file header and an info header of 40 bytes or
// more (BITMAPINFOHEADER to BITMAPV5HEADER) of b.
func readBMPHeader(b []byte) (bmpHeader, error) {
	le := binary.LittleEndian
	var h bmpHeader
	if len(b) < 14+4 || string(b[:2]) != "BM" {
		return h, errBMP
	}
	size := int(le.Uint32(b[14:]))
	switch {
	case size < 40:
		return h, bmp.ErrUnsupported // an OS/2 header
	case 14+size > len(b):
		return h, errBMP
	}
	w, ht := int32(le.Uint32(b[18:])), int32(le.Uint32(b[22:]))
	h.bpp, h.compression = int(le.Uint16(b[28:])), le.Uint32(b[30:])
	if w <= 0 || ht == 0 || ht == -1<<31 {
		return h, errBMP
	}
	h.width, h.height, h.topDown = int(w), int(ht), ht < 0
	if h.topDown {
		h.height = -h.height
	}
	h.offBits = int(le.Uint32(b[10:]))
	switch {
	case h.bpp == 16 && h.compression == biRGB:
		h.masks = [3]uint32{0x7C00, 0x03E0, 0x001F}
	case h.bpp == 16 && h.compression == biBitfields:
		// The masks follow a 40-byte header, or are its own fields in a
		// larger one: at the same place either way.
		if 14+40+12 > len(b) {
			return h, errBMP
		}
		h.masks = [3]uint32{le.Uint32(b[54:]), le.Uint32(b[58:]), le.Uint32(b[62:])}
	case h.bpp == 8 && h.compression == biRLE8, h.bpp == 4 && h.compression == biRLE4:
		if h.topDown {
			return h, errBMP // run-length pictures are bottom-up only
		}
		n := int(le.Uint32(b[46:]))
		if n == 0 || n > 1<<h.bpp {
			n = 1 << h.bpp
		}
		at := 14 + size
		if at+4*n > len(b) {
			return h, errBMP
		}
		for i := range n {
			p := b[at+4*i:]
			h.palette = append(h.palette, color.RGBA{p[2], p[1], p[0], 0xFF})
		}
	default:
		return h, bmp.ErrUnsupported
	}
	if h.offBits < 14+size || h.offBits > len(b) {
		return h, errBMP
	}
	return h, nil
}

// decodeBMPConfig is bmp.DecodeConfig, with the kinds decodeBMP adds.
func decodeBMPConfig(r io.Reader) (image.Config, error) {
	head := make([]byte, 14+124+4*256)
	n, _ := io.ReadFull(r, head)
	c, err := bmp.DecodeConfig(bytes.NewReader(head[:n]))
	if err != bmp.ErrUnsupported {
		return c, err
	}
	h, err := readBMPHeader(head[:n])
	if err != nil {
		return image.Config{}, err
	}
	return image.Config{ColorModel: color.RGBAModel, Width: h.width, Height: h.height}, nil
}

// decodeBMP is bmp.Decode, with the kinds it does not read decoded here.
func decodeBMP(r io.Reader) (image.Image, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	img, err := bmp.Decode(bytes.NewReader(data))
	if err != bmp.ErrUnsupported {
		return img, err
	}
	h, err := readBMPHeader(data)
	if err != nil {
		return nil, err
	}
	px := data[h.offBits:]
	if h.bpp == 16 {
		return h.decode16(px)
	}
	return h.decodeRLE(px)
}

// decode16 reads 16-bit pixels, each channel scaled from its mask to 8
// bits.
func (h bmpHeader) decode16(px []byte) (image.Image, error) {
	stride := (h.width*2 + 3) &^ 3
	if len(px) < stride*h.height {
		return nil, errBMP
	}
	img := image.NewRGBA(image.Rect(0, 0, h.width, h.height))
	for y := range h.height {
		row := px[stride*y:]
		dy := h.height - 1 - y
		if h.topDown {
			dy = y
		}
		for x := range h.width {
			v := uint32(binary.LittleEndian.Uint16(row[2*x:]))
			var c [3]uint8
			for i, m := range h.masks {
				c[i] = channel(v, m)
			}
			img.SetRGBA(x, dy, color.RGBA{c[0], c[1], c[2], 0xFF})
		}
	}
	return img, nil
}

// channel scales the bits of v under mask m to 0-255.
func channel(v, m uint32) uint8 {
	if m == 0 {
		return 0
	}
	n := bits.OnesCount32(m)
	c := (v & m) >> bits.TrailingZeros32(m)
	if n >= 8 {
		return uint8(c >> (n - 8))
	}
	return uint8(c * 255 / (1<<n - 1))
}

// decodeRLE reads BI_RLE8 or BI_RLE4 pixels: runs of one index (two
// alternating ones in RLE4) and escapes for the end of a line, the end of
// the picture, a move, and a literal run padded to a word. Pixels no run
// reaches are the palette's first colour, as GDI draws them.
func (h bmpHeader) decodeRLE(px []byte) (image.Image, error) {
	img := image.NewPaletted(image.Rect(0, 0, h.width, h.height), h.palette)
	x, y := 0, 0 // y counts rows from the bottom
	set := func(i uint8) {
		if x < h.width && y < h.height && int(i) < len(h.palette) {
			img.SetColorIndex(x, h.height-1-y, i)
		}
		x++
	}
	// nibble is the i-th index of a run's byte b: RLE4 holds two.
	nibble := func(b byte, i int) uint8 {
		if h.bpp == 8 {
			return b
		}
		if i%2 == 0 {
			return b >> 4
		}
		return b & 0x0F
	}
	for p := 0; ; {
		if p+2 > len(px) {
			return nil, errBMP // no end-of-picture escape
		}
		count, v := int(px[p]), px[p+1]
		p += 2
		switch {
		case count > 0:
			for i := range count {
				set(nibble(v, i))
			}
		case v == 0: // end of line
			x, y = 0, y+1
		case v == 1: // end of picture
			return img, nil
		case v == 2: // move
			if p+2 > len(px) {
				return nil, errBMP
			}
			x, y = x+int(px[p]), y+int(px[p+1])
			p += 2
		default: // v pixels as they are
			n := int(v)
			size := n
			if h.bpp == 4 {
				size = (n + 1) / 2
			}
			if p+size > len(px) {
				return nil, errBMP
			}
			for i := range n {
				b := px[p+i]
				if h.bpp == 4 {
					b = px[p+i/2]
				}
				set(nibble(b, i))
			}
			p += (size + 1) &^ 1
		}
		if y > h.height {
			return nil, errBMP
		}
	}
}
