package extract

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// ooxml holds what the parts of one zip+XML package (DOCX, XLSX, PPTX, OFD)
// share while they are read: the package, the options and the document
// being read, with its text budget.
type ooxml struct {
	ctx context.Context
	opt Options
	pkg *zipPackage
	doc *Text
	// elements counts the XML elements of all parts walked so far, against
	// opt.MaxXMLElements.
	elements int
}

// walk streams the XML of one part to fn with each token and its element
// depth (the element's own depth for start and end tags), enforcing the depth
// and element limits and cancellation. It closes rc.
func (x *ooxml) walk(rc io.ReadCloser, name string, fn func(tok xml.Token, depth int) error) error {
	defer rc.Close()
	d := xml.NewDecoder(rc)
	// Chinese producers (OFD especially) may declare GB18030 or GBK.
	d.CharsetReader = func(label string, in io.Reader) (io.Reader, error) {
		enc, err := htmlindex.Get(label)
		if err != nil {
			return nil, err
		}
		return enc.NewDecoder().Reader(in), nil
	}
	depth := 0
	for n := 0; ; n++ {
		if n%ctxCheckEvery == 0 && x.ctx.Err() != nil {
			return Errorf(KindTimeout, "cancelled while reading %s", x.part(name))
		}
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var e *Error
			if errors.As(err, &e) {
				return e
			}
			line, _ := d.InputPos()
			return Errorf(KindCorrupt, "malformed XML in %s at line %d", x.part(name), line)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			if depth > x.opt.MaxXMLDepth {
				return Errorf(KindLimit, "XML in %s nests deeper than %d elements (max XML depth)", x.part(name), x.opt.MaxXMLDepth)
			}
			if x.elements++; x.elements > x.opt.MaxXMLElements {
				return Errorf(KindLimit, "XML in %s has more than %d elements (max XML elements)", x.part(name), x.opt.MaxXMLElements)
			}
			err = fn(tok, depth)
		case xml.EndElement:
			err = fn(tok, depth)
			depth--
		default:
			err = fn(tok, depth)
		}
		if err != nil {
			return err
		}
	}
}

// part names the part called name in a Reason by its place in the package
// ("part 3"): the decoder's message and the names in the XML come from the
// file, and Reasons quote nothing of it.
func (x *ooxml) part(name string) string {
	return "part " + strconv.Itoa(x.pkg.ord[x.pkg.file(name)])
}

// walkFile opens an entry of the package and walks it.
func (x *ooxml) walkFile(f *zip.File, fn func(tok xml.Token, depth int) error) error {
	rc, err := x.pkg.open(f)
	if err != nil {
		return err
	}
	return x.walk(rc, f.Name, fn)
}

// emit adds s to b, the text of a segment being gathered, while it fits
// in what is left of the document's text budget.
func (x *ooxml) emit(b *strings.Builder, s string) error {
	if err := x.doc.Fits(b.Len() + len(s)); err != nil {
		return err
	}
	b.WriteString(s)
	return nil
}

// attr returns the value of the attribute with the given local name.
func attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// relID returns the relationship id of an element (r:id), not an
// attribute that is only called id.
func relID(e xml.StartElement) string {
	for _, a := range e.Attr {
		if a.Name.Local == "id" && a.Name.Space != "" {
			return a.Value
		}
	}
	return ""
}

// relationship is one entry of an OPC relationships part, its target
// resolved to a part name.
type relationship struct {
	id, typ, target string // typ is the last element of the type URI
}

// rels reads the relationships of the part called source (its
// _rels/NAME.rels sibling); external targets are left out. A part without
// relationships has none.
func (x *ooxml) rels(source string) ([]relationship, error) {
	dir, base := path.Split(source)
	f := x.pkg.file(dir + "_rels/" + base + ".rels")
	if f == nil {
		return nil, nil
	}
	var out []relationship
	err := x.walkFile(f, func(tok xml.Token, _ int) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" {
			return nil
		}
		typ, target := attr(e, "Type"), attr(e, "Target")
		if attr(e, "TargetMode") == "External" || target == "" {
			return nil
		}
		out = append(out, relationship{id: attr(e, "Id"), typ: typ[strings.LastIndex(typ, "/")+1:], target: partName(dir, target)})
		return nil
	})
	return out, err
}

// partName resolves a reference to a part: absolute ("/xl/a.xml") from the
// package root, relative from dir.
func partName(dir, ref string) string {
	if strings.HasPrefix(ref, "/") {
		return path.Clean(ref[1:])
	}
	return path.Clean(path.Join(dir, ref))
}

// partText streams a part and returns its text: the character data of elements
// whose local name is in texts, a line break at the end of each element
// whose local name is in lines and at each br.
func (x *ooxml) partText(f *zip.File, texts, lines map[string]bool) (string, error) {
	var b strings.Builder
	in := 0
	err := x.walkFile(f, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if texts[t.Name.Local] {
				in++
			} else if t.Name.Local == "br" {
				return x.emit(&b, "\n")
			}
		case xml.EndElement:
			if texts[t.Name.Local] {
				in--
			}
			if lines[t.Name.Local] {
				return x.emit(&b, "\n")
			}
		case xml.CharData:
			if in > 0 {
				return x.emit(&b, string(t))
			}
		}
		return nil
	})
	return trimText(b.String()), err
}

// trimText drops the trailing line breaks of a part's text; text that is
// only white space is none.
func trimText(s string) string {
	s = strings.TrimRight(s, "\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}

// docProps reads the core, app and custom document properties into
// metadata segments.
func (x *ooxml) docProps() ([]Segment, error) {
	var out []Segment
	for _, name := range []string{"docProps/core.xml", "docProps/app.xml", "docProps/custom.xml"} {
		f := x.pkg.file(name)
		if f == nil {
			continue
		}
		rc, err := x.pkg.open(f)
		if err != nil {
			return nil, err
		}
		seg, err := x.metadata(rc, f.Name)
		if err != nil {
			return nil, err
		}
		if seg != nil {
			out = append(out, *seg)
		}
	}
	return out, nil
}

// metadataNoise names properties that hold counts, dates, flags and the
// application's name: never text a person wrote.
var metadataNoise = map[string]bool{
	"created": true, "modified": true, "lastPrinted": true, "revision": true,
	"TotalTime": true, "Pages": true, "Words": true, "Characters": true, "CharactersWithSpaces": true,
	"Lines": true, "Paragraphs": true, "DocSecurity": true, "ScaleCrop": true, "LinksUpToDate": true,
	"SharedDoc": true, "HyperlinksChanged": true, "Application": true, "AppVersion": true,
	"Slides": true, "Notes": true, "HiddenSlides": true, "MMClips": true, "PresentationFormat": true,
	"i1": true, "i2": true, "i4": true, "i8": true, "int": true, "ui1": true, "ui2": true, "ui4": true, "ui8": true,
	"uint": true, "r4": true, "r8": true, "bool": true, "filetime": true, "date": true,
}

// metadata reads a document properties part (core, app or custom) into one
// metadata Segment: each property's text on a line, custom properties as
// "name: value". It returns nil when the part has no text.
func (x *ooxml) metadata(rc io.ReadCloser, name string) (*Segment, error) {
	var out, cur strings.Builder
	label, skipValue := "", false
	err := x.walk(rc, name, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "property" {
				label = attr(t, "name")
			}
			cur.Reset()
			skipValue = metadataNoise[t.Name.Local]
		case xml.CharData:
			if err := x.doc.Fits(out.Len() + cur.Len() + len(t)); err != nil {
				return err
			}
			cur.Write(t)
		case xml.EndElement:
			v := strings.TrimSpace(cur.String())
			cur.Reset()
			if t.Name.Local == "property" {
				label = ""
			}
			if v == "" || skipValue {
				return nil
			}
			if label != "" {
				v = label + ": " + v
			}
			return x.emit(&out, v+"\n")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Len() == 0 {
		return nil, nil
	}
	return &Segment{Part: PartMetadata, Text: strings.TrimRight(out.String(), "\n")}, nil
}
