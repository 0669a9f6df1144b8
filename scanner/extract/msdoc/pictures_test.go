package msdoc_test

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// dibBlip is an OfficeArt BLIP record holding a DIB (a BMP without its
// file header, here 8-bit with a palette) of w×h pixels.
func dibBlip(t *testing.T, w, h int) []byte {
	dib := picturetest.BMP(t, w, h)[14:]
	rec := binary.LittleEndian.AppendUint16(nil, 0x7A8<<4)
	rec = binary.LittleEndian.AppendUint16(rec, 0xF01F)
	rec = binary.LittleEndian.AppendUint32(rec, uint32(17+len(dib)))
	return append(append(rec, make([]byte, 17)...), dib...)
}

// The pictures of a Word document are read by OCR, each named by its
// place among them: a PNG and a DIB are decoded, a metafile's text
// records are read (one whose stream is damaged says so), a decoration is
// left out; Word 6/95 pictures, found by their anchors only, are not
// decoded.
func TestPicturesOCR(t *testing.T) {
	emf := metafiletest.Blip("EMF", metafiletest.EMF(metafiletest.TextW(0, 0, "秘密★1年")))
	damaged := binary.LittleEndian.AppendUint16(nil, 0x3D4<<4)
	damaged = binary.LittleEndian.AppendUint16(damaged, 0xF01A)
	damaged = binary.LittleEndian.AppendUint32(damaged, 16+34+8)
	damaged = append(damaged, make([]byte, 16+34+8)...)
	type pic struct {
		inner, text string
	}
	word6 := gbk("图\x01文\x08\r")
	tests := []struct {
		name   string
		doc    []byte
		want   []pic
		review []string
	}{
		{"photo", func() []byte {
			w := body("正文\x01\r")
			w.extra = []cfb.Stream{{Path: "Data", Data: slices.Concat([]byte("PICF"), blip(200, 100), blip(15, 15), dibBlip(t, 120, 40))}}
			return w.build()
		}(), []pic{{"picture 1", mark + "\n200x100"}, {"picture 2", mark + "\n120x40"}}, nil},
		{"metafile", func() []byte {
			w := body("正文\x01\r")
			w.extra = []cfb.Stream{{Path: "Data", Data: slices.Concat(emf, damaged, blip(30, 400))}}
			return w.build()
		}(), []pic{{"picture 1", "秘密★1年"}, {"picture 3", mark + "\n30x400"}}, []string{"1 picture in the document may carry text (not read: it is a damaged EMF)"}},
		{"Word 6", word{word6: true, lid: 0x0804, pieces: []pc{{text: word6}}, ccp: [8]uint32{uint32(len(word6))}}.build(),
			nil, []string{"2 pictures in the document may carry text (not read: it could not be decoded)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := doctest.ReadOCR(t, picturetest.Engine{Text: mark, Conf: 90}, tt.doc)
			got := doctest.Pictures(doc, func(s extract.Segment) pic { return pic{s.Inner, s.Text} })
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("pictures %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
