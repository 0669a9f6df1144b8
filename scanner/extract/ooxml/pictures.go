package ooxml

import (
	"archive/zip"
	"path"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
)

// pictures reads by OCR the pictures of an Office package that may carry
// text, each named by its part (word/media/image1.png), and says in the
// Review why those not read were not. The pictures are found by their
// bytes among all the parts, shown by a part (document, headers, slides,
// masters, sheets, drawings, charts) or not: the file holds them either
// way. A part behind a relationship of type image is a picture whatever
// its bytes (SVG and other formats whose size is not read). Left out are
// the package thumbnail, a rendering of the first page that no part shows,
// and the files under embeddings/, which embedded reads as documents of
// their own (a picture there is a picture file). A package whose
// relationships cannot be read is review too: which parts are pictures is
// not known. pages are the pages of the parts that have one (slides,
// sheets): a picture a page shows, or a drawing of the page, has its page
// (the first of them).
func (x *ooxml) pictures(pages map[*zip.File]int) error {
	parts, err := x.pictureParts(pages)
	if err != nil {
		x.Doc.Review = append(x.Doc.Review, "the pictures of the document could not be listed: they may carry text (not read)")
		return nil
	}
	for _, f := range parts {
		if err := x.Doc.ReadPictureEntry(x.Ctx, x.Zip, f, pages[f]); err != nil {
			return err
		}
	}
	x.Doc.ReviewPictures()
	return nil
}

// pictureParts returns the parts of the package that are pictures and not
// decorations, in the package's order, and adds the page of each picture
// a page shows to pages.
func (x *ooxml) pictureParts(pages map[*zip.File]int) ([]*zip.File, error) {
	// The parts the relationships call image or thumbnail; image wins.
	kind := map[*zip.File]string{}
	edges, err := x.allRels()
	if err != nil {
		return nil, err
	}
	for _, e := range edges {
		if typ := e.rel.typ; (typ == "image" || typ == "thumbnail") && kind[e.target] != "image" {
			kind[e.target] = typ
		}
	}
	if err := x.spreadPages(pages); err != nil {
		return nil, err
	}
	var parts []*zip.File
	for _, f := range x.Zip.Files() {
		if strings.HasSuffix(f.Name, "/") || kind[f] == "thumbnail" || embeddedPart(f.Name) {
			continue
		}
		if x.Ctx.Err() != nil {
			return nil, extract.Errorf(extract.KindTimeout, "timed out listing pictures")
		}
		picture, decoration := x.Zip.Picture(f)
		if (picture || kind[f] == "image") && !decoration {
			parts = append(parts, f)
		}
	}
	return parts, nil
}

// relEdge is one relationship of the package between two of its parts,
// source nil when the part that has the relationship is not there.
type relEdge struct {
	source, target *zip.File
	rel            relationship
}

// allRels returns every relationship of every part of the package whose
// target is a part of it, reading them the first time.
func (x *ooxml) allRels() ([]relEdge, error) {
	if x.edges != nil {
		return *x.edges, nil
	}
	var out []relEdge
	for _, f := range x.Zip.Files() {
		dir, base := path.Split(f.Name)
		if path.Base(dir) != "_rels" || !strings.HasSuffix(strings.ToLower(base), ".rels") {
			continue
		}
		source := strings.TrimSuffix(dir, "_rels/") + base[:len(base)-len(".rels")]
		rels, err := x.rels(source)
		if err != nil {
			return nil, err
		}
		for _, r := range rels {
			if t := x.Zip.File(r.target); t != nil {
				out = append(out, relEdge{x.Zip.File(source), t, r})
			}
		}
	}
	x.edges = &out
	return out, nil
}

// showTypes are the relationships by which a part shows another on its
// page: a picture, a drawing (of a sheet), a chart, SmartArt, the shapes
// drawn over a chart.
var showTypes = map[string]bool{"image": true, "drawing": true, "chart": true, "chartUserShapes": true,
	"diagramData": true, "diagramDrawing": true}

// spreadPages adds to pages, which holds the pages of slides and sheets,
// the page of the parts they show (the first page that shows each), up to
// three steps away: a sheet shows a drawing that shows a chart that shows
// the shapes drawn over it.
func (x *ooxml) spreadPages(pages map[*zip.File]int) error {
	edges, err := x.allRels()
	if err != nil {
		return err
	}
	for range 3 {
		for _, e := range edges {
			if p := pages[e.source]; p > 0 && showTypes[e.rel.typ] && (pages[e.target] == 0 || p < pages[e.target]) {
				pages[e.target] = p
			}
		}
	}
	return nil
}

// embeddedPart reports whether the part is one that embedded reads: a file
// under the embeddings folder of the package's main folder.
func embeddedPart(name string) bool {
	_, rest, _ := strings.Cut(strings.ToLower(name), "/")
	return strings.HasPrefix(rest, "embeddings/")
}
