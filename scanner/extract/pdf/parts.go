package pdf

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
)

// Bounds of the document-level parts of a PDF. Real files have a few
// hundred bookmarks and a handful of attachments; the caps stop a crafted
// outline or name tree from taking minutes (the library re-inflates an
// object stream for every object it resolves).
const (
	pdfMaxBookmarks   = 10000
	pdfMaxAttachments = 1000
	pdfMaxXMP         = 16 << 20 // bytes of the XMP packet read, and of an XFA form
	pdfMaxXFAPackets  = 64
)

// pdfInfoOrder are the standard keys of the document information
// dictionary, read first and in this order. Dates and /Trapped carry no
// words and are left out.
var pdfInfoOrder = []string{"Title", "Subject", "Author", "Keywords", "Creator", "Producer"}

// docParts reads what a PDF holds outside its pages: the document
// information dictionary and XMP metadata (PartMetadata), the outline
// (PartBookmark) and the embedded files (read as documents of their own,
// see ReadInner; their name and /Desc as PartAttachment), charged to doc's
// text budget. A part that cannot be read
// adds a Review note: the file is never clean with it unread.
func (x *pdfRun) docParts(rd *pdf.Reader, doc *extract.Text) error {
	var root, info pdf.Value
	if err := protect(func() error {
		root, info = rd.Trailer().Key("Root"), rd.Trailer().Key("Info")
		return nil
	}); err != nil {
		doc.Review = append(doc.Review, "the PDF's document properties could not be read")
		return nil
	}
	// add cleans each item on its own (items are separate strings: one's
	// end must not be joined to the next's start as a wrapped line).
	add := func(part extract.Part, inner string, items ...string) error {
		for i := range items {
			items[i] = cleanPDFText(items[i])
		}
		t := strings.Join(dedupeLines(items), "\n")
		if t == "" {
			return nil
		}
		return doc.Add(extract.Segment{Part: part, Inner: inner, Text: t})
	}

	var meta []string
	if err := protect(func() error { meta = pdfInfo(info); return nil }); err != nil {
		doc.Review = append(doc.Review, "the PDF's document information could not be read")
	}
	xmp, note := x.xmp(root)
	if note != "" {
		doc.Review = append(doc.Review, note)
	}
	if err := add(extract.PartMetadata, "", append(meta, xmp...)...); err != nil {
		return err
	}
	form, note := x.xfa(root)
	if note != "" {
		doc.Review = append(doc.Review, note)
	}
	if err := add(extract.PartForm, "", form...); err != nil {
		return err
	}

	var marks []string
	if err := protect(func() error {
		var more bool
		marks, more = pdfOutline(root.Key("Outlines"))
		if more {
			doc.Review = append(doc.Review, fmt.Sprintf("the PDF has more than %d bookmarks or nests them more than %d deep: the rest were not read", pdfMaxBookmarks, pdfMaxTreeDepth))
		}
		return nil
	}); err != nil {
		doc.Review = append(doc.Review, "the PDF's bookmarks could not be read")
	}
	if err := add(extract.PartBookmark, "", marks...); err != nil {
		return err
	}
	return x.attachments(root, doc, add)
}

// pdfInfo returns the text strings of the information dictionary: the
// standard keys as their value, other (custom) keys as "key: value".
func pdfInfo(info pdf.Value) []string {
	if info.Kind() != pdf.Dict {
		return nil
	}
	var out []string
	std := map[string]bool{"CreationDate": true, "ModDate": true, "Trapped": true}
	for _, k := range pdfInfoOrder {
		std[k] = true
		if s := pdfTextString(info.Key(k)); s != "" {
			out = append(out, s)
		}
	}
	keys := info.Keys()
	sort.Strings(keys)
	for _, k := range keys {
		if std[k] {
			continue
		}
		if s := pdfTextString(info.Key(k)); s != "" {
			out = append(out, k+": "+s)
		}
	}
	return out
}

// pdfTextString decodes a PDF text string: UTF-16BE or UTF-8 after a byte
// order mark, else PDFDocEncoding. Strings that are neither valid UTF-8
// nor PDFDocEncoding but decode cleanly as GBK with Chinese characters are
// read as GBK: Chinese producers write document properties that way.
func pdfTextString(v pdf.Value) string {
	if v.Kind() != pdf.String {
		return ""
	}
	s := v.RawString()
	switch {
	case strings.HasPrefix(s, "\xfe\xff"):
		u := make([]uint16, 0, len(s)/2)
		for i := 2; i+1 < len(s); i += 2 {
			u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
		}
		return string(utf16.Decode(u))
	case strings.HasPrefix(s, "\xef\xbb\xbf"):
		return strings.ToValidUTF8(s[3:], "\uFFFD")
	}
	if !utf8.ValidString(s) && gb2312Pairs(s) {
		if g, err := simplifiedchinese.GBK.NewDecoder().String(s); err == nil && !strings.ContainsRune(g, utf8.RuneError) && strings.IndexFunc(g, isHan) >= 0 {
			return g
		}
	}
	return strings.ToValidUTF8(v.Text(), "\uFFFD")
}

// gb2312Pairs reports whether every byte of s above ASCII is in a pair of
// bytes 0xA1–0xFE, as GB2312 text is: PDFDocEncoding's punctuation
// (0x80–0xA0) rules it out, so "™" is not read as a Chinese character.
func gb2312Pairs(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x80 {
			continue
		}
		if i+1 >= len(s) || s[i] < 0xa1 || s[i] == 0xff || s[i+1] < 0xa1 || s[i+1] == 0xff {
			return false
		}
		i++
	}
	return true
}

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// dedupeLines drops repeated lines: /Title and dc:title usually agree, and
// one marking should give one finding.
func dedupeLines(lines []string) []string {
	seen := map[string]bool{}
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// xmp returns the character data and property attribute values of the
// catalog's /Metadata stream (dc:title, dc:description, pdf:Keywords …),
// bounded as walkXML is. note says why it was not read completely, "" when
// it was.
func (x *pdfRun) xmp(root pdf.Value) (lines []string, note string) {
	err := protect(func() error {
		s := root.Key("Metadata")
		if s.Kind() != pdf.Stream {
			return nil
		}
		rc := s.Reader()
		defer rc.Close()
		return x.walkXML(rc, func(tok xml.Token) {
			switch t := tok.(type) {
			case xml.StartElement:
				for _, a := range t.Attr {
					if !xmpSyntax[a.Name.Space] && a.Name.Local != "xmlns" {
						lines = append(lines, a.Value)
					}
				}
			case xml.CharData:
				lines = append(lines, string(t))
			}
		})
	})
	return lines, xmlNote(err, "the PDF's XMP metadata is too large or too deep: the rest was not read", "the PDF's XMP metadata is damaged: part of it was not read")
}

// xfa returns the text of the XFA form the PDF's interactive form holds
// (/AcroForm /XFA: one stream, or an array of packet names and streams that
// together make one XML document): its template's static text, captions and
// default values and its datasets' data. A dynamic XFA form's pages hold only
// a "Please wait..." message; the form is all there is. Scripts are not text.
// Bounded as walkXML is; note says why part of it was not read.
func (x *pdfRun) xfa(root pdf.Value) (lines []string, note string) {
	err := protect(func() error {
		v := root.Key("AcroForm").Key("XFA")
		var packets []io.Reader
		switch v.Kind() {
		case pdf.Stream:
			packets = append(packets, v.Reader())
		case pdf.Array:
			for i := 1; i < v.Len() && len(packets) < pdfMaxXFAPackets; i += 2 {
				if s := v.Index(i); s.Kind() == pdf.Stream {
					packets = append(packets, s.Reader())
				}
			}
		}
		if len(packets) == 0 {
			return nil
		}
		script := 0
		return x.walkXML(io.MultiReader(packets...), func(tok xml.Token) {
			switch t := tok.(type) {
			case xml.StartElement:
				if t.Name.Local == "script" || script > 0 {
					script++
				}
			case xml.EndElement:
				script = max(script-1, 0)
			case xml.CharData:
				if script == 0 {
					lines = append(lines, string(t))
				}
			}
		})
	})
	return lines, xmlNote(err, "the PDF's XFA form is too large or too deep: the rest was not read", "the PDF's XFA form is damaged: part of it was not read")
}

// walkXML hands fn the tokens of the XML r holds, bounded to pdfMaxXMP
// bytes and to what is left of the file's inflation budget, and to
// opt.MaxXMLDepth levels: errTooLarge past a bound. The text is taken as
// UTF-8 whatever the declaration says.
func (x *pdfRun) walkXML(r io.Reader, fn func(xml.Token)) error {
	lr := &io.LimitedReader{R: r, N: min(pdfMaxXMP, max(x.opt.MaxInflated-x.inflated, 0)) + 1}
	d := xml.NewDecoder(lr)
	d.Strict = false
	// XMP is UTF-8 by its specification; a packet that declares another
	// charset is read as is rather than dropped.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	defer func() { x.inflated += d.InputOffset() }()
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			if lr.N <= 0 {
				return errTooLarge
			}
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			if depth++; depth > x.opt.MaxXMLDepth {
				return errTooLarge
			}
		case xml.EndElement:
			depth--
		}
		fn(tok)
	}
}

// xmlNote is the Review note of an XML part whose reading ended with err:
// tooLarge past a bound, damaged on another error, none without one.
func xmlNote(err error, tooLarge, damaged string) string {
	switch {
	case errors.Is(err, errTooLarge):
		return tooLarge
	case err != nil:
		return damaged
	}
	return ""
}

// xmpSyntax are the namespaces of attributes that are XMP's syntax, not
// its properties (prefixes stand for undeclared namespaces).
var xmpSyntax = map[string]bool{
	"xmlns": true, "xml": true, "rdf": true, "x": true,
	"http://www.w3.org/XML/1998/namespace":        true,
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#": true,
	"adobe:ns:meta/": true,
}

// pdfOutline returns the titles of the outline items under outlines, in
// reading order (depth first). The library hides object numbers, so an
// item is known by its dictionary as the library prints it (its /Next,
// /Prev, /Parent … references): an item met twice ends the walk of that
// branch, which stops a cycle. more reports that items were left unread:
// past pdfMaxBookmarks, or nested deeper than pdfMaxTreeDepth.
func pdfOutline(outlines pdf.Value) (titles []string, more bool) {
	seen := map[string]bool{}
	// stack holds the next sibling to visit at each open level.
	stack := []pdf.Value{outlines.Key("First")}
	for len(stack) > 0 {
		it := stack[len(stack)-1]
		if it.Kind() != pdf.Dict {
			stack = stack[:len(stack)-1]
			continue
		}
		if len(stack) > pdfMaxTreeDepth {
			more = true
			stack = stack[:len(stack)-1]
			continue
		}
		id := it.String()
		if seen[id] {
			stack = stack[:len(stack)-1]
			continue
		}
		seen[id] = true
		if len(seen) > pdfMaxBookmarks {
			return titles, true
		}
		if t := pdfTextString(it.Key("Title")); t != "" {
			titles = append(titles, t)
		}
		stack[len(stack)-1] = it.Key("Next")
		stack = append(stack, it.Key("First"))
	}
	return titles, more
}

// attachments reads the embedded files: those of the catalog's
// /Names /EmbeddedFiles name tree and of /FileAttachment annotations (x.fileSpecs,
// gathered while reading the pages), each once.
func (x *pdfRun) attachments(root pdf.Value, doc *extract.Text, add func(extract.Part, string, ...string) error) error {
	var specs []pdf.Value
	more := false
	if err := protect(func() error {
		more = pdfNameTree(root.Key("Names").Key("EmbeddedFiles"), &specs)
		return nil
	}); err != nil {
		doc.Review = append(doc.Review, "the PDF's list of embedded files could not be read")
	}
	specs = append(specs, x.fileSpecs...)
	seen := map[string]bool{}
	n := 0
	for _, fs := range specs {
		var id string
		if protect(func() error { id = fs.String(); return nil }) != nil || fs.Kind() != pdf.Dict || seen[id] {
			continue
		}
		seen[id] = true
		if n++; n > pdfMaxAttachments {
			more = true
			break
		}
		if x.ctx.Err() != nil {
			return extract.Errorf(extract.KindTimeout, "timed out reading embedded files")
		}
		if err := x.attachment(fs, n, doc, add); err != nil {
			return err
		}
	}
	if more {
		doc.Review = append(doc.Review, fmt.Sprintf("the PDF embeds more than %d files: the rest were not read", pdfMaxAttachments))
	}
	return nil
}

// pdfNameTree appends the values of the name tree under node to out, at
// most pdfMaxAttachments of them; it reports whether some were left.
func pdfNameTree(node pdf.Value, out *[]pdf.Value) (more bool) {
	seen := map[string]bool{}
	var walk func(n pdf.Value, depth int) bool
	walk = func(n pdf.Value, depth int) bool {
		if n.Kind() != pdf.Dict || depth > pdfMaxTreeDepth {
			return false
		}
		if id := n.String(); seen[id] {
			return false
		} else {
			seen[id] = true
		}
		names := n.Key("Names")
		for i := 1; i < names.Len(); i += 2 {
			if len(*out) >= pdfMaxAttachments {
				return true
			}
			*out = append(*out, names.Index(i))
		}
		kids := n.Key("Kids")
		for i := 0; i < kids.Len(); i++ {
			if walk(kids.Index(i), depth+1) {
				return true
			}
		}
		return false
	}
	return walk(node, 0)
}

// attachment reads one file specification: its name and /Desc as
// PartAttachment, and its embedded file as a document of its own whose
// segments name the file in Inner. A file that cannot be read adds the
// Review note "attachment N: reason".
func (x *pdfRun) attachment(fs pdf.Value, n int, doc *extract.Text, add func(extract.Part, string, ...string) error) error {
	var name, desc string
	var data []byte
	var readErr error
	var hasData bool
	err := protect(func() error {
		name = pdfTextString(fs.Key("UF"))
		if name == "" {
			name = pdfTextString(fs.Key("F"))
		}
		if name == "" {
			name = fmt.Sprintf("attachment %d", n)
		}
		desc = pdfTextString(fs.Key("Desc"))
		ef := fs.Key("EF")
		s := ef.Key("UF")
		if s.Kind() != pdf.Stream {
			s = ef.Key("F")
		}
		if ef.IsNull() {
			return nil // a reference to a file outside the PDF
		}
		hasData = true
		if s.Kind() != pdf.Stream {
			readErr = errors.New("its data is missing")
			return nil
		}
		data, readErr = x.readStream(s)
		return nil
	})
	note := func(reason string) {
		doc.Review = append(doc.Review, fmt.Sprintf("attachment %d: %s", n, reason))
	}
	if err != nil {
		note("its file specification is damaged")
		return nil
	}
	if err := add(extract.PartAttachment, name, name, desc); err != nil {
		return err
	}
	switch {
	case !hasData:
		return nil
	case readErr != nil:
		if k := extract.KindOf(readErr); k == extract.KindLimit {
			return readErr
		}
		note(readErr.Error())
		return nil
	}
	return extract.ReadInner(extract.Container(x.ctx), doc, name, fmt.Sprintf("attachment %d", n), data, x.opt)
}

// readStream decodes stream s whole, within what is left of MaxInflated.
func (x *pdfRun) readStream(s pdf.Value) (data []byte, err error) {
	left := max(x.opt.MaxInflated-x.inflated, 0)
	err = protect(func() error {
		rc := s.Reader()
		defer rc.Close()
		data, err = io.ReadAll(io.LimitReader(rc, left+1))
		return err
	})
	x.inflated += int64(len(data))
	switch {
	case int64(len(data)) > left:
		return nil, extract.Errorf(extract.KindLimit, "streams inflate to more than %d bytes (max inflated)", x.opt.MaxInflated)
	case err != nil:
		return nil, errors.New("its data is damaged or uses an unsupported filter")
	}
	return data, nil
}
