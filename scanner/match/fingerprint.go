package match

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/fingerprint"
)

// Passage is what a hit of a fingerprint rule carries: which registered
// document the passage shares fingerprints with, and which ones. Match finds
// passages within its window; the share of a registered document a whole
// file holds is the caller's to add up (scanner/check.go), from the
// distinct Hashes of its passages.
type Passage struct {
	Index  *fingerprint.Index
	Doc    int      // the registered document, in Index.Docs()
	Hashes []uint64 // its fingerprints found in the passage
}

// fpRule is a fingerprint rule with its loaded index.
type fpRule struct {
	rule *policies.Rule
	idx  *fingerprint.Index
}

const (
	// passageGap: two fingerprints of one document at most this many
	// k-grams apart belong to one passage. Within a shared passage, after
	// its first fingerprint, two are at most G apart; twice that bridges
	// one edit.
	passageGap = 2 * fingerprint.G
	// pieceMod cuts a passage after each fingerprint whose hash is a
	// multiple of it (every 32 fingerprints, some 270 characters, on
	// average). Where a passage is cut then depends on its text, not on
	// where a window starts, so two windows overlapping by Reach cut a long
	// passage at the same places and each piece is decided whole in one.
	pieceMod = 32
	// maxPiece bounds a piece, in bytes of normalized text, should the
	// cuts above not come: a hit must stay well within Reach.
	maxPiece = Reach / 4
)

// loadIndexes loads the index of every fingerprint rule (each file once)
// and returns the policy's hash with the indexes' digests folded in, so that
// cached results do not outlive a rebuilt index.
func (m *Matcher) loadIndexes(p *policies.Policy) (string, policies.Errors) {
	var probs policies.Errors
	loaded := map[string]*fingerprint.Index{}
	h := sha256.New()
	h.Write([]byte(p.Hash))
	for _, r := range p.Rules {
		if r.Detector != "fingerprint" {
			continue
		}
		idx, ok := loaded[r.Index]
		if !ok {
			var err error
			if idx, err = fingerprint.Load(r.Index); err != nil {
				probs = append(probs, r.Problem("index: %v", err))
				continue
			}
			loaded[r.Index] = idx
		}
		h.Write([]byte(r.Index + "\x00" + idx.Digest() + "\x00"))
		m.fingerprints = append(m.fingerprints, fpRule{rule: r, idx: idx})
	}
	if len(m.fingerprints) == 0 {
		return p.Hash, probs
	}
	return hex.EncodeToString(h.Sum(nil)), probs
}

// fpSpan is a passage found in normalized text.
type fpSpan struct {
	rule       *policies.Rule
	start, end int
	passage    *Passage
}

// passages returns the passages of nt shared with registered documents,
// ordered by start. The text is fingerprinted once for all fingerprint
// rules.
func (m *Matcher) passages(nt string) []fpSpan {
	var out []fpSpan
	type run struct {
		start, end, last int // byte span in nt; Pos of the last fingerprint
		hashes           []uint64
	}
	type key struct {
		rule int // in m.fingerprints
		doc  uint32
	}
	open := map[key]*run{}
	emit := func(k key, r *run) {
		fr := m.fingerprints[k.rule]
		out = append(out, fpSpan{rule: fr.rule, start: r.start, end: r.end,
			passage: &Passage{Index: fr.idx, Doc: int(k.doc), Hashes: r.hashes}})
		delete(open, k)
	}
	xs := make([]*fingerprint.Index, len(m.fingerprints))
	for i, fr := range m.fingerprints {
		xs[i] = fr.idx
	}
	fingerprint.Find(nt, xs, func(ms []fingerprint.Mark) {
		for _, mk := range ms {
			for i, fr := range m.fingerprints {
				for _, d := range fr.idx.Lookup(mk.Hash) {
					k := key{i, d}
					r := open[k]
					if r != nil && (mk.Pos-r.last > passageGap || mk.End-r.start > maxPiece) {
						emit(k, r)
						r = nil
					}
					if r == nil {
						r = &run{start: mk.Start}
						open[k] = r
					}
					r.end, r.last = mk.End, mk.Pos
					r.hashes = append(r.hashes, mk.Hash)
					if mk.Hash%pieceMod == 0 {
						emit(k, r)
					}
				}
			}
		}
	})
	for k, r := range open {
		emit(k, r)
	}
	slices.SortFunc(out, func(a, b fpSpan) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.rule != b.rule {
			return m.rank[a.rule] - m.rank[b.rule]
		}
		return a.passage.Doc - b.passage.Doc
	})
	return out
}
