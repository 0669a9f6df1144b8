package extract

import (
	"context"
	"errors"
	"io"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// cfbError makes an error of package cfb an *Error; its reason is ours
// already.
func cfbError(err error) error {
	var e *cfb.Error
	if !errors.As(err, &e) {
		return err
	}
	kinds := map[cfb.Kind]Kind{cfb.Damaged: KindCorrupt, cfb.TooLarge: KindLimit, cfb.IO: KindIO}
	return &Error{Kind: kinds[e.Kind], Reason: e.Reason}
}

// CFBError makes an error of package cfb an *Error, for the readers of
// the formats kept in compound files, which live in packages of their own.
func CFBError(err error) error { return cfbError(err) }

// legacyFormats names the documents of the Office 97-2003 formats and their
// WPS Office counterparts by the stream that holds their text. WPS writes
// its .wps, .et and .dps files in the same binary formats, so the streams
// cannot tell them apart.
var legacyFormats = []struct {
	streams []string
	format  Format
	name    string
}{
	{[]string{"WordDocument"}, FormatDOC, "Word 97-2003 or WPS Writer document (.doc/.wps)"},
	{[]string{"Workbook", "Book"}, FormatXLS, "Excel 97-2003 or WPS Spreadsheets workbook (.xls/.et)"},
	{[]string{"PowerPoint Document"}, FormatPPT, "PowerPoint 97-2003 or WPS Presentation file (.ppt/.dps)"},
	{[]string{"__properties_version1.0"}, FormatMSG, "Outlook message (.msg)"},
	{[]string{"PP40"}, FormatOLE, "PowerPoint 4.0 format (.ppt)"},
	{[]string{"MN0"}, FormatOLE, "Microsoft Works document (.wps)"},
	// Objects embedded in documents, named so that a reviewer knows what
	// was not read: a formula, a drawing.
	{[]string{equationNative}, FormatOLE, "Equation Editor or MathType formula"},
	{[]string{"VisioDocument"}, FormatOLE, "Visio drawing"},
	{[]string{"CorelDRAW"}, FormatOLE, "CorelDRAW drawing"},
}

// extractOLE reads the storage tree of a compound file to find what it is
// by the streams at its root, and reads it with that format's extractor;
// when there is none yet, the reason names the format, and an object
// embedded in a document is read by the pictures it keeps of itself. A
// formula is read by its own data (readFormula).
func extractOLE(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error) {
	// Damage is the reader's to report: each opens the file with Recover.
	c, err := cfb.Recover(r, size)
	if err != nil {
		return nil, cfbError(err)
	}
	for _, l := range legacyFormats {
		for _, s := range l.streams {
			if e := c.Lookup(s); e == nil || !e.IsStream() {
				continue
			}
			if x, ok := extractors[l.format]; ok && l.format != FormatOLE {
				// The reader's errors say what the file is: it was sniffed
				// as a compound file only.
				doc, err := x(ctx, r, size, opt)
				if err != nil {
					return nil, withFormat(err, l.format)
				}
				return doc, nil
			}
			unread := &Error{Kind: KindUnsupported, Format: l.format, Reason: l.name + ": baomi cannot read this format yet"}
			if s == equationNative {
				return readFormula(ctx, c, opt, unread)
			}
			return readPresentations(ctx, c, opt, unread)
		}
	}
	return readPresentations(ctx, c, opt, Errorf(KindUnsupported, "OLE compound file (a legacy Office file or another program's object): baomi cannot read this format yet"))
}
