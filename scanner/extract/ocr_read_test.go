package extract

import (
	"context"
	"errors"
	"image"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// ReadPicture says why each picture was not read, and keeps the
// reasons for ReviewPictures as ReadPicture does.
func TestReadPicture(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 40, 30))
	doc := NewText(FormatPDF, Options{}.WithDefaults())
	for _, c := range []struct {
		name   string
		engine ocr.Engine
		p      Picture
		want   string
	}{
		{"read", picturetest.Engine{Text: "机密", Conf: 90}, Picture{Image: img}, ""},
		{"unsure", picturetest.Engine{Text: "机密", Conf: 30}, Picture{Image: img}, WhyNotConfident},
		{"failed", picturetest.Engine{Err: errors.New("crash")}, Picture{Image: img}, WhyOCRFailed},
		{"not decoded", picturetest.Engine{Conf: 90}, Picture{Why: "its JBIG2Decode compression is not decoded"}, "its JBIG2Decode compression is not decoded"},
		{"no engine", nil, Picture{Image: img}, WhyNoOCR},
	} {
		ctx := context.Background()
		if c.engine != nil {
			ctx = WithEngine(ctx, c.engine)
		}
		why, err := doc.ReadPicture(ctx, c.p)
		if err != nil || why != c.want {
			t.Errorf("%s: ReadPicture = %q, %v; want %q", c.name, why, err, c.want)
		}
	}
	if want := (Pictures{Read: 1, Unread: 4}); doc.Pictures != want {
		t.Errorf("Pictures = %+v, want %+v", doc.Pictures, want)
	}
	doc.ReviewPictures()
	want := []string{ // by reason, sorted
		"1 picture in the document may carry text (not read: OCR failed)",
		"1 picture in the document may carry text (not read: OCR was not confident)",
		"1 picture in the document may carry text (not read: its JBIG2Decode compression is not decoded)",
		"1 picture in the document may carry text (not read)",
	}
	if !slices.Equal(doc.Review, want) {
		t.Errorf("Review = %q, want %q", doc.Review, want)
	}
}
