package match

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The marking detector finds classification markings (密级标志, GB/T
// 9704-2012 7.2.3 and the 保密法 marking forms) in normalized text, in the
// forms a 保密 officer reads as one:
//
//   - a level, a star (★ or any look-alike) and a secrecy period or
//     declassification condition, the star perhaps in brackets:
//     机密★5年, 绝密（★启用前）, 秘密★1.5年, 机密★2027-03-01前;
//   - a level and a star alone, standing on a line (or table cell) of its
//     own: 机密★ (a PDF may lose the period to another text run);
//   - a level in 【】: 【机密】;
//   - a 密级 field naming a level: 密级：秘密, 密级为机密, 密级标识：机密★1年,
//     密级：内部.
//
// These are strong. Weak forms only suggest a marking and are reported one
// severity lower: a star before the level (★机密); an English label in
// capitals alone on its line (CONFIDENTIAL, TOP SECRET, INTERNAL USE ONLY);
// a document property naming a level (SecurityLevel: SECRET, the
// MSIP_Label_…_Name of a Microsoft sensitivity label, a WPS 密级 property).
//
// Normalization has already folded traditional characters and full-width
// forms, removed spaces between Chinese characters and joiners inside words
// (机·密); spaces around Latin letters and most stars remain, so the
// patterns allow them. Everything is decided from at most a few hundred
// bytes around the marking, well within Reach.

// stars are the characters a clerk's font or an evader puts for ★.
const stars = `★☆*✱✭⋆▲△●○◆◇■□⭐⭑⭒✩✪✫✬✮✯✰✳✴✵✶✷✸✹✺✦✧∗⁎٭﹡✽✾✿❀❁❂❃❄❅❆❇❈❉❊❋`

// count is a secrecy period or a declassification date after the star: a
// number of years, months or days in any numerals (5年, 伍年, 1.5年, 十五年),
// 长期, or a date (2027年3月1日, 2027-03-01, 2027/3/1) perhaps followed by 前
// or 解密.
const count = `(?:` +
	`[0-9]{1,3}(?:\.[0-9]{1,2})?\s*(?:年|个月|月|日|天)|` +
	`[零〇一二三四五六七八九十两壹贰叁肆伍陆柒捌玖拾百半]{1,4}\s*(?:年|个月|月|日|天)|` +
	`长期|永久|` +
	`[0-9]{4}\s*(?:年|[-/.])(?:\s*[0-9]{1,2}\s*(?:月|[-/.])?(?:\s*[0-9]{1,2}\s*日?)?)?\s*(?:前|以前|之前|止)?(?:解密)?|` +
	`解密)`

// condition is a declassification condition in words, ending in 前, 后 or
// 止: 启用前, 会议结束后解密.
const condition = `[^\s` + stars + `，。,.;；:：()（）【】\[\]“”"]{1,12}?(?:前|后|止)(?:解密)?`

// level is a classification level word.
const level = `(?:绝密|机密|秘密)`

// starMarking matches at a level: the level, an opening bracket, stars
// (group 1 is empty, after them), then perhaps a count (group 2) or a
// condition (group 3) and a closing bracket.
var starMarking = regexp.MustCompile(`^` + level + `\s*[(\[【]?\s*[` + stars + `]+()` +
	`(?:\s*(?:(` + count + `)|(` + condition + `))\s*[)\]】]?)?`)

// fieldMarking matches at 密级: a 密级 (or 密级别, as in 保密级别) field
// naming a level, perhaps with the star and period after it.
var fieldMarking = regexp.MustCompile(`^密\s*级\s*别?\s*(?:(?:为|是|标识|标志|标注|标记|[:=])\s*){0,2}(?:` + level + `|内部)` +
	`(?:\s*[(\[【]?\s*[` + stars + `]+\s*(?:(?:` + count + `|` + condition + `)\s*[)\]】]?)?)?`)

// propertyKey matches, at the end of the text before a value, the name of
// a document property that holds a classification: "securitylevel: ",
// "msip_label_…_name: ", "文档密级: ", "secretlevel = ". WPS and other
// Chinese office suites name such properties with 密级.
var propertyKey = regexp.MustCompile(`(?:secre(?:t|cy)[ _-]?level|security[ _-]?(?:level|class)|classification|sensitivity|msip_label_[0-9a-f_-]+_name|[^\s:=]*密级)\s*[:=]\s*["']?$`)

// marking is one marking found in normalized text.
type marking struct {
	start, end int
	// lvl and lvlEnd bound the level word when it stands as a word of the
	// text (not inside brackets or a field): the word check and the rule's
	// exclusions apply to it, so 商业秘密* and 保守国家秘密★ are not
	// markings. Equal when there is none.
	lvl, lvlEnd int
	// weak says the form only suggests a marking (see above).
	weak bool
}

// levelFirst reports whether c is the first character of a level word.
func levelFirst(c string) bool { return c == "绝" || c == "机" || c == "秘" }

// findMarkings reports the markings in n.Text, without overlaps (not
// necessarily in order); orig is the text n was made from (line breaks are read there,
// since normalization drops them between Chinese characters). In text read
// by OCR (ocr) it also reports the tolerant forms of ocrmarking.go that do
// not overlap a strict marking.
func findMarkings(orig string, n *Normalized, ocr bool, fn func(marking)) {
	if ocr {
		var strict []marking
		findMarkings(orig, n, false, func(m marking) {
			strict = append(strict, m)
			fn(m)
		})
		findOCRMarkings(orig, n, func(m marking) {
			for _, s := range strict {
				if m.start < s.end && s.start < m.end {
					return
				}
			}
			fn(m)
		})
		return
	}
	text := n.Text
	next := 0 // end of the last marking: markings do not overlap
	emit := func(m marking) {
		if m.start >= next {
			fn(m)
			next = m.end
		}
	}
	const mi = "密"
	for from := 0; ; {
		k := strings.Index(text[from:], mi)
		if k < 0 {
			break
		}
		p := from + k
		from = p + len(mi)
		if s := p - len("机"); s >= next && s >= 0 && levelFirst(text[s:p]) {
			if m, ok := levelMarking(orig, n, s); ok {
				emit(m)
				continue
			}
		}
		if p >= next {
			if m := fieldMarking.FindStringIndex(text[p:]); m != nil {
				emit(marking{start: p, end: p + m[1]})
			}
		}
	}
	findLatin(orig, n, fn)
}

// levelMarking tries the forms that start at (or around) the level word at
// text[s:].
func levelMarking(orig string, n *Normalized, s int) (marking, bool) {
	text := n.Text
	e := s + len("机密")
	lv := marking{lvl: s, lvlEnd: e}
	if m := starMarking.FindStringSubmatchIndex(text[s:]); m != nil {
		starEnd := s + m[2]
		// A condition read across a line break is the next line's text:
		// 机密★, then a title ending in 前. A count may be split over lines
		// (PDF runs).
		if m[4] >= 0 || m[6] >= 0 && !lineBreakIn(orig, n, starEnd-1, s+m[1]) {
			lv.start, lv.end = s, s+m[1]
			return lv, true
		}
		if lineStart(orig, n, s) && lineEnd(orig, n, starEnd) {
			lv.start, lv.end = s, starEnd
			return lv, true
		}
	}
	before := text[:s]
	if strings.HasSuffix(before, "【") {
		rest := strings.TrimLeft(text[e:], " "+stars)
		if strings.HasPrefix(rest, "】") {
			return marking{start: s - len("【"), end: len(text) - len(rest) + len("】")}, true
		}
	}
	if r, size := utf8.DecodeLastRuneInString(before); strings.ContainsRune(stars, r) && r != '*' {
		lv.start, lv.end, lv.weak = s-size, e, true
		return lv, true
	}
	if propertyKey.MatchString(tail(before, 96)) {
		lv.start, lv.end, lv.weak = s, e, true
		return lv, true
	}
	return marking{}, false
}

// latinLabels are the English classification labels, lower-cased as in
// normalized text; a longer label sharing a word is listed first.
var latinLabels = []string{"internal use only", "confidential", "secret"}

// findLatin reports English labels and classification properties: a label
// in capitals alone on its line (CONFIDENTIAL, TOP SECRET//NOFORN), or any
// label as the value of a classification property.
func findLatin(orig string, n *Normalized, emit func(marking)) {
	text := n.Text
	for _, w := range latinLabels {
		for from := 0; ; {
			k := strings.Index(text[from:], w)
			if k < 0 {
				break
			}
			s, e := from+k, from+k+len(w)
			from = e
			for _, q := range []string{"top ", "highly ", "strictly ", "top", "highly", "strictly"} {
				if strings.HasSuffix(text[:s], q) {
					s -= len(q)
					break
				}
			}
			if latinWord(text, s-1, true) || latinWord(text, e, false) {
				continue
			}
			switch {
			case propertyKey.MatchString(tail(text[:s], 96)):
			case capitals(orig, n, s, e) && lineStart(orig, n, s) &&
				(lineEnd(orig, n, e) || strings.HasPrefix(text[e:], "//")):
			default:
				continue
			}
			emit(marking{start: s, end: e, weak: true})
		}
	}
}

// latinWord reports whether text has a letter or digit at byte i, the
// character just before a label (before) or just after it.
func latinWord(text string, i int, before bool) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	var r rune
	if before {
		r, _ = utf8.DecodeLastRuneInString(text[:i+1])
	} else {
		r, _ = utf8.DecodeRuneInString(text[i:])
	}
	return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// capitals reports whether the original text of n.Text[s:e] is written in
// capitals (normalization lower-cased it).
func capitals(orig string, n *Normalized, s, e int) bool {
	os, oe := n.Span(s, e)
	return strings.ToUpper(orig[os:oe]) == orig[os:oe]
}

// tail returns about the last k bytes of s, cut at a character boundary.
func tail(s string, k int) string {
	if len(s) <= k {
		return s
	}
	i := len(s) - k
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return s[i:]
}

// lineEdge reports a line or table-cell edge: the end of the text, a line
// break or a tab.
func lineEdge(r rune) bool {
	return r == '\n' || r == '\r' || r == '\t' || r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029'
}

// blank reports characters skipped when looking for a line edge: spaces and
// what normalization drops.
func blank(r rune) bool { return r == ' ' || r == '\u3000' || ignorable(r) }

// edgeLook bounds how far lineStart and lineEnd look past blanks.
const edgeLook = 64

// lineStart reports whether nothing but blanks lies in the original text
// between the start of a line (or table cell) and n.Text[i].
func lineStart(orig string, n *Normalized, i int) bool {
	os, _ := n.Span(i, i)
	for k := 0; os > 0 && k < edgeLook; k++ {
		r, size := utf8.DecodeLastRuneInString(orig[:os])
		if lineEdge(r) {
			return true
		}
		if !blank(r) {
			return false
		}
		os -= size
	}
	return os == 0
}

// lineEnd reports whether nothing but blanks lies in the original text
// between the character that ends at n.Text[i] and the end of its line.
func lineEnd(orig string, n *Normalized, i int) bool {
	_, oe := n.Span(i-1, i)
	for k := 0; oe < len(orig) && k < edgeLook; k++ {
		r, size := utf8.DecodeRuneInString(orig[oe:])
		if lineEdge(r) {
			return true
		}
		if !blank(r) {
			return false
		}
		oe += size
	}
	return oe == len(orig)
}

// lineBreakIn reports whether the original text of n.Text[s:e] holds a
// line break.
func lineBreakIn(orig string, n *Normalized, s, e int) bool {
	if s >= e {
		return false
	}
	os, oe := n.Span(s, e)
	return strings.ContainsAny(orig[os:oe], "\n\r\v\f\u2028\u2029")
}
