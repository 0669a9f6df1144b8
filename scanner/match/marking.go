package match

import (
	"regexp"
	"strings"
)

// markingPattern describes classification markings (密级标志, GB/T 9704-2012
// 7.2.3 and the 保密法 marking forms) in normalized text: a level, ★ and a
// secrecy period or declassification condition, or a 密级 field naming a
// level. Normalization has already folded traditional characters and
// full-width forms and removed spaces between Chinese characters; spaces
// around ★ and digits are left, so the pattern allows them. A level followed
// by ★ alone is a marking too: a PDF may lose the period to a separate text
// run.
const markingPattern = `(?:绝密|机密|秘密)\s*[★☆*✱✭⋆]\s*(?:` +
	`[0-9]{1,3}\s*(?:年|个月|月)|` +
	`[一二三四五六七八九十两]{1,3}\s*(?:年|个月)|` +
	`长期|` +
	`[0-9]{4}\s*年(?:\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?)?\s*(?:前|以前)?(?:解密)?|` +
	`[^\s★☆*，。,.;；:：]{1,8}?(?:前|后)(?:解密)?|` +
	`解密` +
	`)?` +
	`|密\s*级\s*[:]?\s*(?:绝密|机密|秘密)(?:\s*[★☆*✱✭⋆]\s*(?:[0-9]{1,3}\s*(?:年|个月)|长期))?`

// markingAt matches a marking that begins where the text does. An
// unanchored search runs the regexp engine over every byte of the text and
// was the matcher's largest cost; every marking starts either at 密 (密级)
// or one character before it (绝密, 机密, 秘密), so findMarkings tries
// only those places.
var markingAt = regexp.MustCompile(`^(?:` + markingPattern + `)`)

// findMarkings reports the byte spans of markings in normalized text: the
// non-overlapping, leftmost-first matches that an unanchored search for
// markingPattern would find.
func findMarkings(text string, fn func(start, end int)) {
	const mi = "密"
	next := 0 // end of the last marking: matches do not overlap
	for from := 0; ; {
		k := strings.Index(text[from:], mi)
		if k < 0 {
			return
		}
		p := from + k
		from = p + len(mi)
		for _, s := range [2]int{p - len("机"), p} {
			if s < next || (s < p && !levelFirst(text[s:p])) {
				continue
			}
			if m := markingAt.FindStringIndex(text[s:]); m != nil {
				fn(s, s+m[1])
				next = s + m[1]
				break
			}
		}
	}
}

// levelFirst reports whether c is the first character of a level word.
func levelFirst(c string) bool { return c == "绝" || c == "机" || c == "秘" }
