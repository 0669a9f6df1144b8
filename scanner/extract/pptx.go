package extract

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"io"
	"path"
	"strings"
)

// pptxMain is the presentation part of a PresentationML package.
const pptxMain = "ppt/presentation.xml"

// extractPPTX reads a PowerPoint presentation: each slide in the order the
// presentation shows them (Page is the slide number; hidden slides count
// and their text is in Part hidden), the alt text of its pictures and
// shapes, its speaker notes (Part notes) and comments, legacy and modern
// (Part comment); then document properties and embedded objects
// (ppt/embeddings). Slides, notes and comments the presentation does not
// list are read too, with Page 0.
func extractPPTX(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error) {
	pkg, err := openZip(r, size, opt, true)
	if err != nil {
		return nil, err
	}
	main := pkg.file(pptxMain)
	if main == nil {
		return nil, Errorf(KindCorrupt, "not a presentation: %s is missing", pptxMain)
	}
	x := &pptxReader{ooxml: ooxml{ctx: ctx, opt: opt, pkg: pkg, doc: NewText(FormatPPTX, opt)}, read: map[*zip.File]bool{}}
	slides, err := x.slideList(main)
	if err != nil {
		return nil, err
	}
	doc := x.doc
	for i, f := range slides {
		if err := x.slide(doc, f, i+1); err != nil {
			return nil, err
		}
	}
	for _, f := range pkg.zr.File {
		if pkg.later(f) {
			continue // read with the first entry of its name
		}
		if err := x.slide(doc, f, 0); err != nil {
			return nil, err
		}
	}
	props, err := x.docProps()
	if err != nil {
		return nil, err
	}
	if err := doc.AddAll(props); err != nil {
		return nil, err
	}
	if err := x.embedded("ppt/embeddings/"); err != nil {
		return nil, err
	}
	doc.Review = append(doc.Review, x.pictures()...)
	return doc.Document, nil
}

// pptxReader holds what the parts of one presentation share.
type pptxReader struct {
	ooxml
	read map[*zip.File]bool // parts already read
}

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
	err = x.walkFile(main, func(tok xml.Token, _ int) error {
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "sldId" {
			if f := x.pkg.file(target[relID(e)]); f != nil {
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
// already. f may be any part of the package: other parts than slides,
// notes and comments are left to other readers.
func (x *pptxReader) slide(doc *Text, f *zip.File, page int) error {
	if f == nil || x.read[f] {
		return nil
	}
	switch path.Dir(strings.ToLower(f.Name)) {
	case "ppt/slides":
		x.read[f] = true
		segs, err := x.slideText(f, page)
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
				if err := x.slide(doc, x.pkg.file(r.target), page); err != nil {
					return err
				}
			}
		}
	case "ppt/notesslides":
		x.read[f] = true
		text, err := x.partText(f, drawingText, drawingLines)
		if err != nil || text == "" {
			return err
		}
		if err := doc.Add(Segment{Part: PartNotes, Page: page, Text: text}); err != nil {
			return err
		}
	case "ppt/comments":
		x.read[f] = true
		text, err := x.partText(f, commentText, commentLines)
		if err != nil || text == "" {
			return err
		}
		if err := doc.Add(Segment{Part: PartComment, Page: page, Text: text}); err != nil {
			return err
		}
	}
	return nil
}

// slideText reads the text of one slide (Part body, or hidden when the
// slide is hidden) and the alt text of its shapes and pictures.
func (x *pptxReader) slideText(f *zip.File, page int) ([]Segment, error) {
	var body, alt strings.Builder
	part, in := PartBody, 0
	err := x.walkFile(f, func(tok xml.Token, depth int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sld":
				if depth == 1 && attr(t, "show") == "0" {
					part = PartHidden
				}
			case "t":
				in++
			case "br":
				return x.emit(&body, "\n")
			case "cNvPr":
				for _, a := range []string{"title", "descr"} {
					if v := attr(t, a); v != "" {
						if err := x.emit(&alt, v+"\n"); err != nil {
							return err
						}
					}
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				in--
			case "p":
				return x.emit(&body, "\n")
			}
		case xml.CharData:
			if in > 0 {
				return x.emit(&body, string(t))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	var segs []Segment
	if text := trimText(body.String()); text != "" {
		segs = append(segs, Segment{Part: part, Page: page, Text: text})
	}
	if text := trimText(alt.String()); text != "" {
		segs = append(segs, Segment{Part: PartAltText, Page: page, Text: text})
	}
	return segs, nil
}
