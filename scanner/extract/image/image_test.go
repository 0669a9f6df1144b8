package image_test

import (
	"encoding/binary"
	"errors"
	stdimage "image"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/image"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// read reads a picture file with OCR engine e (none when nil).
func read(t *testing.T, e ocr.Engine, data []byte) *extract.Document {
	t.Helper()
	doc := doctest.ReadOCR(t, e, data)
	if doc.Format != extract.FormatImage {
		t.Fatalf("format %q", doc.Format)
	}
	return doc
}

// Without an OCR engine a picture file is review, without text, as it
// was before baomi read any.
func TestReadNoEngine(t *testing.T) {
	doc := read(t, nil, picturetest.PNG(t, 2, 2))
	if len(doc.Segments) != 0 || !slices.Equal(doc.Review, []string{"picture file: text in images is not read"}) {
		t.Errorf("image = %+v, want a review without text", doc)
	}
}

// With an engine, each page of a picture file is read into a picture
// segment; the file is review only when a page was not read with
// confidence, saying why.
func TestReadOCR(t *testing.T) {
	confident := picturetest.Engine{Text: "机密★5年", Conf: 90}
	le := binary.LittleEndian
	tiff, _ := picturetest.TIFF(le, picturetest.Encoded(t, stdimage.NewGray(stdimage.Rect(0, 0, 40, 30))),
		picturetest.Encoded(t, stdimage.NewGray(stdimage.Rect(0, 0, 50, 20))), picturetest.Encoded(t, stdimage.NewGray(stdimage.Rect(0, 0, 60, 10))))
	brokenTIFF, links := picturetest.TIFF(le, picturetest.Encoded(t, stdimage.NewGray(stdimage.Rect(0, 0, 40, 30))))
	le.PutUint32(brokenTIFF[links[0]:], 4) // next page: outside any IFD
	type seg struct {
		page int
		text string
	}
	tests := []struct {
		name     string
		data     []byte
		engine   picturetest.Engine
		segments []seg
		review   []string
		read     int
	}{
		{"PNG", picturetest.PNG(t, 40, 30), confident, []seg{{0, "机密★5年\n40x30"}}, nil, 1},
		{"unsure", picturetest.PNG(t, 40, 30), picturetest.Engine{Text: "机密", Conf: 30}, []seg{{0, "机密\n40x30"}},
			[]string{"1 picture in the document may carry text (not read: OCR was not confident)"}, 0},
		{"failed", picturetest.PNG(t, 40, 30), picturetest.Engine{Err: errors.New("boom")}, nil,
			[]string{"1 picture in the document may carry text (not read: OCR failed)"}, 0},
		{"TIFF pages", tiff, confident, []seg{{1, "机密★5年\n40x30"}, {2, "机密★5年\n50x20"}, {3, "机密★5年\n60x10"}}, nil, 3},
		{"TIFF broken", brokenTIFF, confident, []seg{{1, "机密★5年\n40x30"}},
			[]string{"1 picture in the document may carry text (not read: it is a damaged TIFF)"}, 1},
		{"HEIF", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic"), confident, nil,
			[]string{"1 picture in the document may carry text (not read: its format (HEIF) is not decoded)"}, 0},
		{"bomb", picturetest.PNGHeader(50000, 50000), confident, nil,
			[]string{"1 picture in the document may carry text (not read: it is too large to decode (50000 by 50000 pixels))"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := read(t, tt.engine, tt.data)
			var got []seg
			for _, s := range doc.Segments {
				if s.Part != extract.PartPicture || s.Inner != "" {
					t.Errorf("segment %+v: want a picture segment, no inner", s)
				}
				got = append(got, seg{s.Page, s.Text})
			}
			if !slices.Equal(got, tt.segments) || !slices.Equal(doc.Review, tt.review) || doc.Pictures.Read != tt.read {
				t.Errorf("segments %v, review %q, pictures %+v\nwant %v, %q, %d read", got, doc.Review, doc.Pictures, tt.segments, tt.review, tt.read)
			}
		})
	}
}

// A metafile file (.emf, .wmf) is sniffed as a picture and its text
// records are read, an OCR engine or not: a drawing that says 机密★5年 in
// text is flagged, not left for a person.
func TestReadMetafile(t *testing.T) {
	emf := metafiletest.EMF(metafiletest.TextW(10, 10, "机密★5年"), metafiletest.TextW(10, 40, "关于会议的通知"))
	for _, e := range []ocr.Engine{nil, picturetest.Engine{Conf: 90}} {
		doc := read(t, e, emf)
		var got []string
		for _, s := range doc.Segments {
			got = append(got, string(s.Part)+": "+s.Text)
		}
		if want := []string{"picture: 机密★5年\n关于会议的通知"}; !slices.Equal(got, want) || len(doc.Review) != 0 {
			t.Errorf("engine %v: read %q, review %q; want %q and no review", e, got, doc.Review, want)
		}
	}
}

// The text of a picture file's metadata is a metadata segment, read with
// or without an OCR engine: without one the file stays review (its pixels
// were not read). Camera data makes no segment; damaged metadata leaves
// the picture read, and the file review.
func TestReadMeta(t *testing.T) {
	const marking = "机密★5年"
	le := binary.LittleEndian
	confident := picturetest.Engine{Text: "正文", Conf: 90}
	noOCR := []string{"picture file: text in images is not read"}
	damaged := "a picture's metadata is damaged: part of its text may not have been read"
	titled := picturetest.PNGWith(t, 40, 30, picturetest.Chunk("tEXt", []byte("Title\x00"+marking)))
	camera := picturetest.JPEG(t, 40, 30, picturetest.Segment(0xE1, append([]byte("Exif\x00\x00"),
		picturetest.EXIF(le, []picturetest.Tag{picturetest.ASCII(0x010F, "Canon"), picturetest.ASCII(0x0110, "Canon EOS 5D"), picturetest.ASCII(0x0132, "2026:12:01 10:00:00")}, nil)...)))
	xp := picturetest.EXIF(le, []picturetest.Tag{picturetest.XP(0x9C9B, marking)}, nil)
	cut := picturetest.EXIF(le, []picturetest.Tag{picturetest.ASCII(0x010E, marking), picturetest.XP(0x9C9B, "标题")}, nil)
	le.PutUint32(cut[8+2+12+8:], 1<<30) // the XP tag's value is past the end
	type seg struct {
		part extract.Part
		text string
	}
	meta := seg{extract.PartMetadata, marking}
	tests := []struct {
		name   string
		data   []byte
		engine ocr.Engine // nil: none
		want   []seg
		review []string
	}{
		{"PNG no engine", titled, nil, []seg{{extract.PartMetadata, "Title: " + marking}}, noOCR},
		{"PNG read", titled, confident, []seg{{extract.PartMetadata, "Title: " + marking}, {extract.PartPicture, "正文\n40x30"}}, nil},
		{"camera only", camera, confident, []seg{{extract.PartPicture, "正文\n40x30"}}, nil},
		{"camera only, no engine", camera, nil, nil, noOCR},
		{"JPEG XP", picturetest.JPEG(t, 40, 30, picturetest.Segment(0xE1, append([]byte("Exif\x00\x00"), xp...))), nil, []seg{meta}, noOCR},
		{"JPEG EXIF damaged", picturetest.JPEG(t, 40, 30, picturetest.Segment(0xE1, append([]byte("Exif\x00\x00"), cut...))), confident,
			[]seg{meta, {extract.PartPicture, "正文\n40x30"}}, []string{damaged}},
		{"TIFF", xp, nil, []seg{meta}, noOCR},
		{"GIF", picturetest.GIFWith(t, 40, 30, append([]byte{0xFE}, marking...)), nil, []seg{meta}, noOCR},
		{"WebP", picturetest.WebP([2]string{"EXIF", string(xp)}), nil, []seg{meta}, noOCR},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := read(t, tt.engine, tt.data)
			var got []seg
			for _, s := range doc.Segments {
				if s.Inner != "" || s.Page != 0 {
					t.Errorf("segment %+v: want no inner, page 0", s)
				}
				got = append(got, seg{s.Part, s.Text})
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("segments %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
