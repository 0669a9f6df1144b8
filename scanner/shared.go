package scanner

import (
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/fingerprint"
	"github.com/baomi/baomi/scanner/match"
)

// maxPassages bounds the passage locations one fingerprint finding lists;
// the count and the share still cover them all.
const maxPassages = 100

// mergeSlack is how far apart, in bytes, two passage hits of one document
// may be and still be one passage: the matcher cuts long passages into
// pieces whose k-grams overlap or nearly touch.
const mergeSlack = 2 * fingerprint.W * utf8.UTFMax

// shared adds up, for one file, what it shares with each registered
// document: the matcher finds passages window by window; the share of a
// document and whether a passage is long enough (min_chars) are only known
// over the whole file.
type shared struct {
	docs  map[sharedKey]*sharedDoc
	order []sharedKey // in order of first passage, for stable findings
}

type sharedKey struct {
	rule *policies.Rule
	idx  *fingerprint.Index
	doc  int
}

type sharedDoc struct {
	hashes   map[uint64]bool // the document's fingerprints in counted passages
	locs     []Location
	n, chars int   // passages counted and their characters
	cur      piece // the passage being grown
}

// piece is a passage being grown from consecutive hits in one segment.
type piece struct {
	seg, start, end int // segment number and byte span in it
	loc             Location
	chars           int
	hashes          []uint64
}

// add takes the passage hit h, found in text at byte offset off of segment
// number seg, at loc.
func (s *shared) add(h match.Hit, text string, seg, off int, loc Location) {
	k := sharedKey{h.Rule, h.Passage.Index, h.Passage.Doc}
	d := s.docs[k]
	if d == nil {
		if s.docs == nil {
			s.docs = map[sharedKey]*sharedDoc{}
		}
		d = &sharedDoc{hashes: map[uint64]bool{}}
		s.docs[k] = d
		s.order = append(s.order, k)
	}
	start, end := off+h.Start, off+h.End
	if c := &d.cur; c.hashes != nil && c.seg == seg && start <= c.end+mergeSlack {
		if end > c.end {
			c.chars += utf8.RuneCountInString(text[max(h.Start, c.end-off):h.End])
			c.end = end
		}
		c.hashes = append(c.hashes, h.Passage.Hashes...)
		return
	}
	d.close(h.Rule.MinChars)
	d.cur = piece{seg: seg, start: start, end: end, loc: loc,
		chars: utf8.RuneCountInString(text[h.Start:h.End]), hashes: h.Passage.Hashes}
}

// close decides the passage being grown: it counts when it is at least
// minChars characters long. Its length is what it spans, but at most W
// characters per distinct fingerprint it holds: a shared passage has one
// in every W k-grams, while a short phrase repeated (HYPERLINK "http://
// on every line of a field) spans much but holds a few.
func (d *sharedDoc) close(minChars int) {
	c := d.cur
	d.cur = piece{}
	if c.hashes == nil {
		return
	}
	slices.Sort(c.hashes)
	c.hashes = slices.Compact(c.hashes)
	c.chars = min(c.chars, len(c.hashes)*fingerprint.W)
	if c.chars < minChars {
		return
	}
	for _, h := range c.hashes {
		d.hashes[h] = true
	}
	d.n++
	d.chars += c.chars
	if len(d.locs) < maxPassages {
		d.locs = append(d.locs, c.loc)
	}
}

// findings returns one finding per registered document the file shares
// counted passages with. Its text names the document's label and the share
// of the document's fingerprints found; the label is in no other field, so
// that what baomi keeps or logs (rule, title, location, fingerprint) does
// not carry it.
func (s *shared) findings() []Finding {
	var out []Finding
	for _, k := range s.order {
		d := s.docs[k]
		d.close(k.rule.MinChars)
		if d.n == 0 {
			continue
		}
		doc := k.idx.Docs()[k.doc]
		pct := 100 * len(d.hashes) / max(doc.Count, 1)
		text := fmt.Sprintf("与《%s》重合 %d%%", doc.Label, min(max(pct, 1), 100))
		after := fmt.Sprintf(" (shared passages: %d, characters: %d)", d.n, d.chars)
		out = append(out, Finding{
			Rule:        k.rule.ID,
			Title:       k.rule.Title,
			Severity:    k.rule.Severity,
			Text:        text,
			Location:    d.locs[0],
			Context:     text + after,
			After:       after,
			Passages:    d.locs,
			Fingerprint: Fingerprint(k.rule.ID, doc.Label, "", ""),
		})
	}
	return out
}
