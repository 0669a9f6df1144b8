package odf_test

import (
	"encoding/base64"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
	"github.com/baomi/baomi/scanner/ocr"
)

// The pictures of a package (its Pictures folder) and those a flat
// document holds inline are read by OCR into picture segments named by
// their entry or their place; decorations and the thumbnail are not; a
// picture read with confidence leaves the document clean, one read
// unsure or not decoded makes it review, saying why; without an engine
// the sentence is the one of before.
func TestPicturesOCR(t *testing.T) {
	packaged := pkg(t, "text", "content.xml", content(`<office:body><office:text><text:p>正文</text:p></office:text></office:body>`),
		"Pictures/1.png", string(picturetest.PNG(t, 200, 100)), "Pictures/bullet.png", string(picturetest.PNG(t, 12, 12)), "Thumbnails/thumbnail.png", string(picturetest.PNG(t, 200, 100)))
	flat := func(pictures ...string) []byte {
		body := ""
		for _, p := range pictures {
			body += `<draw:frame><draw:image><office:binary-data>` + p + `</office:binary-data></draw:image></draw:frame>`
		}
		return []byte(`<?xml version="1.0"?><office:document ` + ns + ` office:mimetype="application/vnd.oasis.opendocument.text">` +
			`<office:body><office:text><text:p>正文` + body + `</text:p></office:text></office:body></office:document>`)
	}
	b64 := func(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }
	confident := picturetest.Engine{Text: "机密★5年", Conf: 90}
	body := seg{extract.PartBody, 0, "", "正文"}
	tests := []struct {
		name   string
		data   []byte
		engine ocr.Engine
		want   []seg
		review []string
	}{
		{"package", packaged, confident, []seg{body, {extract.PartPicture, 0, "Pictures/1.png", "机密★5年\n200x100"}}, nil},
		{"package unsure", packaged, picturetest.Engine{Text: "机密", Conf: 20},
			[]seg{body, {extract.PartPicture, 0, "Pictures/1.png", "机密\n200x100"}},
			[]string{"1 picture in the document may carry text (not read: OCR was not confident)"}},
		{"package no engine", packaged, nil, []seg{body}, []string{"1 picture in the document may carry text (not read)"}},
		{"flat", flat(b64(string(picturetest.PNG(t, 12, 12))), b64(string(picturetest.PNG(t, 300, 40)))), confident,
			[]seg{{extract.PartPicture, 0, "picture 1", "机密★5年\n300x40"}, body}, nil}, // the paragraph ends after its picture
		{"flat damaged", flat("!!!"), confident, []seg{body}, []string{"1 picture in the document may carry text (not read: it could not be decoded)"}},
		{"flat no engine", flat(b64(string(picturetest.PNG(t, 300, 40)))), nil, []seg{body}, []string{"1 picture in the document may carry text (not read)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := doctest.ReadOCR(t, tt.engine, tt.data)
			if got := segs(doc); !equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("segments %+v, review %q\nwant %+v, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
