package picture

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// pages collects what Pages gives for data.
func pages(t *testing.T, data []byte, maxPixels int) []Page {
	t.Helper()
	var got []Page
	if err := Pages(data, maxPixels, func(p Page) error {
		if (p.Image == nil) == (p.Err == nil) {
			t.Fatalf("page %d: image %v and error %v: want exactly one", p.Index, p.Image != nil, p.Err)
		}
		got = append(got, p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return got
}

// gray returns a w×h white picture with a black square of side s at the
// top left.
func gray(w, h, s int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			if x >= s || y >= s {
				m.SetGray(x, y, color.Gray{Y: 0xFF})
			}
		}
	}
	return m
}

func encoded(t *testing.T, enc func(*bytes.Buffer) error) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := enc(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// dark reports whether the pixel at (x, y) is dark.
func dark(img image.Image, x, y int) bool {
	return color.GrayModel.Convert(img.At(x, y)).(color.Gray).Y < 0x80
}

// Each decoded format gives its one page with its pixels.
func TestPagesFormats(t *testing.T) {
	m := gray(40, 30, 16)
	paletted := image.NewPaletted(m.Bounds(), color.Palette{color.Black, color.White})
	for y := range 30 {
		for x := range 40 {
			paletted.Set(x, y, m.At(x, y))
		}
	}
	// A 1×1 lossless WebP (there is no WebP encoder in Go).
	webp, _ := base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")
	tests := []struct {
		name   string
		data   []byte
		w, h   int
		blackX int // a pixel of the square, -1 for none
	}{
		{"PNG", encoded(t, func(b *bytes.Buffer) error { return png.Encode(b, m) }), 40, 30, 4},
		{"JPEG", encoded(t, func(b *bytes.Buffer) error { return jpeg.Encode(b, m, nil) }), 40, 30, 4},
		{"GIF", encoded(t, func(b *bytes.Buffer) error { return gif.Encode(b, paletted, nil) }), 40, 30, 4},
		{"BMP", encoded(t, func(b *bytes.Buffer) error { return bmp.Encode(b, m) }), 40, 30, 4},
		{"TIFF", encoded(t, func(b *bytes.Buffer) error { return tiff.Encode(b, m, &tiff.Options{Compression: tiff.Deflate}) }), 40, 30, 4},
		{"WebP", webp, 1, 1, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if f := Format(tt.data); f != tt.name {
				t.Errorf("Format = %q, want %q", f, tt.name)
			}
			got := pages(t, tt.data, 1<<20)
			if len(got) != 1 || got[0].Err != nil || got[0].Count != 1 {
				t.Fatalf("pages = %+v, want one decoded", got)
			}
			img := got[0].Image
			if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Fatalf("size %v, want %d×%d", b, tt.w, tt.h)
			}
			if tt.blackX >= 0 && (!dark(img, tt.blackX, 4) || dark(img, 30, 20)) {
				t.Errorf("pixels: (%d,4) dark %v, (30,20) dark %v", tt.blackX, dark(img, tt.blackX, 4), dark(img, 30, 20))
			}
		})
	}
}

// Formats that are pictures but not decoded are named; bytes that are no
// picture known here are damaged, with no format.
func TestPagesNotDecoded(t *testing.T) {
	emf := make([]byte, 88)
	emf[0] = 1
	copy(emf[40:], " EMF")
	pict := make([]byte, 600)
	copy(pict[522:], "\x00\x11\x02\xFF")
	tests := []struct {
		data    []byte
		problem Problem
		format  string
	}{
		{emf, NotDecoded, "EMF"},
		{[]byte("\xD7\xCD\xC6\x9A\x00\x00\x00\x00"), NotDecoded, "WMF"},
		{[]byte("\x01\x00\x09\x00\x00\x03\x00\x00"), NotDecoded, "WMF"},
		{[]byte("\xEF\xBB\xBF<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"), NotDecoded, "SVG"},
		{[]byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), NotDecoded, "HEIF"},
		{[]byte("\x00\x00\x00\x1CftypavifXXXX"), NotDecoded, "AVIF"},
		{[]byte("\x00\x00\x00\x0CjP  \r\n\x87\n\x00\x00"), NotDecoded, "JPEG 2000"},
		{[]byte("\x97JB2\r\n\x1A\n\x01"), NotDecoded, "JBIG2"},
		{[]byte("II\xBC\x01\x08\x00\x00\x00"), NotDecoded, "JPEG XR"},
		{[]byte("8BPS\x00\x01"), NotDecoded, "PSD"},
		{pict, NotDecoded, "PICT"},
		{[]byte("II+\x00\x08\x00\x00\x00\x10\x00\x00\x00\x00\x00\x00\x00"), Unsupported, "TIFF"}, // BigTIFF
		{[]byte("\x89PNG\r\n\x1A\n\x00\x00\x00\x0DIHDR\x00"), Damaged, "PNG"},                    // cut short
		{[]byte("\xFF\xD8\xFF\xE0\x00"), Damaged, "JPEG"},
		{[]byte("hello, world"), Damaged, ""},
		{nil, Damaged, ""},
	}
	for _, tt := range tests {
		got := pages(t, tt.data, 1<<20)
		if len(got) != 1 || got[0].Err == nil || got[0].Err.Problem != tt.problem || got[0].Err.Format != tt.format {
			t.Errorf("%q: pages %+v, want one with problem %d, format %q", tt.data[:min(len(tt.data), 12)], got, tt.problem, tt.format)
			continue
		}
		if got[0].Err.Error() == "" {
			t.Errorf("%q: empty Error()", tt.data[:min(len(tt.data), 12)])
		}
	}
}

// A picture whose header says more pixels than the bound is refused from
// its header, allocating next to nothing: a 50,000×50,000 PNG, a JPEG whose
// frame header says 60,000×60,000, and one TIFF page of 60,000×60,000
// among small ones.
func TestPagesTooLarge(t *testing.T) {
	small := encoded(t, func(b *bytes.Buffer) error { return jpeg.Encode(b, gray(16, 16, 8), nil) })
	i := bytes.Index(small, []byte{0xFF, 0xC0}) // the frame header: length, precision, height, width
	bigJPEG := bytes.Clone(small)
	binary.BigEndian.PutUint16(bigJPEG[i+5:], 60000)
	binary.BigEndian.PutUint16(bigJPEG[i+7:], 60000)
	bigTIFF, _ := picturetest.TIFF(binary.BigEndian, picturetest.Encoded(t, gray(32, 32, 8)), picturetest.Raw(60000, 60000, 8, 1, 1, []byte{0}), picturetest.Encoded(t, gray(32, 32, 8)))
	tests := []struct {
		name   string
		data   []byte
		format string
		bomb   int // the page that is too large
	}{
		{"PNG", picturetest.PNGHeader(50000, 50000), "PNG", 0},
		{"JPEG", bigJPEG, "JPEG", 0},
		{"TIFF", bigTIFF, "TIFF", 1},
	}
	for _, tt := range tests {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := pages(t, tt.data, 40<<20)
		runtime.ReadMemStats(&after)
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("%s: %d bytes allocated to refuse it", tt.name, n)
		}
		for _, p := range got {
			if p.Index == tt.bomb {
				if e := p.Err; e == nil || e.Problem != TooLarge || e.Format != tt.format || e.Width < 50000 || e.Height < 50000 {
					t.Errorf("%s: page %d: %+v, want TooLarge with its size", tt.name, p.Index, e)
				}
			} else if p.Err != nil {
				t.Errorf("%s: page %d: %v", tt.name, p.Index, p.Err)
			}
		}
	}
}

// A photo taken sideways is shown as its EXIF Orientation says: each of the
// 8 values turns a 64×32 picture with a black square at the top left so
// that the square ends up where a viewer shows it.
func TestPagesJPEGOrientation(t *testing.T) {
	plain := encoded(t, func(b *bytes.Buffer) error { return jpeg.Encode(b, gray(64, 32, 16), &jpeg.Options{Quality: 95}) })
	tests := []struct {
		orientation int
		w, h        int
		corner      string // where the square is shown
	}{
		{0, 64, 32, "top left"}, // no EXIF
		{1, 64, 32, "top left"},
		{2, 64, 32, "top right"},
		{3, 64, 32, "bottom right"},
		{4, 64, 32, "bottom left"},
		{5, 32, 64, "top left"},
		{6, 32, 64, "top right"},
		{7, 32, 64, "bottom right"},
		{8, 32, 64, "bottom left"},
		{9, 64, 32, "top left"}, // not a value: left alone
	}
	for _, tt := range tests {
		for _, order := range []picturetest.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := plain
			if tt.orientation > 0 {
				data = withEXIF(plain, order, tt.orientation)
			}
			got := pages(t, data, 1<<20)
			if len(got) != 1 || got[0].Err != nil {
				t.Fatalf("orientation %d: %+v", tt.orientation, got)
			}
			img := got[0].Image
			if b := img.Bounds(); b.Dx() != tt.w || b.Dy() != tt.h {
				t.Errorf("orientation %d (%v): size %v, want %d×%d", tt.orientation, order, b, tt.w, tt.h)
				continue
			}
			corners := map[string]image.Point{"top left": {8, 8}, "top right": {tt.w - 9, 8}, "bottom left": {8, tt.h - 9}, "bottom right": {tt.w - 9, tt.h - 9}}
			for name, p := range corners {
				if dark(img, p.X, p.Y) != (name == tt.corner) {
					t.Errorf("orientation %d (%v): %s dark %v, want the square at the %s", tt.orientation, order, name, dark(img, p.X, p.Y), tt.corner)
				}
			}
		}
	}
}

// withEXIF returns the JPEG with an EXIF block giving its orientation,
// after a JFIF APP0 segment and a comment, as cameras write them.
func withEXIF(jpg []byte, order picturetest.ByteOrder, orientation int) []byte {
	tiffHead := []byte("II*\x00")
	if order == binary.BigEndian {
		tiffHead = []byte("MM\x00*")
	}
	exif := append([]byte("Exif\x00\x00"), tiffHead...)
	exif = order.AppendUint32(exif, 8)
	exif = order.AppendUint16(exif, 2)
	exif = append(exif, ifdEntryBytes(order, 0x010F, 2, 4, []byte("cam\x00"))...) // Make
	exif = append(exif, ifdEntryBytes(order, 0x0112, 3, 1, order.AppendUint16(nil, uint16(orientation)))...)
	exif = order.AppendUint32(exif, 0)
	segment := func(marker byte, body []byte) []byte {
		return append([]byte{0xFF, marker, byte((len(body) + 2) >> 8), byte(len(body) + 2)}, body...)
	}
	out := append([]byte{0xFF, 0xD8}, segment(0xE0, []byte("JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"))...)
	out = append(out, segment(0xFE, []byte("comment"))...)
	out = append(out, segment(0xE1, exif)...)
	return append(out, jpg[2:]...)
}

// ifdEntryBytes is one IFD entry whose value fits in the entry.
func ifdEntryBytes(order picturetest.ByteOrder, tag, typ uint16, count uint32, value []byte) []byte {
	e := order.AppendUint16(nil, tag)
	e = order.AppendUint16(e, typ)
	e = order.AppendUint32(e, count)
	v := make([]byte, 4)
	copy(v, value)
	return append(e, v...)
}

// g4 is a CCITT Group 4 strip of 16×4 pixels, coded by hand: a white row,
// two rows black from x=4 to x=11, a white row.
func g4() []byte {
	bits := "1" + // row 0: V0 (all white, as the imaginary row above)
		"001" + "1011" + "000101" + "1" + // row 1: H, white 4, black 8, then V0
		"111" + // row 2: V0 V0 V0 (as row 1)
		"0001" + "1" + // row 3: pass, then V0
		"000000000001000000000001" // end of block
	var b []byte
	for i := 0; i < len(bits); i += 8 {
		chunk := bits[i:min(i+8, len(bits))]
		chunk += strings.Repeat("0", 8-len(chunk))
		var v byte
		for _, c := range chunk {
			v = v<<1 | byte(c-'0')
		}
		b = append(b, v)
	}
	return b
}

// Every page of a TIFF is decoded, in either byte order, whatever its
// compression: a scanner's CCITT G4 page among deflated gray ones.
func TestPagesTIFF(t *testing.T) {
	sizes := []image.Point{{40, 30}, {50, 20}, {16, 4}}
	for _, order := range []picturetest.ByteOrder{binary.LittleEndian, binary.BigEndian} {
		data, _ := picturetest.TIFF(order, picturetest.Encoded(t, gray(40, 30, 10)), picturetest.Encoded(t, gray(50, 20, 10)), picturetest.Raw(16, 4, 1, 4, 0, g4()))
		got := pages(t, data, 1<<20)
		if len(got) != 3 {
			t.Fatalf("%v: %d pages, want 3", order, len(got))
		}
		for i, p := range got {
			if p.Index != i || p.Count != 3 || p.Err != nil {
				t.Fatalf("%v: page %d: %+v", order, i, p)
			}
			if b := p.Image.Bounds(); b.Dx() != sizes[i].X || b.Dy() != sizes[i].Y {
				t.Errorf("%v: page %d: size %v, want %v", order, i, b, sizes[i])
			}
		}
		for _, px := range []struct {
			x, y int
			dark bool
		}{{5, 5, true}, {30, 15, false}} {
			for _, p := range got[:2] {
				if dark(p.Image, px.x, px.y) != px.dark {
					t.Errorf("%v: page %d (%d,%d) dark %v", order, p.Index, px.x, px.y, !px.dark)
				}
			}
		}
		for _, px := range []struct {
			x, y int
			dark bool
		}{{0, 0, false}, {4, 1, true}, {11, 2, true}, {12, 1, false}, {3, 2, false}, {5, 3, false}} {
			if dark(got[2].Image, px.x, px.y) != px.dark {
				t.Errorf("%v: G4 page (%d,%d) dark %v", order, px.x, px.y, !px.dark)
			}
		}
	}
}

// A TIFF whose page list is broken gives the pages before the break, then
// a damaged page: a chain that loops, that points outside the file, or a
// page that cannot be decoded among good ones.
func TestPagesTIFFBroken(t *testing.T) {
	le := binary.LittleEndian
	good := picturetest.Encoded(t, gray(30, 30, 10))
	loop, links := picturetest.TIFF(le, good, good, good)
	le.PutUint32(loop[links[2]:], le.Uint32(loop[4:])) // page 3 → page 1
	outside, links := picturetest.TIFF(le, good, good)
	le.PutUint32(outside[links[1]:], uint32(len(outside)+100))
	badPage, _ := picturetest.TIFF(le, good, picturetest.Raw(30, 30, 8, 1, 1, []byte{1, 2, 3}), good) // strip too short
	noIFD := []byte("II*\x00\x00\x00\x00\x00")
	tests := []struct {
		name    string
		data    []byte
		decoded []bool
	}{
		{"loop", loop, []bool{true, true, true, false}},
		{"outside", outside, []bool{true, true, false}},
		{"bad page", badPage, []bool{true, false, true}},
		{"no IFD", noIFD, []bool{false}},
	}
	for _, tt := range tests {
		got := pages(t, tt.data, 1<<20)
		if len(got) != len(tt.decoded) {
			t.Errorf("%s: %d pages, want %d", tt.name, len(got), len(tt.decoded))
			continue
		}
		for i, p := range got {
			if p.Count != len(tt.decoded) || (p.Err == nil) != tt.decoded[i] || p.Err != nil && (p.Err.Problem != Damaged || p.Err.Format != "TIFF") {
				t.Errorf("%s: page %d: %+v", tt.name, i, p)
			}
		}
	}
}

// The orientation of a TIFF page is applied as a JPEG's is.
func TestPagesTIFFOrientation(t *testing.T) {
	p := picturetest.Encoded(t, gray(64, 32, 16))
	p.Entries = append(p.Entries, picturetest.Entry{Tag: 0x0112, Type: 3, Values: []uint32{6}})
	slices.SortFunc(p.Entries, func(a, b picturetest.Entry) int { return int(a.Tag) - int(b.Tag) })
	data, _ := picturetest.TIFF(binary.BigEndian, p)
	got := pages(t, data, 1<<20)
	if len(got) != 1 || got[0].Err != nil {
		t.Fatalf("%+v", got)
	}
	img := got[0].Image
	if b := img.Bounds(); b.Dx() != 32 || b.Dy() != 64 || !dark(img, 23, 8) || dark(img, 8, 8) {
		t.Errorf("size %v, top right dark %v, top left dark %v: want 32×64 with the square top right", b, dark(img, 23, 8), dark(img, 8, 8))
	}
}

// Pages stops at f's error and returns it.
func TestPagesStops(t *testing.T) {
	good := picturetest.Encoded(t, gray(30, 30, 10))
	data, _ := picturetest.TIFF(binary.LittleEndian, good, good, good)
	calls := 0
	stop := errStop{}
	if err := Pages(data, 0, func(Page) error { calls++; return stop }); err != stop || calls != 1 {
		t.Errorf("err %v after %d calls, want errStop after 1", err, calls)
	}
}

type errStop struct{}

func (errStop) Error() string { return "stop" }
