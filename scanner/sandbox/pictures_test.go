package sandbox

import (
	"context"
	"image"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/ocr"
)

// slowOCR is an Engine that takes pictureTime on each picture, as
// Tesseract takes seconds on a scanned page, and reads a marking.
type slowOCR struct{}

const (
	scannedPictures = 6
	pictureTime     = 400 * time.Millisecond
)

func (slowOCR) Recognize(ctx context.Context, img image.Image) (ocr.Result, error) {
	select {
	case <-time.After(pictureTime):
	case <-ctx.Done():
		return ocr.Result{}, ctx.Err()
	}
	return ocr.Result{Lines: []ocr.Line{{Text: "机密★5年", Conf: 90}}, Conf: 90}, nil
}

// scannedPages reads a scan of scannedPictures pages by OCR, which takes
// longer than the file timeout of TestPictureTime.
func scannedPages(ctx context.Context, opt extract.Options) (*extract.Document, error) {
	d := extract.NewText(extract.FormatPDF, opt)
	ctx = extract.WithEngine(ctx, slowOCR{})
	for page := 1; page <= scannedPictures; page++ {
		if _, err := d.ReadPicture(ctx, extract.Picture{Page: page, Image: image.NewGray(image.Rect(0, 0, 8, 8))}); err != nil {
			return nil, err
		}
	}
	d.ReviewPictures()
	return d.Document, nil
}

// TestPictureTime checks that each picture read by OCR grows the file's
// time: a scan whose pages together take longer than the file timeout is
// read whole, and its picture counts cross to the parent; with the growth
// bounded by MaxPages below the pictures' number, it is stopped, saying
// that time was added.
func TestPictureTime(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxPages int
		reason   string // "": read
	}{
		{"grown", 0, ""},
		{"bounded", 1, "(file timeout, with time added for the pictures read by OCR)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := extract.DefaultOptions()
			opt.OCR.Timeout = time.Second
			if tc.maxPages > 0 {
				opt.MaxPages = tc.maxPages
			}
			// The pages take 2.4 s; the file may take 1 s, and 1 s more a
			// picture: 7 s, or 2 s when at most one picture counts.
			p := newPool(t, Options{Timeout: time.Second, Extract: opt})
			doc, err := p.Extract(context.Background(), "pictures")
			if tc.reason != "" {
				if extract.KindOf(err) != extract.KindTimeout || !strings.Contains(err.Error(), tc.reason) {
					t.Fatalf("got %v, %v; want a timeout saying %q", doc, err, tc.reason)
				}
				return
			}
			if err != nil {
				t.Fatalf("a scan of %d pictures of %v each was cut at the file timeout: %v", scannedPictures, pictureTime, err)
			}
			if doc.Pictures != (extract.Pictures{Read: scannedPictures}) || len(doc.Segments) != scannedPictures || len(doc.Review) != 0 {
				t.Errorf("got pictures %+v, %d segments, review %q; want %d read, one segment each", doc.Pictures, len(doc.Segments), doc.Review, scannedPictures)
			}
			for _, seg := range doc.Segments {
				if seg.Part != extract.PartPicture || seg.Text != "机密★5年" {
					t.Errorf("segment %+v", seg)
				}
			}
		})
	}
}
