package extract

import (
	"context"
	"io"
)

// placeholders replaced by docx.go, text.go, image.go, sniff.go.
func extractDOCX(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Document, error) {
	return nil, Errorf(KindUnsupported, "DOCX not implemented yet")
}
func extractText(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Document, error) {
	return nil, Errorf(KindUnsupported, "text not implemented yet")
}
func extractImage(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Document, error) {
	return &Document{Review: []string{"picture file: text in images is not read"}}, nil
}

// Sniff returns the format of the file from its bytes.
func Sniff(r io.ReaderAt, size int64) (Format, error) { return FormatUnknown, nil }
