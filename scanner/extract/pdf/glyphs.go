package pdf

import (
	"strconv"
	"strings"

	"golang.org/x/text/unicode/norm"
)

// glyphNames maps the glyph names of the Adobe Glyph List that Latin,
// Chinese and office documents use, other than single letters and the
// accented letters glyphText composes. Fonts that name glyphs otherwise
// (g12, cid123) have no mapping and count as unmapped.
var glyphNames = map[string]string{
	"space": " ", "exclam": "!", "quotedbl": "\"", "numbersign": "#", "dollar": "$",
	"percent": "%", "ampersand": "&", "quotesingle": "'", "quoteright": "’",
	"parenleft": "(", "parenright": ")", "asterisk": "*", "plus": "+", "comma": ",",
	"hyphen": "-", "period": ".", "slash": "/", "zero": "0", "one": "1", "two": "2",
	"three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8",
	"nine": "9", "colon": ":", "semicolon": ";", "less": "<", "equal": "=",
	"greater": ">", "question": "?", "at": "@", "bracketleft": "[", "backslash": "\\",
	"bracketright": "]", "asciicircum": "^", "underscore": "_", "grave": "`",
	"quoteleft": "‘", "braceleft": "{", "bar": "|", "braceright": "}",
	"asciitilde": "~", "exclamdown": "¡", "cent": "¢", "sterling": "£",
	"fraction": "⁄", "yen": "¥", "florin": "ƒ", "section": "§", "currency": "¤",
	"quotedblleft": "“", "guillemotleft": "«", "guilsinglleft": "‹",
	"guilsinglright": "›", "fi": "fi", "fl": "fl", "ff": "ff", "ffi": "ffi", "ffl": "ffl",
	"endash": "–", "emdash": "—", "dagger": "†", "daggerdbl": "‡",
	"periodcentered": "·", "middot": "·", "paragraph": "¶", "bullet": "•",
	"quotesinglbase": "‚", "quotedblbase": "„", "quotedblright": "”",
	"guillemotright": "»", "ellipsis": "…", "perthousand": "‰",
	"questiondown": "¿", "acute": "´", "circumflex": "ˆ", "tilde": "˜",
	"macron": "¯", "breve": "˘", "dotaccent": "˙", "dieresis": "¨", "ring": "˚",
	"cedilla": "¸", "hungarumlaut": "˝", "ogonek": "˛", "caron": "ˇ",
	"AE": "Æ", "ae": "æ", "ordfeminine": "ª", "ordmasculine": "º", "Lslash": "Ł",
	"lslash": "ł", "Oslash": "Ø", "oslash": "ø", "OE": "Œ", "oe": "œ",
	"germandbls": "ß", "dotlessi": "ı", "Eth": "Ð", "eth": "ð", "Thorn": "Þ",
	"thorn": "þ", "trademark": "™", "copyright": "©", "registered": "®",
	"degree": "°", "plusminus": "±", "multiply": "×", "divide": "÷",
	"logicalnot": "¬", "brokenbar": "¦", "mu": "µ", "onehalf": "½",
	"onequarter": "¼", "threequarters": "¾", "onesuperior": "¹",
	"twosuperior": "²", "threesuperior": "³", "minus": "−", "Euro": "€",
	"nbspace": "\u00a0", "nonbreakingspace": "\u00a0", "sfthyphen": "\u00ad",
	"softhyphen": "\u00ad", "star": "★", "blackstar": "★", "whitestar": "☆",
	"circle": "○", "blackcircle": "●", "square": "□", "blacksquare": "■",
	"triangle": "△", "lozenge": "◊", "arrowright": "→", "arrowleft": "←",
	"arrowup": "↑", "arrowdown": "↓", "checkmark": "✓",
}

// accents are the suffixes of accented letter names (eacute), with the
// combining mark each stands for.
var accents = []struct{ name, mark string }{
	{"acute", "\u0301"}, {"grave", "\u0300"}, {"circumflex", "\u0302"},
	{"dieresis", "\u0308"}, {"tilde", "\u0303"}, {"ring", "\u030a"},
	{"cedilla", "\u0327"}, {"caron", "\u030c"}, {"macron", "\u0304"},
	{"breve", "\u0306"}, {"ogonek", "\u0328"}, {"dotaccent", "\u0307"},
	{"hungarumlaut", "\u030b"},
}

// glyphText returns the text a glyph name stands for, "" when unknown:
// the names above, single letters, accented letters, uniXXXX[XXXX...],
// uXXXX[XX], ligatures joined by '_' and names with a suffix (a.sc).
func glyphText(name string) string {
	if i := strings.IndexByte(name, '.'); i > 0 {
		name = name[:i]
	}
	if strings.Contains(name, "_") {
		var b strings.Builder
		for part := range strings.SplitSeq(name, "_") {
			t := glyphText(part)
			if t == "" {
				return ""
			}
			b.WriteString(t)
		}
		return b.String()
	}
	if t, ok := glyphNames[name]; ok {
		return t
	}
	if len(name) == 1 && (name[0] >= 'a' && name[0] <= 'z' || name[0] >= 'A' && name[0] <= 'Z') {
		return name
	}
	if h, ok := strings.CutPrefix(name, "uni"); ok && len(h) >= 4 && len(h)%4 == 0 {
		var b strings.Builder
		for i := 0; i < len(h); i += 4 {
			v, err := strconv.ParseUint(h[i:i+4], 16, 32)
			if err != nil || v >= 0xD800 && v <= 0xDFFF {
				return ""
			}
			b.WriteRune(rune(v))
		}
		return b.String()
	}
	if h, ok := strings.CutPrefix(name, "u"); ok && len(h) >= 4 && len(h) <= 6 {
		v, err := strconv.ParseUint(h, 16, 32)
		if err != nil || v > 0x10FFFF || v >= 0xD800 && v <= 0xDFFF {
			return ""
		}
		return string(rune(v))
	}
	for _, a := range accents {
		if base, ok := strings.CutSuffix(name, a.name); ok && len(base) == 1 {
			if t := glyphText(base); t != "" {
				return norm.NFC.String(t + a.mark)
			}
		}
	}
	return ""
}

// standardHigh is the upper half of Adobe's StandardEncoding by glyph name;
// its lower half is ASCII but for quoteright (0x27) and quoteleft (0x60).
var standardHigh = map[byte]string{
	0xa1: "exclamdown", 0xa2: "cent", 0xa3: "sterling", 0xa4: "fraction", 0xa5: "yen",
	0xa6: "florin", 0xa7: "section", 0xa8: "currency", 0xa9: "quotesingle",
	0xaa: "quotedblleft", 0xab: "guillemotleft", 0xac: "guilsinglleft",
	0xad: "guilsinglright", 0xae: "fi", 0xaf: "fl", 0xb1: "endash", 0xb2: "dagger",
	0xb3: "daggerdbl", 0xb4: "periodcentered", 0xb6: "paragraph", 0xb7: "bullet",
	0xb8: "quotesinglbase", 0xb9: "quotedblbase", 0xba: "quotedblright",
	0xbb: "guillemotright", 0xbc: "ellipsis", 0xbd: "perthousand", 0xbf: "questiondown",
	0xc1: "grave", 0xc2: "acute", 0xc3: "circumflex", 0xc4: "tilde", 0xc5: "macron",
	0xc6: "breve", 0xc7: "dotaccent", 0xc8: "dieresis", 0xca: "ring", 0xcb: "cedilla",
	0xcd: "hungarumlaut", 0xce: "ogonek", 0xcf: "caron", 0xd0: "emdash", 0xe1: "AE",
	0xe3: "ordfeminine", 0xe8: "Lslash", 0xe9: "Oslash", 0xea: "OE",
	0xeb: "ordmasculine", 0xf1: "ae", 0xf5: "dotlessi", 0xf8: "lslash",
	0xf9: "oslash", 0xfa: "oe", 0xfb: "germandbls",
}

// standardText returns the text of code in StandardEncoding.
func standardText(code byte) string {
	switch {
	case code == 0x27:
		return "’"
	case code == 0x60:
		return "‘"
	case code >= 0x20 && code < 0x7f:
		return string(rune(code))
	}
	return glyphText(standardHigh[code])
}
