// Package msxls reads Excel 97-2003 workbooks (BIFF8) and Excel 5/95 ones
// (BIFF5), and the WPS Spreadsheets .et files written in the same format,
// for extract. Importing it registers the reader.
//
// A workbook is one stream of records (Workbook, or Book for BIFF5) inside
// a compound file: a globals substream (code page, sheet list, shared
// string table) and one substream per sheet, each from a BOF record to its
// EOF (charts embedded in a sheet nest a substream of their own). Page is
// the sheet's 1-based position in the sheet list, as for XLSX: its name
// (Part sheet-name), its cells (body: one line per row, cells apart by
// tabs; cells of hidden sheets, rows and columns in Part hidden), its print
// header and footer, its cell comments and its text boxes. A sheet
// substream that no sheet of the list points at is read too, with Page 0.
// Embedded objects are read as documents of their own (Inner names their
// storage). Document properties are not read here.
package msxls

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/numfmt"
	"github.com/baomi/baomi/scanner/extract/internal/officeart"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

func init() { extract.Register(extract.FormatXLS, readWorkbook) }

// Record types read (MS-XLS 2.3; those of Excel 2-4 from OpenOffice's
// description of the Excel file format).
const (
	recFormula      = 0x0006
	recEOF          = 0x000A
	recHeader       = 0x0014
	recFooter       = 0x0015
	recNote         = 0x001C
	recFilePass     = 0x002F
	recContinue     = 0x003C
	recCodePage     = 0x0042
	recObj          = 0x005D
	recColInfo      = 0x007D
	recBoundSheet   = 0x0085
	recRString      = 0x00D6
	recSST          = 0x00FC
	recLabelSST     = 0x00FD
	recDrawingGroup = 0x00EB
	recTxO          = 0x01B6
	recLabel        = 0x0204
	recString       = 0x0207
	recRow          = 0x0208
	recBOF          = 0x0809
	recLabel2       = 0x0004 // BIFF2
	recString2      = 0x0007 // BIFF2
	recFormula3     = 0x0206 // BIFF3
	recFormula4     = 0x0406 // BIFF4
	recHeaderFoot   = 0x089C
	recFormat       = 0x041E // BIFF5 and BIFF8
	recDV           = 0x01BE // data validation: its prompt and error message
	recHLinkTooltip = 0x0800
	bofGlobals      = 0x0005
	bofChart        = 0x0020
	otNote          = 0x19 // the object type of a cell comment (OBJ, ftCmo)
	hiddenState     = 0x03 // BOUNDSHEET: hidden (1) or very hidden (2)
	rowHidden       = 0x20 // ROW: fDyZero
	colHidden       = 0x01 // COLINFO: fHidden
	checkCtxEvery   = 4096 // records between looks at the context
	maxSSTPrealloc  = 1 << 16
)

// cellRecord are the records that give a cell's text.
var cellRecord = map[uint16]bool{recLabelSST: true, recLabel: true, recRString: true, recString: true, recLabel2: true, recString2: true}

// firstBOF returns where the first BOF record of a BIFF5 or BIFF8
// workbook's globals starts in b, or -1.
func firstBOF(b []byte) int {
	for at := 0; ; at++ {
		i := bytes.Index(b[at:], []byte{0x09, 0x08})
		if i < 0 {
			return -1
		}
		at += i
		if at+8 <= len(b) {
			n, v, dt := binary.LittleEndian.Uint16(b[at+2:]), binary.LittleEndian.Uint16(b[at+4:]), binary.LittleEndian.Uint16(b[at+6:])
			if n >= 8 && n <= 20 && (v == 0x0500 || v == 0x0600) && dt == bofGlobals {
				return at
			}
		}
	}
}

// isBOF reports whether typ is a BOF record: of BIFF5 and BIFF8 (0x0809),
// or of Excel 2, 3 and 4 (0x0009, 0x0209, 0x0409), whose files are a
// workbook stream on their own, outside any compound file.
func isBOF(typ uint16) bool { return typ == recBOF || typ&0xF9FF == 0x0009 }

// sheet is what was read of one sheet, kept until the end so that the
// sheets come out in the order of the sheet list.
type sheet struct {
	name            string
	seen            bool // its substream was read
	hidden          bool
	pos             uint32 // stream offset of its BOF
	page            int
	body, hid       strings.Builder
	lastRow         int
	inBody, inHid   bool
	header, footer  []string
	comments, boxes []string
	hiddenRows      map[uint16]bool
	hiddenCols      [][2]uint16
}

// workbook is the state of one reading.
type workbook struct {
	biff8           bool
	codePage        uint16
	unknownCodePage bool
	sst             []string
	sheets          []*sheet
	doc             *extract.Text
	held            int // bytes of text held in sheets, not yet added
	damaged         bool
	drawing         []byte // the drawing group: the pictures of the workbook
	listed          bool   // the workbook has a sheet list
	// formats is the text of the workbook's number formats (numfmt.Text):
	// what they write into every cell of their style.
	formats []string
	data    []byte // the stream: its drawings' shapes are read whole (officeart)
}

func readWorkbook(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	read := func(data []byte) (*extract.Text, error) {
		w := &workbook{doc: extract.NewText(extract.FormatXLS, opt)}
		if err := w.read(ctx, data, opt); err != nil {
			return nil, err
		}
		return w.doc, nil
	}
	head := make([]byte, len(cfb.Signature))
	if _, err := r.ReadAt(head, 0); err == nil && string(head) != cfb.Signature {
		// An Excel 2, 3 or 4 file: the workbook stream is the file.
		data := make([]byte, size)
		if _, err := r.ReadAt(data, 0); err != nil {
			return nil, extract.Errorf(extract.KindIO, "cannot read the workbook")
		}
		doc, err := read(data)
		if err != nil {
			return nil, err
		}
		return doc.Document, nil
	}
	c, err := cfb.Recover(r, size)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	e := c.Lookup("Workbook")
	if e == nil || !e.IsStream() {
		e = c.Lookup("Book")
	}
	if e == nil || !e.IsStream() {
		return nil, extract.Errorf(extract.KindCorrupt, "damaged Excel workbook: the workbook stream is missing")
	}
	data, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	doc, err := read(data)
	if err != nil {
		return nil, err
	}
	if err := doc.Properties(c, opt); err != nil {
		return nil, err
	}
	if err := objects(ctx, c, doc, opt); err != nil {
		return nil, err
	}
	doc.Review = append(doc.Review, c.Review()...)
	return doc.Document, nil
}

func (w *workbook) read(ctx context.Context, data []byte, opt extract.Options) error {
	w.data = data
	recs, damaged := records(data)
	w.damaged = damaged
	depth := 0 // substreams open
	if len(recs) == 0 || !isBOF(recs[0].typ) {
		// A stream whose start is lost (a damaged compound file gives
		// one) is read, as LibreOffice reads it, from its first BOF
		// record or else as the globals of a BIFF8 workbook, as far as
		// its records go. Damaged: review.
		if at := firstBOF(data); at > 0 {
			recs, _ = records(data[at:])
			for i := range recs {
				recs[i].pos += at
			}
		} else {
			depth = 1
		}
		w.damaged = true
	}
	switch {
	case len(recs) == 0:
		return extract.Errorf(extract.KindCorrupt, "damaged Excel workbook: the workbook stream does not start with a BOF record")
	case isBOF(recs[0].typ) && len(recs[0].data) >= 4:
		w.biff8 = recs[0].typ == recBOF && binary.LittleEndian.Uint16(recs[0].data) == 0x0600
	default:
		w.damaged, w.biff8 = true, true
	}
	var (
		cur      *sheet // sheet whose substream is being read; nil in globals
		next     int    // the sheet a substream without a known position reads into
		objType  uint16 // type of the last OBJ record, for the TXO after it
		row, col uint16 // cell of the last FORMULA, for the STRING after it
		chart    bool   // the substream is a chart sheet's
	)
	for i := 0; i < len(recs); i++ {
		if i%checkCtxEvery == 0 {
			if err := ctx.Err(); err != nil {
				return extract.Errorf(extract.KindTimeout, "timed out while reading the workbook")
			}
		}
		rec := recs[i]
		d := rec.data
		switch {
		case isBOF(rec.typ):
			depth++
			if depth != 1 || len(d) < 4 || binary.LittleEndian.Uint16(d[2:]) == bofGlobals {
				continue
			}
			cur = w.substream(uint32(rec.pos), &next)
			chart = binary.LittleEndian.Uint16(d[2:]) == bofChart
			continue
		case rec.typ == recEOF:
			if depth--; depth <= 0 {
				depth, cur = 0, nil
			}
			continue
		case rec.typ == recFilePass:
			if err := w.decrypt(recs, i, opt); err != nil {
				return err
			}
			continue
		}
		if depth != 1 {
			continue // a chart inside a sheet, or records outside any substream
		}
		if cur == nil {
			if err := w.global(recs, &i); err != nil {
				return err
			}
			continue
		}
		var err error
		if chart && cellRecord[rec.typ] {
			// A chart sheet keeps copies of the cells it draws from,
			// which are not cells of its own (its series' labels).
			continue
		}
		switch rec.typ {
		case recLabelSST:
			if len(d) >= 10 {
				if k := binary.LittleEndian.Uint32(d[6:]); int(k) < len(w.sst) {
					err = w.cell(cur, d, w.sst[k])
				} else {
					w.damaged = true
				}
			}
		case recLabel2:
			if len(d) >= 7 {
				s, ok := w.xlString(d[7:], 1)
				w.damaged = w.damaged || !ok
				err = w.cell(cur, d, s)
			}
		case recLabel, recRString:
			if len(d) >= 6 {
				s, ok := w.xlString(d[6:], 2)
				w.damaged = w.damaged || !ok
				err = w.cell(cur, d, s)
			}
		case recFormula, recFormula3, recFormula4:
			if len(d) >= 4 {
				row, col = binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:])
			}
		case recString, recString2:
			s, ok := w.stringResult(recs, i)
			w.damaged = w.damaged || !ok
			err = w.cell(cur, []byte{byte(row), byte(row >> 8), byte(col), byte(col >> 8)}, s)
		case recRow:
			if len(d) >= 16 && d[12]&rowHidden != 0 {
				if cur.hiddenRows == nil {
					cur.hiddenRows = map[uint16]bool{}
				}
				cur.hiddenRows[binary.LittleEndian.Uint16(d)] = true
			}
		case recColInfo:
			if len(d) >= 10 && d[8]&colHidden != 0 {
				cur.hiddenCols = append(cur.hiddenCols, [2]uint16{binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:])})
			}
		case recHeader, recFooter:
			s, ok := w.xlString(d, w.stringCount())
			w.damaged = w.damaged || !ok && len(d) > 0
			if rec.typ == recHeader {
				err = w.keep(&cur.header, headerText(s))
			} else {
				err = w.keep(&cur.footer, headerText(s))
			}
		case recHeaderFoot:
			err = w.headerFooter(cur, d)
		case recObj:
			if len(d) >= 6 {
				objType = binary.LittleEndian.Uint16(d[4:])
			}
		case recTxO:
			s := w.textObject(recs, i)
			if objType == otNote {
				err = w.keep(&cur.comments, s)
			} else {
				err = w.keep(&cur.boxes, s)
			}
			objType = 0
		case recNote:
			if !w.biff8 {
				err = w.note(cur, d)
			}
		case recDV:
			err = w.validation(cur, d)
		case recHLinkTooltip:
			if len(d) > 10 {
				err = w.keep(&cur.comments, tooltip(d[10:]))
			}
		}
		if err != nil {
			return err
		}
	}
	return w.emit(ctx)
}

// stringCount is the size of the character count of header and footer
// strings: two bytes in BIFF8, one in BIFF5.
func (w *workbook) stringCount() int {
	if w.biff8 {
		return 2
	}
	return 1
}

// substream finds the sheet whose BOF is at pos; a substream at a position
// no sheet names takes the next sheet not yet read (writers that get the
// positions wrong still write the substreams in order), and when every
// sheet is read it is a sheet of its own on page 0.
func (w *workbook) substream(pos uint32, next *int) *sheet {
	for _, s := range w.sheets {
		if s.pos == pos && !s.seen {
			s.seen = true
			return s
		}
	}
	for ; *next < len(w.sheets); *next++ {
		if s := w.sheets[*next]; !s.seen {
			s.seen = true
			return s
		}
	}
	s := &sheet{seen: true}
	if !w.listed {
		s.page = len(w.sheets) + 1 // Excel 2-4 files have no sheet list
	}
	w.sheets = append(w.sheets, s)
	*next = len(w.sheets)
	return s
}

// global reads a record of the globals substream; the shared string table
// takes the CONTINUE records after it, and *i moves past them.
func (w *workbook) global(recs []record, i *int) error {
	d := recs[*i].data
	switch recs[*i].typ {
	case recCodePage:
		if len(d) >= 2 {
			w.codePage = binary.LittleEndian.Uint16(d)
		}
	case recBoundSheet:
		if len(d) < 6 {
			w.damaged = true
			return nil
		}
		name, ok := w.xlString(d[6:], 1)
		w.damaged = w.damaged || !ok
		if err := w.hold(len(name)); err != nil {
			return err
		}
		w.listed = true
		w.sheets = append(w.sheets, &sheet{
			name:   name,
			pos:    binary.LittleEndian.Uint32(d),
			hidden: d[4]&hiddenState != 0,
			page:   len(w.sheets) + 1,
		})
	case recFormat:
		if len(d) >= 2 {
			// What a format record cut short holds is read; it is not
			// damage to the text (writers do cut them).
			code, _ := w.xlString(d[2:], w.stringCount())
			return w.keep(&w.formats, numfmt.Text(code))
		}
	case recDrawingGroup:
		w.drawing = append(w.drawing, d...)
		for *i+1 < len(recs) && recs[*i+1].typ == recContinue {
			*i++
			w.drawing = append(w.drawing, recs[*i].data...)
		}
	case recSST:
		parts := [][]byte{d}
		for *i+1 < len(recs) && recs[*i+1].typ == recContinue {
			*i++
			parts = append(parts, recs[*i].data)
		}
		return w.sharedStrings(parts)
	}
	return nil
}

// sharedStrings reads the shared string table: a total and a unique count,
// then the unique strings.
func (w *workbook) sharedStrings(parts [][]byte) error {
	c := &chunks{parts: parts}
	if !c.skip(4) {
		w.damaged = true
		return nil
	}
	n, ok := c.u32()
	if !ok {
		w.damaged = true
		return nil
	}
	w.sst = make([]string, 0, min(n, maxSSTPrealloc))
	for k := uint32(0); k < n; k++ {
		s, ok := c.richString()
		if err := w.hold(len(s)); err != nil {
			return err
		}
		w.sst = append(w.sst, s)
		if !ok {
			w.damaged = true
			return nil
		}
	}
	return nil
}

// hold charges n bytes of text the reading keeps for later against what
// the document may still take. Shared strings are charged once, when read,
// and cells that show them again are charged as they are added.
func (w *workbook) hold(n int) error {
	w.held += n
	return w.doc.Fits(w.held)
}

// cell adds the text of the cell whose row and column start d.
func (w *workbook) cell(s *sheet, d []byte, text string) error {
	if text == "" {
		return nil
	}
	row, col := binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:])
	b, in := &s.body, &s.inBody
	if s.hidden || s.hiddenRows[row] || s.colHidden(col) {
		b, in = &s.hid, &s.inHid
	}
	sep := ""
	switch {
	case *in && int(row) != s.lastRow:
		sep = "\n"
	case *in:
		sep = "\t"
	}
	if err := w.hold(len(sep) + len(text)); err != nil {
		return err
	}
	b.WriteString(sep)
	b.WriteString(text)
	*in, s.lastRow = true, int(row)
	return nil
}

func (s *sheet) colHidden(col uint16) bool {
	for _, r := range s.hiddenCols {
		if col >= r[0] && col <= r[1] {
			return true
		}
	}
	return false
}

// keep holds one more text of a sheet (a header, a comment …).
func (w *workbook) keep(list *[]string, s string) error {
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	if err := w.hold(len(s)); err != nil {
		return err
	}
	*list = append(*list, s)
	return nil
}

// stringResult reads the STRING record at recs[i], the string a formula
// computed, with the CONTINUE records that may carry it on.
func (w *workbook) stringResult(recs []record, i int) (string, bool) {
	d := recs[i].data
	if recs[i].typ == recString2 {
		return w.xlString(d, 1)
	}
	if !w.biff8 {
		return w.xlString(d, 2)
	}
	if len(d) < 3 {
		return "", false
	}
	parts := [][]byte{d[3:]}
	for j := i + 1; j < len(recs) && recs[j].typ == recContinue; j++ {
		parts = append(parts, recs[j].data)
	}
	c := &chunks{parts: parts}
	return c.chars(int(binary.LittleEndian.Uint16(d)), d[2]&1 != 0)
}

// textObject reads the text of the TXO record at recs[i] (a cell comment
// or a text box): its length is in the record, its characters in the
// CONTINUE records after it, each starting with a flags byte in BIFF8.
func (w *workbook) textObject(recs []record, i int) string {
	d := recs[i].data
	if len(d) < 12 {
		return ""
	}
	n := int(binary.LittleEndian.Uint16(d[10:]))
	var parts [][]byte
	for j := i + 1; j < len(recs) && recs[j].typ == recContinue; j++ {
		parts = append(parts, recs[j].data)
	}
	if n == 0 {
		return ""
	}
	if len(parts) == 0 {
		w.damaged = true
		return ""
	}
	if !w.biff8 {
		b := append([]byte(nil), parts[0]...)
		for _, p := range parts[1:] {
			if len(b) >= n {
				break
			}
			b = append(b, p...)
		}
		return w.decode(b[:min(n, len(b))])
	}
	c := &chunks{parts: parts}
	f, ok := c.byte()
	s, ok2 := c.chars(n, f&1 != 0)
	w.damaged = w.damaged || !ok || !ok2
	return s
}

// note reads a BIFF5 NOTE record, which holds the comment's text itself; a
// long text goes on in NOTE records whose row is 0xFFFF.
func (w *workbook) note(s *sheet, d []byte) error {
	if len(d) < 6 {
		return nil
	}
	text, _ := w.xlString(d[4:], 2)
	if binary.LittleEndian.Uint16(d) == 0xFFFF && len(s.comments) > 0 {
		last := &s.comments[len(s.comments)-1]
		if err := w.hold(len(text)); err != nil {
			return err
		}
		*last += text
		return nil
	}
	return w.keep(&s.comments, text)
}

// validation reads a DV record (BIFF8): after its flags, the title and
// text of the prompt a cell shows when it is chosen and of the message it
// shows on a wrong entry, four XLUnicodeStrings (an empty one is a NUL).
func (w *workbook) validation(s *sheet, d []byte) error {
	if !w.biff8 || len(d) < 4 {
		return nil
	}
	d = d[4:]
	for range 4 {
		text, ok := w.xlString(d, 2)
		if !ok || len(d) < 3 { // a string's count, flags byte and characters
			w.damaged = true
			return nil
		}
		if err := w.keep(&s.comments, strings.Trim(text, "\x00 ")); err != nil {
			return err
		}
		n := int(binary.LittleEndian.Uint16(d))
		if d[2]&1 != 0 {
			n *= 2
		}
		d = d[min(len(d), 3+n):]
	}
	return nil
}

// tooltip returns the tooltip of a hyperlink, the NUL-terminated UTF-16
// string an HLINKTOOLTIP record ends with.
func tooltip(b []byte) string {
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := binary.LittleEndian.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return strings.TrimSpace(decodeUTF16(u))
}

// headerFooter reads the HEADERFOOTER record: the headers and footers of
// even and first pages, when they differ from the others.
func (w *workbook) headerFooter(s *sheet, d []byte) error {
	if len(d) < 38 {
		return nil
	}
	counts := d[30:38]
	rest := d[38:]
	for k := 0; k < 4; k++ {
		n := int(binary.LittleEndian.Uint16(counts[2*k:]))
		if n == 0 {
			continue
		}
		if len(rest) < 3 {
			w.damaged = true
			return nil
		}
		text, ok := w.xlString(rest, 2)
		if !ok {
			w.damaged = true
			return nil
		}
		width := 1
		if rest[2]&1 != 0 {
			width = 2
		}
		rest = rest[min(len(rest), 3+n*width):]
		list := &s.header
		if k%2 == 1 {
			list = &s.footer
		}
		if err := w.keep(list, headerText(text)); err != nil {
			return err
		}
	}
	return nil
}

// headerText drops the codes of a header or footer (&L, &C, &R for its
// three sections, &P page number, &"font", &12 size, &K colour …), which
// are not text; && is an ampersand. Sections go on their own lines.
func headerText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '&' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		i++
		switch c := s[i]; {
		case c == '&':
			b.WriteByte('&')
		case c == 'L' || c == 'C' || c == 'R':
			b.WriteByte('\n')
		case c == '"':
			if j := strings.IndexByte(s[i+1:], '"'); j >= 0 {
				i += j + 1
			} else {
				i = len(s)
			}
		case c >= '0' && c <= '9':
			for i+1 < len(s) && s[i+1] >= '0' && s[i+1] <= '9' {
				i++
			}
		case c == 'K': // a colour: six hex digits
			for k := 0; k < 6 && i+1 < len(s) && strings.IndexByte("0123456789ABCDEFabcdef", s[i+1]) >= 0; k++ {
				i++
			}
		case c >= 0x80 || !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z'):
			// Not a code: a lone ampersand before text.
			b.WriteByte('&')
			b.WriteByte(c)
		}
	}
	return strings.TrimSpace(b.String())
}

// emit adds what was read, sheet by sheet in the order of the sheet list,
// then the substreams no sheet names.
func (w *workbook) emit(ctx context.Context) error {
	for _, s := range w.sheets {
		segs := []extract.Segment{{Part: extract.PartSheetName, Page: s.page, Text: s.name}}
		body := extract.PartBody
		if s.hidden {
			body = extract.PartHidden
		}
		segs = append(segs,
			extract.Segment{Part: body, Page: s.page, Text: s.body.String()},
			extract.Segment{Part: extract.PartHidden, Page: s.page, Text: s.hid.String()})
		for _, l := range []struct {
			part extract.Part
			list []string
		}{{extract.PartHeader, s.header}, {extract.PartFooter, s.footer}, {extract.PartComment, s.comments}, {extract.PartTextbox, s.boxes}} {
			for _, t := range l.list {
				segs = append(segs, extract.Segment{Part: l.part, Page: s.page, Text: t})
			}
		}
		for _, seg := range segs {
			if strings.TrimSpace(seg.Text) == "" {
				continue
			}
			if err := w.doc.Add(seg); err != nil {
				return err
			}
		}
	}
	if err := w.doc.AddAll(officeart.Segments(w.data)); err != nil {
		return err
	}
	if f := strings.Join(w.formats, "\n"); strings.TrimSpace(f) != "" {
		if err := w.doc.Add(extract.Segment{Part: extract.PartBody, Text: f}); err != nil {
			return err
		}
	}
	if err := w.doc.ReadBlips(ctx, pictures(w.drawing)); err != nil {
		return err
	}
	w.doc.ReviewPictures()
	if w.damaged {
		w.doc.Review = append(w.doc.Review, "damaged Excel workbook: some records could not be read")
	}
	if w.unknownCodePage {
		w.doc.Review = append(w.doc.Review, "Excel workbook in a code page baomi does not know: text may be wrong")
	}
	return nil
}

// pictures returns the pictures of a workbook's drawing group that may
// carry text: the BLIPs of its picture store, one per picture the sheets
// show, but those too small to hold a line of text. An entry of the store
// whose BLIP is not found (cut short) is a picture whose bytes were not
// found (a Blip without data).
func pictures(dg []byte) []picture.Blip {
	found := picture.Blips(dg)
	var out []picture.Blip
	for _, p := range found {
		if p.Metafile || extract.PictureMayCarryText(p.Data) {
			out = append(out, p)
		}
	}
	for range max(0, stored(dg)-len(found)) {
		out = append(out, picture.Blip{})
	}
	return out
}

// stored counts the entries of the picture store
// (OfficeArtBStoreContainer) inside a drawing group's
// OfficeArtDggContainer.
func stored(dg []byte) int {
	const dggContainer, bstoreContainer = 0xF000, 0xF001
	if len(dg) < 8 || binary.LittleEndian.Uint16(dg[2:]) != dggContainer {
		return 0
	}
	b := dg[8:]
	for len(b) >= 8 {
		typ, n := binary.LittleEndian.Uint16(b[2:]), binary.LittleEndian.Uint32(b[4:])
		if typ == bstoreContainer {
			// Its instance is the number of entries; count them from
			// it when the container is cut short.
			return int(binary.LittleEndian.Uint16(b) >> 4)
		}
		if uint64(n) > uint64(len(b)-8) {
			return 0
		}
		b = b[8+n:]
	}
	return 0
}
