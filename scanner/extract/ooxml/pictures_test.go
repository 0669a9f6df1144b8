package ooxml_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
	"github.com/baomi/baomi/scanner/ocr"
)

// The pictures of an Office package are read by OCR into picture segments
// named by their part; decorations are not read; a metafile's text
// records are read, with or without an engine; an SVG is not decoded and
// says so; a picture read with confidence leaves the
// document clean, one read unsure makes it review; without an engine the
// sentence is the one of before.
func TestPicturesOCR(t *testing.T) {
	emf := metafiletest.EMF(metafiletest.TextW(0, 0, "绝密"))
	body := ziptest.Para(ziptest.Run("正文"))
	docx := func(extra ...ziptest.Entry) []byte {
		var rels []string
		for i, e := range extra {
			rels = append(rels, ziptest.Rel("rId"+string(rune('a'+i)), "image", e.Name()[len("word/"):]))
		}
		return ziptest.DOCX(t, body, ziptest.Rels(rels...), extra...)
	}
	photo := ziptest.Entry{"word/media/image1.png", string(picturetest.PNG(t, 200, 100))}
	bullet := ziptest.Entry{"word/media/image2.png", string(picturetest.PNG(t, 12, 12))}
	confident := picturetest.Engine{Text: "机密★5年", Conf: 90}
	type seg struct {
		part        extract.Part
		inner, text string
	}
	text := seg{extract.PartBody, "", "正文"}
	read := seg{extract.PartPicture, "word/media/image1.png", "机密★5年\n200x100"}
	drawn := seg{extract.PartPicture, "word/media/image3.emf", "绝密"}
	tests := []struct {
		name   string
		data   []byte
		engine ocr.Engine // nil: none
		want   []seg
		review []string
	}{
		{"read", docx(photo, bullet), confident, []seg{text, read}, nil},
		{"unsure", docx(photo), picturetest.Engine{Text: "机密★5年", Conf: 10}, []seg{text, read},
			[]string{"1 picture in the document may carry text (not read: OCR was not confident)"}},
		{"metafile and SVG", docx(photo, ziptest.Entry{"word/media/image3.emf", string(emf)}, ziptest.Entry{"word/media/image4.svg", `<svg xmlns="http://www.w3.org/2000/svg"/>`}),
			confident, []seg{text, read, drawn}, []string{
				"1 picture in the document may carry text (not read: its format (SVG) is not decoded)"}},
		{"no engine", docx(photo, bullet, ziptest.Entry{"word/media/image3.emf", string(emf)}), nil, []seg{text, drawn},
			[]string{"1 picture in the document may carry text (not read)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := doctest.ReadOCR(t, tt.engine, tt.data)
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

// A DOCX whose only text is a picture of a notice (the sample picture.png:
// 秘密★1年 over a title) is read by Tesseract: the picture segment, named
// by its part, has the notice's words. It skips where Tesseract or its
// Chinese model is not installed.
func TestPicturesTesseract(t *testing.T) {
	info := doctest.Tesseract(t)
	notice, err := os.ReadFile("../../../samples/docs/picture.png")
	if err != nil {
		t.Fatal(err)
	}
	data := ziptest.DOCX(t, "", ziptest.Rels(ziptest.Rel("rId5", "image", "media/image1.png")), ziptest.Entry{"word/media/image1.png", string(notice)})
	opt := extract.DefaultOptions()
	opt.OCR = ocr.Config{Command: info.Command, Langs: []string{"chi_sim"}}
	doc, err := extract.Reader(context.Background(), bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Segments) != 1 || doc.Segments[0].Part != extract.PartPicture || doc.Segments[0].Inner != "word/media/image1.png" ||
		!strings.Contains(doc.Segments[0].Text, "秘密") || !strings.Contains(doc.Segments[0].Text, "通知") {
		t.Errorf("segments %+v: want the notice's picture read, with 秘密 and 通知", doc.Segments)
	}
	if doc.Pictures.Read+doc.Pictures.Unread != 1 {
		t.Errorf("pictures %+v, want one", doc.Pictures)
	}
}

// A picture a slide shows has the slide's page, one a sheet's drawing
// shows has the sheet's; a picture no page shows has none.
func TestPicturesPages(t *testing.T) {
	photo := string(picturetest.PNG(t, 200, 100))
	pptx := ziptest.Zip(t,
		ziptest.Entry{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		ziptest.Entry{"ppt/presentation.xml", `<?xml version="1.0"?><p:presentation ` + ziptest.PNS + `><p:sldIdLst>` +
			`<p:sldId id="256" r:id="rId2"/><p:sldId id="257" r:id="rId1"/></p:sldIdLst></p:presentation>`},
		ziptest.Entry{"ppt/_rels/presentation.xml.rels", ziptest.Rels(ziptest.Rel("rId1", "slide", "slides/slide1.xml"), ziptest.Rel("rId2", "slide", "slides/slide2.xml"))},
		ziptest.Entry{"ppt/slides/slide1.xml", ziptest.PSlide("sld", "", "一")},
		ziptest.Entry{"ppt/slides/_rels/slide1.xml.rels", ziptest.Rels(ziptest.Rel("rId1", "image", "../media/image1.png"))},
		ziptest.Entry{"ppt/slides/slide2.xml", ziptest.PSlide("sld", "", "二")},
		ziptest.Entry{"ppt/media/image1.png", photo},
		ziptest.Entry{"ppt/media/image2.png", photo}, // no page shows it
	)
	xlsx := ziptest.XLSX(t, [][3]string{{"一", "", ""}, {"二", "", `<drawing r:id="rId1"/>`}},
		ziptest.Entry{"xl/worksheets/_rels/sheet2.xml.rels", ziptest.Rels(ziptest.Rel("rId1", "drawing", "../drawings/drawing1.xml"))},
		ziptest.Entry{"xl/drawings/drawing1.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>`},
		ziptest.Entry{"xl/drawings/_rels/drawing1.xml.rels", ziptest.Rels(ziptest.Rel("rId1", "image", "../media/image1.png"))},
		ziptest.Entry{"xl/media/image1.png", photo},
	)
	type pic struct {
		page  int
		inner string
	}
	tests := []struct {
		name string
		data []byte
		want []pic
	}{
		{"PPTX", pptx, []pic{{2, "ppt/media/image1.png"}, {0, "ppt/media/image2.png"}}}, // slide1.xml is shown second
		{"XLSX", xlsx, []pic{{2, "xl/media/image1.png"}}},
	}
	for _, tt := range tests {
		doc := doctest.ReadOCR(t, picturetest.Engine{Text: "机密", Conf: 90}, tt.data)
		got := doctest.Pictures(doc, func(s extract.Segment) pic { return pic{s.Page, s.Inner} })
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: pictures %v, want %v", tt.name, got, tt.want)
		}
	}
}
