// Package pdf reads PDF documents for extract: the text of every page (body,
// annotations, form fields), the document's metadata and bookmarks, and the
// files attached to it, repairing and decrypting the file when it must.
// Importing it registers the reader.
package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/ledongthuc/pdf"

	"github.com/baomi/baomi/scanner/extract"
)

func init() { extract.Register(extract.FormatPDF, extractPDF) }

// Bounds of the page-tree walk. Real page trees are a few levels deep; a
// deeper one is hostile or broken, and a cycle always ends up here.
const (
	pdfMaxTreeDepth = 64
	pdfMaxFormDepth = 8 // form XObjects nested in form XObjects
	// pdfMaxAnnots bounds the annotations read per page: the library
	// re-inflates an object stream for every object it resolves, so a
	// crafted page with tens of thousands of annotations takes minutes.
	pdfMaxAnnots = 500
)

// reasonEncrypted is the reason of every encrypted PDF baomi cannot read.
const reasonEncrypted = "encrypted PDF: needs a password"

// readPDF reads the text of a PDF with github.com/ledongthuc/pdf as the
// parser and baomi's own content-stream walker (walk.go): per page, one
// PartBody Segment (content stream and the form XObjects it draws, lines
// rebuilt from glyph positions), one PartAnnotation and one PartForm
// Segment when the page has such text, and the text its pictures hold when
// there is an OCR engine (pictures.go); then the document's metadata,
// bookmarks and embedded files (parts.go). The library has known infinite
// loops, panics and unbounded allocations (see LIBRARIES.md); this walks the
// page tree itself, checks what it cheaply can before handing a stream to
// the library, bounds operators and glyphs per page, and recovers panics, so
// that a page that could not be read fails the file. An encrypted file is
// opened with the library's own decryption and the empty password, then
// passwords. extractPDF (open.go) repairs and decrypts around it.
func readPDF(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options, passwords ...string) (*extract.Document, error) {
	if err := checkXref(r, size); err != nil {
		return nil, err
	}
	rd, err := openPDF(r, size, passwords...)
	if err != nil {
		return nil, err
	}
	doc := extract.NewText(extract.FormatPDF, opt)
	x := &pdfRun{ctx: ctx, opt: opt, doc: doc, file: r, size: size, maxOps: pdfMaxOps, fonts: map[string]*pdfFont{}, fontRefs: map[string]*pdfFont{}, cmaps: map[string]*cmap{},
		readImages: map[string]string{}, unreadPages: map[string][]int{}, buf: make([]byte, 32<<10)}
	if err := protect(func() error {
		x.encrypted = !rd.Trailer().Key("Encrypt").IsNull()
		return nil
	}); err != nil {
		return nil, extract.Errorf(extract.KindCorrupt, "PDF trailer could not be read")
	}
	pages, damagedTree, err := pdfPages(rd, opt)
	if err != nil {
		return nil, err
	}
	if damagedTree {
		doc.Review = append(doc.Review, "the PDF page tree is damaged and was "+reasonReadInPart+": pages may be missing")
	}
	for i, pg := range pages {
		n := i + 1
		if ctx.Err() != nil {
			return nil, extract.Errorf(extract.KindTimeout, "timed out reading page %d of %d", n, len(pages))
		}
		segs, review, err := x.page(n, pg)
		if err != nil {
			return nil, err
		}
		for _, sg := range segs {
			if sg.Text != "" {
				x.readAny = true
			}
		}
		if err := doc.AddAll(segs); err != nil {
			return nil, err
		}
		doc.Review = append(doc.Review, review...)
	}
	// Decrypted by the parser (pdfcpu could not read the file) and no text
	// on any page: a wrong key gives garbage that draws nothing, so
	// nothing says the file was really read.
	if x.encrypted && !x.readAny {
		return nil, extract.Errorf(extract.KindEncrypted, reasonEncrypted)
	}
	doc.Review = append(doc.Review, x.picturesReview()...)
	if x.partialCMaps > 0 {
		doc.Review = append(doc.Review, fmt.Sprintf("%d font Unicode map(s) are damaged and were %s: text may be missing or wrong", x.partialCMaps, reasonReadInPart))
	}
	if err := x.docParts(rd, doc); err != nil {
		return nil, err
	}
	return doc.Document, nil
}

// openPDF opens a PDF, trying the empty user password and then passwords
// if it is encrypted, and maps the library's failures to an *Error without
// quoting them (its messages can carry bytes of the file).
func openPDF(r io.ReaderAt, size int64, passwords ...string) (*pdf.Reader, error) {
	var rd *pdf.Reader
	err := protect(func() error {
		var err error
		next := 0
		// The library tries the empty password itself, then calls this
		// until it returns "".
		rd, err = pdf.NewReaderEncrypted(r, size, func() string {
			for next < len(passwords) {
				next++
				if passwords[next-1] != "" {
					return passwords[next-1]
				}
			}
			return ""
		})
		return err
	})
	if err == nil {
		return rd, nil
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "encrypt") || strings.Contains(msg, "password") || tailHasEncrypt(r, size):
		return nil, extract.Errorf(extract.KindEncrypted, reasonEncrypted)
	case strings.Contains(msg, "invalid header"):
		return nil, extract.Errorf(extract.KindCorrupt, "PDF header not found or not readable")
	case strings.Contains(msg, "%%eof"):
		return nil, extract.Errorf(extract.KindCorrupt, "PDF is truncated or has data after %%%%EOF")
	case strings.Contains(msg, "startxref"):
		return nil, extract.Errorf(extract.KindCorrupt, "PDF is truncated: no valid startxref")
	case strings.Contains(msg, "xref") || strings.Contains(msg, "cross-reference") || strings.Contains(msg, "trailer"):
		return nil, extract.Errorf(extract.KindCorrupt, "PDF cross-reference table is damaged")
	default:
		return nil, extract.Errorf(extract.KindCorrupt, "PDF structure is damaged")
	}
}

// pdfPages walks Root/Pages/Kids once, depth first, and returns the page
// dictionaries in document order. Reader.Page(i) would walk from the root for
// every page (quadratic) and loops forever on a cyclic tree; this detects
// cycles by object number, skips a page referenced twice (its text is read
// once) and caps depth, nodes and pages. A /Kids entry that is an ancestor
// of its node, a missing object or one that cannot be parsed is left out,
// as poppler does, and damaged is set: the pages that can be reached are
// read (perhaps none: the rest of the file, metadata and attachments, is
// still read), and the file is never clean.
func pdfPages(rd *pdf.Reader, opt extract.Options) (pages []pdf.Value, damaged bool, err error) {
	w := pageWalk{opt: opt, seen: map[string]bool{}, onPath: map[string]bool{}, pages: &pages}
	catalog := false
	err = protect(func() error {
		root := rd.Trailer().Key("Root")
		if root.Kind() != pdf.Dict {
			return extract.Errorf(extract.KindCorrupt, "PDF has no document catalog")
		}
		catalog = true
		return w.node(root.Key("Pages"), "", 0)
	})
	if _, ours := err.(*extract.Error); ours {
		return nil, false, err
	}
	if err != nil && !catalog {
		return nil, false, extract.Errorf(extract.KindCorrupt, "PDF document catalog could not be read")
	}
	if err != nil {
		w.damaged = true // the library's parser panicked on the tree's root
	}
	if len(pages) == 0 && !w.damaged {
		return nil, false, extract.Errorf(extract.KindCorrupt, "PDF has no pages")
	}
	return pages, w.damaged, nil
}

// pageWalk is the state of one walk of a page tree.
type pageWalk struct {
	opt    extract.Options
	seen   map[string]bool // object numbers of every node visited
	onPath map[string]bool // object numbers of the ancestors of the current node
	nodes  int
	pages  *[]pdf.Value
	// damaged is set when a /Kids entry was left out: an ancestor of its
	// node, a missing object, one that could not be parsed.
	damaged bool
}

// node visits v, a page tree node whose object number is ref ("" when v is
// a direct object or its number is unknown), at the given depth.
func (w *pageWalk) node(v pdf.Value, ref string, depth int) error {
	if depth > pdfMaxTreeDepth {
		return extract.Errorf(extract.KindCorrupt, "PDF page tree is more than %d levels deep or has a cycle", pdfMaxTreeDepth)
	}
	w.nodes++
	if w.nodes > 4*w.opt.MaxPages+1024 {
		return extract.Errorf(extract.KindCorrupt, "PDF page tree has too many nodes")
	}
	if v.Kind() != pdf.Dict {
		w.damaged = true
		return nil
	}
	kids := v.Key("Kids")
	if kids.Kind() != pdf.Array {
		if v.Key("Type").Name() == "Pages" {
			return nil // an empty intermediate node
		}
		if len(*w.pages) >= w.opt.MaxPages {
			return extract.Errorf(extract.KindLimit, "more than %d pages (max pages)", w.opt.MaxPages)
		}
		*w.pages = append(*w.pages, v)
		return nil
	}
	refs := arrayRefs(kids)
	if ref != "" {
		w.onPath[ref] = true
		defer delete(w.onPath, ref)
	}
	for i := 0; i < kids.Len(); i++ {
		kref := ""
		if refs != nil {
			kref = refs[i]
			if w.onPath[kref] {
				w.damaged = true
				continue
			}
			if w.seen[kref] {
				continue
			}
			w.seen[kref] = true
		}
		err := protect(func() error { return w.node(kids.Index(i), kref, depth+1) })
		if _, ours := err.(*extract.Error); ours {
			return err
		}
		if err != nil {
			w.damaged = true // the library's parser panicked on the kid
		}
	}
	return nil
}

// arrayRefs returns the object references ("12 0") that make up the array
// v, or nil if any element is not a reference. The library hides object
// numbers, but formats an unresolved array as "[12 0 R 14 0 R]".
func arrayRefs(v pdf.Value) []string {
	s := v.String()
	if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
		return nil
	}
	f := strings.Fields(s[1 : len(s)-1])
	if len(f) != 3*v.Len() {
		return nil
	}
	refs := make([]string, 0, v.Len())
	for i := 0; i < len(f); i += 3 {
		if !isDigits(f[i]) || !isDigits(f[i+1]) || f[i+2] != "R" {
			return nil
		}
		refs = append(refs, f[i]+" "+f[i+1])
	}
	return refs
}

// dictRefs returns, for the dictionary v whose values are all object
// references, each key's reference ("12 0"), read from the library's
// formatting of the unresolved dictionary ("<</F1 12 0 R /F2 14 0 R>>"); nil
// when v is not that plain. Each group of four fields must be a key, in
// the sorted order the library formats them in, and a reference: a key
// with a space in it or a direct value breaks the pattern.
func dictRefs(v pdf.Value) map[string]string {
	s := v.String()
	if v.Kind() != pdf.Dict || !strings.HasPrefix(s, "<<") || !strings.HasSuffix(s, ">>") {
		return nil
	}
	keys := v.Keys() // sorted, as the library formats them
	f := strings.Fields(s[2 : len(s)-2])
	if len(f) != 4*len(keys) {
		return nil
	}
	refs := make(map[string]string, len(keys))
	for i, k := range keys {
		g := f[4*i : 4*i+4]
		if g[0] != "/"+k || !isDigits(g[1]) || !isDigits(g[2]) || g[3] != "R" {
			return nil
		}
		refs[k] = g[1] + " " + g[2]
	}
	return refs
}

// isDigits reports whether s is a non-empty run of ASCII digits.
func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// pdfRun is the state of reading the pages of one PDF.
type pdfRun struct {
	ctx       context.Context
	opt       extract.Options
	encrypted bool                // the file is encrypted and opened with the empty password
	readAny   bool                // some page gave text
	inflated  int64               // bytes inflated from streams so far
	maxOps    int                 // operators per page: pdfMaxOps, lower in tests
	fonts     map[string]*pdfFont // by font dictionary (see font)
	fontRefs  map[string]*pdfFont // by object reference (see walker.fontNamed)
	glyphs    []placedGlyph       // the page walker's glyphs, reused from page to page
	cmaps     map[string]*cmap    // by CMap stream
	fileSpecs []pdf.Value         // /FS of the /FileAttachment annotations read
	// partialCMaps counts font Unicode maps (ToUnicode CMaps, TrueType
	// programs) read only in part or not at all (see cmapOf, loadTrueType).
	partialCMaps int
	userUnit     float64 // the current page's /UserUnit (see pageUserUnit)
	pathSegs     int     // path segments kept on the current page (see vector.go)
	buf          []byte

	// Pictures (pictures.go): the document their text is added to, the
	// file their raw bytes are read from, why each image XObject read
	// was not (by stream; "" when it was read), and the pages whose
	// pictures were not all read, by why.
	doc         *extract.Text
	file        io.ReaderAt
	size        int64
	readImages  map[string]string
	unreadPages map[string][]int
}

// page reads page n: its body text (content stream and the form XObjects
// it draws, laid out by glyph position) and the text of its annotations and
// form fields. A page that cannot be read fails the whole file: the text on
// it could be the secret.
func (x *pdfRun) page(n int, v pdf.Value) (segs []extract.Segment, review []string, err error) {
	var text string
	var annots, fields []string
	var manyAnnots bool
	w := x.newWalker()
	w.glyphs = x.glyphs[:0]
	err = protect(func() error {
		p := pdf.Page{V: v}
		if err := checkParents(p); err != nil {
			return err
		}
		x.userUnit = pageUserUnit(v)
		x.pathSegs = 0
		w.shapes.Unit = x.userUnit
		w.run(v.Key("Contents"), p.Resources(), identityMatrix, 0)
		text = cleanPDFText(layoutText(w.glyphs))
		x.glyphs = w.glyphs
		av := v.Key("Annots")
		manyAnnots = av.Len() > pdfMaxAnnots
		var err error
		annots, fields, err = x.annotations(av, w)
		return err
	})
	if err != nil {
		e, ours := err.(*extract.Error)
		if ours && (e.Kind == extract.KindLimit || e.Kind == extract.KindTimeout) {
			return nil, nil, err
		}
		// With the empty password accepted but nothing readable, the key is
		// wrong (RC4-40 files open, then every stream fails).
		if x.encrypted && !x.readAny {
			return nil, nil, extract.Errorf(extract.KindEncrypted, reasonEncrypted)
		}
		if ours {
			return nil, nil, extract.Errorf(extract.KindCorrupt, "page %d could not be read: %s", n, e.Reason)
		}
		return nil, nil, extract.Errorf(extract.KindCorrupt, "page %d could not be read: %s", n, pageFailure(err))
	}
	segs = append(segs, extract.Segment{Part: extract.PartBody, Page: n, Text: text})
	if t := cleanPDFText(strings.Join(annots, "\n")); t != "" {
		segs = append(segs, extract.Segment{Part: extract.PartAnnotation, Page: n, Text: t})
	}
	if t := cleanPDFText(strings.Join(fields, "\n")); t != "" {
		segs = append(segs, extract.Segment{Part: extract.PartForm, Page: n, Text: t})
	}
	if manyAnnots {
		review = append(review, fmt.Sprintf("page %d has more than %d annotations: the rest were not read", n, pdfMaxAnnots))
	}
	whys, err := x.readPictures(n, append([]*walker{w}, w.appearances...))
	if err != nil {
		return nil, nil, err
	}
	for _, why := range slices.Compact(slices.Sorted(slices.Values(whys))) {
		x.unreadPages[why] = append(x.unreadPages[why], n)
	}
	if w.damaged > 0 {
		review = append(review, fmt.Sprintf("page %d: %d content stream(s) are damaged and were %s: text may be missing", n, w.damaged, reasonReadInPart))
	}
	if w.unmapped*10 > w.total {
		review = append(review, fmt.Sprintf("page %d: %d%% of glyphs have no Unicode mapping", n, glyphShare(w.unmapped, w.total)))
	}
	return segs, review, nil
}

// annotations reads the annotations of a page: the /Contents of each and the
// text of its appearance stream (a stamp shows its marking only there), and
// for form fields (widgets) the value and appearance. Glyphs of appearance
// streams count in w's totals of mapped glyphs.
func (x *pdfRun) annotations(annots pdf.Value, w *walker) (texts, fields []string, err error) {
	seen := map[string]bool{}
	for i := 0; i < min(annots.Len(), pdfMaxAnnots); i++ {
		if x.ctx.Err() != nil {
			return nil, nil, extract.Errorf(extract.KindTimeout, "timed out reading annotations")
		}
		a := annots.Index(i)
		var parts []string
		if a.Key("Subtype").Name() == "Widget" {
			parts = append(parts, a.Key("V").Text())
		} else {
			if a.Key("Subtype").Name() == "FileAttachment" && len(x.fileSpecs) < pdfMaxAttachments {
				x.fileSpecs = append(x.fileSpecs, a.Key("FS"))
			}
			parts = append(parts, a.Key("Contents").Text())
		}
		// /N is one appearance stream, or a dictionary of them by state.
		ap := a.Key("AP").Key("N")
		streams := []pdf.Value{ap}
		if ap.Kind() == pdf.Dict {
			streams = streams[:0]
			for _, k := range ap.Keys() {
				streams = append(streams, ap.Key(k))
			}
		}
		for _, s := range streams {
			if s.Kind() != pdf.Stream || seen[s.String()] {
				continue
			}
			seen[s.String()] = true
			aw := x.newWalker()
			aw.run(s, s.Key("Resources"), identityMatrix, 1)
			w.total += aw.total
			w.unmapped += aw.unmapped
			w.appearances = append(w.appearances, aw)
			w.damaged += aw.damaged
			if t := layoutText(aw.glyphs); cleanPDFText(t) != cleanPDFText(parts[0]) {
				parts = append(parts, t)
			}
		}
		t := strings.Join(parts, "\n")
		if strings.TrimSpace(t) == "" {
			continue
		}
		if a.Key("Subtype").Name() == "Widget" {
			fields = append(fields, t)
		} else {
			texts = append(texts, t)
		}
	}
	return texts, fields, nil
}

// checkParents checks, before the library looks up inherited resources,
// that the page's /Parent chain ends: the library follows it forever.
func checkParents(p pdf.Page) error {
	// Mirror the library's findInherited: it stops at the first node with
	// /Resources or at a null /Parent.
	v := p.V
	for i := 0; !v.IsNull() && v.Key("Resources").IsNull(); i++ {
		if i > pdfMaxTreeDepth {
			return extract.Errorf(extract.KindCorrupt, "page /Parent chain loops")
		}
		v = v.Key("Parent")
	}
	return nil
}

// errDamagedStream is a stream whose data does not decode to its end.
var errDamagedStream = fmt.Errorf("damaged compressed stream")

// inflate decodes stream v through the library's own filters, counting the
// bytes against MaxInflated and feeding them to scan. The library's lexer
// reads the same bytes again; reading them here first costs CPU, not memory.
func (x *pdfRun) inflate(v pdf.Value, scan *streamScan) error {
	if v.Kind() != pdf.Stream {
		return fmt.Errorf("content is not a stream")
	}
	rc := v.Reader()
	defer rc.Close()
	for {
		n, err := rc.Read(x.buf)
		x.inflated += int64(n)
		if x.inflated > x.opt.MaxInflated {
			return extract.Errorf(extract.KindLimit, "streams inflate to more than %d bytes (max inflated)", x.opt.MaxInflated)
		}
		scan.feed(x.buf[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return errDamagedStream
		}
	}
}

// streamScan watches the bytes of a content stream for three things:
//   - whether they end inside a hex string, where the library's lexer
//     reads newlines past the end forever: after an odd run of '<' (an even
//     run is "<<" dictionaries), only hex digits and white space, or one
//     more byte of any kind where a pair starts (the lexer reads a pair
//     before it checks it);
//   - whether an inline image starts (the BI operator);
//   - whether there can be text: a BT or Do operator, or minSegments
//     line and curve operators (l, c, v, y), glyphs drawn as shapes (see
//     vector.go); drawings without text, most forms, need not go through
//     the library's slow lexer.
type streamScan struct {
	prev        byte // the byte before
	last        byte // last byte that is neither a hex digit nor white space
	ltRun       int  // length of the run of adjacent '<' ending at last
	digits      int  // hex digits after last
	before      byte // the byte like last before it
	beforeRun   int  // ltRun of before
	between     int  // hex digits between before and last
	word        [3]byte
	wordLen     int // letters in the current run of letters, up to 3
	inlineImage bool
	textOps     bool
	segments    int // line and curve operators, up to minSegments
}

func (t *streamScan) feed(b []byte) {
	for _, c := range b {
		letter := 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z'
		if letter {
			if t.wordLen < len(t.word) {
				t.word[t.wordLen] = c
			}
			t.wordLen++
		} else {
			t.endWord()
		}
		switch {
		case isHexDigit(c):
			t.digits++
		case c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ':
		case c == '<' && t.prev == '<':
			t.ltRun++
		default:
			t.before, t.beforeRun, t.between = t.last, t.ltRun, t.digits
			t.last, t.ltRun, t.digits = c, 0, 0
			if c == '<' {
				t.ltRun = 1
			}
		}
		t.prev = c
	}
}

// endWord notes the operator that the current run of letters spells.
func (t *streamScan) endWord() {
	if t.wordLen == 1 && t.segments < minSegments {
		switch t.word[0] {
		case 'l', 'c', 'v', 'y':
			t.segments++
		}
	}
	if t.wordLen == 2 {
		switch string(t.word[:2]) {
		case "BI":
			t.inlineImage = true
		case "BT", "Do":
			t.textOps = true
		}
	}
	t.wordLen = 0
}

// drawsText reports whether the bytes fed so far can draw text: text
// operators, a form, or enough segments to be glyphs drawn as shapes.
func (t *streamScan) drawsText() bool { return t.textOps || t.segments >= minSegments }

// hexOpen reports whether the bytes fed so far end inside a hex string.
func (t *streamScan) hexOpen() bool {
	if t.last == '<' && t.ltRun%2 == 1 {
		return true
	}
	return t.before == '<' && t.beforeRun%2 == 1 && t.between%2 == 0 && t.last != '>' && t.digits == 0
}

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// pageFailure describes why a page could not be read without quoting the
// library's message, which can carry bytes of the file.
func pageFailure(err error) string {
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "filter"):
		return "unsupported stream filter"
	case strings.Contains(msg, "zlib") || strings.Contains(msg, "flate") || strings.Contains(msg, "compressed"):
		return "damaged compressed stream"
	case strings.Contains(msg, "operator"):
		return "unsupported or malformed text operator"
	default:
		return "damaged page content"
	}
}

// protect runs f, turning a panic into an error: the library panics on
// malformed input.
func protect(f func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			if e, ok := p.(error); ok {
				err = e
			} else {
				err = fmt.Errorf("%v", p)
			}
		}
	}()
	return f()
}

// tailHasEncrypt reports whether the last 64 KiB of the file name an
// /Encrypt dictionary: the library's open can fail on an encrypted file for
// reasons that do not mention encryption (no /ID, an unsupported handler).
func tailHasEncrypt(r io.ReaderAt, size int64) bool {
	const n = 64 << 10
	off := max(size-n, 0)
	buf := make([]byte, size-off)
	k, _ := r.ReadAt(buf, off)
	return bytes.Contains(buf[:k], []byte("/Encrypt"))
}
