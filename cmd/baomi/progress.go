package main

import (
	"fmt"
	"io"
	"time"

	"github.com/baomi/baomi/scanner/report"
)

// progress shows how far an audit is on one terminal line, redrawn in
// place: files done of all, bytes read of all, pictures read by OCR (once
// there are some: they take seconds each), and the time left at the rate
// bytes are read, each figure labelled and none mixed with another:
//
//	files 120/400 · 1.2 GB of 3.4 GB · 12 pictures read by OCR · about 2m5s left
//	文件120/400 · 数据1.2 GB/3.4 GB · 文字识别图片12张 · 约剩2分5秒
type progress struct {
	w           io.Writer
	lang        report.Lang
	files, done int
	bytes, read int64
	pictures    int // read by OCR
	start, last time.Time
	now         func() time.Time
}

// progressEvery is how often the line is redrawn at most.
const progressEvery = 200 * time.Millisecond

func newProgress(w io.Writer, lang report.Lang, files int, bytes int64) *progress {
	p := &progress{w: w, lang: lang, files: files, bytes: bytes, now: time.Now}
	p.start = p.now()
	p.draw()
	return p
}

// add counts a file of n bytes done, pictures of which were read by OCR.
func (p *progress) add(n int64, pictures int) {
	p.done++
	p.read += n
	p.pictures += pictures
	if t := p.now(); t.Sub(p.last) >= progressEvery || p.done == p.files {
		p.last = t
		p.draw()
	}
}

// line is the progress in words.
func (p *progress) line() string {
	s := say(p.lang, fmt.Sprintf("files %d/%d · %s of %s", p.done, p.files, size(p.read), size(p.bytes)))
	if p.pictures > 0 {
		s += say(p.lang, fmt.Sprintf(" · %d pictures read by OCR", p.pictures))
	}
	elapsed := p.now().Sub(p.start)
	if p.read > 0 && p.read < p.bytes && elapsed >= time.Second {
		left := time.Duration(float64(elapsed) * float64(p.bytes-p.read) / float64(p.read))
		s += say(p.lang, fmt.Sprintf(" · about %s left", p.lang.Duration(left)))
	}
	return s
}

// draw writes the line over the last one, and clears what is left of it.
func (p *progress) draw() { fmt.Fprint(p.w, "\r"+p.line()+"\x1b[K") }

// finish clears the line: the report follows.
func (p *progress) finish() { fmt.Fprint(p.w, "\r\x1b[K") }

// size writes a byte count for a person: "512 B", "1.2 MB" (units of 1024).
func size(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, unit := float64(n)/1024, 0
	for v >= 1024 && unit < 4 {
		v /= 1024
		unit++
	}
	return fmt.Sprintf("%.1f %cB", v, "KMGTP"[unit])
}
