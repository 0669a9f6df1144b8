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

func compileNear(n *policies.Near) *nearCheck {
	c := &nearCheck{within: n.Within}
	for _, t := range n.Terms {
		if nt := Normalize(t).Text; nt != "" {
			c.terms = append(c.terms, nt)
		}
	}
	return c
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
