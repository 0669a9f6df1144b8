package match

import (
	"math/bits"
	"slices"
	"strings"
)

// Automaton finds every occurrence of a fixed set of literal patterns in
// one pass over a text. It is immutable once built and safe for concurrent
// use.
//
// A plain byte-level Aho-Corasick DFA costs one table load per text byte,
// but with thousands of Chinese terms its table grows to megabytes and
// every load misses the cache: 10,000 terms ran 7x slower than 10. So the
// patterns are split by a prefix width w (up to 8 bytes, 6 for terms of two
// Han characters or more):
//
//   - long patterns (at least w bytes) are found by a prefilter: a bitset
//     of a few kilobytes, indexed by a hash of each pattern's first w bytes,
//     is tested at every text position where some long pattern could begin;
//     only where a bit is set is the exact prefix looked up in a hash table
//     and the rest of the pattern followed in a trie;
//   - the few short patterns, if any, go to a small byte-level DFA that
//     stays in cache.
//
// Both sources feed one queue so that occurrences still come out in order
// of their end offset. Where the DFA reads each byte once, following a long
// pattern reads up to its length again from each position where its
// prefix occurs: a text made of one repeated prefix costs that many times
// more, bounded by the longest pattern.
type Automaton struct {
	short *dfa // patterns shorter than width; nil when there are none

	width  int       // prefix width in bytes, 1..8
	mask   uint64    // keeps the low width bytes of an 8-byte load
	starts [256]bool // bytes that begin some long pattern
	filter []uint64  // bitset over hash(prefix) >> fshift
	fshift uint

	// Open-addressing table from prefix to the trie node it leads to,
	// held in the slot itself to save a cache miss per lookup.
	slots  []slot
	tshift uint

	// The rest of the long patterns after their prefix, as a trie with
	// chains of single children merged into one node (labels), so that
	// following a pattern costs a few cache lines, not one per byte. An
	// edge holds the first 8 bytes of its child's label, so a text that
	// leaves the trie there (the common case) costs no further load.
	trie    []trieNode
	labels  string   // the nodes' labels past their first 8 bytes
	edges   edgeList // each node's edges, contiguous and sorted by first byte
	dupNext []int32  // per pattern, the next one of the same text, or -1
}

// slot is an entry of the prefix table.
type slot struct {
	key  uint64
	node trieNode // no label: the prefix is the key
}

// empty reports whether no prefix uses the slot: a prefix node always has
// an output or an edge.
func (s *slot) empty() bool { return s.node.out < 0 && s.node.edgeEnd == 0 }

// trieNode is a node of the trie below the prefixes.
type trieNode struct {
	restStart, restEnd int32 // label bytes past the edge's head
	edgeStart, edgeEnd int32
	out                int32 // first pattern ending here (see dupNext), or -1
}

// trieEdge leads to a child node, whose label begins with head.
type trieEdge struct {
	head uint64 // first bytes of the child's label, little-endian
	n    uint8  // their number, 1 to 8
	to   int32
}

// buildEdge is a trie edge before flattening: one byte.
type buildEdge struct {
	b  byte
	to int32
}

// edgeList is the edges of one node, sorted by the first byte of head.
type edgeList []trieEdge

// hashMul is the 64-bit golden-ratio constant of Fibonacci hashing: the
// top bits of the product depend on every bit of the prefix.
const hashMul = 0x9E3779B97F4A7C15

// NewAutomaton builds an automaton for patterns. Find reports a pattern by
// its index in this slice; empty patterns never match.
func NewAutomaton(patterns []string) *Automaton {
	a := &Automaton{dupNext: make([]int32, len(patterns))}
	a.width = chooseWidth(patterns)
	a.mask = ^uint64(0) >> (64 - 8*a.width)

	shortPats := make([]string, len(patterns))
	hasShort := false
	total := 0 // bytes of all patterns: a bound on the number of nodes
	for _, p := range patterns {
		total += len(p)
	}
	prefixNode := make(map[uint64]int32, len(patterns))
	child := make(map[uint64]int32, total) // node<<8 | byte -> node
	children := make([][]buildEdge, 0, total)
	own := make([][]int32, 0, total)
	newNode := func() int32 {
		children = append(children, nil)
		own = append(own, nil)
		return int32(len(own) - 1)
	}
	for i, p := range patterns {
		switch {
		case p == "":
			continue
		case len(p) < a.width:
			shortPats[i] = p
			hasShort = true
			continue
		}
		key := loadPartial(p, 0, a.width)
		n, ok := prefixNode[key]
		if !ok {
			n = newNode()
			prefixNode[key] = n
			a.starts[p[0]] = true
		}
		for j := a.width; j < len(p); j++ {
			k := uint64(n)<<8 | uint64(p[j])
			next, ok := child[k]
			if !ok {
				next = newNode()
				child[k] = next
				children[n] = append(children[n], buildEdge{p[j], next})
			}
			n = next
		}
		own[n] = append(own[n], int32(i))
	}
	if hasShort {
		a.short = newDFA(shortPats)
	}
	// Test every lead byte of a UTF-8 length class if one of them starts a
	// pattern: a hash on a few more positions costs less than the branch
	// mispredictions of a test that passes for some Han characters and not
	// for others.
	for _, class := range [][2]int{{0xc0, 0xdf}, {0xe0, 0xef}, {0xf0, 0xff}} {
		if slices.Contains(a.starts[class[0]:class[1]+1], true) {
			for b := class[0]; b <= class[1]; b++ {
				a.starts[b] = true
			}
		}
	}

	// Flatten, merging each chain of nodes with one child and no output
	// into the label of the node at its end. Patterns of the same text
	// are chained through dupNext, in index order.
	a.trie = make([]trieNode, 0, len(own))
	var rest []byte
	var flatten func(n int32, label []byte) (int32, trieEdge)
	flatten = func(n int32, label []byte) (int32, trieEdge) {
		// A prefix node (nil label) is reached by the table, not a label.
		for label != nil && len(own[n]) == 0 && len(children[n]) == 1 {
			e := children[n][0]
			label = append(label, e.b)
			n = e.to
		}
		id := int32(len(a.trie))
		head := label[:min(8, len(label))]
		nd := trieNode{restStart: int32(len(rest)), out: -1}
		rest = append(rest, label[len(head):]...)
		nd.restEnd = int32(len(rest))
		for k, p := range own[n] {
			if k == 0 {
				nd.out = p
			}
			a.dupNext[p] = -1
			if k+1 < len(own[n]) {
				a.dupNext[p] = own[n][k+1]
			}
		}
		a.trie = append(a.trie, nd)
		e := children[n]
		slices.SortFunc(e, func(x, y buildEdge) int { return int(x.b) - int(y.b) })
		kids := make([]trieEdge, len(e))
		for k, x := range e {
			_, kids[k] = flatten(x.to, []byte{x.b})
		}
		a.trie[id].edgeStart = int32(len(a.edges))
		a.edges = append(a.edges, kids...)
		a.trie[id].edgeEnd = int32(len(a.edges))
		return id, trieEdge{head: loadPartial(string(head), 0, 8), n: uint8(len(head)), to: id}
	}
	for key, n := range prefixNode {
		prefixNode[key], _ = flatten(n, nil)
	}
	a.labels = string(rest)

	// About 32 bits per prefix keeps false positives near 3% while the
	// bitset (64 KiB at most) stays in L1/L2 cache.
	fbits := max(10, min(19, bits.Len(uint(32*len(prefixNode)))))
	a.filter = make([]uint64, 1<<fbits/64)
	a.fshift = uint(64 - fbits)
	// A load factor between 1/3 and 2/3 keeps probes short and the table
	// small. The prefix nodes move into it; their place in the trie stays
	// unused.
	tbits := max(4, bits.Len(uint(3*len(prefixNode)/2)))
	a.slots = make([]slot, 1<<tbits)
	for i := range a.slots {
		a.slots[i].node.out = -1
	}
	a.tshift = uint(64 - tbits)
	tmask := uint64(len(a.slots) - 1)
	for key, n := range prefixNode {
		h := key * hashMul
		a.filter[h>>a.fshift/64] |= 1 << (h >> a.fshift % 64)
		for i := h >> a.tshift; ; i = (i + 1) & tmask {
			if a.slots[i].empty() {
				a.slots[i] = slot{key, a.trie[n]}
				break
			}
		}
	}
	return a
}

// chooseWidth picks the prefix width: the length of the shortest pattern,
// up to 8 bytes, so that no pattern needs the DFA. Only when some patterns
// are shorter than one Han character (3 bytes) is the width raised, up to
// 6 (two Han characters), as far as it leaves at most a few dozen patterns
// to the DFA, which must stay small to stay in cache.
func chooseWidth(patterns []string) int {
	var count [8]int // count[k]: non-empty patterns of k bytes
	minLen := 8
	for _, p := range patterns {
		if p != "" && len(p) < 8 {
			count[len(p)]++
			minLen = min(minLen, len(p))
		}
	}
	if minLen >= 3 {
		return minLen
	}
	const maxShort = 64
	w, shorter := minLen, 0
	for shorter+count[w] <= maxShort && w < 6 {
		shorter += count[w]
		w++
	}
	return w
}

// loadPartial returns up to width bytes of s from i, little-endian, for
// the end of a text where a full 8-byte load would run past it.
func loadPartial(s string, i, width int) uint64 {
	var v uint64
	for k := 0; k < width && i+k < len(s); k++ {
		v |= uint64(s[i+k]) << (8 * k)
	}
	return v
}

// load8 returns the 8 bytes of s from i, little-endian; the compiler turns
// it into one load.
func load8(s string, i int) uint64 {
	s = s[i : i+8]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// match is a found occurrence waiting in Find's queue.
type match struct{ pat, start, end int32 }

// finder holds the state of one Find call.
type finder struct {
	a       *Automaton
	fn      func(pattern, start, end int)
	pending []match // sorted by end, then start; emitted from head on
	head    int
}

// Find calls fn for every occurrence of every pattern in text, overlapping
// ones included, with the pattern's index and the occurrence's byte span.
// Occurrences come in order of their end offset, longer ones first for the
// same end.
func (a *Automaton) Find(text string, fn func(pattern, start, end int)) {
	f := finder{a: a, fn: fn}
	i := 0
	if a.short == nil {
		i = f.scanBatched(text)
	}
	f.scan(text, i)
	f.flush(len(text))
}

// batch is the number of text positions scanBatched filters before it
// verifies their candidates.
const batch = 1024

// scanBatched runs the prefilter over text in batches, as far as an 8-byte
// load reaches, and returns where it stopped. Without short patterns no
// DFA has to see each byte in turn, so the filter can collect candidates
// without a branch that the text's hits make unpredictable, and the lookups
// of a batch's candidates overlap their cache misses.
func (f *finder) scanBatched(text string) int {
	a := f.a
	starts, filter, fshift, mask := &a.starts, a.filter, a.fshift, a.mask
	end := min(len(text)-a.width, len(text)-8) + 1
	var cand [batch]int
	i := 0
	for i < end {
		stop := min(end, i+batch)
		k := 0
		for ; i < stop; i++ {
			if !starts[text[i]] {
				continue
			}
			h := load8(text, i) & mask * hashMul >> fshift
			cand[k] = i
			k += int(filter[h/64] >> (h % 64) & 1)
		}
		for _, j := range cand[:k] {
			f.verify(text, j, load8(text, j)&mask)
		}
	}
	return i
}

// scan runs the short patterns' DFA, if any, and the prefilter over text
// from position from on, verifying each candidate as it comes.
func (f *finder) scan(text string, from int) {
	a := f.a
	var (
		starts       = &a.starts
		filter       = a.filter
		fshift       = a.fshift
		mask         = a.mask
		lastLong     = len(text) - a.width // last position a long pattern fits
		lastFullLoad = len(text) - 8
		d            = a.short
		s            uint32
	)
	for i := from; i < len(text); i++ {
		c := text[i]
		if d != nil {
			s = d.trans[s+uint32(d.classes[c])]
			if s >= d.firstMatch {
				// Long occurrences ending here are longer: they go first.
				f.flush(i + 1)
				d.report(int((s-d.firstMatch)/d.stride), i+1, f.fn)
			}
		}
		if !starts[c] || i > lastLong {
			continue
		}
		var key uint64
		if i <= lastFullLoad {
			key = load8(text, i) & mask
		} else {
			key = loadPartial(text, i, a.width)
		}
		h := key * hashMul >> fshift
		if filter[h/64]&(1<<(h%64)) == 0 {
			continue
		}
		f.verify(text, i, key)
	}
}

// verify follows the patterns that start at i with the prefix key and
// queues their occurrences.
func (f *finder) verify(text string, i int, key uint64) {
	a := f.a
	tmask := uint64(len(a.slots) - 1)
	var nd *trieNode
	for k := key * hashMul >> a.tshift; !a.slots[k].empty(); k = (k + 1) & tmask {
		if a.slots[k].key == key {
			nd = &a.slots[k].node
			break
		}
	}
	if nd == nil {
		return
	}
	// Everything queued so far ends where no later occurrence can: all
	// ends at or before i+1 are final once the DFA has read byte i.
	f.flush(i + 1)
	for j := i + a.width; ; {
		for p := nd.out; p >= 0; p = a.dupNext[p] {
			f.queue(match{p, int32(i), int32(j)})
		}
		if j == len(text) || nd.edgeStart == nd.edgeEnd {
			return
		}
		e := a.edges[nd.edgeStart:nd.edgeEnd].find(text[j])
		if e == nil || j+int(e.n) > len(text) {
			return
		}
		var t uint64
		if j+8 <= len(text) {
			t = load8(text, j)
		} else {
			t = loadPartial(text, j, 8)
		}
		if t&(^uint64(0)>>(64-8*e.n)) != e.head {
			return
		}
		j += int(e.n)
		nd = &a.trie[e.to]
		if nd.restEnd > nd.restStart {
			rest := a.labels[nd.restStart:nd.restEnd]
			if !strings.HasPrefix(text[j:], rest) {
				return
			}
			j += len(rest)
		}
	}
}

// find returns the edge whose label begins with b, or nil.
func (e edgeList) find(b byte) *trieEdge {
	if len(e) <= 8 {
		for k := range e {
			if uint8(e[k].head) == b {
				return &e[k]
			}
		}
		return nil
	}
	k, ok := slices.BinarySearchFunc(e, b, func(x trieEdge, b byte) int { return int(uint8(x.head)) - int(b) })
	if !ok {
		return nil
	}
	return &e[k]
}

// queue inserts m in order. m starts after everything queued, so it goes
// after every occurrence ending at or before its end.
func (f *finder) queue(m match) {
	k := len(f.pending)
	f.pending = append(f.pending, m)
	for k > f.head && f.pending[k-1].end > m.end {
		f.pending[k] = f.pending[k-1]
		k--
	}
	f.pending[k] = m
}

// flush emits the queued occurrences that end at or before end.
func (f *finder) flush(end int) {
	for f.head < len(f.pending) && int(f.pending[f.head].end) <= end {
		m := f.pending[f.head]
		f.fn(int(m.pat), int(m.start), int(m.end))
		f.head++
	}
	if f.head == len(f.pending) {
		f.pending, f.head = f.pending[:0], 0
	}
}

// dfa is a byte-level Aho-Corasick automaton for the short patterns: every
// failure transition is resolved at build time, so scanning costs one table
// load per text byte. Rows are indexed by byte class (bytes no pattern uses
// share one class) and state ids are premultiplied by the row width so a
// step is a single load and add. States that end a pattern are numbered
// last, so the scan tests for a match with one comparison.
type dfa struct {
	classes    [256]uint8
	stride     uint32   // number of byte classes: the width of a row
	trans      []uint32 // trans[state+class] = next state, premultiplied
	firstMatch uint32   // premultiplied id of the first state with output
	// For the states from firstMatch on (index state/stride - first):
	outStart []int32 // outputs of match state m: outPat[outStart[m]:outStart[m+1]]
	outPat   []int32
	dictLink []int32 // next match state on the failure chain, or -1
	patLen   []int32 // byte length of each pattern
}

// newDFA builds the DFA for patterns; empty ones are ignored.
func newDFA(patterns []string) *dfa {
	a := &dfa{patLen: make([]int32, len(patterns))}
	used := [256]bool{}
	for i, p := range patterns {
		a.patLen[i] = int32(len(p))
		for j := 0; j < len(p); j++ {
			used[p[j]] = true
		}
	}
	// Class 0 holds every byte no pattern uses.
	stride := 1
	for b := range used {
		if used[b] {
			a.classes[b] = uint8(stride)
			stride++
		}
	}
	if stride > 256 { // all 256 bytes used: no shared class needed
		stride = 256
		for b := range a.classes {
			a.classes[b] = uint8(b)
		}
	}
	k := stride

	// Trie in dense rows; 0 in a row means "no edge" since no edge
	// leads back to the root.
	trans := make([]int32, k, k*16)
	own := [][]int32{nil}
	for i, p := range patterns {
		if p == "" {
			continue
		}
		s := 0
		for j := 0; j < len(p); j++ {
			c := int(a.classes[p[j]])
			next := int(trans[s*k+c])
			if next == 0 {
				next = len(own)
				trans[s*k+c] = int32(next)
				trans = append(trans, make([]int32, k)...)
				own = append(own, nil)
			}
			s = next
		}
		own[s] = append(own[s], int32(i))
	}
	n := len(own)

	// Breadth-first: resolve failure links into full DFA rows, and link
	// each state to the nearest state on its failure chain with output.
	fail := make([]int32, n)
	dict := make([]int32, n)
	dict[0] = -1
	queue := make([]int32, 0, n)
	for c := 0; c < k; c++ {
		if v := trans[c]; v != 0 {
			dict[v] = -1
			queue = append(queue, v)
		}
	}
	for qi := 0; qi < len(queue); qi++ {
		u := int(queue[qi])
		f := int(fail[u])
		for c := 0; c < k; c++ {
			v := trans[u*k+c]
			if v == 0 {
				trans[u*k+c] = trans[f*k+c]
				continue
			}
			fv := trans[f*k+c]
			fail[v] = fv
			if own[fv] != nil {
				dict[v] = fv
			} else {
				dict[v] = dict[fv]
			}
			queue = append(queue, v)
		}
	}

	// Renumber: states with output (their own or through dict) go last.
	newID := make([]int32, n)
	var plain, matching []int32
	for s := 0; s < n; s++ {
		if own[s] != nil || dict[s] >= 0 {
			matching = append(matching, int32(s))
		} else {
			plain = append(plain, int32(s))
		}
	}
	order := append(plain, matching...)
	for id, s := range order {
		newID[s] = int32(id)
	}
	first := len(plain)
	a.stride = uint32(k)
	a.firstMatch = uint32(first * k)
	a.trans = make([]uint32, n*k)
	for id, s := range order {
		row := trans[int(s)*k : int(s)*k+k]
		dst := a.trans[id*k : id*k+k]
		for c, v := range row {
			dst[c] = uint32(newID[v]) * uint32(k)
		}
	}
	a.outStart = make([]int32, 0, len(matching)+1)
	a.dictLink = make([]int32, 0, len(matching))
	for _, s := range matching {
		a.outStart = append(a.outStart, int32(len(a.outPat)))
		a.outPat = append(a.outPat, own[s]...)
		d := int32(-1)
		if dict[s] >= 0 {
			d = newID[dict[s]] - int32(first)
		}
		a.dictLink = append(a.dictLink, d)
	}
	a.outStart = append(a.outStart, int32(len(a.outPat)))
	return a
}

// report calls fn for the outputs of match state m and of the match states
// on its failure chain, all ending at end.
func (a *dfa) report(m, end int, fn func(pattern, start, end int)) {
	for ; m >= 0; m = int(a.dictLink[m]) {
		for _, p := range a.outPat[a.outStart[m]:a.outStart[m+1]] {
			fn(int(p), end-int(a.patLen[p]), end)
		}
	}
}
