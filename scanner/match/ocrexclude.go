package match

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Exclusions read by OCR. An exclusion clears a hit inside a longer phrase
// (国家秘密 inside 保守国家秘密), but OCR misreads a character now and then,
// and one misread character of the phrase (你守国家秘密, 员守国家秘密) would
// undo the clearance: a false alarm the true text does not give. In text
// from pictures an exclusion therefore also covers a hit where the text
// differs from the phrase in one character outside the hit, on these
// conditions:
//
//   - the hit's own characters match: the hit is what was found, and the
//     phrase is only its surroundings;
//   - the phrase has two characters or more outside the hit, so that one of
//     its own characters at least is read as it is (机密性 has one: with it
//     misread, 机密 followed by any character would pass for the phrase);
//   - the character read in place of the phrase's is a letter (a Han
//     character, most often) or a digit: punctuation or a space means the
//     phrase ended there;
//   - the phrase stands unbroken on one line: OCR puts a line break where
//     the picture has one, and a marking heading its line is not excused by
//     the end of the line above it (…企业 / 秘密★1年).
//
// A deleted or added character is not accepted: only a substitution keeps
// the characters of the phrase where they belong.
//
// The word check gets no such tolerance: the words it rejects a hit with
// have one character outside the hit (危机|密布 around 机密), and with that
// one misread (危机密丰) some dictionary word starts with 密 whatever
// follows, so 他有机密要告诉你 would lose its 机密 (有机, 密码).

// minOCRExclusionOutside is how many characters of an exclusion must lie
// outside the hit for the tolerance to apply (see above).
const minOCRExclusionOutside = 2

// ocrExcluded reports whether an exclusion of the rule, in xs (normalized),
// covers the hit n.Text[start:end] of the text orig, read by OCR, with one
// character outside the hit misread (see above).
func ocrExcluded(xs []string, orig string, n *Normalized, start, end int) bool {
	hit := n.Text[start:end]
	for _, x := range xs {
		// Each place the hit has in the phrase (秘密 twice in 秘密的秘密).
		for k := 0; ; k++ {
			i := strings.Index(x[k:], hit)
			if i < 0 {
				break
			}
			k += i
			s, e, ok := ocrPhraseAt(n.Text, start, end, x[:k], x[k+len(hit):])
			if ok && !brokenIn(orig, n, s, e) {
				return true
			}
		}
	}
	return false
}

// ocrPhraseAt reports whether before and after, the parts of an exclusion
// around the hit text[start:end], stand around it in text with at most one
// character read differently, and returns the span of the phrase.
func ocrPhraseAt(text string, start, end int, before, after string) (s, e int, ok bool) {
	nb, na := utf8.RuneCountInString(before), utf8.RuneCountInString(after)
	if nb+na < minOCRExclusionOutside {
		return 0, 0, false
	}
	tb, ta := tailRunes(text[:start], nb), headRunes(text[end:], na)
	if utf8.RuneCountInString(tb) != nb || utf8.RuneCountInString(ta) != na {
		return 0, 0, false
	}
	diff := 0
	for _, pair := range [2][2]string{{tb, before}, {ta, after}} {
		read, want := pair[0], pair[1]
		for _, w := range want {
			r, size := utf8.DecodeRuneInString(read)
			read = read[size:]
			if r == w {
				continue
			}
			if diff++; diff > 1 || !unicode.IsLetter(r) && !unicode.IsNumber(r) {
				return 0, 0, false
			}
		}
	}
	return start - len(tb), end + len(ta), true
}

// brokenIn reports whether the original text of n.Text[s:e] holds a line
// edge, a space or a character normalization dropped.
func brokenIn(orig string, n *Normalized, s, e int) bool {
	os, oe := n.Span(s, e)
	return strings.IndexFunc(orig[os:oe], func(r rune) bool { return lineEdge(r) || blank(r) }) >= 0
}
