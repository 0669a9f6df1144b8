package extract

import (
	"github.com/baomi/baomi/scanner/extract/internal/humanize"
	"github.com/baomi/baomi/scanner/ocr"
)

// Text is a Document being read with its one text budget: segments
// enter the document only through Add, which charges their text against
// Options.MaxText, so no reader can keep text the limit does not see. A
// reader that gathers a segment (or a table of strings for later ones) in
// pieces asks Fits before it takes each piece, so that what it holds never
// outgrows what is left.
type Text struct {
	*Document
	max  int64 // Options.MaxText
	used int64 // bytes of text added so far

	ocr    ocr.Config     // Options.OCR
	unread map[string]int // pictures not read, by why (ReviewPictures)
}

// NewText starts an empty document of the format its extractor reads
// it as, read with opt.
func NewText(f Format, opt Options) *Text {
	return &Text{Document: &Document{Format: f, Segments: []Segment{}}, max: opt.MaxText, ocr: opt.OCR}
}

// Add appends seg to the document and charges its text.
func (d *Text) Add(seg Segment) error {
	if d.used += int64(len(seg.Text)); d.used > d.max {
		return d.limit()
	}
	d.Segments = append(d.Segments, seg)
	return nil
}

// AddAll adds segs in order.
func (d *Text) AddAll(segs []Segment) error {
	for _, s := range segs {
		if err := d.Add(s); err != nil {
			return err
		}
	}
	return nil
}

// Fits returns the limit error when n more bytes of text, held but not
// yet added, would not fit in what is left.
func (d *Text) Fits(n int) error {
	if d.used+int64(n) > d.max {
		return d.limit()
	}
	return nil
}

// Left is the bytes of text the document may still take.
func (d *Text) Left() int64 { return d.max - d.used }

func (d *Text) limit() error {
	return Errorf(KindLimit, "document text exceeds the limit of %s (max text)", humanize.Bytes(uint64(d.max)))
}
