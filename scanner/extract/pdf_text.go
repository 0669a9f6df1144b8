package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// shortLine is the length in runes up to which a line without letters is a
// fragment: the library breaks lines at every text object and every change
// of font, so 机密★5年 comes out as "机密★", "5", "年".
const shortLine = 3

// cleanPDFText turns what Page.GetPlainText returns into text for matching:
// valid UTF-8, control characters (raw glyph codes of fonts without a
// Unicode mapping) shown as U+FFFD, blank lines dropped (the library adds
// one per text object, they carry no layout), and lines rejoined where the
// library broke them inside Chinese text:
//   - between two wide (CJK) characters, the break is removed;
//   - around a fragment (at most shortLine runes, no letters: a lone digit
//     or ★ in another font), the break is removed when the character on
//     either side of it is wide.
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

// unmappedGlyphs reports whether a page's text looks like glyph codes rather
// than characters: U+FFFD (no mapping, invalid bytes, control codes) or
// private-use code points make up at least a twentieth of it (a name or a
// marking is a few characters among many). A marking drawn
// in such a font cannot be matched, so the page needs a person's eyes.
func unmappedGlyphs(text string) bool {
	bad, total := 0, 0
	for _, r := range text {
		if unicode.IsSpace(r) {
			continue
		}
		total++
		if r == unicode.ReplacementChar || r >= 0xE000 && r <= 0xF8FF {
			bad++
		}
	}
	return bad >= 2 && bad*20 >= total
}
