package extract

import (
	"bytes"
	"context"
	"image"
	"slices"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// stuck is an engine that never answers before its context ends.
type stuck struct{}

func (stuck) Recognize(ctx context.Context, _ image.Image) (ocr.Result, error) {
	<-ctx.Done()
	return ocr.Result{}, ctx.Err()
}

// ReadPictureData decodes a picture stored in a document and reads it
// with the page and name given; a picture read in time and with
// confidence counts as read (the per-picture timeout's context was once
// cancelled before its error was looked at, so every picture was "OCR
// took too long"); one not decoded, damaged (an EMF header alone), or
// read too slowly, says why.
func TestReadPictureData(t *testing.T) {
	scan := picturetest.PNG(t, 40, 30)
	emf := make([]byte, 88)
	emf[0] = 1
	copy(emf[40:], " EMF")
	confident := picturetest.Engine{Text: "机密★5年", Conf: 90}
	tests := []struct {
		name    string
		engine  ocr.Engine // nil: none
		data    []byte
		segment string
		review  []string
	}{
		{"read", confident, scan, "机密★5年\n40x30", nil},
		{"no engine", nil, scan, "", []string{"1 picture in the document may carry text (not read)"}},
		{"EMF", confident, emf, "", []string{"1 picture in the document may carry text (not read: it is a damaged EMF)"}},
		{"unknown", confident, []byte("not a picture"), "", []string{"1 picture in the document may carry text (not read: it could not be decoded)"}},
		{"slow", stuck{}, scan, "", []string{"1 picture in the document may carry text (not read: OCR took too long)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.engine != nil {
				ctx = WithEngine(ctx, tt.engine)
			}
			opt := DefaultOptions()
			opt.OCR.Timeout = 50 * time.Millisecond
			d := NewText(FormatDOCX, opt)
			if err := d.ReadPictureData(ctx, Picture{Page: 2, Inner: "word/media/image1.png"}, tt.data); err != nil {
				t.Fatal(err)
			}
			d.ReviewPictures()
			want := []Segment{}
			if tt.segment != "" {
				want = []Segment{{Part: PartPicture, Page: 2, Inner: "word/media/image1.png", Text: tt.segment}}
			}
			if !slices.Equal(d.Segments, want) || !slices.Equal(d.Review, tt.review) {
				t.Errorf("segments %+v, review %q\nwant %+v, %q", d.Segments, d.Review, want, tt.review)
			}
		})
	}
}

// A picture handed over with neither an image nor a reason is not read:
// a reader's slip must not make a file clean.
func TestReadPictureNothing(t *testing.T) {
	d := NewText(FormatDOCX, Options{})
	why, err := d.ReadPicture(WithEngine(context.Background(), picturetest.Engine{Conf: 90}), Picture{Inner: "x.png"})
	if err != nil || why == "" || d.Pictures.Unread != 1 {
		t.Errorf("why %q, err %v, pictures %+v: want unread", why, err, d.Pictures)
	}
}

// The pictures of a document inside another (a picture file in a zip)
// count as the outer file's: read by OCR, they let it be clean.
func TestReadPictureInner(t *testing.T) {
	z := buildZip(t, zipEntry{"scan.png", string(picturetest.PNG(t, 40, 30))})
	ctx := WithEngine(context.Background(), picturetest.Engine{Text: "机密", Conf: 90})
	doc, err := Reader(ctx, bytes.NewReader(z), int64(len(z)), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	read := slices.ContainsFunc(doc.Segments, func(s Segment) bool {
		return s.Part == PartPicture && s.Inner == "scan.png" && s.Text == "机密\n40x30"
	})
	if !read || len(doc.Review) != 0 || doc.Pictures != (Pictures{Read: 1}) {
		t.Errorf("segments %+v, review %q, pictures %+v: want the picture read", doc.Segments, doc.Review, doc.Pictures)
	}
}
