package extract

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/ledongthuc/pdf"
)

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

// extractPDF reads the text of a PDF with github.com/ledongthuc/pdf: per
// page, one PartBody Segment (content stream and form XObjects), and one
// PartAnnotation and one PartForm Segment when the page has such text. The
// library has known infinite loops, panics and
// unbounded allocations (see LIBRARIES.md); this walks the page tree itself,
// checks what it cheaply can before handing a stream to the library, and
// recovers panics, so that a page that could not be read fails the file.
func extractPDF(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Document, error) {
	lim = lim.withDefaults()
	if err := checkXref(r, size); err != nil {
		return nil, err
	}
	rd, err := openPDF(r, size)
	if err != nil {
		return nil, err
	}
	x := &pdfRun{ctx: ctx, lim: lim, checked: map[string]bool{}, buf: make([]byte, 32<<10)}
	if err := protect(func() error {
		x.encrypted = !rd.Trailer().Key("Encrypt").IsNull()
		return nil
	}); err != nil {
		return nil, Errorf(KindCorrupt, "PDF trailer could not be read")
	}
	pages, err := pdfPages(rd, lim)
	if err != nil {
		return nil, err
	}
	doc := &Document{Format: FormatPDF}
	var textBytes int64
	for i, pg := range pages {
		n := i + 1
		if ctx.Err() != nil {
			return nil, Errorf(KindTimeout, "timed out reading page %d of %d", n, len(pages))
		}
		segs, review, err := x.page(n, pg)
		if err != nil {
			return nil, err
		}
		for _, sg := range segs {
			textBytes += int64(len(sg.Text))
			if sg.Text != "" {
				x.readAny = true
			}
		}
		if textBytes > lim.MaxText {
			return nil, Errorf(KindLimit, "more than %d bytes of text (max text)", lim.MaxText)
		}
		doc.Segments = append(doc.Segments, segs...)
		doc.Review = append(doc.Review, review...)
	}
	return doc, nil
}

// openPDF opens a PDF, trying the empty user password if it is encrypted,
// and maps the library's failures to an *Error without quoting them (its
// messages can carry bytes of the file).
func openPDF(r io.ReaderAt, size int64) (*pdf.Reader, error) {
	var rd *pdf.Reader
	err := protect(func() error {
		var err error
		rd, err = pdf.NewReaderEncrypted(r, size, func() string { return "" })
		return err
	})
	if err == nil {
		return rd, nil
	}
	msg := strings.ToLower(err.Error())
	switch {
	case strings.Contains(msg, "encrypt") || strings.Contains(msg, "password") || tailHasEncrypt(r, size):
		return nil, Errorf(KindEncrypted, reasonEncrypted)
	case strings.Contains(msg, "invalid header"):
		return nil, Errorf(KindCorrupt, "PDF header not supported (PDF 2.0, or bytes before %%PDF)")
	case strings.Contains(msg, "%%eof"):
		return nil, Errorf(KindCorrupt, "PDF is truncated or has data after %%%%EOF")
	case strings.Contains(msg, "startxref"):
		return nil, Errorf(KindCorrupt, "PDF is truncated: no valid startxref")
	case strings.Contains(msg, "xref") || strings.Contains(msg, "cross-reference") || strings.Contains(msg, "trailer"):
		return nil, Errorf(KindCorrupt, "PDF cross-reference table is damaged")
	default:
		return nil, Errorf(KindCorrupt, "PDF structure is damaged")
	}
}

// pdfPages walks Root/Pages/Kids once, depth first, and returns the page
// dictionaries in document order. Reader.Page(i) would walk from the root for
// every page (quadratic) and loops forever on a cyclic tree; this detects
// cycles by object number, skips a page referenced twice (its text is read
// once) and caps depth, nodes and pages.
func pdfPages(rd *pdf.Reader, lim Limits) ([]pdf.Value, error) {
	var pages []pdf.Value
	w := pageWalk{lim: lim, seen: map[string]bool{}, onPath: map[string]bool{}, pages: &pages}
	err := protect(func() error {
		root := rd.Trailer().Key("Root")
		if root.Kind() != pdf.Dict {
			return Errorf(KindCorrupt, "PDF has no document catalog")
		}
		return w.node(root.Key("Pages"), "", 0)
	})
	if err != nil {
		if _, ok := err.(*Error); ok {
			return nil, err
		}
		return nil, Errorf(KindCorrupt, "PDF page tree could not be read")
	}
	if len(pages) == 0 {
		return nil, Errorf(KindCorrupt, "PDF has no pages")
	}
	return pages, nil
}

// pageWalk is the state of one walk of a page tree.
type pageWalk struct {
	lim    Limits
	seen   map[string]bool // object numbers of every node visited
	onPath map[string]bool // object numbers of the ancestors of the current node
	nodes  int
	pages  *[]pdf.Value
}

// node visits v, a page tree node whose object number is ref ("" when v is
// a direct object or its number is unknown), at the given depth.
func (w *pageWalk) node(v pdf.Value, ref string, depth int) error {
	if depth > pdfMaxTreeDepth {
		return Errorf(KindCorrupt, "PDF page tree is more than %d levels deep or has a cycle", pdfMaxTreeDepth)
	}
	w.nodes++
	if w.nodes > 4*w.lim.MaxPages+1024 {
		return Errorf(KindCorrupt, "PDF page tree has too many nodes")
	}
	if v.Kind() != pdf.Dict {
		return Errorf(KindCorrupt, "PDF page tree refers to a missing or broken object")
	}
	kids := v.Key("Kids")
	if kids.Kind() != pdf.Array {
		if v.Key("Type").Name() == "Pages" {
			return nil // an empty intermediate node
		}
		if len(*w.pages) >= w.lim.MaxPages {
			return Errorf(KindLimit, "more than %d pages (max pages)", w.lim.MaxPages)
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
				return Errorf(KindCorrupt, "PDF page tree has a cycle")
			}
			if w.seen[kref] {
				continue
			}
			w.seen[kref] = true
		}
		if err := w.node(kids.Index(i), kref, depth+1); err != nil {
			return err
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
	lim       Limits
	encrypted bool            // the file is encrypted and opened with the empty password
	readAny   bool            // some page gave text
	inflated  int64           // bytes inflated from streams so far
	checked   map[string]bool // ToUnicode CMaps already checked, shared by pages
	buf       []byte
}

// pageScan is what one page holds beside the text GetPlainText returns.
type pageScan struct {
	seen     map[string]bool // form XObjects already read for this page
	images   bool            // image XObjects or inline images
	unmapped bool            // a font whose codes the library does not map to Unicode
	forms    []string        // text of form XObjects
}

// page reads page n: its body text (content stream and form XObjects) and
// the text of its annotations and form fields. A page that cannot be read
// fails the whole file: the text on it could be the secret.
func (x *pdfRun) page(n int, v pdf.Value) (segs []Segment, review []string, err error) {
	var raw string
	var annots, fields []string
	var manyAnnots bool
	sc := &pageScan{seen: map[string]bool{}}
	err = protect(func() error {
		p := pdf.Page{V: v}
		inline, err := x.checkPage(p)
		if err != nil {
			return err
		}
		sc.images = inline
		raw, err = p.GetPlainText(nil)
		if err != nil {
			return err
		}
		res := p.Resources()
		sc.unmapped = unmappedFonts(res)
		if err := x.xobjects(res, 0, sc); err != nil {
			return err
		}
		av := v.Key("Annots")
		manyAnnots = av.Len() > pdfMaxAnnots
		annots, fields, err = x.annotations(av, sc)
		return err
	})
	if err != nil {
		e, ours := err.(*Error)
		if ours && (e.Kind == KindLimit || e.Kind == KindTimeout) {
			return nil, nil, err
		}
		// With the empty password accepted but nothing readable, the key is
		// wrong (RC4-40 files open, then every stream fails).
		if x.encrypted && !x.readAny {
			return nil, nil, Errorf(KindEncrypted, reasonEncrypted)
		}
		if ours {
			return nil, nil, Errorf(KindCorrupt, "page %d could not be read: %s", n, e.Reason)
		}
		return nil, nil, Errorf(KindCorrupt, "page %d could not be read: %s", n, pageFailure(err))
	}
	text := cleanPDFText(strings.Join(append([]string{raw}, sc.forms...), "\n"))
	segs = append(segs, Segment{Part: PartBody, Page: n, Text: text})
	if t := cleanPDFText(strings.Join(annots, "\n")); t != "" {
		segs = append(segs, Segment{Part: PartAnnotation, Page: n, Text: t})
	}
	if t := cleanPDFText(strings.Join(fields, "\n")); t != "" {
		segs = append(segs, Segment{Part: PartForm, Page: n, Text: t})
	}
	if manyAnnots {
		review = append(review, fmt.Sprintf("page %d has more than %d annotations: the rest were not read", n, pdfMaxAnnots))
	}
	if strings.TrimSpace(text) == "" && sc.images {
		review = append(review, fmt.Sprintf("page %d has images but no text layer", n))
	}
	if unmappedGlyphs(text) || sc.unmapped && strings.TrimSpace(text) != "" {
		review = append(review, fmt.Sprintf("page %d: glyphs without Unicode mapping", n))
	}
	return segs, review, nil
}

// unmappedFonts reports whether res has a composite (Type0) font whose codes
// the library passes through undecoded: it decodes only Identity-H and
// UniGB-UCS2-H; Identity-V, UniGB-UTF16-H, GBK-EUC-H and embedded CMaps
// come out as raw bytes, which can look like plain ASCII. (Identity-H
// without ToUnicode gives glyph codes too, but one-byte fonts read right;
// unmappedGlyphs catches the rest.)
func unmappedFonts(res pdf.Value) bool {
	fonts := res.Key("Font")
	for _, name := range fonts.Keys() {
		f := fonts.Key(name)
		if f.Key("Subtype").Name() != "Type0" {
			continue
		}
		if enc := f.Key("Encoding").Name(); enc != "Identity-H" && enc != "UniGB-UCS2-H" {
			return true
		}
	}
	return false
}

// annotations reads the annotations of a page: the /Contents of each and the
// text of its appearance stream (a stamp shows its marking only there), and
// for form fields (widgets) the value and appearance.
func (x *pdfRun) annotations(annots pdf.Value, sc *pageScan) (texts, fields []string, err error) {
	for i := 0; i < min(annots.Len(), pdfMaxAnnots); i++ {
		if x.ctx.Err() != nil {
			return nil, nil, Errorf(KindTimeout, "timed out reading annotations")
		}
		a := annots.Index(i)
		var parts []string
		if a.Key("Subtype").Name() == "Widget" {
			parts = append(parts, a.Key("V").Text())
		} else {
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
			if s.Kind() != pdf.Stream || sc.seen[s.String()] {
				continue
			}
			sc.seen[s.String()] = true
			t, err := x.formText(s, sc)
			if err != nil {
				return nil, nil, err
			}
			if cleanPDFText(t) != cleanPDFText(parts[0]) {
				parts = append(parts, t)
			}
			sub := &pageScan{seen: sc.seen}
			if err := x.xobjects(s.Key("Resources"), 1, sub); err != nil {
				return nil, nil, err
			}
			parts = append(parts, sub.forms...)
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

// checkPage checks, before GetPlainText, what would make the library loop
// forever or inflate without bound on this page: a /Parent chain that never
// ends (Resources are inherited through it), a content stream or ToUnicode
// CMap ending inside a hex string, streams inflating past MaxInflated. It
// reports whether the content has inline images.
func (x *pdfRun) checkPage(p pdf.Page) (inlineImage bool, err error) {
	// Mirror the library's findInherited: it stops at the first node with
	// /Resources or at a null /Parent.
	v := p.V
	for i := 0; !v.IsNull() && v.Key("Resources").IsNull(); i++ {
		if i > pdfMaxTreeDepth {
			return false, Errorf(KindCorrupt, "page /Parent chain loops")
		}
		v = v.Key("Parent")
	}
	contents := p.V.Key("Contents")
	var scan streamScan
	switch contents.Kind() {
	case pdf.Stream:
		if err := x.inflate(contents, &scan); err != nil {
			return false, err
		}
	case pdf.Array:
		for i := 0; i < contents.Len(); i++ {
			if err := x.inflate(contents.Index(i), &scan); err != nil {
				return false, err
			}
		}
	}
	if scan.hexOpen() {
		return false, errHexHang
	}
	return scan.inlineImage, x.checkFonts(p.Resources())
}

// checkFonts checks the ToUnicode CMap of every font in res, once per file.
func (x *pdfRun) checkFonts(res pdf.Value) error {
	fonts := res.Key("Font")
	for _, name := range fonts.Keys() {
		tu := fonts.Key(name).Key("ToUnicode")
		if tu.Kind() != pdf.Stream {
			continue
		}
		key := tu.String()
		if x.checked[key] {
			continue
		}
		x.checked[key] = true
		var scan streamScan
		if err := x.inflate(tu, &scan); err != nil {
			return err
		}
		if scan.hexOpen() {
			return errHexHang
		}
	}
	return nil
}

// errHexHang is the failure for a stream the library would read forever.
var errHexHang = fmt.Errorf("stream ends inside a hex string")

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
		if x.inflated > x.lim.MaxInflated {
			return Errorf(KindLimit, "streams inflate to more than %d bytes (max inflated)", x.lim.MaxInflated)
		}
		scan.feed(x.buf[:n])
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("damaged compressed stream")
		}
	}
}

// streamScan watches the bytes of a content stream for two things:
//   - whether they end inside a hex string: after an odd run of '<' (an
//     even run is "<<" dictionaries), only hex digits and white space. The
//     library's lexer never leaves such a string: past the end of a stream it
//     reads newlines forever;
//   - whether an inline image starts (the BI operator).
type streamScan struct {
	prev        byte // the byte before
	last        byte // last byte that is neither a hex digit nor white space
	ltRun       int  // length of the run of adjacent '<' ending at last
	word        [3]byte
	wordLen     int // letters in the current run of letters, up to 3
	inlineImage bool
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
			if t.wordLen == 2 && t.word[0] == 'B' && t.word[1] == 'I' {
				t.inlineImage = true
			}
			t.wordLen = 0
		}
		switch {
		case isHexDigit(c) || c == 0 || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' ':
		case c == '<':
			if t.prev == '<' {
				t.ltRun++
			} else {
				t.ltRun = 1
			}
			t.last = c
		default:
			t.last, t.ltRun = c, 0
		}
		t.prev = c
	}
}

// hexOpen reports whether the bytes fed so far end inside a hex string.
func (t *streamScan) hexOpen() bool { return t.last == '<' && t.ltRun%2 == 1 }

func isHexDigit(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// xobjects looks through the XObjects of res, recording in sc whether there
// is an image (directly or inside a form) and the text of each form XObject,
// which GetPlainText never reads ("Do" is ignored) although watermarks and
// stamped markings often live there. A form drawn twice, or drawing itself,
// is read once.
func (x *pdfRun) xobjects(res pdf.Value, depth int, sc *pageScan) error {
	xo := res.Key("XObject")
	for _, name := range xo.Keys() {
		if x.ctx.Err() != nil {
			return Errorf(KindTimeout, "timed out reading form XObjects")
		}
		v := xo.Key(name)
		switch v.Key("Subtype").Name() {
		case "Image":
			sc.images = true
		case "Form":
			key := v.String()
			if sc.seen[key] {
				continue
			}
			sc.seen[key] = true
			if depth >= pdfMaxFormDepth {
				return Errorf(KindCorrupt, "form XObjects nested more than %d deep", pdfMaxFormDepth)
			}
			text, err := x.formText(v, sc)
			if err != nil {
				return err
			}
			if strings.TrimSpace(text) != "" {
				sc.forms = append(sc.forms, text)
			}
			if err := x.xobjects(v.Key("Resources"), depth+1, sc); err != nil {
				return err
			}
		}
	}
	return nil
}

// formText reads the text of a form XObject the way Page.GetPlainText reads
// a page: a newline at each text object and line move, strings decoded with
// the font selected by Tf from the form's own resources.
func (x *pdfRun) formText(form pdf.Value, sc *pageScan) (string, error) {
	var scan streamScan
	if err := x.inflate(form, &scan); err != nil {
		return "", err
	}
	if scan.hexOpen() {
		return "", errHexHang
	}
	sc.images = sc.images || scan.inlineImage
	res := form.Key("Resources")
	if err := x.checkFonts(res); err != nil {
		return "", err
	}
	sc.unmapped = sc.unmapped || unmappedFonts(res)
	fontDict := res.Key("Font")
	fonts := map[string]*pdf.Font{}
	for _, name := range fontDict.Keys() {
		fonts[name] = &pdf.Font{V: fontDict.Key(name)}
	}
	var b strings.Builder
	var enc pdf.TextEncoding
	show := func(v pdf.Value) {
		if v.Kind() != pdf.String {
			return
		}
		if enc == nil {
			b.WriteString(v.RawString())
			return
		}
		b.WriteString(enc.Decode(v.RawString()))
	}
	pdf.Interpret(form, func(stk *pdf.Stack, op string) {
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "BT", "T*":
			b.WriteByte('\n')
		case "Tf":
			enc = nil
			if len(args) == 2 {
				if f, ok := fonts[args[0].Name()]; ok {
					enc = f.Encoder()
				}
			}
		case "Tj", "'", "\"":
			if len(args) > 0 {
				show(args[len(args)-1])
			}
		case "TJ":
			if len(args) > 0 {
				for i := 0; i < args[0].Len(); i++ {
					show(args[0].Index(i))
				}
			}
		}
	})
	return b.String(), nil
}

// pageFailure describes why a page could not be read without quoting the
// library's message, which can carry bytes of the file.
func pageFailure(err error) string {
	msg := strings.ToLower(err.Error())
	switch {
	case err == errHexHang:
		return "a stream ends inside a hex string"
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
	return strings.Contains(string(buf[:k]), "/Encrypt")
}
