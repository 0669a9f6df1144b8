// Package extract reads the text of documents: it sniffs a file's format from
// its bytes and hands it to one extractor per format, each of which returns a
// Document made of Segments or an *Error. Extractors enforce the limits of
// their Options and never return a partial document as if it were complete.
package extract

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/baomi/baomi/scanner/ocr"
)

// Part names where in a document a piece of text was found.
type Part string

// The parts of a document that extractors report.
const (
	PartBody       Part = "body"
	PartHeader     Part = "header"
	PartFooter     Part = "footer"
	PartComment    Part = "comment"
	PartFootnote   Part = "footnote"
	PartEndnote    Part = "endnote"
	PartDeleted    Part = "deleted"
	PartInserted   Part = "inserted"
	PartHidden     Part = "hidden"
	PartTextbox    Part = "textbox"
	PartField      Part = "field"
	PartAltText    Part = "alttext"
	PartMetadata   Part = "metadata"
	PartAnnotation Part = "annotation"
	PartForm       Part = "form"
	PartBookmark   Part = "bookmark"
	PartNotes      Part = "notes"
	PartSheetName  Part = "sheet-name"
	PartAttachment Part = "attachment"
	PartEmbedded   Part = "embedded"
	// PartFileName is a file's own name (the scanner matches it) or the
	// name of an entry in an archive: 机密★5年_通知.docx marks a file as
	// surely as its text does.
	PartFileName Part = "filename"
)

// Segment is one piece of text and where it was found. Page is 1-based for
// paged formats and 0 otherwise; Inner names a path inside a container
// (archive entry, embedded object), empty for the file itself.
type Segment struct {
	Part  Part   `json:"part"`
	Page  int    `json:"page"`
	Inner string `json:"inner"`
	Text  string `json:"text"`
	// Reading is set on the segments of a polyglot read as another format
	// than its Document's (a DOCX that is also a PDF: the PDF's text): a
	// person then knows which program shows it. Empty otherwise.
	Reading Format `json:"reading,omitempty"`
}

// Document is everything an extractor read from one file.
type Document struct {
	Format   Format    `json:"format"`
	Segments []Segment `json:"segments"`
	// Review says, one sentence each, why the text may be incomplete (pages
	// with pictures that may carry text, glyphs without Unicode mapping, a
	// picture file). Empty when the file was read completely.
	Review []string `json:"review,omitempty"`
	// Digests are the digests of the file (Inner "", first, set by File)
	// and of every document read inside it.
	Digests []Digest `json:"-"`
	// Pictures counts the pictures that may carry text, read by OCR or
	// not; the reasons of those not read are in Review.
	Pictures Pictures `json:"-"`
	// File identifies the file read (set by File).
	File FileID `json:"-"`
}

// Kind classifies why a file could not be read.
type Kind string

// The kinds of extraction failure. KindNoText is not a failure of reading:
// the format carries no document text and the file is skipped.
const (
	KindEncrypted   Kind = "encrypted"
	KindCorrupt     Kind = "corrupt"
	KindLimit       Kind = "limit"
	KindUnsupported Kind = "unsupported"
	KindUnknown     Kind = "unknown"
	KindNoText      Kind = "no-text"
	KindIO          Kind = "io"
	KindTimeout     Kind = "timeout"
	KindCrash       Kind = "crash"
)

// Error is the error every extractor returns. Reason is a short sentence for
// a person; it never contains document text.
type Error struct {
	Kind   Kind
	Reason string
	// Format is the file's format when it was sniffed before the failure.
	Format Format
	// Digests are the file's digests, when File could hash it: a file
	// that cannot be read may still be one a policy knows by its hash.
	Digests []Digest
	// File identifies the file that could not be read (set by File).
	File FileID
}

func (e *Error) Error() string { return e.Reason }

// Errorf builds an *Error of the given kind.
func Errorf(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Reason: fmt.Sprintf(format, args...)}
}

// FormatOf returns the format recorded in err, or "" when there is none.
func FormatOf(err error) Format {
	var e *Error
	if errors.As(err, &e) {
		return e.Format
	}
	return ""
}

// KindOf returns the Kind of err, KindCorrupt for errors that are not an *Error.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return KindCorrupt
}

// Options say how files are read: the limits that bound what a file may
// make baomi do, and what may open a document (passwords; OCR settings join
// here). A file that exceeds a limit gets an *Error of KindLimit naming the
// limit. Zero limits mean the default.
type Options struct {
	MaxFileSize int64 // bytes of the file itself
	MaxInflated int64 // bytes inflated from a container or from streams, in total
	MaxEntries  int   // entries in a zip container
	MaxRatio    int64 // inflated/compressed ratio of one zip entry
	MaxPages    int   // pages of a paged document
	MaxXMLDepth int   // nesting depth of XML elements
	// MaxXMLElements bounds the XML elements of one document, counted
	// across all its parts: a part of millions of empty elements inflates
	// from a few kilobytes and costs time and memory without any text.
	// Documents inside a container count their own.
	MaxXMLElements int
	MaxText        int64 // bytes of extracted text
	// Passwords are tried, after the empty one, on encrypted documents.
	// They are secrets: never logged, printed or put in a report.
	Passwords []string
	// OCR says whether and how text in pictures is read; the zero value
	// reads none.
	OCR ocr.Config
}

// DefaultOptions has limits generous for real office documents and small
// enough that a hostile file cannot exhaust a workstation, and no passwords.
func DefaultOptions() Options {
	return Options{
		MaxFileSize: 512 << 20,
		MaxInflated: 1 << 30,
		MaxEntries:  20000,
		MaxRatio:    1000,
		MaxPages:    20000,
		MaxXMLDepth: 256,
		// A dense page of Word text is about a thousand elements, so this
		// allows some 20,000 pages; the largest file of ../shared/corpus
		// has under 10,000.
		MaxXMLElements: 20_000_000,
		MaxText:        256 << 20,
	}
}

// WithDefaults fills zero limits of l from DefaultOptions. Reader and
// File call it; a reader that may be called directly calls it too.
func (l Options) WithDefaults() Options {
	d := DefaultOptions()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxInflated <= 0 {
		l.MaxInflated = d.MaxInflated
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = d.MaxEntries
	}
	if l.MaxRatio <= 0 {
		l.MaxRatio = d.MaxRatio
	}
	if l.MaxPages <= 0 {
		l.MaxPages = d.MaxPages
	}
	if l.MaxXMLDepth <= 0 {
		l.MaxXMLDepth = d.MaxXMLDepth
	}
	if l.MaxXMLElements <= 0 {
		l.MaxXMLElements = d.MaxXMLElements
	}
	if l.MaxText <= 0 {
		l.MaxText = d.MaxText
	}
	return l
}

// File extracts the document at path.
func File(ctx context.Context, path string, opt Options) (*Document, error) {
	opt = opt.WithDefaults()
	f, err := os.Open(path)
	if err != nil {
		return nil, Errorf(KindIO, "cannot open file: %v", unwrapPathError(err))
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, Errorf(KindIO, "cannot stat file: %v", unwrapPathError(err))
	}
	if !st.Mode().IsRegular() {
		return nil, Errorf(KindIO, "not a regular file")
	}
	doc, err := Reader(ctx, f, st.Size(), opt)
	err = kingsoft(path, err)
	withFileID(doc, err, fileIDOf(st))
	if st.Size() > opt.MaxFileSize {
		return doc, err
	}
	d, herr := digestFile(f, st.Size())
	if herr != nil {
		return nil, Errorf(KindIO, "cannot read file: %v", unwrapPathError(herr))
	}
	withDigest(doc, err, d)
	return doc, err
}

// kingsoft names the format of a file of unknown format whose name says
// WPS Office made it: WPS 2005 and later write .wps, .et and .dps in the
// Office 97-2003 formats, which sniffing knows, so such a file is from
// WPS 97/2000 or older, Kingsoft's own formats. The name only words the
// reason; the format stays unknown and the verdict an error.
func kingsoft(path string, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.Kind != KindUnknown {
		return err
	}
	switch strings.ToLower(filepath.Ext(path)) {
	case ".wps", ".et", ".dps":
		return &Error{Kind: KindUnsupported, Format: FormatUnknown, Reason: "WPS 2000 format: a file of WPS Office 2000 or older, whose formats baomi cannot read"}
	}
	return err
}

// Reader extracts a document of the given size from r. A polyglot, a file
// that common readers open as more than one format, is read as each of
// them (see sniff and mergeReading): the document has the segments of all
// readings and is never clean when one of them fails.
func Reader(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error) {
	opt = opt.WithDefaults()
	if size > opt.MaxFileSize {
		return nil, Errorf(KindLimit, "file is %d bytes, over the limit of %d bytes (max file size)", size, opt.MaxFileSize)
	}
	rs, err := sniff(r, size)
	if err != nil {
		return nil, err
	}
	doc, err := read(ctx, r, size, opt, rs[0])
	for _, also := range rs[1:] {
		doc2, err2 := read(ctx, r, size, opt, also)
		doc, err = mergeReading(doc, err, rs[0].format, also.format, doc2, err2)
	}
	return doc, err
}

// read extracts the file as one of its readings.
func read(ctx context.Context, r io.ReaderAt, size int64, opt Options, rd reading) (*Document, error) {
	x, ok := extractors[rd.format]
	if !ok && slices.Contains(mustRead, rd.format) {
		// A build mistake, not a property of the file: fail loudly.
		panic("extract: no extractor registered for format " + string(rd.format) + ": import scanner/extract/formats")
	}
	if !ok {
		return nil, withFormat(unreadable(rd.format), rd.format)
	}
	if err := ctx.Err(); err != nil {
		return nil, withFormat(Errorf(KindTimeout, "cancelled before reading"), rd.format)
	}
	if rd.end > 0 {
		size = rd.end
	}
	if rd.off > 0 || rd.end > 0 {
		size = int64(len(rd.prefix)) + size - rd.off
		r = &spliced{head: rd.prefix, r: r, off: rd.off, size: size}
	}
	// The extractor names the format it read: the sniffed one, or one it
	// found inside (a compound file that turns out to be a .doc).
	doc, err := x(ctx, r, size, opt)
	if err != nil {
		return nil, withFormat(err, rd.format)
	}
	if rd.review != "" {
		doc.Review = append(doc.Review, rd.review)
	}
	return doc, nil
}

// spliced is size bytes of a file from off on, with head in front: a
// text file without the binary bytes of its prefix, a PDF appended to
// another file, the text in front of a PDF.
type spliced struct {
	head []byte
	r    io.ReaderAt
	off  int64
	size int64
}

func (s *spliced) ReadAt(p []byte, at int64) (int, error) {
	if at < 0 || at >= s.size {
		return 0, io.EOF
	}
	var short error
	if int64(len(p)) > s.size-at {
		p, short = p[:s.size-at], io.EOF
	}
	n := 0
	if at < int64(len(s.head)) {
		n = copy(p, s.head[at:])
	}
	if n < len(p) {
		k, err := s.r.ReadAt(p[n:], s.off+at+int64(n)-int64(len(s.head)))
		if n += k; err != nil {
			return n, err
		}
	}
	return n, short
}

// mergeReading adds to what reading a file as its format gave (doc, err)
// what reading it as another format gave (doc2, err2). Segments of the
// second reading are labelled with its format. A second reading that
// fails makes the file review; when only the first one fails, what the
// second read is kept, and the file is review too. When both fail, the
// first error stands.
func mergeReading(doc *Document, err error, format, as Format, doc2 *Document, err2 error) (*Document, error) {
	switch {
	case err2 != nil && err != nil:
		return nil, err
	case err2 != nil:
		doc.Review = append(doc.Review, fmt.Sprintf("the file can also be opened as %s, and baomi could not read it that way: %s",
			formatName(as), failure[KindOf(err2)]))
		return doc, nil
	case err != nil:
		doc = &Document{Format: format, Segments: []Segment{}, Review: []string{fmt.Sprintf(
			"the file could not be read as %s (%s); only what it holds as %s was read",
			formatName(format), failure[KindOf(err)], formatName(as))}}
	}
	for i := range doc2.Segments {
		doc2.Segments[i].Reading = as
	}
	doc.Segments = append(doc.Segments, doc2.Segments...)
	doc.Review = append(doc.Review, doc2.Review...)
	doc.Digests = append(doc.Digests, doc2.Digests...)
	return doc, nil
}

// failure says in a few words why a reading failed, for reasons that must
// not quote the failing reader's own message.
var failure = map[Kind]string{
	KindEncrypted:   "it is encrypted",
	KindCorrupt:     "it is damaged",
	KindLimit:       "it exceeds a limit",
	KindUnsupported: "baomi cannot read that format yet",
	KindUnknown:     "the format is not known",
	KindNoText:      "it carries no document text",
	KindIO:          "the file could not be read",
	KindTimeout:     "time ran out",
	KindCrash:       "the parser failed",
}

// formatName names a format in a sentence: "DOCX", "plain text".
func formatName(f Format) string {
	if f == FormatText {
		return "plain text"
	}
	return strings.ToUpper(string(f))
}

// withFormat records f in err, making it an *Error if it is not one. Such
// an error comes from a library, whose message may quote the file: the
// Reason is ours.
func withFormat(err error, f Format) error {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: KindCorrupt, Reason: "damaged file: it could not be read"}
	}
	if e.Format == "" {
		e.Format = f
	}
	return e
}

// extractor reads one format.
type extractor func(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error)

// unwrapPathError drops the path from an *os.PathError: the caller knows it.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
