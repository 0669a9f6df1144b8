// Package image reads picture files for extract. It reads no text from
// them yet but says so: a photo of a page can hold a secret, so a picture
// is never reported clean. Importing it registers the reader.
package image

import (
	"context"
	"io"

	"github.com/baomi/baomi/scanner/extract"
)

func init() { extract.Register(extract.FormatImage, read) }

// read is the extractor of extract.FormatImage.
func read(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	return &extract.Document{
		Format:   extract.FormatImage,
		Segments: []extract.Segment{},
		Review:   []string{"picture file: text in images is not read"},
	}, nil
}
