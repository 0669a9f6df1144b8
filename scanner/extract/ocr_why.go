package extract

import (
	"context"

	"github.com/baomi/baomi/scanner/ocr"
)

// ReadPictureWhy reads p as ReadPicture does and returns why it was not
// read with confidence, "" when it was. A reader that says per page why
// its pictures were not read (PDF) builds its sentences from it and does
// not call ReviewPictures.
func (d *Text) ReadPictureWhy(ctx context.Context, p Picture) (string, error) {
	kept := d.unread
	d.unread = nil
	_, err := d.ReadPicture(ctx, p)
	why := ""
	for w := range d.unread {
		why = w // the one reason ReadPicture kept, if any
	}
	if why != "" {
		if kept == nil {
			kept = map[string]int{}
		}
		kept[why]++
	}
	d.unread = kept
	return why, err
}

// ReadsPictures reports whether ReadPicture has an OCR engine to read
// with in ctx: without one, a reader need not decode its pictures.
func (d *Text) ReadsPictures(ctx context.Context) bool {
	e, _ := ctx.Value(engine{}).(ocr.Engine)
	return e != nil || d.ocr.Enabled()
}

// MaxPicturePixels bounds the pixels of a picture decoded for OCR: a
// 600 dpi scan of an A3 page has 70 million. A picture over it is not
// decoded and stays unread.
const MaxPicturePixels = 72_000_000
