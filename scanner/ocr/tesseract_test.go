package ocr

import (
	"context"
	"errors"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/ocr/internal/raster"
)

// tsv builds tesseract's TSV output from rows of its 12 fields.
func tsv(rows ...string) []byte {
	return []byte("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext\n" +
		strings.Join(rows, "\n") + "\n")
}

func TestParseTSV(t *testing.T) {
	tests := []struct {
		name  string
		in    []byte
		lines []Line
		conf  float64
	}{
		{"empty", tsv(), nil, 0},
		{"layout rows only", tsv("1\t1\t0\t0\t0\t0\t0\t0\t300\t100\t-1\t", "4\t1\t1\t1\t1\t0\t10\t10\t50\t20\t-1\t"), nil, 0},
		{
			"Chinese words joined, chars-weighted confidence",
			tsv(
				"4\t1\t1\t1\t1\t0\t10\t10\t90\t30\t-1\t",
				"5\t1\t1\t1\t1\t1\t10\t10\t30\t30\t90\t机密",
				"5\t1\t1\t1\t1\t2\t40\t10\t30\t30\t30\t女",
				"5\t1\t1\t1\t1\t3\t70\t12\t30\t28\t90\t5年",
			),
			[]Line{{Text: "机密女5年", Box: image.Rect(10, 10, 100, 40), Conf: 78}},
			78,
		},
		{
			"two lines, Latin words keep a space, -1 and empty words skipped",
			tsv(
				"5\t1\t1\t1\t1\t1\t10\t10\t40\t20\t95\tHello",
				"5\t1\t1\t1\t1\t2\t60\t10\t40\t20\t-1\tjunk",
				"5\t1\t1\t1\t1\t3\t60\t10\t40\t20\t80\t ",
				"5\t1\t1\t1\t1\t4\t110\t10\t40\t20\t85\tworld",
				"5\t1\t1\t1\t2\t1\t10\t40\t20\t20\t50\t内",
			),
			[]Line{
				{Text: "Hello world", Box: image.Rect(10, 10, 150, 30), Conf: 90},
				{Text: "内", Box: image.Rect(10, 40, 30, 60), Conf: 50},
			},
			(95*5 + 85*5 + 50) / 11.0,
		},
		{
			"CRLF line ends, short rows and bad numbers ignored",
			[]byte("5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t70\t密\r\n5\t1\t1\n5\t1\t1\t1\t1\t1\t0\t0\t10\t10\tx\t级\r\n"),
			[]Line{{Text: "密", Box: image.Rect(0, 0, 10, 10), Conf: 70}},
			70,
		},
		{
			"NaN skipped, over 100 taken as 100",
			tsv("5\t1\t1\t1\t1\t1\t0\t0\t10\t10\tNaN\t绝", "5\t1\t1\t1\t1\t2\t10\t0\t10\t10\t1e9\t密"),
			[]Line{{Text: "密", Box: image.Rect(10, 0, 20, 10), Conf: 100}},
			100,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := parseTSV(tt.in)
			if len(r.Lines) != len(tt.lines) {
				t.Fatalf("lines = %+v, want %+v", r.Lines, tt.lines)
			}
			for i, l := range r.Lines {
				w := tt.lines[i]
				if l.Text != w.Text || l.Box != w.Box || !near(l.Conf, w.Conf) {
					t.Errorf("line %d = %+v, want %+v", i, l, w)
				}
			}
			if !near(r.Conf, tt.conf) {
				t.Errorf("Conf = %v, want %v", r.Conf, tt.conf)
			}
		})
	}
}

// FuzzParseTSV checks that any output of tesseract parses without a
// panic into lines with text and confidences from 0 to 100.
func FuzzParseTSV(f *testing.F) {
	f.Add(tsv("5\t1\t1\t1\t1\t1\t10\t10\t30\t30\t90\t机密", "5\t1\t1\t1\t2\t1\t10\t50\t30\t30\t-1\t"))
	f.Add([]byte("5\t\t\t\t\t\t\t\t\t\t1\tx\t\n5\t1\t1\t1\t1\t1\t-5\t-5\t-9\t-9\t50\ty"))
	f.Fuzz(func(t *testing.T, b []byte) {
		r := parseTSV(b)
		for _, l := range r.Lines {
			if l.Text == "" || !(l.Conf >= 0 && l.Conf <= 100) {
				t.Fatalf("line %+v", l)
			}
		}
		if !(r.Conf >= 0 && r.Conf <= 100) {
			t.Fatalf("Conf %v", r.Conf)
		}
	})
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func TestJoinWord(t *testing.T) {
	tests := []struct{ line, word, want string }{
		{"", "机", "机"},
		{"机", "密", "机密"},
		{"机密", "5年", "机密5年"},
		{"5", "年", "5年"},
		{"各单位", "：", "各单位："},
		{"通知", "，", "通知，"},
		{"。", "现将", "。现将"},
		{"“", "内部", "“内部"},
		{"机密", "★", "机密★"},
		{"★", "5", "★5"},
		{"Hello", "world", "Hello world"},
		{"ISO", "9001", "ISO 9001"},
		{"2026", "年", "2026年"},
		{"Tel:", "0571", "Tel: 0571"},
	}
	for _, tt := range tests {
		if got := joinWord(tt.line, tt.word); got != tt.want {
			t.Errorf("joinWord(%q, %q) = %q, want %q", tt.line, tt.word, got, tt.want)
		}
	}
}

func TestParseOSD(t *testing.T) {
	tests := []struct {
		out string
		deg int
		ok  bool
	}{
		{"Page number: 0\nOrientation in degrees: 90\nRotate: 270\nOrientation confidence: 2.55\nScript: Han\n", 270, true},
		{"Rotate: 0\n", 0, true},
		{"Rotate: 45\n", 0, false},
		{"Rotate: x\n", 0, false},
		{"Too few characters. Skipping this page\n", 0, false},
		{"", 0, false},
	}
	for _, tt := range tests {
		deg, ok, err := parseOSD([]byte(tt.out))
		if deg != tt.deg || ok != tt.ok || err != nil {
			t.Errorf("parseOSD(%q) = %d, %v, %v; want %d, %v", tt.out, deg, ok, err, tt.deg, tt.ok)
		}
	}
}

// TestUnturn checks that a box found in a turned picture maps back onto
// the pixels it covers in the picture as given.
func TestUnturn(t *testing.T) {
	size := image.Pt(7, 5)
	box := image.Rect(1, 2, 4, 3) // in the picture as given
	for _, deg := range []int{0, 90, 180, 270} {
		g := image.NewGray(image.Rectangle{Max: size})
		for y := box.Min.Y; y < box.Max.Y; y++ {
			for x := box.Min.X; x < box.Max.X; x++ {
				g.SetGray(x, y, color.Gray{1})
			}
		}
		turned := raster.Turn(g, deg)
		var found image.Rectangle
		b := turned.Bounds()
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				if turned.GrayAt(x, y).Y == 1 {
					found = found.Union(image.Rect(x, y, x+1, y+1))
				}
			}
		}
		if got := unturn(found, deg, size); got != box {
			t.Errorf("unturn(%v, %d) = %v, want %v", found, deg, got, box)
		}
	}
}

// fakeTesseract writes a shell script standing in for tesseract.
func fakeTesseract(t *testing.T, script string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake tesseract is a shell script")
	}
	p := filepath.Join(t.TempDir(), "tesseract")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+script+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// inked is a small picture with something to read on it.
func inked() *image.Gray {
	g := image.NewGray(image.Rect(0, 0, 200, 100))
	for i := range g.Pix {
		g.Pix[i] = 255
	}
	for y := 40; y < 60; y++ {
		for x := 20; x < 180; x++ {
			g.SetGray(x, y, color.Gray{0})
		}
	}
	return g
}

// TestTesseractRuns checks how Recognize takes what the program does: its
// warnings ignored, its failure, a runaway output and a hang made errors.
func TestTesseractRuns(t *testing.T) {
	row := "5\t1\t1\t1\t1\t1\t0\t0\t10\t10\t91\t机密"
	tests := []struct {
		name    string
		script  string
		timeout time.Duration
		text    string
		err     string
		is      error
	}{
		{"warnings on stderr ignored", "cat >/dev/null\necho 'Warning. Invalid resolution 0 dpi. Using 70 instead.' >&2\nprintf '" + strings.ReplaceAll(row, "\t", `\t`) + "\\n'", 0, "机密", "", nil},
		{"failure", "cat >/dev/null\necho 'Failed loading language chi_sim' >&2\necho 'Error during processing.' >&2\nexit 1", 0, "", "exit status 1 (Failed loading language chi_sim)", nil},
		{"runaway output", "exec yes 5", 0, "", "its output is over 16 MiB", nil},
		{"hang", "exec sleep 60", 100 * time.Millisecond, "", "", context.DeadlineExceeded},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := NewTesseract(Config{Command: fakeTesseract(t, tt.script), Langs: []string{"chi_sim"}})
			ctx := context.Background()
			if tt.timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, tt.timeout)
				defer cancel()
			}
			r, err := e.Recognize(ctx, inked())
			switch {
			case tt.is != nil:
				if !errors.Is(err, tt.is) {
					t.Fatalf("err = %v, want %v", err, tt.is)
				}
			case tt.err != "":
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
			case err != nil:
				t.Fatal(err)
			case len(r.Lines) != 1 || r.Lines[0].Text != tt.text || r.Size != image.Pt(200, 100):
				t.Fatalf("result = %+v, want one line %q", r, tt.text)
			}
		})
	}
}

func TestLastLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"Error during processing.\n", ""},
		{"Warning.\nFailed loading language 'chi_sim'\nError during processing.\n", "Failed loading language 'chi_sim'"},
		{"bad \x1b[31m机\n", "bad ?[31m?"},
		{strings.Repeat("a", 300), strings.Repeat("a", 200)},
	}
	for _, tt := range tests {
		if got := lastLine(tt.in); got != tt.want {
			t.Errorf("lastLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// reading is tesseract's TSV for one line of n characters read with
// confidence conf.
func reading(n int, conf string) string {
	rows := []string{}
	for i := range n {
		rows = append(rows, strings.Join([]string{"5", "1", "1", "1", "1", strconv.Itoa(i + 1), strconv.Itoa(10 * i), "0", "10", "10", conf, "密"}, "\t"))
	}
	return string(tsv(rows...))
}

// column is a reading of n characters in one column, as Tesseract reads
// a page turned a quarter: each character below the one before.
func column(n int, conf string) string {
	rows := []string{}
	for i := range n {
		rows = append(rows, strings.Join([]string{"5", "1", "1", "1", "1", strconv.Itoa(i + 1), "0", strconv.Itoa(10 * i), "10", "10", conf, "密"}, "\t"))
	}
	return string(tsv(rows...))
}

// TestReorient checks when Recognize looks for the orientation and which
// reading it keeps, with a fake tesseract that gives the readings in turn
// and the orientation detection's report, and logs what it was asked.
func TestReorient(t *testing.T) {
	// 5 lines of 10 characters 40 pixels high: ink for about 160.
	img := page(600, 400, lines(image.Pt(50, 50), 5, 40)...)
	tests := []struct {
		name     string
		reads    []string
		osd      string // its report; "" for a failure
		rotation int
		chars    int
		log      string
	}{
		{"confident reading, no orientation pass", []string{reading(50, "90")}, "Rotate: 180", 0, 50, "read"},
		{"unsure reading turned as detected", []string{reading(50, "20"), reading(50, "90")}, "Rotate: 180", 180, 50, "read osd read"},
		{"few characters for the ink", []string{reading(3, "95"), reading(50, "90")}, "Rotate: 90", 90, 50, "read osd read"},
		{"confident columns: a page turned a quarter", []string{column(50, "90"), reading(50, "90")}, "Rotate: 90", 90, 50, "read osd read"},
		{"columns detected upright: text set vertically stays", []string{column(50, "90")}, "Rotate: 0", 0, 50, "read osd"},
		{"detected upright: the first reading stays", []string{reading(50, "20")}, "Rotate: 0", 0, 50, "read osd"},
		{"not detected, small picture: turns tried until one reads", []string{reading(50, "20"), reading(40, "30"), reading(50, "90")}, "", 90, 50, "read osd read read"},
		{"no turn better: the first reading stays", []string{reading(50, "20"), reading(5, "20"), reading(5, "20"), reading(5, "20")}, "", 0, 50, "read osd read read read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for i, r := range tt.reads {
				if err := os.WriteFile(filepath.Join(dir, "read"+strconv.Itoa(i+1)), []byte(r), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			osd, rc := tt.osd, "0"
			if osd == "" {
				osd, rc = "Too few characters. Skipping this page", "1"
			}
			cmd := fakeTesseract(t, `cat >/dev/null
d='`+dir+`'
case "$*" in *"--psm 0"*) printf 'osd ' >>"$d/log"; echo '`+osd+`'; exit `+rc+`;; *--list-langs*) printf 'List of available languages (1):\nchi_sim\n'; exit 0;; esac
n=$(( $(cat "$d/n" 2>/dev/null || echo 0) + 1 )); echo $n >"$d/n"; printf 'read ' >>"$d/log"
cat "$d/read$n"`)
			r, err := NewTesseract(Config{Command: cmd, Langs: []string{"chi_sim"}}).Recognize(context.Background(), img)
			if err != nil {
				t.Fatal(err)
			}
			log, _ := os.ReadFile(filepath.Join(dir, "log"))
			if r.Rotation != tt.rotation || r.chars() != tt.chars || strings.TrimSpace(string(log)) != tt.log {
				t.Errorf("Rotation %d, %d characters, asked %q; want %d, %d, %q", r.Rotation, r.chars(), log, tt.rotation, tt.chars, tt.log)
			}
		})
	}
}

// The vertical-text pass is open whenever chi_sim_vert is installed and
// not read with already, whether the languages were named or left to the
// engine (baomi always names them).
func TestLangsVertical(t *testing.T) {
	cmd := fakeTesseract(t, `printf 'List of available languages (3):\nchi_sim\nchi_sim_vert\neng\n'`)
	for _, c := range []struct {
		langs    []string
		want     []string
		vertical bool
	}{
		{nil, []string{"chi_sim"}, true},
		{[]string{"chi_sim"}, []string{"chi_sim"}, true},
		{[]string{"chi_sim", "chi_sim_vert"}, []string{"chi_sim", "chi_sim_vert"}, false},
	} {
		got, vertical := NewTesseract(Config{Command: cmd, Langs: c.langs}).langs()
		if !slices.Equal(got, c.want) || vertical != c.vertical {
			t.Errorf("langs %q: %q, %v; want %q, %v", c.langs, got, vertical, c.want, c.vertical)
		}
	}
}
