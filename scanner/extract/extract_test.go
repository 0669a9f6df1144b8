package extract

import (
	"bytes"
	"context"
	"io"
	"testing"
)

// TestReaderKeepsExtractorFormat: the extractor names the format it read,
// which may be more precise than the sniffed one (a compound file that is
// a .doc): Reader keeps it.
func TestReaderKeepsExtractorFormat(t *testing.T) {
	saved := extractors[FormatImage]
	defer func() { extractors[FormatImage] = saved }()
	extractors[FormatImage] = func(context.Context, io.ReaderAt, int64, Options) (*Document, error) {
		return &Document{Format: FormatDOC, Segments: []Segment{}}, nil
	}
	data := pngBytes(t)
	doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil || doc.Format != FormatDOC {
		t.Fatalf("Reader = %+v, %v; want the extractor's format %q", doc, err, FormatDOC)
	}
}
