package match

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The identifier detectors find personal identifiers in normalized text
// (digits are ASCII, letters lower-case) and keep only those that pass
// their standard's checks, so that false alarms stay rare:
//
//   - id-card: the 18-character resident identity number of GB 11643 (a
//     province code in use, a real birth date not in the future, the ISO
//     7064 MOD 11-2 check character, x for 10), and the old 15-digit form
//     (province code and a real date of the 1900s);
//   - bank-card: 16 to 19 digits with a card issuer's prefix (UnionPay 62
//     and 60, Visa 4, Mastercard 51-55 and 2221-2720, JCB 3528-3589, the
//     old domestic 9558/9559) passing the Luhn check;
//   - mobile: 11 digits with a mainland mobile prefix (13x, 145-149, 15x
//     but 154, 162/165/166/167, 170-178, 18x, 19x but 194), optionally
//     after +86;
//   - uscc: the 18-character unified social credit code of GB 32100 with
//     its modulo-31 check character.
//
// A number counts only as a whole: digits inside a longer run of digits or
// letters, or joined to them by a hyphen, a dot or a slash, are part of
// something else. Groups separated by single spaces or hyphens count when
// they follow the usual layout (138 1234 5678, 6222-0212-3456-7890,
// 110105 19491231 002x). A number right after an order, invoice or serial
// number label (订单号, 发票, 编号 …) is not a finding. Everything is
// decided from the number and a few characters around it, far inside
// Reach.

// idKind is an identifier detector.
type idKind int

const (
	kindIDCard idKind = iota
	kindBankCard
	kindMobile
	kindUSCC
	numKinds
)

// idKinds maps detector names to kinds.
var idKinds = map[string]idKind{
	"id-card":   kindIDCard,
	"bank-card": kindBankCard,
	"mobile":    kindMobile,
	"uscc":      kindUSCC,
}

// piiKeep is how many characters at each end of an identifier a masked
// context shows, per detector: 110105********002x. Detectors not listed
// (uscc: public information) are shown as they are.
var piiKeep = map[string][2]int{
	"id-card":   {6, 4},
	"bank-card": {4, 4},
	"mobile":    {3, 4},
}

// MaskPII hides the middle of a personal identifier found by detector
// (110105********002X, 138****5678), leaving separators and the ends that
// help a person tell numbers apart. s is the document's own text, so its
// digits may be full-width: each hidden character becomes a mask of its
// own byte length (* or ＊), so that byte offsets into the text around s
// stay right. ok is false when detector does not find personal
// identifiers; s is then returned as it is.
func MaskPII(detector, s string) (masked string, ok bool) {
	keep, ok := piiKeep[detector]
	if !ok {
		return s, false
	}
	alnum := func(r rune) bool { return unicode.IsDigit(r) || unicode.IsLetter(r) }
	n := 0
	for _, r := range s {
		n += b2i(alnum(r))
	}
	if detector == "mobile" {
		keep[0] = n - 8 // after +86 too: 138****5678
	}
	var b strings.Builder
	k := 0
	for _, r := range s {
		if !alnum(r) {
			b.WriteRune(r)
			continue
		}
		switch size := utf8.RuneLen(r); {
		case k < keep[0] || k >= n-keep[1]:
			b.WriteRune(r)
		case size == len("＊"):
			b.WriteString("＊")
		default:
			b.WriteString(strings.Repeat("*", size))
		}
		k++
	}
	return b.String(), true
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// findIDs calls fn for every identifier of the kinds in want found in the
// normalized text, with its kind and byte span.
func findIDs(text string, want [numKinds]bool, fn func(k idKind, start, end int)) {
	if want[kindUSCC] {
		findUSCC(text, func(s, e int) { fn(kindUSCC, s, e) })
	}
	if !want[kindIDCard] && !want[kindBankCard] && !want[kindMobile] {
		return
	}
	for i := 0; i < len(text); {
		for i < len(text) && !numberStart[text[i]] {
			i++ // the loop most of the text takes
		}
		if i == len(text) {
			return
		}
		if text[i] == '+' && !strings.HasPrefix(text[i+1:], "86") {
			i++
			continue
		}
		end := numberEnd(text, i)
		if !joined(text, i, end) {
			numbers(text, pieces(text, i, end), want, fn)
		}
		i = end
	}
}

// numberStart marks the bytes a number may start with.
var numberStart = [256]bool{'+': true, '0': true, '1': true, '2': true, '3': true, '4': true, '5': true, '6': true, '7': true, '8': true, '9': true}

// numberEnd returns the end of the run of digits starting at i (after an
// optional +): digits with single spaces or hyphens between them, and an x
// right after the last digit.
func numberEnd(text string, i int) int {
	if text[i] == '+' {
		i++
	}
	for i < len(text) {
		switch {
		case isDigit(text[i]):
			i++
		case (text[i] == ' ' || text[i] == '-') && i+1 < len(text) && isDigit(text[i+1]) && i > 0 && isDigit(text[i-1]):
			i++
		case text[i] == 'x' && isDigit(text[i-1]) && (i+1 == len(text) || !isAlnum(text[i+1])):
			return i + 1
		default:
			return i
		}
	}
	return i
}

// joined reports whether the run [s, e) is part of a longer code: a letter,
// digit or underscore right next to it, or a hyphen, dot or slash between
// it and one (NO.13812345678, 13812345678-02, 3.1415926535897932).
func joined(text string, s, e int) bool {
	if s > 0 {
		c := text[s-1]
		if isWordByte(c) || (s > 1 && (c == '-' || c == '.' || c == '/') && isWordByte(text[s-2])) {
			return true
		}
	}
	if e < len(text) {
		c := text[e]
		if isWordByte(c) || (e+1 < len(text) && (c == '-' || c == '.' || c == '/') && isWordByte(text[e+1])) {
			return true
		}
	}
	return false
}

// piece is a part of a run between single spaces: digits, perhaps joined
// by hyphens into groups.
type piece struct {
	start, end int
	digits     string // without hyphens and the leading +
	groups     []int  // lengths of the hyphen-separated groups
	plus       bool   // starts with +
}

func pieces(text string, s, e int) []piece {
	var out []piece
	for _, f := range strings.Split(text[s:e], " ") {
		p := piece{start: s, end: s + len(f), plus: strings.HasPrefix(f, "+")}
		for _, g := range strings.Split(strings.TrimPrefix(f, "+"), "-") {
			p.digits += g
			p.groups = append(p.groups, len(g))
		}
		out = append(out, p)
		s = p.end + 1
	}
	return out
}

// layouts are the groupings in which each kind is written, beside all its
// digits in one run.
var layouts = [numKinds][][]int{
	kindIDCard:   {{6, 8, 4}},
	kindBankCard: {{4, 4, 4, 4}, {4, 4, 4, 4, 1}, {4, 4, 4, 4, 2}, {4, 4, 4, 4, 3}, {6, 13}},
	kindMobile:   {{3, 4, 4}},
}

// numbers finds the identifiers in the pieces of one run: a layout spread
// over pieces separated by spaces, or a piece alone.
func numbers(text string, ps []piece, want [numKinds]bool, fn func(k idKind, start, end int)) {
	for i := 0; i < len(ps); {
		if n, k, ok := spread(text, ps[i:], want); ok {
			fn(k, ps[i].start, ps[i+n-1].end)
			i += n
			continue
		}
		p := ps[i]
		// +86 before the number: alone, joined by a hyphen, or not at all.
		if p.plus && p.digits == "86" && i+1 < len(ps) && !ps[i+1].plus {
			if n, k, ok := spread(text, ps[i+1:], [numKinds]bool{kindMobile: want[kindMobile]}); ok {
				fn(k, p.start, ps[i+n].end)
				i += n + 1
				continue
			}
			if q := ps[i+1]; want[kindMobile] && whole(q, kindMobile) && valid(kindMobile, q.digits) && !labelled(text, p.start) {
				fn(kindMobile, p.start, q.end)
				i += 2
				continue
			}
		}
		if k, ok := alone(text, p, want); ok {
			fn(k, p.start, p.end)
		}
		i++
	}
}

// spread matches a layout whose groups are the first pieces of ps, each a
// plain run of digits; n is how many pieces it takes.
func spread(text string, ps []piece, want [numKinds]bool) (n int, k idKind, ok bool) {
	for k := range numKinds {
		if !want[k] {
			continue
		}
		for _, l := range layouts[k] {
			if len(l) > len(ps) {
				continue
			}
			d := ""
			for j, g := range l {
				p := ps[j]
				if p.plus || len(p.groups) != 1 || len(p.digits) != g {
					d = ""
					break
				}
				d += p.digits
			}
			if d != "" && valid(k, d) && !labelled(text, ps[0].start) {
				return len(l), k, true
			}
		}
	}
	return 0, 0, false
}

// alone matches one piece: all its digits in one run, or hyphen groups
// following a layout; a leading +86 only before a mobile number.
func alone(text string, p piece, want [numKinds]bool) (idKind, bool) {
	if p.plus {
		if !want[kindMobile] || !strings.HasPrefix(p.digits, "86") {
			return 0, false
		}
		q := piece{digits: p.digits[2:], groups: append([]int{}, p.groups...)}
		if q.groups[0] -= 2; q.groups[0] == 0 {
			q.groups = q.groups[1:]
		}
		ok := whole(q, kindMobile) && valid(kindMobile, q.digits) && !labelled(text, p.start)
		return kindMobile, ok
	}
	for k := range numKinds {
		if want[k] && whole(p, k) && valid(k, p.digits) && !labelled(text, p.start) {
			return k, true
		}
	}
	return 0, false
}

// whole reports whether a piece is written as kind k is: one run of
// digits, or hyphen groups in one of k's layouts.
func whole(p piece, k idKind) bool {
	if len(p.groups) == 1 {
		return true
	}
	for _, l := range layouts[k] {
		if equalInts(l, p.groups) {
			return true
		}
	}
	return false
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// valid checks the digits of a candidate of kind k.
func valid(k idKind, d string) bool {
	switch k {
	case kindIDCard:
		return validIDCard(d)
	case kindBankCard:
		return validBankCard(d)
	case kindMobile:
		return validMobile(d)
	}
	return false
}

// provinces are the first two digits of GB/T 2260 region codes in use, and
// 81-83 (residence permits of Hong Kong, Macao and Taiwan residents).
var provinces = map[string]bool{
	"11": true, "12": true, "13": true, "14": true, "15": true,
	"21": true, "22": true, "23": true,
	"31": true, "32": true, "33": true, "34": true, "35": true, "36": true, "37": true,
	"41": true, "42": true, "43": true, "44": true, "45": true, "46": true,
	"50": true, "51": true, "52": true, "53": true, "54": true,
	"61": true, "62": true, "63": true, "64": true, "65": true,
	"71": true, "81": true, "82": true, "83": true,
}

// idWeights are the GB 11643 (ISO 7064 MOD 11-2) weights of the first 17
// digits; idCheck maps the weighted sum modulo 11 to the check character.
var idWeights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const idCheck = "10x98765432"

// validIDCard checks an 18- or 15-character resident identity number.
func validIDCard(d string) bool {
	switch {
	case len(d) == 18 && allDigits(d[:17]):
		if !provinces[d[:2]] || d[2:4] == "00" || !realDate(d[6:14]) {
			return false
		}
		sum := 0
		for i, w := range idWeights {
			sum += int(d[i]-'0') * w
		}
		return d[17] == idCheck[sum%11]
	case len(d) == 15 && allDigits(d):
		return provinces[d[:2]] && d[2:4] != "00" && realDate("19"+d[6:12])
	}
	return false
}

// realDate reports whether yyyymmdd is a date from 1900 to today.
func realDate(s string) bool {
	t, err := time.Parse("20060102", s)
	return err == nil && t.Year() >= 1900 && !t.After(time.Now())
}

// validBankCard checks a card number's length, issuer prefix and Luhn digit.
func validBankCard(d string) bool {
	if len(d) < 16 || len(d) > 19 || !allDigits(d) || !cardIssuer(d) {
		return false
	}
	return luhn(d)
}

func cardIssuer(d string) bool {
	p2, p4 := atoi(d[:2]), atoi(d[:4])
	switch {
	case p2 == 62 || p2 == 60 || d[0] == '4':
		return true
	case p2 >= 51 && p2 <= 55, p4 >= 2221 && p4 <= 2720, p4 >= 3528 && p4 <= 3589:
		return true
	}
	return p4 == 9558 || p4 == 9559
}

// luhn reports whether d passes the Luhn (ISO/IEC 7812-1) check.
func luhn(d string) bool {
	sum := 0
	for i := range len(d) {
		n := int(d[len(d)-1-i] - '0')
		if i%2 == 1 {
			if n *= 2; n > 9 {
				n -= 9
			}
		}
		sum += n
	}
	return sum%10 == 0
}

// validMobile checks an 11-digit mainland mobile number's prefix.
func validMobile(d string) bool {
	if len(d) != 11 || !allDigits(d) || d[0] != '1' {
		return false
	}
	switch d[1] {
	case '3', '8':
		return true
	case '4':
		return d[2] >= '5'
	case '5':
		return d[2] != '4'
	case '6':
		return strings.IndexByte("2567", d[2]) >= 0
	case '7':
		return d[2] <= '8'
	case '9':
		return d[2] != '4'
	}
	return false
}

// orderLabels name numbers that may look like identifiers but are not;
// idLabels name identifiers, and win over them (身份证编号).
var (
	orderLabels = []string{"订单", "单号", "发票", "编号", "流水", "交易号", "合同号", "批号", "序列号", "条码", "凭证号"}
	idLabels    = []string{"身份", "证件", "手机", "电话", "卡号", "账号", "帐号", "联系"}
)

// labelled reports whether the few characters before s name an order,
// invoice or serial number, and no identifier.
func labelled(text string, s int) bool {
	before := text[:s]
	for n := 0; n < 8 && before != ""; n++ {
		_, size := utf8.DecodeLastRuneInString(before)
		before = before[:len(before)-size]
	}
	near := text[len(before):s]
	for _, l := range idLabels {
		if strings.Contains(near, l) {
			return false
		}
	}
	for _, l := range orderLabels {
		if strings.Contains(near, l) {
			return true
		}
	}
	return false
}

// usccChars are the characters of a unified social credit code, in the
// order of their values (GB 32100: no I, O, S, V, Z).
const usccChars = "0123456789abcdefghjklmnpqrtuwxy"

var usccWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// findUSCC finds unified social credit codes: runs of exactly 18 letters
// and digits, with a registration authority (1-9, a-g, y), a category
// digit, a region of digits and the check character.
func findUSCC(text string, fn func(s, e int)) {
	for i := 0; i < len(text); {
		if !isAlnum(text[i]) {
			i++
			continue
		}
		j := i
		for j < len(text) && isWordByte(text[j]) {
			j++
		}
		if j-i == 18 && validUSCC(text[i:j]) && !joined(text, i, j) && !labelled(text, i) {
			fn(i, j)
		}
		i = j
	}
}

func validUSCC(c string) bool {
	if strings.IndexByte("123456789abcdefgy", c[0]) < 0 || !isDigit(c[1]) || !allDigits(c[2:8]) {
		return false
	}
	sum := 0
	for i, w := range usccWeights {
		v := strings.IndexByte(usccChars, c[i])
		if v < 0 {
			return false
		}
		sum += v * w
	}
	return c[17] == usccChars[(31-sum%31)%31]
}

func isDigit(c byte) bool    { return c >= '0' && c <= '9' }
func isAlnum(c byte) bool    { return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') }
func isWordByte(c byte) bool { return isAlnum(c) || c == '_' }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

func atoi(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
