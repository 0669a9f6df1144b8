package msxls_test

import (
	"bytes"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// art is an OfficeArt record.
func art(verInst, typ uint16, parts ...[]byte) []byte {
	data := bytes.Join(parts, nil)
	return slices.Concat(u16(verInst, typ), u32(uint32(len(data))), data)
}

// fbse is a picture store entry holding a PNG of w×h pixels in its BLIP.
func fbse(t *testing.T, w, h int) []byte {
	return art(6<<4|2, 0xF007, make([]byte, 36), art(0x6E0<<4, 0xF01E, make([]byte, 17), picturetest.PNG(t, w, h)))
}

// The pictures of a workbook's picture store are read by OCR, named by
// their place; a decoration is left out; an entry the store counts whose
// picture is not there is a picture not decoded.
func TestPicturesOCR(t *testing.T) {
	store := func(entries int, fbses ...[]byte) []byte {
		return rec(0x00EB, art(0xF, 0xF000, art(uint16(entries)<<4|0xF, 0xF001, fbses...)))
	}
	tests := []struct {
		name   string
		group  []byte
		want   []string
		review []string
	}{
		{"read", store(2, fbse(t, 200, 100), fbse(t, 16, 16)), []string{"picture 1"}, nil},
		{"cut short", store(3, fbse(t, 200, 100)), []string{"picture 1"},
			[]string{"2 pictures in the document may carry text (not read: it could not be decoded)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cfb.Build(cfb.Stream{Path: "Workbook", Data: workbook(tt.group, sheetDef{"表", 0, rec(label, u16(0, 0, 15), str16("正文"))})})
			doc := doctest.ReadOCR(t, picturetest.Engine{Text: "机密", Conf: 90}, file)
			got := doctest.Pictures(doc, func(s extract.Segment) string { return s.Inner })
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("pictures %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
