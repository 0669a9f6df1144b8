package match

import (
	"regexp"
	"strings"
)

// markingRE finds classification markings (密级标志, GB/T 9704-2012 7.2.3 and
// the 保密法 marking forms) in normalized text: a level, ★ and a secrecy
// period or declassification condition, or a 密级 field naming a level.
// Normalization has already folded traditional characters and full-width
// forms and removed spaces between Chinese characters; spaces around ★ and
// digits are left, so the pattern allows them. A level followed by ★ alone is
// a marking too: a PDF may lose the period to a separate text run.
var markingRE = regexp.MustCompile(
	`(?:绝密|机密|秘密)\s*[★☆*✱✭⋆]\s*(?:` +
		`[0-9]{1,3}\s*(?:年|个月|月)|` +
		`[一二三四五六七八九十两]{1,3}\s*(?:年|个月)|` +
		`长期|` +
		`[0-9]{4}\s*年(?:\s*[0-9]{1,2}\s*月(?:\s*[0-9]{1,2}\s*日)?)?\s*(?:前|以前)?(?:解密)?|` +
		`[^\s★☆*，。,.;；:：]{1,8}?(?:前|后)(?:解密)?|` +
		`解密` +
		`)?` +
		`|密\s*级\s*[:]?\s*(?:绝密|机密|秘密)(?:\s*[★☆*✱✭⋆]\s*(?:[0-9]{1,3}\s*(?:年|个月)|长期))?`)

// findMarkings reports the byte spans of markings in normalized text.
func findMarkings(text string, fn func(start, end int)) {
	// Every marking has 密 in it (绝密, 机密, 秘密, 密级): most text has none,
	// and the regular expression is the matcher's largest cost.
	if !strings.Contains(text, "密") {
		return
	}
	for _, m := range markingRE.FindAllStringIndex(text, -1) {
		fn(m[0], m[1])
	}
}
