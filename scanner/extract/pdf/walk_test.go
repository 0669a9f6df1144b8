package pdf

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ledongthuc/pdf"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// TestParseCMap checks the ToUnicode parser: single codes, ranges that
// cross a byte boundary, the array form, UTF-16 surrogates, cidrange read
// as code points, and splitting by a mixed one- and two-byte codespace.
func TestParseCMap(t *testing.T) {
	src := `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Test def /WMode 1 def
2 begincodespacerange <00> <80> <8140> <FEFE> endcodespacerange
3 beginbfchar <41> <0041> <8141> <D840DC00> <8142> /uni5BC6 endbfchar
2 beginbfrange
<00FE> <0101> <4E00>
<9000> <9002> [<0061> <00660069> <0063>]
endbfrange
1 begincidrange <A000> <A0FF> 19968 endcidrange
endcmap CMapName currentdict /CMap defineresource pop end end`
	c := parseCMap([]byte(src))
	if c.wmode != 1 {
		t.Errorf("wmode = %d, want 1", c.wmode)
	}
	lookups := []struct {
		code uint32
		want string
		ok   bool
	}{
		{0x41, "A", true},
		{0x8141, "\U00020000", true},
		{0x8142, "密", true},
		{0xFE, "一", true},
		{0xFF, "丁", true},  // 4E01
		{0x100, "丂", true}, // 4E02: the range crosses from 00FF to 0100
		{0x101, "七", true}, // 4E03
		{0x102, "", false}, // past the range
		{0x9001, "fi", true},
		{0x9002, "c", true},
		{0xA001, "丁", true}, // cidrange: 19968+1
		{0x42, "", false},
	}
	for _, l := range lookups {
		got, ok := c.lookup(l.code)
		if got != l.want || ok != l.ok {
			t.Errorf("lookup(%#x) = %q, %v; want %q, %v", l.code, got, ok, l.want, l.ok)
		}
	}
	splits := []struct {
		in   string
		code uint32
		n    int
		ok   bool
	}{
		{"\x41\x81\x41", 0x41, 1, true},
		{"\x81\x41", 0x8141, 2, true},
		{"\xff\x41", 0xff, 1, false},
	}
	for _, s := range splits {
		code, n, ok := c.split(s.in, 2)
		if code != s.code || n != s.n || ok != s.ok {
			t.Errorf("split(%q) = %#x, %d, %v; want %#x, %d, %v", s.in, code, n, ok, s.code, s.n, s.ok)
		}
	}
}

// TestGlyphText checks glyph names to text.
func TestGlyphText(t *testing.T) {
	cases := map[string]string{
		"A": "A", "uni673A": "机", "uni673A5BC6": "机密", "u1F600": "😀", "eacute": "é",
		"f_i": "fi", "a.sc": "a", "quotedblleft": "“", "g123": "", "cid42": "", "uniD800": "",
	}
	for name, want := range cases {
		if got := glyphText(name); got != want {
			t.Errorf("glyphText(%q) = %q, want %q", name, got, want)
		}
	}
}

// TestLayoutText checks line rebuilding on glyphs given directly.
func TestLayoutText(t *testing.T) {
	at := func(x, y, size float64, text string) placedGlyph {
		return placedGlyph{x0: x, y0: y, x1: x + size, y1: y, size: size, text: text}
	}
	cases := []struct {
		name   string
		glyphs []placedGlyph
		want   string
	}{
		{"out of order", []placedGlyph{at(22, 100, 10, "密"), at(10, 80, 10, "二"), at(10, 100, 10, "机")}, "机密\n二"},
		{"other font and size on the baseline", []placedGlyph{at(10, 100, 10, "机"), at(20, 100, 10, "密"), at(30, 99, 12, "★"), at(42, 100, 10, "5"), at(52, 100, 10, "年")}, "机密★5年"},
		{"fake bold", []placedGlyph{at(10, 100, 10, "机"), at(20, 100, 10, "密"), at(10.3, 100.2, 10, "机"), at(20.3, 100.2, 10, "密")}, "机密"},
		{"repeated character is kept", []placedGlyph{at(10, 100, 10, "好"), at(20, 100, 10, "好")}, "好好"},
		{"vertical column", []placedGlyph{
			{x0: 80, y0: 100, x1: 80, y1: 90, size: 10, text: "年", vert: true},
			{x0: 100, y0: 100, x1: 100, y1: 90, size: 10, text: "机", vert: true},
			{x0: 100, y0: 90, x1: 100, y1: 80, size: 10, text: "密", vert: true},
		}, "机密\n年"},
		{"rotated page", []placedGlyph{
			{x0: 100, y0: 10, x1: 100, y1: 20, size: 10, text: "机", rot: 1},
			{x0: 100, y0: 20, x1: 100, y1: 30, size: 10, text: "密", rot: 1},
		}, "机密"},
	}
	for _, c := range cases {
		if got := layoutText(c.glyphs); got != c.want {
			t.Errorf("%s: layoutText = %q, want %q", c.name, got, c.want)
		}
	}
}

// bodyTexts extracts data and returns the body text of each page.
func bodyTexts(t *testing.T, data []byte) ([]string, *extract.Document) {
	t.Helper()
	doc, err, done := runPDF(t, data, extract.Options{}, 5*time.Second)
	if !done {
		t.Fatal("did not finish in 5 s")
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	var out []string
	for _, s := range doc.Segments {
		if s.Part == extract.PartBody {
			out = append(out, s.Text)
		}
	}
	return out, doc
}

// TestPDFWalk checks the content-stream walker on hand-built pages.
func TestPDFWalk(t *testing.T) {
	helv := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	fonts := func(b *pdftest.Builder) string {
		return fmt.Sprintf("/Font << /F1 %d 0 R /F2 %d 0 R >>", pdftest.CJKFont(b), b.Add(helv))
	}
	form := func(b *pdftest.Builder, dict, content string) int {
		return b.Add(pdftest.Stream("/Type /XObject /Subtype /Form /BBox [0 0 200 200] "+dict, content))
	}
	cases := []struct {
		name    string
		content string
		pre     func(b *pdftest.Builder) string
		want    string
	}{
		{"TJ spacing separates Latin words", "BT /F2 12 Tf 10 100 Td [(Hello) -300 (World) -20 (s)] TJ ET", fonts, "Hello Worlds"},
		{"TJ spacing adds no space in CJK", "BT /F1 12 Tf 10 100 Td [<00010002> -300 <0005>] TJ ET", fonts, "机密年"},
		{"lines drawn out of order", "BT /F2 12 Tf 10 80 Td (second) Tj ET BT /F2 12 Tf 46 100 Td (line) Tj ET BT /F2 12 Tf 10 100 Td (first) Tj ET", fonts, "first line\nsecond"},
		{"quote operators move to the next line", "BT /F2 12 Tf 14 TL 10 100 Td (one) Tj (two) ' 1 0 (three) \" ET", fonts, "one\ntwo\nthree"},
		{"marking in three fonts and sizes stays on its line", "BT /F1 12 Tf 10 100 Td <00010002> Tj ET BT /F1 14 Tf 34 99 Td <0003> Tj ET BT /F2 12 Tf 48 100 Td (5) Tj ET BT /F1 12 Tf 54 100 Td <0005> Tj ET BT /F2 12 Tf 10 80 Td (next) Tj ET", fonts, "机密★5年\nnext"},
		{"fake bold drawn twice is kept once", "BT /F1 12 Tf 10 100 Td <00010002> Tj ET BT /F1 12 Tf 10.3 100.2 Td <00010002> Tj ET", fonts, "机密"},
		{"text matrix and CTM place the text", "q 1 0 0 1 0 -20 cm BT /F2 12 Tf 1 0 0 1 10 100 Tm (below) Tj ET Q BT /F2 12 Tf 10 100 Td (above) Tj ET", fonts, "above\nbelow"},
		{"simple font with Differences and glyph names", "BT /F3 12 Tf 10 100 Td (ABC) Tj ET", func(b *pdftest.Builder) string {
			return fmt.Sprintf("/Font << /F3 %d 0 R >>", b.Add("<< /Type /Font /Subtype /Type1 /BaseFont /X /Encoding << /Differences [65 /uni673A /uni5BC6 /star] >> >>"))
		}, "机密★"},
		{"WinAnsi encoding", "BT /F3 12 Tf 10 100 Td (caf\\351) Tj ET", func(b *pdftest.Builder) string {
			return fmt.Sprintf("/Font << /F3 %d 0 R >>", b.Add("<< /Type /Font /Subtype /TrueType /BaseFont /Arial /Encoding /WinAnsiEncoding >>"))
		}, "café"},
		{"GBK-EUC-H predefined CMap", "BT /F3 12 Tf 10 100 Td <BBFAC3DC> Tj ET", func(b *pdftest.Builder) string {
			return fmt.Sprintf("/Font << /F3 %d 0 R >>", b.Add("<< /Type /Font /Subtype /Type0 /BaseFont /SimHei /Encoding /GBK-EUC-H >>"))
		}, "机密"},
		{"vertical text read top to bottom, right to left", "BT /F4 12 Tf 80 150 Td <0005> Tj ET BT /F4 12 Tf 100 150 Td <00010002> Tj ET", func(b *pdftest.Builder) string {
			tu := b.Add(pdftest.Stream("", "1 begincodespacerange <0000> <FFFF> endcodespacerange 3 beginbfchar <0001> <673A> <0002> <5BC6> <0005> <5E74> endbfchar"))
			return fmt.Sprintf("/Font << /F4 %d 0 R >>", b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /X /Encoding /Identity-V /ToUnicode %d 0 R >>", tu)))
		}, "机密年"},
		{"forms nest with their own resources and matrix; a cycle is read once", "q /Fm1 Do Q", func(b *pdftest.Builder) string {
			fm2 := form(b, "", "")
			fm1 := form(b, fmt.Sprintf("/Resources << %s /XObject << /Fm2 %d 0 R >> >>", fonts(b), fm2), "BT /F1 12 Tf 10 100 Td <00010002> Tj ET /Fm2 Do")
			b.Objs[fm2-1] = pdftest.Stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Matrix [1 0 0 1 0 -20] /Resources << /Font << /F1 %d 0 R >> /XObject << /Fm1 %d 0 R >> >>", b.Add(helv), fm1), "BT /F1 12 Tf 10 100 Td (ABC) Tj ET /Fm1 Do")
			return fmt.Sprintf("/XObject << /Fm1 %d 0 R >>", fm1)
		}, "机密\nABC"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			texts, doc := bodyTexts(t, pdftest.OnePage(c.content, "", "", c.pre))
			if len(texts) != 1 || texts[0] != c.want {
				t.Errorf("body = %q, want %q", texts, c.want)
			}
			if len(doc.Review) > 0 {
				t.Errorf("unexpected review %q", doc.Review)
			}
		})
	}
}

// TestPDFFontsPerPage: two pages name different fonts /F1; each page's
// text is decoded with its own.
func TestPDFFontsPerPage(t *testing.T) {
	b := &pdftest.Builder{}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>")
	b.Add("")
	b.Add("")
	c := b.Add(pdftest.Stream("", "BT /F1 12 Tf 10 100 Td <00010002> Tj ET"))
	f1 := pdftest.CJKFont(b)
	tu := b.Add(pdftest.Stream("", "1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <516C> <0002> <5F00> endbfchar"))
	f2 := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", c, f1)
	b.Objs[3] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", c, f2)
	texts, _ := bodyTexts(t, b.Bytes(""))
	if want := []string{"机密", "公开"}; strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("pages = %q, want %q", texts, want)
	}
}

// TestPDFWalkLimits: too many operators and forms nested too deep fail
// the file with the limit named.
func TestPDFWalkLimits(t *testing.T) {
	data := pdftest.OnePage(strings.Repeat("BT ET ", 100), "", "", nil)
	rd, err := openPDF(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	pages, _, err := pdfPages(rd, extract.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	x := &pdfRun{ctx: context.Background(), opt: extract.DefaultOptions(), maxOps: 50, fonts: map[string]*pdfFont{}, cmaps: map[string]*cmap{}, buf: make([]byte, 4096)}
	if _, _, err := x.page(1, pages[0]); extract.KindOf(err) != extract.KindLimit || !strings.Contains(err.Error(), "(max operators)") {
		t.Errorf("200 operators with a cap of 50: err = %v", err)
	}

	deep := pdftest.OnePage("/Fm0 Do", "", "", func(b *pdftest.Builder) string {
		next := b.Add(pdftest.Stream("/Type /XObject /Subtype /Form /BBox [0 0 1 1]", ""))
		for i := 0; i < pdfMaxFormDepth+2; i++ {
			next = b.Add(pdftest.Stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 1 1] /Resources << /XObject << /Fm0 %d 0 R >> >>", next), "/Fm0 Do"))
		}
		return fmt.Sprintf("/XObject << /Fm0 %d 0 R >>", next)
	})
	if _, err, _ := runPDF(t, deep, extract.Options{}, 5*time.Second); extract.KindOf(err) != extract.KindCorrupt || !strings.Contains(err.Error(), "nested") {
		t.Errorf("forms nested %d deep: err = %v", pdfMaxFormDepth+2, err)
	}
}

// TestStreamScanHexOpen checks which stream endings the library's lexer
// would read forever.
func TestStreamScanHexOpen(t *testing.T) {
	cases := []struct {
		in   string
		want bool
	}{
		{"BT <4142", true},
		{"BT <41 42\n", true},
		{"<41>", false},
		{"<< /A 1 >>", false},
		{"<<", false},
		{"<<<41", true},
		{"<41\x02\x00\r", true}, // a bad byte where a pair starts, then only white space
		{"<4\x02", false},       // a bad second byte of a pair: the lexer fails at once
		{"<41\x02 4", false},
		{"(x) Tj", false},
	}
	for _, c := range cases {
		var s streamScan
		s.feed([]byte(c.in))
		if got := s.hexOpen(); got != c.want {
			t.Errorf("hexOpen(%q) = %v, want %v", c.in, got, c.want)
		}
	}
}

// trueTypeWithCmap builds a TrueType font program holding only a cmap:
// a (3,1) format 4 subtable mapping 一丁 (U+4E00, U+4E01) to glyphs 5 and 6
// by delta and 机 (U+673A) to glyph 9 through the glyph array.
func trueTypeWithCmap() []byte {
	be := func(v ...int) []byte {
		var b []byte
		for _, x := range v {
			b = binary.BigEndian.AppendUint16(b, uint16(x))
		}
		return b
	}
	// Three segments: 4E00-4E01 (delta), 673A (range offset), FFFF.
	sub := be(4, 0, 0, 6, 0, 0, 0)                   // format, length, language, segCountX2, search fields
	sub = append(sub, be(0x4E01, 0x673A, 0xFFFF)...) // endCode
	sub = append(sub, be(0)...)                      // reservedPad
	sub = append(sub, be(0x4E00, 0x673A, 0xFFFF)...) // startCode
	sub = append(sub, be(5-0x4E00, 0, 1)...)         // idDelta
	sub = append(sub, be(0, 4, 0)...)                // idRangeOffset: segment 1 points 4 bytes on, past segment 2's offset
	sub = append(sub, be(9)...)                      // glyphIdArray
	cmap := append(be(0, 1, 3, 1), binary.BigEndian.AppendUint32(nil, 12)...)
	cmap = append(cmap, sub...)
	font := append(binary.BigEndian.AppendUint32(nil, 0x00010000), be(1, 16, 0, 0)...)
	font = append(font, "cmap"...)
	font = binary.BigEndian.AppendUint32(font, 0)
	font = binary.BigEndian.AppendUint32(font, 28)
	font = binary.BigEndian.AppendUint32(font, uint32(len(cmap)))
	return append(font, cmap...)
}

// TestTrueTypeUnicode checks the cmap reader, and a CID font without
// ToUnicode read through its embedded TrueType program.
func TestTrueTypeUnicode(t *testing.T) {
	got := trueTypeUnicode(trueTypeWithCmap())
	want := map[uint16]rune{5: '一', 6: '丁', 9: '机'}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("trueTypeUnicode = %v, want %v", got, want)
	}
	if m := trueTypeUnicode([]byte("not a font")); m != nil {
		t.Errorf("trueTypeUnicode(junk) = %v, want nil", m)
	}
	cases := []struct{ content, gidMap, want string }{
		{"<000900050006>", "/CIDToGIDMap /Identity", "机一丁"},
		{"<00010002>", "/CIDToGIDMap %d 0 R", "机一"}, // CIDs 1, 2 are glyphs 9, 5
	}
	for _, c := range cases {
		data := pdftest.OnePage("BT /F1 12 Tf 10 100 Td "+c.content+" Tj ET", "", "", func(b *pdftest.Builder) string {
			ff := b.Add(pdftest.Stream("", string(trueTypeWithCmap())))
			gidMap := c.gidMap
			if strings.Contains(gidMap, "%d") {
				gidMap = fmt.Sprintf(gidMap, b.Add(pdftest.Stream("", "\x00\x00\x00\x09\x00\x05")))
			}
			fd := b.Add(fmt.Sprintf("<< /Type /FontDescriptor /FontName /SimSun /FontFile2 %d 0 R >>", ff))
			cid := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor %d 0 R %s >>", fd, gidMap))
			return fmt.Sprintf("/Font << /F1 %d 0 R >>", b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [%d 0 R] >>", cid)))
		})
		texts, doc := bodyTexts(t, data)
		if len(texts) != 1 || texts[0] != c.want || len(doc.Review) > 0 {
			t.Errorf("%s: body = %q, review %q; want %q and no review", c.gidMap, texts, doc.Review, c.want)
		}
	}
}

// TestPDFFontsByReference checks the per-file font cache: pages that give
// the same resource name to different font objects get each its own font,
// a font object named differently on two pages is one font, and a font
// written directly in the resource dictionary (no reference to cache by)
// is read as well.
func TestPDFFontsByReference(t *testing.T) {
	b := &pdftest.Builder{}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("")                     // the page tree, filled in below
	marking := pdftest.CJKFont(b) // 0001..0005: 机 密 ★ 5 年
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"3 beginbfchar <0001> <516C> <0002> <5F00> <0003> <8D44> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	public := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", b.Add(pdftest.Stream("", cmap)))) // 公 开 资
	pages := []struct{ fonts, want string }{
		{fmt.Sprintf("/F1 %d 0 R", marking), "机密★"},
		{fmt.Sprintf("/F1 %d 0 R", public), "公开资"},
		{fmt.Sprintf("/F7 %d 0 R /F1 %d 0 R", public, marking), "机密★"},
		{fmt.Sprintf("/F1 << /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", public-1), "公开资"},
	}
	content := b.Add(pdftest.Stream("", "BT /F1 12 Tf 10 100 Td <000100020003> Tj ET"))
	var kids []string
	for _, p := range pages {
		kids = append(kids, fmt.Sprintf("%d 0 R", b.Add(fmt.Sprintf(
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << %s >> >> >>", content, p.fonts))))
	}
	b.Objs[1] = fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), len(kids))
	data := b.Bytes("")

	// The references are read where the font dictionary is plain, and
	// only there.
	r, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	wantRefs := []string{
		fmt.Sprintf("map[F1:%d 0]", marking), fmt.Sprintf("map[F1:%d 0]", public),
		fmt.Sprintf("map[F1:%d 0 F7:%d 0]", marking, public), "map[]",
	}
	for i, want := range wantRefs {
		fd := r.Page(i + 1).V.Key("Resources").Key("Font")
		if got := fmt.Sprint(dictRefs(fd)); got != want {
			t.Errorf("page %d: dictRefs = %s, want %s", i+1, got, want)
		}
	}

	doc, err, ok := runPDF(t, data, extract.DefaultOptions(), time.Minute)
	if !ok || err != nil {
		t.Fatalf("extract: ok %v, err %v", ok, err)
	}
	var got []string
	for _, s := range doc.Segments {
		if s.Part == extract.PartBody {
			got = append(got, strings.TrimSpace(s.Text))
		}
	}
	var want []string
	for _, p := range pages {
		want = append(want, p.want)
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("pages read %q, want %q", got, want)
	}
}

// TestPDFPictures builds pages that draw pictures and checks which make the
// file review: every image drawn (XObject, in a form, inline, in an
// annotation's appearance) is measured by pixels and drawn size.
func TestPDFPictures(t *testing.T) {
	const page1 = "page 1 has a picture that may carry text (not read)"
	// The page number, as text.
	number := "BT /F1 10 Tf 100 20 Td (1) Tj ET "
	helv := func(b *pdftest.Builder) string {
		return fmt.Sprintf("/F1 %d 0 R", b.Add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
	}
	image := func(dict string) func(b *pdftest.Builder) string {
		return func(b *pdftest.Builder) string {
			im := b.Add(pdftest.Stream("/Type /XObject /Subtype /Image /ColorSpace /DeviceGray /BitsPerComponent 8 "+dict, "\x00"))
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
		pre     func(b *pdftest.Builder) string
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
			pre: func(b *pdftest.Builder) string {
				im := b.Add(pdftest.Stream("/Type /XObject /Subtype /Image /Width 260 /Height 50 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x00"))
				fm := b.Add(pdftest.Stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 200 200] /Resources << /XObject << /Im1 %d 0 R >> >>", im),
					"q 100 0 0 12 0 0 cm /Im1 Do Q"))
				return fmt.Sprintf("/Font << %s >> /XObject << /Fm1 %d 0 R >>", helv(b), fm)
			},
			want: []string{page1},
		},
		{"an inline image", number + "q 195.6 0 0 22.7 50 400 cm " + inline(260, 50) + "Q", image(""), "", []string{page1}},
		{"a 16x16 inline bullet", number + "q 195.6 0 0 22.7 50 400 cm " + inline(16, 16) + "Q", image(""), "", nil},
		{"an inline bullet in a stream without text", "q 195.6 0 0 5 50 400 cm " + inline(16, 16) + "Q", nil, "", nil},
		{"an inline image in a stream without text", "q 195.6 0 0 22.7 50 400 cm " + inline(260, 50) + "Q", nil, "", []string{page1}},
		{
			name:    "an image in a stamp's appearance",
			content: number,
			// Objects 1-4 are the catalog, page tree, page and content;
			// this adds the font (5), the image (6) and the appearance (7).
			pre: func(b *pdftest.Builder) string {
				font := helv(b)
				im := b.Add(pdftest.Stream("/Type /XObject /Subtype /Image /Width 400 /Height 400 /ColorSpace /DeviceGray /BitsPerComponent 8", "\x00"))
				b.Add(pdftest.Stream(fmt.Sprintf("/Type /XObject /Subtype /Form /BBox [0 0 100 100] /Resources << /XObject << /Im1 %d 0 R >> >>", im),
					"q 100 0 0 100 0 0 cm /Im1 Do Q"))
				return "/Font << " + font + " >>"
			},
			extra: "/Annots [<< /Type /Annot /Subtype /Stamp /Rect [0 0 100 100] /AP << /N 7 0 R >> >>]",
			want:  []string{page1},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			texts, doc := bodyTexts(t, pdftest.OnePage(c.content, "", c.extra, c.pre))
			if !slices.Equal(doc.Review, c.want) {
				t.Errorf("Review = %q, want %q", doc.Review, c.want)
			}
			if strings.HasPrefix(c.content, number) && (len(texts) != 1 || texts[0] != "1") {
				t.Errorf("body = %q, want the page number", texts)
			}
		})
	}
}
