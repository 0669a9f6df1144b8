package extract

import (
	"cmp"
	"context"
	"encoding/binary"
	"strings"

	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

// Clipboard formats of an OLE object's presentation ([MS-OLEDS] 2.1.1).
const (
	cfMetafilePict = 3
	cfDIB          = 8
	cfEnhMetafile  = 14
)

// presentations returns the pictures an OLE object keeps of itself so that
// its container can draw it without the program that made it: the data of
// each "\x02OlePresNNN" stream at the storage's root ([MS-OLEDS] 2.3.4) in
// a metafile or bitmap format, as a picture file (a WMF, an EMF or a BMP).
// Streams in other formats, or damaged, are left out.
func presentations(c *cfb.File, opt Options) ([][]byte, error) {
	var out [][]byte
	for _, e := range c.Children(c.Root()) {
		if !e.IsStream() || !strings.HasPrefix(e.Name, "\x02OlePres") {
			continue
		}
		b, err := c.ReadStream(e, opt.MaxInflated)
		if err != nil {
			if err := cfbError(err); KindOf(err) == KindLimit {
				return nil, err
			}
			continue
		}
		if p := presentation(b); p != nil {
			out = append(out, p)
		}
	}
	return out, nil
}

// presentation returns the picture of an OLEPresentationStream: its
// clipboard format (a standard one), the target device it skips, seven
// numbers (aspect, lindex, advf, reserved, width, height and the data's
// size) and the data. nil when it is none of CF_METAFILEPICT (a WMF
// without its placeable header), CF_ENHMETAFILE and CF_DIB.
func presentation(b []byte) []byte {
	le := binary.LittleEndian
	if len(b) < 12 {
		return nil
	}
	if m := le.Uint32(b); m != 0xFFFFFFFF && m != 0xFFFFFFFE {
		return nil // a registered format, by name: the program's own
	}
	format, device := le.Uint32(b[4:]), le.Uint32(b[8:])
	if device < 4 || uint64(device)+8+28 > uint64(len(b)) {
		return nil
	}
	p := b[8+device:]
	size := uint64(le.Uint32(p[24:]))
	if data := p[28:]; size <= uint64(len(data)) {
		switch data = data[:size]; {
		case format == cfMetafilePict && picture.IsWMF(data), format == cfEnhMetafile && picture.IsEMF(data):
			return data
		case format == cfDIB:
			return picture.FromDIB(data)
		}
	}
	return nil
}

// readPresentations reads an object that no reader of baomi's reads (unread
// says why) by the pictures it keeps of itself: the text of a metafile's
// text records as it is, its bitmaps by OCR, as pictures of the document.
// The object's own data is not read, which the Review says; an object that
// keeps no picture is the error unread.
func readPresentations(ctx context.Context, c *cfb.File, opt Options, unread *Error) (*Document, error) {
	pics, err := presentations(c, opt)
	if err != nil || len(pics) == 0 {
		return nil, cmp.Or(err, error(unread))
	}
	doc := NewText(FormatOLE, opt)
	for _, p := range pics {
		if err := doc.ReadPictureData(ctx, Picture{}, p); err != nil {
			return nil, err
		}
	}
	doc.Review = append(doc.Review, unread.Reason, "its own data was not read, only the picture the document shows of it")
	doc.ReviewPictures()
	return doc.Document, nil
}
