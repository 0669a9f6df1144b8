package pdfimage

import (
	"bytes"
	"errors"
	"image"
	"image/jpeg"
	"testing"
)

// fuzzChains are the filter chains FuzzDecode picks from.
var fuzzChains = [][]string{
	nil,
	{"FlateDecode"},
	{"LZWDecode"},
	{"ASCIIHexDecode"},
	{"ASCII85Decode"},
	{"RunLengthDecode"},
	{"DCTDecode"},
	{"CCITTFaxDecode"},
	{"A85", "Fl"},
	{"Fl", "DCT"},
	{"AHx", "CCF"},
	{"JBIG2Decode"},
	{"Fl", "RL", "LZW"},
}

// FuzzDecode decodes any bytes under any parameters: never a panic,
// never more pixels than the bound, an image exactly when the error
// allows one, and reasons of ours.
func FuzzDecode(f *testing.F) {
	var j bytes.Buffer
	jpeg.Encode(&j, image.NewGray(image.Rect(0, 0, 16, 8)), nil)
	want := samples8()
	// raw, width, height, bits, space, chain, flags, predictor, K
	f.Add(want, uint16(tw), uint16(th), uint8(8), uint8(Gray), uint8(0), uint8(0), uint8(0), int8(0))
	f.Add(deflate(f, pngPredict(want, tw, 1), true), uint16(tw), uint16(th), uint8(8), uint8(Gray), uint8(1), uint8(0), uint8(15), int8(0))
	f.Add(lzwEarly(want), uint16(tw), uint16(th), uint8(8), uint8(Gray), uint8(2), uint8(0), uint8(0), int8(0))
	f.Add(lzwLate(want), uint16(tw), uint16(th), uint8(8), uint8(Gray), uint8(2), uint8(4), uint8(2), int8(0))
	f.Add(a85(deflate(f, want, true)), uint16(tw), uint16(th), uint8(8), uint8(Gray), uint8(8), uint8(0), uint8(0), int8(0))
	f.Add(runLength(want), uint16(tw), uint16(th), uint8(4), uint8(Indexed), uint8(5), uint8(0), uint8(0), int8(0))
	f.Add(j.Bytes(), uint16(16), uint16(8), uint8(8), uint8(Gray), uint8(6), uint8(0), uint8(0), int8(0))
	// Group 4, eight white rows of eight pixels: one V0 code ("1") each.
	f.Add([]byte{0xff, 0x00, 0x10, 0x01}, uint16(8), uint16(8), uint8(1), uint8(Gray), uint8(7), uint8(1), uint8(0), int8(-1))
	f.Add(pack(toInts(want), tw*3, 8), uint16(tw), uint16(th/3+1), uint8(8), uint8(CMYK), uint8(0), uint8(2), uint8(0), int8(0))
	f.Fuzz(func(t *testing.T, raw []byte, w, h uint16, bpc, space, chain, flags, pred uint8, k int8) {
		const maxPixels = 1 << 16
		p := Params{
			Width: int(w), Height: int(h), BitsPerComponent: int(bpc),
			ColorSpace: ColorSpace{Space: Space(space % 8), N: int(bpc % 4), Base: &ColorSpace{Space: Space(space / 8 % 8)}, Lookup: raw[:len(raw)/2]},
			ImageMask:  flags&1 != 0,
		}
		if flags&2 != 0 {
			p.Decode = []float64{1, 0, 0.5, 0.2, 1, 0, 1, 0}[:min(8, 2*max(1, p.ColorSpace.components()))]
		}
		for _, name := range fuzzChains[int(chain)%len(fuzzChains)] {
			p.Filters = append(p.Filters, Filter{Name: name, Predictor: int(pred % 16), Colors: int(bpc % 5), BitsPerComponent: int(bpc % 17), Columns: int(w), NoEarlyChange: flags&4 != 0, K: int(k), EncodedByteAlign: flags&8 != 0, BlackIs1: flags&16 != 0})
		}
		m, err := Decode(p, raw, maxPixels)
		if m != nil {
			if b := m.Bounds(); b.Dx()*b.Dy() > maxPixels || b.Empty() {
				t.Fatalf("image of %v", b)
			}
		}
		if err == nil {
			if m == nil {
				t.Fatal("neither an image nor an error")
			}
			return
		}
		var de *decodeError
		if !errors.As(err, &de) {
			t.Fatalf("error %T %q is not ours", err, err)
		}
		if (m != nil) != errors.Is(err, ErrTruncated) {
			t.Fatalf("image %v with error %q", m != nil, err)
		}
		for _, c := range err.Error() {
			if c < ' ' || c > '~' {
				t.Fatalf("reason %q is not printable ASCII", err)
			}
		}
	})
}
