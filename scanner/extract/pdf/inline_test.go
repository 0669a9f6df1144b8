package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// The scanner finds each inline image's dictionary, data and place.
func TestInlineImages(t *testing.T) {
	raw := "\x00EI\x00 EI \xff" // data that holds EI: its length is known
	for _, c := range []struct {
		name    string
		content string
		want    string // "W data ctm" of each image
		lost    bool
	}{
		{"none", "BT (BI ID EI) Tj ET", "", false},
		{"raw samples, length from the dictionary", "q 2 0 0 3 4 5 cm BI /W 8 /H 1 /CS /G /BPC 8 ID " + raw + " EI Q", "8 \"\\x00EI\\x00 EI \\xff\" [2 0 0 3 4 5]", false},
		{"CR LF after ID", "BI /W 3 /H 1 /CS /G /BPC 8 ID\r\n\nab EI", "3 \"\\nab\" [1 0 0 1 0 0]", false},
		{"after Q, the outer place", "q 2 0 0 3 4 5 cm Q BI /W 1 /H 1 /CS /RGB /BPC 8 ID abc EI", "1 \"abc\" [1 0 0 1 0 0]", false},
		{"filtered: ends at an EI followed by text", "BI /W 1 /H 1 /F /AHx ID 00 EIx EI\nQ", "1 \"00 EIx\" [1 0 0 1 0 0]", false},
		{"/L says the length", "BI /W 1 /H 1 /F /Fl /L 3 ID \xffEI EI", "1 \"\\xffEI\" [1 0 0 1 0 0]", false},
		{"two, the second in place", "BI /W 1 /H 1 /CS /G /BPC 8 ID a EI 1 0 0 1 7 7 cm BI /W 2 /H 1 /CS /G /BPC 8 ID bb EI", "1 \"a\" [1 0 0 1 0 0]|2 \"bb\" [1 0 0 1 7 7]", false},
		{"nested parameters", "BI /W 3 /H 1 /DP [<< /K -1 /Columns 3 >>] /F [/CCF] ID \x01\x02 EI", "3 \"\\x01\\x02\" [1 0 0 1 0 0]", false},
		{"empty by /L, the stream ends after ID and CR", "BI /L 0 ID\r", "", true},
		{"no end", "BI /W 1 /H 1 /F /Fl ID \x00\x01\x02", "", true},
		{"binary after every EI", "BI /W 1 /H 1 /F /Fl ID \x00 EI \xfe\xff", "", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			imgs, lost := inlineImages([]byte(c.content))
			var got []string
			for _, im := range imgs {
				got = append(got, fmt.Sprintf("%v %q %v", dictGet(im.dict, "Width", "W"), im.data, im.ctm))
			}
			if g := strings.Join(got, "|"); g != c.want || lost != c.lost {
				t.Errorf("images %q lost %v, want %q lost %v", g, lost, c.want, c.lost)
			}
		})
	}
}

// FuzzInlineImages: any content stream, never a panic, and each image's
// data is a part of the stream.
func FuzzInlineImages(f *testing.F) {
	f.Add([]byte("q 1 0 0 1 0 0 cm BI /W 2 /H 2 /CS /G /BPC 8 ID abcd EI Q"))
	f.Add([]byte("BI /F [/AHx] /DP [<< /K -1 >>] /CS [/I /RGB 1 <00FF>] ID 0a0b> EI"))
	f.Add([]byte("BI /W 1 /H 1 /L 2 ID \x00\x01 EI BI ID EI (BI) <4249> [ << >> ] {BI} % BI\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		imgs, _ := inlineImages(data)
		for _, im := range imgs {
			if len(im.data) > 0 && !bytes.Contains(data, im.data) {
				t.Fatalf("data %q not in the stream", im.data)
			}
		}
	})
}

// FuzzPDFPictures reads a page drawing an image XObject and an inline
// image of any dictionary and data with an OCR engine, so that every image
// is decoded: never a panic, and reasons of ours.
func FuzzPDFPictures(f *testing.F) {
	pix := halfBlack().Pix
	f.Add("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode", []byte(pdftest.Zlib(pix)), "/W 64 /H 32 /BPC 8 /CS /G", 0.0, 64.0, -128.0, 0.0)
	f.Add("/Width 64 /Height 32 /BitsPerComponent 1 /ColorSpace [/Indexed /DeviceRGB 1 <000000FFFFFF>] /Decode [1 0]", pix[:256], "/W 64 /H 4 /IM true /F /AHx", 128.0, 10.0, 30.0, -64.0)
	f.Add("/Width 8 /Height 8 /ImageMask true /Filter /CCITTFaxDecode /DecodeParms << /K -1 /BlackIs1 true >>", []byte{0xff}, "/W 8 /H 8 /BPC 1 /CS /CS0 /F [/A85 /CCF] /DP [null << /K -1 >>]", 1e-300, 1e300, 0.0, 1e-300)
	// A determinant so small that the inverse has infinities: NaN places.
	f.Add("/Width 64 /Height 32 /BitsPerComponent 8 /ColorSpace /DeviceGray", pix, "/W 1 /H 1 /BPC 8 /CS /G", 1e-310, 0.0, 0.0, 64.0)
	f.Fuzz(func(t *testing.T, dict string, data []byte, inline string, a, b, c, d float64) {
		// The XObject drawn also turned, skewed or flattened, touching
		// the inline image: put upright, and drawn together.
		content := fmt.Sprintf("q 128 0 0 64 50 400 cm /Im1 Do Q q %g %g %g %g 50 364 cm /Im1 Do Q q 128 0 0 64 50 300 cm BI ", a, b, c, d) + inline + " ID " + string(data) + " EI Q"
		pdf := imagePage(dict, data, "128 0 0 64 50 100", content+" ", func(b *pdftest.Builder) string {
			return "/ColorSpace << /CS0 [/ICCBased " + fmt.Sprint(b.Add(pdftest.Stream("/N 3", "icc"))) + " 0 R] >>"
		})
		readFuzzed(t, pdf)
	})
}

// readFuzzed reads a fuzzed PDF with an engine that reads every picture,
// within 5 s, and fails t where the outcome breaks a promise: an error that
// is not an *Error, a Review sentence that is not printable ASCII.
func readFuzzed(t *testing.T, pdf []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	doc, err := extractPDF(extract.WithEngine(ctx, &fakeEngine{text: "x", conf: 90}), bytes.NewReader(pdf), int64(len(pdf)), extract.Options{})
	var e *extract.Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("error %T %q is not an *Error", err, err)
	}
	if err == nil {
		for _, r := range doc.Review {
			for _, c := range r {
				if c < ' ' || c > '~' {
					t.Fatalf("review %q is not printable ASCII", r)
				}
			}
		}
	}
}
