package msppt_test

import (
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// pngBlip is a PNG BLIP record (one id, the tag byte) of w×h pixels.
func pngBlip(t *testing.T, w, h int) []byte {
	return record(0xF01E, 0x6E0, false, make([]byte, 17), picturetest.PNG(t, w, h))
}

// The pictures of a presentation's Pictures stream are read by OCR, named
// by their place; a metafile's text records are read, a record that is no
// picture read here is a picture not decoded, a decoration is left out.
func TestPicturesOCR(t *testing.T) {
	stream, current := presentation(record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256), chars("文本"))), record(0x03EE, 0, true))
	emf := metafiletest.Blip("EMF", metafiletest.EMF(metafiletest.TextW(0, 0, "机密")))
	tests := []struct {
		name     string
		pictures []byte
		want     []string // the inner names of the picture segments
		review   []string
	}{
		{"read", slices.Concat(pngBlip(t, 200, 100), pngBlip(t, 16, 16), pngBlip(t, 50, 300)), []string{"picture 1", "picture 2"}, nil},
		{"metafile and unknown", slices.Concat(emf, record(0xF01E, 0, false, []byte("png")), pngBlip(t, 200, 100)), []string{"picture 1", "picture 3"}, []string{
			"1 picture in the document may carry text (not read: it could not be decoded)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cfb.Build(cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream}, cfb.Stream{Path: "Pictures", Data: tt.pictures})
			doc := doctest.ReadOCR(t, picturetest.Engine{Text: "机密", Conf: 90}, file)
			got := doctest.Pictures(doc, func(s extract.Segment) string { return s.Inner })
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("pictures %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
