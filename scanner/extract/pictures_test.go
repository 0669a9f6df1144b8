package extract

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/gif"
	"image/jpeg"
	"slices"
	"testing"

	"golang.org/x/image/tiff"

	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// Pictures of the given size in each format whose header sniffPicture reads.
func pngOf(t testing.TB, w, h int) string { return string(picturetest.PNG(t, w, h)) }

func jpegOf(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func gifOf(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func bmpOf(t testing.TB, w, h int) string { return string(picturetest.BMP(t, w, h)) }

func tiffOf(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := tiff.Encode(&b, image.NewGray(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// webpOf writes the header of a lossless WebP: its size is all DecodeConfig
// reads.
func webpOf(w, h int) string {
	vp8l := make([]byte, 5)
	vp8l[0] = 0x2f
	binary.LittleEndian.PutUint32(vp8l[1:], uint32(w-1)|uint32(h-1)<<14)
	chunk := append([]byte("VP8L\x05\x00\x00\x00"), append(vp8l, 0)...)
	riff := binary.LittleEndian.AppendUint32([]byte("RIFF"), uint32(4+len(chunk)))
	return string(riff) + "WEBP" + string(chunk)
}

// emfHeader is the start of an Enhanced Metafile: an EMR_HEADER record.
func emfHeader() string {
	b := make([]byte, 88)
	binary.LittleEndian.PutUint32(b, 1)
	binary.LittleEndian.PutUint32(b[4:], 88)
	binary.LittleEndian.PutUint32(b[32:], 100) // a 1 mm frame: not a size
	binary.LittleEndian.PutUint32(b[36:], 100)
	copy(b[40:], " EMF")
	return string(b)
}

// TestOOXMLPictures builds packages whose pictures the relationships of
// some part point to and checks the Review sentence.
func TestOOXMLPictures(t *testing.T) {
	const one = "1 picture in the document may carry text (not read)"
	body := para(run("正文"))
	// A package whose relationships name a thumbnail.
	thumbnail := func(docRels string) []byte {
		return buildZip(t,
			zipEntry{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
			zipEntry{"_rels/.rels", rels(rel("rId1", "officeDocument", "word/document.xml"),
				`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="docProps/thumbnail.jpeg"/>`)},
			zipEntry{"word/document.xml", wDoc(body)},
			zipEntry{"word/_rels/document.xml.rels", docRels},
			zipEntry{"docProps/thumbnail.jpeg", jpegOf(t, 256, 256)},
		)
	}
	cases := []struct {
		name  string
		data  []byte
		wantR []string
	}{
		{
			name:  "only a picture, referenced from document.xml",
			data:  docxZip(t, "", rels(rel("rId5", "image", "media/image1.png")), zipEntry{"word/media/image1.png", pngOf(t, 260, 50)}),
			wantR: []string{one},
		},
		{
			name: "a 16x16 bullet and a rule are decorations",
			data: docxZip(t, body, rels(rel("rId5", "image", "media/image1.png"), rel("rId6", "image", "media/image2.gif")),
				zipEntry{"word/media/image1.png", pngOf(t, 16, 16)}, zipEntry{"word/media/image2.gif", gifOf(t, 600, 10)}),
		},
		{
			name: "a picture in a header",
			data: docxZip(t, body, rels(rel("rId1", "header", "header1.xml")),
				zipEntry{"word/header1.xml", wPart("hdr", para(run("页眉")))},
				zipEntry{"word/_rels/header1.xml.rels", rels(rel("rId1", "image", "media/logo.jpeg"))},
				zipEntry{"word/media/logo.jpeg", jpegOf(t, 200, 80)}),
			wantR: []string{one},
		},
		{
			name:  "by content: a PNG named .bin behind another relationship type",
			data:  docxZip(t, body, rels(rel("rId5", "package", "media/x.bin")), zipEntry{"word/media/x.bin", pngOf(t, 300, 300)}),
			wantR: []string{one},
		},
		{
			name:  "a picture no part shows is still in the file",
			data:  docxZip(t, body, rels(), zipEntry{"word/media/image9.png", pngOf(t, 260, 50)}),
			wantR: []string{one},
		},
		{
			name:  "the thumbnail is left out, but not when a part shows it too",
			data:  thumbnail(rels(rel("rId5", "image", "../docProps/thumbnail.jpeg"))),
			wantR: []string{one},
		},
		{
			name:  "an embedded picture file is reported once, by the embedded reader",
			data:  docxZip(t, body, rels(rel("rId5", "oleObject", "embeddings/x.bin")), zipEntry{"word/embeddings/x.bin", pngOf(t, 300, 300)}),
			wantR: []string{"entry 5: picture file: text in images is not read"},
		},
		{
			name: "not a picture by content behind another type",
			data: docxZip(t, body, rels(rel("rId5", "settings", "settings.xml")), zipEntry{"word/settings.xml", wPart("settings", "")}),
		},
		{
			name:  "an SVG behind an image relationship: size unknown",
			data:  docxZip(t, body, rels(rel("rId5", "image", "media/image1.svg")), zipEntry{"word/media/image1.svg", `<svg xmlns="http://www.w3.org/2000/svg"><text>机密</text></svg>`}),
			wantR: []string{one},
		},
		{
			name:  "a metafile is vector: whatever its frame says",
			data:  docxZip(t, body, rels(rel("rId5", "image", "media/image1.emf")), zipEntry{"word/media/image1.emf", emfHeader()}),
			wantR: []string{one},
		},
		{
			name:  "a damaged header is a picture of unknown size",
			data:  docxZip(t, body, rels(rel("rId5", "image", "media/image1.png")), zipEntry{"word/media/image1.png", "\x89PNG\r\n\x1A\nbroken"}),
			wantR: []string{one},
		},
		{
			name: "each format's size is read",
			data: docxZip(t, body, rels(rel("rId1", "image", "media/1.bmp"), rel("rId2", "image", "media/2.tif"), rel("rId3", "image", "media/3.webp"),
				rel("rId4", "image", "media/4.bmp"), rel("rId5", "image", "media/5.tif"), rel("rId6", "image", "media/6.webp")),
				zipEntry{"word/media/1.bmp", bmpOf(t, 100, 100)}, zipEntry{"word/media/2.tif", tiffOf(t, 100, 100)}, zipEntry{"word/media/3.webp", webpOf(100, 100)},
				zipEntry{"word/media/4.bmp", bmpOf(t, 10, 10)}, zipEntry{"word/media/5.tif", tiffOf(t, 10, 10)}, zipEntry{"word/media/6.webp", webpOf(10, 10)}),
			wantR: []string{"3 pictures in the document may carry text (not read)"},
		},
		{
			name: "one part referenced twice is one picture",
			data: docxZip(t, body, rels(rel("rId5", "image", "media/image1.png"), rel("rId6", "image", "/word/media/IMAGE1.png")),
				zipEntry{"word/media/image1.png", pngOf(t, 260, 50)}),
			wantR: []string{one},
		},
		{name: "the package thumbnail and a linked picture are not in the document",
			data: thumbnail(rels(`<Relationship Id="rId5" Type="` + relsNS + `/image" Target="https://example.com/a.png" TargetMode="External"/>`))},
		{
			name: "relationships that cannot be read",
			data: docxZip(t, body, rels(rel("rId1", "header", "header1.xml")),
				zipEntry{"word/header1.xml", wPart("hdr", "")}, zipEntry{"word/_rels/header1.xml.rels", "<Relationships><Relationship"}),
			wantR: []string{"the pictures of the document could not be listed: they may carry text (not read)"},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractBytes(t, c.data, Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(doc.Review, c.wantR) {
				t.Errorf("Review = %q, want %q", doc.Review, c.wantR)
			}
		})
	}
}

// TestOOXMLPicturesEveryFormat checks that workbooks and presentations have
// their pictures counted too.
func TestOOXMLPicturesEveryFormat(t *testing.T) {
	want := []string{"1 picture in the document may carry text (not read)"}
	sheet := [][3]string{{"Sheet1", "", `<sheetData/><drawing r:id="rId1"/>`}}
	xlsx := xlsxZip(t, sheet,
		zipEntry{"xl/worksheets/_rels/sheet1.xml.rels", rels(rel("rId1", "drawing", "../drawings/drawing1.xml"))},
		zipEntry{"xl/drawings/drawing1.xml", `<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"/>`},
		zipEntry{"xl/drawings/_rels/drawing1.xml.rels", rels(rel("rId1", "image", "../media/image1.png"))},
		zipEntry{"xl/media/image1.png", pngOf(t, 400, 300)})
	pptx := buildZip(t,
		zipEntry{"ppt/presentation.xml", `<?xml version="1.0"?><p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`},
		zipEntry{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"))},
		zipEntry{"ppt/slides/slide1.xml", pSlide("sld", "", "标题")},
		zipEntry{"ppt/slides/_rels/slide1.xml.rels", rels(rel("rId1", "image", "../media/image1.jpeg"))},
		zipEntry{"ppt/media/image1.jpeg", jpegOf(t, 800, 600)})
	for name, c := range map[string]struct {
		x    extractor
		data []byte
	}{"xlsx": {registered(FormatXLSX), xlsx}, "pptx": {registered(FormatPPTX), pptx}} {
		doc, err := extractWith(t, c.x, c.data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(doc.Review, want) {
			t.Errorf("%s: Review = %q, want %q", name, doc.Review, want)
		}
	}
}

func TestPagePictures(t *testing.T) {
	for _, c := range []struct {
		pages []int
		want  []string
	}{
		{nil, nil},
		{[]int{3}, []string{"page 3 has a picture that may carry text (not read)"}},
		{[]int{1, 2, 3, 5, 7, 8}, []string{"pages 1-3, 5, 7-8 have pictures that may carry text (not read)"}},
		{[]int{1, 3, 5, 7, 9, 10}, []string{"6 pages, from page 1, have pictures that may carry text (not read)"}},
	} {
		if got := PagesReview(c.pages); !slices.Equal(got, c.want) {
			t.Errorf("PagesReview(%v) = %q, want %q", c.pages, got, c.want)
		}
	}
}
