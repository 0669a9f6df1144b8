package metafile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// gbk is s in GBK, as a font of charset GB2312 draws it.
func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// dib is a w×h bitmap as a metafile stores one: a BMP file without its
// 14-byte file header, the header and palette (bmi bytes) then the bits.
func dib(t testing.TB, w, h int) (b []byte, bmi int) {
	return picturetest.BMP(t, w, h)[14:], 40 + 256*4
}

// masked is a w×h 32-bit bitmap with BI_BITFIELDS color masks after a
// 40-byte header, as GDI writes the bitmaps of metafiles, and the length
// of its header and masks.
func masked(w, h int) (b []byte, bmi int) {
	b = binary.LittleEndian.AppendUint32(nil, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 32)
	b = binary.LittleEndian.AppendUint32(b, 3)
	b = append(b, make([]byte, 20)...)
	b = append(b, "\x00\x00\xFF\x00\x00\xFF\x00\x00\xFF\x00\x00\x00"...)
	return append(b, make([]byte, 4*w*h)...), 52
}

// TestRead reads the text and the bitmaps of EMF and WMF files built
// record by record, and says when one is damaged, keeping what was read
// before the damage.
func TestRead(t *testing.T) {
	m := metafiletest.EMF
	bits, bmi := dib(t, 40, 30)
	huge := bytes.Clone(bits)
	binary.LittleEndian.PutUint32(huge[4:], 100000) // width
	binary.LittleEndian.PutUint32(huge[8:], 100000) // height
	bits32, bmi32 := masked(40, 30)
	whole := m(metafiletest.TextW(0, 10, "机密"), metafiletest.TextW(50, 10, "★5年"), metafiletest.TextW(0, 40, "关于"))
	lying := bytes.Clone(whole)
	binary.LittleEndian.PutUint32(lying[88+4:], 0x7FFFFFF0) // the first text record's size
	tests := []struct {
		name    string
		data    []byte
		text    string
		bitmaps [][2]int // each bitmap's size, or {0, 0} for one too large
		damaged string   // the format of a damaged file
	}{
		{"EMF lines", whole, "机密★5年\n关于", nil, ""},
		{"EMF GB2312 8-bit", m(metafiletest.Font(1, 134), metafiletest.Select(1), metafiletest.TextA(0, 0, gbk(t, "绝密★长期"))), "绝密★长期", nil, ""},
		{"EMF default charset", m(metafiletest.TextA(0, 0, gbk(t, "秘密"))), "秘密", nil, ""},
		{"EMF ANSI font", m(metafiletest.Font(2, 0), metafiletest.Select(2), metafiletest.TextA(0, 0, []byte("caf\xE9"))), "café", nil, ""},
		{"EMF bitmap", m(metafiletest.StretchDIBits(bits, bmi)), "", [][2]int{{40, 30}}, ""},
		{"EMF 32-bit masked bitmap", m(metafiletest.StretchDIBits(bits32, bmi32)), "", [][2]int{{40, 30}}, ""},
		{"EMF bitmap bomb", m(metafiletest.StretchDIBits(huge, bmi)), "", [][2]int{{0, 0}}, ""},
		{"EMF+ dual", m(metafiletest.PlusString(true, 5, "机密"), metafiletest.TextW(0, 5, "机密")), "机密", nil, ""},
		{"EMF+ only", m(metafiletest.PlusString(false, 5, "机密"), metafiletest.PlusString(false, 5, "★")), "机密★", nil, ""},
		{"EMF truncated", whole[:len(whole)-30], "机密★5年", nil, "EMF"},
		{"EMF without EOF", whole[:len(whole)-20], "机密★5年\n关于", nil, "EMF"},
		{"EMF size lying", lying, "", nil, "EMF"},
		{"WMF", metafiletest.WMF(
			metafiletest.WMFFont(134), metafiletest.WMFSelect(0),
			metafiletest.WMFText(0, 10, gbk(t, "机密")), metafiletest.WMFTextOut(40, 10, []byte("*5")),
			metafiletest.WMFStretchDIB(bits)), "机密*5", [][2]int{{40, 30}}, ""},
		{"WMF truncated", metafiletest.WMF(metafiletest.WMFText(0, 0, []byte("secret")))[:50], "", nil, "WMF"},
		{"not a metafile", []byte("hello"), "", nil, "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.data)
			if got.Text != tt.text {
				t.Errorf("text %q, want %q", got.Text, tt.text)
			}
			var pe *picture.Error
			switch {
			case tt.damaged == "" && err != nil:
				t.Errorf("err %v, want none", err)
			case tt.damaged == "-" && (!errors.As(err, &pe) || pe.Format != ""):
				t.Errorf("err %v, want not a metafile", err)
			case tt.damaged != "" && tt.damaged != "-" && (!errors.As(err, &pe) || pe.Problem != picture.Damaged || pe.Format != tt.damaged):
				t.Errorf("err %v, want a damaged %s", err, tt.damaged)
			}
			if len(got.Bitmaps) != len(tt.bitmaps) {
				t.Fatalf("%d bitmaps, want %d", len(got.Bitmaps), len(tt.bitmaps))
			}
			for i, b := range got.Bitmaps {
				_ = picture.Pages(b, 1<<20, func(p picture.Page) error {
					switch want := tt.bitmaps[i]; {
					case want == [2]int{} && (p.Err == nil || p.Err.Problem != picture.TooLarge):
						t.Errorf("bitmap %d: %+v, want too large", i, p.Err)
					case want != [2]int{} && (p.Err != nil || p.Image.Bounds().Dx() != want[0] || p.Image.Bounds().Dy() != want[1]):
						t.Errorf("bitmap %d: %+v, want %v", i, p, want)
					}
					return nil
				})
			}
		})
	}
}

// TestUnpack unpacks the metafile of an OfficeArt BLIP, and refuses one
// that inflates to more than its header says or whose stream is damaged.
func TestUnpack(t *testing.T) {
	emf := metafiletest.EMF(metafiletest.TextW(0, 0, "机密"))
	blips := picture.Blips(metafiletest.Blip("EMF", emf))
	if len(blips) != 1 || blips[0].Format != "EMF" {
		t.Fatalf("Blips = %+v", blips)
	}
	b := blips[0].Data
	got, err := Unpack(b, "EMF")
	if err != nil || !bytes.Equal(got, emf) {
		t.Fatalf("Unpack = %d bytes, %v; want the EMF", len(got), err)
	}
	small := bytes.Clone(b)
	binary.LittleEndian.PutUint32(small, 20) // it says 20 bytes
	cut := b[:len(b)-8]
	for name, data := range map[string][]byte{"lying size": small, "damaged stream": cut, "short": b[:20]} {
		_, err := Unpack(data, "EMF")
		var pe *picture.Error
		if !errors.As(err, &pe) || pe.Problem != picture.Damaged || pe.Format != "EMF" {
			t.Errorf("%s: err %v, want a damaged EMF", name, err)
		}
	}
}
