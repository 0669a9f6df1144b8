package extract

import (
	"context"
	"io"
)

// extractPDF is a placeholder replaced by pdf.go.
func extractPDF(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Document, error) {
	return nil, Errorf(KindUnsupported, "PDF not implemented yet")
}
