package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tesseract is the Engine that runs the tesseract program on each picture.
type Tesseract struct {
	cfg Config
}

// NewTesseract returns the engine that runs cfg.Command.
func NewTesseract(cfg Config) *Tesseract { return &Tesseract{cfg: cfg} }

// Recognize runs tesseract on img, sent as PNG on its standard input, and
// reads its TSV output. Tesseract runs single-threaded: the worker pool
// already uses the cores.
func (t *Tesseract) Recognize(ctx context.Context, img image.Image) (Result, error) {
	var in bytes.Buffer
	if err := png.Encode(&in, img); err != nil {
		return Result{}, err
	}
	langs := t.cfg.Langs
	if len(langs) == 0 {
		langs = []string{"chi_sim", "eng"}
	}
	cmd := exec.CommandContext(ctx, t.cfg.Command, "stdin", "stdout", "-l", strings.Join(langs, "+"), "tsv")
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	cmd.Stdin = &in
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return Result{}, fmt.Errorf("tesseract: %v", err)
	}
	r := parseTSV(out.Bytes())
	r.Size = img.Bounds().Size()
	return r, nil
}

// parseTSV gathers the words of tesseract's TSV output (level 5 rows:
// level, page, block, paragraph, line, word, left, top, width, height,
// confidence, text) into lines.
func parseTSV(b []byte) Result {
	var r Result
	var chars, confSum float64
	type key struct{ block, par, line int }
	index := map[key]int{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(f[11])
		conf, err := strconv.ParseFloat(f[10], 64)
		if text == "" || err != nil || conf < 0 {
			continue
		}
		n := func(i int) int { v, _ := strconv.Atoi(f[i]); return v }
		k := key{n(2), n(3), n(4)}
		box := image.Rect(n(6), n(7), n(6)+n(8), n(7)+n(9))
		i, ok := index[k]
		if !ok {
			i = len(r.Lines)
			index[k] = i
			r.Lines = append(r.Lines, Line{Box: box})
		}
		l := &r.Lines[i]
		l.Text = joinWord(l.Text, text)
		l.Box = l.Box.Union(box)
		c := float64(utf8.RuneCountInString(text))
		l.Conf += conf * c // summed here, divided below
		chars += c
		confSum += conf * c
	}
	for i := range r.Lines {
		l := &r.Lines[i]
		l.Conf /= float64(utf8.RuneCountInString(strings.ReplaceAll(l.Text, " ", "")))
	}
	if chars > 0 {
		r.Conf = confSum / chars
	}
	return r
}

// joinWord appends word to line: with a space between words of Latin
// script, without one where either side is a Chinese character (Tesseract
// reads each as a word).
func joinWord(line, word string) string {
	if line == "" {
		return word
	}
	last, _ := utf8.DecodeLastRuneInString(line)
	first, _ := utf8.DecodeRuneInString(word)
	if unicode.Is(unicode.Han, last) || unicode.Is(unicode.Han, first) || unicode.IsPunct(first) && first > 0x2000 {
		return line + word
	}
	return line + " " + word
}
