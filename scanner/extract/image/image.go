// Package image reads picture files for extract: their text is read by
// OCR, every page of a TIFF; a Windows metafile's (EMF, WMF) from its text
// records, and its bitmaps by OCR; the text of a picture's metadata (EXIF,
// XMP, comments) with or without OCR. Without an OCR engine it reads no
// raster picture's pixels and says so: a photo of a page can hold a
// secret, so a picture is then never reported clean. Importing it
// registers the reader.
package image

import (
	"context"
	"io"

	"github.com/baomi/baomi/scanner/extract"
)

func init() { extract.Register(extract.FormatImage, read) }

// read is the extractor of extract.FormatImage.
func read(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	doc := extract.NewText(extract.FormatImage, opt)
	data, err := io.ReadAll(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, extract.Errorf(extract.KindIO, "cannot read file: %v", err)
	}
	if err := doc.ReadPictureFile(ctx, data); err != nil {
		return nil, err
	}
	doc.ReviewPictures()
	return doc.Document, nil
}
