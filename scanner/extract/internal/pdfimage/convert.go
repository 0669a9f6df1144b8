package pdfimage

import (
	"image"
	"math"
)

// converter turns rows of samples into rows of pixels.
type converter struct {
	s *samples
	// space is the family colors are made in: the image's, or its
	// Indexed space's base.
	space Space
	// gray is an image of gray pixels, else RGB.
	gray bool
	// lut maps a sample of each component (its high byte for 16 bits)
	// through Decode to 0–255 over the component's range; for Indexed it
	// gives the index.
	lut [][256]byte
	// pal is an Indexed space's colors: one byte each when gray, else
	// three (RGB).
	pal []byte
}

// newConverter returns the converter of s, whose space is known.
func newConverter(s *samples) *converter {
	c := &converter{s: s, space: s.space.Space, lut: make([][256]byte, s.comps)}
	bits := min(s.bpc, 8)
	levels := 1 << bits
	for i := range c.lut {
		lo, hi := 0.0, 1.0 // the component's range
		switch {
		case c.space == Lab && i == 0:
			hi = 100
		case c.space == Indexed:
			hi = float64(levels - 1)
		}
		dlo, dhi := s.decodeRange(i, lo, hi)
		for v := range levels {
			d := dlo + float64(v)*(dhi-dlo)/float64(levels-1)
			c.lut[i][v] = clamp(math.Round((d - lo) / (hi - lo) * 255))
		}
	}
	if c.space == Indexed {
		c.indexed()
	}
	switch c.space {
	case Gray, Lab, Tint:
		c.gray = true
	}
	return c
}

// indexed makes the palette of an Indexed space and its index table.
func (c *converter) indexed() {
	base := *c.s.space.Base
	n := base.components()
	entries := min(len(c.s.space.Lookup)/n, 256)
	levels := 1 << min(c.s.bpc, 8)
	// The lut gave the index scaled to 0–255 over 0..levels-1: undo the
	// scale, and keep the index within the table.
	for v := range 256 {
		idx := int(math.Round(float64(c.lut[0][v]) * float64(levels-1) / 255))
		c.lut[0][v] = byte(min(idx, entries-1))
	}
	c.space = base.Space
	px := make([]byte, n)
	for e := range entries {
		copy(px, c.s.space.Lookup[e*n:(e+1)*n])
		g, r, gr, b := toColor(base, px)
		if base.Space == RGB || base.Space == CMYK {
			c.pal = append(c.pal, r, gr, b)
		} else {
			c.pal = append(c.pal, g)
		}
	}
}

// clamp rounds v into a byte.
func clamp(v float64) byte {
	switch {
	case !(v > 0): // NaN too
		return 0
	case v > 255:
		return 255
	}
	return byte(v)
}

// toColor returns the gray or the RGB of components v (0–255 each over
// their range) in space s.
func toColor(s ColorSpace, v []byte) (gray, r, g, b byte) {
	switch s.Space {
	case Gray, Lab:
		return v[0], 0, 0, 0
	case Tint:
		// The most ink of any colorant makes the pixel that dark.
		m := byte(0)
		for _, t := range v {
			m = max(m, t)
		}
		return 255 - m, 0, 0, 0
	case RGB:
		return 0, v[0], v[1], v[2]
	case CMYK:
		k := 255 - int(v[3])
		return 0, byte((255 - int(v[0])) * k / 255), byte((255 - int(v[1])) * k / 255), byte((255 - int(v[2])) * k / 255)
	}
	return 0, 0, 0, 0
}

// newImage returns a white image of the samples' size, its pixels and
// their stride.
func (c *converter) newImage() (image.Image, []byte, int) {
	r := image.Rect(0, 0, c.s.width, c.s.height)
	if c.gray {
		m := image.NewGray(r)
		fill(m.Pix)
		return m, m.Pix, m.Stride
	}
	m := image.NewRGBA(r)
	fill(m.Pix)
	return m, m.Pix, m.Stride
}

func fill(p []byte) {
	for i := range p {
		p[i] = 0xff
	}
}

// row converts one row of samples into dst, a row of the image's pixels.
func (c *converter) row(dst, src []byte) {
	s := c.s
	at := func(i int) byte {
		switch s.bpc {
		case 8:
			return src[i]
		case 16:
			return src[2*i]
		}
		return sample(src, i, s.bpc)
	}
	if s.space.Space == Indexed {
		if c.gray {
			for x := range s.width {
				dst[x] = c.pal[c.lut[0][at(x)]]
			}
			return
		}
		for x := range s.width {
			p := c.pal[3*int(c.lut[0][at(x)]):]
			dst[4*x], dst[4*x+1], dst[4*x+2] = p[0], p[1], p[2]
		}
		return
	}
	if c.space == Gray {
		for x := range s.width {
			dst[x] = c.lut[0][at(x)]
		}
		return
	}
	n := s.comps
	v := make([]byte, n)
	for x := range s.width {
		for i := range n {
			v[i] = c.lut[i][at(x*n+i)]
		}
		g, r, gr, b := toColor(s.space, v)
		if c.gray {
			dst[x] = g
		} else {
			dst[4*x], dst[4*x+1], dst[4*x+2] = r, gr, b
		}
	}
}
