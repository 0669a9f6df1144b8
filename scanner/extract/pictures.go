package extract

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	_ "image/gif" // picture headers: DecodeConfig
	_ "image/jpeg"
	_ "image/png"
	"io"
	"path"
	"strconv"
	"strings"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"
)

// Pictures are not read (no OCR yet), so a picture that may carry text
// makes its file review. The decoration rule exempts only pictures too small
// to hold a line of text: a line needs some height across it and some length
// along it, so a picture is a decoration when its SMALLER side is under
// either threshold:
//   - under decorationPixels pixels: a glyph of a line of text needs about
//     that many pixels to be legible (a 12 pt line scanned at 150 dpi is 25
//     pixels high);
//   - or drawn under decorationMM millimetres: 3 mm (8.5 pt) is about the
//     smallest print a person reads.
//
// Using the smaller side exempts rules and lines (thin one way), bullets and
// small icons (small both ways), and keeps a banner of text drawn across the
// page or a column of vertical text down it. Either threshold alone is
// enough; a size that is not known (no pixel size in the header, no drawn
// size in the format) exempts nothing.
const (
	decorationPixels = 24
	decorationMM     = 3.0
)

// pointsPerMM converts PDF points (1/72 inch) to millimetres.
const pointsPerMM = 72 / 25.4

// pictureSize is what is known of one picture's size: its pixels (0 when
// unknown) and, when drawn is set, the size it is drawn at in millimetres.
type pictureSize struct {
	pxW, pxH int
	drawn    bool
	mmW, mmH float64
}

// decoration reports whether the picture is too small to hold a line of
// text, by the rule above.
func (s pictureSize) decoration() bool {
	if s.pxW > 0 && s.pxH > 0 && min(s.pxW, s.pxH) < decorationPixels {
		return true
	}
	return s.drawn && min(s.mmW, s.mmH) < decorationMM
}

// pictureHeader is how many bytes of a picture are read to find its size.
// JPEG metadata segments (EXIF, ICC profiles) come before the frame header;
// a picture whose size is not found within this is counted as a picture.
const pictureHeader = 1 << 20

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
	return PicturesReview(n, "")
}

// countPictures counts the parts of the package that are pictures and not
// decorations.
func (x *ooxml) countPictures() (int, error) {
	// The parts the relationships call image or thumbnail; image wins.
	kind := map[*zip.File]string{}
	for _, f := range x.pkg.zr.File {
		dir, base := path.Split(f.Name)
		if path.Base(dir) != "_rels" || !strings.HasSuffix(strings.ToLower(base), ".rels") {
			continue
		}
		rels, err := x.rels(strings.TrimSuffix(dir, "_rels/") + base[:len(base)-len(".rels")])
		if err != nil {
			return 0, err
		}
		for _, r := range rels {
			if t := x.pkg.file(r.target); t != nil && (r.typ == "image" || r.typ == "thumbnail") && kind[t] != "image" {
				kind[t] = r.typ
			}
		}
	}
	n := 0
	for _, f := range x.pkg.zr.File {
		if strings.HasSuffix(f.Name, "/") || kind[f] == "thumbnail" || embeddedPart(f.Name) {
			continue
		}
		if x.ctx.Err() != nil {
			return 0, Errorf(KindTimeout, "timed out listing pictures")
		}
		size, picture := x.pictureSize(f)
		if (picture || kind[f] == "image") && !size.decoration() {
			n++
		}
	}
	return n, nil
}

// pictureSize sniffs the part f and, when it is a picture, reads its size
// from its header: a picture whose header is damaged is a picture of
// unknown size. A part that cannot be opened is none.
func (x *ooxml) pictureSize(f *zip.File) (size pictureSize, picture bool) {
	rc, err := x.pkg.open(f)
	if err != nil {
		return pictureSize{}, false
	}
	defer rc.Close()
	return sniffPicture(bufio.NewReader(io.LimitReader(rc, pictureHeader)))
}

// PictureMayCarryText reports whether b, bytes a reader found inside its
// format (a picture stored in a Word document's streams), are a picture
// that is not a decoration by its header; metafiles always are.
func PictureMayCarryText(b []byte) bool {
	size, picture := sniffPicture(bufio.NewReader(bytes.NewReader(b[:min(len(b), pictureHeader)])))
	return picture && !size.decoration()
}

// sniffPicture tells whether the bytes br reads are a picture and, when
// it is one, reads its size from its header.
func sniffPicture(br *bufio.Reader) (size pictureSize, picture bool) {
	head, _ := br.Peek(64)
	switch {
	case magicFormat(head, int64(len(head))) == FormatImage:
		if c, _, err := image.DecodeConfig(br); err == nil {
			size.pxW, size.pxH = c.Width, c.Height
		}
		return size, true
	case isEMF(head), isWMF(head):
		// Vector drawing: it scales to any size, so its header says
		// nothing of how large it is shown, and it may hold text records.
		return size, true
	}
	return size, false
}

// embeddedPart reports whether the part is one that embedded reads: a file
// under the embeddings folder of the package's main folder.
func embeddedPart(name string) bool {
	_, rest, _ := strings.Cut(strings.ToLower(name), "/")
	return strings.HasPrefix(rest, "embeddings/")
}

// isEMF recognizes an Enhanced Metafile: an EMR_HEADER record (type 1)
// with the " EMF" signature at offset 40.
func isEMF(b []byte) bool {
	return len(b) >= 44 && binary.LittleEndian.Uint32(b) == 1 && string(b[40:44]) == " EMF"
}

// isWMF recognizes a Windows Metafile: the placeable header's key, or a
// standard header (memory or disk metafile, header size 9 words, version
// 0x0100 or 0x0300).
func isWMF(b []byte) bool {
	if hasPrefix(b, "\xD7\xCD\xC6\x9A") {
		return true
	}
	return len(b) >= 6 && (hasPrefix(b, "\x01\x00\x09\x00") || hasPrefix(b, "\x02\x00\x09\x00")) &&
		b[4] == 0 && (b[5] == 1 || b[5] == 3)
}

// pagePictures returns the Review sentence for the pages, in order, that
// have pictures that may carry text: nil for none, the pages as ranges when
// they are few, else their count.
func pagePictures(pages []int) []string {
	const tail = "may carry text (not read)"
	switch len(pages) {
	case 0:
		return nil
	case 1:
		return []string{fmt.Sprintf("page %d has a picture that %s", pages[0], tail)}
	}
	var ranges []string
	for i := 0; i < len(pages); {
		j := i
		for j+1 < len(pages) && pages[j+1] == pages[j]+1 {
			j++
		}
		if j == i {
			ranges = append(ranges, strconv.Itoa(pages[i]))
		} else {
			ranges = append(ranges, fmt.Sprintf("%d-%d", pages[i], pages[j]))
		}
		i = j + 1
	}
	if len(ranges) > 4 {
		return []string{fmt.Sprintf("%d pages, from page %d, have pictures that %s", len(pages), pages[0], tail)}
	}
	return []string{fmt.Sprintf("pages %s have pictures that %s", strings.Join(ranges, ", "), tail)}
}

// Decorations that touch one another can be one picture cut in pieces: a
// scan stored as strips a few pixels high, or a banner cut up so that each
// piece passes for a rule. So the boxes of the decorations drawn on a page
// are joined where they touch (within joinGapMM) and a group whose box is no
// decoration by its drawn size counts as a picture. Beyond maxDecorations
// on a page, the page counts as having a picture.
const (
	joinGapMM      = 0.5
	maxDecorations = 2000
)

// box is where a picture is drawn on its page, in millimetres.
type box struct{ x0, y0, x1, y1 float64 }

// touches reports whether b and c overlap or are within joinGapMM.
func (b box) touches(c box) bool {
	return b.x0 <= c.x1+joinGapMM && c.x0 <= b.x1+joinGapMM && b.y0 <= c.y1+joinGapMM && c.y0 <= b.y1+joinGapMM
}

// joinedPictures counts the groups of two or more touching decorations
// whose joined box is no decoration by its drawn size (see box).
func joinedPictures(boxes []box) int {
	if len(boxes) > maxDecorations {
		return 1
	}
	// Union-find over the boxes, quadratic in their count: decorations are
	// few on real pages, and bounded above.
	group := make([]int, len(boxes))
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			group[i] = group[group[i]]
			i = group[i]
		}
		return i
	}
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			if boxes[i].touches(boxes[j]) {
				group[find(i)] = find(j)
			}
		}
	}
	joined := map[int]box{}
	size := map[int]int{}
	for i, b := range boxes {
		g := find(i)
		if j, ok := joined[g]; ok {
			b = box{min(b.x0, j.x0), min(b.y0, j.y0), max(b.x1, j.x1), max(b.y1, j.y1)}
		}
		joined[g] = b
		size[g]++
	}
	n := 0
	for g, b := range joined {
		s := pictureSize{drawn: true, mmW: b.x1 - b.x0, mmH: b.y1 - b.y0}
		if size[g] > 1 && !s.decoration() {
			n++
		}
	}
	return n
}

// PictureReview returns the Review sentence for the entries of z in
// pictures that are pictures too large to be decorations by the rule
// above, nil for none.
func (z *Zip) PictureReview(ctx context.Context, pictures []*zip.File) []string {
	x := &ooxml{ctx: ctx, opt: z.pkg.opt, pkg: z.pkg}
	n := 0
	for _, f := range pictures {
		if ctx.Err() != nil {
			return []string{"the pictures of the document could not be listed: they may carry text (not read)"}
		}
		if size, picture := x.pictureSize(f); picture && !size.decoration() {
			n++
		}
	}
	return PicturesReview(n, "")
}

// Decoration reports whether a picture is too small to hold a line of text
// by the rule above: pxW and pxH its pixels, mmW and mmH the size it is
// drawn at in millimetres, each 0 when not known.
func Decoration(pxW, pxH int, mmW, mmH float64) bool {
	return pictureSize{pxW: pxW, pxH: pxH, drawn: mmW > 0 && mmH > 0, mmW: mmW, mmH: mmH}.decoration()
}
