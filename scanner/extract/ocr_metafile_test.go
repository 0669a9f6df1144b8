package extract

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// A metafile's text records are read as they are, with or without an OCR
// engine: one that draws no bitmap is not a picture left unread (nor one
// read by OCR); its bitmaps are read by OCR, and it counts as read when
// they all were; a damaged one keeps the text read before the damage and
// is unread. Word 97-2003 stores its metafiles deflated in BLIPs.
func TestReadMetafile(t *testing.T) {
	bmp := picturetest.BMP(t, 40, 30)
	text := metafiletest.EMF(metafiletest.TextW(0, 0, "机密★5年"))
	withBitmap := metafiletest.EMF(metafiletest.TextW(0, 0, "机密★5年"), metafiletest.StretchDIBits(bmp[14:], 40+256*4))
	rule := metafiletest.EMF(metafiletest.StretchDIBits(picturetest.BMP(t, 400, 2)[14:], 40+256*4))
	damaged := withBitmap[:len(withBitmap)-30]
	wmf := metafiletest.WMF(metafiletest.WMFTextOut(0, 0, []byte("SECRET")))
	confident := picturetest.Engine{Text: "绝密", Conf: 90}
	tests := []struct {
		name     string
		engine   ocr.Engine
		data     []byte
		blip     bool // stored in a Word 97-2003 BLIP
		segment  string
		pictures Pictures
		review   []string
	}{
		{"text, no engine", nil, text, false, "机密★5年", Pictures{}, nil},
		{"text, engine", confident, text, false, "机密★5年", Pictures{}, nil},
		{"WMF", nil, wmf, false, "SECRET", Pictures{}, nil},
		{"bitmap, no engine", nil, withBitmap, false, "机密★5年", Pictures{Unread: 1}, []string{"1 picture in the document may carry text (not read)"}},
		{"bitmap read", confident, withBitmap, false, "机密★5年\n绝密\n40x30", Pictures{Read: 1}, nil},
		{"bitmap unsure", picturetest.Engine{Text: "绝密", Conf: 20}, withBitmap, false, "机密★5年\n绝密\n40x30", Pictures{Unread: 1},
			[]string{"1 picture in the document may carry text (not read: OCR was not confident)"}},
		{"decoration bitmap", confident, rule, false, "", Pictures{}, nil},
		{"damaged", confident, damaged, false, "机密★5年", Pictures{Unread: 1}, []string{"1 picture in the document may carry text (not read: it is a damaged EMF)"}},
		{"damaged, no engine", nil, damaged, false, "机密★5年", Pictures{Unread: 1}, []string{"1 picture in the document may carry text (not read)"}},
		{"BLIP", nil, text, true, "机密★5年", Pictures{}, nil},
		{"BLIP damaged", confident, text[:len(text)-20], true, "机密★5年", Pictures{Unread: 1}, []string{"1 picture in the document may carry text (not read: it is a damaged EMF)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			if tt.engine != nil {
				ctx = WithEngine(ctx, tt.engine)
			}
			d := NewText(FormatDOC, DefaultOptions())
			var err error
			if tt.blip {
				err = d.ReadBlips(ctx, picture.Blips(metafiletest.Blip("EMF", tt.data)))
			} else {
				err = d.ReadPictureData(ctx, Picture{Inner: "picture 1"}, tt.data)
			}
			if err != nil {
				t.Fatal(err)
			}
			d.ReviewPictures()
			var got []string
			for _, s := range d.Segments {
				if s.Part != PartPicture || s.Inner != "picture 1" {
					t.Errorf("segment %+v", s)
				}
				got = append(got, s.Text)
			}
			if text := strings.Join(got, "\n"); text != tt.segment || d.Pictures != tt.pictures || !slices.Equal(d.Review, tt.review) {
				t.Errorf("text %q, pictures %+v, review %q\nwant %q, %+v, %q", text, d.Pictures, d.Review, tt.segment, tt.pictures, tt.review)
			}
		})
	}
}
