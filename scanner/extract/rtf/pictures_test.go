package rtf_test

import (
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// The pictures of an RTF document (\pict: PNG, JPEG, DIB in hex or \bin)
// are read by OCR, named by their place; a metafile's text records are
// read (bytes that are no metafile are not decoded); the
// rendering kept for old readers (\nonshppict) is not read again.
func TestPicturesOCR(t *testing.T) {
	p := picturetest.PNG(t, 200, 100)
	pngHex, dibHex := hex.EncodeToString(p), hex.EncodeToString(picturetest.BMP(t, 120, 40)[14:])
	emfHex := hex.EncodeToString(metafiletest.EMF(metafiletest.TextW(0, 0, "绝密")))
	wmfHex := hex.EncodeToString(metafiletest.WMF(metafiletest.WMFTextOut(0, 0, []byte("SECRET"))))
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
		{"metafiles", `{\rtf1{\pict\pngblip\picwgoal2880\pichgoal1440 ` + pngHex + `}{\pict\emfblip\picwgoal2880\pichgoal1440 ` + emfHex +
			`}{\pict\wmetafile8\picwgoal2880\pichgoal1440 ` + wmfHex + `}{\pict\emfblip\picwgoal2880\pichgoal1440 0100}}`,
			[]pic{{"picture 1", "机密\n200x100"}, {"picture 2", "绝密"}, {"picture 3", "SECRET"}},
			[]string{"1 picture in the document may carry text (not read: it could not be decoded)"}},
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
