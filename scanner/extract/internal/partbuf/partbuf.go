// Package partbuf gathers the text of a document read as a stream of
// destinations (RTF groups, OpenDocument elements), one buffer per
// destination and part, as the DOCX reader does per story: text that
// formatting interrupts (机{\v x}密) stays whole in its part, so a marking
// split by a hidden or deleted character is still one word, and a file
// that toggles formatting a million times makes a few segments, not
// millions.
package partbuf

import (
	"strings"

	"github.com/baomi/baomi/scanner/extract"
)

// Key names a buffer: a destination (its number: 0 for the body), the
// page it is on and the part of its text.
type Key struct {
	ID   int
	Page int
	Part extract.Part
}

// Buffers are the buffers of one document, charged to its text budget.
type Buffers struct {
	doc  *extract.Text
	keys []Key // in the order they were first written
	bufs map[Key]*strings.Builder
	held int
}

// New returns the buffers of doc.
func New(doc *extract.Text) *Buffers {
	return &Buffers{doc: doc, bufs: map[Key]*strings.Builder{}}
}

// Held is the bytes of text the buffers hold.
func (b *Buffers) Held() int { return b.held }

// Write adds s to the buffer of k, when it fits in what is left of the
// document's text budget with extra bytes held elsewhere.
func (b *Buffers) Write(k Key, s string, extra int) error {
	if err := b.doc.Fits(b.held + extra + len(s)); err != nil {
		return err
	}
	w := b.bufs[k]
	if w == nil {
		w = &strings.Builder{}
		b.bufs[k] = w
		b.keys = append(b.keys, k)
	}
	w.WriteString(s)
	b.held += len(s)
	return nil
}

// Flush adds the buffers whose key done accepts (all when done is nil) to
// the document as segments, in the order they were first written, their
// trailing white space trimmed; empty ones are left out.
func (b *Buffers) Flush(done func(Key) bool) error {
	kept := b.keys[:0]
	var err error
	for _, k := range b.keys {
		if done != nil && !done(k) {
			kept = append(kept, k)
			continue
		}
		w := b.bufs[k]
		delete(b.bufs, k)
		b.held -= w.Len()
		t := strings.TrimRight(w.String(), "\n\t ")
		if err == nil && strings.TrimSpace(t) != "" {
			err = b.doc.Add(extract.Segment{Part: k.Part, Page: k.Page, Text: t})
		}
	}
	b.keys = kept
	return err
}

// Break ends the line in every buffer whose key match accepts and whose
// text does not end one already: a paragraph ends for all the parts its
// text went to, so that hidden pieces of two paragraphs do not run
// together into one word.
func (b *Buffers) Break(match func(Key) bool, extra int) error {
	for _, k := range b.keys {
		w := b.bufs[k]
		if !match(k) || w.Len() == 0 || strings.HasSuffix(w.String(), "\n") {
			continue
		}
		if err := b.doc.Fits(b.held + extra + 1); err != nil {
			return err
		}
		w.WriteByte('\n')
		b.held++
	}
	return nil
}
