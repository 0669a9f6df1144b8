package picture

import (
	"encoding/binary"
	"io"
)

// maxTIFFPages bounds the pages of a TIFF: beyond, the rest of its page
// list is taken for damage (a scan of a few hundred pages is long).
const maxTIFFPages = 10000

// tiffPages calls f with each page of a TIFF. The decoder reads the first
// page only (the first IFD), so the pages' IFDs are listed here, and each
// is decoded through a view of the file whose header names it first.
func tiffPages(data []byte, maxPixels int, f func(Page) error) error {
	order, ifds, listErr := tiffIFDs(data)
	count := len(ifds)
	if listErr != nil {
		count++
	}
	for i, off := range ifds {
		page := Page{Index: i, Count: count}
		v := &firstIFD{data: data}
		copy(v.head[:4], data)
		order.PutUint32(v.head[4:], uint32(off))
		img, err := decode(codecs[formatTIFF], io.NewSectionReader(v, 0, int64(len(data))), maxPixels)
		if err != nil {
			err.Format = formatTIFF
			page.Err = err
		} else {
			page.Image = orient(img, ifdOrientation(data, order, off))
		}
		if err := f(page); err != nil {
			return err
		}
	}
	if listErr != nil {
		return f(Page{Index: len(ifds), Count: count, Err: listErr})
	}
	return nil
}

// tiffIFDs lists the offsets of the IFDs (one per page) of a TIFF by
// following the chain from its header. The error says what is wrong with
// the chain after the IFDs listed: it points outside the file, loops, or is
// longer than maxTIFFPages.
func tiffIFDs(data []byte) (binary.ByteOrder, []int, *Error) {
	var order binary.ByteOrder
	switch {
	case len(data) < 8:
		return nil, nil, &Error{Problem: Damaged, Format: formatTIFF}
	case string(data[:4]) == "II*\x00":
		order = binary.LittleEndian
	case string(data[:4]) == "MM\x00*":
		order = binary.BigEndian
	default: // BigTIFF: 64-bit offsets, not read by the decoder
		return nil, nil, &Error{Problem: Unsupported, Format: formatTIFF}
	}
	var ifds []int
	seen := map[int]bool{}
	damaged := &Error{Problem: Damaged, Format: formatTIFF}
	for off := int(order.Uint32(data[4:])); ; {
		switch {
		case off == 0 && len(ifds) > 0:
			return order, ifds, nil
		case off <= 0, seen[off], len(ifds) == maxTIFFPages, off > len(data)-2:
			return order, ifds, damaged
		}
		end := off + 2 + 12*int(order.Uint16(data[off:])) + 4
		if end > len(data) {
			return order, ifds, damaged
		}
		seen[off] = true
		ifds = append(ifds, off)
		off = int(order.Uint32(data[end-4:]))
	}
}

// firstIFD is a TIFF seen with another header: head in place of its first
// 8 bytes (the byte order and the offset of the first IFD).
type firstIFD struct {
	data []byte
	head [8]byte
}

func (v *firstIFD) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 || off >= int64(len(v.data)) {
		return 0, io.EOF
	}
	n := copy(p, v.data[off:])
	for i := off; i < int64(len(v.head)) && i < off+int64(n); i++ {
		p[i-off] = v.head[i]
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// tagOrientation is the TIFF and EXIF tag of how the picture is turned.
const tagOrientation = 0x0112

// ifdOrientation returns the Orientation (1 to 8) the IFD at off of the
// TIFF structure b gives, 0 when it gives none or the IFD is damaged.
func ifdOrientation(b []byte, order binary.ByteOrder, off int) int {
	if off < 0 || off > len(b)-2 {
		return 0
	}
	n := int(order.Uint16(b[off:]))
	for e := off + 2; e+12 <= len(b) && e < off+2+12*n; e += 12 {
		// A SHORT (type 3) with one value, held in the entry itself.
		if order.Uint16(b[e:]) == tagOrientation && order.Uint16(b[e+2:]) == 3 && order.Uint32(b[e+4:]) == 1 {
			return int(order.Uint16(b[e+8:]))
		}
	}
	return 0
}
