package extract

import (
	"bytes"
	"context"
	"testing"
)

func TestExtractImage(t *testing.T) {
	data := pngBytes(t)
	doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != FormatImage || len(doc.Segments) != 0 || len(doc.Review) != 1 || doc.Review[0] != "picture file: text in images is not read" {
		t.Errorf("image = %+v, want a review without text", doc)
	}
}
