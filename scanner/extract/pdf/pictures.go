package pdf

import (
	"cmp"
	"errors"
	"image"
	"io"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/decoration"
	"github.com/baomi/baomi/scanner/extract/internal/pdfimage"
)

// Why a picture of a PDF was not decoded, besides pdfimage's own clauses.
const (
	// The parser decrypts streams itself only when pdfcpu could not: its
	// key is not reachable for the raw bytes of an image.
	whyEncrypted  = "encrypted picture not decoded"
	whyNoData     = "its data could not be found in the file"
	whyInflated   = "the file's limit of bytes read (max inflated) was reached"
	whyManyPieces = "it is cut into too many pieces"
	whyInlineLost = "its inline data could not be delimited"
	whyDictionary = "its dictionary could not be read"
)

// drawn is an image a page draws, kept to be read once the page is
// walked: an image XObject or an inline image, the resources its named
// color space is in, where it is drawn and its box there.
type drawn struct {
	xo   pdf.Value
	inl  *inlineImage
	res  pdf.Value
	ctm  matrix
	w, h int
	box  decoration.Box
	// decoration is an image too small to hold a line of text: read only
	// as a piece of a picture it touches.
	decoration bool
	// why is set for an image that cannot be read at all.
	why string
}

// picture keeps an image of d.w×d.h pixels (0 when unknown) drawn with
// d.ctm, and tells whether it is a decoration. Image space is the unit
// square, so the sides as drawn are the lengths of the images of the unit
// vectors, whatever the rotation or skew, in units of the page's user
// space. Beyond decoration.Max decorations, the page has a picture.
func (w *walker) picture(d drawn) {
	unit := cmp.Or(w.x.userUnit, 1) / decoration.PointsPerMM // 0: not set, never a size
	ctm := d.ctm
	s := decoration.Size{
		PxW: d.w, PxH: d.h, Drawn: true,
		MmW: math.Hypot(ctm[0], ctm[1]) * unit,
		MmH: math.Hypot(ctm[2], ctm[3]) * unit,
	}
	if d.decoration = s.Decoration(); d.decoration {
		if w.decorations == decoration.Max {
			w.manyPieces = true
			return
		}
		w.decorations++
	}
	d.box = decoration.Box{X0: math.Inf(1), Y0: math.Inf(1), X1: math.Inf(-1), Y1: math.Inf(-1)}
	for _, c := range [4][2]float64{{0, 0}, {1, 0}, {0, 1}, {1, 1}} {
		x, y := ctm.apply(c[0], c[1])
		d.box = decoration.Box{X0: min(d.box.X0, x*unit), Y0: min(d.box.Y0, y*unit), X1: max(d.box.X1, x*unit), Y1: max(d.box.Y1, y*unit)}
	}
	w.images = append(w.images, d)
}

// inline keeps the inline images of strm, drawn with ctm. Their data is
// found by inlineImages in the stream's bytes, once per stream and page.
func (w *walker) inline(strm, res pdf.Value, ctm matrix) {
	key := strm.String()
	c, ok := w.inlines[key]
	if !ok {
		var data []byte
		for _, p := range contentParts(strm) {
			b, err := w.x.readStream(p)
			if e, ours := err.(*extract.Error); ours {
				fail(e)
			}
			if err != nil {
				c.lost = true
				break
			}
			data = append(append(data, b...), '\n')
		}
		if !c.lost {
			c.imgs, c.lost = inlineImages(data)
		}
		w.inlines[key] = c
	}
	for i := range c.imgs {
		im := &c.imgs[i]
		wd, _ := dictGet(im.dict, "Width", "W").(float64)
		ht, _ := dictGet(im.dict, "Height", "H").(float64)
		w.picture(drawn{inl: im, res: res, ctm: im.ctm.mul(ctm), w: int(wd), h: int(ht)})
	}
	if c.lost {
		// Whatever its size, and in no place: a picture of its own.
		w.images = append(w.images, drawn{why: whyInlineLost, ctm: ctm})
	}
}

// inlines is what inlineImages found in one stream.
type inlines struct {
	imgs []inlineImage
	lost bool
}

// dictGet returns the entry of an inline image's dictionary, written in
// full or abbreviated.
func dictGet(d map[string]obj, full, abbr string) obj {
	if v, ok := d[full]; ok {
		return v
	}
	return d[abbr]
}

// readPictures reads by OCR the pictures of page n that the walkers saw
// (the page's, its annotations' appearances') and returns why each one
// not read with confidence was not. Images that touch are one picture,
// drawn together (see joined): the strips of a scan, whose lines of text
// may cross from one to the next, and pieces that are each a decoration
// (see decoration.Groups); an image alone is read as it is unless it is
// a decoration. Shapes that may be text are one more picture, drawn (see
// vector.go). Without an OCR engine nothing is decoded or drawn. An image
// XObject drawn again alone is read once per file.
func (x *pdfRun) readPictures(n int, walkers []*walker) (whys []string, err error) {
	engine := x.doc.ReadsPictures(x.ctx)
	read := func(key string, decode func() (image.Image, string)) error {
		why, seen := x.readImages[key]
		if !seen {
			p := extract.Picture{Page: n, Why: extract.WhyNoOCR}
			var cut string // a truncated image is read, and said so
			if engine {
				p.Image, p.Why = decode()
				if p.Image != nil {
					cut, p.Why = p.Why, ""
				}
			}
			if why, err = x.doc.ReadPicture(x.ctx, p); err != nil {
				return err
			}
			why = cmp.Or(why, cut)
			if key != "" {
				x.readImages[key] = why
			}
		}
		if why != "" {
			whys = append(whys, why)
		}
		return nil
	}
	for _, w := range walkers {
		var boxes []decoration.Box
		var placed []int // the images with a place, by box
		for i, d := range w.images {
			if d.why == "" {
				boxes, placed = append(boxes, d.box), append(placed, i)
			}
		}
		grouped := make([]bool, len(w.images))
		for _, g := range decoration.Groups(boxes) {
			pieces := make([]drawn, len(g))
			for i, k := range g {
				pieces[i] = w.images[placed[k]]
				grouped[placed[k]] = true
			}
			if err := read("", func() (image.Image, string) { return x.joined(pieces) }); err != nil {
				return nil, err
			}
		}
		if len(boxes) > decoration.Max && w.decorations > 0 {
			w.manyPieces = true // too many to group: the pieces are not read
		}
		for i, d := range w.images {
			if grouped[i] || d.decoration {
				continue
			}
			key := "" // never kept: read each time
			if d.xo.Kind() == pdf.Stream {
				key = d.xo.String()
			}
			if err := read(key, func() (image.Image, string) { return x.decodeUpright(d) }); err != nil {
				return nil, err
			}
		}
		if w.manyPieces {
			if err := read("", func() (image.Image, string) { return nil, whyManyPieces }); err != nil {
				return nil, err
			}
		}
		if s := &w.shapes; s.MayBeText() {
			if err := read("", func() (image.Image, string) { return s.Draw(x.ctx) }); err != nil {
				return nil, err
			}
			if x.ctx.Err() != nil {
				return nil, extract.Errorf(extract.KindTimeout, "timed out reading a page")
			}
		}
	}
	return whys, nil
}

// picturesReview returns the Review sentences of the pages whose pictures
// were not all read, by reason.
func (x *pdfRun) picturesReview() []string {
	var out []string
	for _, why := range slices.Sorted(maps.Keys(x.unreadPages)) {
		out = append(out, extract.PagesReviewWhy(x.unreadPages[why], why)...)
	}
	return out
}

// decodeUpright decodes d and turns it as the page shows it; why is set
// when it could not be decoded, or together with the image when its data
// was cut short.
func (x *pdfRun) decodeUpright(d drawn) (image.Image, string) {
	img, mask, why := x.decode(d)
	if img == nil {
		return nil, why
	}
	if m := d.ctm; m[1] == 0 && m[2] == 0 && m[0] > 0 && m[3] > 0 {
		return img, why // drawn as stored
	}
	// Turned, mirrored or skewed as drawn: OCR reads it as the page shows
	// it.
	b := img.Bounds()
	c := newCanvas([]matrix{d.ctm}, []int{b.Dx()}, []int{b.Dy()}, cmp.Or(x.userUnit, 1))
	c.draw(img, d.ctm, mask)
	return c.img, why
}

// joined decodes the pieces of one picture and draws them together, one
// at a time: only the canvas and one piece are held at once. A piece not
// decoded leaves the picture read in part, and why says so.
func (x *pdfRun) joined(pieces []drawn) (image.Image, string) {
	ctms := make([]matrix, len(pieces))
	ws, hs := make([]int, len(pieces)), make([]int, len(pieces))
	for i, d := range pieces {
		ctms[i], ws[i], hs[i] = d.ctm, d.w, d.h
	}
	c := newCanvas(ctms, ws, hs, cmp.Or(x.userUnit, 1))
	var why string
	drew := false
	for _, d := range pieces {
		img, mask, w := x.decode(d)
		why = cmp.Or(why, w)
		if img != nil {
			c.draw(img, d.ctm, mask)
			drew = true
		}
	}
	if !drew {
		return nil, why
	}
	return c.img, why
}

// decode decodes the image of d, and reports whether it is a stencil mask.
// What an XObject's soft mask hides is made white, as on a white page:
// the color under it is often black, which would hide black text.
func (x *pdfRun) decode(d drawn) (img image.Image, mask bool, why string) {
	switch {
	case d.why != "":
		return nil, false, d.why
	case d.inl != nil:
		return decodeWith(func(full, abbr string) obj { return dictGet(d.inl.dict, full, abbr) }, d.inl.data, d.res)
	}
	img, mask, why = x.decodeStream(d.xo, d.res)
	var smask pdf.Value
	if img != nil && protect(func() error { smask = d.xo.Key("SMask"); return nil }) == nil && smask.Kind() == pdf.Stream {
		if a, _, w := x.decodeStream(smask, d.res); a != nil && w == "" {
			whiten(img, a)
		}
	}
	return img, mask, why
}

// decodeStream decodes image XObject s from its raw bytes.
func (x *pdfRun) decodeStream(s, res pdf.Value) (image.Image, bool, string) {
	if x.encrypted {
		return nil, false, whyEncrypted
	}
	var raw []byte
	var why string
	if err := protect(func() error { raw, why = x.rawStream(s); return nil }); err != nil || why != "" {
		return nil, false, cmp.Or(why, whyNoData)
	}
	return decodeWith(func(full, _ string) obj { return fromValue(s.Key(full), 0) }, raw, res)
}

// decodeWith decodes an image from raw, its dictionary's entries given by
// get, and reports whether it is a stencil mask; why is set when it could
// not be decoded, or together with the image when its data was cut short.
func decodeWith(get func(full, abbr string) obj, raw []byte, res pdf.Value) (image.Image, bool, string) {
	var p pdfimage.Params
	if err := protect(func() error { p = imageParams(get, res); return nil }); err != nil {
		return nil, false, whyDictionary
	}
	img, err := pdfimage.Decode(p, raw, extract.MaxPicturePixels)
	switch {
	case err == nil:
		return img, p.ImageMask, ""
	case errors.Is(err, pdfimage.ErrTruncated):
		return img, p.ImageMask, err.Error()
	}
	return nil, false, err.Error()
}

// whiten makes white what soft mask a hides in img (an *image.Gray or
// *image.RGBA, as pdfimage gives), the mask stretched over the picture.
func whiten(img, a image.Image) {
	b, ab := img.Bounds(), a.Bounds()
	var pix []byte
	var stride, n int // n: bytes a pixel
	switch m := img.(type) {
	case *image.Gray:
		pix, stride, n = m.Pix, m.Stride, 1
	case *image.RGBA:
		pix, stride, n = m.Pix, m.Stride, 4
	default:
		return
	}
	for y := range b.Dy() {
		ay := ab.Min.Y + y*ab.Dy()/b.Dy()
		for x := range b.Dx() {
			alpha := int(grayAt(a, ab.Min.X+x*ab.Dx()/b.Dx(), ay))
			p := pix[y*stride+x*n:]
			for c := range min(n, 3) {
				p[c] = byte(255 - (255-int(p[c]))*alpha/255)
			}
		}
	}
}

// rawStream returns the bytes of stream s as they are in the file, before
// any filter: the library decodes only Flate and ASCII85 and gives no raw
// access, but its Value formats a stream as its dictionary, "@" and the
// offset of its data. They count against MaxInflated.
func (x *pdfRun) rawStream(s pdf.Value) ([]byte, string) {
	f := s.String()
	at := strings.LastIndexByte(f, '@')
	if at < 0 {
		return nil, whyNoData
	}
	off, err := strconv.ParseInt(f[at+1:], 10, 64)
	n := s.Key("Length").Int64()
	if err != nil || off < 0 || off >= x.size || n <= 0 {
		return nil, whyNoData
	}
	n = min(n, x.size-off)
	if n > x.opt.MaxInflated-x.inflated {
		return nil, whyInflated
	}
	x.inflated += n
	buf := make([]byte, n)
	k, err := x.file.ReadAt(buf, off)
	if k == 0 && err != nil {
		return nil, whyNoData
	}
	return buf[:k], ""
}

// fromValue returns v in the picture code's model of objects, to depth
// maxObjDepth and maxObjElems elements.
func fromValue(v pdf.Value, depth int) obj {
	switch v.Kind() {
	case pdf.Bool:
		return v.Bool()
	case pdf.Integer, pdf.Real:
		return v.Float64()
	case pdf.String:
		return v.RawString()
	case pdf.Name:
		return pdfName(v.Name())
	case pdf.Array:
		if depth >= maxObjDepth {
			return nil
		}
		a := make([]obj, 0, min(v.Len(), maxObjElems))
		for i := range min(v.Len(), maxObjElems) {
			a = append(a, fromValue(v.Index(i), depth+1))
		}
		return a
	case pdf.Dict:
		if depth >= maxObjDepth {
			return nil
		}
		d := map[string]obj{}
		keys := v.Keys()
		for _, k := range keys[:min(len(keys), maxObjElems)] {
			d[k] = fromValue(v.Key(k), depth+1)
		}
		return d
	case pdf.Stream:
		return streamObj{v}
	}
	return nil
}

// streamObj is a stream object: an ICC profile, the table of an Indexed
// space.
type streamObj struct{ v pdf.Value }

// imageParams reads what pdfimage needs from an image's dictionary, get
// giving its entries (full name, abbreviation), named color spaces looked
// up in res.
func imageParams(get func(full, abbr string) obj, res pdf.Value) pdfimage.Params {
	p := pdfimage.Params{
		Width:            int(num(get("Width", "W"))),
		Height:           int(num(get("Height", "H"))),
		BitsPerComponent: int(num(get("BitsPerComponent", "BPC"))),
		ColorSpace:       colorSpace(get("ColorSpace", "CS"), res, 0),
	}
	p.ImageMask, _ = get("ImageMask", "IM").(bool)
	if a, ok := get("Decode", "D").([]obj); ok {
		for _, v := range a {
			p.Decode = append(p.Decode, num(v))
		}
	}
	names, parms := get("Filter", "F"), get("DecodeParms", "DP")
	if n, ok := names.(pdfName); ok {
		names, parms = []obj{n}, []obj{parms}
	}
	fs, _ := names.([]obj)
	ps, _ := parms.([]obj)
	for i, n := range fs {
		name, _ := n.(pdfName)
		f := pdfimage.Filter{Name: string(name)}
		if i < len(ps) {
			if d, ok := ps[i].(map[string]obj); ok {
				f.Predictor = int(num(d["Predictor"]))
				f.Colors = int(num(d["Colors"]))
				f.BitsPerComponent = int(num(d["BitsPerComponent"]))
				f.Columns = int(num(d["Columns"]))
				f.NoEarlyChange = d["EarlyChange"] == 0.0
				f.K = int(num(d["K"]))
				f.Rows = int(num(d["Rows"]))
				f.EncodedByteAlign, _ = d["EncodedByteAlign"].(bool)
				f.BlackIs1, _ = d["BlackIs1"].(bool)
			}
		}
		p.Filters = append(p.Filters, f)
	}
	return p
}

// num is the number o holds, 0 for none (and for one out of int's range).
func num(o obj) float64 {
	if v, ok := o.(float64); ok && v > -1<<31 && v < 1<<31 {
		return v
	}
	return 0
}

// maxLookup bounds the table of an Indexed color space read from a stream.
const maxLookup = 256 * 32

// colorSpace resolves an image's color space to what pdfimage decodes:
// names (abbreviated in inline images too) looked up in res, families by
// their number of components.
func colorSpace(o obj, res pdf.Value, depth int) pdfimage.ColorSpace {
	if depth > 4 {
		return pdfimage.ColorSpace{}
	}
	switch o := o.(type) {
	case pdfName:
		switch o {
		case "DeviceGray", "G", "CalGray":
			return pdfimage.ColorSpace{Space: pdfimage.Gray}
		case "DeviceRGB", "RGB", "CalRGB":
			return pdfimage.ColorSpace{Space: pdfimage.RGB}
		case "DeviceCMYK", "CMYK":
			return pdfimage.ColorSpace{Space: pdfimage.CMYK}
		}
		return colorSpace(fromValue(res.Key("ColorSpace").Key(string(o)), 0), res, depth+1)
	case []obj:
		if len(o) == 0 {
			return pdfimage.ColorSpace{}
		}
		family, _ := o[0].(pdfName)
		switch family {
		case "CalGray":
			return pdfimage.ColorSpace{Space: pdfimage.Gray}
		case "CalRGB":
			return pdfimage.ColorSpace{Space: pdfimage.RGB}
		case "Lab":
			return pdfimage.ColorSpace{Space: pdfimage.Lab}
		case "Separation":
			return pdfimage.ColorSpace{Space: pdfimage.Tint, N: 1}
		case "DeviceN":
			if len(o) > 1 {
				names, _ := o[1].([]obj)
				return pdfimage.ColorSpace{Space: pdfimage.Tint, N: len(names)}
			}
		case "ICCBased":
			if len(o) > 1 {
				if s, ok := o[1].(streamObj); ok {
					switch s.v.Key("N").Int64() {
					case 1:
						return pdfimage.ColorSpace{Space: pdfimage.Gray}
					case 3:
						return pdfimage.ColorSpace{Space: pdfimage.RGB}
					case 4:
						return pdfimage.ColorSpace{Space: pdfimage.CMYK}
					}
					return colorSpace(fromValue(s.v.Key("Alternate"), 0), res, depth+1)
				}
			}
		case "Indexed", "I":
			if len(o) < 4 {
				return pdfimage.ColorSpace{}
			}
			base := colorSpace(o[1], res, depth+1)
			cs := pdfimage.ColorSpace{Space: pdfimage.Indexed, Base: &base}
			switch t := o[3].(type) {
			case string:
				cs.Lookup = []byte(t)
			case streamObj:
				_ = protect(func() error {
					rc := t.v.Reader()
					defer rc.Close()
					cs.Lookup, _ = io.ReadAll(io.LimitReader(rc, maxLookup))
					return nil
				})
			}
			return cs
		default:
			if len(o) == 1 {
				return colorSpace(o[0], res, depth+1)
			}
		}
	}
	return pdfimage.ColorSpace{}
}
