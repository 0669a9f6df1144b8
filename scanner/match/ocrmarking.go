package match

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Markings read by OCR. Tesseract reads a scanned 机密★5年 well except for
// the star, which no Chinese model knows: it reads a Han character that
// looks like it (机密女5年; also 妇, 友, 广, 太, 妈, 畜, 廊, 码 …), a letter or
// nothing, may read the 1 of 1年 as ] and 长期 as 长其, and now and then the
// 密 of the level as 蜜, 黎 or 窗. Brackets suffer too: 【机密】 comes out as
// 【机密], [机密] or I机密】, and the condition in 绝密（★启用前） as Latin
// letters (绝密(ka FAB)). In text from pictures the detector therefore
// also accepts:
//
//   - a level (or a look-alike: 机蜜, 机窗), then any one character or none
//     in place of the star (not 级 or 件, which make words with it), then a
//     period (5年, ]年 for 1年) or a declassification condition that says
//     one (…用前, …结束后, 公布前 …);
//   - a level between a bracket and a closing one that OCR made of 【】;
//   - a 密级 field naming a look-alike level (密级:机窗);
//   - weak (one severity lower, as only the level was read): a level and a
//     bracket closed at the end of its line (绝密(ka FAB)).
//
// Only where a marking stands on a page: heading its line, perhaps after a
// serial number or a short field (000123 机密女5年, 份号：000045 绝密女司用前),
// or anywhere in the first lines of the picture's text, the top of the page.
// Heading its line, a level with a stand-in for the star and a count, a
// level in OCR's 【】 or a 密级 field is a marking whatever follows; the
// other forms (no stand-in, a condition, a level and a closing bracket),
// and any form after other text in the top lines, must end at a space or
// the end of its line, since prose goes on after a phrase (秘密三年了,
// 机密文件送达后，…). No line break may fall inside a
// tolerant marking. Strict markings are found as in any text and win where
// the two overlap.
//
// A tolerant marking is a marking: same rule, same severity, the same word
// check and exclusions on its level (机密性5年 is not one) and the same
// context scoring (quoted, it is a mention). The character in place of the
// star is not weighed: what OCR makes of a star varies with the font and the
// scan, and the place and the period already tell a marking from prose.

// ocrTopLines and ocrTopBytes bound the top of a picture's text, where a
// tolerant marking may stand anywhere in its line. ocrTopBytes is far below
// Reach, so a caller matching a long text in windows finds the same
// markings: the top of a later window lies in its overlap with the one
// before, whose hits it does not keep.
const (
	ocrTopLines = 5
	ocrTopBytes = 2048
)

// ocrLevel is a level word as OCR reads it.
const ocrLevel = `(?:绝|机|秘)(?:密|蜜|黎|窗)`

// ocrOpen matches what may stand between a level and the star: spaces, an
// opening bracket (绝密（★启用前）).
var ocrOpen = regexp.MustCompile(`^ *[(\[【]? *`)

// ocrStandIn matches the one character OCR put in place of the star and
// the spaces after it: not a space or sentence punctuation, nor 级 or 件,
// which make a word with the level (a table of periods per level, 秘密级
// 10年, is not a marking).
var ocrStandIn = regexp.MustCompile(`^[^\s,.;:!?，。、；：！？级件] *`)

// ocrCount matches a secrecy period, in which OCR may have read a 1 as ],
// | or l (or 长期 as 长其), perhaps closed by a bracket.
var ocrCount = regexp.MustCompile(`^(?:[0-9\]|li]{1,3} *(?:年|个月|月|日|天)|长其|` + count + `)(?: *[)\]】])?`)

// ocrConditionRun matches the characters a condition in words is made of
// (see condition), as far as it may reach.
var ocrConditionRun = regexp.MustCompile(`^[^\s` + stars + `，。,.;；:：()（）【】\[\]“”"]{2,14}`)

// ocrClose matches a bracket closing a period.
var ocrClose = regexp.MustCompile(`^ *[)\]】]`)

// ocrBracketMarking matches at a level what OCR made of its closing 】
// (group 1): ], ), j, or two of them (j】).
var ocrBracketMarking = regexp.MustCompile(`^` + ocrLevel + ` *([\]】)〕|j]{1,2})`)

// ocrPrefixBytes bounds the text before a marking on its line.
const ocrPrefixBytes = 128

// ocrLinePrefix matches what may precede a marking on its line: a serial
// number, a field such as 份号：000045 or 编号 12, stray marks.
var ocrLinePrefix = regexp.MustCompile(`^\s*(?:(?:份|编|序)\s*号)?[^\p{Han}]{0,24}$`)

// ocrParens matches at a level a bracketed condition OCR could not read,
// to the end of its line: 绝密(ka FAB), 绝密OKA) for 绝密（★启用前）.
var ocrParens = regexp.MustCompile(`^` + ocrLevel + ` *[(o0]?[^\n()]{1,14}\)`)

// ocrField matches the end of a 密级 field before a level OCR misread
// (密级:机窗).
var ocrField = regexp.MustCompile(`密\s*级\s*[:=]\s*$`)

// ocrLevels matches the level words findOCRMarkings starts from.
var ocrLevels = regexp.MustCompile(ocrLevel)

// findOCRMarkings reports the tolerant markings in n.Text, in order and
// without overlaps; orig is the text n was made from.
func findOCRMarkings(orig string, n *Normalized, fn func(marking)) {
	text := n.Text
	next := 0
	for _, lv := range ocrLevels.FindAllStringIndex(text, -1) {
		s, e := lv[0], lv[1]
		if s < next {
			continue
		}
		var m marking
		firm := true
		if end, f := ocrPeriod(orig, n, e+len(ocrOpen.FindString(text[e:]))); end >= 0 {
			m, firm = marking{start: s, end: end}, f
			// As in a strict marking, the level is checked as a word of
			// the text, unless OCR misread it.
			if text[s+len("机"):e] == "密" {
				m.lvl, m.lvlEnd = s, e
			}
		} else if start, end := ocrBracketAt(text, s); start >= 0 {
			m = marking{start: start, end: end}
		} else if x := ocrParens.FindString(text[s:]); x != "" {
			// Weak: only the level was read.
			m, firm = marking{start: s, end: s + len(x), weak: true}, false
		} else if k := ocrField.FindStringIndex(tail(text[:s], 32)); k != nil {
			m = marking{start: s - len(tail(text[:s], 32)) + k[0], end: e}
		} else {
			continue
		}
		if m.start < next || lineBreakIn(orig, n, m.start, m.end) {
			continue
		}
		// Firm forms heading their line are markings whatever follows;
		// the others, and any form elsewhere in the top lines, must end at
		// a space or the end of the line (see above).
		head, top := ocrPlace(orig, n, m.start)
		if head && firm || (head || top) && ocrEnd(orig, n, m.end) {
			fn(m)
			next = m.end
		}
	}
}

// ocrPeriod returns the end of the period or condition that follows a
// level at n.Text[i:], perhaps after one character in place of the star,
// or -1; firm when that character is there and a count follows it, a
// shape prose hardly has.
func ocrPeriod(orig string, n *Normalized, i int) (end int, firm bool) {
	text := n.Text
	if x := ocrCount.FindString(text[i:]); x != "" {
		return i + len(x), false
	}
	if e := ocrCondition(orig, n, i); e >= 0 {
		return e, false
	}
	if c := ocrStandIn.FindString(text[i:]); c != "" {
		if x := ocrCount.FindString(text[i+len(c):]); x != "" {
			return i + len(c) + len(x), true
		}
	}
	return -1, false
}

// ocrConditionCue is what a declassification condition says, in the words
// OCR keeps of it: 启用前 comes out as 司用前, 局用前, 届用前 …, 考试结束后
// as 芳试结束后.
var ocrConditionCue = regexp.MustCompile(`用前|结束|公布|发布|开考|考试|印发|揭晓`)

// ocrCondition returns the end of a declassification condition at
// n.Text[i:] (the character in place of the star may lead it: 女启用前),
// or -1: its shortest run of characters ending in 前, 后 or 止 (perhaps
// then 解密 and a closing bracket) that says what a condition says and
// ends at a space or the end of its line, since prose goes on after a
// phrase (机密文件送达后，…).
func ocrCondition(orig string, n *Normalized, i int) int {
	run := ocrConditionRun.FindString(n.Text[i:])
	for k, r := range run {
		if k == 0 || r != '前' && r != '后' && r != '止' || !ocrConditionCue.MatchString(run[:k+utf8.RuneLen(r)]) {
			continue
		}
		e := i + k + utf8.RuneLen(r)
		if strings.HasPrefix(n.Text[e:], "解密") {
			e += len("解密")
		}
		e += len(ocrClose.FindString(n.Text[e:]))
		if ocrEnd(orig, n, e) {
			return e
		}
	}
	return -1
}

// ocrBracketAt returns the span of a bracketed level whose level starts at
// text[s:], or -1: the opening bracket is the character before it, and
// one side at least must be a bracket of 【】 or both square ones ([机密]),
// since a parenthesis or a letter alone is too common around a word.
func ocrBracketAt(text string, s int) (start, end int) {
	r, size := utf8.DecodeLastRuneInString(text[:s])
	open := ""
	if s > 0 && strings.ContainsRune("【[(〔|il", r) {
		open = text[s-size : s]
	}
	x := ocrBracketMarking.FindStringSubmatchIndex(text[s:])
	if x == nil {
		return -1, -1
	}
	close := text[s+x[2] : s+x[3]]
	if !strings.Contains(open+close, "【") && !strings.Contains(open+close, "】") &&
		!(open == "[" && close == "]") {
		return -1, -1
	}
	return s - len(open), s + x[1]
}

// ocrPlace reports whether a marking starting at n.Text[i] heads its line,
// after at most a serial number or a short field, and whether it lies in
// the top lines of the picture's text.
func ocrPlace(orig string, n *Normalized, i int) (head, top bool) {
	os, _ := n.Span(i, i)
	top = os < ocrTopBytes && lineEdges(orig[:os]) < ocrTopLines
	for ls := os; os-ls <= ocrPrefixBytes; {
		r, size := utf8.DecodeLastRuneInString(orig[:ls])
		if ls == 0 || lineEdge(r) {
			return ocrLinePrefix.MatchString(orig[ls:os]), top
		}
		ls -= size
	}
	return false, top
}

// lineEdges counts the line edges in s.
func lineEdges(s string) int {
	k := 0
	for _, r := range s {
		if lineEdge(r) {
			k++
		}
	}
	return k
}

// ocrEnd reports whether the original text after the character that ends at
// n.Text[i] is a space, a line edge or the end of the text.
func ocrEnd(orig string, n *Normalized, i int) bool {
	_, oe := n.Span(i-1, i)
	r, _ := utf8.DecodeRuneInString(orig[oe:])
	return oe == len(orig) || lineEdge(r) || blank(r)
}
