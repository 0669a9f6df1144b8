package ooxml

import (
	"archive/zip"
	"path"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
)

// pictures returns the Review sentence for the pictures of an Office
// package that may carry text, nil when there are none. The pictures are
// found by their bytes among all the parts, shown by a part (document,
// headers, slides, masters, sheets, drawings, charts) or not: the file holds
// them either way. A part behind a relationship of type image is a picture
// whatever its bytes (SVG and other formats whose size is not read). Left
// out are the package thumbnail, a rendering of the first page that no part
// shows, and the files under embeddings/, which embedded reads as documents
// of their own (a picture there is a picture file, review by itself). A
// package whose relationships cannot be read is review too: which parts are
// pictures is not known.
func (x *ooxml) pictures() []string {
	n, err := x.countPictures()
	if err != nil {
		return []string{"the pictures of the document could not be listed: they may carry text (not read)"}
	}
	return extract.PicturesReview(n, "")
}

// countPictures counts the parts of the package that are pictures and not
// decorations.
func (x *ooxml) countPictures() (int, error) {
	// The parts the relationships call image or thumbnail; image wins.
	kind := map[*zip.File]string{}
	for _, f := range x.Zip.Files() {
		dir, base := path.Split(f.Name)
		if path.Base(dir) != "_rels" || !strings.HasSuffix(strings.ToLower(base), ".rels") {
			continue
		}
		rels, err := x.rels(strings.TrimSuffix(dir, "_rels/") + base[:len(base)-len(".rels")])
		if err != nil {
			return 0, err
		}
		for _, r := range rels {
			if t := x.Zip.File(r.target); t != nil && (r.typ == "image" || r.typ == "thumbnail") && kind[t] != "image" {
				kind[t] = r.typ
			}
		}
	}
	n := 0
	for _, f := range x.Zip.Files() {
		if strings.HasSuffix(f.Name, "/") || kind[f] == "thumbnail" || embeddedPart(f.Name) {
			continue
		}
		if x.Ctx.Err() != nil {
			return 0, extract.Errorf(extract.KindTimeout, "timed out listing pictures")
		}
		picture, decoration := x.Zip.Picture(f)
		if (picture || kind[f] == "image") && !decoration {
			n++
		}
	}
	return n, nil
}

// embeddedPart reports whether the part is one that embedded reads: a file
// under the embeddings folder of the package's main folder.
func embeddedPart(name string) bool {
	_, rest, _ := strings.Cut(strings.ToLower(name), "/")
	return strings.HasPrefix(rest, "embeddings/")
}
