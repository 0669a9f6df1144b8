package ocr_test

import (
	"context"
	"errors"
	"image"
	"image/draw"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/ocr"
	"github.com/baomi/baomi/scanner/ocr/ocrtest"
)

// tesseract returns the engine of the installed Tesseract, skipping the
// test when it or its Chinese model is not installed.
func tesseract(tb testing.TB) *ocr.Tesseract {
	tb.Helper()
	info, err := ocr.Find("")
	if err != nil {
		tb.Skipf("no OCR engine: %v", err)
	}
	if !slices.Contains(info.Langs, "chi_sim") {
		tb.Skipf("tesseract has no chi_sim model (apt-get install tesseract-ocr-chi-sim)")
	}
	return ocr.NewTesseract(ocr.Config{Command: info.Command})
}

// render is ocrtest.Render, skipping the test when the font is missing.
func render(tb testing.TB, lines []string, px int) *image.Gray {
	tb.Helper()
	g, err := ocrtest.Render(lines, px)
	if errors.Is(err, ocrtest.ErrNoFont) {
		tb.Skip(err)
	}
	if err != nil {
		tb.Fatal(err)
	}
	return g
}

// notice is a marked notice: the marking, a header and a sentence.
var notice = []string{
	"机密★5年",
	"内部资料 注意保存",
	"关于加强档案管理工作的通知",
}

// TestTesseractReads reads the notice rendered at body size, at
// screenshot size, and turned each way: its text comes back (the star
// may be misread), with the marking's box where it is on the picture.
func TestTesseractReads(t *testing.T) {
	e := tesseract(t)
	upright := render(t, notice, ocrtest.Body)
	tests := []struct {
		name     string
		img      *image.Gray
		rotation []int // what Result.Rotation may be
	}{
		{"upright", upright, []int{0}},
		{"screenshot size", render(t, notice, 14), []int{0}},
		// Tesseract reads a page turned 90 degrees clockwise as vertical
		// text, upright: then no turn is needed.
		{"turned 90", ocrtest.Turn(upright, 90), []int{0, 270}},
		{"turned 180", ocrtest.Turn(upright, 180), []int{180}},
		{"turned 270", ocrtest.Turn(upright, 270), []int{90}},
	}
	var mark image.Rectangle // the marking's box on the upright picture
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := e.Recognize(context.Background(), tt.img)
			if err != nil {
				t.Fatal(err)
			}
			var text []string
			var box image.Rectangle
			for _, l := range r.Lines {
				s := strings.ReplaceAll(l.Text, " ", "")
				text = append(text, s)
				if strings.HasPrefix(s, "机密") {
					box = l.Box
				}
			}
			all := strings.Join(text, "\n")
			for _, want := range []string{"机密", "5年", "内部资料注意保存", "关于加强档案管理工作的通知"} {
				if !strings.Contains(all, want) {
					t.Errorf("read %q, want %q in it", all, want)
				}
			}
			if !slices.Contains(tt.rotation, r.Rotation) || !r.Confident() || r.Size != tt.img.Bounds().Size() {
				t.Errorf("Rotation %d, Conf %.0f, Size %v; want Rotation in %v, confident, size %v", r.Rotation, r.Conf, r.Size, tt.rotation, tt.img.Bounds().Size())
			}
			switch tt.name {
			case "upright":
				mark = box
			case "turned 180":
				// Where the upright marking lands when the picture turns.
				s := upright.Bounds().Size()
				want := image.Rect(s.X-mark.Max.X, s.Y-mark.Max.Y, s.X-mark.Min.X, s.Y-mark.Min.Y)
				if d := box.Min.Sub(want.Min); mark.Empty() || d.X*d.X+d.Y*d.Y > 8*8 {
					t.Errorf("marking at %v, want about %v", box, want)
				}
			}
		})
	}
}

// TestTesseractBlank reads a blank page: no lines, confident.
func TestTesseractBlank(t *testing.T) {
	e := tesseract(t)
	blank := image.NewGray(image.Rect(0, 0, 1240, 1754))
	draw.Draw(blank, blank.Bounds(), image.White, image.Point{}, draw.Src)
	r, err := e.Recognize(context.Background(), blank)
	if err != nil || len(r.Lines) != 0 || !r.Confident() || r.Size != blank.Bounds().Size() {
		t.Fatalf("blank page: %+v, %v; want no lines, confident", r, err)
	}
}

// TestTesseractVertical reads text set vertically (竖排), columns from
// right to left: chi_sim reads it as garbage, chi_sim_vert reads it.
func TestTesseractVertical(t *testing.T) {
	e := tesseract(t)
	if info, _ := ocr.Find(""); !slices.Contains(info.Langs, "chi_sim_vert") {
		t.Skip("tesseract has no chi_sim_vert model")
	}
	cols := []string{"机密★5年", "关于加强档案管理工作的通知", "内部资料注意保存"}
	var rendered []*image.Gray
	width, height := ocrtest.Body, 0
	for _, c := range cols {
		g := render(t, strings.Split(c, ""), ocrtest.Body) // a character a line
		rendered = append(rendered, g)
		width += 2 * ocrtest.Body
		height = max(height, g.Bounds().Dy())
	}
	page := image.NewGray(image.Rect(0, 0, width, height))
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	x := width
	for _, g := range rendered {
		x -= 2 * ocrtest.Body
		// Each rendering has a margin of 2 Body on its left.
		draw.Draw(page, image.Rect(x, 0, x+ocrtest.Body, height), g, image.Pt(2*ocrtest.Body, 0), draw.Src)
	}
	r, err := e.Recognize(context.Background(), page)
	if err != nil {
		t.Fatal(err)
	}
	var text []string
	for _, l := range r.Lines {
		text = append(text, strings.ReplaceAll(l.Text, " ", ""))
	}
	all := strings.Join(text, "\n")
	for _, want := range []string{"机密", "5年", "内部资料"} {
		if !strings.Contains(all, want) {
			t.Errorf("read %q, want %q in it", all, want)
		}
	}
}

// a4 is an A4 page at 300 dpi with lines of body text, the notice on top.
func a4(tb testing.TB) *image.Gray {
	body := slices.Clone(notice)
	for len(body) < 40 {
		body = append(body,
			"为进一步做好档案管理工作，现将有关事项通知如下，请各单位认真贯彻执行。",
			"一、高度重视档案安全，严格执行保密制度，不得擅自复制或外传。",
			"二、请于2026年12月15日前报送自查报告，联系电话：0571-12345678。")
	}
	text := render(tb, body, ocrtest.Body)
	page := image.NewGray(image.Rect(0, 0, 2480, 3508))
	draw.Draw(page, page.Bounds(), image.White, image.Point{}, draw.Src)
	draw.Draw(page, text.Bounds().Add(image.Pt(150, 150)), text, image.Point{}, draw.Src)
	return page
}

// BenchmarkRecognize reads an A4 page upright (one reading) and turned
// 180 degrees (a reading, orientation detection, a reading turned).
func BenchmarkRecognize(b *testing.B) {
	e := tesseract(b)
	page := a4(b)
	for _, bb := range []struct {
		name string
		img  *image.Gray
	}{{"upright", page}, {"turned180", ocrtest.Turn(page, 180)}} {
		b.Run(bb.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := e.Recognize(context.Background(), bb.img); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
