package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// benchRead extracts data through Reader (sniffing included) b.N times.
func benchRead(b *testing.B, data []byte) {
	b.SetBytes(int64(len(data)))
	var chars int
	for b.Loop() {
		doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultOptions())
		if err != nil {
			b.Fatal(err)
		}
		chars = 0
		for _, s := range doc.Segments {
			chars += len(s.Text)
		}
	}
	b.ReportMetric(float64(chars), "text-bytes/op")
}

// benchHan returns about size bytes of Chinese sentences.
func benchHan(rng *rand.Rand, size int) string {
	var t strings.Builder
	for t.Len() < size {
		for range 8 + rng.IntN(30) {
			t.WriteRune(rune(0x4e00 + rng.IntN(3000)))
		}
		t.WriteString("。")
	}
	return t.String()
}

// benchZip builds a zip of the parts, given as name, body, name, body….
func benchZip(b *testing.B, parts ...string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(parts); i += 2 {
		w, err := zw.Create(parts[i])
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.Write([]byte(parts[i+1])); err != nil {
			b.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkDOCX reads the largest DOCX of the shared corpus
// (poitl__160_merge.docx, 2.6 MB, most of it pictures: the corpus DOCX carry
// little text) and a generated one of 20,000 paragraphs of two runs each
// (about 4 MB of text, 1.5 MB zipped).
func BenchmarkDOCX(b *testing.B) {
	b.Run("poitl__160_merge", func(b *testing.B) {
		data, err := os.ReadFile(filepath.Join("../../../shared/corpus", "docx-zh", "poitl__160_merge.docx"))
		if err != nil {
			b.Skipf("corpus not available: %v", err)
		}
		benchRead(b, data)
	})
	b.Run("generated-20000par", func(b *testing.B) {
		rng := rand.New(rand.NewPCG(5, 6))
		var doc strings.Builder
		doc.WriteString(`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`)
		for range 20000 {
			fmt.Fprintf(&doc, `<w:p><w:r><w:t>%s</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>%s</w:t></w:r></w:p>`, benchHan(rng, 120), benchHan(rng, 60))
		}
		doc.WriteString("</w:body></w:document>")
		benchRead(b, benchZip(b,
			"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
			"word/document.xml", doc.String()))
	})
}

// BenchmarkXLSX reads a generated workbook of 20,000 rows of five cells
// (shared strings, inline strings and numbers), about 1 MB zipped.
func BenchmarkXLSX(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 2))
	const rows, shared = 20000, 5000
	var sst, sheet strings.Builder
	fmt.Fprintf(&sst, `<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">`, shared, shared)
	for range shared {
		fmt.Fprintf(&sst, "<si><t>%s</t></si>", benchHan(rng, 30))
	}
	sst.WriteString("</sst>")
	sheet.WriteString(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for r := 1; r <= rows; r++ {
		fmt.Fprintf(&sheet, `<row r="%d"><c r="A%d"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c><c r="C%d" t="s"><v>%d</v></c>`+
			`<c r="D%d" t="inlineStr"><is><t>%s</t></is></c><c r="E%d"><v>%d.5</v></c></row>`,
			r, r, r, r, rng.IntN(shared), r, rng.IntN(shared), r, benchHan(rng, 20), r, rng.IntN(100000))
	}
	sheet.WriteString("</sheetData></worksheet>")
	rel := "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	benchRead(b, benchZip(b,
		"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml", `<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="`+rel+`"><sheets><sheet name="预算" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels", `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
			`<Relationship Id="rId1" Type="`+rel+`/worksheet" Target="worksheets/sheet1.xml"/>`+
			`<Relationship Id="rId2" Type="`+rel+`/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/worksheets/sheet1.xml", sheet.String(),
		"xl/sharedStrings.xml", sst.String()))
}

// BenchmarkText reads 8 MB of UTF-8 Chinese text with line breaks.
func BenchmarkText(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	var t strings.Builder
	for t.Len() < 8<<20 {
		t.WriteString(benchHan(rng, 200))
		t.WriteString("\n")
	}
	benchRead(b, []byte(t.String()))
}
