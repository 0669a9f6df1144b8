package picturetest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"testing"
	"unicode/utf16"
)

// Tag is an IFD entry whose value is bytes: of type ASCII (2), BYTE (1)
// or UNDEFINED (7).
type Tag struct {
	ID, Type uint16
	Value    []byte
}

// ASCII is a tag of type ASCII holding s, NUL-terminated.
func ASCII(id uint16, s string) Tag { return Tag{id, 2, append([]byte(s), 0)} }

// XP is one of Windows' XP tags (XPTitle …) holding s in UTF-16LE.
func XP(id uint16, s string) Tag {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return Tag{id, 1, append(b, 0, 0)}
}

// EXIF is a TIFF structure, as an EXIF block holds after its "Exif\0\0"
// (and a TIFF file of no page): an IFD0 of the tags ifd0 and, when exif is
// not nil, a pointer to an Exif sub-IFD of the tags exif. Values too long
// for their entry follow the IFDs.
func EXIF(order ByteOrder, ifd0, exif []Tag) []byte {
	n0 := len(ifd0)
	if exif != nil {
		n0++
	}
	exifAt := 8 + 2 + 12*n0 + 4
	valuesAt := exifAt
	if exif != nil {
		valuesAt += 2 + 12*len(exif) + 4
	}
	b := []byte("II*\x00")
	if order == binary.BigEndian {
		b = []byte("MM\x00*")
	}
	b = order.AppendUint32(b, 8)
	var values []byte
	entries := func(tags []Tag, sub int) {
		n := len(tags)
		if sub > 0 {
			n++
		}
		b = order.AppendUint16(b, uint16(n))
		for _, t := range tags {
			b = order.AppendUint16(b, t.ID)
			b = order.AppendUint16(b, t.Type)
			b = order.AppendUint32(b, uint32(len(t.Value)))
			if len(t.Value) <= 4 {
				b = append(b, append(bytes.Clone(t.Value), make([]byte, 4-len(t.Value))...)...)
				continue
			}
			b = order.AppendUint32(b, uint32(valuesAt+len(values)))
			values = append(values, t.Value...)
			if len(values)%2 == 1 {
				values = append(values, 0)
			}
		}
		if sub > 0 {
			b = order.AppendUint16(b, 0x8769)
			b = order.AppendUint16(b, 4)
			b = order.AppendUint32(b, 1)
			b = order.AppendUint32(b, uint32(sub))
		}
		b = order.AppendUint32(b, 0) // no next IFD
	}
	sub := 0
	if exif != nil {
		sub = exifAt
	}
	entries(ifd0, sub)
	if exif != nil {
		entries(exif, 0)
	}
	return append(b, values...)
}

// Segment is a JPEG marker segment: marker (0xE1 APP1, 0xFE COM …) and
// data, its length before it.
func Segment(marker byte, data []byte) []byte {
	b := []byte{0xFF, marker}
	b = binary.BigEndian.AppendUint16(b, uint16(len(data)+2))
	return append(b, data...)
}

// JPEG is a blank gray JPEG of w×h pixels with segments put right after
// its start marker.
func JPEG(t testing.TB, w, h int, segments ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	out := append([]byte{}, b.Bytes()[:2]...)
	for _, s := range segments {
		out = append(out, s...)
	}
	return append(out, b.Bytes()[2:]...)
}

// Chunk is a PNG chunk of type typ holding data, with its CRC.
func Chunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(b, typ...)
	b = append(b, data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(b[4:]))
}

// PNGWith is a blank gray PNG of w×h pixels with chunks put after its
// header chunk.
func PNGWith(t testing.TB, w, h int, chunks ...[]byte) []byte {
	t.Helper()
	b := PNG(t, w, h)
	const afterIHDR = 8 + 25
	out := append([]byte{}, b[:afterIHDR]...)
	for _, c := range chunks {
		out = append(out, c...)
	}
	return append(out, b[afterIHDR:]...)
}

// GIFWith is a blank GIF of w×h pixels with extensions (each its label
// and data, put in sub-blocks) before its trailer.
func GIFWith(t testing.TB, w, h int, extensions ...[]byte) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	out := bytes.Clone(b.Bytes()[:b.Len()-1])
	for _, e := range extensions {
		out = append(out, 0x21, e[0])
		for d := e[1:]; len(d) > 0; {
			n := min(len(d), 255)
			out = append(out, byte(n))
			out = append(out, d[:n]...)
			d = d[n:]
		}
		out = append(out, 0)
	}
	return append(out, 0x3B)
}

// WebP is a RIFF WebP file of the chunks given (each its four-character
// type and data), without an image: enough for its chunks to be walked.
func WebP(chunks ...[2]string) []byte {
	var body []byte
	for _, c := range chunks {
		body = append(body, c[0]...)
		body = binary.LittleEndian.AppendUint32(body, uint32(len(c[1])))
		body = append(body, c[1]...)
		if len(c[1])%2 == 1 {
			body = append(body, 0)
		}
	}
	b := []byte("RIFF")
	b = binary.LittleEndian.AppendUint32(b, uint32(4+len(body)))
	b = append(b, "WEBP"...)
	return append(b, body...)
}
