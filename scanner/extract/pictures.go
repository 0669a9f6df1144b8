package extract

import (
	"archive/zip"
	"bufio"
	"bytes"
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
	"github.com/baomi/baomi/scanner/extract/internal/picture"
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
func sniffPicture(br *bufio.Reader) (size decoration.Size, isPicture bool) {
	head, _ := br.Peek(64)
	switch {
	case magicFormat(head, int64(len(head))) == FormatImage:
		if c, _, err := image.DecodeConfig(br); err == nil {
			size.PxW, size.PxH = c.Width, c.Height
		}
		return size, true
	case picture.IsEMF(head), picture.IsWMF(head):
		// Vector drawing: it scales to any size, so its header says
		// nothing of how large it is shown, and it may hold text records.
		return size, true
	}
	return size, false
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

// Decoration reports whether a picture is too small to hold a line of text
// by the rule of package decoration: pxW and pxH its pixels, mmW and mmH
// the size it is drawn at in millimetres, each 0 when not known.
func Decoration(pxW, pxH int, mmW, mmH float64) bool {
	return decoration.Size{PxW: pxW, PxH: pxH, Drawn: mmW > 0 && mmH > 0, MmW: mmW, MmH: mmH}.Decoration()
}
