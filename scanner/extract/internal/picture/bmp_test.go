package picture

import (
	"bytes"
	"encoding/binary"
	"image/color"
	"testing"
)

// bmpFile builds a BMP of w×h pixels (h negative: top-down) of bpp bits
// with compression, its palette and masks after a 40-byte header, then
// the pixels.
func bmpFile(w, h int32, bpp uint16, compression uint32, extra, px []byte) []byte {
	le := binary.LittleEndian
	info := make([]byte, 40)
	le.PutUint32(info, 40)
	le.PutUint32(info[4:], uint32(w))
	le.PutUint32(info[8:], uint32(h))
	le.PutUint16(info[12:], 1)
	le.PutUint16(info[14:], bpp)
	le.PutUint32(info[16:], compression)
	if bpp <= 8 {
		le.PutUint32(info[32:], uint32(len(extra)/4)) // colours used
	}
	off := 14 + 40 + len(extra)
	b := append([]byte("BM"), le.AppendUint32(nil, uint32(off+len(px)))...)
	b = le.AppendUint32(append(b, 0, 0, 0, 0), uint32(off))
	return append(append(append(b, info...), extra...), px...)
}

// palette4 is black, white, red, blue as BMP palette entries (BGR0).
var palette4 = []byte{0, 0, 0, 0, 255, 255, 255, 0, 0, 0, 255, 0, 255, 0, 0, 0}

func TestBMPFallback(t *testing.T) {
	red, white, black := color.RGBA{255, 0, 0, 255}, color.RGBA{255, 255, 255, 255}, color.RGBA{0, 0, 0, 255}
	blue := color.RGBA{0, 0, 255, 255}
	tests := []struct {
		name string
		file []byte
		want [][]color.RGBA // rows from the top; nil: damaged
	}{
		// 16-bit 5-5-5, bottom-up: the bottom row first, rows padded to 4 bytes.
		{"16-bit 555", bmpFile(1, 2, 16, biRGB, nil, []byte{0x00, 0x7C, 0, 0, 0xFF, 0x7F, 0, 0}),
			[][]color.RGBA{{white}, {red}}},
		// 16-bit 5-6-5 by BI_BITFIELDS, top-down.
		{"16-bit 565", bmpFile(2, -1, 16, biBitfields, binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(binary.LittleEndian.AppendUint32(nil, 0xF800), 0x07E0), 0x001F),
			[]byte{0x00, 0xF8, 0x1F, 0x00}), [][]color.RGBA{{red, blue}}},
		// RLE8: a run of 3 reds, end of line; a literal white, black,
		// blue (3 bytes, padded to a word), end of picture.
		{"RLE8", bmpFile(3, 2, 8, biRLE8, palette4, []byte{3, 2, 0, 0, 0, 3, 1, 0, 3, 0, 0, 1}),
			[][]color.RGBA{{white, black, blue}, {red, red, red}}},
		// RLE4: a run of 2 alternating indexes (red, blue), end of line,
		// a run of 2 whites, end of picture.
		{"RLE4", bmpFile(2, 2, 4, biRLE4, palette4, []byte{2, 0x23, 0, 0, 2, 0x11, 0, 1}),
			[][]color.RGBA{{white, white}, {red, blue}}},
		{"RLE8 without its end", bmpFile(2, 2, 8, biRLE8, palette4, []byte{2, 2, 0, 0}), nil},
		{"16-bit cut short", bmpFile(4, 4, 16, biRGB, nil, []byte{1, 2, 3}), nil},
	}
	for _, tt := range tests {
		img, err := decodeBMP(bytes.NewReader(tt.file))
		if tt.want == nil {
			if err == nil {
				t.Errorf("%s: decoded, want an error", tt.name)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		c, err := decodeBMPConfig(bytes.NewReader(tt.file))
		if err != nil || c.Width != len(tt.want[0]) || c.Height != len(tt.want) {
			t.Errorf("%s: config %dx%d, %v", tt.name, c.Width, c.Height, err)
		}
		for y, row := range tt.want {
			for x, want := range row {
				if got := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); got != want {
					t.Errorf("%s: pixel (%d, %d) = %v, want %v", tt.name, x, y, got, want)
				}
			}
		}
	}
}
