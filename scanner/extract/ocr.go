package extract

import (
	"context"
	"fmt"
	"image"
	"maps"
	"slices"
	"strings"

	"github.com/baomi/baomi/scanner/ocr"
)

// PartPicture is text read by OCR from a picture: a scanned page, a photo,
// a picture inside a document.
const PartPicture Part = "picture"

// Picture is one picture of a document that may carry text, handed to
// Text.ReadPicture by the reader that found it.
type Picture struct {
	// Page is the 1-based page it is drawn on, 0 where the format has none.
	Page int
	// Inner names it inside its document (word/media/image1.png); empty
	// for a page image or a picture file.
	Inner string
	// Image is the decoded picture; nil when it could not be decoded, and
	// then Why says why.
	Image image.Image
	// Why is a short clause, printable ASCII English and never document
	// text, saying why Image is nil ("its format (EMF) is not decoded").
	Why string
}

// Pictures is what became of a document's pictures that may carry text.
// It crosses from the extraction child with the Document.
type Pictures struct {
	// Read is how many were read by OCR with confidence (whatever they
	// held: a photo with no text is read too).
	Read int
	// Unread is how many were not: no OCR engine, not decoded, read with
	// low confidence, failed.
	Unread int
}

// Why a picture was not read, as the clause of its Review sentence.
const (
	WhyNoOCR        = "no OCR engine"
	WhyNotConfident = "OCR was not confident"
	WhyOCRFailed    = "OCR failed"
	WhyOCRTimeout   = "OCR took too long"
)

// pictureStart is the context key of the function ReadPicture calls before
// each picture it reads: the sandbox's child uses it to tell its parent,
// which grows the file's time limit by a picture's.
type pictureStart struct{}

// OnPicture returns a context whose ReadPicture calls f before it reads
// each picture by OCR.
func OnPicture(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, pictureStart{}, f)
}

// engine is a test's Engine given by WithEngine.
type engine struct{}

// WithEngine returns a context in which ReadPicture reads with e whatever
// Options.OCR says: tests read pictures with an engine of their own.
func WithEngine(ctx context.Context, e ocr.Engine) context.Context {
	return context.WithValue(ctx, engine{}, e)
}

// ReadPicture reads p by OCR and adds its text as a PartPicture segment. It
// reports whether p was read with confidence; a picture that was not (no
// engine, not decoded, unsure, failed) is counted in Document.Pictures and
// its reason kept for ReviewPictures. Text read with low confidence is
// still added: it is matched all the same. The error is a limit or the
// context's end, never the picture's own failure.
func (d *Text) ReadPicture(ctx context.Context, p Picture) (bool, error) {
	why := p.Why
	if p.Image != nil {
		var err error
		if why, err = d.recognize(ctx, p); err != nil {
			return false, err
		}
	}
	if why != "" {
		d.Pictures.Unread++
		if d.unread == nil {
			d.unread = map[string]int{}
		}
		d.unread[why]++
		return false, nil
	}
	d.Pictures.Read++
	return true, nil
}

// recognize reads p.Image and adds its text; why is empty when it was read
// with confidence.
func (d *Text) recognize(ctx context.Context, p Picture) (why string, err error) {
	e, _ := ctx.Value(engine{}).(ocr.Engine)
	if e == nil && d.ocr.Enabled() {
		e = ocr.NewTesseract(d.ocr)
	}
	if e == nil {
		return WhyNoOCR, nil
	}
	if f, _ := ctx.Value(pictureStart{}).(func()); f != nil {
		f()
	}
	pctx, cancel := context.WithTimeout(ctx, d.ocr.PictureTimeout())
	defer cancel() // not before the switch: a cancelled pctx would read as a timeout
	res, rerr := e.Recognize(pctx, p.Image)
	switch {
	case ctx.Err() != nil:
		return "", Errorf(KindTimeout, "timed out reading pictures by OCR")
	case pctx.Err() != nil:
		return WhyOCRTimeout, nil
	case rerr != nil:
		return WhyOCRFailed, nil
	}
	lines := make([]string, 0, len(res.Lines))
	for _, l := range res.Lines {
		if t := strings.TrimSpace(l.Text); t != "" {
			lines = append(lines, t)
		}
	}
	if len(lines) > 0 {
		seg := Segment{Part: PartPicture, Page: p.Page, Inner: p.Inner, Text: strings.Join(lines, "\n")}
		if err := d.Add(seg); err != nil {
			return "", err
		}
	}
	if !res.Confident() {
		return WhyNotConfident, nil
	}
	return "", nil
}

// ReviewPictures appends to the document's Review a sentence for each
// reason pictures were not read, and forgets them.
func (d *Text) ReviewPictures() {
	for _, why := range slices.Sorted(maps.Keys(d.unread)) {
		d.Review = append(d.Review, PicturesReview(d.unread[why], why)...)
	}
	d.unread = nil
}

// PicturesReview returns the Review sentence for n pictures of a document
// that may carry text and were not read for reason why (one of the Why
// clauses, or "" when the reader does not say), nil for none.
func PicturesReview(n int, why string) []string {
	switch {
	case n == 0:
		return nil
	case (why == "" || why == WhyNoOCR) && n == 1:
		// Without OCR the sentence stays what it was before baomi read any.
		return []string{"1 picture in the document may carry text (not read)"}
	case why == "" || why == WhyNoOCR:
		return []string{fmt.Sprintf("%d pictures in the document may carry text (not read)", n)}
	case n == 1:
		return []string{fmt.Sprintf("1 picture in the document may carry text (not read: %s)", why)}
	}
	return []string{fmt.Sprintf("%d pictures in the document may carry text (not read: %s)", n, why)}
}
