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

	"github.com/baomi/baomi/scanner/extract/internal/decoration"
)

// The pictures of a package that may carry text make its file review;
// decoration.Size tells those from the decorations.

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
		if (picture || kind[f] == "image") && !size.Decoration() {
			n++
		}
	}
	return n, nil
}

// pictureSize sniffs the part f and, when it is a picture, reads its size
// from its header: a picture whose header is damaged is a picture of
// unknown size. A part that cannot be opened is none.
func (x *ooxml) pictureSize(f *zip.File) (size decoration.Size, picture bool) {
	rc, err := x.pkg.open(f)
	if err != nil {
		return decoration.Size{}, false
	}
	defer rc.Close()
	return sniffPicture(bufio.NewReader(io.LimitReader(rc, pictureHeader)))
}

// PictureMayCarryText reports whether b, bytes a reader found inside its
// format (a picture stored in a Word document's streams), are a picture
// that is not a decoration by its header; metafiles always are.
func PictureMayCarryText(b []byte) bool {
	size, picture := sniffPicture(bufio.NewReader(bytes.NewReader(b[:min(len(b), pictureHeader)])))
	return picture && !size.Decoration()
}

// sniffPicture tells whether the bytes br reads are a picture and, when
// it is one, reads its size from its header.
func sniffPicture(br *bufio.Reader) (size decoration.Size, picture bool) {
	head, _ := br.Peek(64)
	switch {
	case magicFormat(head, int64(len(head))) == FormatImage:
		if c, _, err := image.DecodeConfig(br); err == nil {
			size.PxW, size.PxH = c.Width, c.Height
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

// PagesReview returns the Review sentence for the pages, in order, that
// have pictures that may carry text: nil for none, the pages as ranges when
// they are few, else their count. The readers of paged formats (PDF, OFD)
// give it.
func PagesReview(pages []int) []string {
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

// PictureReview returns the Review sentence for the entries of z in
// pictures that are pictures too large to be decorations (see package
// decoration), nil for none.
func (z *Zip) PictureReview(ctx context.Context, pictures []*zip.File) []string {
	x := &ooxml{ctx: ctx, opt: z.pkg.opt, pkg: z.pkg}
	n := 0
	for _, f := range pictures {
		if ctx.Err() != nil {
			return []string{"the pictures of the document could not be listed: they may carry text (not read)"}
		}
		if size, picture := x.pictureSize(f); picture && !size.Decoration() {
			n++
		}
	}
	return PicturesReview(n, "")
}

// Decoration reports whether a picture is too small to hold a line of text
// by the rule of package decoration: pxW and pxH its pixels, mmW and mmH
// the size it is drawn at in millimetres, each 0 when not known.
func Decoration(pxW, pxH int, mmW, mmH float64) bool {
	return decoration.Size{PxW: pxW, PxH: pxH, Drawn: mmW > 0 && mmH > 0, MmW: mmW, MmH: mmH}.Decoration()
}
