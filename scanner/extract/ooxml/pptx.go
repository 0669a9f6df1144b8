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

// pptxMain is the presentation part of a PresentationML package.
const pptxMain = "ppt/presentation.xml"

// extractPPTX reads a PowerPoint presentation: each slide in the order the
// presentation shows them (Page is the slide number; hidden slides count
// and their text is in Part hidden), the alt text of its pictures and
// shapes, its speaker notes (Part notes) and comments, legacy and modern
// (Part comment); then the masters and layouts, the other parts of the
// package (charts, SmartArt, custom XML: see otherParts), document
// properties and embedded objects (ppt/embeddings). Slides, notes and
// comments the presentation does not list are read too, with Page 0.
func extractPPTX(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	o, main, err := openPackage(ctx, r, size, opt, extract.FormatPPTX, pptxMain,
		extract.Errorf(extract.KindCorrupt, "not a presentation: %s is missing", pptxMain))
	if err != nil {
		return nil, err
	}
	x := &pptxReader{ooxml: o}
	slides, err := x.slideList(main)
	if err != nil {
		return nil, err
	}
	doc := x.Doc
	pages := map[*zip.File]int{}
	for i, f := range slides {
		pages[f] = i + 1
		if err := x.slide(doc, f, i+1); err != nil {
			return nil, err
		}
	}
	for _, f := range x.Zip.Files() {
		if x.Zip.Later(f) {
			continue // read with the first entry of its name
		}
		if err := x.slide(doc, f, 0); err != nil {
			return nil, err
		}
	}
	if err := x.rest("ppt/embeddings/", pages); err != nil {
		return nil, err
	}
	if err := x.pictures(pages); err != nil {
		return nil, err
	}
	return doc.Document, nil
}

// pptxReader holds what the parts of one presentation share.
type pptxReader struct{ ooxml }

// slideList returns the slide parts in the order of the presentation's
// slide list (p:sldIdLst).
func (x *pptxReader) slideList(main *zip.File) ([]*zip.File, error) {
	rels, err := x.rels(pptxMain)
	if err != nil {
		return nil, err
	}
	target := map[string]string{}
	for _, r := range rels {
		if r.typ == "slide" {
			target[r.id] = r.target
		}
	}
	var out []*zip.File
	err = x.WalkFile(main, func(tok xml.Token, _ int) error {
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "sldId" {
			if f := x.Zip.File(target[relID(e)]); f != nil {
				out = append(out, f)
			}
		}
		return nil
	})
	return out, err
}

var (
	drawingText  = map[string]bool{"t": true}
	drawingLines = map[string]bool{"p": true}
	// Legacy comments keep their text in p:text, modern ones in
	// paragraphs (a:p/a:r/a:t) of each comment and reply.
	commentText  = map[string]bool{"t": true, "text": true}
	commentLines = map[string]bool{"p": true, "cm": true, "text": true}
)

// slide reads a slide and the notes and comments it refers to, unless read
// already, or a master or layout (Part body, Inner naming it). f may be any
// part of the package: other parts are left to other readers.
func (x *pptxReader) slide(doc *extract.Text, f *zip.File, page int) error {
	if f == nil || x.read[f] {
		return nil
	}
	switch path.Dir(strings.ToLower(f.Name)) {
	case "ppt/slides":
		x.read[f] = true
		segs, err := x.shapesText(f, extract.PartBody, page, true)
		if err != nil {
			return err
		}
		if err := doc.AddAll(segs); err != nil {
			return err
		}
		rels, err := x.rels(f.Name)
		if err != nil {
			return err
		}
		for _, r := range rels {
			if r.typ == "notesSlide" || r.typ == "comments" {
				if err := x.slide(doc, x.Zip.File(r.target), page); err != nil {
					return err
				}
			}
		}
	case "ppt/slidemasters", "ppt/slidelayouts", "ppt/notesmasters", "ppt/handoutmasters":
		// What a master or layout draws besides its placeholders shows on
		// every slide that uses it.
		x.read[f] = true
		segs, err := x.shapesText(f, extract.PartBody, 0, false)
		if err != nil {
			return err
		}
		for i := range segs {
			segs[i].Inner = f.Name
		}
		if err := doc.AddAll(segs); err != nil {
			return err
		}
	case "ppt/notesslides":
		x.read[f] = true
		text, err := x.PartText(f, drawingText, drawingLines)
		if err != nil || text == "" {
			return err
		}
		if err := doc.Add(extract.Segment{Part: extract.PartNotes, Page: page, Text: text}); err != nil {
			return err
		}
	case "ppt/comments":
		x.read[f] = true
		text, err := x.PartText(f, commentText, commentLines)
		if err != nil || text == "" {
			return err
		}
		if err := doc.Add(extract.Segment{Part: extract.PartComment, Page: page, Text: text}); err != nil {
			return err
		}
	}
	return nil
}

// shapesText reads the text of the shapes of one slide, master, layout or
// sheet drawing (Part part, or hidden when the slide is hidden) and the alt
// text of its shapes and pictures. prompts says whether the text of
// placeholders is read: on a master or layout it is the prompt an empty
// placeholder shows while a slide is edited (单击此处编辑母版标题样式), the same
// in every presentation, which no slide shows or prints.
func (x *ooxml) shapesText(f *zip.File, part extract.Part, page int, prompts bool) ([]extract.Segment, error) {
	var body, alt strings.Builder
	in := 0
	var shapes []bool // open shapes (p:sp), true for placeholders
	quiet := func() bool { return !prompts && len(shapes) > 0 && shapes[len(shapes)-1] }
	err := x.WalkFile(f, func(tok xml.Token, depth int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sld":
				if depth == 1 && xmlpkg.Attr(t, "show") == "0" {
					part = extract.PartHidden
				}
			case "sp":
				shapes = append(shapes, false)
			case "ph":
				if len(shapes) > 0 {
					shapes[len(shapes)-1] = true
				}
			case "t":
				in++
			case "br":
				if !quiet() {
					return x.Emit(&body, "\n")
				}
			case "cNvPr":
				for _, a := range []string{"title", "descr"} {
					if v := xmlpkg.Attr(t, a); v != "" {
						if err := x.Emit(&alt, v+"\n"); err != nil {
							return err
						}
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "sp":
				if len(shapes) > 0 {
					shapes = shapes[:len(shapes)-1]
				}
			case "t":
				in--
			case "p":
				if !quiet() {
					return x.Emit(&body, "\n")
				}
			}
		case xml.CharData:
			if in > 0 && !quiet() {
				return x.Emit(&body, string(t))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var segs []extract.Segment
	if text := xmlpkg.TrimText(body.String()); text != "" {
		segs = append(segs, extract.Segment{Part: part, Page: page, Text: text})
	}
	if text := xmlpkg.TrimText(alt.String()); text != "" {
		segs = append(segs, extract.Segment{Part: extract.PartAltText, Page: page, Text: text})
	}
	return segs, nil
}
