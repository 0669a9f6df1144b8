// Package ocr reads the text in pictures. An Engine takes a decoded picture
// and returns the lines it read, each with its box and confidence; the
// first engine runs Tesseract as an external program (no cgo), so that a
// crash or a runaway recognition costs one picture, inside the extraction
// child's limits.
package ocr

import (
	"context"
	"image"
	"time"
)

// Config says whether and how pictures are read. It is plain data: it
// crosses to the extraction child inside extract.Options. The zero Config
// reads no pictures.
type Config struct {
	// Command is the Tesseract program to run; "" means OCR is off.
	Command string
	// Langs are the models to read with, as Tesseract names them
	// (chi_sim, chi_sim_vert, eng); empty means DefaultLangs of those
	// installed.
	Langs []string
	// Timeout is the most time one picture may take; 0 means
	// DefaultTimeout.
	Timeout time.Duration
}

// DefaultTimeout bounds the reading of one picture: a 300 dpi A4 page
// takes about 5 s with chi_sim on one core, and a second pass to find its
// orientation as much again.
const DefaultTimeout = 60 * time.Second

// Enabled reports whether c reads pictures.
func (c Config) Enabled() bool { return c.Command != "" }

// PictureTimeout is c.Timeout, or DefaultTimeout when it is not set.
func (c Config) PictureTimeout() time.Duration {
	if c.Timeout > 0 {
		return c.Timeout
	}
	return DefaultTimeout
}

// Line is one line of text read from a picture.
type Line struct {
	// Text is the line as read: Chinese characters are joined without the
	// spaces Tesseract puts between them; words of Latin script keep theirs.
	Text string
	// Box is where the line is, in the pixels of the picture as given (a
	// picture read turned is mapped back).
	Box image.Rectangle
	// Conf is the engine's confidence in the line, 0 to 100.
	Conf float64
}

// Result is what an engine read from one picture.
type Result struct {
	Lines []Line
	// Size is the picture's size in pixels, so that a caller can tell
	// where on it a line is (the top of a page holds its marking).
	Size image.Point
	// Rotation is how many degrees clockwise the picture was turned to be
	// read upright: 0, 90, 180 or 270.
	Rotation int
	// Conf is the mean confidence over the characters read, 0 to 100; 0
	// when nothing was read.
	Conf float64
}

// Engine reads the text of pictures. Implementations are safe for
// concurrent use.
type Engine interface {
	Recognize(ctx context.Context, img image.Image) (Result, error)
}

// MinConf is the mean confidence from which a picture counts as read: below
// it, what was read is still matched but the picture is left for a person.
const MinConf = 60

// Confident reports whether r counts as read: its mean confidence is at
// least MinConf, or the engine found no text at all (a photo, a logo).
// Tesseract reads something, unsure, from nearly any picture of text, even
// a blurred one; a picture it reads nothing from is, in the corpus, a
// photo or an ornament. (The ink's estimate of the characters cannot tell
// them apart: a photo's ink looks like text to it, and noise inflates it
// many times, so it only decides when to look for the orientation.)
func (r Result) Confident() bool {
	return len(r.Lines) == 0 || r.Conf >= MinConf
}
