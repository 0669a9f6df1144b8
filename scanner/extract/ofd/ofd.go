// Package ofd reads OFD documents (GB/T 33190, the Chinese fixed-layout
// format) for extract: the text of each page, annotations, document
// information and attachments. Importing it registers the reader.
package ofd

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"maps"
	"math"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/decoration"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

// OFD (GB/T 33190-2016) is a zip of XML files: OFD.xml names each
// document's Document.xml, which lists the pages, their templates, the
// annotations and the attachments. A page's Content.xml draws text with
// TextObjects whose TextCodes carry Unicode text and glyph positions.
// Converters often draw one glyph per TextObject and in no particular
// order, so the text of a page is rebuilt from positions: glyphs grouped
// into lines by baseline, each line in x order.

func init() { extract.Register(extract.FormatOFD, extractOFD) }

// ofdMain is the entry point of an OFD package.
const ofdMain = "OFD.xml"

// extractOFD reads an OFD file: the text of each page (Part body, Page the
// page number, the page's templates included), its annotations (stamps,
// watermarks, comments: Part annotation), the document information
// (Part metadata) and attachments, read as documents of their own (Inner is
// the attachment's path; its name is a Part attachment segment).
func extractOFD(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	pkg, err := extract.OpenPackage(r, size, opt)
	if err != nil {
		return nil, err
	}
	main := pkg.File(ofdMain)
	if main == nil {
		return nil, extract.Errorf(extract.KindCorrupt, "not an OFD file: %s is missing", ofdMain)
	}
	x := &ofdReader{Package: xmlpkg.Package{Ctx: ctx, Opt: opt, Zip: pkg, Doc: extract.NewText(extract.FormatOFD, opt)}}
	doc := x.Doc
	var roots []string
	var meta strings.Builder
	var cur strings.Builder
	inInfo, label := false, ""
	err = x.WalkFile(main, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			cur.Reset()
			switch t.Name.Local {
			case "DocInfo":
				inInfo = true
			case "CustomData":
				label = xmlpkg.Attr(t, "Name")
			}
		case xml.CharData:
			if cur.Len()+len(t) > 1<<20 {
				return doc.Fits(int(doc.Left()) + 1) // the error of a document over its text limit
			}
			cur.Write(t)
		case xml.EndElement:
			v := strings.TrimSpace(cur.String())
			cur.Reset()
			switch name := t.Name.Local; {
			case name == "DocInfo":
				inInfo = false
			// Readers find the root whatever the case of its name, as they
			// find parts whatever the case of their path.
			case strings.EqualFold(name, "DocRoot") && v != "":
				roots = append(roots, v)
			case inInfo && v != "" && ofdInfoText[name]:
				if label != "" {
					v = label + ": " + v
				}
				label = ""
				return x.Emit(&meta, v+"\n")
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(roots) == 0 {
		return nil, extract.Errorf(extract.KindCorrupt, "damaged OFD file: %s names no document", ofdMain)
	}
	for _, root := range roots {
		if err := x.document(doc, xmlpkg.PartName("", root)); err != nil {
			return nil, err
		}
	}
	// Without a page, nothing says the file was read.
	if x.pages == 0 {
		return nil, extract.Errorf(extract.KindCorrupt, "damaged OFD file: its documents list no pages")
	}
	doc.Review = append(doc.Review, extract.PagesReview(slices.Sorted(maps.Keys(x.picturePages)))...)
	doc.Review = append(doc.Review, extract.PicturesReview(x.otherPictures, "")...)
	// A glyph drawn by a damaged path, or text in a composite unit that
	// could not be read, may be missing.
	doc.Review = append(doc.Review, pagesReview(x.damagedPaths, "an annotation draws a damaged path: text drawn as paths may be missing",
		func(n int) string {
			return fmt.Sprintf("page %d: a path it draws is damaged: text drawn as paths may be missing", n)
		})...)
	doc.Review = append(doc.Review, pagesReview(x.brokenUnits, "an annotation draws a composite object that is missing or uses itself: text it draws may be missing",
		func(n int) string {
			return fmt.Sprintf("page %d: a composite object it draws is missing or uses itself: text it draws may be missing", n)
		})...)
	doc.ReviewPictures()
	if text := xmlpkg.TrimText(meta.String()); text != "" {
		if err := doc.Add(extract.Segment{Part: extract.PartMetadata, Text: text}); err != nil {
			return nil, err
		}
	}
	return doc.Document, nil
}

// ofdInfoText names the DocInfo fields a person writes; the others are
// identifiers, dates and the producing application.
var ofdInfoText = map[string]bool{
	"Title": true, "Author": true, "Subject": true, "Abstract": true,
	"DocUsage": true, "Keyword": true, "CustomData": true,
}

// ofdReader holds what the parts of one OFD file share.
type ofdReader struct {
	xmlpkg.Package
	pages int // pages read, against the limit
	// picturePages holds the pages that draw pictures that may carry
	// text; otherPictures counts those of annotations of no known page.
	picturePages  map[int]bool
	otherPictures int
	// media are the picture files of the document being read, by the ID
	// of their resource; done are those read by OCR already (a template's
	// picture is read once, on the first page that shows it).
	media map[string]*zip.File
	done  map[*zip.File]bool
	// damagedPaths holds the pages (0: an annotation's of no known page)
	// that draw a damaged path (see pathsPicture), brokenUnits those that
	// draw a composite unit that could not be read (see expand).
	damagedPaths map[int]bool
	brokenUnits  map[int]bool
	// units are the composite units of the document being read, params
	// its DrawParams, by ID.
	units  map[string]*ofdUnit
	params map[string]*ofdDrawParam
	// resRead holds the pages' resource files read already.
	resRead map[*zip.File]bool
}

// ofdDrawn is what a content part draws: its glyphs, with the bytes of
// their text, the pictures that may carry text (the ResourceID of each),
// where the other pictures are (see decoration.Joined), and the paths it
// fills (see paths.go), with the bytes of their data; manyPaths is set
// past maxPathBytes of them, own when the part fills paths itself (not
// only through composite units). uses are the composite units it draws
// (see composite.go), units their IDs once placed, placed how many
// objects they drew, broken set when one could not be read.
type ofdDrawn struct {
	glyphs      []ofdGlyph
	text        int
	pictures    []string
	decorations []decoration.Box
	paths       []ofdPath
	pathBytes   int
	manyPaths   bool
	own         bool
	uses        []ofdUse
	units       []string
	placed      int
	broken      bool
}

// picturesDrawn returns how many pictures that may carry text d holds:
// pictures that are not decorations, and decorations joined into one.
func (d ofdDrawn) picturesDrawn() int {
	return len(d.pictures) + decoration.Joined(d.decorations)
}

// ofdGlyph is one character drawn on a page, at its baseline origin.
type ofdGlyph struct {
	x, y, size float64
	r          rune
}

// lookup finds the part ref names from a part in dir. Producers disagree on
// what relative paths are relative to, so a path that does not resolve from
// dir is tried from the package root.
func (x *ofdReader) lookup(dir, ref string) *zip.File {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return nil
	}
	if f := x.Zip.File(xmlpkg.PartName(dir, ref)); f != nil {
		return f
	}
	return x.Zip.File(xmlpkg.PartName("", ref))
}

// document reads one document of the package, from its Document.xml.
func (x *ofdReader) document(doc *extract.Text, name string) error {
	f := x.Zip.File(name)
	if f == nil {
		return extract.Errorf(extract.KindCorrupt, "damaged OFD file: a document it lists is missing")
	}
	dir := path.Dir(name)
	type page struct{ id, loc string }
	var pages []page
	templates := map[string]string{}
	var annots, attachments string
	var res []string // resource files: DocumentRes, PublicRes
	var cur strings.Builder
	err := x.WalkFile(f, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			cur.Reset()
			switch t.Name.Local {
			case "Page":
				pages = append(pages, page{xmlpkg.Attr(t, "ID"), xmlpkg.Attr(t, "BaseLoc")})
				if len(pages) > x.Opt.MaxPages {
					return extract.Errorf(extract.KindLimit, "document has more than %d pages (max pages)", x.Opt.MaxPages)
				}
			case "TemplatePage":
				templates[xmlpkg.Attr(t, "ID")] = xmlpkg.Attr(t, "BaseLoc")
			}
		case xml.CharData:
			if cur.Len()+len(t) <= 4096 {
				cur.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "Annotations":
				annots = strings.TrimSpace(cur.String())
			case "Attachments":
				attachments = strings.TrimSpace(cur.String())
			case "DocumentRes", "PublicRes":
				res = append(res, strings.TrimSpace(cur.String()))
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	x.media = map[string]*zip.File{}
	x.units = map[string]*ofdUnit{}
	x.params = map[string]*ofdDrawParam{}
	x.resRead = map[*zip.File]bool{}
	for _, loc := range res {
		if f := x.lookup(dir, loc); f != nil {
			if err := x.resources(f); err != nil {
				return err
			}
		}
	}
	pageNo := map[string]int{}
	tmpl := map[string]ofdDrawn{}
	// The templates whose paths were read on a page that drew none of its
	// own: on the next such page they draw the same picture, not read
	// again (a letterhead drawn as paths on each page).
	tmplPaths := map[string]bool{}
	for _, p := range pages {
		if x.pages++; x.pages > x.Opt.MaxPages {
			return extract.Errorf(extract.KindLimit, "document has more than %d pages (max pages)", x.Opt.MaxPages)
		}
		pageNo[p.id] = x.pages
		pf := x.lookup(dir, p.loc)
		if pf == nil {
			doc.Review = append(doc.Review, "page "+strconv.Itoa(x.pages)+": its content is missing")
			continue
		}
		d, used, err := x.content(pf)
		if err != nil {
			return err
		}
		own := d.own
		for _, id := range used {
			t, ok := tmpl[id]
			if !ok {
				if tf := x.lookup(dir, templates[id]); tf != nil {
					if t, _, err = x.content(tf); err != nil {
						return err
					}
				}
				tmpl[id] = t
			}
			d.glyphs = append(d.glyphs, t.glyphs...)
			d.pictures = append(d.pictures, t.pictures...)
			d.decorations = append(d.decorations, t.decorations...)
			// Drawn beneath the page's own.
			d.paths = slices.Concat(t.paths, d.paths)
			d.manyPaths = d.manyPaths || t.manyPaths
			d.units = append(d.units, t.units...)
			d.broken = d.broken || t.broken
		}
		x.noteBroken(x.pages, d)
		// Paths drawn by the same templates and composite units only are
		// the same picture (a unit's placement aside).
		slices.Sort(d.units)
		if key := strings.Join(used, " ") + "/" + strings.Join(slices.Compact(d.units), " "); !own {
			if tmplPaths[key] {
				d.paths, d.manyPaths = nil, false
			}
			tmplPaths[key] = true
		}
		if err := x.readPictures(x.pages, d); err != nil {
			return err
		}
		if err := x.add(doc, extract.PartBody, x.pages, d.glyphs, ""); err != nil {
			return err
		}
	}
	if f := x.lookup(dir, annots); f != nil {
		if err := x.annotations(doc, f, pageNo); err != nil {
			return err
		}
	}
	if f := x.lookup(dir, attachments); f != nil {
		return x.attachments(doc, f)
	}
	return nil
}

// pagesReview returns a Review sentence for each of pages, in order:
// annotation for page 0 (an annotation's of no known page), page's for
// the others.
func pagesReview(pages map[int]bool, annotation string, page func(int) string) []string {
	var out []string
	for _, n := range slices.Sorted(maps.Keys(pages)) {
		if n == 0 {
			out = append(out, annotation)
		} else {
			out = append(out, page(n))
		}
	}
	return out
}

// add lays glyphs out into lines and adds them, after extra, as a segment.
func (x *ofdReader) add(doc *extract.Text, part extract.Part, page int, glyphs []ofdGlyph, extra string) error {
	if text := xmlpkg.TrimText(extra + layoutGlyphs(glyphs)); text != "" {
		if err := doc.Add(extract.Segment{Part: part, Page: page, Text: text}); err != nil {
			return err
		}
	}
	return nil
}

// resources reads a resource file (DocumentRes.xml, PublicRes.xml) for
// the picture files it names (each MultiMedia's MediaFile, under the
// folder its Res's BaseLoc gives), its DrawParams and its composite
// units (see composite.go).
func (x *ofdReader) resources(f *zip.File) error {
	dir := path.Dir(f.Name)
	var id string
	var cur strings.Builder
	var param *ofdDrawParam // the DrawParam being read
	var unit *ofdUnit       // the CompositeGraphicUnit being read
	var w *drawer           // its Content's, while it is read
	return x.WalkFile(f, func(tok xml.Token, depth int) error {
		if w != nil {
			if e, ok := tok.(xml.EndElement); ok && e.Name.Local == "Content" && len(w.params) == 0 {
				unit.drawn, w = w.d, nil
				return nil
			}
			return w.token(tok, depth)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			cur.Reset()
			switch t.Name.Local {
			case "Res":
				if base := xmlpkg.Attr(t, "BaseLoc"); base != "" {
					dir = xmlpkg.PartName(dir, base)
				}
			case "MultiMedia":
				id = xmlpkg.Attr(t, "ID")
			case "DrawParam":
				param = &ofdDrawParam{relative: xmlpkg.Attr(t, "Relative")}
				x.params[xmlpkg.Attr(t, "ID")] = param
			case "FillColor":
				if param != nil {
					param.fill, param.colored = colorGray(xmlpkg.Attr(t, "Value")), true
				}
			case "CompositeGraphicUnit":
				unit = newUnit(t)
				x.units[xmlpkg.Attr(t, "ID")] = unit
			case "Content":
				if unit != nil {
					w = &drawer{x: x}
				}
			}
		case xml.CharData:
			if cur.Len()+len(t) <= 4096 {
				cur.Write(t)
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "MediaFile":
				if id != "" {
					if m := x.lookup(dir, cur.String()); m != nil {
						x.media[id] = m
					}
				}
			case "DrawParam":
				param = nil
			case "CompositeGraphicUnit":
				unit = nil
			}
		}
		return nil
	})
}

// readPictures reads by OCR the pictures that may carry text that d draws
// on page (0 when not known), each named by its picture file, and its
// paths drawn when they may be text; without an engine it notes them for
// the page's Review sentence, as before OCR. A picture whose resource is
// not found is not decoded; decorations joined into a picture cannot be
// read as one.
func (x *ofdReader) readPictures(page int, d ofdDrawn) error {
	paths := x.pathsPicture(page, d)
	if !x.Doc.ReadsPictures(x.Ctx) {
		n := d.picturesDrawn()
		if paths != nil {
			n++
		}
		x.notePictures(page, n)
		return nil
	}
	if x.done == nil {
		x.done = map[*zip.File]bool{}
	}
	for _, id := range d.pictures {
		f := x.media[id]
		var err error
		switch {
		case f == nil:
			_, err = x.Doc.ReadPicture(x.Ctx, extract.Picture{Page: page})
		case !x.done[f]:
			x.done[f] = true
			err = x.Doc.ReadPictureEntry(x.Ctx, x.Zip, f, page)
		}
		if err != nil {
			return err
		}
	}
	for range decoration.Joined(d.decorations) {
		if _, err := x.Doc.ReadPicture(x.Ctx, extract.Picture{Page: page, Why: extract.WhyPieces}); err != nil {
			return err
		}
	}
	if paths != nil {
		img, why := paths()
		if _, err := x.Doc.ReadPicture(x.Ctx, extract.Picture{Page: page, Image: img, Why: why}); err != nil {
			return err
		}
		if x.Ctx.Err() != nil {
			return extract.Errorf(extract.KindTimeout, "timed out reading a page")
		}
	}
	return nil
}

// notePictures notes that page (0 when not known) draws n pictures that may
// carry text.
func (x *ofdReader) notePictures(page, n int) {
	switch {
	case n == 0:
	case page == 0:
		x.otherPictures += n
	default:
		if x.picturePages == nil {
			x.picturePages = map[int]bool{}
		}
		x.picturePages[page] = true
	}
}

// content reads what a page, template or annotation part draws: the glyphs
// of its TextObjects, its ImageObjects that are not decorations (see
// ofdPicture), its filled PathObjects (see paths.go) and what the
// composite units it uses draw, placed (see composite.go); and the IDs of
// the templates a page uses.
func (x *ofdReader) content(f *zip.File) (ofdDrawn, []string, error) {
	w := &drawer{x: x, dir: path.Dir(f.Name)}
	if err := x.WalkFile(f, w.token); err != nil {
		return ofdDrawn{}, nil, err
	}
	if err := x.expand(&w.d, 0); err != nil {
		return ofdDrawn{}, nil, err
	}
	x.fill(w.d.paths)
	return w.d, w.templates, nil
}

// drawer reads the objects of one content part, or of one composite
// unit's Content, a token at a time.
type drawer struct {
	x         *ofdReader
	dir       string // the part's folder; "" in a composite unit's content
	d         ofdDrawn
	templates []string
	obj       *ofdTextObject
	code      *ofdTextCode
	text      strings.Builder
	path      *ofdPath // the filled PathObject being read
	data      strings.Builder
	inData    bool
	// params holds, for each open element, the DrawParam it or the
	// nearest element around it names ("" none).
	params []string
	// pageRes is the location of the page's own resource file (PageRes,
	// before its Content) while it is read.
	pageRes *strings.Builder
}

// token reads one token of the part.
func (w *drawer) token(tok xml.Token, _ int) error {
	d := &w.d
	switch t := tok.(type) {
	case xml.StartElement:
		param := xmlpkg.Attr(t, "DrawParam")
		if param == "" && len(w.params) > 0 {
			param = w.params[len(w.params)-1]
		}
		w.params = append(w.params, param)
		switch t.Name.Local {
		case "Template":
			w.templates = append(w.templates, xmlpkg.Attr(t, "TemplateID"))
		case "PageRes":
			if w.dir != "" { // a page's, not in a composite unit's content
				w.pageRes = new(strings.Builder)
			}
		case "TextObject":
			w.obj = newTextObject(t)
		case "ImageObject":
			switch b := numbers(xmlpkg.Attr(t, "Boundary"), 4); {
			case !ofdPicture(t).Decoration():
				d.pictures = append(d.pictures, xmlpkg.Attr(t, "ResourceID"))
			case len(b) == 4 && len(d.decorations) <= decoration.Max:
				d.decorations = append(d.decorations, decoration.Box{X0: b[0], Y0: b[1], X1: b[0] + math.Abs(b[2]), Y1: b[1] + math.Abs(b[3])})
			}
		case "CompositeObject":
			d.uses = append(d.uses, newUse(t, param))
		case "TextCode":
			if w.obj != nil {
				w.code = &ofdTextCode{x: xmlpkg.Attr(t, "X"), y: xmlpkg.Attr(t, "Y"), dx: xmlpkg.Attr(t, "DeltaX"), dy: xmlpkg.Attr(t, "DeltaY")}
				w.text.Reset()
			}
		case "PathObject":
			if w.path = newPath(t); w.path != nil {
				w.path.param = param
			}
		case "FillColor":
			if w.path != nil {
				w.path.gray, w.path.colored = colorGray(xmlpkg.Attr(t, "Value")), true
			}
		case "AbbreviatedData":
			w.inData = w.path != nil
			w.data.Reset()
		}
	case xml.CharData:
		if w.pageRes != nil && w.pageRes.Len()+len(t) <= 4096 {
			w.pageRes.Write(t)
		}
		if w.inData && !d.manyPaths {
			if d.pathBytes += len(t); d.pathBytes > maxPathBytes {
				d.manyPaths, d.paths = true, nil
			}
			w.data.Write(t)
		}
		if w.code != nil {
			d.text += len(t)
			if err := w.x.Doc.Fits(d.text); err != nil {
				return err
			}
			w.text.Write(t)
		}
	case xml.EndElement:
		if len(w.params) > 0 {
			w.params = w.params[:len(w.params)-1]
		}
		switch t.Name.Local {
		case "PageRes":
			if w.pageRes == nil {
				break
			}
			// The units, DrawParams and pictures a page defines for
			// itself: IDs are the document's, so they join its own.
			if f := w.x.lookup(w.dir, w.pageRes.String()); f != nil && !w.x.resRead[f] {
				w.x.resRead[f] = true
				if err := w.x.resources(f); err != nil {
					return err
				}
			}
			w.pageRes = nil
		case "TextCode":
			if w.code != nil {
				d.glyphs = w.obj.place(d.glyphs, w.code, w.text.String())
				w.code = nil
			}
		case "TextObject":
			w.obj = nil
		case "AbbreviatedData":
			if w.inData {
				w.path.data, w.inData = w.data.String(), false
			}
		case "PathObject":
			if w.path != nil {
				d.own = true
				if !d.manyPaths {
					d.paths = append(d.paths, *w.path)
				}
			}
			w.path = nil
		}
	}
	return nil
}

// ofdPicture is the size an ImageObject draws its picture at: its CTM maps
// the unit square of the picture into the page, in millimetres; without one
// the picture fills its Boundary. Its pixels are not looked up (they are in
// the resource files): only the drawn size can exempt it.
func ofdPicture(e xml.StartElement) decoration.Size {
	if m := numbers(xmlpkg.Attr(e, "CTM"), 6); len(m) == 6 {
		return decoration.Size{Drawn: true, MmW: math.Hypot(m[0], m[1]), MmH: math.Hypot(m[2], m[3])}
	}
	if b := numbers(xmlpkg.Attr(e, "Boundary"), 4); len(b) == 4 {
		return decoration.Size{Drawn: true, MmW: math.Abs(b[2]), MmH: math.Abs(b[3])}
	}
	return decoration.Size{}
}

// ofdTextObject is the state of one TextObject: its boundary's origin, its
// transformation, its font size, and the pen position that a TextCode
// without X or Y continues from.
type ofdTextObject struct {
	ox, oy, size float64
	ctm          [6]float64
	penX, penY   float64
}

type ofdTextCode struct{ x, y, dx, dy string }

func newTextObject(e xml.StartElement) *ofdTextObject {
	o := &ofdTextObject{size: 3.5, ctm: [6]float64{1, 0, 0, 1, 0, 0}}
	if b := numbers(xmlpkg.Attr(e, "Boundary"), 4); len(b) >= 2 {
		o.ox, o.oy = b[0], b[1]
	}
	if s, err := strconv.ParseFloat(xmlpkg.Attr(e, "Size"), 64); err == nil && s > 0 && !math.IsInf(s, 0) {
		o.size = s
	}
	if m := numbers(xmlpkg.Attr(e, "CTM"), 6); len(m) == 6 {
		copy(o.ctm[:], m)
	}
	return o
}

// place adds the glyphs of one TextCode: each character at the pen, the pen
// moved by DeltaX and DeltaY after it (by the font size when DeltaX runs
// out and the text is not vertical).
func (o *ofdTextObject) place(glyphs []ofdGlyph, c *ofdTextCode, text string) []ofdGlyph {
	if v, err := strconv.ParseFloat(c.x, 64); err == nil {
		o.penX = v
	}
	if v, err := strconv.ParseFloat(c.y, 64); err == nil {
		o.penY = v
	}
	n := utf8.RuneCountInString(text)
	dx, dy := deltas(c.dx, n), deltas(c.dy, n)
	size := o.size * math.Hypot(o.ctm[2], o.ctm[3])
	i := 0
	for _, r := range text {
		m := o.ctm
		glyphs = append(glyphs, ofdGlyph{
			x:    o.ox + m[0]*o.penX + m[2]*o.penY + m[4],
			y:    o.oy + m[1]*o.penX + m[3]*o.penY + m[5],
			size: size,
			r:    r,
		})
		switch {
		case i < len(dx):
			o.penX += dx[i]
		case len(dy) == 0:
			o.penX += o.size
		}
		if i < len(dy) {
			o.penY += dy[i]
		}
		i++
	}
	return glyphs
}

// deltas expands a DeltaX/DeltaY list ("3.5 g 4 3.5 1") to at most n values:
// "g N D" repeats D N times.
func deltas(s string, n int) []float64 {
	f := strings.Fields(s)
	var out []float64
	for i := 0; i < len(f) && len(out) < n; i++ {
		if f[i] == "g" && i+2 < len(f) {
			k, err1 := strconv.Atoi(f[i+1])
			v, err2 := strconv.ParseFloat(f[i+2], 64)
			i += 2
			if err1 != nil || err2 != nil {
				continue
			}
			for ; k > 0 && len(out) < n; k-- {
				out = append(out, v)
			}
			continue
		}
		if v, err := strconv.ParseFloat(f[i], 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// numbers parses up to n numbers apart by spaces; nil when one is not a
// finite number.
func numbers(s string, n int) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return nil
		}
		if out = append(out, v); len(out) == n {
			break
		}
	}
	return out
}

// layoutGlyphs joins glyphs into lines: sorted by baseline, a glyph more
// than a third of its size below the first glyph of the line starts a new
// one; each line is sorted by x, with a space where the gap between two
// glyphs is wider than two characters.
func layoutGlyphs(gs []ofdGlyph) string {
	if len(gs) == 0 {
		return ""
	}
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].y < gs[j].y })
	var b strings.Builder
	for start := 0; start < len(gs); {
		end := start + 1
		for end < len(gs) && gs[end].y-gs[start].y <= max(gs[start].size, gs[end].size)/3 {
			end++
		}
		line := gs[start:end]
		sort.SliceStable(line, func(i, j int) bool { return line[i].x < line[j].x })
		for i, g := range line {
			if i > 0 && g.x-line[i-1].x > 3*max(g.size, line[i-1].size) {
				b.WriteByte(' ')
			}
			b.WriteRune(g.r)
		}
		b.WriteByte('\n')
		start = end
	}
	return b.String()
}

// annotations reads the annotation index (Annotations.xml) and each page's
// annotations: their remarks and the text their appearances draw.
func (x *ofdReader) annotations(doc *extract.Text, index *zip.File, pageNo map[string]int) error {
	type entry struct {
		page int
		loc  string
	}
	var list []entry
	var cur strings.Builder
	page := 0
	err := x.WalkFile(index, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			cur.Reset()
			if t.Name.Local == "Page" {
				page = pageNo[xmlpkg.Attr(t, "PageID")]
			}
		case xml.CharData:
			if cur.Len()+len(t) <= 4096 {
				cur.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "FileLoc" {
				list = append(list, entry{page, strings.TrimSpace(cur.String())})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	dir := path.Dir(index.Name)
	for _, e := range list {
		f := x.lookup(dir, e.loc)
		if f == nil {
			continue
		}
		remarks, err := x.PartText(f, map[string]bool{"Remark": true}, map[string]bool{"Remark": true})
		if err != nil {
			return err
		}
		d, _, err := x.content(f)
		if err != nil {
			return err
		}
		x.noteBroken(e.page, d)
		if err := x.readPictures(e.page, d); err != nil {
			return err
		}
		if remarks != "" {
			remarks += "\n"
		}
		if err := x.add(doc, extract.PartAnnotation, e.page, d.glyphs, remarks); err != nil {
			return err
		}
	}
	return nil
}

// attachments reads the attachment index and each attachment as a document
// of its own.
func (x *ofdReader) attachments(doc *extract.Text, index *zip.File) error {
	type entry struct{ name, loc string }
	var list []entry
	var cur strings.Builder
	name := ""
	err := x.WalkFile(index, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			cur.Reset()
			if t.Name.Local == "Attachment" {
				name = xmlpkg.Attr(t, "Name")
			}
		case xml.CharData:
			if cur.Len()+len(t) <= 4096 {
				cur.Write(t)
			}
		case xml.EndElement:
			if t.Name.Local == "FileLoc" {
				list = append(list, entry{name, strings.TrimSpace(cur.String())})
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	ctx := extract.Container(x.Ctx)
	dir := path.Dir(index.Name)
	for _, e := range list {
		f := x.lookup(dir, e.loc)
		if f == nil {
			doc.Review = append(doc.Review, "an attachment it lists is missing")
			continue
		}
		if n := strings.TrimSpace(e.name); n != "" {
			if err := doc.Add(extract.Segment{Part: extract.PartAttachment, Inner: f.Name, Text: n}); err != nil {
				return err
			}
		}
		data, err := x.Zip.ReadAll(f)
		if err != nil {
			return err
		}
		if err := extract.ReadInner(ctx, doc, f.Name, x.Zip.Label(f), data, x.Opt); err != nil {
			return err
		}
	}
	return nil
}
