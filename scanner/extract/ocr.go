package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"fmt"
	"image"
	"maps"
	"slices"
	"strings"

	"github.com/baomi/baomi/scanner/extract/internal/metafile"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
	"github.com/baomi/baomi/scanner/ocr"
)

// PartPicture is text read by OCR from a picture: a scanned page, a photo,
// a picture inside a document.
const PartPicture Part = "picture"

// Picture is one picture of a document that may carry text, handed to
// Text.ReadPicture by the reader that found it.
type Picture struct {
	// Page is the 1-based page it is drawn on, 0 where the format has none.
	Page int
	// Inner names it inside its document (word/media/image1.png); empty
	// for a page image or a picture file.
	Inner string
	// Image is the decoded picture; nil when it could not be decoded, and
	// then Why says why.
	Image image.Image
	// Why is a short clause, printable ASCII English and never document
	// text, saying why Image is nil ("its format (EMF) is not decoded").
	Why string
}

// Pictures is what became of a document's pictures that may carry text.
// It crosses from the extraction child with the Document.
type Pictures struct {
	// Read is how many were read by OCR with confidence (whatever they
	// held: a photo with no text is read too).
	Read int
	// Unread is how many were not: no OCR engine, not decoded, read with
	// low confidence, failed.
	Unread int
}

// Why a picture was not read, as the clause of its Review sentence.
const (
	WhyNoOCR        = "no OCR engine"
	WhyNotConfident = "OCR was not confident"
	WhyOCRFailed    = "OCR failed"
	WhyOCRTimeout   = "OCR took too long"
	// WhyPieces: pictures each too small to hold a line of text, drawn
	// edge to edge, that together may hold one (a scan stored in strips).
	WhyPieces = "it is drawn in pieces too small to read"
)

// pictureStart is the context key of the function ReadPicture calls before
// each picture it reads: the sandbox's child uses it to tell its parent,
// which grows the file's time limit by a picture's.
type pictureStart struct{}

// OnPicture returns a context whose ReadPicture calls f before it reads
// each picture by OCR.
func OnPicture(ctx context.Context, f func()) context.Context {
	return context.WithValue(ctx, pictureStart{}, f)
}

// engine is a test's Engine given by WithEngine.
type engine struct{}

// WithEngine returns a context in which ReadPicture reads with e whatever
// Options.OCR says: tests read pictures with an engine of their own.
func WithEngine(ctx context.Context, e ocr.Engine) context.Context {
	return context.WithValue(ctx, engine{}, e)
}

// ReadPicture reads p by OCR and adds its text as a PartPicture segment. It
// returns why p was not read with confidence, "" when it was; a picture
// that was not (no engine, not decoded, unsure, failed) is counted in
// Document.Pictures and its reason kept for ReviewPictures (a reader that
// says per page why its pictures were not read, as PDF does, builds its
// sentences from the reasons instead). Without an engine the reason is
// always WhyNoOCR. Text read with low confidence is still added: it is
// matched all the same. The error is a limit or the context's end, never
// the picture's own failure.
func (d *Text) ReadPicture(ctx context.Context, p Picture) (why string, err error) {
	if why, err = d.look(ctx, p); err != nil {
		return "", err
	}
	d.count(why)
	return why, nil
}

// look reads p by OCR as ReadPicture does, without counting it.
func (d *Text) look(ctx context.Context, p Picture) (why string, err error) {
	why = p.Why
	switch e := d.engine(ctx); {
	case e == nil:
		// Whatever else is wrong with it: without OCR the sentence stays
		// what it was before baomi read any.
		return WhyNoOCR, nil
	case p.Image != nil:
		return d.recognize(ctx, e, p)
	case why == "":
		why = whyNotDecoded // a reader's slip must not count as read
	}
	return why, nil
}

// count counts a picture read ("") or not read for reason why.
func (d *Text) count(why string) {
	if why == "" {
		d.Pictures.Read++
		return
	}
	d.Pictures.Unread++
	if d.unread == nil {
		d.unread = map[string]int{}
	}
	d.unread[why]++
}

// engine returns the engine ReadPicture reads with in ctx, nil for none.
func (d *Text) engine(ctx context.Context) ocr.Engine {
	if e, _ := ctx.Value(engine{}).(ocr.Engine); e != nil {
		return e
	}
	if d.ocr.Enabled() {
		return ocr.NewTesseract(d.ocr)
	}
	return nil
}

// ReadsPictures reports whether ReadPicture has an OCR engine to read
// with in ctx: without one, a reader need not decode its pictures.
func (d *Text) ReadsPictures(ctx context.Context) bool { return d.engine(ctx) != nil }

// recognize reads p.Image with e and adds its text; why is empty when it
// was read with confidence.
func (d *Text) recognize(ctx context.Context, e ocr.Engine, p Picture) (why string, err error) {
	if f, _ := ctx.Value(pictureStart{}).(func()); f != nil {
		f()
	}
	pctx, cancel := context.WithTimeout(ctx, d.ocr.PictureTimeout())
	defer cancel() // not before the switch: a cancelled pctx would read as a timeout
	res, rerr := e.Recognize(pctx, p.Image)
	switch {
	case ctx.Err() != nil:
		return "", Errorf(KindTimeout, "timed out reading pictures by OCR")
	case pctx.Err() != nil:
		return WhyOCRTimeout, nil
	case rerr != nil:
		return WhyOCRFailed, nil
	}
	lines := make([]string, 0, len(res.Lines))
	for _, l := range res.Lines {
		if t := strings.TrimSpace(l.Text); t != "" {
			lines = append(lines, t)
		}
	}
	if len(lines) > 0 {
		seg := Segment{Part: PartPicture, Page: p.Page, Inner: p.Inner, Text: strings.Join(lines, "\n")}
		if err := d.Add(seg); err != nil {
			return "", err
		}
	}
	if !res.Confident() {
		return WhyNotConfident, nil
	}
	return "", nil
}

// MaxPicturePixels bounds the pixels of a picture decoded for OCR: a
// 600 dpi scan of an A3 page has 70 million. A picture over it is not
// decoded (its header says its size) and stays unread.
const MaxPicturePixels = 72_000_000

// whyNotDecoded is the reason of a picture that could not be decoded and
// whose format is not known.
const whyNotDecoded = "it could not be decoded"

// NotDecoded is the Why clause of a picture of a format that is not
// decoded, named format ("EMF").
func NotDecoded(format string) string {
	return pictureWhy(&picture.Error{Problem: picture.NotDecoded, Format: format})
}

// pictureWhy is the Why clause of a picture that could not be decoded.
func pictureWhy(e *picture.Error) string {
	switch {
	case e.Problem == picture.NotDecoded:
		return fmt.Sprintf("its format (%s) is not decoded", e.Format)
	case e.Problem == picture.Unsupported:
		return fmt.Sprintf("its kind of %s is not decoded", e.Format)
	case e.Problem == picture.TooLarge:
		return fmt.Sprintf("it is too large to decode (%d by %d pixels)", e.Width, e.Height)
	case e.Format != "":
		return fmt.Sprintf("it is a damaged %s", e.Format)
	}
	return whyNotDecoded
}

// ReadPictureData decodes data, a picture stored in the document, and
// reads it by OCR as ReadPicture does, with p's Page and Inner; each page
// of a TIFF is a picture. Without an engine it is not decoded: it is
// counted unread at once. The text of its metadata is added either way.
// The error is ReadPicture's or Add's.
func (d *Text) ReadPictureData(ctx context.Context, p Picture, data []byte) error {
	return d.readPictureData(ctx, p, data, false)
}

// ReadPictureFile reads the picture file that is the document, data its
// bytes, as ReadPictureData does; the pages of a TIFF of several pages
// are numbered from 1. Without an engine a raster picture is not decoded
// and the file is review by a sentence of its own; its metadata is read.
func (d *Text) ReadPictureFile(ctx context.Context, data []byte) error {
	if picture.IsEMF(data) || picture.IsWMF(data) || d.ReadsPictures(ctx) {
		return d.readPictureData(ctx, Picture{}, data, true)
	}
	if err := d.readPictureMeta(Picture{}, data); err != nil {
		return err
	}
	d.Review = append(d.Review, "picture file: text in images is not read")
	return nil
}

// whyMetaDamaged is the Review sentence of a document with a picture
// whose metadata is damaged where it may hold text.
const whyMetaDamaged = "a picture's metadata is damaged: part of its text may not have been read"

// readPictureMeta adds the text of the metadata of data, a picture p, as
// a metadata segment with p's Page and Inner: it is read with or without
// an OCR engine. Damaged metadata leaves the picture readable and the
// document review.
func (d *Text) readPictureMeta(p Picture, data []byte) error {
	lines, damaged := picture.Meta(data)
	if damaged && !slices.Contains(d.Review, whyMetaDamaged) {
		d.Review = append(d.Review, whyMetaDamaged)
	}
	if len(lines) == 0 {
		return nil
	}
	return d.Add(Segment{Part: PartMetadata, Page: p.Page, Inner: p.Inner, Text: strings.Join(lines, "\n")})
}

// PictureDecoration reports whether data is a picture too small to hold a
// line of text by the size its header gives (see Decoration); bytes whose
// size is not read (a metafile, a damaged or unknown picture) are none.
func PictureDecoration(data []byte) bool {
	c, _, err := image.DecodeConfig(bytes.NewReader(data))
	return err == nil && Decoration(c.Width, c.Height, 0, 0)
}

// ReadPictureEntries reads the entries of z that are pictures and not
// decorations by their header (an OpenDocument's Pictures folder), each as
// ReadPictureEntry does. An entry that cannot be opened is none.
func (d *Text) ReadPictureEntries(ctx context.Context, z *Zip, pictures []*zip.File) error {
	for _, f := range pictures {
		if ctx.Err() != nil {
			return Errorf(KindTimeout, "timed out reading pictures by OCR")
		}
		if picture, small := z.Picture(f); !picture || small {
			continue
		}
		if err := d.ReadPictureEntry(ctx, z, f, 0); err != nil {
			return err
		}
	}
	return nil
}

// ReadPictureEntry reads the entry f of z, a picture that is not a
// decoration drawn on page (0 for none), as ReadPictureData does, named by
// its entry. Its bytes are read with or without an engine: a metafile's
// text records and any picture's metadata are read without one. An entry
// that cannot be read is a picture not decoded, unless a limit or the
// time ran out (the error).
func (d *Text) ReadPictureEntry(ctx context.Context, z *Zip, f *zip.File, page int) error {
	p := Picture{Page: page, Inner: f.Name}
	data, err := z.ReadAll(f)
	switch k := KindOf(err); {
	case err == nil:
		return d.ReadPictureData(ctx, p, data)
	case k == KindLimit || k == KindTimeout:
		return err
	}
	_, err = d.ReadPicture(ctx, p) // unreadable: ReadPicture says why
	return err
}

// ReadBlips reads the pictures an Office 97-2003 file stores in OfficeArt
// BLIP records as ReadPictureData does, each named by its place among
// them ("picture 2"): an EMF or WMF as readMetafile does; a PICT is not
// decoded, nor a Blip without data (a picture whose bytes were not found).
func (d *Text) ReadBlips(ctx context.Context, blips []picture.Blip) error {
	for i, b := range blips {
		p := Picture{Inner: fmt.Sprintf("picture %d", i+1)}
		if b.Format == "EMF" || b.Format == "WMF" {
			data, err := metafile.Unpack(b.Data, b.Format)
			if err := d.readMetafile(ctx, p, data, err); err != nil {
				return err
			}
			continue
		}
		if b.Metafile {
			p.Why = NotDecoded(b.Format)
			if _, err := d.ReadPicture(ctx, p); err != nil {
				return err
			}
			continue
		}
		if err := d.ReadPictureData(ctx, p, b.Data); err != nil {
			return err
		}
	}
	return nil
}

func (d *Text) readPictureData(ctx context.Context, p Picture, data []byte, paged bool) error {
	if picture.IsEMF(data) || picture.IsWMF(data) {
		return d.readMetafile(ctx, p, data, nil)
	}
	if err := d.readPictureMeta(p, data); err != nil {
		return err
	}
	if !d.ReadsPictures(ctx) {
		_, err := d.ReadPicture(ctx, p) // counted unread, not decoded
		return err
	}
	return picture.Pages(data, MaxPicturePixels, func(pg picture.Page) error {
		p.Image, p.Why = pg.Image, ""
		if pg.Err != nil {
			p.Why = pictureWhy(pg.Err)
		}
		if paged && pg.Count > 1 {
			p.Page = pg.Index + 1
		}
		_, err := d.ReadPicture(ctx, p)
		return err
	})
}

// readMetafile reads data, an EMF or WMF picture p, whose unpacking
// failed with unpacked (nil when it did not). The text of its text records
// is added as a picture segment, exactly, with or without an OCR engine;
// each bitmap it draws that is no decoration (by its header) is read by
// OCR. It counts as one picture: read when its bitmaps all were read with
// confidence, unread when one was not or the metafile is damaged (what
// was read before the damage is added all the same), and not counted at
// all when it draws no bitmap and is whole: its text was read as a text
// box's is, not by OCR.
func (d *Text) readMetafile(ctx context.Context, p Picture, data []byte, unpacked error) error {
	m, err := metafile.Read(data)
	if unpacked != nil {
		err = unpacked
	}
	if m.Text != "" {
		if err := d.Add(Segment{Part: PartPicture, Page: p.Page, Inner: p.Inner, Text: m.Text}); err != nil {
			return err
		}
	}
	why, bitmaps, reads := "", 0, d.ReadsPictures(ctx)
	if e, ok := err.(*picture.Error); ok {
		why = pictureWhy(e)
	}
	for _, b := range m.Bitmaps {
		if PictureDecoration(b) {
			continue
		}
		bitmaps++
		if !reads {
			continue // not decoded: unread below
		}
		if err := picture.Pages(b, MaxPicturePixels, func(pg picture.Page) error {
			q := p
			if q.Image = pg.Image; pg.Err != nil {
				q.Why = pictureWhy(pg.Err)
			}
			w, err := d.look(ctx, q)
			if why == "" {
				why = w
			}
			return err
		}); err != nil {
			return err
		}
	}
	switch {
	case why == "" && bitmaps == 0:
		return nil
	case !reads:
		why = WhyNoOCR // the sentence of before OCR, as ReadPicture's
	}
	d.count(why)
	return nil
}

// ReviewPictures appends to the document's Review a sentence for each
// reason pictures were not read, and forgets them.
func (d *Text) ReviewPictures() {
	for _, why := range slices.Sorted(maps.Keys(d.unread)) {
		d.Review = append(d.Review, PicturesReview(d.unread[why], why)...)
	}
	d.unread = nil
}

// PicturesReview returns the Review sentence for n pictures of a document
// that may carry text and were not read for reason why (one of the Why
// clauses, or "" when the reader does not say), nil for none.
func PicturesReview(n int, why string) []string {
	switch {
	case n == 0:
		return nil
	case (why == "" || why == WhyNoOCR) && n == 1:
		// Without OCR the sentence stays what it was before baomi read any.
		return []string{"1 picture in the document may carry text (not read)"}
	case why == "" || why == WhyNoOCR:
		return []string{fmt.Sprintf("%d pictures in the document may carry text (not read)", n)}
	case n == 1:
		return []string{fmt.Sprintf("1 picture in the document may carry text (not read: %s)", why)}
	}
	return []string{fmt.Sprintf("%d pictures in the document may carry text (not read: %s)", n, why)}
}
