// Package xmlpkg reads the XML parts of a zip package for the readers of
// the formats built that way (OOXML: extract/ooxml; OFD: extract/ofd):
// each part is streamed within the depth and element limits of the
// Options, and cancellation is noticed.
package xmlpkg

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"path"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"github.com/baomi/baomi/scanner/extract"
)

// CtxCheckEvery is how many tokens or items a reader handles between two
// looks at its context.
const CtxCheckEvery = 4096

// Package holds what the parts of one zip+XML package (DOCX, XLSX, PPTX,
// OFD) share while they are read: the package, the options and the
// document being read, with its text budget.
type Package struct {
	Ctx context.Context
	Opt extract.Options
	Zip *extract.Zip
	Doc *extract.Text
	// elements counts the XML elements of all parts walked so far, against
	// Opt.MaxXMLElements.
	elements int
}

// Walk streams the XML of one part to fn with each token and its element
// depth (the element's own depth for start and end tags), enforcing the depth
// and element limits and cancellation. It closes rc.
func (x *Package) Walk(rc io.ReadCloser, name string, fn func(tok xml.Token, depth int) error) error {
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
		if n%CtxCheckEvery == 0 && x.Ctx.Err() != nil {
			return extract.Errorf(extract.KindTimeout, "cancelled while reading %s", x.Part(name))
		}
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var e *extract.Error
			if errors.As(err, &e) {
				return e
			}
			line, _ := d.InputPos()
			return extract.Errorf(extract.KindCorrupt, "malformed XML in %s at line %d", x.Part(name), line)
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
			if depth > x.Opt.MaxXMLDepth {
				return extract.Errorf(extract.KindLimit, "XML in %s nests deeper than %d elements (max XML depth)", x.Part(name), x.Opt.MaxXMLDepth)
			}
			if x.elements++; x.elements > x.Opt.MaxXMLElements {
				return extract.Errorf(extract.KindLimit, "XML in %s has more than %d elements (max XML elements)", x.Part(name), x.Opt.MaxXMLElements)
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

// Part names the part called name in a Reason by its place in the package
// ("part 3"): the decoder's message and the names in the XML come from the
// file, and Reasons quote nothing of it.
func (x *Package) Part(name string) string {
	return x.Zip.Part(x.Zip.File(name))
}

// WalkFile opens an entry of the package and walks it.
func (x *Package) WalkFile(f *zip.File, fn func(tok xml.Token, depth int) error) error {
	rc, err := x.Zip.Open(f)
	if err != nil {
		return err
	}
	return x.Walk(rc, f.Name, fn)
}

// Emit adds s to b, the text of a segment being gathered, while it fits
// in what is left of the document's text budget.
func (x *Package) Emit(b *strings.Builder, s string) error {
	if err := x.Doc.Fits(b.Len() + len(s)); err != nil {
		return err
	}
	b.WriteString(s)
	return nil
}

// PartText streams a part and returns its text: the character data of elements
// whose local name is in texts, a line break at the end of each element
// whose local name is in lines and at each br.
func (x *Package) PartText(f *zip.File, texts, lines map[string]bool) (string, error) {
	var b strings.Builder
	in := 0
	err := x.WalkFile(f, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if texts[t.Name.Local] {
				in++
			} else if t.Name.Local == "br" {
				return x.Emit(&b, "\n")
			}
		case xml.EndElement:
			if texts[t.Name.Local] {
				in--
			}
			if lines[t.Name.Local] {
				return x.Emit(&b, "\n")
			}
		case xml.CharData:
			if in > 0 {
				return x.Emit(&b, string(t))
			}
		}
		return nil
	})
	return TrimText(b.String()), err
}

// Attr returns the value of the attribute with the given local name.
func Attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// PartName resolves a reference to a part: absolute ("/xl/a.xml") from the
// package root, relative from dir.
func PartName(dir, ref string) string {
	if strings.HasPrefix(ref, "/") {
		return path.Clean(ref[1:])
	}
	return path.Clean(path.Join(dir, ref))
}

// TrimText drops the trailing line breaks of a part's text; text that is
// only white space is none.
func TrimText(s string) string {
	s = strings.TrimRight(s, "\n")
	if strings.TrimSpace(s) == "" {
		return ""
	}
	return s
}
