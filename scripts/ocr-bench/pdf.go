package main

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
)

// imagePDF wraps one picture, already compressed, as the only content of a
// one-page A4 PDF, as a scanner's "scan to PDF" writes it: the picture
// fills the page, there is no text layer. filter is DCTDecode (data is a
// JPEG) or CCITTFaxDecode (data is Group 4, 0 bits white).
func imagePDF(data []byte, w, h int, filter string, bits int, color string) []byte {
	var b bytes.Buffer
	var offs []int
	obj := func(body string, stream []byte) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s", len(offs), body)
		if stream != nil {
			fmt.Fprintf(&b, "\nstream\n%s\nendstream", stream)
		}
		b.WriteString("\nendobj\n")
	}
	mediaW, mediaH := 595.28, 841.89 // A4 in points
	if w > h {
		// A page scanned sideways is a landscape page.
		mediaW, mediaH = mediaH, mediaW
	}
	content := fmt.Sprintf("q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q", mediaW, mediaH)
	parms := ""
	if filter == "CCITTFaxDecode" {
		parms = fmt.Sprintf("/DecodeParms <</K -1 /Columns %d /Rows %d /BlackIs1 false>> ", w, h)
	}
	b.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	obj("<</Type /Catalog /Pages 2 0 R>>", nil)
	obj("<</Type /Pages /Kids [3 0 R] /Count 1>>", nil)
	obj(fmt.Sprintf("<</Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources <</XObject <</Im0 4 0 R>>>> /Contents 5 0 R>>", mediaW, mediaH), nil)
	obj(fmt.Sprintf("<</Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /%s /BitsPerComponent %d /Filter /%s %s/Length %d>>",
		w, h, color, bits, filter, parms, len(data)), data)
	obj(fmt.Sprintf("<</Length %d>>", len(content)), []byte(content))
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d /Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, xref)
	return b.Bytes()
}

// tiffStrip returns the width, height and compressed data of a TIFF whose
// first image is in one strip (as g4TIFF writes it), checking that it is
// Group 4 with 0 bits white and the first bit of a byte its first pixel:
// what a PDF's CCITTFaxDecode takes as it is.
func tiffStrip(t []byte) (w, h int, data []byte, err error) {
	if len(t) < 8 {
		return 0, 0, nil, errors.New("tiff: too short")
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0, 0, nil, errors.New("tiff: no byte order")
	}
	ifd := int(bo.Uint32(t[4:]))
	if ifd+2 > len(t) {
		return 0, 0, nil, errors.New("tiff: directory out of the file")
	}
	n := int(bo.Uint16(t[ifd:]))
	tags := map[uint16][]int{}
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > len(t) {
			return 0, 0, nil, errors.New("tiff: directory cut short")
		}
		tag, typ, count := bo.Uint16(t[e:]), bo.Uint16(t[e+2:]), int(bo.Uint32(t[e+4:]))
		size := map[uint16]int{3: 2, 4: 4}[typ]
		if size == 0 || count < 1 {
			continue
		}
		at := e + 8
		if size*count > 4 {
			at = int(bo.Uint32(t[e+8:]))
		}
		for k := range count {
			p := at + k*size
			if p+size > len(t) {
				return 0, 0, nil, errors.New("tiff: value out of the file")
			}
			if size == 2 {
				tags[tag] = append(tags[tag], int(bo.Uint16(t[p:])))
			} else {
				tags[tag] = append(tags[tag], int(bo.Uint32(t[p:])))
			}
		}
	}
	one := func(tag uint16, def int) int {
		if v := tags[tag]; len(v) > 0 {
			return v[0]
		}
		return def
	}
	const width, height, compression, photometric, fillOrder, offsets, counts = 256, 257, 259, 262, 266, 273, 279
	switch {
	case one(compression, 1) != 4:
		return 0, 0, nil, errors.New("tiff: not Group 4")
	case one(photometric, 0) != 0:
		return 0, 0, nil, errors.New("tiff: 0 bits are not white")
	case one(fillOrder, 1) != 1:
		return 0, 0, nil, errors.New("tiff: bits in reverse order")
	case len(tags[offsets]) != 1 || len(tags[counts]) != 1:
		return 0, 0, nil, fmt.Errorf("tiff: %d strips, want 1", len(tags[offsets]))
	}
	off, cnt := tags[offsets][0], tags[counts][0]
	if off+cnt > len(t) {
		return 0, 0, nil, errors.New("tiff: strip out of the file")
	}
	return one(width, 0), one(height, 0), t[off : off+cnt], nil
}
