package extract

// Sink receives a document's text as it is read, so that the whole text
// need not be held in one place: each call carries one segment or, for a
// long segment, one piece of it. Consecutive pieces of one segment have the
// same Part, Page and Inner, and all but the last have more set. An error
// stops the reading.
type Sink func(seg Segment, more bool) error

// Collector is a Sink that gathers the pieces back into whole segments, for
// callers that need the document at once (printing what was read).
type Collector struct {
	segs []Segment
	open bool // the last segment continues in the next piece
}

// Add is the Collector's Sink.
func (c *Collector) Add(seg Segment, more bool) error {
	if c.open {
		c.segs[len(c.segs)-1].Text += seg.Text
	} else {
		c.segs = append(c.segs, seg)
	}
	c.open = more
	return nil
}

// Segments returns the segments gathered so far.
func (c *Collector) Segments() []Segment { return c.segs }
