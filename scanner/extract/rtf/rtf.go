// Package rtf reads Rich Text Format documents for extract: the text of
// the body, headers and footers, footnotes, endnotes, comments, text boxes,
// hidden and deleted text, field codes, document properties, and the
// documents embedded as objects. Importing it registers the reader.
package rtf

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/codepage"
	"github.com/baomi/baomi/scanner/extract/internal/partbuf"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

func init() { extract.Register(extract.FormatRTF, read) }

// maxDepth bounds how deep groups nest: Word writes a few dozen levels,
// and each level holds a state.
const maxDepth = 1024

// checkEvery is how many tokens pass between checks for cancellation.
const checkEvery = 1 << 14

// dest is what the text of a group is.
type dest uint8

const (
	dBody   dest = iota
	dSkip        // not text: tables, pictures' data, bookmarks, unknown \* destinations
	dFonts       // the font table: read for the code page of each font
	dPict        // a picture: its size is read
	dShape       // a shape's instructions: only its text and pictures are read
	dObject      // \objdata: an embedded object, hex
	dHeader
	dFooter
	dFootnote
	dEndnote
	dComment
	dField // a field's instructions
	dMeta  // document properties
	dTextbox
	dAlt      // a shape's description (alt text)
	dPropName // the name of a shape's property, kept to choose what its value is
)

// parts is the part of the text of each destination that keeps its text,
// "" for those that keep none.
var parts = [dPropName + 1]extract.Part{
	dBody: extract.PartBody, dHeader: extract.PartHeader, dFooter: extract.PartFooter,
	dFootnote: extract.PartFootnote, dEndnote: extract.PartEndnote, dComment: extract.PartComment,
	dField: extract.PartField, dMeta: extract.PartMetadata, dTextbox: extract.PartTextbox,
	dAlt: extract.PartAltText,
}

// shapeProps are the properties of a shape whose value is text, and what it
// is: WordArt's text (Word draws its watermarks as WordArt, in the header)
// and the shape's description. The others are numbers and flags.
var shapeProps = map[string]dest{
	"gtextUNICODE": dTextbox, "gtextUTF8": dTextbox, "gtext": dTextbox,
	"wzDescription": dAlt, "wzName": dAlt,
}

// destinations are the control words that start a destination, and what
// its text is. Words not here that follow \* start a destination that is
// skipped; those that are here and nothing (fldrslt, result, shppict …)
// keep the text of the group around them.
var destinations = map[string]dest{
	"fonttbl": dFonts, "pict": dPict, "objdata": dObject,
	"header": dHeader, "headerl": dHeader, "headerr": dHeader, "headerf": dHeader,
	"footer": dFooter, "footerl": dFooter, "footerr": dFooter, "footerf": dFooter,
	"footnote": dFootnote, "annotation": dComment, "fldinst": dField,
	"info": dMeta, "userprops": dMeta, "docvar": dMeta, "title": dMeta, "subject": dMeta,
	"author": dMeta, "manager": dMeta, "company": dMeta, "operator": dMeta, "category": dMeta,
	"keywords": dMeta, "comment": dMeta, "doccomm": dMeta, "hlinkbase": dMeta,
	"propname": dMeta, "staticval": dMeta,
	"shptxt": dTextbox, "dptxbxtext": dTextbox,
	// Skipped: formatting tables, revision authors, generated text
	// (list numbers, shown again by the reader), alternative renderings of
	// shapes and pictures (read once, as the shape or picture), names of
	// bookmarks, data of objects' class and of fields, and the
	// properties of shapes.
	"colortbl": dSkip, "stylesheet": dSkip, "listtable": dSkip, "listoverridetable": dSkip,
	"revtbl": dSkip, "rsidtbl": dSkip, "generator": dSkip, "xmlnstbl": dSkip,
	"listtext": dSkip, "pntext": dSkip, "pntxta": dSkip, "pntxtb": dSkip,
	"shprslt": dSkip, "nonshppict": dSkip, "shpinst": dShape, "sn": dPropName, "sv": dSkip,
	"bkmkstart": dSkip, "bkmkend": dSkip, "objclass": dSkip, "objname": dSkip,
	"datafield": dSkip, "atnid": dSkip, "atnauthor": dSkip, "atndate": dSkip,
	"atnref": dSkip, "atrfstart": dSkip, "atrfend": dSkip, "template": dSkip,
	"pgdsctbl": dSkip, "themedata": dSkip, "colorschememapping": dSkip,
	"datastore": dSkip, "latentstyles": dSkip, "falt": dSkip, "panose": dSkip,
	"filetbl": dSkip, "fchars": dSkip, "lchars": dSkip, "pgptbl": dSkip,
	"defchp": dSkip, "defpap": dSkip, "mmathPr": dSkip, "wgrffmtfilter": dSkip,
	"fldtype": dSkip, "protusertbl": dSkip, "passwordhash": dSkip,
	// Kept: their text belongs to the group around them.
	"field": dBody, "fldrslt": dBody, "object": dBody, "result": dBody,
	"shp": dBody, "shppict": dBody, "do": dBody, "ud": dBody, "xe": dField, "tc": dField,
}

// symbols are the control words that stand for a character.
var symbols = map[string]string{
	"par": "\n", "line": "\n", "sect": "\n", "page": "\n", "row": "\n", "cell": "\t",
	"nestcell": "\t", "tab": "\t", "lquote": "\u2018", "rquote": "\u2019",
	"ldblquote": "\u201C", "rdblquote": "\u201D", "bullet": "\u2022", "endash": "\u2013",
	"emdash": "\u2014", "emspace": "\u2003", "enspace": "\u2002", "qmspace": "\u2005",
}

// state is the state of one group, which its subgroups start with.
type state struct {
	dest    dest
	id      int    // the destination's number: text of one destination is one segment
	uc      int    // bytes that stand for a \uN character in readers without Unicode
	cp      int    // code page of the current font, for \'xx bytes
	hidden  bool   // \v
	deleted bool   // \deleted
	revised bool   // \revised: inserted under tracked changes
	star    bool   // the group began with \*
	first   bool   // no control word read yet in the group
	fresh   bool   // a destination begun in this group: its end ends its segment
	pict    [6]int // picwgoal, pichgoal, picscalex, picscaley, picw, pich
	bitmap  bool   // the picture is a bitmap: picw and pich are pixels
	format  string // the picture's format, by its control word ("PNG")
	upr     bool   // \upr: the next subgroup is the ANSI twin of a \ud
}

// parser is the reading of one file.
type parser struct {
	ctx   context.Context
	opt   extract.Options
	in    *bufio.Reader
	doc   *extract.Text
	stack []state
	st    state
	ids   int
	cp    int         // the document's code page (\ansicpg)
	deff  int         // the default font
	fonts map[int]int // each font's code page, from its charset
	font  int         // the font being defined in the font table

	bytes []byte // \'xx and 8-bit bytes not yet decoded
	raw   bool   // some of them stood in the file as they are
	high  rune   // a high surrogate waiting for its pair
	skip  int    // bytes still to skip after a \uN

	out      *partbuf.Buffers // the text of each destination, by part
	obj      bytes.Buffer     // the object or picture being read: hex digits decoded
	objHalf  int              // -1, or the high nibble waiting for its low one
	objects  int
	pictures int
	ocr      bool            // pictures are read by OCR: their data is kept
	propName strings.Builder // the name of the shape property being read
}

// read is the extractor of extract.FormatRTF.
func read(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	doc := extract.NewText(extract.FormatRTF, opt)
	if err := parse(ctx, doc, io.NewSectionReader(r, 0, size), opt); err != nil {
		return nil, err
	}
	doc.ReviewPictures()
	return doc.Document, nil
}

// Read adds the text of the RTF document in data to doc, as the reader of
// RTF files reads it, for formats that keep text in RTF (an Outlook
// message's body); the caller calls doc.ReviewPictures once it has read
// all of its document.
func Read(ctx context.Context, doc *extract.Text, data []byte, opt extract.Options) error {
	return parse(ctx, doc, bytes.NewReader(data), opt)
}

// parse reads the RTF document in r into doc.
func parse(ctx context.Context, doc *extract.Text, r io.Reader, opt extract.Options) error {
	p := &parser{
		ctx: ctx, opt: opt, doc: doc,
		in:    bufio.NewReaderSize(r, 64<<10),
		cp:    1252,
		fonts: map[int]int{},
		st:    state{uc: 1, cp: 1252, first: true},
	}
	p.out = partbuf.New(p.doc)
	p.ocr = p.doc.ReadsPictures(ctx)
	if err := p.run(); err != nil {
		return err
	}
	return p.out.Flush(nil)
}

// run reads the file to its end, token by token.
func (p *parser) run() error {
	for n := 0; ; n++ {
		if n%checkEvery == 0 && p.ctx.Err() != nil {
			return extract.Errorf(extract.KindTimeout, "timed out reading the RTF document")
		}
		c, err := p.in.ReadByte()
		if err == io.EOF {
			// Readers show what a file cut short holds; an open group
			// only means its end is lost, so the text read is kept and
			// the file is not clean.
			if len(p.stack) > 0 {
				p.doc.Review = append(p.doc.Review, "the RTF document ends inside an open group: it may be cut short")
			}
			return p.text("")
		}
		if err != nil {
			return extract.Errorf(extract.KindIO, "cannot read file: %s", "read error")
		}
		switch c {
		case '{':
			if err := p.open(); err != nil {
				return err
			}
		case '}':
			if err := p.close(); err != nil {
				return err
			}
		case '\\':
			if err := p.control(); err != nil {
				return err
			}
		case '\r', '\n':
			// Line breaks in the file are not text.
		default:
			if err := p.char(c); err != nil {
				return err
			}
		}
	}
}

// open starts a group.
func (p *parser) open() error {
	p.skip = 0
	if err := p.decode(); err != nil {
		return err
	}
	if len(p.stack) >= maxDepth {
		return extract.Errorf(extract.KindLimit, "RTF groups nest deeper than %d (max nesting)", maxDepth)
	}
	p.stack = append(p.stack, p.st)
	p.st.star, p.st.first, p.st.fresh, p.st.upr = false, true, false, false
	if up := &p.stack[len(p.stack)-1]; up.upr {
		// {\upr{ANSI text}{\*\ud{Unicode text}}}: the text once, in Unicode.
		up.upr = false
		p.st.dest, p.st.fresh = dSkip, true
	}
	return nil
}

// close ends a group: a destination that began in it ends there.
func (p *parser) close() error {
	p.skip = 0
	if err := p.decode(); err != nil {
		return err
	}
	if len(p.stack) == 0 {
		// Text after the last brace is not shown by readers; a stray
		// brace inside is read past.
		return nil
	}
	ended := p.st
	p.st = p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	switch {
	case ended.dest == dPict && p.st.dest != dPict:
		if err := p.picture(ended); err != nil {
			return err
		}
	case ended.dest == dObject && p.st.dest != dObject:
		return p.object()
	}
	if ended.fresh && ended.id != p.st.id {
		return p.out.Flush(func(k partbuf.Key) bool { return k.ID == ended.id })
	}
	return nil
}

// char takes one byte of text.
func (p *parser) char(c byte) error {
	if p.skip > 0 {
		p.skip--
		return nil
	}
	if p.st.dest == dObject || p.st.dest == dPict && p.ocr {
		p.hex(c)
		return nil
	}
	if !keeps(p.st.dest) {
		return nil
	}
	if c >= 0x80 {
		if len(p.bytes) > 0 && !p.raw {
			if err := p.decode(); err != nil {
				return err
			}
		}
		p.bytes, p.raw = append(p.bytes, c), true
		return nil
	}
	if err := p.decode(); err != nil {
		return err
	}
	if c == '\t' {
		return p.text("\t")
	}
	return p.text(string(rune(c)))
}

// control reads what follows a backslash.
func (p *parser) control() error {
	c, err := p.in.ReadByte()
	if err != nil {
		return nil // a lone backslash at the end
	}
	if !isLetter(c) {
		return p.symbol(c)
	}
	word := []byte{c}
	for len(word) < 32 {
		c, err = p.in.ReadByte()
		if err != nil || !isLetter(c) {
			break
		}
		word = append(word, c)
	}
	param, has := 0, false
	if err == nil && (c == '-' || isDigit(c)) {
		neg := c == '-'
		if neg {
			c, err = p.in.ReadByte()
		}
		for digits := 0; err == nil && isDigit(c); digits++ {
			if digits < 10 {
				param = param*10 + int(c-'0')
			}
			has = true
			c, err = p.in.ReadByte()
		}
		if neg {
			param = -param
		}
	}
	if err == nil && c != ' ' {
		p.in.UnreadByte()
	}
	if isLetter(c) && len(word) == 32 {
		// A word longer than any RTF has: read past the rest of it.
		for err == nil && isLetter(c) {
			c, err = p.in.ReadByte()
		}
		if err == nil {
			p.in.UnreadByte()
		}
	}
	return p.word(string(word), param, has)
}

// symbol handles a control symbol: a backslash and one other character.
func (p *parser) symbol(c byte) error {
	if c == '\'' {
		var h [2]byte
		if _, err := io.ReadFull(p.in, h[:]); err != nil {
			return nil
		}
		b, ok := unhex(h[0], h[1])
		if !ok {
			return nil
		}
		if p.skip > 0 {
			p.skip--
			return nil
		}
		if !keeps(p.st.dest) {
			return nil
		}
		if p.raw {
			if err := p.decode(); err != nil {
				return err
			}
		}
		p.bytes = append(p.bytes, b)
		return nil
	}
	if c == '*' {
		p.st.star = true
		return nil
	}
	if p.skip > 0 {
		p.skip--
		return nil
	}
	if err := p.decode(); err != nil {
		return err
	}
	switch c {
	case '\\', '{', '}':
		return p.text(string(rune(c)))
	case '~':
		return p.text("\u00A0")
	case '_':
		return p.text("\u2011")
	case '\r', '\n':
		return p.text("\n")
	case '\t':
		return p.text("\t")
	}
	return nil // \- (optional hyphen), \: and others carry no text
}

// word handles a control word.
func (p *parser) word(w string, param int, has bool) error {
	if w == "bin" {
		return p.binary(param)
	}
	first := p.st.first
	p.st.first = false
	if p.skip > 0 {
		p.skip--
		return nil
	}
	if w != "u" {
		if err := p.decode(); err != nil {
			return err
		}
	}
	if d, ok := destinations[w]; ok {
		return p.destination(w, d)
	}
	if p.st.star && first {
		// An unknown destination marked ignorable: readers skip it.
		p.st.dest, p.st.fresh = dSkip, true
		return nil
	}
	switch p.st.dest {
	case dSkip, dShape:
		return nil
	case dFonts:
		switch w {
		case "f":
			p.font = param
		case "fcharset":
			// ANSI (0) and the default (1) are the document's
			// (\ansicpg): Word under \ansicpg936 writes GBK bytes in
			// fonts it calls ANSI.
			if cp, ok := codepage.FromCharset(param); ok {
				p.fonts[p.font] = cp
			}
		case "cpg":
			p.fonts[p.font] = param
		}
		return nil
	case dPict:
		p.pictWord(w, param)
		return nil
	}
	switch w {
	case "u":
		if has {
			return p.unicode(param)
		}
	case "uc":
		p.st.uc = max(param, 0)
	case "ansicpg":
		p.cp, p.st.cp = param, param
	case "deff":
		p.deff = param
	case "f":
		p.st.cp = p.fontCP(param)
	case "plain":
		p.st.hidden, p.st.deleted, p.st.revised = false, false, false
		p.st.cp = p.fontCP(p.deff)
	case "v":
		p.st.hidden = !has || param != 0
	case "deleted":
		p.st.deleted = !has || param != 0
	case "revised":
		p.st.revised = !has || param != 0
	case "upr":
		p.st.upr = true
	case "ftnalt":
		if p.st.dest == dFootnote {
			p.st.dest = dEndnote
		}
	default:
		if s, ok := symbols[w]; ok {
			if err := p.text(s); err != nil || s != "\n" {
				return err
			}
			id := p.st.id
			return p.out.Break(func(k partbuf.Key) bool { return k.ID == id }, 0)
		}
	}
	return nil
}

// destination starts the destination d, named w, in the current group.
func (p *parser) destination(w string, d dest) error {
	switch {
	case p.st.dest == dSkip:
		return nil
	case p.st.dest == dShape && w == "sn":
		p.propName.Reset()
		d = dPropName
	case p.st.dest == dShape && w == "sv":
		// {\sp{\sn name}{\sv value}}: the value of a property whose
		// value is text.
		if d = shapeProps[strings.TrimSpace(p.propName.String())]; d == dBody {
			return nil // another property: still the shape's (pib holds its picture)
		}
	case p.st.dest == dShape && w != "shptxt" && w != "pict":
		// A shape's other properties: only its text and its pictures (the
		// picture a shape shows, its fill) are read.
		return nil
	case p.st.dest == dPict || p.st.dest == dObject || p.st.dest == dFonts:
		return nil
	case d == dBody:
		return nil // keeps the text of the group around it
	}
	p.ids++
	p.st.dest, p.st.id, p.st.fresh = d, p.ids, true
	switch d {
	case dPict:
		p.st.pict, p.st.bitmap, p.st.format = [6]int{0, 0, 100, 100, 0, 0}, false, ""
	}
	if d == dPict || d == dObject {
		p.obj.Reset()
		p.objHalf = -1
	}
	return nil
}

// unicode takes \uN: a UTF-16 code unit, then uc bytes that stand for it.
func (p *parser) unicode(n int) error {
	if n < 0 {
		n += 0x10000
	}
	p.skip = p.st.uc
	r := rune(n & 0xFFFF)
	switch {
	case utf16.IsSurrogate(r) && r < 0xDC00:
		p.high = r
		return nil
	case utf16.IsSurrogate(r) && p.high != 0:
		r = utf16.DecodeRune(p.high, r)
	case utf16.IsSurrogate(r):
		r = '\uFFFD'
	}
	p.high = 0
	return p.text(string(r))
}

// binary skips \binN: N bytes of binary data (an object's, when in one).
func (p *parser) binary(n int) error {
	if n <= 0 {
		return nil
	}
	if p.st.dest == dObject || p.st.dest == dPict && p.ocr {
		// Copied as far as the file goes, not allocated at the size it
		// claims.
		io.CopyN(&p.obj, p.in, min(int64(n), p.opt.MaxInflated-int64(p.obj.Len())+1))
		if int64(p.obj.Len()) > p.opt.MaxInflated {
			return extract.Errorf(extract.KindLimit, "an object in the RTF document is larger than the limit (max inflated)")
		}
		return nil
	}
	_, err := p.in.Discard(n)
	if err != nil && !errors.Is(err, io.EOF) {
		return extract.Errorf(extract.KindIO, "cannot read file: %s", "read error")
	}
	return nil
}

// fontCP is the code page of font f's text.
func (p *parser) fontCP(f int) int {
	if cp, ok := p.fonts[f]; ok && cp != 0 {
		return cp
	}
	return p.cp
}

// decode turns the 8-bit bytes read so far into text, in the code page of
// the current font: a GBK character is two \'xx bytes, decoded together.
func (p *parser) decode() error {
	if len(p.bytes) == 0 {
		return nil
	}
	b, raw := p.bytes, p.raw
	p.bytes, p.raw = p.bytes[:0], false
	if raw && utf8.Valid(b) {
		// RTF is 7-bit, but programs that write it by hand write UTF-8;
		// GBK text is almost never valid UTF-8.
		return p.text(string(b))
	}
	s, err := codepage.Encoding(p.st.cp).NewDecoder().Bytes(b)
	if err != nil {
		s = []byte(strings.ToValidUTF8(string(b), "\uFFFD"))
	}
	return p.text(string(s))
}

// text adds s to the text of the current destination, in the part its
// formatting gives it.
func (p *parser) text(s string) error {
	if p.high != 0 {
		p.high = 0
		s = "\uFFFD" + s
	}
	if s == "" {
		return nil
	}
	if p.st.dest == dPropName {
		if p.propName.Len() < 64 {
			p.propName.WriteString(s)
		}
		return nil
	}
	part := parts[p.st.dest]
	if part == "" {
		return nil
	}
	switch {
	case p.st.deleted:
		part = extract.PartDeleted
	case p.st.hidden && p.st.dest != dField && p.st.dest != dMeta:
		part = extract.PartHidden
	case p.st.revised && part == extract.PartBody:
		part = extract.PartInserted
	}
	return p.out.Write(partbuf.Key{ID: p.st.id, Part: part}, s, 0)
}

// pictFormats are the formats of pictures by their control word; PICT,
// OS/2 metafiles and the device-dependent bitmap are not decoded.
var pictFormats = map[string]string{
	"pngblip": "PNG", "jpegblip": "JPEG", "dibitmap": "DIB", "wbitmap": "DDB",
	"emfblip": "EMF", "wmetafile": "WMF", "macpict": "PICT", "pmmetafile": "OS/2 metafile",
}

// pictWord reads the size and the format of a picture.
func (p *parser) pictWord(w string, n int) {
	i := map[string]int{"picwgoal": 0, "pichgoal": 1, "picscalex": 2, "picscaley": 3, "picw": 4, "pich": 5}
	if k, ok := i[w]; ok {
		p.st.pict[k] = n
	}
	if w == "wbitmap" || w == "dibitmap" {
		p.st.bitmap = true
	}
	if f, ok := pictFormats[w]; ok {
		p.st.format = f
	}
}

// picture reads by OCR a picture that may carry text, named by its place
// ("picture 2"): one drawn too small to hold a line is a decoration (see
// extract.Decoration).
func (p *parser) picture(s state) error {
	const mmPerTwip = 25.4 / 1440
	mmW := float64(s.pict[0]) * float64(s.pict[2]) / 100 * mmPerTwip
	mmH := float64(s.pict[1]) * float64(s.pict[3]) / 100 * mmPerTwip
	var pxW, pxH int
	if s.bitmap {
		pxW, pxH = s.pict[4], s.pict[5]
	}
	data := p.obj.Bytes()
	defer p.obj.Reset()
	if extract.Decoration(pxW, pxH, mmW, mmH) {
		return nil
	}
	p.pictures++
	pic := extract.Picture{Inner: fmt.Sprintf("picture %d", p.pictures)}
	switch s.format {
	case "PNG", "JPEG", "EMF", "WMF", "":
		// Unnamed, it is known by its bytes, if at all; a metafile's
		// text records are read.
	case "DIB":
		data = picture.FromDIB(data)
	default:
		pic.Why = extract.NotDecoded(s.format)
		_, err := p.doc.ReadPicture(p.ctx, pic)
		return err
	}
	return p.doc.ReadPictureData(p.ctx, pic, data)
}

// hex takes one hex digit of an object's data.
func (p *parser) hex(c byte) {
	v, ok := nibble(c)
	if !ok {
		return
	}
	if p.objHalf < 0 {
		p.objHalf = int(v)
		return
	}
	if int64(p.obj.Len()) < p.opt.MaxInflated {
		p.obj.WriteByte(byte(p.objHalf<<4) | v)
	}
	p.objHalf = -1
}

// object reads the embedded object just read as a document of its own.
func (p *parser) object() error {
	if int64(p.obj.Len()) >= p.opt.MaxInflated {
		return extract.Errorf(extract.KindLimit, "an object in the RTF document is larger than the limit (max inflated)")
	}
	data := bytes.Clone(p.obj.Bytes())
	p.obj.Reset()
	if len(data) == 0 {
		return nil
	}
	p.objects++
	name := fmt.Sprintf("object %d", p.objects)
	data, label, err := unwrap(data, p.opt)
	if err != nil {
		return err
	}
	if label != "" {
		if err := p.doc.Add(extract.Segment{Part: extract.PartEmbedded, Inner: name, Text: label}); err != nil {
			return err
		}
	}
	if len(data) == 0 {
		p.doc.Review = append(p.doc.Review, name+": an embedded object that baomi cannot read")
		return nil
	}
	return extract.ReadInner(extract.Container(p.ctx), p.doc, name, name, data, p.opt)
}

// keeps says the text of a destination is kept.
func keeps(d dest) bool { return parts[d] != "" || d == dPropName }

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }

func nibble(c byte) (byte, bool) {
	switch {
	case isDigit(c):
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

func unhex(a, b byte) (byte, bool) {
	h, ok1 := nibble(a)
	l, ok2 := nibble(b)
	return h<<4 | l, ok1 && ok2
}
