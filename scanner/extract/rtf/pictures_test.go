package rtf_test

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// The pictures of an RTF document (\pict: PNG, JPEG, DIB in hex or \bin)
// are read by OCR, named by their place; a metafile is not decoded; the
// rendering kept for old readers (\nonshppict) is not read again.
func TestPicturesOCR(t *testing.T) {
	p := picturetest.PNG(t, 200, 100)
	pngHex, dibHex := hex.EncodeToString(p), hex.EncodeToString(picturetest.BMP(t, 120, 40)[14:])
	// Hex data is written in lines, as Word writes it.
	var wrapped strings.Builder
	for s := pngHex; s != ""; s = s[min(len(s), 128):] {
		wrapped.WriteString(s[:min(len(s), 128)] + "\r\n")
	}
	type pic struct{ inner, text string }
	tests := []struct {
		name   string
		src    string
		want   []pic
		review []string
	}{
		{"PNG", `{\rtf1{\*\shppict{\pict\pngblip\picwgoal2880\pichgoal1440` + "\r\n" + wrapped.String() + `}}{\nonshppict{\pict\wmetafile8 0100}}正文}`,
			[]pic{{"picture 1", "机密\n200x100"}}, nil},
		{"binary", `{\rtf1{\pict\pngblip\picwgoal2880\pichgoal1440\bin` + strconv.Itoa(len(p)) + " " + string(p) + `}}`,
			[]pic{{"picture 1", "机密\n200x100"}}, nil},
		{"DIB", `{\rtf1{\pict\dibitmap0\picw120\pich40\picwgoal1800\pichgoal600 ` + dibHex + `}}`,
			[]pic{{"picture 1", "机密\n120x40"}}, nil},
		{"EMF", `{\rtf1{\pict\pngblip\picwgoal2880\pichgoal1440 ` + pngHex + `}{\pict\emfblip\picwgoal2880\pichgoal1440 0100}}`,
			[]pic{{"picture 1", "机密\n200x100"}}, []string{"1 picture in the document may carry text (not read: its format (EMF) is not decoded)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := doctest.ReadOCR(t, picturetest.Engine{Text: "机密", Conf: 90}, []byte(tt.src))
			got := doctest.Pictures(doc, func(s extract.Segment) pic { return pic{s.Inner, s.Text} })
			if !slices.Equal(got, tt.want) || !slices.Equal(doc.Review, tt.review) {
				t.Errorf("pictures %q, review %q\nwant %q, %q", got, doc.Review, tt.want, tt.review)
			}
		})
	}
}
