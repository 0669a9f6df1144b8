package pdf

import (
	"io"
	"slices"
	"sort"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"

	"github.com/baomi/baomi/scanner/extract"
)

// pdfMaxWidths bounds the entries read from a CID font's /W array.
const pdfMaxWidths = 1 << 17

// pdfFont is what the walker needs of a font: how to split a string into
// codes, the text of each code and its advance. It is built once per font
// object of a file (see pdfRun.font), never shared by name.
type pdfFont struct {
	toUni     *cmap // ToUnicode CMap, nil if none
	composite bool  // Type0: multi-byte codes, CIDs
	encCMap   *cmap // embedded encoding CMap of a composite font
	identity  bool  // Identity-H/V: a code is its 2-byte CID
	charset   *charset
	ordering  string          // Adobe character collection of the CIDs (GB1, Japan1, ...), "" if none
	gidText   map[uint16]rune // characters of the glyphs of an embedded TrueType program
	cidToGID  []byte          // CIDToGIDMap stream: 2-byte glyph numbers by CID; nil for Identity
	vertical  bool
	simple    [256]string  // text of each code of a simple font, by its encoding
	widths    [256]float64 // advance of each code of a simple font, in text space units
	cidW      []cidWidth   // advances of a composite font's CIDs
	dw        float64      // default advance of a composite font
}

// cidWidth is the advance of CIDs lo..hi, in text space units.
type cidWidth struct {
	lo, hi uint32
	w      float64
}

// pdfGlyph is one decoded code.
type pdfGlyph struct {
	text   string
	n      int     // bytes of the code
	w      float64 // advance in text space units (ems)
	space  bool    // the single-byte code 32, which word spacing applies to
	mapped bool
}

// next decodes the first code of s.
func (f *pdfFont) next(s string) pdfGlyph {
	if !f.composite {
		c := s[0]
		g := pdfGlyph{n: 1, w: f.widths[c], space: c == ' '}
		if f.toUni != nil {
			g.text, g.mapped = f.toUni.lookup(uint32(c))
		}
		if !g.mapped && f.simple[c] != "" {
			g.text, g.mapped = f.simple[c], true
		}
		return g
	}
	var code uint32
	var g pdfGlyph
	switch {
	case f.encCMap != nil:
		code, g.n, _ = f.encCMap.split(s, 2)
	case f.charset != nil:
		g.n = f.charset.split(s)
		code = fixedCode(s, g.n)
	case f.identity || f.toUni == nil:
		code, g.n = fixedCode(s, 2), min(2, len(s))
	default:
		code, g.n, _ = f.toUni.split(s, 2)
	}
	g.space = g.n == 1 && s[0] == ' '
	if f.toUni != nil {
		g.text, g.mapped = f.toUni.lookup(code)
	}
	if !g.mapped && f.charset != nil {
		g.text, g.mapped = f.charset.decode(s[:g.n])
	}
	cid, known := code, f.identity
	if f.encCMap != nil {
		cid, known = f.encCMap.cid(code)
	}
	if !g.mapped && known && f.gidText != nil {
		gid := cid
		if f.cidToGID != nil {
			gid = 0 // beyond the map: glyph 0, no character
			if i := 2 * int64(cid); i+1 < int64(len(f.cidToGID)) {
				gid = uint32(f.cidToGID[i])<<8 | uint32(f.cidToGID[i+1])
			}
		}
		if r, ok := f.gidText[uint16(gid)]; ok && gid <= 0xffff {
			g.text, g.mapped = string(r), true
		}
	}
	if !g.mapped && known && f.ordering != "" {
		if r := cidToUnicode(f.ordering, cid); r != 0 {
			g.text, g.mapped = string(r), true
		}
	}
	switch {
	case known:
		g.w = f.cidWidth(cid)
	case g.mapped && !isWideText(g.text):
		g.w = f.dw / 2 // a half-width character of a CJK font
	default:
		g.w = f.dw
	}
	return g
}

// cidWidth returns the advance of cid.
func (f *pdfFont) cidWidth(cid uint32) float64 {
	i := sort.Search(len(f.cidW), func(i int) bool { return f.cidW[i].lo > cid }) - 1
	if i >= 0 && cid <= f.cidW[i].hi {
		return f.cidW[i].w
	}
	return f.dw
}

// isWideText reports whether s starts with a wide (CJK) character.
func isWideText(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWide(r)
}

// font returns the font for the font dictionary v, reading it the first
// time this file uses it. The cache is keyed by the dictionary itself (its
// entries and the object numbers they refer to), never by its resource name,
// which means different fonts on different pages.
func (x *pdfRun) font(v pdf.Value) (*pdfFont, error) {
	key := v.String()
	if f, ok := x.fonts[key]; ok {
		return f, nil
	}
	f, err := x.loadFont(v)
	if err != nil {
		return nil, err
	}
	x.fonts[key] = f
	return f, nil
}

func (x *pdfRun) loadFont(v pdf.Value) (*pdfFont, error) {
	f := &pdfFont{dw: 1}
	if tu := v.Key("ToUnicode"); tu.Kind() == pdf.Stream {
		c, err := x.cmapOf(tu)
		if err != nil {
			return nil, err
		}
		f.toUni = c
	}
	if v.Key("Subtype").Name() == "Type0" {
		return f, x.loadComposite(f, v)
	}
	x.loadSimple(f, v)
	return f, nil
}

// cmapOf parses a CMap stream once per file.
func (x *pdfRun) cmapOf(v pdf.Value) (*cmap, error) {
	key := v.String()
	if c, ok := x.cmaps[key]; ok {
		return c, nil
	}
	data, err := x.streamBytes(v)
	switch {
	case err == errDamagedStream:
		// A CMap cut short (reduced or damaged files; poppler reads them
		// too) still maps the codes it got to: glyphs it misses count as
		// unmapped, and readPDF notes the damage. One whose filter the
		// library lacks maps nothing, and is noted the same way.
		x.partialCMaps++
	case err != nil:
		return nil, err
	}
	c := parseCMap(data)
	x.cmaps[key] = c
	return c, nil
}

// streamBytes returns the decoded bytes of stream v, counted against
// MaxInflated. With errDamagedStream it also returns the bytes decoded
// before the damage; a filter the library lacks (it panics) is
// errDamagedStream with no bytes.
func (x *pdfRun) streamBytes(v pdf.Value) ([]byte, error) {
	if v.Kind() != pdf.Stream {
		return nil, nil
	}
	var rc io.ReadCloser
	if protect(func() error { rc = v.Reader(); return nil }) != nil {
		return nil, errDamagedStream
	}
	defer rc.Close()
	var out []byte
	for {
		n, err := rc.Read(x.buf)
		x.inflated += int64(n)
		if x.inflated > x.opt.MaxInflated {
			return nil, extract.Errorf(extract.KindLimit, "streams inflate to more than %d bytes (max inflated)", x.opt.MaxInflated)
		}
		out = append(out, x.buf[:n]...)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return out, errDamagedStream
		}
	}
}

// loadComposite reads a Type0 font: its encoding (a predefined CMap name or
// an embedded CMap) and the advances of its descendant CID font.
func (x *pdfRun) loadComposite(f *pdfFont, v pdf.Value) error {
	f.composite = true
	enc := v.Key("Encoding")
	name := enc.Name()
	if enc.Kind() == pdf.Stream {
		c, err := x.cmapOf(enc)
		if err != nil {
			return err
		}
		f.encCMap = c
		f.vertical = c.wmode == 1 || enc.Key("WMode").Int64() == 1
		name = c.useCMap
		if name == "" {
			name = enc.Key("UseCMap").Name()
		}
		if len(c.spaces) == 0 && len(c.cidChars) == 0 && len(c.cids) == 0 {
			f.encCMap = nil // only a usecmap: the named CMap decides
		}
	}
	switch name {
	case "Identity-H", "Identity-V":
		f.identity = f.encCMap == nil
	case "":
	default:
		f.charset = predefinedCharset(name)
	}
	f.vertical = f.vertical || name == "V" || strings.HasSuffix(name, "-V")
	desc := v.Key("DescendantFonts").Index(0)
	if dw := desc.Key("DW"); dw.Kind() == pdf.Integer || dw.Kind() == pdf.Real {
		f.dw = dw.Float64() / 1000
	}
	f.cidW = parseW(desc.Key("W"))
	if f.toUni == nil && f.charset == nil && desc.Key("Subtype").Name() == "CIDFontType2" {
		if err := x.loadTrueType(f, desc); err != nil {
			return err
		}
	}
	info := desc.Key("CIDSystemInfo")
	if info.Key("Registry").RawString() == "Adobe" && slices.Contains(cidOrderings, info.Key("Ordering").RawString()) {
		f.ordering = info.Key("Ordering").RawString()
	}
	return nil
}

// loadTrueType reads the Unicode cmap of the TrueType program a CID font
// without ToUnicode embeds, and its CIDToGIDMap.
func (x *pdfRun) loadTrueType(f *pdfFont, desc pdf.Value) error {
	ff := desc.Key("FontDescriptor").Key("FontFile2")
	if ff.Kind() != pdf.Stream {
		return nil
	}
	data, err := x.streamBytes(ff)
	if err == errDamagedStream {
		// The program only backs up a missing ToUnicode: read the font
		// without it, its glyphs unmapped, and note the damage.
		x.partialCMaps++
		return nil
	}
	if err != nil {
		return err
	}
	f.gidText = trueTypeUnicode(data)
	if m := desc.Key("CIDToGIDMap"); f.gidText != nil && m.Kind() == pdf.Stream {
		if f.cidToGID, err = x.streamBytes(m); err == errDamagedStream {
			x.partialCMaps++
			f.gidText, f.cidToGID = nil, nil
		} else if err != nil {
			return err
		}
	}
	return nil
}

// parseW reads a /W array: "c [w1 w2 ...]" or "cfirst clast w" entries.
func parseW(w pdf.Value) []cidWidth {
	var out []cidWidth
	n := w.Len()
	for i := 0; i+1 < n && len(out) < pdfMaxWidths; {
		first := w.Index(i)
		second := w.Index(i + 1)
		if first.Kind() != pdf.Integer {
			break
		}
		lo := uint32(max(first.Int64(), 0))
		if second.Kind() == pdf.Array {
			for k := 0; k < second.Len() && len(out) < pdfMaxWidths; k++ {
				out = append(out, cidWidth{lo + uint32(k), lo + uint32(k), second.Index(k).Float64() / 1000})
			}
			i += 2
			continue
		}
		if i+2 >= n {
			break
		}
		hi := uint32(max(second.Int64(), 0))
		if hi >= lo {
			out = append(out, cidWidth{lo, hi, w.Index(i+2).Float64() / 1000})
		}
		i += 3
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].lo < out[j].lo })
	return out
}

// loadSimple reads a simple font (Type1, TrueType, Type3): the text of each
// code by its encoding and Differences, and its advances.
func (x *pdfRun) loadSimple(f *pdfFont, v pdf.Value) {
	sub := v.Key("Subtype").Name()
	enc := v.Key("Encoding")
	base := enc.Name()
	if enc.Kind() == pdf.Dict {
		base = enc.Key("BaseEncoding").Name()
	}
	if base == "" {
		switch sub {
		case "TrueType":
			base = "WinAnsiEncoding"
		case "Type1", "MMType1":
			base = "StandardEncoding"
		}
	}
	for c := 0; c < 256; c++ {
		f.simple[c] = baseEncodingText(base, byte(c))
	}
	if d := enc.Key("Differences"); d.Kind() == pdf.Array {
		code := -1
		for i := 0; i < d.Len() && i < 1024; i++ {
			e := d.Index(i)
			switch e.Kind() {
			case pdf.Integer:
				code = int(e.Int64())
			case pdf.Name:
				if code >= 0 && code < 256 {
					f.simple[code] = glyphText(e.Name())
				}
				code++
			}
		}
	}
	// Advances: /Widths from /FirstChar, in glyph units scaled by the
	// FontMatrix (Type3) or 1/1000. Without widths (the standard 14 fonts)
	// every glyph is half an em: zero would pile glyphs onto one spot.
	scale := 0.001
	if fm := v.Key("FontMatrix"); sub == "Type3" && fm.Len() == 6 && fm.Index(0).Float64() > 0 {
		scale = fm.Index(0).Float64()
	}
	missing := v.Key("FontDescriptor").Key("MissingWidth").Float64() * scale
	if missing <= 0 {
		missing = 0.5
	}
	for c := range f.widths {
		f.widths[c] = missing
	}
	widths := v.Key("Widths")
	first := int(v.Key("FirstChar").Int64())
	for i := 0; i < widths.Len() && first+i < 256; i++ {
		if first+i >= 0 {
			f.widths[first+i] = widths.Index(i).Float64() * scale
		}
	}
}

// baseEncodingText returns the text of code in a named base encoding.
func baseEncodingText(name string, code byte) string {
	var r rune
	switch name {
	case "WinAnsiEncoding":
		r = charmap.Windows1252.DecodeByte(code)
	case "MacRomanEncoding":
		r = charmap.Macintosh.DecodeByte(code)
	case "StandardEncoding", "MacExpertEncoding":
		return standardText(code)
	default:
		return ""
	}
	if r < 0x20 || r >= 0x7f && r < 0xa0 || r == utf8.RuneError {
		return ""
	}
	return string(r)
}

// charset decodes the codes of a predefined CJK CMap whose codes are those
// of a character set (UniGB-UCS2-H: UCS-2, GBK-EUC-H: GBK, ...): the text
// comes from the codes themselves, no CID table needed.
type charset struct {
	kind int
	dec  *encoding.Decoder // legacy character sets
	raw  bool              // 7-bit two-byte codes (GB-H, H, KSC-H): add 0x80 to each byte for EUC
}

// Kinds of charset.
const (
	csUCS2 = iota
	csUTF16
	csUTF8
	csUTF32
	csGBK   // GBK and GB 18030: 1, 2 or 4 bytes
	csSJIS  // Shift-JIS
	csEUCJP // EUC-JP: 1, 2 or 3 bytes
	csDBCS  // Big5, EUC-KR/UHC: 1 or 2 bytes
	csRaw   // two bytes
)

// predefinedCharset returns the charset of a predefined CMap, nil for the
// ones that need a CID table (Adobe-*-UCS2 and the like are not listed).
func predefinedCharset(name string) *charset {
	base := strings.TrimSuffix(strings.TrimSuffix(name, "-H"), "-V")
	switch {
	case strings.HasPrefix(name, "Uni") && strings.Contains(name, "UCS2"):
		return &charset{kind: csUCS2}
	case strings.HasPrefix(name, "Uni") && strings.Contains(name, "UTF16"):
		return &charset{kind: csUTF16}
	case strings.HasPrefix(name, "Uni") && strings.Contains(name, "UTF8"):
		return &charset{kind: csUTF8}
	case strings.HasPrefix(name, "Uni") && strings.Contains(name, "UTF32"):
		return &charset{kind: csUTF32}
	case base == "GBK-EUC" || base == "GBpc-EUC" || base == "GB-EUC" || base == "GBK2K" || base == "GBKp-EUC":
		return &charset{kind: csGBK, dec: simplifiedchinese.GB18030.NewDecoder()}
	case base == "GB":
		return &charset{kind: csRaw, raw: true, dec: simplifiedchinese.GB18030.NewDecoder()}
	case strings.Contains(base, "RKSJ"):
		return &charset{kind: csSJIS, dec: japanese.ShiftJIS.NewDecoder()}
	case base == "EUC":
		return &charset{kind: csEUCJP, dec: japanese.EUCJP.NewDecoder()}
	case name == "H" || name == "V":
		return &charset{kind: csRaw, raw: true, dec: japanese.EUCJP.NewDecoder()}
	case strings.Contains(base, "B5"):
		return &charset{kind: csDBCS, dec: traditionalchinese.Big5.NewDecoder()}
	case base == "KSC-EUC" || base == "KSCms-UHC" || base == "KSCpc-EUC" || base == "KSCms-UHC-HW":
		return &charset{kind: csDBCS, dec: korean.EUCKR.NewDecoder()}
	case base == "KSC":
		return &charset{kind: csRaw, raw: true, dec: korean.EUCKR.NewDecoder()}
	}
	return nil
}

// split returns the length in bytes of the first code of s.
func (c *charset) split(s string) int {
	b := s[0]
	n := 1
	switch c.kind {
	case csUCS2, csRaw:
		n = 2
	case csUTF16:
		n = 2
		if b >= 0xd8 && b <= 0xdb {
			n = 4
		}
	case csUTF32:
		n = 4
	case csUTF8:
		_, n = utf8.DecodeRuneInString(s)
	case csGBK:
		if b >= 0x81 && b <= 0xfe {
			n = 2
			if len(s) >= 4 && s[1] >= 0x30 && s[1] <= 0x39 {
				n = 4
			}
		}
	case csSJIS:
		if b >= 0x81 && b <= 0x9f || b >= 0xe0 && b <= 0xfc {
			n = 2
		}
	case csEUCJP:
		switch {
		case b == 0x8f:
			n = 3
		case b == 0x8e || b >= 0xa1 && b <= 0xfe:
			n = 2
		}
	case csDBCS:
		if b >= 0x81 && b <= 0xfe {
			n = 2
		}
	}
	return min(n, len(s))
}

// decode returns the text of one code.
func (c *charset) decode(code string) (string, bool) {
	var t string
	switch c.kind {
	case csUCS2, csUTF16:
		u := make([]uint16, 0, 2)
		for i := 0; i+1 < len(code); i += 2 {
			u = append(u, uint16(code[i])<<8|uint16(code[i+1]))
		}
		t = string(utf16.Decode(u))
	case csUTF8:
		t = code
	case csUTF32:
		if len(code) == 4 {
			t = string(rune(fixedCode(code, 4)))
		}
	default:
		b := []byte(code)
		if c.raw {
			for i := range b {
				b[i] |= 0x80
			}
		}
		out, err := c.dec.Bytes(b)
		if err != nil {
			return "", false
		}
		t = string(out)
	}
	if !readableText(t) {
		return "", false
	}
	return t, true
}
