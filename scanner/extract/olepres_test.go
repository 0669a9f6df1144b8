package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/metafile/metafiletest"
)

// olePres builds an OLEPresentationStream of data in the standard
// clipboard format, with a target device of extra bytes.
func olePres(format uint32, data []byte, device int) []byte {
	le := binary.LittleEndian
	b := le.AppendUint32(le.AppendUint32(nil, 0xFFFFFFFF), format)
	b = le.AppendUint32(b, uint32(4+device))
	b = append(b, make([]byte, device)...)
	for _, v := range []uint32{1, 0xFFFFFFFF, 2, 0, 200, 100, uint32(len(data))} { // aspect … size
		b = le.AppendUint32(b, v)
	}
	b = append(b, data...)
	if format == cfMetafilePict {
		b = append(b, make([]byte, 18)...)
	}
	return append(b, make([]byte, 8)...) // no table of contents
}

// An object no reader reads (a formula, an organization chart) is read by
// the picture it keeps of itself: the text of its metafile is the
// document's, and the Review says its own data was not read.
func TestOLEPresentation(t *testing.T) {
	gbk := []byte("\xbb\xfa\xc3\xdc\xa1\xef5\xc4\xea") // 机密★5年
	wmf := metafiletest.WMF(metafiletest.WMFFont(134), metafiletest.WMFSelect(0), metafiletest.WMFTextOut(10, 10, gbk))
	// A standard WMF header only, as CF_METAFILEPICT holds it.
	if wmf[0] == 0xD7 {
		wmf = wmf[22:]
	}
	emf := metafiletest.EMF(metafiletest.TextW(10, 10, "机密★5年"))
	cases := []struct {
		name    string
		streams []cfb.Stream
		text    string // "" when the object stays an error
		reason  string
	}{
		{"formula, WMF", []cfb.Stream{{Path: "Equation Native", Data: []byte("eq")}, {Path: "\x02OlePres000", Data: olePres(cfMetafilePict, wmf, 0)}}, "机密★5年", "Equation Editor or MathType formula: baomi cannot read this format yet"},
		{"unknown object, EMF, a target device", []cfb.Stream{{Path: "CONTENTS", Data: []byte("\x00org chart data")}, {Path: "\x02OlePres000", Data: olePres(cfEnhMetafile, emf, 12)}}, "机密★5年", "OLE compound file"},
		{"no picture", []cfb.Stream{{Path: "Equation Native", Data: []byte("eq")}}, "", "Equation Editor or MathType formula"},
		{"a registered format", []cfb.Stream{{Path: "Equation Native", Data: []byte("eq")}, {Path: "\x02OlePres000", Data: append(binary.LittleEndian.AppendUint32(nil, 4), "Nativ"...)}}, "", "Equation Editor"},
		{"truncated", []cfb.Stream{{Path: "Equation Native", Data: []byte("eq")}, {Path: "\x02OlePres000", Data: olePres(cfEnhMetafile, emf, 0)[:60]}}, "", "Equation Editor"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := cfb.Build(c.streams...)
			doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
			if c.text == "" {
				if KindOf(err) != KindUnsupported || !strings.Contains(err.Error(), c.reason) {
					t.Fatalf("got %v, %v; want an error %q", doc, err, c.reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, s := range doc.Segments {
				if s.Part != PartPicture {
					t.Errorf("segment of part %s", s.Part)
				}
				text = append(text, s.Text)
			}
			if got := strings.Join(text, "\n"); !strings.Contains(got, c.text) {
				t.Errorf("text %q, want %q", got, c.text)
			}
			if len(doc.Review) != 2 || !strings.Contains(doc.Review[0], c.reason) || !slices.Contains(doc.Review, "its own data was not read, only the picture the document shows of it") {
				t.Errorf("review %q", doc.Review)
			}
		})
	}
}

// A CONTENTS stream is the file an object wraps only when it is a file baomi
// reads (Acrobat's PDF); otherwise it is the program's own data and the
// object is read as itself.
func TestOLEObjectContents(t *testing.T) {
	for _, c := range []struct {
		contents string
		wraps    bool
	}{{"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", true}, {"\x00\x01org chart data", false}} {
		data := cfb.Build(cfb.Stream{Path: "\x01CompObj", Data: []byte("x")}, cfb.Stream{Path: "CONTENTS", Data: []byte(c.contents)})
		inner, _, err := OLEObject(data, DefaultOptions())
		if err != nil || (inner != nil) != c.wraps {
			t.Errorf("%.8q: inner %d bytes, %v; want wrapped %v", c.contents, len(inner), err, c.wraps)
		}
	}
}
