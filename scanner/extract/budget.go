package extract

import "github.com/baomi/baomi/scanner/extract/internal/humanize"

// docText is a Document being read with its one text budget: segments
// enter the document only through add, which charges their text against
// Options.MaxText, so no reader can keep text the limit does not see. A
// reader that gathers a segment (or a table of strings for later ones) in
// pieces asks fits before it takes each piece, so that what it holds never
// outgrows what is left.
type docText struct {
	*Document
	max  int64 // Options.MaxText
	used int64 // bytes of text added so far
}

// newDocText starts an empty document of the format its extractor reads
// it as, read with opt.
func newDocText(f Format, opt Options) *docText {
	return &docText{Document: &Document{Format: f, Segments: []Segment{}}, max: opt.MaxText}
}

// add appends seg to the document and charges its text.
func (d *docText) add(seg Segment) error {
	if d.used += int64(len(seg.Text)); d.used > d.max {
		return d.limit()
	}
	d.Segments = append(d.Segments, seg)
	return nil
}

// addAll adds segs in order.
func (d *docText) addAll(segs []Segment) error {
	for _, s := range segs {
		if err := d.add(s); err != nil {
			return err
		}
	}
	return nil
}

// fits returns the limit error when n more bytes of text, held but not
// yet added, would not fit in what is left.
func (d *docText) fits(n int) error {
	if d.used+int64(n) > d.max {
		return d.limit()
	}
	return nil
}

// left is the bytes of text the document may still take.
func (d *docText) left() int64 { return d.max - d.used }

func (d *docText) limit() error {
	return Errorf(KindLimit, "document text exceeds the limit of %s (max text)", humanize.Bytes(uint64(d.max)))
}
