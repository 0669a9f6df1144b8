package ooxml

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"slices"
	"strings"
	"unicode"

	xunicode "golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

// The inventory of a package's parts. Each format's reader marks the parts
// it reads (read); the document properties are read by docProps. Of the
// other parts, those noText names carry no document text, and every other
// one that is XML is read here, so that a part nobody expected is never
// passed over in silence: charts and SmartArt as the visible text they are
// (Part body), custom XML and anything else as metadata. Parts that are not
// XML are pictures (pictures), embedded files (embedded) or binary program
// data (macros, printer settings, fonts).

// propsParts are the document properties parts docProps reads.
var propsParts = []string{"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"}

// noText names the parts known to carry no document text, for every format
// ("") and for each one: by the lower-case base name of the part without
// its digits (theme1.xml is theme.xml), the local names of the root element
// such a part has. A part of that name with another root is read: the name
// alone does not say what a part holds.
var noText = map[extract.Format]map[string][]string{
	"": {
		"[content_types].xml": {"Types"},
		".rels":               {"Relationships"},
		"theme.xml":           {"theme"}, "themeoverride.xml": {"themeOverride"}, // colours and fonts
		"itemprops.xml": {"datastoreItem"}, // which schema a custom XML part follows
		// A SharePoint library's content type: the columns every document
		// of the library has and their choices (绝密, 机密 …), not this
		// document's values, which are in another item (properties).
		"item.xml": {"contentTypeSchema"},
		"sig.xml":  {"Signature"}, // digital signature: digests and certificates
		// Chart formatting (charts/colorsN.xml, styleN.xml) and SmartArt
		// layout, style and colour definitions (diagrams/layoutN.xml …):
		// the text is in the chart and data parts.
		"colors.xml": {"colorStyle", "colorsDef"}, "style.xml": {"chartStyle"}, "layout.xml": {"layoutDef"}, "quickstyle.xml": {"styleDef"},
	},
	extract.FormatDOCX: {
		// settings.xml is read: its document variables (docVars) are data
		// a document-management system may store with the file.
		"styles.xml": {"styles"}, "styleswitheffects.xml": {"styles"}, "websettings.xml": {"webSettings"},
		"fonttable.xml": {"fonts"}, "numbering.xml": {"numbering"},
	},
	extract.FormatXLSX: {
		"styles.xml": {"styleSheet"}, "calcchain.xml": {"calcChain"},
	},
	extract.FormatPPTX: {
		"presprops.xml": {"presentationPr"}, "viewprops.xml": {"viewPr"}, "tablestyles.xml": {"tblStyleLst"},
	},
}

// noTextRoots returns the roots a part called name has when it is one of
// the parts of a package of format f that carry no document text, none
// when it is not one of them.
func noTextRoots(f extract.Format, name string) []string {
	base := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return -1
		}
		return r
	}, path.Base(strings.ToLower(name)))
	if strings.HasSuffix(base, ".rels") {
		base = ".rels"
	}
	if r, ok := noText[f][base]; ok {
		return r
	}
	return noText[""][base]
}

// partKind is how a part's text is read, known from its root element (and
// for custom XML from its name).
type partKind int

const (
	kindOther    partKind = iota // text nodes, as metadata
	kindCustom                   // custom XML: text nodes and attribute values, as metadata
	kindVML                      // legacy VML drawing: text nodes but a control's settings, as metadata
	kindSettings                 // Word settings: text nodes and document variables, as metadata
	kindPivot                    // a pivot table's cache: its fields' names and string values, as metadata
	// The kinds from here on are text the document shows, read as body.
	kindChart        // a chart's strings, not its numbers, as body
	kindDrawing      // DrawingML text (a:t): shapes drawn over a chart, as body
	kindSmartArt     // SmartArt data: the text of its points, as body
	kindSmartArtDraw // SmartArt drawing: the same text as drawn, as body
)

// dgmNS and dspNS are the namespaces of SmartArt data and drawing parts.
const (
	dgmNS = "http://schemas.openxmlformats.org/drawingml/2006/diagram"
	dspNS = "http://schemas.microsoft.com/office/drawingml/2008/diagram"
)

// customXMLItem reports whether name is a custom XML data part
// (customXml/item1.xml), not its properties.
func customXMLItem(name string) bool {
	dir, base := path.Split(strings.ToLower(name))
	return dir == "customxml/" && strings.HasPrefix(base, "item") && !strings.HasPrefix(base, "itemprops") && strings.HasSuffix(base, ".xml")
}

// partText is the text read from one part and how it was read.
type partText struct {
	f    *zip.File
	kind partKind
	text string
}

// otherParts reads every XML part of the package that no reader of its
// format read and that is not known to carry no text (see noText): charts
// and SmartArt into body segments, custom XML and unknown parts into
// metadata segments, one segment per part with Inner naming it and Page
// the page that shows it (see spreadPages), 0 if none. SmartArt text that a
// drawing part repeats from a data part is reported once.
func (x *ooxml) otherParts(pages map[*zip.File]int) (body, meta []extract.Segment, err error) {
	// Relationships that cannot be read leave the pages unknown: pictures
	// says so, as their listing fails the same way.
	_ = x.spreadPages(pages)
	skip := map[string]bool{}
	for _, p := range propsParts {
		skip[strings.ToLower(p)] = true
	}
	var parts []partText
	for _, f := range x.Zip.Files() {
		name := f.Name
		if x.read[f] || x.Zip.Later(f) || strings.HasSuffix(name, "/") || skip[strings.ToLower(name)] ||
			embeddedPart(name) {
			continue
		}
		p, err := x.otherPart(f)
		if err != nil {
			return nil, nil, err
		}
		if p.text != "" {
			parts = append(parts, p)
		}
	}
	drawn := smartArtLines(parts)
	for _, p := range parts {
		text := p.text
		if p.kind == kindSmartArtDraw {
			text = drawn.unseen(text)
		}
		if text == "" {
			continue
		}
		seg := extract.Segment{Part: extract.PartMetadata, Page: pages[p.f], Inner: p.f.Name, Text: text}
		if p.kind < kindChart {
			meta = append(meta, seg)
		} else {
			seg.Part = extract.PartBody
			body = append(body, seg)
		}
	}
	return body, meta, nil
}

// lineSet counts lines of text.
type lineSet map[string]int

// smartArtLines counts the lines of the SmartArt data parts.
func smartArtLines(parts []partText) lineSet {
	s := lineSet{}
	for _, p := range parts {
		if p.kind == kindSmartArt {
			for _, l := range strings.Split(p.text, "\n") {
				s[strings.TrimSpace(l)]++
			}
		}
	}
	return s
}

// unseen returns the lines of text that the set does not hold, each line of
// the set standing for one line of text.
func (s lineSet) unseen(text string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		k := strings.TrimSpace(l)
		if s[k] > 0 {
			s[k]--
			continue
		}
		out = append(out, l)
	}
	return xmlpkg.TrimText(strings.Join(out, "\n"))
}

// otherPart reads one part that is not known to the format's reader: its
// text when it is XML, nothing when it is not. A part that is not
// well-formed XML keeps the text read before the fault, and the document
// is review: the rest of it may hold text.
func (x *ooxml) otherPart(f *zip.File) (partText, error) {
	p := partText{f: f}
	rc, err := x.Zip.Open(f)
	if err != nil {
		return p, err
	}
	r, ok := xmlText(rc)
	if !ok || slices.Contains(noTextRoots(x.Doc.Format, f.Name), rootOf(r.Reader)) {
		r.Close()
		return p, nil
	}
	w := &partWalk{x: &x.Package, custom: customXMLItem(f.Name)}
	err = x.Walk(r, f.Name, w.token)
	p.kind, p.text = w.kind, xmlpkg.TrimText(w.b.String())
	var e *extract.Error
	if errors.As(err, &e) && e.Kind == extract.KindCorrupt {
		x.malformed = true
		return p, nil
	}
	return p, err
}

// xmlText returns the text of a part as UTF-8 XML, and whether the part is
// XML at all (its first character, past white space, opens a tag). A part
// in UTF-16 (custom XML saved by .NET programs) is transcoded, and an XML
// declaration naming UTF-16 is dropped, since what follows is UTF-8 (a
// declaration may also name UTF-16 over UTF-8 bytes). Closing the reader
// closes rc.
func xmlText(rc io.ReadCloser) (xmlReader, bool) {
	br := bufio.NewReader(rc)
	head, _ := br.Peek(4)
	var r io.Reader = br
	switch {
	case bytes.HasPrefix(head, []byte{0xFE, 0xFF}), bytes.HasPrefix(head, []byte{0xFF, 0xFE}):
		r = transform.NewReader(br, xunicode.UTF16(xunicode.BigEndian, xunicode.UseBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{'<', 0}):
		r = transform.NewReader(br, xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM).NewDecoder())
	case bytes.HasPrefix(head, []byte{0, '<'}):
		r = transform.NewReader(br, xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM).NewDecoder())
	}
	ur := bufio.NewReader(r)
	out := xmlReader{ur, rc}
	if b, _ := ur.Peek(3); bytes.Equal(b, []byte("\xEF\xBB\xBF")) {
		ur.Discard(3)
	}
	// Past white space, XML starts with a tag.
	for {
		c, err := ur.ReadByte()
		if err != nil {
			return out, false
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			ur.UnreadByte()
			if c != '<' {
				return out, false
			}
			break
		}
	}
	if decl, _ := ur.Peek(256); bytes.HasPrefix(decl, []byte("<?xml")) {
		if end := bytes.Index(decl, []byte("?>")); end > 0 {
			enc := strings.ToLower(string(decl[:end]))
			if strings.Contains(enc, "utf-16") || strings.Contains(enc, "unicode") {
				ur.Discard(end + 2)
			}
		}
	}
	return out, true
}

// xmlReader is the text of a part as xmlText returns it.
type xmlReader struct {
	*bufio.Reader
	io.Closer
}

// rootOf returns the local name of the root element of the XML br reads,
// found in its first bytes (which stay to be read), "" when they do not
// hold it.
func rootOf(br *bufio.Reader) string {
	head, _ := br.Peek(br.Size())
	d := xml.NewDecoder(bytes.NewReader(head))
	for {
		tok, err := d.RawToken()
		if err != nil {
			return ""
		}
		if e, ok := tok.(xml.StartElement); ok {
			return e.Name.Local
		}
	}
}

// partWalk is the state of the walk over a part otherParts reads.
type partWalk struct {
	x      *xmlpkg.Package
	custom bool // a custom XML data part
	kind   partKind
	b      strings.Builder
	texts  []int // depths of the open elements whose own text is read
	skip   int   // open numeric data of a chart
}

func (w *partWalk) token(tok xml.Token, depth int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		if depth == 1 {
			w.kind = rootKind(t.Name, w.custom)
		}
		if w.textElement(t.Name) {
			w.texts = append(w.texts, depth)
		}
		return w.start(t)
	case xml.EndElement:
		if n := len(w.texts); n > 0 && w.texts[n-1] == depth {
			w.texts = w.texts[:n-1]
		}
		return w.end(t.Name)
	case xml.CharData:
		switch w.kind {
		case kindOther, kindCustom, kindVML, kindSettings:
			if s := strings.TrimSpace(string(t)); s != "" && w.skip == 0 {
				return w.line(s)
			}
		default:
			if n := len(w.texts); n > 0 && w.texts[n-1] == depth && w.skip == 0 {
				return w.x.Emit(&w.b, string(t))
			}
		}
	}
	return nil
}

// rootKind tells how to read a part from its root element.
func rootKind(n xml.Name, custom bool) partKind {
	switch {
	case n.Local == "chartSpace":
		return kindChart
	case n.Local == "userShapes":
		return kindDrawing
	case n.Local == "xml":
		return kindVML
	case n.Local == "settings" && wmlPrefixes[n.Space] == "w":
		return kindSettings
	case n.Local == "dataModel" && n.Space == dgmNS:
		return kindSmartArt
	case n.Local == "pivotCacheDefinition" || n.Local == "pivotCacheRecords":
		return kindPivot
	case n.Local == "drawing" && n.Space == dspNS:
		return kindSmartArtDraw
	case custom:
		return kindCustom
	}
	return kindOther
}

func (w *partWalk) start(e xml.StartElement) error {
	switch w.kind {
	case kindCustom:
		for _, a := range e.Attr {
			if a.Name.Space != "xmlns" && a.Name.Local != "xmlns" && wordy(a.Value) {
				if err := w.line(strings.TrimSpace(a.Value)); err != nil {
					return err
				}
			}
		}
	case kindChart:
		switch e.Name.Local {
		case "numCache", "numLit", "numDim":
			w.skip++
		}
	case kindPivot:
		// The cache keeps a copy of the source data, which survives the
		// source's deletion: the fields' names and the string items (s)
		// of both parts, every one, since a number kept as text (an
		// identity number) is what the identifier detectors look for.
		attr := map[string]string{"cacheField": "name", "s": "v"}[e.Name.Local]
		if v := strings.TrimSpace(xmlpkg.Attr(e, attr)); attr != "" && v != "" {
			return w.line(v)
		}
	case kindSettings:
		if e.Name.Local == "docVar" {
			if v := strings.TrimSpace(xmlpkg.Attr(e, "val")); wordy(v) {
				return w.line(xmlpkg.Attr(e, "name") + ": " + v)
			}
		}
	case kindVML:
		switch e.Name.Local {
		case "ClientData":
			// Anchors, rows, columns and flags of a comment or control.
			w.skip++
		case "textpath":
			// WordArt: its text is an attribute.
			if v := strings.TrimSpace(xmlpkg.Attr(e, "string")); v != "" {
				return w.line(v)
			}
		}
	case kindDrawing, kindSmartArt, kindSmartArtDraw:
		if e.Name.Local == "br" {
			return w.newline()
		}
	}
	return nil
}

// textElement reports whether the text of an element is read: a chart's
// values (c:v, and cx:pt that holds its value itself), rich text (a:t) and
// trendline names (c:name);
// a drawing's a:t, not SmartArt's dgm:t, which is a text body.
func (w *partWalk) textElement(n xml.Name) bool {
	switch w.kind {
	case kindChart:
		return n.Local == "v" || n.Local == "pt" || n.Local == "t" || n.Local == "name"
	case kindDrawing, kindSmartArt, kindSmartArtDraw:
		return n.Local == "t" && n.Space != dgmNS
	}
	return false
}

func (w *partWalk) end(n xml.Name) error {
	switch w.kind {
	case kindVML:
		if n.Local == "ClientData" {
			w.skip--
		}
	case kindChart:
		switch n.Local {
		case "numCache", "numLit", "numDim":
			w.skip--
		case "p", "pt", "v":
			return w.newline()
		}
	case kindDrawing, kindSmartArt, kindSmartArtDraw:
		if n.Local == "p" || n.Local == "pt" {
			return w.newline()
		}
	}
	return nil
}

// line adds s as a line of its own.
func (w *partWalk) line(s string) error { return w.x.Emit(&w.b, s+"\n") }

// newline ends the current line, if one is open.
func (w *partWalk) newline() error {
	if s := w.b.String(); s == "" || strings.HasSuffix(s, "\n") {
		return nil
	}
	return w.x.Emit(&w.b, "\n")
}

// wordy reports whether an attribute value is text a person may have
// written: it has a letter, and it is not a number, a GUID, a hexadecimal
// identifier, a boolean or a URI (a schema's namespace).
func wordy(v string) bool {
	v = strings.ToLower(strings.TrimSpace(v))
	switch {
	case v == "true", v == "false", strings.HasPrefix(v, "http://"), strings.HasPrefix(v, "https://"), strings.HasPrefix(v, "urn:"):
		return false
	}
	letter := false
	for _, r := range v {
		if unicode.IsLetter(r) && !strings.ContainsRune("abcdefx", r) {
			letter = true
			break
		}
	}
	return letter
}
