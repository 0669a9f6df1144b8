package pdfimage

import (
	"bytes"
	"compress/flate"
	"compress/lzw"
	"compress/zlib"
	"encoding/ascii85"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The picture most tests encode: 13×5 (an odd width, so that rows of
// small samples end mid-byte), samples that differ along both sides.
const tw, th = 13, 5

// samples8 returns tw×th gray samples, 8 bits each.
func samples8() []byte {
	b := make([]byte, tw*th)
	for y := range th {
		for x := range tw {
			b[y*tw+x] = byte(x*19 + y*7)
		}
	}
	return b
}

// pack packs samples of bpc bits, w per row (components included), each
// row padded to a byte; a last row left short is padded with zeros.
func pack(s []int, w, bpc int) []byte {
	var out []byte
	for row := 0; row < len(s); row += w {
		line := make([]byte, (w*bpc+7)/8)
		for i, v := range s[row:min(row+w, len(s))] {
			bit := i * bpc
			for k := bpc - 1; k >= 0; k-- {
				if v>>k&1 == 1 {
					line[bit/8] |= 0x80 >> (bit % 8)
				}
				bit++
			}
		}
		out = append(out, line...)
	}
	return out
}

func deflate(t testing.TB, b []byte, header bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if header {
		w := zlib.NewWriter(&buf)
		w.Write(b)
		w.Close()
		return buf.Bytes()
	}
	w, _ := flate.NewWriter(&buf, flate.DefaultCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// lzwLate is LZWDecode with /EarlyChange 0: compress/lzw's (GIF's) codes.
func lzwLate(b []byte) []byte {
	var buf bytes.Buffer
	w := lzw.NewWriter(&buf, lzw.MSB, 8)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// lzwEarly is LZWDecode's default, /EarlyChange 1: the width grows one
// code early, as in TIFF; nothing in the standard library writes it.
func lzwEarly(b []byte) []byte {
	var out []byte
	var acc uint32
	var nacc, width uint = 0, 9
	put := func(code int) {
		acc = acc<<width | uint32(code)
		nacc += width
		for nacc >= 8 {
			out = append(out, byte(acc>>(nacc-8)))
			nacc -= 8
		}
	}
	dict := map[string]int{}
	for i := range 256 {
		dict[latin1([]byte{byte(i)})] = i
	}
	next := 258
	added := func() {
		next++
		if next == 1<<width {
			width++
		}
	}
	put(256)
	var cur []byte
	for _, c := range b {
		cand := append(append([]byte{}, cur...), c)
		if _, ok := dict[latin1(cand)]; ok {
			cur = cand
			continue
		}
		put(dict[latin1(cur)])
		dict[latin1(cand)] = next
		added()
		cur = []byte{c}
	}
	put(dict[latin1(cur)])
	added()
	put(257)
	if nacc > 0 {
		out = append(out, byte(acc<<(8-nacc)))
	}
	return out
}

// latin1 maps bytes to runes one to one, as dictionary keys.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

func a85(b []byte) []byte {
	out := make([]byte, ascii85.MaxEncodedLen(len(b)))
	n := ascii85.Encode(out, b)
	// Line breaks and the end marker, as PDF writers put them.
	s := string(out[:n])
	if len(s) > 10 {
		s = s[:10] + "\r\n" + s[10:]
	}
	return []byte(s + "~>")
}

// runLength encodes b with RunLengthDecode's runs: repeats of 3 or more
// as a run, the rest copied.
func runLength(b []byte) []byte {
	var out []byte
	for i := 0; i < len(b); {
		j := i + 1
		for j < len(b) && b[j] == b[i] && j-i < 128 {
			j++
		}
		if j-i >= 3 {
			out = append(out, byte(257-(j-i)), b[i])
			i = j
			continue
		}
		j = i + 1
		for j < len(b) && j-i < 128 && !(j+2 < len(b) && b[j] == b[j+1] && b[j] == b[j+2]) {
			j++
		}
		out = append(out, byte(j-i-1))
		out = append(out, b[i:j]...)
		i = j
	}
	return append(out, 128)
}

// pngPredict applies PNG predictors to rows of rowLen bytes, bpp bytes a
// pixel, row y with filter type y%5 (all five in one image).
func pngPredict(b []byte, rowLen, bpp int) []byte {
	var out []byte
	prev := make([]byte, rowLen)
	for y := 0; y*rowLen < len(b); y++ {
		cur := b[y*rowLen : (y+1)*rowLen]
		typ := byte(y % 5)
		out = append(out, typ)
		for i := range cur {
			var a, c byte
			if i >= bpp {
				a, c = cur[i-bpp], prev[i-bpp]
			}
			var p byte
			switch typ {
			case 1:
				p = a
			case 2:
				p = prev[i]
			case 3:
				p = byte((int(a) + int(prev[i])) / 2)
			case 4:
				p = paeth(a, prev[i], c)
			}
			out = append(out, cur[i]-p)
		}
		prev = cur
	}
	return out
}

// tiffPredict applies TIFF predictor 2 to 8-bit samples, colors a pixel.
func tiffPredict(b []byte, rowLen, colors int) []byte {
	out := make([]byte, len(b))
	for y := 0; y*rowLen < len(b); y++ {
		row := b[y*rowLen : (y+1)*rowLen]
		for i := range row {
			out[y*rowLen+i] = row[i]
			if i >= colors {
				out[y*rowLen+i] -= row[i-colors]
			}
		}
	}
	return out
}

// grayPix returns the gray pixels of m, which must be an *image.Gray.
func grayPix(t *testing.T, m image.Image) []byte {
	t.Helper()
	g, ok := m.(*image.Gray)
	if !ok {
		t.Fatalf("image is %T, want *image.Gray", m)
	}
	out := make([]byte, 0, len(g.Pix))
	for y := range g.Rect.Dy() {
		out = append(out, g.Pix[y*g.Stride:y*g.Stride+g.Rect.Dx()]...)
	}
	return out
}

// rgbPix returns the RGB of the pixels of m, which must be an *image.RGBA.
func rgbPix(t *testing.T, m image.Image) []byte {
	t.Helper()
	c, ok := m.(*image.RGBA)
	if !ok {
		t.Fatalf("image is %T, want *image.RGBA", m)
	}
	var out []byte
	for i := 0; i < len(c.Pix); i += 4 {
		if c.Pix[i+3] != 255 {
			t.Fatalf("pixel %d not opaque", i/4)
		}
		out = append(out, c.Pix[i:i+3]...)
	}
	return out
}

// Each filter, predictor and chain decodes the same gray picture.
func TestDecodeFilters(t *testing.T) {
	want := samples8()
	// Low-entropy data long enough for LZW codes of 10 and 11 bits.
	long := make([]byte, 64*64)
	for i := range long {
		long[i] = byte(i % 61 * (i / 200 % 3))
	}
	tests := []struct {
		name    string
		filters []Filter
		raw     []byte
		w, h    int
		want    []byte
	}{
		{"none", nil, want, tw, th, want},
		{"ASCIIHexDecode", []Filter{{Name: "ASCIIHexDecode"}}, []byte(strings.ToUpper(hex.EncodeToString(want[:30])) + " \n" + hex.EncodeToString(want[30:]) + ">"), tw, th, want},
		{"AHx odd digit", []Filter{{Name: "AHx"}}, []byte(hex.EncodeToString(want[:len(want)-1]) + "a>"), tw, th, append(want[:len(want)-1:len(want)-1], 0xa0)},
		{"ASCII85Decode", []Filter{{Name: "ASCII85Decode"}}, a85(want), tw, th, want},
		{"FlateDecode", []Filter{{Name: "FlateDecode"}}, deflate(t, want, true), tw, th, want},
		{"Fl without zlib header", []Filter{{Name: "Fl"}}, deflate(t, want, false), tw, th, want},
		{"Flate PNG predictors", []Filter{{Name: "FlateDecode", Predictor: 15, Columns: tw}}, deflate(t, pngPredict(want, tw, 1), true), tw, th, want},
		{"Flate TIFF predictor", []Filter{{Name: "FlateDecode", Predictor: 2, Columns: tw}}, deflate(t, tiffPredict(want, tw, 1), true), tw, th, want},
		{"LZWDecode early change", []Filter{{Name: "LZWDecode"}}, lzwEarly(long), 64, 64, long},
		{"LZW EarlyChange 0", []Filter{{Name: "LZW", NoEarlyChange: true}}, lzwLate(long), 64, 64, long},
		{"LZW PNG predictor", []Filter{{Name: "LZWDecode", Predictor: 12, Columns: tw}}, lzwEarly(pngPredict(want, tw, 1)), tw, th, want},
		{"RunLengthDecode", []Filter{{Name: "RunLengthDecode"}}, runLength(long), 64, 64, long},
		{"RL without end marker", []Filter{{Name: "RL"}}, runLength(want)[:len(runLength(want))-1], tw, th, want},
		{"ASCII85 then Flate", []Filter{{Name: "A85"}, {Name: "Fl"}}, a85(deflate(t, want, true)), tw, th, want},
		{"ASCIIHex then RunLength", []Filter{{Name: "AHx"}, {Name: "RL"}}, []byte(hex.EncodeToString(runLength(long)) + ">"), 64, 64, long},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := Params{Width: tt.w, Height: tt.h, BitsPerComponent: 8, ColorSpace: ColorSpace{Space: Gray}, Filters: tt.filters}
			m, err := Decode(p, tt.raw, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if got := grayPix(t, m); !bytes.Equal(got, tt.want) {
				t.Errorf("pixels\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// The two LZW variants differ once codes widen: each needs its own
// EarlyChange.
func TestDecodeLZWEarlyChange(t *testing.T) {
	long := make([]byte, 64*64)
	for i := range long {
		long[i] = byte(i * 7 % 251)
	}
	p := Params{Width: 64, Height: 64, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "LZWDecode"}}}
	m, err := Decode(p, lzwLate(long), 1<<20)
	if err == nil && bytes.Equal(grayPix(t, m), long) {
		t.Error("GIF-style LZW decoded as EarlyChange 1")
	}
}

// Sample depths, color spaces, Decode arrays and masks.
func TestDecodeColor(t *testing.T) {
	bits := []int{0, 1, 1, 0, 1, 0, 0, 0, 1, 1, 1, 0, 1}
	var bits5 []int
	for y := range th {
		for x := range tw {
			bits5 = append(bits5, bits[(x+y)%tw])
		}
	}
	gray1 := func(black, white byte) []byte {
		out := make([]byte, len(bits5))
		for i, b := range bits5 {
			out[i] = white
			if b == 0 {
				out[i] = black
			}
		}
		return out
	}
	ramp := func(n, levels int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i % levels
		}
		return s
	}
	tests := []struct {
		name string
		p    Params
		raw  []byte
		gray []byte // want gray pixels, or
		rgb  []byte // want RGB pixels (first pixels only)
	}{
		{"1-bit gray", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}}, pack(bits5, tw, 1), gray1(0, 255), nil},
		{"1-bit gray Decode [1 0]", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Decode: []float64{1, 0}}, pack(bits5, tw, 1), gray1(255, 0), nil},
		{"mask", Params{ImageMask: true}, pack(bits5, tw, 1), gray1(0, 255), nil},
		{"mask Decode [1 0]", Params{ImageMask: true, Decode: []float64{1, 0}}, pack(bits5, tw, 1), gray1(255, 0), nil},
		{"2-bit gray", Params{BitsPerComponent: 2, ColorSpace: ColorSpace{Space: Gray}}, pack(ramp(tw*th, 4), tw, 2), levels(ramp(tw*th, 4), 85), nil},
		{"4-bit gray", Params{BitsPerComponent: 4, ColorSpace: ColorSpace{Space: Gray}}, pack(ramp(tw*th, 16), tw, 4), levels(ramp(tw*th, 16), 17), nil},
		{"16-bit gray", Params{BitsPerComponent: 16, ColorSpace: ColorSpace{Space: Gray}}, pack(scale(ramp(tw*th, 256), 257), tw, 16), levels(ramp(tw*th, 256), 1), nil},
		{"separation tint", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: Tint, N: 1}}, pack(ramp(tw*th, 256), tw, 8), levels(invert(ramp(tw*th, 256)), 1), nil},
		{"DeviceN darkest colorant", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: Tint, N: 2}}, pack(interleave(ramp(tw*th, 100), ramp(tw*th, 200)), 2*tw, 8), levels(invert(maxOf(ramp(tw*th, 100), ramp(tw*th, 200))), 1), nil},
		{"Lab as L", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: Lab}, Decode: []float64{0, 100, -128, 127, -128, 127}}, pack(interleave(ramp(tw*th, 256), ramp(tw*th, 7), ramp(tw*th, 9)), 3*tw, 8), levels(ramp(tw*th, 256), 1), nil},
		{"Indexed over gray", Params{BitsPerComponent: 2, ColorSpace: ColorSpace{Space: Indexed, Base: &ColorSpace{Space: Gray}, Lookup: []byte{200, 10, 99}}}, pack(ramp(tw*th, 4), tw, 2), indexGray(ramp(tw*th, 4), []byte{200, 10, 99}), nil},
		{"RGB", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: RGB}}, pack([]int{10, 20, 30, 40, 50, 60}, 3*tw, 8), nil, []byte{10, 20, 30, 40, 50, 60}},
		{"RGB Decode inverted", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: RGB}, Decode: []float64{1, 0, 1, 0, 1, 0}}, pack([]int{10, 20, 30}, 3*tw, 8), nil, []byte{245, 235, 225}},
		{"CMYK", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: CMYK}}, pack([]int{0, 0, 0, 0, 255, 0, 0, 0, 0, 0, 0, 255, 0, 0, 0, 128}, 4*tw, 8), nil, []byte{255, 255, 255, 0, 255, 255, 0, 0, 0, 127, 127, 127}},
		{"Indexed over RGB", Params{BitsPerComponent: 4, ColorSpace: ColorSpace{Space: Indexed, Base: &ColorSpace{Space: RGB}, Lookup: []byte{1, 2, 3, 4, 5, 6}}}, pack([]int{1, 0, 9}, tw, 4), nil, []byte{4, 5, 6, 1, 2, 3, 4, 5, 6}},
		{"Indexed over CMYK", Params{BitsPerComponent: 8, ColorSpace: ColorSpace{Space: Indexed, Base: &ColorSpace{Space: CMYK}, Lookup: []byte{0, 0, 0, 0, 0, 0, 0, 255}}}, pack([]int{1, 0}, tw, 8), nil, []byte{0, 0, 0, 255, 255, 255}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.Width, tt.p.Height = tw, th
			m, err := Decode(tt.p, pad(tt.raw, tt.p), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if tt.gray != nil {
				if got := grayPix(t, m); !bytes.Equal(got, tt.gray) {
					t.Errorf("pixels\n got %v\nwant %v", got, tt.gray)
				}
				return
			}
			if got := rgbPix(t, m); !bytes.Equal(got[:len(tt.rgb)], tt.rgb) {
				t.Errorf("pixels\n got %v\nwant %v", got[:len(tt.rgb)], tt.rgb)
			}
		})
	}
}

// pad pads raw with zeros to the rows p needs, for tests that give only
// the first pixels.
func pad(raw []byte, p Params) []byte {
	s, _ := newSamples(p, 1<<20)
	for int64(len(raw)) < s.need {
		raw = append(raw, 0)
	}
	return raw
}

func levels(s []int, mul int) []byte {
	out := make([]byte, len(s))
	for i, v := range s {
		out[i] = byte(v * mul)
	}
	return out
}

func scale(s []int, mul int) []int {
	out := make([]int, len(s))
	for i, v := range s {
		out[i] = v * mul
	}
	return out
}

func invert(s []int) []int {
	out := make([]int, len(s))
	for i, v := range s {
		out[i] = 255 - v
	}
	return out
}

func maxOf(a, b []int) []int {
	out := make([]int, len(a))
	for i := range a {
		out[i] = max(a[i], b[i])
	}
	return out
}

func interleave(s ...[]int) []int {
	var out []int
	for i := range s[0] {
		for _, c := range s {
			out = append(out, c[i])
		}
	}
	return out
}

func indexGray(s []int, lookup []byte) []byte {
	out := make([]byte, len(s))
	for i, v := range s {
		out[i] = lookup[min(v, len(lookup)-1)]
	}
	return out
}

// near reports whether a and b differ by at most d in every byte (JPEG is
// lossy).
func near(a, b []byte, d int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if x := int(a[i]) - int(b[i]); x > d || x < -d {
			return false
		}
	}
	return true
}

// flat returns a w×h picture of one color.
func flat(w, h int, c color.Color) *image.RGBA {
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			m.Set(x, y, c)
		}
	}
	return m
}

// DCTDecode: gray and color JPEGs, in their own size when the dictionary
// says another, and without their end marker.
func TestDecodeDCT(t *testing.T) {
	var g bytes.Buffer
	gm := image.NewGray(image.Rect(0, 0, 16, 8))
	for i := range gm.Pix {
		gm.Pix[i] = byte(i * 2)
	}
	if err := jpeg.Encode(&g, gm, &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	var c bytes.Buffer
	if err := jpeg.Encode(&c, flat(16, 8, color.RGBA{200, 30, 60, 255}), &jpeg.Options{Quality: 100}); err != nil {
		t.Fatal(err)
	}
	dct := []Filter{{Name: "DCTDecode"}}
	tests := []struct {
		name string
		p    Params
		raw  []byte
		gray []byte
		rgb  []byte
	}{
		{"gray", Params{Width: 16, Height: 8, ColorSpace: ColorSpace{Space: Gray}, Filters: dct}, g.Bytes(), gm.Pix, nil},
		{"gray, dictionary size wrong", Params{Width: 3, Height: 3, ColorSpace: ColorSpace{Space: Gray}, Filters: dct}, g.Bytes(), gm.Pix, nil},
		{"gray, no end marker", Params{Width: 16, Height: 8, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "DCT"}}}, g.Bytes()[:g.Len()-2], gm.Pix, nil},
		{"gray, Decode [1 0]", Params{Width: 16, Height: 8, ColorSpace: ColorSpace{Space: Gray}, Decode: []float64{1, 0}, Filters: dct}, g.Bytes(), levels(invert(toInts(gm.Pix)), 1), nil},
		{"color", Params{Width: 16, Height: 8, ColorSpace: ColorSpace{Space: RGB}, Filters: dct}, c.Bytes(), nil, bytes.Repeat([]byte{200, 30, 60}, 16*8)},
		{"color space from the JPEG", Params{Width: 16, Height: 8, ColorSpace: ColorSpace{Space: Gray}, Filters: dct}, c.Bytes(), nil, bytes.Repeat([]byte{200, 30, 60}, 16*8)},
		{"ASCII85 then DCT", Params{Width: 16, Height: 8, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "A85"}, {Name: "DCT"}}}, a85(g.Bytes()), gm.Pix, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Decode(tt.p, tt.raw, 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if tt.gray != nil {
				if got := grayPix(t, m); !near(got, tt.gray, 3) {
					t.Errorf("pixels\n got %v\nwant %v", got, tt.gray)
				}
				return
			}
			if got := rgbPix(t, m); !near(got, tt.rgb, 6) {
				t.Errorf("pixels\n got %v\nwant %v", got[:12], tt.rgb[:12])
			}
		})
	}
}

func toInts(b []byte) []int {
	out := make([]int, len(b))
	for i, v := range b {
		out[i] = int(v)
	}
	return out
}

// An Adobe CMYK JPEG stores inverted ink, and PDF writers give it a
// Decode of [1 0 1 0 1 0 1 0]: black text on white stays so, not a
// negative. image/jpeg writes no CMYK: ImageMagick makes one.
func TestDecodeDCTAdobeCMYK(t *testing.T) {
	convert, err := exec.LookPath("convert")
	if err != nil {
		t.Skip("ImageMagick's convert is not installed")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "in.png")
	m := flat(32, 16, color.White)
	for x := 4; x < 28; x++ {
		for y := 6; y < 10; y++ {
			m.Set(x, y, color.Black)
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.jpg")
	if msg, err := exec.Command(convert, src, "-colorspace", "CMYK", "-quality", "100", out).CombinedOutput(); err != nil {
		t.Skipf("convert: %v %s", err, msg)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(raw, []byte("Adobe")) {
		t.Skip("convert wrote no Adobe marker")
	}
	p := Params{Width: 32, Height: 16, ColorSpace: ColorSpace{Space: CMYK}, Decode: []float64{1, 0, 1, 0, 1, 0, 1, 0}, Filters: []Filter{{Name: "DCTDecode"}}}
	img, err := Decode(p, raw, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	white, black := img.At(1, 1).(color.RGBA), img.At(16, 8).(color.RGBA)
	if white.R < 200 || white.G < 200 || white.B < 200 || black.R > 60 || black.G > 60 || black.B > 60 {
		t.Errorf("background %v, bar %v: want white and black", white, black)
	}
}

// writeTIFF writes a 1-bit uncompressed TIFF of rows (1 = black), the
// input tiffcp compresses.
func writeTIFF(rows [][]byte, w int) []byte {
	var data []byte
	for _, r := range rows {
		data = append(data, r...)
	}
	type entry struct{ tag, typ, count, value uint32 }
	entries := []entry{
		{256, 4, 1, uint32(w)}, {257, 4, 1, uint32(len(rows))}, {258, 3, 1, 1}, {259, 3, 1, 1},
		{262, 3, 1, 0}, {273, 4, 1, 0}, {277, 3, 1, 1}, {278, 4, 1, uint32(len(rows))}, {279, 4, 1, uint32(len(data))},
	}
	ifd := 8
	dataAt := ifd + 2 + 12*len(entries) + 4
	b := binary.LittleEndian.AppendUint32([]byte("II*\x00"), uint32(ifd))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(entries)))
	for _, e := range entries {
		if e.tag == 273 {
			e.value = uint32(dataAt)
		}
		b = binary.LittleEndian.AppendUint16(b, uint16(e.tag))
		b = binary.LittleEndian.AppendUint16(b, uint16(e.typ))
		b = binary.LittleEndian.AppendUint32(b, e.count)
		if e.typ == 3 {
			b = binary.LittleEndian.AppendUint16(b, uint16(e.value))
			b = binary.LittleEndian.AppendUint16(b, 0)
		} else {
			b = binary.LittleEndian.AppendUint32(b, e.value)
		}
	}
	b = binary.LittleEndian.AppendUint32(b, 0)
	return append(b, data...)
}

// tiffStrip returns the one strip of a little-endian TIFF.
func tiffStrip(t *testing.T, b []byte) []byte {
	t.Helper()
	if len(b) < 8 || string(b[:2]) != "II" {
		t.Fatal("not a little-endian TIFF")
	}
	ifd := int(binary.LittleEndian.Uint32(b[4:]))
	n := int(binary.LittleEndian.Uint16(b[ifd:]))
	var off, count int
	for i := range n {
		e := b[ifd+2+12*i:]
		val := int(binary.LittleEndian.Uint32(e[8:]))
		if binary.LittleEndian.Uint16(e[2:]) == 3 {
			val = int(binary.LittleEndian.Uint16(e[8:]))
		}
		if binary.LittleEndian.Uint32(e[4:]) != 1 && (e[0] == 17 || e[0] == 23) {
			t.Fatal("more than one strip")
		}
		switch binary.LittleEndian.Uint16(e) {
		case 273:
			off = val
		case 279:
			count = val
		}
	}
	return b[off : off+count]
}

// faxRows is a 40×12 page of 1-bit rows, 1 black: a frame and a bar.
func faxRows() ([][]byte, []byte) {
	const w, h = 40, 12
	var rows [][]byte
	var gray []byte
	for y := range h {
		s := make([]int, w)
		for x := range w {
			if y == 0 || y == h-1 || x == 0 || x == w-1 || (y >= 4 && y < 8 && x >= 10 && x < 30) {
				s[x] = 1
			}
			gray = append(gray, byte(255*(1-s[x])))
		}
		rows = append(rows, pack(s, w, 1))
	}
	return rows, gray
}

// ccittData returns the page of faxRows compressed by tiffcp with codec.
func ccittData(t *testing.T, codec string) []byte {
	t.Helper()
	tiffcp, err := exec.LookPath("tiffcp")
	if err != nil {
		t.Skip("tiffcp (libtiff-tools) is not installed")
	}
	rows, _ := faxRows()
	dir := t.TempDir()
	in, out := filepath.Join(dir, "in.tif"), filepath.Join(dir, "out.tif")
	if err := os.WriteFile(in, writeTIFF(rows, 40), 0o600); err != nil {
		t.Fatal(err)
	}
	if msg, err := exec.Command(tiffcp, "-c", codec, "-r", "1000", in, out).CombinedOutput(); err != nil {
		t.Fatalf("tiffcp: %v %s", err, msg)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return tiffStrip(t, b)
}

// CCITTFaxDecode: Group 4 and Group 3 one-dimensional, BlackIs1, a mask.
func TestDecodeCCITT(t *testing.T) {
	_, gray := faxRows()
	inverted := make([]byte, len(gray))
	for i, v := range gray {
		inverted[i] = 255 - v
	}
	tests := []struct {
		name  string
		codec string
		p     Params
		want  []byte
	}{
		{"G4", "g4", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "CCITTFaxDecode", K: -1, Columns: 40}}}, gray},
		{"G4 abbreviated without Columns and Rows", "g4", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "CCF", K: -1}}}, gray},
		{"G4 BlackIs1", "g4", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "CCITTFaxDecode", K: -1, BlackIs1: true}}}, inverted},
		{"G4 mask", "g4", Params{ImageMask: true, Filters: []Filter{{Name: "CCITTFaxDecode", K: -1}}}, gray},
		{"G4 Decode [1 0]", "g4", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Decode: []float64{1, 0}, Filters: []Filter{{Name: "CCITTFaxDecode", K: -1}}}, inverted},
		{"G3 1-D", "g3:1d", Params{BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "CCITTFaxDecode", K: 0, Columns: 40, Rows: 12}}}, gray},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.p.Width, tt.p.Height = 40, 12
			m, err := Decode(tt.p, ccittData(t, tt.codec), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if got := grayPix(t, m); !bytes.Equal(got, tt.want) {
				t.Errorf("pixels\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// What is not decoded says so in a clause of ours, whatever the file's
// names.
func TestDecodeErrors(t *testing.T) {
	gray := ColorSpace{Space: Gray}
	tests := []struct {
		name string
		p    Params
		max  int
		kind error
		why  string
	}{
		{"JBIG2", Params{Width: 8, Height: 8, BitsPerComponent: 1, ColorSpace: gray, Filters: []Filter{{Name: "JBIG2Decode"}}}, 1 << 20, ErrUnsupported, "its JBIG2Decode compression is not decoded"},
		{"JPX", Params{Width: 8, Height: 8, Filters: []Filter{{Name: "JPXDecode"}}}, 1 << 20, ErrUnsupported, "its JPXDecode compression is not decoded"},
		{"unknown filter", Params{Width: 8, Height: 8, ColorSpace: gray, Filters: []Filter{{Name: "Secret\u6a5f\u5bc6"}}}, 1 << 20, ErrUnsupported, "its compression is not a standard PDF filter"},
		{"DCT not last", Params{Width: 8, Height: 8, ColorSpace: gray, Filters: []Filter{{Name: "DCTDecode"}, {Name: "FlateDecode"}}}, 1 << 20, ErrUnsupported, "its filters are in an order that is not decoded"},
		{"G3 2-D", Params{Width: 8, Height: 8, BitsPerComponent: 1, ColorSpace: gray, Filters: []Filter{{Name: "CCITTFaxDecode", K: 4}}}, 1 << 20, ErrUnsupported, "its CCITT Group 3 two-dimensional compression is not decoded"},
		{"predictor", Params{Width: 8, Height: 8, ColorSpace: gray, Filters: []Filter{{Name: "FlateDecode", Predictor: 7}}}, 1 << 20, ErrUnsupported, "its predictor is not one PDF defines"},
		{"too many pixels", Params{Width: 5000, Height: 5000, ColorSpace: gray}, 1 << 20, ErrTooLarge, "it has more pixels than the limit"},
		{"no width", Params{Height: 8, ColorSpace: gray}, 1 << 20, ErrInvalid, "its size or sample depth is not valid"},
		{"depth 3", Params{Width: 8, Height: 8, BitsPerComponent: 3, ColorSpace: gray}, 1 << 20, ErrInvalid, "its size or sample depth is not valid"},
		{"no color space", Params{Width: 8, Height: 8}, 1 << 20, ErrUnsupported, "its color space is not decoded"},
		{"Indexed without table", Params{Width: 8, Height: 8, ColorSpace: ColorSpace{Space: Indexed, Base: &ColorSpace{Space: RGB}}}, 1 << 20, ErrUnsupported, "its color space is not decoded"},
		{"no data", Params{Width: 8, Height: 8, ColorSpace: gray, Filters: []Filter{{Name: "FlateDecode"}}}, 1 << 20, ErrInvalid, "its data could not be decoded"},
		{"not a JPEG", Params{Width: 8, Height: 8, ColorSpace: gray, Filters: []Filter{{Name: "DCTDecode"}}}, 1 << 20, ErrInvalid, "its data could not be decoded"},
		{"JPEG too large", Params{Width: 8, Height: 8, ColorSpace: gray, Filters: []Filter{{Name: "DCTDecode"}}}, 50, ErrTooLarge, "it has more pixels than the limit"},
	}
	var j bytes.Buffer
	jpeg.Encode(&j, image.NewGray(image.Rect(0, 0, 16, 8)), nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			raw := []byte("not image data")
			if tt.name == "JPEG too large" {
				raw = j.Bytes()
			}
			m, err := Decode(tt.p, raw, tt.max)
			if m != nil || !errors.Is(err, tt.kind) || err.Error() != tt.why {
				t.Errorf("Decode = %v, %v; want nil, %q (%v)", m, err, tt.why, tt.kind)
			}
		})
	}
}

// Data cut short or bad part way gives the rows read, the rest white,
// and says so.
func TestDecodeTruncated(t *testing.T) {
	want := samples8()
	p := Params{Width: tw, Height: th, ColorSpace: ColorSpace{Space: Gray}}
	for _, tt := range []struct {
		name    string
		filters []Filter
		raw     []byte
	}{
		{"raw", nil, want[:2*tw+5]},
		{"flate", []Filter{{Name: "FlateDecode"}}, deflate(t, want[:2*tw+5], true)},
		{"bad hex", []Filter{{Name: "AHx"}}, []byte(hex.EncodeToString(want[:2*tw]) + "zz" + hex.EncodeToString(want[2*tw:]))},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p.Filters = tt.filters
			m, err := Decode(p, tt.raw, 1<<20)
			if !errors.Is(err, ErrTruncated) || err.Error() != "its data is cut short" || m == nil {
				t.Fatalf("Decode = %v, %v; want an image and ErrTruncated", m, err)
			}
			got := grayPix(t, m)
			if !bytes.Equal(got[:2*tw], want[:2*tw]) || !bytes.Equal(got[2*tw:], bytes.Repeat([]byte{255}, (th-2)*tw)) {
				t.Errorf("pixels %v: want two rows then white", got)
			}
		})
	}
}

// A stream that inflates to far more than the image needs costs no more
// than the image: decoding stops at its last row.
func TestDecodeBomb(t *testing.T) {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	zero := make([]byte, 1<<20)
	for range 256 { // 256 MiB inflated
		w.Write(zero)
	}
	w.Close()
	for _, filters := range [][]Filter{
		{{Name: "FlateDecode"}},
		{{Name: "FlateDecode"}, {Name: "DCTDecode"}},
		{{Name: "FlateDecode"}, {Name: "ASCIIHexDecode"}},
	} {
		t.Run(filters[len(filters)-1].Name, func(t *testing.T) {
			p := Params{Width: 100, Height: 100, ColorSpace: ColorSpace{Space: Gray}, Filters: filters}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			Decode(p, buf.Bytes(), 1<<20)
			runtime.ReadMemStats(&after)
			if n := after.TotalAlloc - before.TotalAlloc; n > 8<<20 {
				t.Errorf("%d bytes allocated for a 100x100 image", n)
			}
		})
	}
}

// ExampleDecode shows the error a caller turns into a picture's reason.
func ExampleDecode() {
	p := Params{Width: 100, Height: 100, BitsPerComponent: 1, ColorSpace: ColorSpace{Space: Gray}, Filters: []Filter{{Name: "JBIG2Decode"}}}
	_, err := Decode(p, nil, 1<<24)
	fmt.Println(errors.Is(err, ErrUnsupported), err)
	// Output: true its JBIG2Decode compression is not decoded
}
