package extract

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// Pictures of the given size in each format whose header pictureSize reads.
func pngOf(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

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

func bmpOf(t testing.TB, w, h int) string {
	var b bytes.Buffer
	if err := bmp.Encode(&b, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

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

func TestDecoration(t *testing.T) {
	for _, c := range []struct {
		name string
		size pictureSize
		want bool
	}{
		{"260x50 px drawn 69x8 mm: a line of text", pictureSize{pxW: 260, pxH: 50, drawn: true, mmW: 69, mmH: 8}, false},
		{"16x16 px bullet", pictureSize{pxW: 16, pxH: 16}, true},
		{"rule 600x10 px", pictureSize{pxW: 600, pxH: 10}, true},
		{"vertical line of text 50x400 px", pictureSize{pxW: 50, pxH: 400}, false},
		{"thin column 20x400 px", pictureSize{pxW: 20, pxH: 400}, true},
		{"large picture drawn 2 mm high", pictureSize{pxW: 2000, pxH: 100, drawn: true, mmW: 150, mmH: 2}, true},
		{"size unknown", pictureSize{}, false},
		{"pixels unknown, drawn 100x100 mm", pictureSize{drawn: true, mmW: 100, mmH: 100}, false},
		{"24 px is enough", pictureSize{pxW: 24, pxH: 24}, false},
		{"drawn 3 mm is enough", pictureSize{drawn: true, mmW: 3, mmH: 3}, false},
	} {
		if got := c.size.decoration(); got != c.want {
			t.Errorf("%s: decoration = %v, want %v", c.name, got, c.want)
		}
	}
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
	}{"xlsx": {extractXLSX, xlsx}, "pptx": {extractPPTX, pptx}} {
		doc, err := extractWith(t, c.x, c.data)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !slices.Equal(doc.Review, want) {
			t.Errorf("%s: Review = %q, want %q", name, doc.Review, want)
		}
	}
}

// TestPDFPictures builds pages that draw pictures and checks which make the
// file review: every image drawn (XObject, in a form, inline, in an
// annotation's appearance) is measured by pixels and drawn size.
func TestPDFPictures(t *testing.T) {
	const page1 = "page 1 has a picture that may carry text (not read)"
	// The page number, as text.
	number := "BT /F1 10 Tf 100 20 Td (1) Tj ET "
	helv := func(b *pdfBuilder) string {
		return fmt.Sprintf("/F1 %d 0 R", b.add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
	}
	image := func(dict string) func(b *pdfBuilder) string {
		return func(b *pdfBuilder) string {
			im := b.add(pdfStream("/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8 "+dict, "\x00"))
			return fmt.Sprintf("/Font << %s >> /XObject << /Im1 %d 0 R >>", helv(b), im)
		}
	}
	// 8 mm is 22.7 pt; 69 mm (260 px at 96 dpi) is 195.6 pt.
	const line = "/Width 260 /Height 50"
	// Inline image data of zero bytes: white space to the lexer.
	inline := func(w, h int) string {
		return fmt.Sprintf("BI /W %d /H %d /BPC 1 /CS /G ID %s EI ", w, h, strings.Repeat("\x00", (w+7)/8*h))
	}
	// n copies of Im1 drawn 195.6 x 4.5 pt, step pt apart from the top.
	strips := func(n int, step float64) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, "q 195.6 0 0 4.5 50 %g cm /Im1 Do Q ", 700-float64(i)*step)
		}
		return b.String()
	}
	// Bullets 16 px square drawn 9 pt, a line (14 pt) apart.
	var bullets strings.Builder
	for i := range 6 {
		fmt.Fprintf(&bullets, "q 9 0 0 9 30 %d cm BI /W 16 /H 16 /BPC 1 /CS /G ID %s EI Q ", 300-14*i, strings.Repeat("\x00", 32))
	}
	cases := []struct {
		name    string
		content string
		pre     func(b *pdfBuilder) string
		extra   string
		want    []string
	}{
		{"a page number and a full-page scan", number + "q 595 0 0 842 0 0 cm /Im1 Do Q", image("/Width 2480 /Height 3508"), "", []string{page1}},
		{"a scan without text", "q 595 0 0 842 0 0 cm /Im1 Do Q", image("/Width 2480 /Height 3508"), "", []string{page1}},
		{"a rule 10 px high", number + "q 500 0 0 20 50 400 cm /Im1 Do Q", image("/Width 1000 /Height 10"), "", nil},
		{"260x50 px drawn 8 mm high", number + "q 195.6 0 0 22.7 50 400 cm /Im1 Do Q", image(line), "", []string{page1}},
		{"260x50 px drawn 2 mm high", number + "q 195.6 0 0 5.7 50 400 cm /Im1 Do Q", image(line), "", nil},
		{"rotated a quarter turn", number + "q 0 195.6 -22.7 0 300 100 cm /Im1 Do Q", image(line), "", []string{page1}},
		{"an image mask is a picture", number + "q 195.6 0 0 22.7 50 400 cm /Im1 Do Q", image(line + " /ImageMask true"), "", []string{page1}},
		{"a banner cut in five strips 10 px high, stacked", number + strips(5, 4.5), image("/Width 260 /Height 10"), "", []string{page1}},
		{"two rules apart and a column of bullets", number + strips(2, 100) + bullets.String(), image("/Width 260 /Height 10"), "", nil},
		{"drawn 2.27 units high in units of 10 pt (/UserUnit)", number + "q 19.56 0 0 2.27 5 40 cm /Im1 Do Q", image(line), "/UserUnit 10", []string{page1}},
		{"pixel size unknown, drawn large", number + "q 195.6 0 0 22.7 50 400 cm /Im1 Do Q", image(""), "", []string{page1}},
		{
			name:    "an image in a form XObject",
			content: number + "q 2 0 0 2 0 0 cm /Fm1 Do Q",
			pre: func(b *pdfBuilder) string {
				im := b.add(pdfStream("/Type /XObject /Subtype /Image /Width 260 /Height 50 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x00"))
				fm := b.add(pdfStream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /Im1 %d 0 R >> >>", im),
					"q 100 0 0 12 0 0 cm /Im1 Do Q"))
				return fmt.Sprintf("/Font << %s >> /XObject << /Fm1 %d 0 R >>", helv(b), fm)
			},
			want: []string{page1},
		},
		{"an inline image", number + "q 195.6 0 0 22.7 50 400 cm " + inline(260, 50) + "Q", image(""), "", []string{page1}},
		{"a 16x16 inline bullet", number + "q 195.6 0 0 22.7 50 400 cm " + inline(16, 16) + "Q", image(""), "", nil},
		{"an inline image in a stream without text: not measured", "q 195.6 0 0 5 50 400 cm " + inline(16, 16) + "Q", nil, "", []string{page1}},
		{
			name:    "an image in a stamp's appearance",
			content: number,
			// Objects 1-4 are the catalog, page tree, page and content;
			// this adds the font (5), the image (6) and the appearance (7).
			pre: func(b *pdfBuilder) string {
				font := helv(b)
				im := b.add(pdfStream("/Type /XObject /Subtype /Image /Width 400 /Height 400 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x00"))
				b.add(pdfStream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Im1 %d 0 R >> >>", im),
					"q 100 0 0 100 0 0 cm /Im1 Do Q"))
				return "/Font << " + font + " >>"
			},
			extra: "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [0 0 100 100] /AP << /N 7 0 R >> >>]",
			want:  []string{page1},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			texts, doc := bodyTexts(t, onePage(c.content, "", c.extra, c.pre))
			if !slices.Equal(doc.Review, c.want) {
				t.Errorf("Review = %q, want %q", doc.Review, c.want)
			}
			if strings.HasPrefix(c.content, number) && (len(texts) != 1 || texts[0] != "1") {
				t.Errorf("body = %q, want the page number", texts)
			}
		})
	}
}

func TestJoinedPictures(t *testing.T) {
	strip := func(y float64) box { return box{10, y, 80, y + 1.5} }
	for _, c := range []struct {
		name  string
		boxes []box
		want  int
	}{
		{"none", nil, 0},
		{"one rule", []box{strip(10)}, 0},
		{"strips stacked edge to edge", []box{strip(10), strip(11.5), strip(13), strip(14.5)}, 1},
		{"strips 0.4 mm apart", []box{strip(10), strip(11.9), strip(13.8)}, 1},
		{"two rules 1 mm apart: 4 mm high, kept apart", []box{strip(10), strip(12.5)}, 0},
		{"two rules touching: 3 mm high", []box{strip(10), strip(11.5)}, 1},
		{"two groups of strips", []box{strip(10), strip(11.5), strip(13), strip(50), strip(51.5), strip(53)}, 2},
		{"a row of touching 2 mm icons stays under 3 mm high", []box{{0, 0, 2, 2}, {2, 0, 4, 2}, {4, 0, 6, 2}}, 0},
		{"too many to join", make([]box, maxDecorations+1), 1},
	} {
		if got := joinedPictures(c.boxes); got != c.want {
			t.Errorf("%s: joinedPictures = %d, want %d", c.name, got, c.want)
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
		if got := pagePictures(c.pages); !slices.Equal(got, c.want) {
			t.Errorf("pagePictures(%v) = %q, want %q", c.pages, got, c.want)
		}
	}
}
