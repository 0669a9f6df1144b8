package pdf

import (
	"bytes"
	"strconv"
)

// obj is a PDF object as the picture code reads it, whether from the
// library's Values (an image XObject's dictionary) or from a content
// stream (an inline image's, which the library's lexer cannot give): nil,
// bool, float64, pdfName, string (the bytes of a string), []obj,
// map[string]obj, or streamObj.
type obj = any

// pdfName is a name object, without its slash.
type pdfName string

// inlineImage is an inline image of a content stream (BI … ID … EI): its
// dictionary with the keys as written (abbreviated or not), its data, and
// the transformation it is drawn with, relative to the stream's start.
type inlineImage struct {
	dict map[string]obj
	data []byte
	ctm  matrix
}

// Bounds of the inline image scanner: images per stream, entries of an
// image's dictionary, elements and nesting of its values.
const (
	maxInlineImages = 10_000
	maxInlineKeys   = 64
	maxObjElems     = 1024
	maxObjDepth     = 8
)

// inlineImages finds the inline images of data, a content stream's bytes,
// and the transformation each is drawn with: it follows q, Q and cm and
// nothing else. The library's lexer cannot give their data, which is
// binary, and may fail on it: scanner drivers store a scanned page as inline
// strips. lost reports an image whose data's end was not found (the rest
// of the stream is not scanned) or images past maxInlineImages.
func inlineImages(data []byte) (imgs []inlineImage, lost bool) {
	lx := &cmapLexer{data: data}
	ctm := identityMatrix
	var saved gstack[matrix]
	var nums []float64 // the numbers just before an operator
	for {
		t := lx.next()
		switch t.kind {
		case tokEOF:
			return imgs, false
		case tokNum:
			v, _ := strconv.ParseFloat(t.text, 64)
			nums = append(nums, v)
			if len(nums) > 6 {
				nums = nums[1:]
			}
			continue
		case tokKeyword:
			switch t.text {
			case "q":
				saved.push(ctm)
			case "Q":
				saved.pop(&ctm)
			case "cm":
				if len(nums) == 6 {
					ctm = matrix(nums).mul(ctm)
				}
			case "BI":
				if len(imgs) == maxInlineImages {
					return imgs, true
				}
				dict := lx.inlineDict()
				d, ok := lx.inlineData(dict)
				if !ok {
					return imgs, true
				}
				imgs = append(imgs, inlineImage{dict: dict, data: d, ctm: ctm})
			}
		}
		nums = nums[:0]
	}
}

// inlineDict reads an inline image's dictionary up to its ID operator.
func (lx *cmapLexer) inlineDict() map[string]obj {
	dict := map[string]obj{}
	for len(dict) < maxInlineKeys {
		t := lx.next()
		if t.kind == tokEOF || t.kind == tokKeyword && t.text == "ID" {
			return dict
		}
		if t.kind != tokName {
			continue
		}
		v := lx.next()
		if v.kind == tokKeyword && v.text == "ID" {
			return dict
		}
		dict[t.text] = lx.object(v, 0)
	}
	// Too many keys: skip to ID all the same.
	for t := lx.next(); t.kind != tokEOF && !(t.kind == tokKeyword && t.text == "ID"); t = lx.next() {
	}
	return dict
}

// object returns the object that starts with token t.
func (lx *cmapLexer) object(t cmapToken, depth int) obj {
	switch t.kind {
	case tokName:
		return pdfName(t.text)
	case tokNum:
		v, _ := strconv.ParseFloat(t.text, 64)
		return v
	case tokHex, tokString:
		return t.text
	case tokKeyword:
		switch t.text {
		case "true":
			return true
		case "false":
			return false
		}
		return nil
	case tokOpen:
		var a []obj
		for t := lx.next(); t.kind != tokEOF && t.kind != tokClose; t = lx.next() {
			if depth < maxObjDepth && len(a) < maxObjElems {
				a = append(a, lx.object(t, depth+1))
			}
		}
		return a
	case tokDict:
		if lx.data[lx.pos-1] == '>' {
			return nil // a stray >>
		}
		d := map[string]obj{}
		for t := lx.next(); t.kind != tokEOF && !(t.kind == tokDict && lx.data[lx.pos-1] == '>'); t = lx.next() {
			if t.kind != tokName {
				continue
			}
			v := lx.object(lx.next(), depth+1)
			if depth < maxObjDepth && len(d) < maxObjElems {
				d[t.text] = v
			}
		}
		return d
	}
	return nil
}

// inlineData returns the data of an inline image whose dictionary was
// just read, and moves past its EI. The data's length is known from the
// dictionary when it says it (/L, PDF 2.0) or when the data has no filter;
// else it ends at an EI that stands alone and is followed by content-stream
// text, not by more binary data (as PDF readers find it).
func (lx *cmapLexer) inlineData(dict map[string]obj) ([]byte, bool) {
	d := lx.data
	start := lx.pos
	if start < len(d) && isPDFSpace(d[start]) {
		start++ // the one white-space byte after ID
	}
	if n, ok := inlineLength(dict); ok {
		// Some writers put CR LF after ID: the known length tells.
		froms := []int{start}
		if start > 0 && start < len(d) && d[start-1] == '\r' && d[start] == '\n' {
			froms = append(froms, start+1)
		}
		for _, from := range froms {
			if n > len(d)-from {
				break
			}
			i := from + n
			for i < len(d) && isPDFSpace(d[i]) {
				i++
			}
			if bytes.HasPrefix(d[i:], []byte("EI")) && (i+2 == len(d) || isPDFSpace(d[i+2]) || isPDFDelim(d[i+2])) {
				lx.pos = i + 2
				return d[from : from+n], true
			}
		}
	}
	for i := start; ; {
		k := bytes.Index(d[i:], []byte("EI"))
		if k < 0 {
			return nil, false
		}
		i += k
		if i > start && isPDFSpace(d[i-1]) && (i+2 == len(d) || isPDFSpace(d[i+2])) && textFollows(d[i+2:]) {
			lx.pos = i + 2
			return d[start : i-1], true
		}
		i += 2
	}
}

// textFollows reports whether b starts like content-stream text: no byte
// of binary data among its first few.
func textFollows(b []byte) bool {
	for _, c := range b[:min(len(b), 32)] {
		if c >= 0x7f || c < ' ' && !isPDFSpace(c) {
			return false
		}
	}
	return true
}

// inlineLength returns the length of an inline image's data when its
// dictionary tells it: /L or /Length, or the size of unfiltered samples.
func inlineLength(dict map[string]obj) (int, bool) {
	get := func(full, abbr string) obj {
		if v, ok := dict[full]; ok {
			return v
		}
		return dict[abbr]
	}
	if l, ok := get("Length", "L").(float64); ok && l >= 0 && l < 1<<31 {
		return int(l), true
	}
	if f := get("Filter", "F"); f != nil {
		if a, ok := f.([]obj); !ok || len(a) > 0 {
			return 0, false
		}
	}
	w, _ := get("Width", "W").(float64)
	h, _ := get("Height", "H").(float64)
	bpc, _ := get("BitsPerComponent", "BPC").(float64)
	comps := 0
	if im, _ := get("ImageMask", "IM").(bool); im {
		comps, bpc = 1, 1
	}
	switch cs := get("ColorSpace", "CS").(type) {
	case pdfName:
		switch cs {
		case "G", "DeviceGray":
			comps = 1
		case "RGB", "DeviceRGB":
			comps = 3
		case "CMYK", "DeviceCMYK":
			comps = 4
		}
	case []obj:
		if len(cs) > 0 && (cs[0] == pdfName("I") || cs[0] == pdfName("Indexed")) {
			comps = 1
		}
	}
	if comps == 0 || w < 1 || h < 1 || bpc < 1 || w*h*bpc*float64(comps) > 1<<34 {
		return 0, false
	}
	return int(h) * ((int(w)*comps*int(bpc) + 7) / 8), true
}
