package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// equation builds an Equation Native stream: the 28-byte header, then the
// MTEF header and one line of text characters (typeface 1) in version 3
// or 5, its ENDs cut off when cut.
func equation(version byte, text string, cut bool) []byte {
	var m []byte
	switch version {
	case 3:
		m = []byte{3, 1, 1, 3, 0, 0x0A, 0x01} // FULL, LINE
	default:
		m = append([]byte{version, 1, 1, 6, 0}, "DSMT6\x00\x00"...)
		m = append(m, 0x0A, 0x01, 0x00) // FULL, LINE and its options
	}
	for _, c := range utf16.Encode([]rune(text)) {
		m = append(m, 0x02)
		if version == 5 {
			m = append(m, 0x00)
		}
		m = binary.LittleEndian.AppendUint16(append(m, 0x81), c)
	}
	if !cut {
		m = append(m, 0x00, 0x00)
	}
	h := make([]byte, 28)
	binary.LittleEndian.PutUint16(h, 28)
	binary.LittleEndian.PutUint32(h[8:], uint32(len(m)))
	return append(h, m...)
}

// A formula is read by its MTEF data: its text runs are found, a damaged
// one is read as far as it goes and left for review, and a version baomi
// does not read keeps the reason that says so.
func TestFormula(t *testing.T) {
	const mark = "机密★5年"
	cases := []struct {
		name   string
		data   []byte
		text   string
		review string
		err    string
	}{
		{"v3", equation(3, mark, false), mark, "", ""},
		{"v5", equation(5, mark, false), mark, "", ""},
		{"empty", equation(3, "", false), "", "", ""},
		{"damaged", equation(3, mark, true), mark, "Equation Editor or MathType formula damaged: its text may be incomplete", ""},
		{"v4", equation(4, mark, false), "", "", "Equation Editor or MathType formula: baomi cannot read this format yet"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := cfb.Build(cfb.Stream{Path: "\x01CompObj", Data: []byte("x")}, cfb.Stream{Path: "Equation Native", Data: c.data})
			doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{MaxText: 1 << 20, MaxInflated: 1 << 20})
			if c.err != "" {
				if doc != nil || KindOf(err) != KindUnsupported || err.Error() != c.err {
					t.Fatalf("got %v, %v; want the error %q", doc, err, c.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			for _, s := range doc.Segments {
				if s.Part != PartBody {
					t.Errorf("segment of part %s", s.Part)
				}
				text = append(text, s.Text)
			}
			if got := strings.Join(text, "\n"); got != c.text {
				t.Errorf("text %q, want %q", got, c.text)
			}
			if got := strings.Join(doc.Review, "\n"); got != c.review {
				t.Errorf("review %q, want %q", got, c.review)
			}
		})
	}
}

// The formulas of a Word document from Apache POI's test files are read:
// the document no longer says it could not read them.
func TestFormulaCorpus(t *testing.T) {
	path := "../../../shared/corpus/legacy/document__Bug50936_1.doc"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no corpus: %v", err)
	}
	doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	formulas := 0
	for _, s := range doc.Segments {
		if strings.HasPrefix(s.Inner, "ObjectPool/") && s.Text != "" {
			formulas++
		}
	}
	if formulas != 25 {
		t.Errorf("%d formulas with text, want 25", formulas)
	}
	for _, r := range doc.Review {
		if strings.Contains(r, "Equation Editor") {
			t.Errorf("review %q", r)
		}
	}
}
