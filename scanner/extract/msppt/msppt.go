// Package msppt reads PowerPoint 97-2003 presentations, and the WPS
// Presentation .dps files written in the same format, for extract.
// Importing it registers the reader.
//
// A presentation is a stream of records ("PowerPoint Document") inside a
// compound file. Each save appends a user edit, which points at the edit
// before it and at a persist directory mapping object ids to the offsets
// of their records; the "Current User" stream points at the last edit. The
// document record lists the slides in the order they are shown (a slide
// list that also holds the text of their placeholders), and their notes.
// Page is the slide number: its text (Part body, or hidden when the slide
// is hidden), its comments (Part comment), its header and footer, and its
// notes (Part notes). What shows on every slide has Page 0: header and
// footer text set for the whole presentation, and the text of the masters'
// shapes that are no placeholders (a stamp, a footer drawn on the master).
// When the edits or the persist directory cannot be followed, the slides
// are read in the order they sit in the stream, and the file is review.
// Embedded OLE objects are read as documents of their own (Inner
// "objects/N"). Document properties are not read here.
package msppt

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/codepage"
	"github.com/baomi/baomi/scanner/extract/internal/officeart"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

func init() { extract.Register(extract.FormatPPT, readPresentation) }

// Record types read ([MS-PPT] 2.13.24).
const (
	rtDocument          = 0x03E8
	rtSlide             = 0x03EE
	rtSlideAtom         = 0x03EF
	rtNotes             = 0x03F0
	rtNotesAtom         = 0x03F1
	rtSlidePersistAtom  = 0x03F3
	rtSlideShowInfo     = 0x03F9
	rtHeadersFooters    = 0x0FD9
	rtTextCharsAtom     = 0x0FA0
	rtTextBytesAtom     = 0x0FA8
	rtCString           = 0x0FBA
	rtSlideListWithText = 0x0FF0
	rtUserEditAtom      = 0x0FF5
	rtCurrentUserAtom   = 0x0FF6
	rtPersistDirectory  = 0x1772
	rtComment10         = 0x2EE0
	rtExOleObjStg       = 0x1011
	rtMainMaster        = 0x03F8
	rtPlaceholderAtom   = 0x0BC3
	rtShape             = 0xF004 // OfficeArtSpContainer
	rtClientData        = 0xF011 // OfficeArtClientData

	listSlides     = 0          // SlideListWithText instance: the slides
	listMasters    = 1          // SlideListWithText instance: the masters
	listNotes      = 2          // SlideListWithText instance: the notes
	encryptedToken = 0xF3D1C4DF // CurrentUserAtom.headerToken of an encrypted file
	slideHidden    = 0x0004     // SSSlideInfoAtom: fHidden
	maxDepth       = 64         // records nested deeper are not read
	maxEdits       = 4096       // user edits followed at most
	commentText    = 1          // Comment10's CString instance holding its text
	footerText     = 2          // HeadersFooters' CString instance of the footer
)

// kind says what a walked record belongs to.
type kind int

const (
	ofSlide  kind = iota
	ofNotes       // a notes page: its text is notes
	ofMaster      // a master: only the text of its shapes that are no placeholders
)

// rec is a record: its header fields and its data (a slice of the stream).
type rec struct {
	container bool
	instance  uint16
	typ       uint16
	data      []byte
}

// header reads the record at off in b; ok is false when it does not fit.
func header(b []byte, off int) (r rec, end int, ok bool) {
	if off < 0 || off+8 > len(b) {
		return rec{}, 0, false
	}
	vi := binary.LittleEndian.Uint16(b[off:])
	n := binary.LittleEndian.Uint32(b[off+4:])
	if uint64(n) > uint64(len(b)-off-8) {
		return rec{}, 0, false
	}
	end = off + 8 + int(n)
	return rec{container: vi&0xF == 0xF, instance: vi >> 4, typ: binary.LittleEndian.Uint16(b[off+2:]), data: b[off+8 : end]}, end, true
}

// children returns the records in a container's data; damaged is true when
// the last one runs past its end.
func children(b []byte) (out []rec, damaged bool) {
	for off := 0; off < len(b); {
		r, end, ok := header(b, off)
		if !ok {
			return out, true
		}
		out = append(out, r)
		off = end
	}
	return out, false
}

// slide is what was read of one slide (or notes page).
type slide struct {
	persist, id uint32
	page        int
	hidden      bool
	body        []string
	notes       []string
	comments    []string
	header      []string
	footer      []string
}

// presentation is the state of one reading.
type presentation struct {
	ctx     context.Context
	stream  []byte
	doc     *extract.Text
	held    int
	damaged bool
	records int             // records walked, for looks at the context
	taken   map[uint32]bool // offsets of the records object returned
}

func readPresentation(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	c, err := cfb.Recover(r, size)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	if e := c.Lookup("EncryptedSummary"); e != nil && e.IsStream() {
		return nil, errEncrypted()
	}
	e := c.Lookup("PowerPoint Document")
	if e == nil || !e.IsStream() {
		return nil, extract.Errorf(extract.KindCorrupt, "damaged PowerPoint file: the presentation stream is missing")
	}
	stream, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	var current []byte
	if e := c.Lookup("Current User"); e != nil && e.IsStream() {
		if current, err = c.ReadStream(e, opt.MaxInflated); err != nil {
			return nil, extract.CFBError(err)
		}
	}
	p := &presentation{ctx: ctx, stream: stream, doc: extract.NewText(extract.FormatPPT, opt), taken: map[uint32]bool{}}
	if err := p.doc.Properties(c, opt); err != nil {
		return nil, err
	}
	persist, docRef, err := p.persistDirectory(current)
	if err != nil {
		return nil, err
	}
	var slides, notes, masters []*slide
	if persist != nil {
		slides, notes, masters, err = p.inOrder(persist, docRef)
	}
	if err != nil {
		return nil, err
	}
	if slides == nil {
		if e := c.Lookup("Text_Content"); e != nil && e.IsStream() {
			return p.powerPoint95(c, e, opt)
		}
		p.doc.Review = append(p.doc.Review, "damaged PowerPoint file: the slide order could not be read, slides were read in the order they are stored")
		if slides, notes, masters, err = p.inStream(); err != nil {
			return nil, err
		}
	}
	if err := p.emit(slides, notes, masters); err != nil {
		return nil, err
	}
	// The shapes' WordArt (on no slide of its own: page 0) and
	// descriptions, which no text record holds.
	if err := p.doc.AddAll(officeart.Segments(p.stream)); err != nil {
		return nil, err
	}
	if err := p.objects(ctx, opt); err != nil {
		return nil, err
	}
	blips, err := pictures(c, opt)
	if err != nil {
		return nil, err
	}
	if err := p.doc.ReadBlips(ctx, blips); err != nil {
		return nil, err
	}
	p.doc.ReviewPictures()
	if p.damaged {
		p.doc.Review = append(p.doc.Review, "damaged PowerPoint file: some records could not be read")
	}
	p.doc.Review = append(p.doc.Review, c.Review()...)
	return p.doc.Document, nil
}

// powerPoint95 reads a PowerPoint 95 file, whose records baomi does not
// read: its Text_Content stream holds the text of its slides, in an ANSI
// code page the file does not name, read as Windows-1252.
func (p *presentation) powerPoint95(c *cfb.File, e *cfb.Entry, opt extract.Options) (*extract.Document, error) {
	b, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	t := codepage.Decode(codepage.Latin1, b) // every byte is a character
	if err := p.doc.Add(extract.Segment{Part: extract.PartBody, Text: paragraphs(t)}); err != nil {
		return nil, err
	}
	p.doc.Review = append(p.doc.Review, "PowerPoint 95 file: its text was read without slide numbers, notes or comments, in the Windows-1252 code page")
	p.doc.Review = append(p.doc.Review, c.Review()...)
	return p.doc.Document, nil
}

// objects reads the embedded OLE objects (ExOleObjStg records, each a
// compound file of its own, zlib-compressed when its instance is 1) as
// documents of their own: an embedded Excel or Word 97-2003 document, or
// an object baomi cannot read, which Reader names in a Review note.
func (p *presentation) objects(ctx context.Context, opt extract.Options) error {
	ctx = extract.Container(ctx)
	n := 0
	for off := 0; off < len(p.stream); {
		r, end, ok := header(p.stream, off)
		if !ok {
			break
		}
		off = end
		if r.typ != rtExOleObjStg {
			continue
		}
		n++
		label, name := fmt.Sprintf("OLE object %d", n), fmt.Sprintf("objects/%d", n)
		data := r.data
		if r.instance == 1 {
			var err error
			if data, err = inflate(r.data, opt.MaxInflated); err != nil {
				if extract.KindOf(err) == extract.KindLimit {
					return err
				}
				p.doc.Review = append(p.doc.Review, label+": damaged, not read")
				continue
			}
		}
		if macros(data) {
			continue // program code, left out as programs in archives are
		}
		// The file the object wraps (an OOXML package, a PDF, a Packager
		// file), or the object itself (an Excel or Word 97-2003 document).
		inner, wrapped, err := extract.OLEObject(data, opt)
		if err != nil {
			return err
		}
		if wrapped != "" {
			if err := p.doc.Add(extract.Segment{Part: extract.PartEmbedded, Inner: name, Text: wrapped}); err != nil {
				return err
			}
		}
		if inner != nil {
			data = inner
		}
		if err := extract.ReadInner(ctx, p.doc, name, label, data, opt); err != nil {
			return err
		}
	}
	return nil
}

// macros reports whether an object is the presentation's VBA project
// (kept as an object too): a VBA storage and a PROJECT stream at its root.
func macros(data []byte) bool {
	c, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	v, p := c.Lookup("VBA"), c.Lookup("PROJECT")
	return v != nil && v.IsStorage() && p != nil && p.IsStream()
}

// inflate decompresses a compressed object: its size, then a zlib stream.
func inflate(b []byte, max int64) ([]byte, error) {
	if len(b) < 4 {
		return nil, io.ErrUnexpectedEOF
	}
	size := int64(binary.LittleEndian.Uint32(b))
	if size > max {
		return nil, extract.Errorf(extract.KindLimit, "an embedded object inflates past the limit of %d bytes", max)
	}
	zr, err := zlib.NewReader(bytes.NewReader(b[4:]))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, max+1))
	switch {
	case int64(len(out)) > max:
		return nil, extract.Errorf(extract.KindLimit, "an embedded object inflates past the limit of %d bytes", max)
	case errors.Is(err, io.ErrUnexpectedEOF) && int64(len(out)) == size:
		// PowerPoint's own writers may leave out the stream's checksum:
		// the object is whole.
		return out, nil
	}
	return out, err
}

// pictures returns the pictures a presentation holds that may carry
// text: the records of its Pictures stream, one per picture (what the
// slides show, backgrounds and logos included), but those too small to
// hold a line of text. A record that is no BLIP read here, or damaged, is
// a picture whose bytes were not found (a Blip without data).
func pictures(c *cfb.File, opt extract.Options) ([]picture.Blip, error) {
	e := c.Lookup("Pictures")
	if e == nil || !e.IsStream() {
		return nil, nil
	}
	b, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	var out []picture.Blip
	for off := 0; off < len(b); {
		_, end, ok := header(b, off)
		if !ok {
			return append(out, picture.Blip{}), nil // a damaged last picture is a picture
		}
		found := picture.Blips(b[off:end])
		if len(found) == 0 {
			out = append(out, picture.Blip{})
		}
		for _, p := range found {
			if p.Metafile || extract.PictureMayCarryText(p.Data) {
				out = append(out, p)
			}
		}
		off = end
	}
	return out, nil
}

func errEncrypted() error {
	return extract.Errorf(extract.KindEncrypted, "encrypted PowerPoint file: cannot be read without its password")
}

// persistDirectory follows the user edits from the last one and builds the
// persist directory, older edits first so that newer ones override them;
// it returns the persist id of the document record. A nil map means the
// edits could not be followed.
func (p *presentation) persistDirectory(current []byte) (map[uint32]uint32, uint32, error) {
	cu, _, ok := header(current, 0)
	if !ok || cu.typ != rtCurrentUserAtom || len(cu.data) < 12 {
		return nil, 0, nil
	}
	if binary.LittleEndian.Uint32(cu.data[4:]) == encryptedToken {
		return nil, 0, errEncrypted()
	}
	var dirs []uint32
	var docRef uint32
	seen := map[uint32]bool{}
	for off := binary.LittleEndian.Uint32(cu.data[8:]); ; {
		if seen[off] || len(seen) >= maxEdits {
			return nil, 0, nil
		}
		seen[off] = true
		ue, _, ok := header(p.stream, int(off))
		if !ok || ue.typ != rtUserEditAtom || len(ue.data) < 28 {
			return nil, 0, nil
		}
		if len(dirs) == 0 {
			docRef = binary.LittleEndian.Uint32(ue.data[16:])
		}
		dirs = append(dirs, binary.LittleEndian.Uint32(ue.data[12:]))
		if off = binary.LittleEndian.Uint32(ue.data[8:]); off == 0 {
			break
		}
	}
	persist := map[uint32]uint32{}
	for i := len(dirs) - 1; i >= 0; i-- {
		d, _, ok := header(p.stream, int(dirs[i]))
		if !ok || d.typ != rtPersistDirectory {
			return nil, 0, nil
		}
		for b := d.data; len(b) >= 4; {
			v := binary.LittleEndian.Uint32(b)
			id, n := v&0xFFFFF, int(v>>20)
			b = b[4:]
			if len(b) < 4*n {
				p.damaged = true
				break
			}
			for k := 0; k < n; k++ {
				persist[id+uint32(k)] = binary.LittleEndian.Uint32(b[4*k:])
			}
			b = b[4*n:]
		}
	}
	return persist, docRef, nil
}

// object returns the record persist id ref points at, when it is of type
// typ. A record is returned once: slides that all point at the same one
// would make its reading grow as their number times its size.
func (p *presentation) object(persist map[uint32]uint32, ref uint32, typ uint16) (rec, bool) {
	off, ok := persist[ref]
	if !ok || p.taken[off] {
		return rec{}, false
	}
	r, _, ok := header(p.stream, int(off))
	if !ok || r.typ != typ || !r.container {
		return rec{}, false
	}
	p.taken[off] = true
	return r, true
}

// inOrder reads the slides in the order the document record lists them,
// and their notes. nil slides mean the document record could not be read.
func (p *presentation) inOrder(persist map[uint32]uint32, docRef uint32) (slides, notes, masters []*slide, err error) {
	d, ok := p.object(persist, docRef, rtDocument)
	if !ok {
		return nil, nil, nil, nil
	}
	kids, damaged := children(d.data)
	p.damaged = p.damaged || damaged
	var whole slide // the presentation's own header and footer
	slides = []*slide{}
	for _, k := range kids {
		switch {
		case k.typ == rtSlideListWithText && k.instance == listMasters:
			for _, m := range p.slideList(k) {
				r, ok := p.object(persist, m.persist, rtMainMaster)
				if !ok {
					r, ok = p.object(persist, m.persist, rtSlide) // a title master
				}
				if !ok {
					p.damaged = true
					continue
				}
				if err := p.walk(r, &whole, 0, ofMaster); err != nil {
					return nil, nil, nil, err
				}
			}
		case k.typ == rtSlideListWithText && (k.instance == listSlides || k.instance == listNotes):
			list := p.slideList(k)
			if k.instance == listSlides {
				slides = append(slides, list...)
			} else {
				notes = append(notes, list...)
			}
		case k.typ == rtHeadersFooters:
			if err := p.walk(k, &whole, 0, ofSlide); err != nil {
				return nil, nil, nil, err
			}
		}
	}
	byID := map[uint32]int{}
	for i, s := range slides {
		s.page = i + 1
		byID[s.id] = s.page
		r, ok := p.object(persist, s.persist, rtSlide)
		if !ok {
			p.damaged = true
			continue
		}
		if err := p.walk(r, s, 0, ofSlide); err != nil {
			return nil, nil, nil, err
		}
	}
	for _, n := range notes {
		r, ok := p.object(persist, n.persist, rtNotes)
		if !ok {
			p.damaged = true
			continue
		}
		if err := p.walk(r, n, 0, ofNotes); err != nil {
			return nil, nil, nil, err
		}
		n.page = byID[n.id]
	}
	return slides, notes, []*slide{&whole}, nil
}

// slideList reads a SlideListWithText: a SlidePersistAtom for each slide,
// each followed by the text of its placeholders.
func (p *presentation) slideList(list rec) []*slide {
	kids, damaged := children(list.data)
	p.damaged = p.damaged || damaged
	var out []*slide
	for _, k := range kids {
		switch k.typ {
		case rtSlidePersistAtom:
			if len(k.data) < 16 {
				p.damaged = true
				continue
			}
			out = append(out, &slide{persist: binary.LittleEndian.Uint32(k.data), id: binary.LittleEndian.Uint32(k.data[12:])})
		case rtTextCharsAtom, rtTextBytesAtom:
			if len(out) > 0 {
				s := out[len(out)-1]
				if list.instance == listNotes {
					p.keep(&s.notes, text(k))
				} else {
					p.keep(&s.body, text(k))
				}
			}
		}
	}
	return out
}

// walk reads the text in record r of slide s (or of a notes page, when
// notes is set): text atoms anywhere in its drawing, comments, headers and
// footers, whether the slide is hidden, and which slide a notes page is of.
func (p *presentation) walk(r rec, s *slide, depth int, of kind) error {
	if p.records++; p.records%4096 == 0 {
		if err := p.ctx.Err(); err != nil {
			return extract.Errorf(extract.KindTimeout, "timed out while reading the presentation")
		}
	}
	switch r.typ {
	case rtTextCharsAtom, rtTextBytesAtom:
		if of == ofNotes {
			return p.keep(&s.notes, text(r))
		}
		return p.keep(&s.body, text(r))
	case rtSlideShowInfo:
		if len(r.data) >= 12 && binary.LittleEndian.Uint16(r.data[10:])&slideHidden != 0 {
			s.hidden = true
		}
	case rtNotesAtom:
		if of == ofNotes && len(r.data) >= 4 {
			s.id = binary.LittleEndian.Uint32(r.data)
		}
	case rtComment10, rtHeadersFooters:
		kids, damaged := children(r.data)
		p.damaged = p.damaged || damaged
		for _, k := range kids {
			if k.typ != rtCString {
				continue
			}
			var err error
			switch {
			case r.typ == rtComment10 && k.instance == commentText:
				err = p.keep(&s.comments, text(k))
			case r.typ == rtHeadersFooters && k.instance == footerText:
				err = p.keep(&s.footer, text(k))
			case r.typ == rtHeadersFooters:
				err = p.keep(&s.header, text(k))
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	if of == ofMaster && r.typ == rtShape && placeholder(r) {
		// "Click to edit the title style": shown on no slide.
		return nil
	}
	if !r.container || depth >= maxDepth {
		p.damaged = p.damaged || r.container
		return nil
	}
	kids, damaged := children(r.data)
	p.damaged = p.damaged || damaged
	for _, k := range kids {
		if err := p.walk(k, s, depth+1, of); err != nil {
			return err
		}
	}
	return nil
}

// placeholder reports whether the shape r is a placeholder: its client
// data holds a PlaceholderAtom.
func placeholder(r rec) bool {
	kids, _ := children(r.data)
	for _, k := range kids {
		if k.typ != rtClientData {
			continue
		}
		data, _ := children(k.data)
		for _, d := range data {
			if d.typ == rtPlaceholderAtom {
				return true
			}
		}
	}
	return false
}

// inStream reads the slides and notes in the order their records sit in
// the stream, for a file whose edits cannot be followed.
func (p *presentation) inStream() (slides, notes, masters []*slide, err error) {
	var whole slide
	slides = []*slide{}
	if _, _, ok := header(p.stream, 0); !ok {
		return nil, nil, nil, extract.Errorf(extract.KindCorrupt, "damaged PowerPoint file: the presentation stream holds no records")
	}
	for off := 0; off < len(p.stream); {
		r, end, ok := header(p.stream, off)
		if !ok {
			p.damaged = true
			break
		}
		off = end
		switch r.typ {
		case rtSlide:
			s := &slide{page: len(slides) + 1}
			slides = append(slides, s)
			err = p.walk(r, s, 0, ofSlide)
		case rtMainMaster:
			err = p.walk(r, &whole, 0, ofMaster)
		case rtNotes:
			n := &slide{}
			notes = append(notes, n)
			err = p.walk(r, n, 0, ofNotes)
		case rtDocument:
			kids, _ := children(r.data)
			for _, k := range kids {
				if k.typ == rtSlideListWithText && (k.instance == listSlides || k.instance == listNotes) {
					for _, s := range p.slideList(k) {
						whole.body = append(whole.body, s.body...)
						whole.notes = append(whole.notes, s.notes...)
					}
				}
				if k.typ == rtHeadersFooters && err == nil {
					err = p.walk(k, &whole, 0, ofSlide)
				}
			}
		}
		if err != nil {
			return nil, nil, nil, err
		}
	}
	return slides, notes, []*slide{&whole}, nil
}

// keep holds one more text of a slide, charged against what the document
// may still take.
func (p *presentation) keep(list *[]string, s string) error {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	p.held += len(s)
	if err := p.doc.Fits(p.held); err != nil {
		return err
	}
	*list = append(*list, s)
	return nil
}

// text decodes a text atom or a CString: UTF-16, or one byte per
// character (the low bytes of UTF-16) for a TextBytesAtom.
func text(r rec) string {
	var s string
	if r.typ == rtTextBytesAtom {
		u := make([]uint16, len(r.data))
		for i, b := range r.data {
			u[i] = uint16(b)
		}
		s = string(utf16.Decode(u))
	} else {
		u := make([]uint16, len(r.data)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(r.data[2*i:])
		}
		s = string(utf16.Decode(u))
	}
	return paragraphs(s)
}

// paragraphs puts the paragraphs (ended by a carriage return) and the lines
// (broken by a vertical tab) of PowerPoint text on lines of their own.
func paragraphs(s string) string { return strings.NewReplacer("\r", "\n", "\v", "\n").Replace(s) }

// emit adds what was read, slide by slide, then the notes, then what
// belongs to the whole presentation.
func (p *presentation) emit(slides, notes, masters []*slide) error {
	add := func(part extract.Part, page int, texts []string) error {
		t := strings.TrimSpace(strings.Join(texts, "\n"))
		if t == "" {
			return nil
		}
		return p.doc.Add(extract.Segment{Part: part, Page: page, Text: t})
	}
	for _, group := range [][]*slide{slides, notes, masters} {
		for _, s := range group {
			body := extract.PartBody
			if s.hidden {
				body = extract.PartHidden
			}
			for _, x := range []struct {
				part  extract.Part
				texts []string
			}{{body, s.body}, {extract.PartNotes, s.notes}, {extract.PartComment, s.comments}, {extract.PartHeader, s.header}, {extract.PartFooter, s.footer}} {
				if err := add(x.part, s.page, x.texts); err != nil {
					return err
				}
			}
		}
	}
	return nil
}
