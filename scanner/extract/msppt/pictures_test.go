package msppt_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// pngBlip is a PNG BLIP record (one id, the tag byte) of w×h pixels.
func pngBlip(t *testing.T, w, h int) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return record(0xF01E, 0x6E0, false, make([]byte, 17), b.Bytes())
}

// The pictures of a presentation's Pictures stream are read by OCR, named
// by their place; a metafile is not decoded, a record that is no picture
// read here is a picture not decoded, a decoration is left out.
func TestPicturesOCR(t *testing.T) {
	stream, current := presentation(record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256), chars("文本"))), record(0x03EE, 0, true))
	emf := record(0xF01A, 0x3D4, false, make([]byte, 16+34+8))
	tests := []struct {
		name     string
		pictures []byte
		want     []string // the inner names of the picture segments
		review   []string
	}{
		{"read", slices.Concat(pngBlip(t, 200, 100), pngBlip(t, 16, 16), pngBlip(t, 50, 300)), []string{"picture 1", "picture 2"}, nil},
		{"metafile and unknown", slices.Concat(emf, record(0xF01E, 0, false, []byte("png")), pngBlip(t, 200, 100)), []string{"picture 3"}, []string{
			"1 picture in the document may carry text (not read: it could not be decoded)",
			"1 picture in the document may carry text (not read: its format (EMF) is not decoded)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file := cfb.Build(cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream}, cfb.Stream{Path: "Pictures", Data: tt.pictures})
			ctx := extract.WithEngine(context.Background(), picturetest.Engine{Text: "机密", Conf: 90})
			doc, err := extract.Reader(ctx, bytes.NewReader(file), int64(len(file)), extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, s := range doc.Segments {
				if s.Part == extract.PartPicture {
					got = append(got, s.Inner)
				}
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("pictures %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
