package pdf

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shortLine is the length in runes up to which a line without letters is a
// fragment: a lone page number, or a digit or ★ set apart from its line.
const shortLine = 3

// cleanPDFText turns the text of a page (lines rebuilt by layoutText, or
// annotation text) into text for matching: valid UTF-8, control characters
// shown as U+FFFD, blank lines dropped, and lines rejoined where a line
// break falls inside Chinese text (CJK line wrap):
//   - between two wide (CJK) characters, the break is removed;
//   - around a fragment (at most shortLine runes, no letters), the break is
//     removed when the character on either side of it is wide.
//
// Other line breaks stay: Latin text keeps its lines.
func cleanPDFText(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n'
		}
		if r != '\n' && r != '\t' && unicode.IsControl(r) {
			return unicode.ReplacementChar
		}
		return r
	}, s)
	var b strings.Builder
	prev := ""         // the previous non-blank line, trimmed on the right
	prevShort := false // whether that line was a fragment
	for line := range strings.SplitSeq(s, "\n") {
		line = strings.TrimRight(line, " \t")
		if strings.TrimSpace(line) == "" {
			continue
		}
		short := isFragment(strings.TrimSpace(line))
		if prev != "" {
			la, _ := utf8.DecodeLastRuneInString(prev)
			fb, _ := utf8.DecodeRuneInString(strings.TrimLeft(line, " \t"))
			wa, wb := isWide(la), isWide(fb)
			if wa && wb || (short || prevShort) && (wa || wb) {
				line = strings.TrimLeft(line, " \t")
			} else {
				b.WriteByte('\n')
			}
		}
		b.WriteString(line)
		prev, prevShort = line, short
	}
	return b.String()
}

// isFragment reports whether a line is a few digits or symbols, split off
// its neighbours by a change of font.
func isFragment(line string) bool {
	return utf8.RuneCountInString(line) <= shortLine && strings.IndexFunc(line, unicode.IsLetter) < 0
}

// isWide reports whether r belongs to CJK text: ideographs, kana, hangul,
// CJK and full-width punctuation, and the stars of classification marks.
func isWide(r rune) bool {
	switch {
	case unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo):
		return true
	case r >= 0x3000 && r <= 0x303F, // CJK symbols and punctuation
		r >= 0xFF00 && r <= 0xFFEF, // full-width forms
		r == '★' || r == '☆',
		r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—' || r == '·':
		return true
	}
	return false
}
