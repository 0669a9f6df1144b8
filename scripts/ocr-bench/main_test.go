package main

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"image"
	"io"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/match"
)

func TestCER(t *testing.T) {
	for _, c := range []struct {
		got, truth string
		want       float64
	}{
		{"机密★5年", "机密★5年", 0},
		{"机 密 ★ 5 年", "机密★5年", 0},          // spaces and the star are not counted
		{"机密女5年", "机密★5年", 0.25},           // one Han character too many
		{"机密★５年", "机密★5年", 0},              // full-width digits count as ASCII
		{"", "关于召开会议的通知", 1},               // nothing read
		{"关于召开会议通知", "关于召开会议的通知", 1.0 / 9}, // one dropped
		{"ABC", "", 0}, // nothing to count
	} {
		if got := cer(c.got, c.truth); got != c.want {
			t.Errorf("cer(%q, %q) = %v, want %v", c.got, c.truth, got, c.want)
		}
	}
}

func TestStarRead(t *testing.T) {
	for _, c := range []struct {
		text, star string
		seen       bool
	}{
		{"000128\n机密★5年\n关于", "★", true},
		{"机密女5年", "女", true},
		{"机密5年", "", true},
		{"绝密★启用前", "★", true},
		{"秘密 妈 1年", "妈", true},
		{"秘密大1 年", "大", true},
		{"关于召开会议的通知", "", false},
	} {
		star, seen := starRead(c.text)
		if star != c.star || seen != c.seen {
			t.Errorf("starRead(%q) = %q, %v; want %q, %v", c.text, star, seen, c.star, c.seen)
		}
	}
}

func TestQuantiles(t *testing.T) {
	v := []float64{5, 1, 4, 2, 3, 10, 6, 7, 8, 9}
	if got := median(v); got != 5.5 {
		t.Errorf("median = %v, want 5.5", got)
	}
	if got := quantile(v, 0.9); got != 9 {
		t.Errorf("p90 = %v, want 9", got)
	}
	if median(nil) != 0 || quantile(nil, 0.9) != 0 {
		t.Error("no values should give 0")
	}
}

// tiff builds a little-endian TIFF holding data with the given tags (SHORT
// values) and the strip tags pointing at it.
func tiff(data []byte, tags map[uint16]uint16, strips int) []byte {
	var b bytes.Buffer
	b.WriteString("II*\x00")
	binary.Write(&b, binary.LittleEndian, uint32(8))
	n := len(tags) + 2
	dataAt := 8 + 2 + 12*n + 4
	binary.Write(&b, binary.LittleEndian, uint16(n))
	entry := func(tag, typ uint16, count, val uint32) {
		for _, v := range []any{tag, typ, count, val} {
			binary.Write(&b, binary.LittleEndian, v)
		}
	}
	for _, tag := range []uint16{256, 257, 259, 262, 266} {
		if v, ok := tags[tag]; ok {
			entry(tag, 3, 1, uint32(v))
		}
	}
	if strips == 1 {
		entry(273, 4, 1, uint32(dataAt))
		entry(279, 4, 1, uint32(len(data)))
	} else {
		entry(273, 3, 2, uint32(dataAt)) // two SHORT offsets fit in the value
		entry(279, 3, 2, uint32(len(data)))
	}
	binary.Write(&b, binary.LittleEndian, uint32(0))
	b.Write(data)
	return b.Bytes()
}

func TestTIFFStrip(t *testing.T) {
	g4 := map[uint16]uint16{256: 16, 257: 2, 259: 4, 262: 0}
	w, h, data, err := tiffStrip(tiff([]byte("G4DATA"), g4, 1))
	if err != nil || w != 16 || h != 2 || string(data) != "G4DATA" {
		t.Fatalf("tiffStrip = %d, %d, %q, %v; want 16, 2, G4DATA, nil", w, h, data, err)
	}
	for _, c := range []struct {
		name   string
		tags   map[uint16]uint16
		strips int
		want   string
	}{
		{"not G4", map[uint16]uint16{256: 16, 257: 2, 259: 5}, 1, "not Group 4"},
		{"0 is black", map[uint16]uint16{256: 16, 257: 2, 259: 4, 262: 1}, 1, "not white"},
		{"reverse bits", map[uint16]uint16{256: 16, 257: 2, 259: 4, 266: 2}, 1, "reverse"},
		{"two strips", g4, 2, "2 strips"},
	} {
		if _, _, _, err := tiffStrip(tiff([]byte("G4DATA"), c.tags, c.strips)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %q", c.name, err, c.want)
		}
	}
	if _, _, _, err := tiffStrip([]byte("II*\x00\xff\xff\xff\x00")); err == nil {
		t.Error("a directory out of the file should be an error")
	}
}

func TestImagePDF(t *testing.T) {
	pdf := string(imagePDF([]byte("JPEGDATA"), 30, 20, "DCTDecode", 8, "DeviceGray"))
	for _, want := range []string{"%PDF-1.4", "/Width 30 /Height 20", "/Filter /DCTDecode", "stream\nJPEGDATA\nendstream", "/MediaBox [0 0 841.89 595.28]", "startxref"} {
		if !strings.Contains(pdf, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	g4 := string(imagePDF([]byte("G4"), 20, 30, "CCITTFaxDecode", 1, "DeviceGray"))
	if !strings.Contains(g4, "/DecodeParms <</K -1 /Columns 20 /Rows 30 /BlackIs1 false>>") || !strings.Contains(g4, "/MediaBox [0 0 595.28 841.89]") {
		t.Errorf("the G4 PDF lacks its parameters or its portrait page:\n%s", g4)
	}
}

// TestVariants makes every variant but G4 (which needs ImageMagick) of a
// small page and decodes it as the bench does.
func TestVariants(t *testing.T) {
	p := image.NewGray(image.Rect(0, 0, 60, 90))
	for i := range p.Pix {
		p.Pix[i] = 255
		if i%7 == 0 {
			p.Pix[i] = 0
		}
	}
	want := map[string]image.Point{"rot90": {90, 60}, "dpi200": {40, 60}, "dpi150": {30, 45}}
	for _, v := range variants {
		if v.name == "g4" {
			continue
		}
		data, err := v.make(p, rand.New(rand.NewPCG(1, 2)), t.TempDir())
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		img, format, err := image.Decode(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", v.name, err)
		}
		size, ok := want[v.name]
		if !ok {
			size = image.Pt(60, 90)
		}
		if img.Bounds().Size() != size || (format == "jpeg") != (v.ext == "jpg") {
			t.Errorf("%s: a %s of %v, want %v in .%s", v.name, format, img.Bounds().Size(), size, v.ext)
		}
	}
}

func TestTurn(t *testing.T) {
	p := image.NewGray(image.Rect(0, 0, 2, 3))
	copy(p.Pix, []uint8{1, 2, 3, 4, 5, 6})
	if got := turn(p, 90); !bytes.Equal(got.Pix, []uint8{5, 3, 1, 6, 4, 2}) || got.Rect.Dx() != 3 {
		t.Errorf("turned 90°: %v", got.Pix)
	}
	if got := turn(p, 180); !bytes.Equal(got.Pix, []uint8{6, 5, 4, 3, 2, 1}) {
		t.Errorf("turned 180°: %v", got.Pix)
	}
}

func TestPictureDOCX(t *testing.T) {
	png, err := encodePNG(image.NewGray(image.Rect(0, 0, 40, 80)))
	if err != nil {
		t.Fatal(err)
	}
	d, err := pictureDOCX(png)
	if err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(d), int64(len(d)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(r)
		parts[f.Name] = string(b)
	}
	if parts["word/media/image1.png"] != string(png) {
		t.Error("the picture is not word/media/image1.png as given")
	}
	if doc := parts["word/document.xml"]; !strings.Contains(doc, `r:embed="rId1"`) || !strings.Contains(doc, `cx="5486400" cy="10972800"`) {
		t.Errorf("document.xml does not draw the picture at its shape:\n%s", doc)
	}
}

func TestTextLines(t *testing.T) {
	lines, err := textLines("../../samples/src/clean-utf8.md")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []kind
	for _, l := range lines {
		kinds = append(kinds, l.kind)
		if strings.ContainsAny(l.text, "|#") || strings.Contains(l.text, "---") {
			t.Errorf("Markdown left in %q", l.text)
		}
	}
	if kinds[0] != title || lines[len(lines)-1].kind != para {
		t.Errorf("kinds %v: want a title first and the closing sentence a paragraph", kinds)
	}
	lines, err = textLines("../../samples/src/scanned.txt")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(lines[0].text, "★") || lines[len(lines)-1].kind != signature {
		t.Errorf("scanned.txt: the sample's marking is kept or the date is not a signature: %v", lines)
	}
}

// TestRematch matches again what a run kept (its results.tsv and the text
// read), as -rematch does, and checks the figures judge gives.
func TestRematch(t *testing.T) {
	pol, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(pol)
	if err != nil {
		t.Fatal(err)
	}
	sc := scanner.New(m, scanner.Options{})
	pages := []page{
		{name: "marked", rule: "marking.classified", truth: "机密★5年\n关于加强办公网络安全管理的通知"},
		{name: "public", truth: "请勿填写手机密码"},
	}
	dir := t.TempDir()
	texts := map[string]string{"marked": "机密★5年\n关于加强办公网络安全管理通知", "public": "请勿填写手机密码"}
	for name, text := range texts {
		if err := writeText(filepath.Join(dir, "ocr-text", "clean", name+".txt"), text); err != nil {
			t.Fatal(err)
		}
	}
	tsv := "variant\tpage\trule\tseconds\tconf\tread\tturned\tcpu\n" +
		"clean\tmarked\tmarking.classified\t2.50\t88.0\ttrue\t0\t2.00\n" +
		"clean\tpublic\t\t1.25\t40.0\tfalse\t180\t1.00\n"
	if err := writeText(filepath.Join(dir, "results.tsv"), tsv); err != nil {
		t.Fatal(err)
	}
	rs, err := rematch(sc, pages, dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2 {
		t.Fatalf("%d results, want 2", len(rs))
	}
	mk, pb := rs[0], rs[1]
	if !mk.found || mk.verdict != scanner.Flagged || mk.secs != 2.5 || mk.cpu != 2 || mk.star != "★" || mk.edits != 1 || mk.chars != 19 {
		t.Errorf("marked page: %+v", mk)
	}
	if pb.high || pb.read || pb.verdict != scanner.Review || pb.turned != 180 || pb.conf != 40 || pb.cer != 0 {
		t.Errorf("public page: %+v", pb)
	}
}
