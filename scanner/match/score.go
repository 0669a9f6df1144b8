package match

import (
	"regexp"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
)

// Context scoring: the severity of a candidate hit is read from the text
// around it, as a 保密 officer reads it and as Microsoft Purview weighs
// supporting evidence. What lowers it:
//
//   - a title in 《》 (《秘密花园》, 《绝密档案》) or a dictionary gloss
//     (secret n.秘密): not a finding, or low for a high rule (《内部参考》
//     may still be the restricted bulletin);
//   - a quotation or an example (如“机密★1年”, 示例：, 标注为“…”, …字样), or a
//     list of levels (绝密、机密、秘密三级; a table of example markings):
//     at most low, a mention of a marking and not one.
//
// What raises it: supporting evidence of an official document nearby (密级,
// 保密期限, 份号, a document number 〔2023〕5号, 印发, 抄送 …) makes a low hit
// medium, so a bare 秘密 in prose (他说出了一个秘密) stays low while the same
// word beside a 份号 does not. Nothing is raised to high: a release blocker
// is a marking or a label, never an inference.
//
// Every cue is read from at most scoreReach characters on either side of the
// hit, well within Reach.

// starPeriod is a star and a short period, as in a list of example
// markings (绝密★30年、机密★20年).
const starPeriod = `(?:\s*[★☆*][^、,，\s]{0,6}?(?:年|月|期|前|后))`

// scoreReach bounds, in characters, how far the scoring reads on each side
// of a hit.
const scoreReach = 64

var (
	// exampleBefore ends the text before a hit (or its opening quote) that
	// introduces an example.
	// 标注为 and the like need the quotation marks: 附件一标注为机密★3年
	// says that the attachment is classified.
	exampleBefore = regexp.MustCompile(`(?:例如|比如|譬如|诸如|示例|举例|样例|范例|如)\s*[:：]?\s*[“"‘'「『]?\s*$`)
	// exampleAfter starts the text after a hit that calls it an example.
	exampleAfter = regexp.MustCompile(`^\s*[”"’'」』]?\s*(?:等?字样|之类|这样的|等标志|等标识)`)
	// levelBefore and levelAfter find another level next to the hit: a
	// list of levels (绝密、机密、秘密) or of example markings.
	// A level right next to the hit counts only in a list (a separator
	// between) or as another marking: a heading 秘密★1年 followed by the
	// title 秘密载体管理规定 is not a list.
	levelBefore = regexp.MustCompile(`(?:绝密|机密|秘密)级?(?:` + starPeriod + `\s*[、,，和及或与/]?|\s*[、,，和及或与/])\s*$`)
	levelAfter  = regexp.MustCompile(`^级?` + starPeriod + `?\s*(?:[、,，和及或与/]\s*(?:绝密|机密|秘密)|(?:绝密|机密|秘密)级?` + starPeriod + `)`)
	// gloss ends the text before a dictionary gloss: an English headword
	// and its part of speech.
	gloss = regexp.MustCompile(`[a-z]+\s+(?:n|v|vt|vi|adj|adv|a)\.\s*(?:[0-9]+\.)?\s*$`)
	// evidence is what marks an official document.
	evidence = regexp.MustCompile(`密级|保密期限|份号|文号|印发|抄送|主送|签发|[〔\[(]\s*(?:19|20)[0-9]{2}\s*[〕\])]\s*[0-9]+\s*号`)
	// hasLevel finds a level word in a hit.
	hasLevel = regexp.MustCompile(`绝密|机密|秘密`)
)

// quotes pairs opening and closing quotation marks (after normalization).
var quotes = map[rune]rune{'“': '”', '"': '"', '‘': '’', '\'': '\'', '「': '」', '『': '』'}

// score returns the severity of the hit text[start:end], found at sev,
// once its context is read; 0 drops it.
func score(text string, start, end int, sev policies.Severity) policies.Severity {
	before := tailRunes(text[:start], scoreReach)
	after := headRunes(text[end:], scoreReach)
	switch {
	case gloss.MatchString(before) || enclosed(before, after, '《', '》'):
		// A high hit stays a low finding: a marking behind "x n." or in
		// 《》 is more likely an evasion than a gloss or a title.
		if sev < policies.High {
			return 0
		}
		return policies.Low
	case quoted(before, after) || exampleBefore.MatchString(before) || exampleAfter.MatchString(after):
		return policies.Low
	case hasLevel.MatchString(text[start:end]) && (levelBefore.MatchString(before) || levelAfter.MatchString(after)):
		return policies.Low
	case sev == policies.Low && (evidence.MatchString(before) || evidence.MatchString(after)):
		return policies.Medium
	}
	return sev
}

// quoted reports whether the hit between before and after is inside a pair
// of quotation marks.
func quoted(before, after string) bool {
	for open, close := range quotes {
		if enclosed(before, after, open, close) {
			return true
		}
	}
	return false
}

// enclosed reports whether open comes before the hit, close after it, and
// neither is interrupted by the end of a sentence or another pair, within
// quoteRunes characters.
func enclosed(before, after string, open, close rune) bool {
	const quoteRunes = 24
	found := false
	for k, i := 0, len(before); i > 0 && k < quoteRunes; k++ {
		r, size := utf8.DecodeLastRuneInString(before[:i])
		if r == open {
			found = true
			break
		}
		if r == close || r == '。' || r == '《' || r == '》' {
			return false
		}
		i -= size
	}
	if !found {
		return false
	}
	for k, i := 0, 0; i < len(after) && k < quoteRunes; k++ {
		r, size := utf8.DecodeRuneInString(after[i:])
		if r == close {
			return true
		}
		if r == open || r == '。' || r == '《' || r == '》' {
			return false
		}
		i += size
	}
	return false
}

// tailRunes returns the last k characters of s.
func tailRunes(s string, k int) string {
	i := len(s)
	for ; k > 0 && i > 0; k-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

// headRunes returns the first k characters of s.
func headRunes(s string, k int) string {
	i := 0
	for ; k > 0 && i < len(s); k-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}
