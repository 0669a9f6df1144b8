package pdfimage

import (
	"bufio"
	"compress/flate"
	"compress/lzw"
	"compress/zlib"
	"encoding/ascii85"
	"errors"
	"io"

	tifflzw "golang.org/x/image/tiff/lzw"
)

// errData is a filter's own failure; Decode turns it into a truncation or,
// before the first row, ErrInvalid.
var errData = errors.New("pdfimage: corrupt")

// streamFilter returns src decoded by f, a filter whose output is bytes.
// Each reader decodes only as much as is read from it.
func streamFilter(f Filter, src io.Reader) (io.Reader, error) {
	switch canonical(f.Name) {
	case "ASCIIHexDecode":
		return &hexReader{src: bufio.NewReader(src)}, nil
	case "ASCII85Decode":
		return ascii85.NewDecoder(&a85Reader{src: bufio.NewReader(src)}), nil
	case "RunLengthDecode":
		return &runLengthReader{src: bufio.NewReader(src)}, nil
	case "FlateDecode":
		return predict(f, inflate(src))
	case "LZWDecode":
		// PDF's default, EarlyChange 1, widens codes one code early as
		// TIFF does; EarlyChange 0 is GIF's (compress/lzw's) way.
		if f.NoEarlyChange {
			return predict(f, lzw.NewReader(src, lzw.MSB, 8))
		}
		return predict(f, tifflzw.NewReader(src, tifflzw.MSB, 8))
	case "":
		// The name is the file's: it is not repeated.
		return nil, errorf(ErrUnsupported, "its compression is not a standard PDF filter")
	}
	return nil, errorf(ErrUnsupported, "its filters are in an order that is not decoded")
}

// inflate returns a zlib stream's data, or a raw deflate stream's: some
// writers leave the zlib header out. A bad checksum at the end is not
// reached when the image is complete before it.
func inflate(src io.Reader) io.Reader {
	br := bufio.NewReader(src)
	if h, err := br.Peek(2); err == nil && h[0]&0x0f == 8 && h[0]>>4 <= 7 && h[1]&0x20 == 0 && (uint16(h[0])<<8|uint16(h[1]))%31 == 0 {
		if z, err := zlib.NewReader(br); err == nil {
			return z
		}
		return &errReader{errData}
	}
	return flate.NewReader(br)
}

// errReader fails every read with err.
type errReader struct{ err error }

func (r *errReader) Read([]byte) (int, error) { return 0, r.err }

// hexReader decodes ASCIIHexDecode: hex digit pairs, white space ignored,
// up to '>'; an odd last digit is followed by 0.
type hexReader struct {
	src  *bufio.Reader
	done bool
}

func (r *hexReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) && !r.done {
		var v [2]byte
		got := 0
		for got < 2 {
			c, err := r.src.ReadByte()
			if err != nil {
				if got == 0 {
					return n, noEOF(n, err)
				}
				r.done = true
				break
			}
			switch {
			case c >= '0' && c <= '9':
				v[got] = c - '0'
			case c >= 'a' && c <= 'f':
				v[got] = c - 'a' + 10
			case c >= 'A' && c <= 'F':
				v[got] = c - 'A' + 10
			case c == '>':
				r.done = true
				if got == 0 {
					return n, noEOF(n, io.EOF)
				}
				got = 2 // the odd digit ends the data
				continue
			case isSpace(c):
				continue
			default:
				return n, errData
			}
			got++
		}
		p[n] = v[0]<<4 | v[1]
		n++
	}
	if n == 0 {
		return 0, io.EOF
	}
	return n, nil
}

// noEOF returns err, but nil when n bytes were read before it: the caller
// gets them first and the error on its next read.
func noEOF(n int, err error) error {
	if n > 0 {
		return nil
	}
	return err
}

// isSpace reports whether c is PDF white space.
func isSpace(c byte) bool {
	switch c {
	case 0, '\t', '\n', '\f', '\r', ' ':
		return true
	}
	return false
}

// a85Reader gives encoding/ascii85 the data up to the '~' of ASCII85's
// "~>" end marker, which it does not know.
type a85Reader struct {
	src  *bufio.Reader
	done bool
}

func (r *a85Reader) Read(p []byte) (int, error) {
	if r.done {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) {
		c, err := r.src.ReadByte()
		if err != nil {
			return n, noEOF(n, err)
		}
		if c == '~' {
			r.done = true
			return n, noEOF(n, io.EOF)
		}
		p[n] = c
		n++
	}
	return n, nil
}

// runLengthReader decodes RunLengthDecode: a length byte L, then L+1
// bytes to copy (L < 128) or one byte to repeat 257-L times (L > 128);
// 128 ends the data.
type runLengthReader struct {
	src    *bufio.Reader
	copy   int  // bytes still to copy from src
	repeat int  // times still to give rep
	rep    byte // the byte repeated
	done   bool
}

func (r *runLengthReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		switch {
		case r.repeat > 0:
			k := min(r.repeat, len(p)-n)
			for i := range k {
				p[n+i] = r.rep
			}
			n += k
			r.repeat -= k
			continue
		case r.copy > 0:
			k, err := r.src.Read(p[n:min(len(p), n+r.copy)])
			n += k
			r.copy -= k
			if err != nil {
				return n, noEOF(n, io.ErrUnexpectedEOF)
			}
			continue
		case r.done:
			return n, noEOF(n, io.EOF)
		}
		l, err := r.src.ReadByte()
		if err != nil {
			// The end marker is often left out.
			r.done = true
			continue
		}
		switch {
		case l < 128:
			r.copy = int(l) + 1
		case l > 128:
			if r.rep, err = r.src.ReadByte(); err != nil {
				r.done = true
				continue
			}
			r.repeat = 257 - int(l)
		default:
			r.done = true
		}
	}
	return n, nil
}

// predict returns src with f's predictor undone.
func predict(f Filter, src io.Reader) (io.Reader, error) {
	colors, bpc, columns := f.Colors, f.BitsPerComponent, f.Columns
	if colors == 0 {
		colors = 1
	}
	if bpc == 0 {
		bpc = 8
	}
	if columns == 0 {
		columns = 1
	}
	switch f.Predictor {
	case 0, 1:
		return src, nil
	case 2, 10, 11, 12, 13, 14, 15:
	default:
		return nil, errorf(ErrUnsupported, "its predictor is not one PDF defines")
	}
	switch bpc {
	case 1, 2, 4, 8, 16:
	default:
		return nil, errParams
	}
	if colors < 1 || colors > maxColorants || columns < 1 || columns > 1<<24 {
		return nil, errParams
	}
	rowLen := (colors*bpc*columns + 7) / 8
	pr := &predictor{src: src, png: f.Predictor >= 10, colors: colors, bpc: bpc,
		bpp: (colors*bpc + 7) / 8, cur: make([]byte, rowLen), prev: make([]byte, rowLen)}
	pr.off = rowLen // nothing of cur to give yet
	return pr, nil
}

// predictor undoes a PNG (per-row type byte) or TIFF 2 predictor row by
// row.
type predictor struct {
	src         io.Reader
	png         bool
	colors, bpc int
	bpp         int // bytes per pixel, at least 1 (PNG's)
	cur, prev   []byte
	off         int // bytes of cur given
	typ         [1]byte
	err         error
}

func (p *predictor) Read(b []byte) (int, error) {
	n := 0
	for n < len(b) {
		if p.off == len(p.cur) {
			if p.err != nil {
				return n, noEOF(n, p.err)
			}
			if p.err = p.next(); p.err != nil {
				continue
			}
			p.off = 0
		}
		k := copy(b[n:], p.cur[p.off:])
		n += k
		p.off += k
	}
	return n, nil
}

// next decodes the next row into cur.
func (p *predictor) next() error {
	p.cur, p.prev = p.prev, p.cur
	if p.png {
		if _, err := io.ReadFull(p.src, p.typ[:]); err != nil {
			return err
		}
	}
	if _, err := io.ReadFull(p.src, p.cur); err != nil {
		return err
	}
	if !p.png {
		p.tiff()
		return nil
	}
	cur, prev, bpp := p.cur, p.prev, p.bpp
	switch p.typ[0] {
	case 0:
	case 1: // Sub
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2: // Up
		for i := range cur {
			cur[i] += prev[i]
		}
	case 3: // Average
		for i := range cur {
			var left byte
			if i >= bpp {
				left = cur[i-bpp]
			}
			cur[i] += byte((int(left) + int(prev[i])) / 2)
		}
	case 4: // Paeth
		for i := range cur {
			var a, c byte
			if i >= bpp {
				a, c = cur[i-bpp], prev[i-bpp]
			}
			cur[i] += paeth(a, prev[i], c)
		}
	default:
		return errData
	}
	return nil
}

// paeth is PNG's Paeth predictor of a (left), b (up) and c (up left).
func paeth(a, b, c byte) byte {
	p := int(a) + int(b) - int(c)
	pa, pb, pc := abs(p-int(a)), abs(p-int(b)), abs(p-int(c))
	switch {
	case pa <= pb && pa <= pc:
		return a
	case pb <= pc:
		return b
	}
	return c
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// tiff undoes TIFF predictor 2 on cur: each sample is the difference from
// the same component of the pixel on its left.
func (p *predictor) tiff() {
	cur := p.cur
	switch p.bpc {
	case 8:
		for i := p.colors; i < len(cur); i++ {
			cur[i] += cur[i-p.colors]
		}
	case 16:
		for i := 2 * p.colors; i+1 < len(cur); i += 2 {
			j := i - 2*p.colors
			v := (uint16(cur[i])<<8 | uint16(cur[i+1])) + (uint16(cur[j])<<8 | uint16(cur[j+1]))
			cur[i], cur[i+1] = byte(v>>8), byte(v)
		}
	default: // 1, 2, 4 bits: unpack, add, pack
		mask := byte(1)<<p.bpc - 1
		n := len(cur) * 8 / p.bpc
		for i := p.colors; i < n; i++ {
			v := sample(cur, i, p.bpc) + sample(cur, i-p.colors, p.bpc)
			shift := 8 - p.bpc - (i*p.bpc)&7
			at := i * p.bpc / 8
			cur[at] = cur[at]&^(mask<<shift) | (v&mask)<<shift
		}
	}
}

// sample returns the i-th bpc-bit sample of row (bpc 1, 2, 4 or 8).
func sample(row []byte, i, bpc int) byte {
	bit := i * bpc
	return row[bit>>3] >> (8 - bpc - bit&7) & (1<<bpc - 1)
}
