package match

// Automaton finds every occurrence of a fixed set of literal patterns in
// one pass over a text (Aho-Corasick). It is immutable once built and safe
// for concurrent use.
//
// It is a byte-level DFA: every failure transition is resolved at build
// time, so scanning costs one table load per text byte whatever the
// number of patterns. Rows are indexed by byte class (bytes no pattern
// uses share one class), which keeps a row at about 70 entries for
// Chinese patterns instead of 256, and state ids are premultiplied by the
// row width so a step is a single load and add. States that end a pattern
// are numbered last, so the scan tests for a match with one comparison.
type Automaton struct {
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

// NewAutomaton builds an automaton for patterns. Find reports a pattern by
// its index in this slice; empty patterns never match.
func NewAutomaton(patterns []string) *Automaton {
	a := &Automaton{patLen: make([]int32, len(patterns))}
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

// Find calls fn for every occurrence of every pattern in text, overlapping
// ones included, with the pattern's index and the occurrence's byte span.
// Occurrences come in order of their end offset, longer ones first for the
// same end.
func (a *Automaton) Find(text string, fn func(pattern, start, end int)) {
	trans, classes, first := a.trans, &a.classes, a.firstMatch
	s := uint32(0)
	for i := 0; i < len(text); i++ {
		s = trans[s+uint32(classes[text[i]])]
		if s >= first {
			a.report(int((s-first)/a.stride), i+1, fn)
		}
	}
}

// report calls fn for the outputs of match state m and of the match states
// on its failure chain, all ending at end.
func (a *Automaton) report(m, end int, fn func(pattern, start, end int)) {
	for ; m >= 0; m = int(a.dictLink[m]) {
		for _, p := range a.outPat[a.outStart[m]:a.outStart[m+1]] {
			fn(int(p), end-int(a.patLen[p]), end)
		}
	}
}
