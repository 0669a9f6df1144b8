package scanner

import (
	"fmt"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/fingerprint"
	"github.com/baomi/baomi/scanner/match"
)

// maxPassages bounds the passage locations one fingerprint finding lists;
// the count and the share still cover them all.
const maxPassages = 100

// Fingerprinted reports whether the text of a part is fingerprinted, when
// a document is registered and when a file is matched against an index:
// the document's own text, not what programs keep with it (properties,
// picture metadata, other XML parts), nor field codes and file names,
// which documents of one template or one program share.
func Fingerprinted(p extract.Part) bool {
	return p != extract.PartMetadata && p != extract.PartField && p != extract.PartFileName
}

// mergeSlack is how far apart, in bytes, two passage hits of one document
// may be and still be one passage: the matcher cuts long passages into
// pieces whose k-grams overlap or nearly touch.
const mergeSlack = 2 * fingerprint.G * utf8.UTFMax

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

// reach is how far, in characters, a shared passage is taken to extend
// beyond its first and last fingerprints, where the segment allows: half
// the mean distance between two. Without it a passage would be measured
// short by some P characters and passages just over min_chars missed;
// with it one under min_chars-2*reach characters still never counts.
const reach = fingerprint.P / 2

// piece is a passage being grown from consecutive hits in one segment.
type piece struct {
	seg, start, end int // segment number and byte span in it
	loc             Location
	chars           int
	lead, tail      int             // characters of the segment before and after it, up to reach
	hashes          []uint64        // its distinct fingerprints
	seen            map[uint64]bool // the same, as a set
}

// around returns how many characters, up to reach, text holds before
// byte offset start and after byte offset end.
func around(text string, start, end int) (int, int) {
	return min(utf8.RuneCountInString(text[max(start-reach*utf8.UTFMax, 0):start]), reach),
		min(utf8.RuneCountInString(text[end:min(end+reach*utf8.UTFMax, len(text))]), reach)
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
		fresh := false
		for _, x := range h.Passage.Hashes {
			if !c.seen[x] {
				c.seen[x], fresh = true, true
				c.hashes = append(c.hashes, x)
			}
		}
		if end > c.end {
			if fresh {
				// A hit whose fingerprints the passage already holds is a
				// phrase repeated (HYPERLINK "http:// on every line of a
				// field): it adds no characters.
				c.chars += utf8.RuneCountInString(text[max(h.Start, c.end-off):h.End])
				_, c.tail = around(text, h.Start, h.End)
			}
			c.end = end
		}
		return
	}
	d.close(h.Rule.MinChars)
	lead, tail := around(text, h.Start, h.End)
	d.cur = piece{seg: seg, start: start, end: end, loc: loc, lead: lead, tail: tail,
		chars: utf8.RuneCountInString(text[h.Start:h.End]), seen: map[uint64]bool{}}
	for _, x := range h.Passage.Hashes {
		if !d.cur.seen[x] {
			d.cur.seen[x] = true
			d.cur.hashes = append(d.cur.hashes, x)
		}
	}
}

// close decides the passage being grown: it counts when it is at least
// minChars characters long. Its length is what its hits span, plus reach
// at each end where the segment allows, but at most 4P characters per
// distinct fingerprint it holds: a shared passage has one in P k-grams on
// average, while a short phrase repeated within a hit spans much but holds
// a few.
func (d *sharedDoc) close(minChars int) {
	c := d.cur
	d.cur = piece{}
	if c.hashes == nil {
		return
	}
	c.chars = min(c.chars+c.lead+c.tail, len(c.hashes)*4*fingerprint.P)
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
