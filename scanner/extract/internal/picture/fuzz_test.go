package picture

import (
	"bytes"
	"encoding/binary"
	"image/jpeg"
	"image/png"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"golang.org/x/image/tiff"
)

// FuzzPictures decodes arbitrary bytes as a picture: no panic, no hang,
// and every page either an image within the pixel bound or an error.
func FuzzPictures(f *testing.F) {
	m := gray(24, 20, 8)
	for _, enc := range []func(*bytes.Buffer) error{
		func(b *bytes.Buffer) error { return png.Encode(b, m) },
		func(b *bytes.Buffer) error { return jpeg.Encode(b, m, nil) },
		func(b *bytes.Buffer) error { return tiff.Encode(b, m, &tiff.Options{Compression: tiff.Deflate}) },
	} {
		var b bytes.Buffer
		if err := enc(&b); err != nil {
			f.Fatal(err)
		}
		f.Add(b.Bytes())
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, m, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(withEXIF(b.Bytes(), binary.BigEndian, 6))
	g4TIFF, _ := picturetest.TIFF(binary.BigEndian, picturetest.Raw(16, 4, 1, 4, 0, g4()), picturetest.Raw(16, 4, 1, 3, 0, g4()))
	f.Add(g4TIFF)
	f.Add(picturetest.PNGHeader(50000, 50000))
	// The kinds of BMP decoded here rather than by x/image/bmp.
	f.Add(bmpFile(3, 2, 8, biRLE8, palette4, []byte{3, 2, 0, 0, 0, 3, 1, 0, 3, 0, 0, 1}))
	f.Add(bmpFile(2, 2, 4, biRLE4, palette4, []byte{2, 0x23, 0, 0, 2, 0x11, 0, 1}))
	f.Add(bmpFile(1, 2, 16, biRGB, nil, []byte{0x00, 0x7C, 0, 0, 0xFF, 0x7F, 0, 0}))
	const maxPixels = 1 << 16
	check := func(t *testing.T, data []byte) {
		next := 0
		err := Pages(data, maxPixels, func(p Page) error {
			if p.Index != next || p.Count <= p.Index {
				t.Fatalf("page %d of %d, want page %d", p.Index, p.Count, next)
			}
			next++
			switch {
			case (p.Image == nil) == (p.Err == nil):
				t.Fatalf("page %d: image %v, error %v: want exactly one", p.Index, p.Image != nil, p.Err)
			case p.Err != nil && (p.Err.Problem < Damaged || p.Err.Problem > TooLarge || p.Err.Error() == ""):
				t.Fatalf("page %d: error %+v", p.Index, p.Err)
			case p.Image != nil && p.Image.Bounds().Dx()*p.Image.Bounds().Dy() > maxPixels:
				t.Fatalf("page %d: %v is over the bound", p.Index, p.Image.Bounds())
			}
			return nil
		})
		if err != nil || next == 0 {
			t.Fatalf("Pages: %v after %d pages", err, next)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check(t, data)
		// The same bytes as a DIB, and the pictures of the BLIP records
		// they hold, as the Office 97-2003 readers hand them over.
		check(t, FromDIB(data))
		for _, b := range Blips(data) {
			if !b.Metafile {
				check(t, b.Data)
			}
		}
	})
}

// FuzzMeta reads arbitrary bytes as a picture's metadata: no panic, no
// hang, every line valid UTF-8 text within the bounds.
func FuzzMeta(f *testing.F) {
	le := binary.LittleEndian
	exif := picturetest.EXIF(le, []picturetest.Tag{picturetest.ASCII(0x010E, "机密"), picturetest.XP(0x9C9B, "标题")},
		[]picturetest.Tag{{ID: 0x9286, Type: 7, Value: []byte("UNICODE\x00\x3a\x67\xc6\x5b")}})
	f.Add(exif)
	f.Add(picturetest.JPEG(f, 8, 8, exifAPP1(exif), picturetest.Segment(0xFE, []byte("注释")),
		picturetest.Segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+xmpPacket)),
		picturetest.Segment(0xED, photoshopIPTC(iptc(1, 90, "\x1b%G"), iptc(2, 5, "标题"), iptc(2, 120, "说明")))))
	f.Add(picturetest.PNGWith(f, 8, 8, picturetest.Chunk("tEXt", []byte("Title\x00机密")),
		picturetest.Chunk("zTXt", append([]byte("Comment\x00\x00"), deflated([]byte("秘密"))...)),
		picturetest.Chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmpPacket)),
		picturetest.Chunk("eXIf", exif)))
	f.Add(picturetest.GIFWith(f, 8, 8, []byte("\xFE注释")))
	f.Add(gifXMP(f, xmpPacket))
	f.Add(picturetest.WebP([2]string{"EXIF", string(exif)}, [2]string{"XMP ", xmpPacket}))
	f.Fuzz(func(t *testing.T, data []byte) {
		lines, _ := Meta(data)
		total := 0
		for _, l := range lines {
			if !utf8.ValidString(l) || !isText(l) {
				t.Fatalf("line %q", l)
			}
			total += len(l)
		}
		if len(lines) > maxMetaValues || total > maxMetaText {
			t.Fatalf("%d lines, %d bytes: over the bounds", len(lines), total)
		}
	})
}
