package msdoc

import (
	"context"
	"encoding/binary"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/codepage"
)

// piece is a run of text in the WordDocument stream: characters [cp, end)
// of the document, at byte offset fc, 8-bit (in code page cp8) or UTF-16.
type piece struct {
	cp, end uint32
	fc      uint32
	wide    bool
	props   uint8 // deleted, hidden … for the whole piece, from its Prm
}

// pieces reads the piece table: the Pcdt of the CLX, after the property
// runs (Prc) of a fast-saved file. A non-complex Word 6/95 file has none:
// its text is one run of bytes from fcMin, and so is that of a Word 97
// file without its table stream.
func (f *fib) pieces(total uint32) ([]piece, error) {
	clx := f.pair(iClx)
	if clx == nil {
		if f.word6 && f.flags&fComplex == 0 {
			return []piece{{cp: 0, end: total, fc: f.fcMin}}, nil
		}
		if f.noTable {
			// UTF-16 when fcMin to fcMac holds two bytes a character.
			wide := uint64(f.fcMac) >= uint64(f.fcMin)+2*uint64(total)
			return []piece{{cp: 0, end: total, fc: f.fcMin, wide: wide}}, nil
		}
		return nil, damaged("damaged Word document: no piece table")
	}
	le := binary.LittleEndian
	var prcs [][]byte                 // the sprms a fast save applies to whole pieces
	for len(clx) > 0 && clx[0] == 1 { // a Prc: 1, its size, its sprms
		if len(clx) < 3 {
			return nil, damaged("damaged Word document: the piece table is cut short")
		}
		n := int(le.Uint16(clx[1:]))
		if 3+n > len(clx) {
			return nil, damaged("damaged Word document: the piece table is cut short")
		}
		prcs = append(prcs, clx[3:3+n])
		clx = clx[3+n:]
	}
	if len(clx) < 5 || clx[0] != 2 {
		return nil, damaged("damaged Word document: no piece table")
	}
	plc := clx[5:min(uint64(len(clx)), 5+uint64(le.Uint32(clx[1:])))]
	// n+1 character positions, then n descriptors of 8 bytes.
	n := (len(plc) - 4) / 12
	if n <= 0 {
		return nil, damaged("damaged Word document: the piece table is empty")
	}
	out := make([]piece, 0, n)
	for i := 0; i < n; i++ {
		cp, end := le.Uint32(plc[4*i:]), le.Uint32(plc[4*i+4:])
		fc := le.Uint32(plc[4*(n+1)+8*i+2:])
		// Word 6/95 text is 8-bit, unless the file says its characters
		// are extended (a Macintosh Word file of the corpus does).
		p := piece{cp: cp, end: end, fc: fc, wide: !f.word6 || f.flags&fExtChar != 0}
		if p.wide && fc&0x40000000 != 0 { // compressed: 8-bit, at half the offset
			p.fc, p.wide = (fc&^0x40000000)/2, false
		}
		if end < cp {
			return nil, damaged("damaged Word document: the piece table is out of order")
		}
		// A Prm whose low bit is set names a Prc by its index; the short
		// form, one sprm coded by an index, is not read.
		if prm := le.Uint16(plc[4*(n+1)+8*i+6:]); prm&1 != 0 && int(prm>>1) < len(prcs) {
			p.props, _ = f.sprmProps(prcs[prm>>1])
		}
		out = append(out, p)
	}
	return out, nil
}

// bytes returns the bytes of characters [a, b) of piece p, which holds
// them, or false when the stream is shorter than the piece says.
func (p piece) bytes(wd []byte, a, b uint32) ([]byte, uint32, bool) {
	w := uint64(1)
	if p.wide {
		w = 2
	}
	start := uint64(p.fc) + uint64(a-p.cp)*w
	stop := start + uint64(b-a)*w
	if stop > uint64(len(wd)) {
		return nil, 0, false
	}
	return wd[start:stop], uint32(start), true
}

// story is a part of the document's text: characters [cp, end) read as part.
type story struct {
	cp, end uint32
	part    extract.Part
}

// stories splits the document's characters into its stories, in order,
// and the header story into headers and footers by its PlcfHdd.
func (f *fib) stories() []story {
	parts := []extract.Part{extract.PartBody, extract.PartFootnote, extract.PartHeader, "", extract.PartComment, extract.PartEndnote, extract.PartTextbox, extract.PartTextbox}
	var out []story
	cp := uint32(0)
	for i, n := range f.ccp {
		if n == 0 {
			continue
		}
		end := cp + n
		if end < cp { // a length that wraps: the rest is not there to read
			break
		}
		switch {
		case parts[i] == "": // macros (Word 6): not document text
		case i == 2:
			out = append(out, f.headers(cp, end)...)
		default:
			out = append(out, story{cp, end, parts[i]})
		}
		cp = end
	}
	return out
}

// headers splits the header story [cp, end): the PlcfHdd gives where each
// of its documents starts, six separators of notes first, then six per
// section: even and odd header, even and odd footer, first page's header
// and footer. Without it, the whole story is labelled header.
func (f *fib) headers(cp, end uint32) []story {
	plc := f.pair(iPlcfHdd)
	n := len(plc) / 4
	if n < 2 {
		return []story{{cp, end, extract.PartHeader}}
	}
	var out []story
	for i := 0; i+1 < n; i++ {
		a, b := cp+binary.LittleEndian.Uint32(plc[4*i:]), cp+binary.LittleEndian.Uint32(plc[4*i+4:])
		if b <= a || a < cp || b > end {
			continue
		}
		part := extract.PartHeader
		if k := (i - 6) % 6; i >= 6 && (k == 2 || k == 3 || k == 5) {
			part = extract.PartFooter
		}
		out = append(out, story{a, b, part})
	}
	// What the PlcfHdd does not cover is still read.
	first := cp + binary.LittleEndian.Uint32(plc[0:])
	last := cp + binary.LittleEndian.Uint32(plc[4*(n-1):])
	if first > cp && first <= end {
		out = append(out, story{cp, first, extract.PartHeader})
	}
	if last >= cp && last < end {
		out = append(out, story{last, end, extract.PartHeader})
	}
	return out
}

// text reads every story of the document into doc, and returns how many
// pictures and drawn objects its text anchors (special characters 0x01
// and 0x08).
func text(ctx context.Context, doc *extract.Text, f *fib, wd []byte) (anchors int, err error) {
	var total uint32
	for _, n := range f.ccp {
		total += n
	}
	pcs, err := f.pieces(total)
	if err != nil {
		return 0, err
	}
	styles := f.hiddenStyles()
	runs, paras := f.charRuns(wd, styles), f.paraRuns(wd, styles)
	cp8 := codepage.Latin1
	if f.word6 {
		cp8 = f.codePage(wd, pcs)
	}
	short := false
	// Word keeps a header for each section, most of them the same text:
	// each is read once.
	seen := map[string]bool{}
	stories := f.stories()
	// Word ends the piece table with the stories, or one paragraph mark
	// after them: characters past that no story shows are read as
	// hidden text rather than left out.
	if last := pcs[len(pcs)-1].end; last > total+1 && total+1 > total {
		stories = append(stories, story{total, last, extract.PartHidden})
	}
	for _, s := range stories {
		if err := ctx.Err(); err != nil {
			return 0, extract.Errorf(extract.KindTimeout, "cancelled while reading the Word document")
		}
		w := newWriter(doc, s.part, cp8, runs, paras)
		if s.part == extract.PartHeader || s.part == extract.PartFooter {
			w.seen = seen
		}
		read := s.cp
		i := sort.Search(len(pcs), func(i int) bool { return pcs[i].end > s.cp })
		for ; i < len(pcs) && pcs[i].cp < s.end; i++ {
			p := pcs[i]
			a, b := max(p.cp, s.cp), min(p.end, s.end)
			if a > read {
				short = true
			}
			if b <= a {
				continue
			}
			bs, fc, ok := p.bytes(wd, a, b)
			if !ok {
				short = true
				continue
			}
			w.pieceProps = p.props
			if err := w.piece(bs, fc, p.wide); err != nil {
				return 0, err
			}
			read = max(read, b)
		}
		if read < s.end {
			short = true
		}
		if err := w.close(); err != nil {
			return 0, err
		}
		anchors += w.anchors
	}
	if short {
		doc.Review = append(doc.Review, "part of the text lies outside the Word document's streams: text may be incomplete")
	}
	return anchors, nil
}

// writer turns the characters of one story into its segments: the text
// of its part, and apart from it the field codes, the deleted and the
// hidden text, as the DOCX reader does.
type writer struct {
	doc  *extract.Text
	base extract.Part
	cp8  int
	// runs are the character runs, paras the paragraphs hidden by their
	// style.
	runs, paras []charRun
	// pieceProps are the properties of the whole piece being written.
	pieceProps uint8
	bufs       map[extract.Part]*strings.Builder
	order      []extract.Part
	held       int
	// fields is the stack of the fields open at this point: true while
	// in a field's code (before its separator).
	fields []bool
	last   extract.Part // the part of the last text written
	// seen holds the segments added already, for the stories whose
	// repeats are left out (headers and footers); nil for the others.
	seen map[string]bool
	// anchors counts the characters that anchor a picture or an object.
	anchors int
}

func newWriter(doc *extract.Text, base extract.Part, cp8 int, runs, paras []charRun) *writer {
	return &writer{doc: doc, base: base, cp8: cp8, runs: runs, paras: paras, bufs: map[extract.Part]*strings.Builder{}}
}

// partAt is the part of a character at offset fc of the stream.
func (w *writer) partAt(fc uint32) extract.Part {
	for _, code := range w.fields {
		if code {
			return extract.PartField
		}
	}
	switch r := runAt(w.runs, fc) | runAt(w.paras, fc) | w.pieceProps; {
	case r&deleted != 0:
		return extract.PartDeleted
	case r&hidden != 0:
		return extract.PartHidden
	case r&inserted != 0:
		return extract.PartInserted
	}
	return w.base
}

// write adds s to the text of part p; text of the other parts is kept a
// line apart from the next, so that pieces of them do not join.
func (w *writer) write(p extract.Part, s string) error {
	if s == "" {
		return nil
	}
	if w.last != p && w.last != "" && w.last != w.base {
		w.bufs[w.last].WriteByte('\n')
		w.held++
	}
	w.last = p
	b := w.bufs[p]
	if b == nil {
		b = &strings.Builder{}
		w.bufs[p] = b
		w.order = append(w.order, p)
	}
	w.held += len(s)
	if err := w.doc.Fits(w.held); err != nil {
		return err
	}
	b.WriteString(s)
	return nil
}

// piece writes the characters bs, at offset fc of the stream.
func (w *writer) piece(bs []byte, fc uint32, wide bool) error {
	size := 1
	if wide {
		size = 2
	}
	start := 0 // the first character not yet written
	part := w.partAt(fc)
	flush := func(end int) error {
		if end <= start {
			return nil
		}
		err := w.write(part, w.decode(bs[start:end], wide))
		start = end
		return err
	}
	for i := 0; i+size <= len(bs); i += size {
		c := uint16(bs[i])
		if wide {
			c = binary.LittleEndian.Uint16(bs[i:])
		}
		at := fc + uint32(i)
		if p := w.partAt(at); p != part {
			if err := flush(i); err != nil {
				return err
			}
			part = p
		}
		if c >= 0x20 {
			continue
		}
		if err := flush(i); err != nil {
			return err
		}
		start = i + size
		var s string
		switch c {
		case 0x0D, 0x0B, 0x0C, 0x0E: // paragraph, line, page and column breaks
			s = "\n"
		case 0x07, 0x09: // end of a table cell or row, tab
			s = "\t"
		case 0x1E: // non-breaking hyphen
			s = "-"
		case 0x13: // field begin: its code follows
			w.fields = append(w.fields, true)
		case 0x14: // field separator: its result follows, read as text
			if n := len(w.fields); n > 0 {
				if err := w.endCode(n - 1); err != nil {
					return err
				}
				w.fields[n-1] = false
			}
		case 0x15: // field end
			if n := len(w.fields); n > 0 {
				if err := w.endCode(n - 1); err != nil {
					return err
				}
				w.fields = w.fields[:n-1]
			}
		}
		// Pictures, objects, note references and the other special
		// characters (0x01-0x08) carry no text.
		if c == 0x01 || c == 0x08 {
			w.anchors++
		}
		if err := w.write(part, s); err != nil {
			return err
		}
		part = w.partAt(at + uint32(size))
	}
	return flush(len(bs) - len(bs)%size)
}

// endCode ends the code of the i-th open field, if it is still in it,
// with a line of its own.
func (w *writer) endCode(i int) error {
	if !w.fields[i] || w.bufs[extract.PartField] == nil {
		return nil
	}
	err := w.write(extract.PartField, "\n")
	w.last = "" // the line is ended: text of another part needs no other
	return err
}

// decode returns characters of the story as UTF-8.
func (w *writer) decode(b []byte, wide bool) string {
	if wide {
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = binary.LittleEndian.Uint16(b[2*i:])
		}
		return string(utf16.Decode(u))
	}
	return codepage.Decode(w.cp8, b)
}

// close adds the story's segments to the document: its part's text, then
// the others in the order they came.
func (w *writer) close() error {
	w.order = append([]extract.Part{w.base}, w.order...)
	done := map[extract.Part]bool{}
	for _, p := range w.order {
		b := w.bufs[p]
		if done[p] || b == nil {
			continue
		}
		done[p] = true
		t := strings.TrimSpace(b.String())
		if w.seen != nil {
			key := string(p) + "\x00" + t
			if w.seen[key] {
				continue
			}
			w.seen[key] = true
		}
		if t != "" {
			if err := w.doc.Add(extract.Segment{Part: p, Text: t}); err != nil {
				return err
			}
		}
	}
	return nil
}
