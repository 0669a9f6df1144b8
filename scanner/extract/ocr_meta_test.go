package extract_test

import (
	"context"
	"encoding/binary"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
	"github.com/baomi/baomi/scanner/ocr"
)

// The metadata of a picture inside a DOCX (a title Windows Explorer
// wrote, a PNG comment) is a metadata segment named by its part, read
// with or without an OCR engine; a metafile has none; a decoration is not
// read.
func TestPictureMetaDOCX(t *testing.T) {
	const marking = "机密★5年"
	exif := picturetest.EXIF(binary.LittleEndian, []picturetest.Tag{picturetest.XP(0x9C9B, marking)}, nil)
	photo := ziptest.Entry{"word/media/image1.jpeg", string(picturetest.JPEG(t, 200, 100, picturetest.Segment(0xE1, append([]byte("Exif\x00\x00"), exif...))))}
	shot := ziptest.Entry{"word/media/image2.png", string(picturetest.PNGWith(t, 200, 100, picturetest.Chunk("tEXt", []byte("Comment\x00"+marking))))}
	emf := ziptest.Entry{"word/media/image3.emf", string(metafiletest.EMF(metafiletest.TextW(0, 0, "图表")))}
	var rels []string
	for i, e := range []ziptest.Entry{photo, shot, emf} {
		rels = append(rels, ziptest.Rel("rId"+string(rune('a'+i)), "image", e.Name()[len("word/"):]))
	}
	docx := ziptest.DOCX(t, ziptest.Para(ziptest.Run("正文")), ziptest.Rels(rels...), photo, shot, emf)
	type seg struct {
		part        extract.Part
		inner, text string
	}
	body := seg{extract.PartBody, "", "正文"}
	meta1 := seg{extract.PartMetadata, "word/media/image1.jpeg", marking}
	meta2 := seg{extract.PartMetadata, "word/media/image2.png", "Comment: " + marking}
	chart := seg{extract.PartPicture, "word/media/image3.emf", "图表"}
	for _, tt := range []struct {
		name   string
		engine ocr.Engine
		want   []seg
		review []string
	}{
		{"no engine", nil, []seg{body, meta1, meta2, chart}, []string{"2 pictures in the document may carry text (not read)"}},
		{"read", picturetest.Engine{Conf: 90}, []seg{body, meta1, {extract.PartPicture, "word/media/image1.jpeg", "200x100"},
			meta2, {extract.PartPicture, "word/media/image2.png", "200x100"}, chart}, nil},
	} {
		t.Run(tt.name, func(t *testing.T) {
			doc := doctest.ReadOCR(t, tt.engine, docx)
			var got []seg
			for _, s := range doc.Segments {
				got = append(got, seg{s.Part, s.Inner, s.Text})
			}
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("segments %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}

// A picture's metadata segment has the picture's page and name; damaged
// metadata in two pictures makes one sentence, and leaves them read.
func TestPictureMetaData(t *testing.T) {
	le := binary.LittleEndian
	cut := picturetest.EXIF(le, []picturetest.Tag{picturetest.ASCII(0x010E, "机密★5年"), picturetest.XP(0x9C9B, "标题")}, nil)
	le.PutUint32(cut[8+2+12+8:], 1<<30) // the XP tag's value is past the end
	pic := picturetest.JPEG(t, 40, 30, picturetest.Segment(0xE1, append([]byte("Exif\x00\x00"), cut...)))
	ctx := extract.WithEngine(context.Background(), picturetest.Engine{Conf: 90})
	d := extract.NewText(extract.FormatPPTX, extract.DefaultOptions())
	for i, inner := range []string{"ppt/media/image1.jpeg", "ppt/media/image2.jpeg"} {
		if err := d.ReadPictureData(ctx, extract.Picture{Page: i + 2, Inner: inner}, pic); err != nil {
			t.Fatal(err)
		}
	}
	d.ReviewPictures()
	want := []extract.Segment{
		{Part: extract.PartMetadata, Page: 2, Inner: "ppt/media/image1.jpeg", Text: "机密★5年"},
		{Part: extract.PartPicture, Page: 2, Inner: "ppt/media/image1.jpeg", Text: "40x30"},
		{Part: extract.PartMetadata, Page: 3, Inner: "ppt/media/image2.jpeg", Text: "机密★5年"},
		{Part: extract.PartPicture, Page: 3, Inner: "ppt/media/image2.jpeg", Text: "40x30"},
	}
	review := []string{"a picture's metadata is damaged: part of its text may not have been read"}
	if !slices.Equal(d.Segments, want) || !slices.Equal(d.Review, review) || d.Pictures.Read != 2 {
		t.Errorf("segments %+v, review %q, pictures %+v\nwant %+v, %q, 2 read", d.Segments, d.Review, d.Pictures, want, review)
	}
}
