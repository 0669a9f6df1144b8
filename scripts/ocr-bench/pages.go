package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"image"
	"image/draw"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// dpi is the resolution source pages are made at.
const dpi = 300

// A4 at 300 dpi, in pixels.
const pageW, pageH = 2480, 3508

// page is one source page: its picture at 300 dpi and the text on it.
type page struct {
	name string
	// rule is the rule a scan of the page must find (marking.classified,
	// label.internal), "" on a public page.
	rule  string
	truth string
	img   *image.Gray
}

// fonts are the faces pages are laid out with, as GB/T 9704 asks for them:
// 黑体 (here Noto Sans CJK) for the marking, 小标宋 (Noto Serif CJK Bold)
// for the title, 仿宋 (Noto Serif CJK) for the body.
type fonts struct {
	sans, serif, serifBold *sfnt.Font
}

// fontDir holds the Noto CJK collections (Debian: fonts-noto-cjk).
const fontDir = "/usr/share/fonts/opentype/noto"

func loadFonts() (*fonts, error) {
	load := func(file string) (*sfnt.Font, error) {
		b, err := os.ReadFile(filepath.Join(fontDir, file))
		if err != nil {
			return nil, fmt.Errorf("%v (install the Noto CJK fonts: apt-get install -y fonts-noto-cjk)", err)
		}
		c, err := opentype.ParseCollection(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", file, err)
		}
		for i := range c.NumFonts() {
			f, err := c.Font(i)
			if err != nil {
				return nil, err
			}
			// The collection holds one font per region; the mainland one
			// has the mainland glyph forms.
			if name, _ := f.Name(nil, sfnt.NameIDFamily); strings.HasSuffix(name, " SC") {
				return f, nil
			}
		}
		return nil, fmt.Errorf("%s: no SC font in the collection", file)
	}
	var fs fonts
	var err error
	if fs.sans, err = load("NotoSansCJK-Regular.ttc"); err != nil {
		return nil, err
	}
	if fs.serif, err = load("NotoSerifCJK-Regular.ttc"); err != nil {
		return nil, err
	}
	fs.serifBold, err = load("NotoSerifCJK-Bold.ttc")
	return &fs, err
}

// The GB/T 9704 page: margins 37 mm top and 28 mm left, a body 156 mm wide
// with 22 lines of 3号 (16 pt) characters, the title in 2号 (22 pt).
var (
	marginTop  = mm(37)
	marginLeft = mm(28)
	bodyWidth  = mm(156)
	linePitch  = mm(225) / 22
)

func mm(v float64) int { return int(v * dpi / 25.4) }

// line kinds of a laid-out notice.
type kind int

const (
	corner    kind = iota // 份号 or marking: top left, 黑体
	title                 // centred, bold, 2号
	addressee             // left, no indent
	para                  // indented two characters, wrapped
	signature             // right, four characters in from the edge
	blank
)

type line struct {
	kind kind
	text string
}

// layout draws lines on a white A4 page and returns it with its text, one
// drawn line of the picture per line of text.
func layout(fs *fonts, lines []line) (*image.Gray, string, error) {
	img := image.NewGray(image.Rect(0, 0, pageW, pageH))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)
	face := func(f *sfnt.Font, pt float64) (font.Face, error) {
		return opentype.NewFace(f, &opentype.FaceOptions{Size: pt, DPI: dpi, Hinting: font.HintingNone})
	}
	body, err := face(fs.serif, 16)
	if err != nil {
		return nil, "", err
	}
	mark, err := face(fs.sans, 16)
	if err != nil {
		return nil, "", err
	}
	head, err := face(fs.serifBold, 22)
	if err != nil {
		return nil, "", err
	}
	var truth []string
	y := marginTop + linePitch*3/4 // baseline of the first line
	put := func(f font.Face, x int, s string) {
		d := font.Drawer{Dst: img, Src: image.Black, Face: f, Dot: fixed.P(x, y)}
		d.DrawString(s)
		truth = append(truth, s)
		y += linePitch
	}
	width := func(f font.Face, s string) int { return font.MeasureString(f, s).Round() }
	em := width(body, "国")
	for _, l := range lines {
		switch l.kind {
		case corner:
			put(mark, marginLeft, l.text)
		case title:
			for _, s := range wrap(head, l.text, bodyWidth-2*em) {
				put(head, marginLeft+(bodyWidth-width(head, s))/2, s)
			}
		case addressee:
			put(body, marginLeft, l.text)
		case para:
			for i, s := range wrap(body, "　　"+l.text, bodyWidth) {
				if i == 0 {
					s = strings.TrimPrefix(s, "　　")
					put(body, marginLeft+2*em, s)
					continue
				}
				put(body, marginLeft, s)
			}
		case signature:
			put(body, marginLeft+bodyWidth-4*em-width(body, l.text), l.text)
		case blank:
			y += linePitch
		}
	}
	return img, strings.Join(truth, "\n"), nil
}

// wrap cuts s into lines no wider than w, between any two characters (as
// Chinese is set), keeping a closing mark on the line before it.
func wrap(f font.Face, s string, w int) []string {
	var out []string
	var cur []rune
	for _, r := range s {
		if len(cur) > 0 && font.MeasureString(f, string(append(cur, r))).Round() > w && !strings.ContainsRune("，。、；：）》”", r) {
			out = append(out, string(cur))
			cur = cur[:0]
		}
		cur = append(cur, r)
	}
	if len(cur) > 0 {
		out = append(out, string(cur))
	}
	return out
}

// fodtLines reads the paragraphs of a Flat ODT sample as lines of a notice:
// the marking, title, addressee, body and signature by their paragraph
// style; headers, footers and empty paragraphs are left out (the corner
// marking is given by the page).
func fodtLines(path string) ([]line, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	kinds := map[string]kind{"Title": title, "Addressee": addressee, "Standard": para, "Pbreak": para, "Signature": signature}
	var lines []line
	dec := xml.NewDecoder(bytes.NewReader(b))
	var style string
	var text strings.Builder
	depth := 0 // inside a text:p of the body
	for {
		t, err := dec.Token()
		if err != nil {
			break
		}
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Local == "p" && depth == 0 {
				style, depth = "", 1
				text.Reset()
				for _, a := range t.Attr {
					if a.Name.Local == "style-name" {
						style = a.Value
					}
				}
				continue
			}
			if depth > 0 {
				depth++
			}
		case xml.EndElement:
			if depth == 0 {
				continue
			}
			if depth--; depth == 0 {
				k, ok := kinds[style]
				if s := strings.TrimSpace(text.String()); ok && s != "" {
					if k == title && len(lines) > 0 && lines[len(lines)-1].kind != blank {
						lines = append(lines, line{kind: blank})
					}
					lines = append(lines, line{kind: k, text: s})
					if k == title {
						lines = append(lines, line{kind: blank})
					}
				}
			}
		case xml.CharData:
			if depth == 1 {
				text.Write(t)
			}
		}
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: no paragraphs", path)
	}
	return lines, nil
}

// textLines reads a plain-text sample as a notice: its first line the
// title, a line ending in ： the addressee, the last two lines the
// signature, the rest paragraphs.
func textLines(path string) ([]line, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var src []string
	for _, s := range strings.Split(string(b), "\n") {
		s = strings.TrimSpace(strings.TrimLeft(s, "#"))
		switch {
		case s == "" || strings.Contains(s, "★") || strings.Contains(s, "---"):
			// Blank, the sample's own marking (the page sets its corner),
			// or the rule under a Markdown table's head.
			continue
		case strings.HasPrefix(s, "|"):
			// A Markdown table row: its cells, spaced.
			s = strings.Join(strings.Fields(strings.ReplaceAll(strings.Trim(s, "|"), "|", " ")), "　")
		}
		src = append(src, s)
	}
	var lines []line
	for i, s := range src {
		switch {
		case i == 0:
			lines = append(lines, line{kind: title, text: s}, line{kind: blank})
		case strings.HasSuffix(s, "：") || strings.Contains(s, "　"):
			lines = append(lines, line{kind: addressee, text: s})
		case i >= len(src)-2 && !strings.HasSuffix(s, "。") && len([]rune(s)) < 16:
			lines = append(lines, line{kind: signature, text: s})
		default:
			lines = append(lines, line{kind: para, text: s})
		}
	}
	return lines, nil
}

// renderPDF renders page 1 of a sample PDF at 300 dpi in grey with
// pdftoppm and takes its text layer with pdftotext as the truth.
func renderPDF(path, tmp string) (*image.Gray, string, error) {
	prefix := filepath.Join(tmp, "render")
	if out, err := exec.Command("pdftoppm", "-r", fmt.Sprint(dpi), "-gray", "-png", "-f", "1", "-l", "1", "-singlefile", path, prefix).CombinedOutput(); err != nil {
		return nil, "", fmt.Errorf("pdftoppm %s: %v: %s", path, err, out)
	}
	f, err := os.Open(prefix + ".png")
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	im, err := png.Decode(f)
	if err != nil {
		return nil, "", err
	}
	text, err := exec.Command("pdftotext", "-f", "1", "-l", "1", path, "-").Output()
	if err != nil {
		return nil, "", fmt.Errorf("pdftotext %s: %v", path, err)
	}
	return gray(im), string(text), nil
}

// gray copies im into a grey picture.
func gray(im image.Image) *image.Gray {
	if g, ok := im.(*image.Gray); ok {
		return g
	}
	g := image.NewGray(im.Bounds())
	draw.Draw(g, g.Bounds(), im, im.Bounds().Min, draw.Src)
	return g
}

// sourcePages makes the eight source pages from the samples in repo: four
// marked as GB/T 9704 places a marking (top left of the first page, in
// 黑体), four public ones. Two are the sample PDFs rendered, six are the
// samples' text laid out here.
func sourcePages(repo, tmp string) ([]page, error) {
	fs, err := loadFonts()
	if err != nil {
		return nil, err
	}
	src := func(name string) string { return filepath.Join(repo, "samples", "src", name) }
	type spec struct {
		name, rule string
		pdf        string   // a sample PDF to render, or
		corner     []string // the corner lines of a notice laid out from
		file       string   // this sample's text
	}
	specs := []spec{
		{name: "secret-pdf", rule: "marking.classified", pdf: filepath.Join(repo, "samples", "docs", "秘密文件.pdf")},
		{name: "confidential", rule: "marking.classified", corner: []string{"000128", "机密★5年"}, file: src("机密通知.fodt")},
		{name: "topsecret", rule: "marking.classified", corner: []string{"绝密★启用前"}, file: src("绝密启用前.fodt")},
		{name: "internal", rule: "label.internal", corner: []string{"内部资料　注意保存"}, file: src("scanned.txt")},
		{name: "sports-pdf", pdf: filepath.Join(repo, "samples", "docs", "关于举办春季运动会的通知.pdf")},
		{name: "awareness", file: src("保密宣传.fodt")},
		{name: "library", file: src("clean-utf8.md")},
		{name: "duty", file: src("格式规避.fodt")},
	}
	var pages []page
	for _, s := range specs {
		p := page{name: s.name, rule: s.rule}
		if s.pdf != "" {
			if p.img, p.truth, err = renderPDF(s.pdf, tmp); err != nil {
				return nil, err
			}
			pages = append(pages, p)
			continue
		}
		var lines []line
		if strings.HasSuffix(s.file, ".fodt") {
			lines, err = fodtLines(s.file)
		} else {
			lines, err = textLines(s.file)
		}
		if err != nil {
			return nil, err
		}
		lines = publicText(lines, s.rule == "")
		var head []line
		for _, c := range s.corner {
			head = append(head, line{kind: corner, text: c})
		}
		if len(head) == 0 {
			// A public notice keeps the corner lines empty, as it would.
			head = []line{{kind: blank}}
		}
		if p.img, p.truth, err = layout(fs, append(head, lines...)); err != nil {
			return nil, err
		}
		pages = append(pages, p)
	}
	return pages, nil
}

// publicText drops from a public page's lines the markings and labels
// its sample holds to test evasion (格式规避: 機密★3年, 内部资料, 密级：秘密).
func publicText(lines []line, public bool) []line {
	if !public {
		return lines
	}
	out := lines[:0:0]
	for _, l := range lines {
		if !strings.Contains(l.text, "★") && !strings.Contains(l.text, "密级") && !strings.Contains(l.text, "内部") {
			out = append(out, l)
		}
	}
	return out
}
