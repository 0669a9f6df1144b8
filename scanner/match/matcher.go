// Package match finds what policies describe in extracted text. It
// normalizes the text (keeping a map back to the original), runs one
// Aho-Corasick automaton for every literal term of every rule, the rules'
// regexes and the built-in detectors, then checks each candidate hit against
// word segmentation, exclusions and overlapping hits.
package match

import (
	"regexp"
	"sort"

	"github.com/baomi/baomi/policies"
)

// Hit is one finding in a text: the rule, the byte span of the original
// (not normalized) text that matched, and the severity the finding has once
// its context is read (see score.go): the rule's, lowered, or raised from
// low to medium.
type Hit struct {
	Rule       *policies.Rule
	Start, End int
	Severity   policies.Severity
	// Passage is set on the hits of a fingerprint rule: a passage shared
	// with a registered document, which only counts once the whole file's
	// passages are added up.
	Passage *Passage
}

// Matcher matches text against a compiled policy. It is safe for concurrent use.
type Matcher struct {
	policy  *policies.Policy
	ac      *Automaton
	pats    [][]patRef // per automaton pattern, the rules that use it
	regexes []ruleRegex
	marking []*policies.Rule           // rules using the marking detector
	ids     [numKinds][]*policies.Rule // rules using an identifier detector
	idWant  [numKinds]bool
	near    map[*policies.Rule]*nearCheck
	known   map[string][]KnownFile // file-hash entries by knownKey
	words   *WordChecker
	rank    map[*policies.Rule]int // position in the policy, to break ties
	hashed  []hashedSet            // hashed terms, by key
	// fingerprints are the fingerprint rules and their indexes.
	fingerprints []fpRule
	// excludes are the rules' exclusions, normalized, for the tolerance
	// of text read by OCR (ocrexclude.go).
	excludes map[*policies.Rule][]string
}

// patRef ties an automaton pattern to a rule, as a term or as an exclusion.
type patRef struct {
	rule    *policies.Rule
	exclude bool
}

type ruleRegex struct {
	rule *policies.Rule
	re   *regexp.Regexp
}

// Compile builds a Matcher for p, loading the indexes of its fingerprint
// rules. The word-segmentation dictionary is not loaded here but on the
// first hit that needs it. The Policy the Matcher returns is p with a Hash
// that also covers the indexes' contents.
func Compile(p *policies.Policy) (*Matcher, error) {
	m := &Matcher{rank: make(map[*policies.Rule]int, len(p.Rules)), excludes: map[*policies.Rule][]string{}}
	hash, probs := m.loadIndexes(p)
	cp := *p
	cp.Hash = hash
	m.policy = &cp
	index := map[string]int{}
	var patterns, words []string
	add := func(r *policies.Rule, s string, exclude bool) {
		n := Normalize(s).Text
		if n == "" {
			probs = append(probs, r.Problem("%q is empty after normalization", s))
			return
		}
		i, ok := index[n]
		if !ok {
			i = len(patterns)
			index[n] = i
			patterns = append(patterns, n)
			m.pats = append(m.pats, nil)
		}
		m.pats[i] = append(m.pats[i], patRef{rule: r, exclude: exclude})
	}
	for i, r := range p.Rules {
		m.rank[r] = i
		for _, t := range r.Terms {
			add(r, t, false)
			words = append(words, Normalize(t).Text)
		}
		for _, x := range r.Exclude {
			add(r, x, true)
			n := Normalize(x).Text
			words = append(words, n)
			m.excludes[r] = append(m.excludes[r], n)
		}
		for _, x := range r.Regexes {
			// Policies validated the regexes; compile cannot fail here.
			// Normalized text is lower-cased, so an upper-case letter in the
			// pattern would never match without (?i).
			m.regexes = append(m.regexes, ruleRegex{rule: r, re: regexp.MustCompile("(?i)" + x)})
		}
		if r.Detector == "marking" {
			m.marking = append(m.marking, r)
		}
		if k, ok := idKinds[r.Detector]; ok {
			m.ids[k] = append(m.ids[k], r)
			m.idWant[k] = true
		}
		if r.Detector == "file-hash" {
			m.addKnownFiles(r)
		}
		if r.Near != nil {
			if m.near == nil {
				m.near = map[*policies.Rule]*nearCheck{}
			}
			nc, bad := compileNear(r)
			m.near[r] = nc
			probs = append(probs, bad...)
		}
		if len(r.Hashed) > 0 {
			m.addHashed(r)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	m.ac = NewAutomaton(patterns)
	m.words = NewWordChecker(words)
	return m, nil
}

// Policy returns the policy m was compiled from.
func (m *Matcher) Policy() *policies.Policy { return m.policy }

// span is a candidate hit in normalized text.
type span struct {
	rule       *policies.Rule
	start, end int
	term       bool // from a literal term: subject to the word check
	// lvl and lvlEnd bound the level word of a marking, which the word
	// check and the rule's exclusions read instead of the whole span.
	lvl, lvlEnd int
	// sev is the hit's severity before scoring; 0 means the rule's.
	sev policies.Severity
	// scored says the context scoring applies (score.go): to words and
	// markings, not to patterns such as identifiers.
	scored bool
}

// word returns the part of c that the word check and exclusions read, and
// whether the word check applies.
func (c span) word() (start, end int, check bool) {
	if c.lvl < c.lvlEnd {
		return c.lvl, c.lvlEnd, c.rule.WordCheck
	}
	return c.start, c.end, c.term && c.rule.WordCheck
}

// Reach is how much text, in bytes, around a position Match looks at to
// decide a hit there: a hit and the text its checks read (normalization of
// its neighbours, the word check's window, a detector's context) lie within
// Reach bytes of its start. A caller matching a long text in windows
// overlaps them by Reach on each side of where it cuts, and every hit then
// comes out exactly as in one pass, unless the hit itself spans more than
// Reach bytes of the original text (its characters spread by over 64 KiB of
// spaces or invisible characters). Detectors added later must stay within
// it.
const Reach = 64 << 10

// Match returns the hits in text, ordered by position. An error means the
// text could not be checked (the segmentation dictionary failed to load); the
// caller must not call the text clean.
func (m *Matcher) Match(text string) ([]Hit, error) { return m.match(text, false) }

// MatchPicture is Match for text read from a picture by OCR, its lines
// joined by line breaks from the top of the picture down: the marking
// detector also accepts what OCR makes of a marking's star and brackets
// where a marking stands on a page (see ocrmarking.go).
func (m *Matcher) MatchPicture(text string) ([]Hit, error) { return m.match(text, true) }

// match is Match, or MatchPicture when ocr.
func (m *Matcher) match(text string, ocr bool) ([]Hit, error) {
	norm := Normalize(text)
	nt := norm.Text
	var cands, excl []span
	m.ac.Find(nt, func(p, s, e int) {
		for _, ref := range m.pats[p] {
			sp := span{rule: ref.rule, start: s, end: e, term: !ref.exclude, scored: true}
			if ref.exclude {
				excl = append(excl, sp)
			} else {
				cands = append(cands, sp)
			}
		}
	})
	for _, rr := range m.regexes {
		for _, x := range rr.re.FindAllStringIndex(nt, -1) {
			cands = append(cands, span{rule: rr.rule, start: x[0], end: x[1]})
		}
	}
	if len(m.marking) > 0 {
		findMarkings(text, norm, ocr, func(k marking) {
			for _, r := range m.marking {
				sev := r.Severity
				if k.weak {
					sev = max(sev-1, policies.Low)
				}
				cands = append(cands, span{rule: r, start: k.start, end: k.end, lvl: k.lvl, lvlEnd: k.lvlEnd, sev: sev, scored: true})
			}
		})
	}
	findIDs(nt, m.idWant, func(k idKind, s, e int) {
		for _, r := range m.ids[k] {
			cands = append(cands, span{rule: r, start: s, end: e})
		}
	})
	for i := range m.hashed {
		// Not subject to the word check: the segmentation dictionary
		// cannot hold terms the policy does not reveal.
		m.hashed[i].find(nt, func(rules []*policies.Rule, s, e int) {
			for _, r := range rules {
				cands = append(cands, span{rule: r, start: s, end: e})
			}
		})
	}
	var fps []fpSpan
	if len(m.fingerprints) > 0 {
		fps = m.passages(nt)
	}
	if len(cands) == 0 && len(fps) == 0 {
		return nil, nil
	}
	kept := cands[:0]
	for _, c := range cands {
		ws, we, check := c.word()
		if excluded(c.rule, ws, we, excl) || (c.rule.Near != nil && !m.near[c.rule].keep(nt, c.start, c.end)) {
			continue
		}
		if ocr && ocrExcluded(m.excludes[c.rule], text, norm, ws, we) {
			continue
		}
		if check {
			ok, err := m.words.Keep(nt, ws, we)
			if err != nil {
				return nil, err
			}
			if !ok {
				continue
			}
		}
		if c.sev == 0 {
			c.sev = c.rule.Severity
		}
		if c.scored {
			if c.sev = score(nt, c.start, c.end, c.sev); c.sev == 0 {
				continue
			}
		}
		kept = append(kept, c)
	}
	kept = dropCovered(kept, m.rank)
	// Passages neither cover other hits nor are covered by them: they are
	// merged in by position.
	hits := make([]Hit, 0, len(kept)+len(fps))
	for len(kept) > 0 || len(fps) > 0 {
		var h Hit
		if len(fps) == 0 || len(kept) > 0 && kept[0].start <= fps[0].start {
			h = Hit{Rule: kept[0].rule, Severity: kept[0].sev}
			h.Start, h.End = norm.Span(kept[0].start, kept[0].end)
			kept = kept[1:]
		} else {
			h = Hit{Rule: fps[0].rule, Severity: fps[0].rule.Severity, Passage: fps[0].passage}
			h.Start, h.End = norm.Span(fps[0].start, fps[0].end)
			fps = fps[1:]
		}
		hits = append(hits, h)
	}
	return hits, nil
}

// excluded reports whether an exclusion phrase of rule r covers the span
// [start, end).
func excluded(r *policies.Rule, start, end int, excl []span) bool {
	for _, x := range excl {
		if x.rule == r && x.start <= start && end <= x.end {
			return true
		}
	}
	return false
}

// dropCovered removes hits inside another hit at least as severe, by the
// severity scored from context (机密 inside
// the marking 机密★5年, 秘密 inside 工作秘密), and exact duplicates, and sorts
// the rest by position. Of two rules finding the same span with the same
// severity, the one earlier in the policy (lower rank) is kept, so the
// outcome does not depend on the sort.
func dropCovered(c []span, rank map[*policies.Rule]int) []span {
	sort.Slice(c, func(i, j int) bool {
		if c[i].start != c[j].start {
			return c[i].start < c[j].start
		}
		if c[i].end != c[j].end {
			return c[i].end > c[j].end
		}
		if c[i].sev != c[j].sev {
			return c[i].sev > c[j].sev
		}
		return rank[c[i].rule] < rank[c[j].rule]
	})
	out := c[:0]
	for i, h := range c {
		covered := false
		for j, g := range c {
			if i == j || g.start > h.start {
				if g.start > h.start {
					break
				}
				continue
			}
			if g.end >= h.end && g.sev >= h.sev && (g.end-g.start > h.end-h.start || g.sev > h.sev || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, h)
		}
	}
	return out
}

// CheckExamples matches every rule's examples and counterexamples and
// returns a problem for each example the rule misses and each counterexample
// it finds at its own severity: a counterexample may be a mention that the
// context scoring reports lower (a quoted example of a marking).
func (m *Matcher) CheckExamples() error {
	var probs policies.Errors
	for _, r := range m.policy.Rules {
		check := func(texts []string, want bool) {
			for _, t := range texts {
				hits, err := m.Match(t)
				if err != nil {
					probs = append(probs, r.Problem("cannot check examples: %v", err))
					return
				}
				found, full := false, false
				for _, h := range hits {
					found = found || h.Rule == r
					full = full || h.Rule == r && h.Severity >= r.Severity
				}
				switch {
				case want && !found:
					probs = append(probs, r.Problem("does not find its example %q", t))
				case !want && full:
					probs = append(probs, r.Problem("finds its counterexample %q", t))
				}
			}
		}
		check(r.Examples, true)
		check(r.Counterexamples, false)
	}
	if len(probs) > 0 {
		return probs
	}
	return nil
}
