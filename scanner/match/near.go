package match

import (
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
)

// nearCheck is a rule's proximity requirement (policies.Near) with its
// terms normalized. A hit is kept when one of the terms lies whole within
// the Within characters of normalized text before the hit or after it; a
// term inside the hit itself does not count. Within is at most
// policies.MaxWithin characters, so the text read stays inside Reach.
type nearCheck struct {
	terms  []string
	within int
}

// compileNear normalizes a rule's near terms; a term that normalizes to
// nothing (only invisible characters) is a problem of the rule.
func compileNear(r *policies.Rule) (*nearCheck, []policies.Problem) {
	c := &nearCheck{within: r.Near.Within}
	var probs []policies.Problem
	for _, t := range r.Near.Terms {
		nt := Normalize(t).Text
		if nt == "" {
			probs = append(probs, r.Problem("near term %q is empty after normalization", t))
			continue
		}
		c.terms = append(c.terms, nt)
	}
	return c, probs
}

// keep reports whether a supporting term is near the hit [s, e) of text.
func (c *nearCheck) keep(text string, s, e int) bool {
	before := text[runesBefore(text, s, c.within):s]
	after := text[e:runesAfter(text, e, c.within)]
	for _, t := range c.terms {
		if strings.Contains(before, t) || strings.Contains(after, t) {
			return true
		}
	}
	return false
}

// runesBefore returns the offset n characters before i (or 0).
func runesBefore(text string, i, n int) int {
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(text[:i])
		i -= size
	}
	return i
}

// runesAfter returns the offset n characters after i (or len(text)).
func runesAfter(text string, i, n int) int {
	for ; n > 0 && i < len(text); n-- {
		_, size := utf8.DecodeRuneInString(text[i:])
		i += size
	}
	return i
}
