package extract

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"slices"
	"strings"

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
	return readPresentations(ctx, c, opt, unknownObject(c))
}

// objectClasses name the objects that no stream names by the class id of
// their root storage: the programs whose objects documents embed. reads
// marks the formats baomi reads, whose stream is then missing.
var objectClasses = []struct {
	clsid string
	name  string
	reads bool
}{
	{"11943940-36DE-11CF-953E-00C0A84029E9", "Microsoft Photo Editor picture", false},
	{"3FD07B5F-B17A-4243-949B-94C5A9D2E465", "Adobe Photoshop image", false},
	{"E4C18D40-1CD5-101C-B325-00AA001F3168", "OrgPlus organization chart", false},
	{"00020803-0000-0000-C000-000000000046", "Microsoft Graph chart", false},
	{"0002CE02-0000-0000-C000-000000000046", "Equation Editor or MathType formula", false},
	{"00020906-0000-0000-C000-000000000046", "Word 97-2003 document", true},
	{"00020820-0000-0000-C000-000000000046", "Excel 97-2003 workbook", true},
	{"00020821-0000-0000-C000-000000000046", "Excel 97-2003 workbook", true},
	{"64818D10-4F9B-11CF-86EA-00AA00B929E8", "PowerPoint 97-2003 presentation", true},
	{"64818D11-4F9B-11CF-86EA-00AA00B929E8", "PowerPoint 97-2003 presentation", true},
}

// unknownObject says why a compound file that no stream names is not
// read: it is empty (an object that only links to a file elsewhere), a
// program's object named by its class id, or one baomi cannot name.
func unknownObject(c *cfb.File) *Error {
	root := c.Root()
	if len(c.Children(root)) == 0 {
		return Errorf(KindUnsupported, "empty OLE object: it holds no data (perhaps only a link to a file elsewhere)")
	}
	for _, o := range objectClasses {
		if root.CLSID != classID(o.clsid) {
			continue
		}
		if o.reads {
			return Errorf(KindCorrupt, "damaged %s: the stream that holds its text is missing", o.name)
		}
		return Errorf(KindUnsupported, "%s: baomi cannot read this format yet", o.name)
	}
	return Errorf(KindUnsupported, "OLE compound file (a legacy Office file or another program's object): baomi cannot read this format yet")
}

// classID returns the bytes a compound file stores the class id s as:
// its first three fields little-endian, the rest as written. (A mistyped
// id of the table gives zeros, which TestObjectClasses catches.)
func classID(s string) [16]byte {
	var id [16]byte
	h, _ := hex.DecodeString(strings.ReplaceAll(s, "-", ""))
	copy(id[:], h)
	slices.Reverse(id[0:4])
	slices.Reverse(id[4:6])
	slices.Reverse(id[6:8])
	return id
}
