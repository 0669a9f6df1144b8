package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/ocr/internal/raster"
)

// Tesseract is the Engine that runs the tesseract program on each picture.
type Tesseract struct {
	cfg Config
}

// NewTesseract returns the engine that runs cfg.Command.
func NewTesseract(cfg Config) *Tesseract { return &Tesseract{cfg: cfg} }

// Limits on one run of tesseract.
const (
	// maxOutput bounds what is kept of its TSV: a dense A4 page makes
	// about 200 KB.
	maxOutput = 16 << 20
	// maxStderr bounds what is kept of its messages.
	maxStderr = 4 << 10
	// waitDelay is how long a killed tesseract may keep its output open.
	waitDelay = 2 * time.Second
)

// maxTurnPixels is the largest prepared picture whose every turn is tried
// when orientation detection cannot tell (too few characters): a quarter
// of an A4 page at 300 dpi, a second or so a reading. (A page turned 90
// degrees clockwise Tesseract reads as vertical text; one turned 180 or
// 270 as garbage of low confidence.)
const maxTurnPixels = 2_200_000

// Recognize reads img: it prepares it (grey, cropped to its ink, its text
// scaled to about 300 dpi size), runs tesseract on it, and when that reads
// it with low confidence, finds its orientation and reads it turned. Lines
// and their boxes are those of the best reading, boxes in the pixels of
// img. A picture without ink reads no lines without running tesseract.
// Tesseract runs single-threaded: the worker pool already uses the cores.
func (t *Tesseract) Recognize(ctx context.Context, img image.Image) (Result, error) {
	g, f, err := prepare(img)
	if g == nil || err != nil {
		return Result{Size: f.size}, err
	}
	// A reading reads little when it is unsure, has far fewer characters
	// than the ink holds, or reads the page as columns: Tesseract reads a
	// page turned a quarter as vertical text, confidently, and loses its
	// short lines (a marking in the corner) on the way; orientation
	// detection tells it from text really set in columns.
	little := func(r Result) bool { return !r.Confident() || r.chars() < f.chars/4 || r.columns() }
	langs, vertical := t.langs()
	r, err := t.read(ctx, g, langs)
	if err == nil && little(r) {
		r, err = t.reorient(ctx, g, langs, r, little)
	}
	if size := g.Bounds().Size(); err == nil && little(r) && vertical && size.Y > size.X {
		// Text set vertically (竖排) with upright characters: chi_sim_vert
		// alone reads it best (with chi_sim or eng beside it, Tesseract
		// still reads the columns as lines of garbage).
		var v Result
		if v, err = t.read(ctx, g, []string{langVertical}); err == nil && v.score() > r.score() {
			r = v
		}
	}
	if err != nil {
		return Result{Size: f.size}, err
	}
	for i := range r.Lines {
		r.Lines[i].Box = f.back(unturn(r.Lines[i].Box, r.Rotation, g.Bounds().Size()))
	}
	r.Size = f.size
	return r, nil
}

// langs returns the languages to read with, and whether chi_sim_vert may
// be tried alone for text set vertically: when it is installed and not
// among them already.
func (t *Tesseract) langs() ([]string, bool) {
	installed := installedLangs(t.cfg.Command)
	vertical := slices.Contains(installed, langVertical)
	if len(t.cfg.Langs) > 0 {
		return t.cfg.Langs, vertical && !slices.Contains(t.cfg.Langs, langVertical)
	}
	langs := DefaultLangs(installed)
	if len(langs) == 0 {
		// It could not list them: let it say what is missing.
		langs = []string{langChinese, langEnglish}
	}
	return langs, vertical
}

// reorient reads g turned when orientation detection says it is, or, when
// that cannot tell and g is small, turned each way until a reading does
// not read little, and returns the best reading (first when none is
// better).
func (t *Tesseract) reorient(ctx context.Context, g *image.Gray, langs []string, first Result, little func(Result) bool) (Result, error) {
	turns := []int{180, 90, 270}
	deg, ok, err := t.orientation(ctx, g)
	switch {
	case err != nil:
		return first, err
	case ok && deg == 0:
		// Upright: the picture is poor, not turned.
		return first, nil
	case ok:
		turns = []int{deg}
	case g.Bounds().Dx()*g.Bounds().Dy() > maxTurnPixels:
		return first, nil
	}
	best := first
	for _, deg := range turns {
		r, err := t.read(ctx, raster.Turn(g, deg), langs)
		if err != nil {
			return first, err
		}
		r.Rotation = deg
		// A reading that does not read little wins over one that does
		// (columns read confidently from a turned page score as well).
		if l := little(r); !l && little(best) || l == little(best) && r.score() > best.score() {
			best = r
			if !l {
				break
			}
		}
	}
	return best, nil
}

// orientation runs Tesseract's orientation detection (the osd model) on g:
// how many degrees clockwise g must be turned to be upright, and whether
// it could tell. It cannot on a picture with few characters, nor without
// the osd model; the error is only the context's.
func (t *Tesseract) orientation(ctx context.Context, g *image.Gray) (int, bool, error) {
	out, err := t.run(ctx, g, "--psm", "0")
	if ctx.Err() != nil {
		return 0, false, ctx.Err()
	}
	if err != nil {
		return 0, false, nil
	}
	return parseOSD(out)
}

// parseOSD reads the rotation from tesseract --psm 0's report ("Rotate:
// 90").
func parseOSD(out []byte) (int, bool, error) {
	for l := range strings.Lines(string(out)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(l), "Rotate:"); ok {
			deg, err := strconv.Atoi(strings.TrimSpace(v))
			if err == nil && deg >= 0 && deg < 360 && deg%90 == 0 {
				return deg, true, nil
			}
		}
	}
	return 0, false, nil
}

// read runs tesseract on g with langs and parses its TSV; the boxes are in
// g's pixels.
func (t *Tesseract) read(ctx context.Context, g *image.Gray, langs []string) (Result, error) {
	out, err := t.run(ctx, g, "-l", strings.Join(langs, "+"), "tsv")
	if err != nil {
		return Result{}, err
	}
	return parseTSV(out), nil
}

// run runs tesseract on g, sent as PNG on its standard input, with args
// after its input and output, and returns its standard output. The
// context's end kills it. Its warnings on stderr are ignored; when it
// fails, the error says how, with its last message.
func (t *Tesseract) run(ctx context.Context, g *image.Gray, args ...string) ([]byte, error) {
	var in bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(&in, g); err != nil {
		return nil, err
	}
	// The picture is prepared to about 300 dpi size: saying so spares
	// Tesseract a guess from its size.
	cmd := exec.CommandContext(ctx, t.cfg.Command, append([]string{"stdin", "stdout", "--dpi", "300"}, args...)...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.WaitDelay = waitDelay
	cmd.Stdin = &in
	errb := capped{max: maxStderr}
	// A runaway output is cut short: tesseract is killed, rather than
	// left blocked on a pipe nobody reads.
	out := capped{max: maxOutput, full: func() { _ = cmd.Process.Kill() }}
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	switch {
	case ctx.Err() != nil:
		return nil, fmt.Errorf("tesseract: %w", ctx.Err())
	case out.over:
		return nil, fmt.Errorf("tesseract: its output is over %d MiB", maxOutput>>20)
	case err != nil:
		if msg := lastLine(errb.String()); msg != "" {
			return nil, fmt.Errorf("tesseract: %v (%s)", err, msg)
		}
		return nil, fmt.Errorf("tesseract: %v", err)
	}
	return out.buf.Bytes(), nil
}

// lastLine is the last message of tesseract's stderr other than its closing
// "Error during processing.", as printable ASCII of at most 200 bytes.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l == "" || l == "Error during processing." {
			continue
		}
		l = strings.Map(func(r rune) rune {
			if r < ' ' || r > '~' {
				return '?'
			}
			return r
		}, l)
		if len(l) > 200 {
			l = l[:200]
		}
		return l
	}
	return ""
}

// capped is a buffer that keeps the first max bytes written to it. The
// rest is dropped, so that a program's messages cannot fill memory; or,
// when full is set, full is called and the writes fail. (It holds its
// buffer rather than embeds it: io.Copy would use the buffer's ReadFrom and
// never call Write.)
type capped struct {
	buf  bytes.Buffer
	max  int
	full func()
	over bool
}

// errFull is the error of a write to a full capped with a full func.
var errFull = errors.New("output over its limit")

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if len(p) > room && c.full != nil {
		if !c.over {
			c.over = true
			c.full()
		}
		return 0, errFull
	}
	c.buf.Write(p[:min(max(room, 0), len(p))])
	return len(p), nil
}

// String returns what was kept.
func (c *capped) String() string { return c.buf.String() }

// unturn maps r, in a picture turned deg degrees clockwise, back to the
// picture of size before it was turned.
func unturn(r image.Rectangle, deg int, size image.Point) image.Rectangle {
	w, h := size.X, size.Y
	switch deg {
	case 90:
		return image.Rect(r.Min.Y, h-r.Max.X, r.Max.Y, h-r.Min.X)
	case 180:
		return image.Rect(w-r.Max.X, h-r.Max.Y, w-r.Min.X, h-r.Min.Y)
	case 270:
		return image.Rect(w-r.Max.Y, r.Min.X, w-r.Min.Y, r.Max.X)
	}
	return r
}

// score ranks readings of one picture: the characters read, each weighted
// by its confidence. Garbage read from a turned page is short and unsure.
func (r Result) score() float64 {
	s := 0.0
	for _, l := range r.Lines {
		s += l.Conf * float64(l.chars())
	}
	return s
}

// chars is how many characters r read.
// columns reports whether most of r's characters are in lines at least
// twice as tall as wide: columns of vertical text.
func (r Result) columns() bool {
	var tall, all int
	for _, l := range r.Lines {
		n := l.chars()
		all += n
		if l.Box.Dy() >= 2*l.Box.Dx() {
			tall += n
		}
	}
	return 2*tall > all
}

func (r Result) chars() int {
	n := 0
	for _, l := range r.Lines {
		n += l.chars()
	}
	return n
}

// chars is how many characters l holds, spaces aside.
func (l Line) chars() int {
	return utf8.RuneCountInString(l.Text) - strings.Count(l.Text, " ")
}

// parseTSV gathers the words of tesseract's TSV output (level 5 rows:
// level, page, block, paragraph, line, word, left, top, width, height,
// confidence, text) into lines. Rows of confidence -1 (the layout's, not
// words) and empty words are skipped; a line's confidence and the
// result's are means over their characters.
func parseTSV(b []byte) Result {
	var r Result
	var chars, confSum float64
	type key struct{ page, block, par, line int }
	index := map[key]int{}
	lineChars := []float64{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, maxOutput)
	for sc.Scan() {
		f := strings.Split(strings.TrimRight(sc.Text(), "\r"), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(f[11])
		conf, err := strconv.ParseFloat(f[10], 64)
		if text == "" || err != nil || !(conf >= 0) { // -1, and NaN
			continue
		}
		conf = min(conf, 100)
		n := func(i int) int { v, _ := strconv.Atoi(f[i]); return v }
		k := key{n(1), n(2), n(3), n(4)}
		box := image.Rect(n(6), n(7), n(6)+n(8), n(7)+n(9))
		i, ok := index[k]
		if !ok {
			i = len(r.Lines)
			index[k] = i
			r.Lines = append(r.Lines, Line{Box: box})
			lineChars = append(lineChars, 0)
		}
		l := &r.Lines[i]
		l.Text = joinWord(l.Text, text)
		l.Box = l.Box.Union(box)
		c := float64(utf8.RuneCountInString(text))
		l.Conf += conf * c // summed here, divided below
		lineChars[i] += c
		chars += c
		confSum += conf * c
	}
	for i := range r.Lines {
		r.Lines[i].Conf /= lineChars[i]
	}
	if chars > 0 {
		r.Conf = confSum / chars
	}
	return r
}

// joinWord appends word to line: with a space between words of Latin
// script, without one where either side is a Chinese character or the word
// starts or the line ends with full-width punctuation (Tesseract reads
// each Chinese character as a word).
func joinWord(line, word string) string {
	if line == "" {
		return word
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	first, _ := utf8.DecodeRuneInString(word)
	if wide(last) || wide(first) {
		return line + word
	}
	return line + " " + word
}

// wide reports whether r is written without spaces around it in Chinese:
// a Han character, CJK or full-width punctuation (，。、：★《》 …).
func wide(r rune) bool {
	return unicode.Is(unicode.Han, r) ||
		r >= 0x3000 && r <= 0x303f || // CJK symbols and punctuation
		r >= 0xff00 && r <= 0xffef || // full-width forms
		r >= 0x2000 && r <= 0x2bff && (unicode.IsPunct(r) || unicode.IsSymbol(r)) // “” … ★ and other general punctuation and symbols
}
