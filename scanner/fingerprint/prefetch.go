package fingerprint

// prefetchWords is the size of a filter, in words, past which Prefetch
// fetches it: one of 1 MiB or less stays in the caches of its own accord.
const prefetchWords = 1 << 17

// Prefetch tells the index that the hashes of ms will be probed soon, and
// reports whether that is worth waiting for: the words of a large filter
// that they fall in are then fetched from memory meanwhile, so that Probe,
// called a little later (after the next round of Each, say), does not wait
// for them. A filter over thousands of documents is larger than the
// processor's caches, and waiting for it was most of the cost of a
// fingerprint rule over 10,000 documents.
func (x *Index) Prefetch(ms []Mark) bool {
	if len(x.filter) <= prefetchWords {
		return false
	}
	if len(ms) > 0 {
		prefetchMarks(&x.filter[0], uint64(len(x.filter)-1)&(1<<24-1), ms)
	}
	return true
}
