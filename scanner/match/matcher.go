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

// Compile builds a Matcher for p. The word-segmentation dictionary is not
// loaded here but on the first hit that needs it.
func Compile(p *policies.Policy) (*Matcher, error) {
	m := &Matcher{policy: p, rank: make(map[*policies.Rule]int, len(p.Rules))}
	index := map[string]int{}
	var patterns, words []string
	var probs policies.Errors
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
			words = append(words, Normalize(x).Text)
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
func (m *Matcher) Match(text string) ([]Hit, error) {
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
		findMarkings(text, norm, func(k marking) {
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
	if len(cands) == 0 {
		return nil, nil
	}
	kept := cands[:0]
	for _, c := range cands {
		ws, we, check := c.word()
		if excluded(c.rule, ws, we, excl) || (c.rule.Near != nil && !m.near[c.rule].keep(nt, c.start, c.end)) {
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
	hits := make([]Hit, len(kept))
	for i, c := range kept {
		s, e := norm.Span(c.start, c.end)
		hits[i] = Hit{Rule: c.rule, Start: s, End: e, Severity: c.sev}
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
