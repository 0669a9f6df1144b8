package image_test

import (
	"bytes"
	"context"
	stdimage "image"
	"image/png"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/image"
)

// A picture file is read as review, without text, in its own format.
func TestRead(t *testing.T) {
	var b bytes.Buffer
	if err := png.Encode(&b, stdimage.NewGray(stdimage.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	doc, err := extract.Reader(context.Background(), bytes.NewReader(b.Bytes()), int64(b.Len()), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatImage || len(doc.Segments) != 0 || len(doc.Review) != 1 || doc.Review[0] != "picture file: text in images is not read" {
		t.Errorf("image = %+v, want a review without text", doc)
	}
}
