// Package picturetest builds pictures for tests: blank PNG and BMP files,
// TIFF files of several pages, in either byte order, and picture headers
// that claim any size; and an OCR engine that reads fixed text.
package picturetest

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"

	"github.com/baomi/baomi/scanner/ocr"
)

// Engine is an OCR engine for tests: it reads two lines from every
// picture, Text and the picture's size ("40x30"), with confidence Conf;
// or it fails with Err.
type Engine struct {
	Text string
	Conf float64
	Err  error
}

// Recognize implements ocr.Engine.
func (e Engine) Recognize(ctx context.Context, img image.Image) (ocr.Result, error) {
	if e.Err != nil {
		return ocr.Result{}, e.Err
	}
	size := img.Bounds().Size()
	return ocr.Result{
		Lines: []ocr.Line{{Text: e.Text, Conf: e.Conf}, {Text: fmt.Sprintf("%dx%d", size.X, size.Y), Conf: e.Conf}},
		Size:  size,
		Conf:  e.Conf,
	}, nil
}

// PNG is a blank gray PNG file of w×h pixels.
func PNG(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// BMP is a blank gray BMP file of w×h pixels, 8 bits a pixel with a
// palette; its DIB (what Office and RTF store) starts at byte 14.
func BMP(t testing.TB, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := bmp.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// ByteOrder is binary.LittleEndian or binary.BigEndian.
type ByteOrder interface {
	binary.ByteOrder
	binary.AppendByteOrder
}

// Entry is an IFD entry: its tag, type (3 SHORT, 4 LONG, 5 RATIONAL) and
// values (two for each RATIONAL).
type Entry struct {
	Tag, Type uint16
	Values    []uint32
}

// Page is the entries of a one-strip TIFF page, sorted by tag, and its
// strip; the strip's offset (tag 273) is set when the file is built.
type Page struct {
	Entries []Entry
	Strip   []byte
}

// Encoded encodes m with x/image/tiff's encoder (deflated) and takes its
// one page apart.
func Encoded(t testing.TB, m image.Image) Page {
	t.Helper()
	var buf bytes.Buffer
	if err := tiff.Encode(&buf, m, &tiff.Options{Compression: tiff.Deflate}); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	le := binary.LittleEndian
	ifd := int(le.Uint32(b[4:]))
	var p Page
	var off, n uint32
	for i := range int(le.Uint16(b[ifd:])) {
		e := b[ifd+2+12*i:]
		tag, typ, count := le.Uint16(e), le.Uint16(e[2:]), le.Uint32(e[4:])
		if typ == 5 {
			count *= 2
		}
		width := uint32(4)
		if typ == 3 {
			width = 2
		}
		at := e[8:]
		if count*width > 4 {
			at = b[le.Uint32(e[8:]):]
		}
		var vals []uint32
		for j := range count {
			if typ == 3 {
				vals = append(vals, uint32(le.Uint16(at[2*j:])))
			} else {
				vals = append(vals, le.Uint32(at[4*j:]))
			}
		}
		switch tag {
		case 273:
			off = vals[0]
		case 279:
			n = vals[0]
		}
		p.Entries = append(p.Entries, Entry{tag, typ, vals})
	}
	p.Strip = b[off : off+n]
	return p
}

// Raw is a one-strip page of w×h, bps bits per sample, compression and
// photometric interpretation as given, with strip as its data.
func Raw(w, h, bps, compression, photometric uint32, strip []byte) Page {
	return Page{Entries: []Entry{
		{256, 4, []uint32{w}}, {257, 4, []uint32{h}}, {258, 3, []uint32{bps}},
		{259, 3, []uint32{compression}}, {262, 3, []uint32{photometric}}, {273, 4, []uint32{0}},
		{277, 3, []uint32{1}}, {278, 4, []uint32{h}}, {279, 4, []uint32{uint32(len(strip))}},
	}, Strip: strip}
}

// TIFF writes the pages as one TIFF in the byte order given, their IFDs
// chained in order. It returns the file and, for each page, where its
// IFD's next-IFD offset is, for tests that break the chain.
func TIFF(order ByteOrder, pages ...Page) (data []byte, links []int) {
	b := []byte("II*\x00\x00\x00\x00\x00")
	if order == binary.BigEndian {
		b = []byte("MM\x00*\x00\x00\x00\x00")
	}
	link := 4 // where the offset of the next IFD goes
	even := func() {
		if len(b)%2 == 1 {
			b = append(b, 0)
		}
	}
	for _, p := range pages {
		stripAt := len(b)
		b = append(b, p.Strip...)
		// Values too long for their entry, then the IFD, at even offsets.
		far := map[int]int{}
		for i, e := range p.Entries {
			if v := values(order, e); len(v) > 4 {
				even()
				far[i] = len(b)
				b = append(b, v...)
			}
		}
		even()
		order.PutUint32(b[link:], uint32(len(b)))
		b = order.AppendUint16(b, uint16(len(p.Entries)))
		for i, e := range p.Entries {
			if e.Tag == 273 {
				e.Values = []uint32{uint32(stripAt)}
			}
			count := len(e.Values)
			if e.Type == 5 {
				count /= 2
			}
			b = order.AppendUint16(b, e.Tag)
			b = order.AppendUint16(b, e.Type)
			b = order.AppendUint32(b, uint32(count))
			if at, ok := far[i]; ok {
				b = order.AppendUint32(b, uint32(at))
			} else {
				v := values(order, e)
				b = append(b, append(v, make([]byte, 4-len(v))...)...)
			}
		}
		link = len(b)
		links = append(links, link)
		b = order.AppendUint32(b, 0)
	}
	return b, links
}

// values is the bytes of e's values.
func values(order ByteOrder, e Entry) []byte {
	var b []byte
	for _, v := range e.Values {
		if e.Type == 3 {
			b = order.AppendUint16(b, uint16(v))
		} else {
			b = order.AppendUint32(b, v)
		}
	}
	return b
}

// PNGHeader returns a PNG signature and IHDR chunk of a w×h gray picture,
// without pixels: enough for its size to be read.
func PNGHeader(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0)
	chunk := append([]byte("IHDR"), ihdr...)
	b := []byte("\x89PNG\r\n\x1A\n")
	b = binary.BigEndian.AppendUint32(b, uint32(len(ihdr)))
	b = append(b, chunk...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(chunk))
}
