package metafile

import (
	"errors"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

// FuzzMetafile reads arbitrary bytes as a metafile, and as the metafile
// of an OfficeArt BLIP: no panic, no hang, valid UTF-8 text, an error that
// is a *picture.Error, and no more bytes of bitmaps than the file has
// (each BMP's 14-byte file header aside).
func FuzzMetafile(f *testing.F) {
	bits, bmi := dib(f, 8, 4)
	f.Add(metafiletest.EMF(metafiletest.Font(1, 134), metafiletest.Select(1), metafiletest.TextA(0, 0, []byte("\xbb\xfa\xc3\xdc")),
		metafiletest.TextW(0, 9, "机密"), metafiletest.StretchDIBits(bits, bmi), metafiletest.PlusString(true, 3, "x")))
	f.Add(metafiletest.WMF(metafiletest.WMFFont(134), metafiletest.WMFSelect(0), metafiletest.WMFText(0, 0, []byte("ab")),
		metafiletest.WMFTextOut(0, 0, []byte("c")), metafiletest.WMFStretchDIB(bits)))
	f.Add(metafiletest.Blip("EMF", metafiletest.EMF(metafiletest.TextW(0, 0, "a")))[8+16:])
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(data []byte) {
			m, err := Read(data)
			var pe *picture.Error
			if err != nil && !errors.As(err, &pe) {
				t.Fatalf("error %T %v", err, err)
			}
			if !utf8.ValidString(m.Text) {
				t.Fatalf("text not UTF-8: %q", m.Text)
			}
			n := 0
			for _, b := range m.Bitmaps {
				n += len(b) - 14
			}
			if n > len(data) {
				t.Fatalf("%d bytes of bitmaps from %d bytes", n, len(data))
			}
		}
		check(data)
		if u, _ := Unpack(data, "EMF"); u != nil {
			check(u)
		}
	})
}
