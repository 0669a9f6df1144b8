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
	type edge struct{ from, to *zip.File }
	var shows []edge // a part and the picture or drawing it shows
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
			t := x.Zip.File(r.target)
			if t != nil && (r.typ == "image" || r.typ == "thumbnail") && kind[t] != "image" {
				kind[t] = r.typ
			}
			if s := x.Zip.File(source); s != nil && t != nil && (r.typ == "image" || r.typ == "drawing") {
				shows = append(shows, edge{s, t})
			}
		}
	}
	// A sheet shows a drawing that shows a picture: two steps.
	for range 2 {
		for _, e := range shows {
			if p := pages[e.from]; p > 0 && (pages[e.to] == 0 || p < pages[e.to]) {
				pages[e.to] = p
			}
		}
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

// embeddedPart reports whether the part is one that embedded reads: a file
// under the embeddings folder of the package's main folder.
func embeddedPart(name string) bool {
	_, rest, _ := strings.Cut(strings.ToLower(name), "/")
	return strings.HasPrefix(rest, "embeddings/")
}
