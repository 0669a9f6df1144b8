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
	"strconv"
	"strings"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/tiff"
	_ "golang.org/x/image/webp"

	"github.com/baomi/baomi/scanner/extract/internal/decoration"
)

// pictureHeader is how many bytes of a picture are read to find its size.
// JPEG metadata segments (EXIF, ICC profiles) come before the frame header;
// a picture whose size is not found within this is counted as a picture.
const pictureHeader = 1 << 20

// Picture sniffs entry f and reports whether it is a picture by its bytes
// and, when it is one, whether its header makes it small, a decoration (see
// package decoration): a picture whose header is damaged is a picture of
// unknown size. An entry that cannot be opened is none.
func (z *Zip) Picture(f *zip.File) (picture, small bool) {
	rc, err := z.pkg.open(f)
	if err != nil {
		return false, false
	}
	defer rc.Close()
	size, picture := sniffPicture(bufio.NewReader(io.LimitReader(rc, pictureHeader)))
	return picture, size.Decoration()
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
func PagesReview(pages []int) []string { return PagesReviewWhy(pages, "") }

// PagesReviewWhy is PagesReview for pictures not read for reason why (one
// of the Why clauses), which the sentence says; "" and WhyNoOCR say
// nothing, as before baomi read any.
func PagesReviewWhy(pages []int, why string) []string {
	tail := "may carry text (not read)"
	if why != "" && why != WhyNoOCR {
		tail = fmt.Sprintf("may carry text (not read: %s)", why)
	}
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
	n := 0
	for _, f := range pictures {
		if ctx.Err() != nil {
			return []string{"the pictures of the document could not be listed: they may carry text (not read)"}
		}
		if picture, small := z.Picture(f); picture && !small {
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
