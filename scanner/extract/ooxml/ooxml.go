// Package ooxml reads Office Open XML documents for extract: Word (DOCX),
// Excel (XLSX) and PowerPoint (PPTX) packages, their document properties,
// the files embedded in them and the pictures that may carry text.
// Importing it registers the readers.
package ooxml

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"io"
	"path"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

func init() {
	extract.Register(extract.FormatDOCX, extractDOCX)
	extract.Register(extract.FormatXLSX, extractXLSX)
	extract.Register(extract.FormatPPTX, extractPPTX)
}

// ooxml is the package of one Office file being read.
type ooxml struct {
	xmlpkg.Package
	read map[*zip.File]bool // parts the format's reader read (see otherParts)
	// malformed is set when a part otherParts reads is not well-formed XML.
	malformed bool
	edges     *[]relEdge // the package's relationships, once read (allRels)
}

// openPackage opens the package of a file to be read as format and finds
// its main part, failing with missing when it is not there.
func openPackage(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options, format extract.Format, main string, missing error) (ooxml, *zip.File, error) {
	pkg, err := extract.OpenPackage(r, size, opt)
	if err != nil {
		return ooxml{}, nil, err
	}
	f := pkg.File(main)
	if f == nil {
		return ooxml{}, nil, missing
	}
	return ooxml{Package: xmlpkg.Package{Ctx: ctx, Opt: opt, Zip: pkg, Doc: extract.NewText(format, opt)}, read: map[*zip.File]bool{f: true}}, f, nil
}

// rest reads what every kind of package holds besides the parts of its
// format: the parts no reader of the format read (charts and SmartArt as
// body, see otherParts), the document properties, custom XML and unknown
// parts (metadata), then the objects embedded under dir. pages are the
// pages of the parts that have one (slides, sheets), as for pictures.
func (x *ooxml) rest(dir string, pages map[*zip.File]int) error {
	body, meta, err := x.otherParts(pages)
	if err != nil {
		return err
	}
	props, err := x.docProps()
	if err != nil {
		return err
	}
	for _, segs := range [][]extract.Segment{body, props, meta} {
		if err := x.Doc.AddAll(segs); err != nil {
			return err
		}
	}
	if x.malformed {
		x.Doc.Review = append(x.Doc.Review, "a part of the package is not well-formed XML: its text may be missing")
	}
	return x.embedded(dir)
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
	f := x.Zip.File(dir + "_rels/" + base + ".rels")
	if f == nil {
		return nil, nil
	}
	var out []relationship
	err := x.WalkFile(f, func(tok xml.Token, _ int) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" {
			return nil
		}
		typ, target := xmlpkg.Attr(e, "Type"), xmlpkg.Attr(e, "Target")
		if xmlpkg.Attr(e, "TargetMode") == "External" || target == "" {
			return nil
		}
		out = append(out, relationship{id: xmlpkg.Attr(e, "Id"), typ: typ[strings.LastIndex(typ, "/")+1:], target: xmlpkg.PartName(dir, target)})
		return nil
	})
	return out, err
}

// docProps reads the core, app and custom document properties into
// metadata segments.
func (x *ooxml) docProps() ([]extract.Segment, error) {
	var out []extract.Segment
	for _, name := range propsParts {
		f := x.Zip.File(name)
		if f == nil {
			continue
		}
		rc, err := x.Zip.Open(f)
		if err != nil {
			return nil, err
		}
		// Not XML at all, it fails as XML that is not well-formed.
		r, _ := xmlText(rc)
		seg, err := x.metadata(r, f.Name)
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
func (x *ooxml) metadata(rc io.ReadCloser, name string) (*extract.Segment, error) {
	var out, cur strings.Builder
	label, skipValue := "", false
	err := x.Walk(rc, name, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "property" {
				label = xmlpkg.Attr(t, "name")
			}
			cur.Reset()
			skipValue = metadataNoise[t.Name.Local]
		case xml.CharData:
			if err := x.Doc.Fits(out.Len() + cur.Len() + len(t)); err != nil {
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
			return x.Emit(&out, v+"\n")
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if out.Len() == 0 {
		return nil, nil
	}
	return &extract.Segment{Part: extract.PartMetadata, Text: strings.TrimRight(out.String(), "\n")}, nil
}

// formatText reads the text a formatting part f writes into the document
// where its formats apply, though no text of the document holds it: of
// each elem, text of its attr, a line each, as one body segment naming the
// part.
func (x *ooxml) formatText(f *zip.File, elem, attr string, text func(string) string) error {
	var b strings.Builder
	err := x.WalkFile(f, func(tok xml.Token, _ int) error {
		if t, ok := tok.(xml.StartElement); ok && t.Name.Local == elem {
			if s := text(xmlpkg.Attr(t, attr)); s != "" {
				return x.Emit(&b, s+"\n")
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if s := xmlpkg.TrimText(b.String()); s != "" {
		return x.Doc.Add(extract.Segment{Part: extract.PartBody, Inner: f.Name, Text: s})
	}
	return nil
}
