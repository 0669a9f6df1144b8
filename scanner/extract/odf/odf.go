// Package odf reads OpenDocument files for extract: text documents,
// spreadsheets and presentations (.odt, .ods, .odp), packaged as a zip or
// flat as one XML file (.fodt, .fods, .fodp). It reads the body, headers
// and footers of the master pages, document properties, tracked deletions,
// hidden text, paragraphs, sheets and slides, comments, notes, text boxes,
// and the objects embedded in the document. Importing it registers the
// reader.
package odf

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/partbuf"
)

func init() {
	for _, f := range []extract.Format{extract.FormatODT, extract.FormatODS, extract.FormatODP, extract.FormatODF} {
		extract.Register(f, read)
	}
}

// checkEvery is how many XML tokens pass between checks for cancellation.
const checkEvery = 1 << 14

// reader is the reading of one document.
type reader struct {
	ctx      context.Context
	opt      extract.Options
	doc      *extract.Text
	zip      *extract.Zip // nil for a flat document
	elements int

	// Styles whose text is hidden (display none), whose tables are hidden
	// sheets (table:display false) and whose pages are hidden slides.
	hiddenText, hiddenTable, hiddenPage map[string]bool

	out    *partbuf.Buffers // the text of each destination, by page and part
	ids    int
	sheets int // sheets or slides so far: the page of what follows

	page   int    // the page of what is read: its sheet or slide, 0 outside
	style  string // the style being defined
	paras  []*para
	tables []*columns // the tables being read, innermost last
	held   int        // bytes of text the open paragraphs hold

	pictures int // pictures of a flat document, to name them
	objects  int // objects of a flat document
}

// read is the extractor of the OpenDocument formats.
func read(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	x := &reader{ctx: ctx, opt: opt, hiddenText: map[string]bool{}, hiddenTable: map[string]bool{}, hiddenPage: map[string]bool{}}
	format, err := extract.Sniff(r, size)
	switch {
	case err != nil:
		return nil, err
	case format != extract.FormatODT && format != extract.FormatODS && format != extract.FormatODP:
		format = extract.FormatODF // a second reading of a polyglot
	}
	x.doc = extract.NewText(format, opt)
	x.out = partbuf.New(x.doc)
	// A flat document is XML that names the OpenDocument namespace in its
	// head (as sniffing found it); anything else read as one is a package,
	// perhaps behind another file.
	head := make([]byte, 8192)
	n, _ := r.ReadAt(head, 0)
	t := bytes.TrimLeft(bytes.TrimPrefix(head[:n], []byte("\xEF\xBB\xBF")), " \t\r\n")
	if len(t) == 0 || t[0] != '<' || !bytes.Contains(t, []byte("urn:oasis:names:tc:opendocument:xmlns:office:1.0")) {
		return x.readZip(r, size)
	}
	if err := x.walk(io.NewSectionReader(r, 0, size), "the document"); err != nil {
		return nil, err
	}
	if err := x.out.Flush(nil); err != nil {
		return nil, err
	}
	x.doc.ReviewPictures()
	return x.doc.Document, nil
}

// readZip reads a packaged document: styles (master pages), content,
// properties, then the objects embedded in it and its pictures.
func (x *reader) readZip(r io.ReaderAt, size int64) (*extract.Document, error) {
	z, err := extract.OpenZip(r, size, x.opt)
	if err != nil {
		return nil, err
	}
	x.zip = z
	if encrypted(z) {
		return nil, extract.Errorf(extract.KindEncrypted, "encrypted OpenDocument file: cannot be read without its password")
	}
	if z.File("content.xml") == nil {
		return nil, extract.Errorf(extract.KindCorrupt, "damaged OpenDocument file: it has no content part")
	}
	for _, name := range []string{"styles.xml", "content.xml", "meta.xml"} {
		f := z.File(name)
		if f == nil {
			continue
		}
		rc, err := z.Open(f)
		if err != nil {
			return nil, err
		}
		err = x.walk(rc, z.Label(f))
		rc.Close()
		if err != nil {
			return nil, err
		}
		if err := x.out.Flush(nil); err != nil {
			return nil, err
		}
	}
	var pictures []*zip.File
	ctx := extract.Container(x.ctx)
	for _, f := range z.Files() {
		switch kind := entryKind(f.Name); kind {
		case entryPicture:
			pictures = append(pictures, f)
		case entryObject, entrySubdocument:
			if err := x.inner(ctx, f, kind); err != nil {
				return nil, err
			}
		}
	}
	if err := x.doc.ReadPictureEntries(x.ctx, z, pictures); err != nil {
		return nil, err
	}
	x.doc.ReviewPictures()
	return x.doc.Document, nil
}

// encrypted says the manifest of a package lists encryption data: its
// parts are ciphertext.
func encrypted(z *extract.Zip) bool {
	f := z.File("META-INF/manifest.xml")
	if f == nil {
		return false
	}
	rc, err := z.Open(f)
	if err != nil {
		return false
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, 1<<20))
	return bytes.Contains(b, []byte("encryption-data"))
}

// The kinds of entries of a package.
const (
	entryPart        = iota // read as a part, or carries no text
	entryPicture            // a picture the document shows
	entryObject             // an embedded object: a file of its own
	entrySubdocument        // the content of an embedded OpenDocument object
)

// entryKind sorts the entries of a package by name. An object embedded as
// an OpenDocument is a folder ("Object 1/") with its own content.xml; one
// embedded as OLE is a file ("Object 2"). What the package keeps for the
// program (settings, thumbnail, manifest, macros and dialogs, the
// rendering that stands in for each object) carries no document text.
func entryKind(name string) int {
	dir, base := path.Split(name)
	top, _, _ := strings.Cut(name, "/")
	switch {
	case base == "":
		return entryPart
	case strings.Contains("/"+dir, "/Pictures/"):
		return entryPicture
	case dir == "" && (base == "mimetype" || base == "content.xml" || base == "styles.xml" ||
		base == "meta.xml" || base == "settings.xml" || base == "manifest.rdf" || base == "layout-cache"):
		return entryPart
	case top == "META-INF" || top == "Thumbnails" || top == "Configurations2" || top == "ObjectReplacements" ||
		top == "Basic" || top == "Dialogs":
		return entryPart
	case dir != "" && base == "content.xml":
		return entrySubdocument
	case dir != "" && (base == "styles.xml" || base == "meta.xml" || base == "settings.xml"):
		return entryPart
	}
	return entryObject
}

// inner reads an embedded object as a document of its own.
func (x *reader) inner(ctx context.Context, f *zip.File, kind int) error {
	data, err := x.zip.ReadAll(f)
	if err != nil {
		if k := extract.KindOf(err); k == extract.KindLimit || k == extract.KindTimeout {
			return err
		}
		x.doc.Review = append(x.doc.Review, err.Error())
		return nil
	}
	name := f.Name
	if kind == entrySubdocument {
		name = strings.TrimSuffix(path.Dir(f.Name), "/")
	}
	return x.object(ctx, name, x.zip.Label(f), data)
}

// object reads the data of an embedded object, an OLE object unwrapped.
func (x *reader) object(ctx context.Context, name, label string, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	if bytes.HasPrefix(data, []byte(cfb.Signature)) {
		inner, title, err := extract.OLEObject(data, x.opt)
		if err != nil {
			return err
		}
		if title != "" {
			if err := x.doc.Add(extract.Segment{Part: extract.PartEmbedded, Inner: name, Text: title}); err != nil {
				return err
			}
		}
		if inner != nil {
			data = inner
		}
	}
	return extract.ReadInner(ctx, x.doc, name, label, data, x.opt)
}

// frame is what an open element makes of the text inside it.
type frame struct {
	name   string       // the element's prefixed name
	part   extract.Part // "" where text is not read
	id     int          // the segment's destination: a header, a comment …
	body   string       // the kind of body it is in: text, spreadsheet …
	meta   bool         // in office:meta
	binary *strings.Builder
}

// loose are the elements whose text stands outside paragraphs: the
// header, footer and date declarations of presentations. Elsewhere text
// outside paragraphs is the indentation of the XML.
var loose = map[string]bool{
	"presentation:header-decl": true, "presentation:footer-decl": true, "presentation:date-time-decl": true,
}

// collapse applies the white-space rule of paragraph content: a run of
// spaces, tabs and line breaks is one space, and none at the start of a
// paragraph (text:s, text:tab and text:line-break stand for those that
// count).
func (x *reader) collapse(b []byte) string {
	p := x.paras[len(x.paras)-1]
	var out strings.Builder
	for _, c := range b {
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			if !p.space {
				out.WriteByte(' ')
				p.space = true
			}
			continue
		}
		out.WriteByte(c)
		p.space = false
	}
	return out.String()
}

// para is a paragraph being read: its text waits, by part, for its end,
// where a text:hidden-paragraph in it may turn it hidden.
type para struct {
	runs   []run // one per part and destination, in the order first written
	hidden bool
	space  bool // what was read of it ends in white space, or nothing was
}

type run struct {
	part extract.Part
	id   int
	text *strings.Builder
}

// walk streams one XML part (or the whole flat document) and reads it.
// label names it in reasons.
func (x *reader) walk(in io.Reader, label string) error {
	d := xml.NewDecoder(in)
	d.CharsetReader = func(cs string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(cs)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(in), nil
	}
	stack := []frame{{}}
	x.paras, x.held, x.tables = x.paras[:0], 0, x.tables[:0]
	for n := 0; ; n++ {
		if n%checkEvery == 0 && x.ctx.Err() != nil {
			return extract.Errorf(extract.KindTimeout, "cancelled while reading %s", label)
		}
		tok, err := d.RawToken()
		if err == io.EOF && len(stack) == 1 {
			return nil
		}
		if err != nil {
			var e *extract.Error
			if errors.As(err, &e) {
				return e
			}
			return extract.Errorf(extract.KindCorrupt, "malformed XML in %s at line %d", label, lineOf(d))
		}
		top := &stack[len(stack)-1]
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) > x.opt.MaxXMLDepth {
				return extract.Errorf(extract.KindLimit, "XML in %s nests deeper than %d elements (max XML depth)", label, x.opt.MaxXMLDepth)
			}
			if x.elements++; x.elements > x.opt.MaxXMLElements {
				return extract.Errorf(extract.KindLimit, "XML in %s has more than %d elements (max XML elements)", label, x.opt.MaxXMLElements)
			}
			f, err := x.start(t, *top)
			if err != nil {
				return err
			}
			stack = append(stack, f)
		case xml.EndElement:
			if len(stack) == 1 || local(t.Name) != top.name {
				return extract.Errorf(extract.KindCorrupt, "malformed XML in %s at line %d", label, lineOf(d))
			}
			stack = stack[:len(stack)-1]
			if err := x.end(*top, stack[len(stack)-1]); err != nil {
				return err
			}
		case xml.CharData:
			switch {
			case top.binary != nil:
				if int64(top.binary.Len()+len(t)) > x.opt.MaxInflated {
					return extract.Errorf(extract.KindLimit, "an embedded object of the document is larger than the limit (max inflated)")
				}
				top.binary.Write(t)
			case top.part == "":
			case len(x.paras) > 0:
				if err := x.text(*top, x.collapse(t)); err != nil {
					return err
				}
			case loose[top.name] || top.part == extract.PartMetadata || top.part == extract.PartAltText:
				if err := x.text(*top, string(t)); err != nil {
					return err
				}
			}
		}
	}
}

func lineOf(d *xml.Decoder) int {
	line, _ := d.InputPos()
	return line
}

// local is an element's or attribute's prefixed name: RawToken leaves
// prefixes unresolved (so a damaged document is read as far as it goes),
// and producers use the prefixes the standard gives.
func local(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// attr returns the value of an attribute by its prefixed name.
func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if local(a.Name) == name {
			return a.Value
		}
	}
	return ""
}

// newID starts a destination of its own: its text is a segment.
func (x *reader) newID() int {
	x.ids++
	return x.ids
}

// start opens an element: the frame says what its text is.
func (x *reader) start(e xml.StartElement, up frame) (frame, error) {
	name := local(e.Name)
	f := frame{name: name, part: up.part, id: up.id, body: up.body, meta: up.meta}
	switch name {
	// Properties, each one a segment; the program's own are left out.
	case "office:meta":
		f.part, f.meta = "", true
	case "meta:generator", "meta:creation-date", "meta:editing-duration", "meta:editing-cycles",
		"meta:print-date", "meta:document-statistic", "meta:template", "dc:date",
		"meta:date-string", "dc:creator-initials":
		f.part = ""
	case "dc:title", "dc:subject", "dc:description", "meta:keyword", "meta:initial-creator",
		"dc:creator", "meta:user-defined", "meta:printed-by":
		// dc:creator is also the author of a comment or a change.
		f.part = ""
		if up.meta {
			f.part, f.id = extract.PartMetadata, x.newID()
		}

	// Styles: which hide text, sheets or slides.
	case "style:style":
		x.style = attr(e, "style:name")
	case "style:text-properties":
		if attr(e, "text:display") == "none" {
			x.hiddenText[x.style] = true
		}
	case "style:table-properties":
		if attr(e, "table:display") == "false" {
			x.hiddenTable[x.style] = true
		}
	case "style:drawing-page-properties":
		if attr(e, "presentation:visibility") == "hidden" {
			x.hiddenPage[x.style] = true
		}

	// Master pages: their headers and footers. What else they draw is the
	// layout of slides (placeholders), left out.
	case "office:master-styles":
		f.part = ""
	case "style:header", "style:header-left", "style:header-first":
		f.part, f.id = extract.PartHeader, x.newID()
	case "style:footer", "style:footer-left", "style:footer-first":
		f.part, f.id = extract.PartFooter, x.newID()

	// The body.
	case "office:text", "office:spreadsheet", "office:presentation", "office:drawing", "office:chart":
		f.part, f.id, f.body = extract.PartBody, 0, e.Name.Local
	case "office:automatic-styles", "office:styles", "office:font-face-decls", "office:settings",
		"office:scripts", "text:sequence-decls", "text:variable-decls",
		"text:user-field-decls", "office:change-info", "text:note-citation",
		"table:named-expressions", "table:database-ranges":
		f.part = ""
	case "table:content-validations":
		// The help and error messages of a cell's validation: text it
		// shows when it is chosen, as a comment would.
		f.part, f.id = keep(f.part, extract.PartComment), x.newID()
	case "text:user-field-decl":
		// A user field's value is data a document keeps (a document
		// management system's, as Word's document variables).
		if v := strings.TrimSpace(cmp.Or(attr(e, "office:string-value"), attr(e, "text:string-value"))); v != "" {
			return f, x.emit(extract.PartMetadata, x.newID(), attr(e, "text:name")+": "+v)
		}
	case "office:forms":
		f.part, f.id = keep(f.part, extract.PartForm), x.newID()
	case "text:deletion", "table:tracked-changes":
		// A spreadsheet's tracked changes keep the cells' earlier contents.
		f.part, f.id = keep(f.part, extract.PartDeleted), x.newID()
	case "office:annotation":
		f.part, f.id = keep(f.part, extract.PartComment), x.newID()
	case "text:note":
		f.id = x.newID()
		if attr(e, "text:note-class") == "endnote" {
			f.part = keep(f.part, extract.PartEndnote)
		} else {
			f.part = keep(f.part, extract.PartFootnote)
		}
	case "presentation:notes":
		f.part, f.id = keep(f.part, extract.PartNotes), x.newID()
	case "svg:title", "svg:desc":
		f.part, f.id = keep(f.part, extract.PartAltText), x.newID()
	case "draw:text-box":
		if f.body == "text" && f.part == extract.PartBody {
			f.part, f.id = extract.PartTextbox, x.newID()
		}
	case "table:table":
		x.tables = append(x.tables, &columns{})
		if up.name == "office:spreadsheet" {
			return f, x.sheet(&f, attr(e, "table:name"), x.hiddenTable[attr(e, "table:style-name")])
		}
	case "draw:page":
		if up.name == "office:presentation" || up.name == "office:drawing" {
			return f, x.sheet(&f, "", x.hiddenPage[attr(e, "draw:style-name")])
		}
	case "text:p", "text:h":
		x.paras = append(x.paras, &para{space: true})
		if x.hiddenText[attr(e, "text:style-name")] {
			f.part = keep(f.part, extract.PartHidden)
		}
	case "text:section":
		// A section hidden outright or on a condition.
		if attr(e, "text:display") == "none" || attr(e, "text:display") == "condition" || attr(e, "text:condition") != "" {
			f.part = keep(f.part, extract.PartHidden)
		}
	case "table:table-row":
		if len(x.tables) > 0 {
			x.tables[len(x.tables)-1].at = 0
		}
		if v := attr(e, "table:visibility"); v == "collapse" || v == "filter" {
			f.part = keep(f.part, extract.PartHidden)
		}
	case "table:table-column":
		if len(x.tables) > 0 {
			c := x.tables[len(x.tables)-1]
			v := attr(e, "table:visibility")
			for n := repeated(e, "table:number-columns-repeated"); n > 0 && len(c.hidden) < maxColumns; n-- {
				c.hidden = append(c.hidden, v == "collapse" || v == "filter")
			}
		}
	case "table:table-cell", "table:covered-table-cell":
		if len(x.tables) > 0 {
			c := x.tables[len(x.tables)-1]
			if c.at < len(c.hidden) && c.hidden[c.at] {
				f.part = keep(f.part, extract.PartHidden)
			}
			c.at = min(c.at+repeated(e, "table:number-columns-repeated"), maxColumns)
		}
	case "text:span":
		if x.hiddenText[attr(e, "text:style-name")] {
			f.part = keep(f.part, extract.PartHidden)
		}
	case "text:s":
		n, _ := strconv.Atoi(attr(e, "text:c"))
		return f, x.text(f, strings.Repeat(" ", min(max(n, 1), 1024)))
	case "text:tab":
		return f, x.text(f, "\t")
	case "text:line-break":
		return f, x.text(f, "\n")
	case "text:hidden-text":
		h := f
		h.part = keep(f.part, extract.PartHidden)
		return f, x.text(h, attr(e, "text:string-value"))
	case "text:hidden-paragraph":
		if len(x.paras) > 0 {
			x.paras[len(x.paras)-1].hidden = true
		}
	case "form:text", "form:textarea", "form:formatted-text", "form:combobox", "form:listbox", "form:option",
		"form:button", "form:checkbox", "form:radio", "form:fixed-text", "form:frame", "form:item", "form:password":
		// A form control's text is in its attributes: what it holds, its
		// label, its tooltip.
		for _, a := range []string{"form:label", "form:current-value", "form:value", "form:title", "form:item-label"} {
			if v := strings.TrimSpace(attr(e, a)); v != "" && f.part != "" {
				if err := x.emit(f.part, f.id, v+"\n"); err != nil {
					return f, err
				}
			}
		}
	case "office:binary-data":
		// The data of an object is kept, to be read; a picture's when
		// there is an engine to read it (without one it only counts).
		f.part = ""
		switch {
		case up.name == "draw:object-ole", up.name == "draw:image" && x.doc.ReadsPictures(x.ctx):
			f.binary = &strings.Builder{}
		case up.name == "draw:image":
			return f, x.picture("")
		}
	}
	return f, nil
}

// maxColumns bounds the columns whose visibility is kept: a spreadsheet
// has at most 16,384.
const maxColumns = 1 << 14

// columns are the columns of a table being read: which are hidden, and
// the column of the next cell of the current row.
type columns struct {
	hidden []bool
	at     int
}

// repeated returns the count an element's repetition attribute gives, 1
// when it gives none.
func repeated(e xml.StartElement, name string) int {
	n, err := strconv.Atoi(attr(e, name))
	if err != nil || n < 1 {
		return 1
	}
	return min(n, maxColumns)
}

// keep returns p where text is read (part is set), "" elsewhere.
func keep(part, p extract.Part) extract.Part {
	if part == "" {
		return ""
	}
	return p
}

// sheet starts a sheet or a slide: the pages of what follows.
func (x *reader) sheet(f *frame, name string, hidden bool) error {
	x.sheets++
	x.page = x.sheets
	if hidden {
		f.part = keep(f.part, extract.PartHidden)
	}
	if name == "" {
		return nil
	}
	return x.doc.Add(extract.Segment{Part: extract.PartSheetName, Page: x.page, Text: name})
}

// end closes the element of frame f, inside up.
func (x *reader) end(f, up frame) error {
	switch f.name {
	case "text:p", "text:h":
		p := x.paras[len(x.paras)-1]
		x.paras = x.paras[:len(x.paras)-1]
		for _, r := range p.runs {
			x.held -= r.text.Len()
			if p.hidden && r.part == extract.PartBody {
				r.part = extract.PartHidden
			}
			if err := x.emit(r.part, r.id, r.text.String()); err != nil {
				return err
			}
		}
		if f.part != "" {
			if err := x.emit(f.part, f.id, "\n"); err != nil {
				return err
			}
			page := x.page
			if err := x.out.Break(func(k partbuf.Key) bool { return k.ID == f.id && k.Page == page }, x.held); err != nil {
				return err
			}
		}
	case "table:table", "draw:page":
		if f.name == "table:table" && len(x.tables) > 0 {
			x.tables = x.tables[:len(x.tables)-1]
		}
		if page := x.page; page != 0 && (up.name == "office:spreadsheet" || up.name == "office:presentation" || up.name == "office:drawing") {
			x.page = 0
			return x.out.Flush(func(k partbuf.Key) bool { return k.Page == page })
		}
	case "office:binary-data":
		switch {
		case f.binary == nil:
		case up.name == "draw:image":
			return x.picture(f.binary.String())
		default:
			return x.binary(f.binary.String())
		}
	}
	if f.id != up.id && f.id != 0 {
		// A destination (header, comment, note …) ends: its text is read.
		return x.out.Flush(func(k partbuf.Key) bool { return k.ID == f.id })
	}
	return nil
}

// unbase64 decodes the base64 of a flat document's binary data.
func unbase64(b64 string) ([]byte, error) {
	return base64.StdEncoding.DecodeString(strings.Map(func(r rune) rune {
		if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
			return -1
		}
		return r
	}, b64))
}

// picture reads by OCR a picture that a flat document holds inline, in
// base64, unless it is a decoration; it is named by its place among them
// ("picture 2"). Damaged base64 is a picture not decoded. Without an
// engine it is counted, its data not kept (b64 is empty).
func (x *reader) picture(b64 string) error {
	data, err := unbase64(b64)
	if err == nil && extract.PictureDecoration(data) {
		return nil
	}
	x.pictures++
	return x.doc.ReadPictureData(x.ctx, extract.Picture{Inner: fmt.Sprintf("picture %d", x.pictures)}, data)
}

// binary reads an object embedded as OLE that a flat document holds
// inline, in base64.
func (x *reader) binary(b64 string) error {
	data, err := unbase64(b64)
	if err != nil {
		x.doc.Review = append(x.doc.Review, "an embedded object of the document is damaged and was not read")
		return nil
	}
	x.objects++
	name := fmt.Sprintf("object %d", x.objects)
	return x.object(extract.Container(x.ctx), name, name, data)
}

// text adds s, read in frame f: to the paragraph it is in, or straight to
// the document.
func (x *reader) text(f frame, s string) error {
	if s == "" || f.part == "" {
		return nil
	}
	if len(x.paras) == 0 {
		return x.emit(f.part, f.id, s)
	}
	if err := x.doc.Fits(x.out.Held() + x.held + len(s)); err != nil {
		return err
	}
	x.held += len(s)
	p := x.paras[len(x.paras)-1]
	i := slices.IndexFunc(p.runs, func(r run) bool { return r.part == f.part && r.id == f.id })
	if i < 0 {
		i = len(p.runs)
		p.runs = append(p.runs, run{part: f.part, id: f.id, text: &strings.Builder{}})
	}
	p.runs[i].text.WriteString(s)
	return nil
}

// emit adds s to the text of destination id, in its part, on the
// current page.
func (x *reader) emit(part extract.Part, id int, s string) error {
	return x.out.Write(partbuf.Key{ID: id, Page: x.page, Part: part}, s, x.held)
}
