package pdf

import (
	"slices"
	"sort"
	"strconv"
	"unicode"
	"unicode/utf16"
)

// cmap is a parsed CMap stream: a ToUnicode CMap (codes to text) or an
// embedded encoding CMap (codes to CIDs), with the codespace ranges that say
// how many bytes each code takes. Lookups are a map for single codes and a
// binary search over sorted ranges, built once per CMap object: the library
// scans its whole map for every glyph.
type cmap struct {
	spaces   []codespace
	chars    map[uint32]string // bfchar
	ranges   []textRange       // bfrange, sorted by lo
	cidChars map[uint32]uint32 // cidchar
	cids     []cidRange        // cidrange, sorted by lo
	wmode    int               // 1: vertical writing
	useCMap  string            // name given to usecmap, "" if none
}

// codespace is one codespace range: codes of n bytes whose every byte lies
// between the bytes of lo and hi at the same place.
type codespace struct {
	n      int
	lo, hi [4]byte
}

// textRange maps the codes lo..hi to text: base with its last character
// incremented by the offset of the code, or the offset-th string of list.
type textRange struct {
	lo, hi uint32
	base   []rune
	list   []string
}

// cidRange maps the codes lo..hi to the CIDs cid, cid+1, ...
type cidRange struct {
	lo, hi, cid uint32
}

// parseCMap reads a CMap stream's bytes. It never fails: what it cannot
// read it leaves out, and the glyphs it would have mapped count as
// unmapped.
func parseCMap(data []byte) *cmap {
	c := &cmap{chars: map[uint32]string{}, cidChars: map[uint32]uint32{}}
	lx := &cmapLexer{data: data}
	var prev cmapToken // the token before the current one
	for {
		t := lx.next()
		if t.kind == tokEOF {
			break
		}
		if t.kind == tokNum && prev.kind == tokName && prev.text == "WMode" {
			if n, err := strconv.Atoi(t.text); err == nil {
				c.wmode = n
			}
		}
		if t.kind != tokKeyword {
			prev = t
			continue
		}
		switch t.text {
		case "usecmap":
			if prev.kind == tokName {
				c.useCMap = prev.text
			}
		case "begincodespacerange":
			ops := lx.section("endcodespacerange")
			for i := 0; i+1 < len(ops); i += 2 {
				lo, hi := ops[i], ops[i+1]
				if lo.kind != tokHex || hi.kind != tokHex || len(lo.text) != len(hi.text) || len(lo.text) == 0 || len(lo.text) > 4 {
					continue
				}
				cs := codespace{n: len(lo.text)}
				copy(cs.lo[:], lo.text)
				copy(cs.hi[:], hi.text)
				c.spaces = append(c.spaces, cs)
			}
		case "beginbfchar":
			ops := lx.section("endbfchar")
			for i := 0; i+1 < len(ops); i += 2 {
				code, ok := codeOf(ops[i])
				if !ok {
					continue
				}
				switch dst := ops[i+1]; dst.kind {
				case tokHex:
					c.chars[code] = utf16Text(dst.text)
				case tokName:
					c.chars[code] = glyphText(dst.text)
				}
			}
		case "beginbfrange":
			c.bfRanges(lx)
		case "begincidchar":
			ops := lx.section("endcidchar")
			for i := 0; i+1 < len(ops); i += 2 {
				code, ok := codeOf(ops[i])
				cid, err := strconv.ParseUint(ops[i+1].text, 10, 32)
				if ok && err == nil && ops[i+1].kind == tokNum {
					c.cidChars[code] = uint32(cid)
				}
			}
		case "begincidrange":
			ops := lx.section("endcidrange")
			for i := 0; i+2 < len(ops); i += 3 {
				lo, ok1 := codeOf(ops[i])
				hi, ok2 := codeOf(ops[i+1])
				cid, err := strconv.ParseUint(ops[i+2].text, 10, 32)
				if ok1 && ok2 && lo <= hi && err == nil && ops[i+2].kind == tokNum {
					c.cids = append(c.cids, cidRange{lo, hi, uint32(cid)})
				}
			}
		}
		prev = t
	}
	sort.SliceStable(c.ranges, func(i, j int) bool { return c.ranges[i].lo < c.ranges[j].lo })
	sort.SliceStable(c.cids, func(i, j int) bool { return c.cids[i].lo < c.cids[j].lo })
	return c
}

// bfRanges reads the triples of a bfrange section: lo, hi and either the
// text of lo or an array with the text of every code. A range may cross a
// byte boundary (<00FF> <0102>): codes are numbers, and lo..hi is every
// number between, as poppler reads it.
func (c *cmap) bfRanges(lx *cmapLexer) {
	ops := lx.section("endbfrange")
	for i := 0; i+2 < len(ops); {
		lo, ok1 := codeOf(ops[i])
		hi, ok2 := codeOf(ops[i+1])
		dst := ops[i+2]
		i += 3
		var list []string
		if dst.kind == tokOpen {
			for i < len(ops) && ops[i].kind != tokClose {
				if ops[i].kind == tokHex {
					list = append(list, utf16Text(ops[i].text))
				}
				i++
			}
			i++ // the ]
		}
		if !ok1 || !ok2 || lo > hi {
			continue
		}
		switch {
		case dst.kind == tokHex && dst.text != "":
			c.ranges = append(c.ranges, textRange{lo: lo, hi: hi, base: []rune(utf16Text(dst.text))})
		case dst.kind == tokOpen && len(list) > 0:
			c.ranges = append(c.ranges, textRange{lo: lo, hi: min(hi, lo+uint32(len(list))-1), list: list})
		}
	}
}

// codeOf returns the number a hex token of 1 to 4 bytes stands for.
func codeOf(t cmapToken) (uint32, bool) {
	if t.kind != tokHex || len(t.text) == 0 || len(t.text) > 4 {
		return 0, false
	}
	var v uint32
	for i := 0; i < len(t.text); i++ {
		v = v<<8 | uint32(t.text[i])
	}
	return v, true
}

// utf16Text decodes the UTF-16BE bytes of a CMap destination; a single
// byte stands for itself.
func utf16Text(b string) string {
	if len(b) == 1 {
		return string(rune(b[0]))
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		u = append(u, uint16(b[i])<<8|uint16(b[i+1]))
	}
	return string(utf16.Decode(u))
}

// lookup returns the text of code, and whether the CMap has one.
func (c *cmap) lookup(code uint32) (string, bool) {
	if s, ok := c.chars[code]; ok {
		return s, true
	}
	i := sort.Search(len(c.ranges), func(i int) bool { return c.ranges[i].lo > code }) - 1
	if i < 0 || code > c.ranges[i].hi {
		// Some producers write cidrange in a ToUnicode CMap, meaning
		// code points; pdf.js and pdfminer read it so.
		if cid, ok := c.cid(code); ok && cid > 0 && cid <= unicode.MaxRune {
			return string(rune(cid)), true
		}
		return "", false
	}
	r := c.ranges[i]
	off := code - r.lo
	if r.list != nil {
		return r.list[off], true
	}
	if len(r.base) == 0 {
		return "", false
	}
	out := slices.Clone(r.base)
	out[len(out)-1] += rune(off)
	return string(out), true
}

// cid returns the CID of code, and whether the CMap has one.
func (c *cmap) cid(code uint32) (uint32, bool) {
	if v, ok := c.cidChars[code]; ok {
		return v, true
	}
	i := sort.Search(len(c.cids), func(i int) bool { return c.cids[i].lo > code }) - 1
	if i < 0 || code > c.cids[i].hi {
		return 0, false
	}
	return c.cids[i].cid + code - c.cids[i].lo, true
}

// split returns the first code of s and its length in bytes, by the
// codespace ranges; def is the length to use when there are none. A byte
// sequence no range matches takes the length of the shortest range, as
// PDF readers do, and is reported as not ok.
func (c *cmap) split(s string, def int) (code uint32, n int, ok bool) {
	if len(c.spaces) == 0 {
		return fixedCode(s, def), min(def, len(s)), len(s) >= def
	}
	shortest := 4
	for _, cs := range c.spaces {
		shortest = min(shortest, cs.n)
		if cs.n > len(s) {
			continue
		}
		match := true
		for k := 0; k < cs.n; k++ {
			if s[k] < cs.lo[k] || s[k] > cs.hi[k] {
				match = false
				break
			}
		}
		if match {
			return fixedCode(s, cs.n), cs.n, true
		}
	}
	n = min(shortest, len(s))
	return fixedCode(s, n), n, false
}

// fixedCode returns the number made by the first n bytes of s (fewer if s
// is shorter).
func fixedCode(s string, n int) uint32 {
	var v uint32
	for i := 0; i < n && i < len(s); i++ {
		v = v<<8 | uint32(s[i])
	}
	return v
}

// Token kinds of the CMap lexer.
const (
	tokEOF = iota
	tokHex
	tokString
	tokName
	tokNum
	tokKeyword
	tokOpen  // [
	tokClose // ]
	tokDict  // << or >>
)

// cmapToken is one token: for hex strings text holds the decoded bytes.
type cmapToken struct {
	kind int
	text string
}

// cmapLexer splits a CMap into tokens. It is written for CMaps (and for
// finding the inline images of content streams, see inlineImages), not for
// PostScript at large: procedures and comments are skipped, every token is
// bounded by the input, and it always advances.
type cmapLexer struct {
	data []byte
	pos  int
}

// section returns the tokens up to the keyword end (or any keyword that
// starts another section, should end be missing).
func (lx *cmapLexer) section(end string) []cmapToken {
	var ops []cmapToken
	for {
		t := lx.next()
		if t.kind == tokEOF || t.kind == tokKeyword && (t.text == end || t.text == "endcmap" || len(t.text) > 5 && t.text[:5] == "begin") {
			return ops
		}
		ops = append(ops, t)
	}
}

func (lx *cmapLexer) next() cmapToken {
	d := lx.data
	for lx.pos < len(d) {
		c := d[lx.pos]
		switch {
		case isPDFSpace(c):
			lx.pos++
		case c == '%':
			for lx.pos < len(d) && d[lx.pos] != '\n' && d[lx.pos] != '\r' {
				lx.pos++
			}
		case c == '<' && lx.pos+1 < len(d) && d[lx.pos+1] == '<', c == '>' && lx.pos+1 < len(d) && d[lx.pos+1] == '>':
			lx.pos += 2
			return cmapToken{kind: tokDict}
		case c == '<':
			return lx.hex()
		case c == '(':
			return lx.literal()
		case c == '[':
			lx.pos++
			return cmapToken{kind: tokOpen}
		case c == ']':
			lx.pos++
			return cmapToken{kind: tokClose}
		case c == '/':
			lx.pos++
			return cmapToken{kind: tokName, text: lx.word()}
		case c == '{' || c == '}' || c == ')' || c == '>':
			lx.pos++
		default:
			w := lx.word()
			if w == "" {
				lx.pos++
				continue
			}
			if _, err := strconv.ParseFloat(w, 64); err == nil {
				return cmapToken{kind: tokNum, text: w}
			}
			return cmapToken{kind: tokKeyword, text: w}
		}
	}
	return cmapToken{kind: tokEOF}
}

// word reads a run of regular characters.
func (lx *cmapLexer) word() string {
	start := lx.pos
	for lx.pos < len(lx.data) && !isPDFSpace(lx.data[lx.pos]) && !isPDFDelim(lx.data[lx.pos]) {
		lx.pos++
	}
	return string(lx.data[start:lx.pos])
}

// hex reads <...>, ignoring white space; an odd digit count ends in 0.
func (lx *cmapLexer) hex() cmapToken {
	lx.pos++ // <
	var b []byte
	var hi byte
	half := false
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		lx.pos++
		if c == '>' {
			break
		}
		if !isHexDigit(c) {
			continue
		}
		v := unhexDigit(c)
		if half {
			b = append(b, hi<<4|v)
		} else {
			hi = v
		}
		half = !half
	}
	if half {
		b = append(b, hi<<4)
	}
	return cmapToken{kind: tokHex, text: string(b)}
}

// literal reads (...) with nested parentheses and backslash escapes, keeping
// the escaped byte as is (CMaps use literal strings only for names of
// registries and orderings).
func (lx *cmapLexer) literal() cmapToken {
	lx.pos++ // (
	var b []byte
	depth := 1
	for lx.pos < len(lx.data) {
		c := lx.data[lx.pos]
		lx.pos++
		switch c {
		case '\\':
			if lx.pos < len(lx.data) {
				b = append(b, lx.data[lx.pos])
				lx.pos++
			}
			continue
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return cmapToken{kind: tokString, text: string(b)}
			}
		}
		b = append(b, c)
	}
	return cmapToken{kind: tokString, text: string(b)}
}

func unhexDigit(c byte) byte {
	switch {
	case c >= 'a':
		return c - 'a' + 10
	case c >= 'A':
		return c - 'A' + 10
	}
	return c - '0'
}

func isPDFSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == 0
}

func isPDFDelim(c byte) bool {
	switch c {
	case '(', ')', '<', '>', '[', ']', '{', '}', '/', '%':
		return true
	}
	return false
}
