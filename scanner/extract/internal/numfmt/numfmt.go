// Package numfmt reads the text a spreadsheet's number format writes into
// the cells it formats, as Excel and WPS Spreadsheets format codes hold it
// (ECMA-376 Part 1, 18.8.31; the same codes in BIFF FORMAT records): a
// format "机密★5年 "0.00 shows the marking in every cell of its style,
// though no cell holds it.
package numfmt

import (
	"strings"
	"unicode/utf8"
)

// Text returns the literal text of a number format code: its quoted
// strings, the characters it escapes with a backslash, and the characters
// beyond ASCII it holds outside quotes (年, 月 of a date format), which
// Excel shows as they are. Codes (0.00, yyyy, [Red], _) and ASCII
// characters outside quotes are not text.
func Text(code string) string {
	var b strings.Builder
	for i := 0; i < len(code); {
		switch c := code[i]; {
		case c == '"':
			j := strings.IndexByte(code[i+1:], '"')
			if j < 0 {
				j = len(code) - i - 1
			}
			b.WriteString(code[i+1 : i+1+j])
			i += j + 2
		case c == '\\' && i+1 < len(code):
			i += 1 + char(&b, code[i+1:])
		case c >= utf8.RuneSelf:
			i += char(&b, code[i:])
		default:
			i++
		}
	}
	return strings.TrimSpace(b.String())
}

// char writes the character s starts with to b, unless it is not UTF-8,
// and returns its length.
func char(b *strings.Builder, s string) int {
	r, n := utf8.DecodeRuneInString(s)
	if r != utf8.RuneError || n > 1 {
		b.WriteString(s[:n])
	}
	return n
}
