package fingerprint

import "slices"

// Find hands fn the fingerprints of text, as Each does, that may be in one
// of the indexes xs: every one that is, and of the others about one in two
// hundred per index. Each of them is then for Index.Lookup to decide. It
// is the cost of a fingerprint rule per scanned byte.
//
// Each fingerprint is tested against the indexes' filters (see Index) as
// soon as it is hashed, while that is cheap: a filter of 1 MiB or less
// stays in the processor's caches. A filter over thousands of documents
// does not, and waiting for its words from memory was most of the cost of
// a rule over 10,000 documents: then a round's fingerprints are tested a
// round late, their words fetched meanwhile while Each reads on.
func Find(text string, xs []*Index, fn func([]Mark)) {
	filters := make([][]uint64, 0, len(xs))
	for i, x := range xs {
		if len(x.hashes) > 0 && !slices.Contains(xs[:i], x) { // rules may share one
			filters = append(filters, x.filter)
		}
	}
	if len(filters) > 0 {
		each(text, filters, fn)
	}
}

// prefetchWords is the size of a filter, in words, past which it is
// tested late: one of 1 MiB or less stays in the caches of its own accord.
const prefetchWords = 1 << 17

// large reports whether filter is tested late (see Find).
func large(filter []uint64) bool { return len(filter) > prefetchWords }

// may reports whether a fingerprint of hash h may be in one of the
// sampler's filters.
func (s *sampler) may(h uint64) bool {
	for _, f := range s.filters {
		if inFilter(f, h) {
			return true
		}
	}
	return false
}

// hand gives fn the round's marks (Find's have passed its filters). When
// late, it asks for the filter words of this round's marks and gives the
// last round's that pass, the ones this round's replace.
func (s *sampler) hand(fn func([]Mark)) {
	ms := s.out
	if s.late {
		for _, f := range s.filters {
			if large(f) && len(s.out) > 0 {
				prefetchMarks(&f[0], uint64(len(f)-1)&(1<<24-1), s.out)
			}
		}
		ms, s.held = s.held, s.out
		n := 0
		for _, m := range ms {
			if s.may(m.Hash) {
				ms[n] = m
				n++
			}
		}
		ms = ms[:n]
	}
	if len(ms) > 0 {
		fn(ms)
	}
	s.out = ms[:0]
}
