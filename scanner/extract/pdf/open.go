package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/text/unicode/norm"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/pdfsyntax"
)

// pdfRepairMaxSize is the largest file baomi repairs or decrypts: pdfcpu
// holds the whole object graph in memory, and the rewritten copy too.
const pdfRepairMaxSize = 256 << 20

// extractPDF reads a PDF, opening what the parser alone cannot. It reads
// the file through a pdfView that fixes, without copying, what costs
// nothing to fix (bytes before %PDF, a PDF 2.0 header, junk after %%EOF, a
// missing final %%EOF). An encrypted file is decrypted by pdfcpu, with the
// empty user password and then opt.Passwords, into a plain copy in memory
// that the parser reads; the parser's own decryption is the fallback, for
// files pdfcpu cannot read. An unencrypted file the parser rejects as
// corrupt is rewritten by pdfcpu, which rebuilds a broken cross-reference
// table by scanning for objects, and read again; so is a file whose
// streams were read only in part, the copy being kept when it reads more.
func extractPDF(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	opt = opt.WithDefaults()
	v, err := newPDFView(r, size)
	if err != nil {
		return nil, err
	}
	doc, err := readView(ctx, v, opt)
	if err == nil {
		trailing(doc, r, v.after, size, v.noEOF)
	}
	return doc, err
}

// readView reads the PDF v shows, repairing or decrypting it as it needs.
func readView(ctx context.Context, v *pdfView, opt extract.Options) (*extract.Document, error) {
	n := v.Size()
	if !pdfMaybeEncrypted(v, n) {
		doc, err := readPDF(ctx, v, n, opt)
		if !v.complete || err == nil && pdfDamage(doc) == 0 || err != nil && extract.KindOf(err) != extract.KindCorrupt {
			return doc, err
		}
		// Damaged streams or a table the parser rejects: wrong offsets or
		// lengths look the same, and a repaired copy may read more.
		doc2, err2 := readRewritten(ctx, v, n, opt)
		if k := extract.KindOf(err2); err2 != nil && (k == extract.KindLimit || k == extract.KindTimeout) {
			return nil, err2
		}
		if err2 != nil {
			// pdfcpu trusts the table where it parses: scan the objects.
			if fixed := rebuildXref(v, n); fixed != nil {
				doc2, err2 = readPDF(ctx, bytes.NewReader(fixed), int64(len(fixed)), opt)
			}
		}
		if err2 == nil && (err != nil || pdfDamage(doc2) < pdfDamage(doc)) {
			return repaired(doc2), nil
		}
		return doc, err // when both fail, the parser's diagnosis says more
	}
	doc, err := readRewritten(ctx, v, n, opt)
	if err == nil && pdfDamage(doc) == 0 {
		return doc, nil
	}
	if k := extract.KindOf(err); err != nil && (k == extract.KindEncrypted || k == extract.KindLimit || k == extract.KindTimeout) {
		return nil, err
	}
	// pdfcpu trusts a damaged table where it parses and then reads some
	// objects before it knows the key: scan the objects and try again.
	if fixed := rebuildXref(v, n); fixed != nil {
		doc2, err2 := readRewritten(ctx, bytes.NewReader(fixed), int64(len(fixed)), opt)
		if err2 == nil && (err != nil || pdfDamage(doc2) < pdfDamage(doc)) {
			return repaired(doc2), nil
		}
		if k := extract.KindOf(err2); err2 != nil && (k == extract.KindLimit || k == extract.KindTimeout) {
			return nil, err2
		}
	}
	if err == nil {
		return doc, nil
	}
	// pdfcpu could not read the file: try the parser's own decryption. It
	// opens RC4-40 with a wrong key, but then no stream decrypts and the
	// file is KindEncrypted (see pdfRun.page and readPDF).
	return readPDF(ctx, v, n, opt, opt.Passwords...)
}

// reasonReadInPart is in the Review notes of a page tree, streams and font
// maps that were read only in part (pdf.go): pdfDamage counts them.
const reasonReadInPart = "read in part"

// pdfDamage is the number of doc's Review notes saying that the page
// tree, streams or font maps were read only in part: a repaired copy that
// has fewer reads more of the file (wrong offsets and lengths look like
// damaged data).
func pdfDamage(doc *extract.Document) int {
	n := 0
	for _, r := range doc.Review {
		if strings.Contains(r, reasonReadInPart) {
			n++
		}
	}
	return n
}

// repaired marks a document read from a rebuilt copy of a damaged file:
// objects the repair could not find are missing without a trace, so the
// file is never called clean (DESIGN.md, promise 1).
func repaired(doc *extract.Document) *extract.Document {
	doc.Review = append(doc.Review, "the PDF is damaged and was repaired to be read: text may be missing")
	return doc
}

// pdfMaybeEncrypted reports whether the file names an /Encrypt dictionary
// in its first or last 64 KiB (a linearized file has its first trailer at
// the start). A false positive costs a pdfcpu pass that finds no encryption.
func pdfMaybeEncrypted(r io.ReaderAt, size int64) bool {
	const n = 64 << 10
	buf := make([]byte, min(n, size))
	k, _ := r.ReadAt(buf, 0)
	return bytes.Contains(buf[:k], []byte("/Encrypt")) || tailHasEncrypt(r, size)
}

// readRewritten has pdfcpu read the file, decrypting it with the first
// password that opens it (the empty one, then opt.Passwords), write a
// plain copy with a rebuilt cross-reference table in memory, and reads the
// copy with the parser. Each password is tried first as SASLprep makes it,
// as AES-256 (R5/R6) wants it (pdfcpu's PRECIS preparation refuses some
// characters SASLprep maps), then as given. A file whose last trailer holds its /Encrypt
// dictionary directly, or one pdfcpu misreads, is first shown to pdfcpu as
// fixEncrypt makes it.
func readRewritten(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	if size > pdfRepairMaxSize {
		return nil, extract.Errorf(extract.KindLimit, "PDF of %d bytes is too large to repair or decrypt (at most %d)", size, pdfRepairMaxSize)
	}
	if fixed := fixEncrypt(r, size); fixed != nil {
		r, size = bytes.NewReader(fixed), int64(len(fixed))
	}
	tried := map[string]bool{}
	candidates := []string{""}
	for _, pw := range opt.Passwords {
		candidates = append(candidates, saslPrep(pw), pw)
	}
	for _, pw := range candidates {
		if tried[pw] {
			continue
		}
		tried[pw] = true
		out, err := pdfRewrite(ctx, r, size, pw, opt.MaxInflated)
		if err == errShortAES {
			if fixed := blankShortAES(r, size); fixed != nil {
				r, size = bytes.NewReader(fixed), int64(len(fixed))
				out, err = pdfRewrite(ctx, r, size, pw, opt.MaxInflated)
			}
			if err == errShortAES {
				err = extract.Errorf(extract.KindCorrupt, "PDF could not be repaired")
			}
		}
		if errors.Is(err, pdfcpu.ErrWrongPassword) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return readPDF(ctx, bytes.NewReader(out), int64(len(out)), opt)
	}
	return nil, extract.Errorf(extract.KindEncrypted, reasonEncrypted)
}

// disablePDFCPUConfig stops pdfcpu from creating a configuration folder in
// the user's home on first use.
var disablePDFCPUConfig sync.Once

// pdfRewrite has pdfcpu read the file with password pw (as user and as
// owner password), rebuilding a broken cross-reference table and
// decrypting every string and stream, and writes the objects back
// unencrypted (writePlainPDF). The copy may be at most maxOut bytes.
// pdfcpu.ErrWrongPassword and errShortAES come back as they are; other
// failures as an *Error.
func pdfRewrite(ctx context.Context, r io.ReaderAt, size int64, pw string, maxOut int64) (out []byte, err error) {
	disablePDFCPUConfig.Do(func() { model.ConfigPath = "disable" })
	conf := model.NewDefaultConfiguration()
	// VALIDATE needs no permission bits: baomi must read the text of a
	// file whose owner forbade copying it.
	conf.Cmd = model.VALIDATE
	conf.UserPW, conf.OwnerPW = pw, pw
	conf.ValidationMode = model.ValidationRelaxed
	conf.Offline = true
	w := &limitedBuffer{max: maxOut}
	err = protect(func() error {
		pc, err := pdfcpu.ReadWithContext(ctx, io.NewSectionReader(r, 0, size), conf)
		if err != nil {
			return err
		}
		if pc.Encrypt == nil && pdfMaybeEncrypted(r, size) {
			// pdfcpu ignores an /Encrypt dictionary written directly in
			// the trailer: the copy would be ciphertext.
			return errDirectEncrypt
		}
		return writePlainPDF(ctx, pc, w)
	})
	switch {
	case err == nil:
		return w.buf.Bytes(), nil
	case errors.Is(err, pdfcpu.ErrWrongPassword):
		return nil, err
	case strings.Contains(err.Error(), "ciphertext too short"):
		// An AES stream of an IV and no data: see blankShortAES.
		return nil, errShortAES
	case strings.Contains(err.Error(), "precis:"):
		// pdfcpu prepares AES-256 passwords with PRECIS, which refuses
		// some characters (a soft hyphen): this password cannot open it.
		return nil, pdfcpu.ErrWrongPassword
	case w.over:
		return nil, extract.Errorf(extract.KindLimit, "repaired PDF is larger than %d bytes (max inflated)", maxOut)
	case ctx.Err() != nil:
		return nil, extract.Errorf(extract.KindTimeout, "timed out repairing or decrypting the PDF")
	case err == errDirectEncrypt:
		return nil, extract.Errorf(extract.KindUnsupported, "encrypted PDF: encryption dictionary pdfcpu cannot read")
	case errors.Is(err, pdfcpu.ErrUnsupportedEncryptionFeature):
		return nil, extract.Errorf(extract.KindEncrypted, "encrypted PDF: unsupported encryption")
	default:
		// pdfcpu's messages can quote bytes of the file.
		return nil, extract.Errorf(extract.KindCorrupt, "PDF could not be repaired")
	}
}

// writePlainPDF writes every object pdfcpu read as a plain object (object
// streams and cross-reference streams are left out: pdfcpu has read their
// objects out of them, and the parser re-inflates an object stream for
// every object it resolves), then a classic cross-reference table and a
// trailer without /Encrypt. pdfcpu's own writer is not used: it writes what
// it reaches from the catalog by its own rules and leaves out objects
// (fonts) that baomi needs. An object pdfcpu could not load fails the
// copy: reading the file without it could silently miss text. Strings and
// streams the file leaves unencrypted are restored (identityUndo).
func writePlainPDF(ctx context.Context, pc *model.Context, w *limitedBuffer) error {
	if pc.Root == nil {
		return errors.New("no catalog")
	}
	offs := make([]int64, pc.MaxObjNr+1)
	gens := make([]int, pc.MaxObjNr+1)
	undo := identityUndo(pc)
	w.WriteString("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
	for n := 1; n <= pc.MaxObjNr; n++ {
		if n%1024 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		e := pc.Table[n]
		if e == nil || e.Free {
			continue
		}
		if e.Generation != nil && *e.Generation > 0 && *e.Generation < 65535 {
			gens[n] = *e.Generation
		}
		o, err := pc.DereferenceForWrite(*types.NewIndirectRef(n, gens[n]))
		if err != nil {
			return err
		}
		if o == nil {
			continue
		}
		if undo != nil && !e.Compressed && (pc.Encrypt == nil || n != pc.Encrypt.ObjectNumber.Value()) {
			// Objects of object streams have no encryption of their own.
			o = undo(n, gens[n], o)
		}
		offs[n] = int64(w.buf.Len())
		if sd, ok := o.(types.StreamDict); ok {
			if t := sd.Type(); t != nil && (*t == "XRef" || *t == "ObjStm") {
				offs[n] = 0
				continue
			}
			d := sd.Dict.Clone().(types.Dict)
			d.Update("Length", types.Integer(len(sd.Raw)))
			fmt.Fprintf(w, "%d %d obj\n%s\nstream\n", n, gens[n], d.PDFString())
			w.Write(sd.Raw)
			w.WriteString("\nendstream\nendobj\n")
		} else {
			fmt.Fprintf(w, "%d %d obj\n%s\nendobj\n", n, gens[n], o.PDFString())
		}
		if w.over {
			return errTooLarge
		}
	}
	xref := w.buf.Len()
	fmt.Fprintf(w, "xref\n0 %d\n0000000000 65535 f \n", pc.MaxObjNr+1)
	for n := 1; n <= pc.MaxObjNr; n++ {
		if offs[n] == 0 {
			w.WriteString("0000000000 65535 f \n")
		} else {
			fmt.Fprintf(w, "%010d %05d n \n", offs[n], gens[n])
		}
	}
	trailer := types.Dict{"Size": types.Integer(pc.MaxObjNr + 1), "Root": *pc.Root}
	if pc.Info != nil {
		trailer["Info"] = *pc.Info
	}
	fmt.Fprintf(w, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer.PDFString(), xref)
	if w.over {
		return errTooLarge
	}
	return nil
}

// limitedBuffer is an in-memory writer that fails past max bytes.
type limitedBuffer struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

// Failures of pdfRewrite before it maps them to an *Error.
var (
	errTooLarge      = errors.New("output too large")
	errDirectEncrypt = errors.New("direct encryption dictionary")
	errShortAES      = errors.New("AES stream too short")
)

// WriteString writes s; a write past max is noted in over.
func (l *limitedBuffer) WriteString(s string) {
	l.Write([]byte(s))
}

func (l *limitedBuffer) Write(p []byte) (int, error) {
	if int64(l.buf.Len()+len(p)) > l.max {
		l.over = true
		return 0, errTooLarge
	}
	return l.buf.Write(p)
}

// pdfView is what the parser reads of a file: the bytes from start to end,
// with the first len(head) bytes replaced by head and tail appended.
type pdfView struct {
	r          io.ReaderAt
	start, end int64
	head, tail []byte
	// complete is false when the file has no %%EOF at all: it was cut
	// short, and a repair would silently read part of it.
	complete bool
	// after is where bytes other than white space follow the end of the
	// last revision (its %%EOF, or its startxref when the marker is
	// missing, noEOF), 0 when none do: no viewer shows them (see trailing).
	after int64
	noEOF bool
}

// newPDFView finds the cheap fixes a file needs: where %PDF starts (in the
// first KiB, as readers look for it), a header version the parser accepts,
// and where the last revision ends. It fails for a file whose last
// revision was cut short after an earlier %%EOF: reading up to that %%EOF
// would silently drop the update.
func newPDFView(r io.ReaderAt, size int64) (*pdfView, error) {
	v := &pdfView{r: r, end: size}
	first := make([]byte, min(1024, size))
	k, _ := r.ReadAt(first, 0)
	first = first[:k]
	if i := bytes.Index(first, []byte("%PDF-")); i >= 0 {
		v.start = int64(i)
		v.head = headerPatch(first[i:])
	}
	eof := pdfsyntax.LastIndexAt(r, v.start, size, pdfsyntax.EOFMarker)
	if eof < 0 {
		// No %%EOF at all: cut short, unless only the marker is missing
		// after a complete startxref.
		if at := startxrefEnd(r, max(v.start, size-1024), size); at >= 0 {
			v.tail, v.complete = []byte("\n%%EOF\n"), true
			if hasText(r, at, size) {
				v.end, v.after, v.noEOF = at, at, true
			}
		}
		return v, nil
	}
	v.complete = true
	after := eof + int64(len(pdfsyntax.EOFMarker))
	rest := make([]byte, size-after)
	k, _ = r.ReadAt(rest, after)
	rest = rest[:k]
	switch {
	case len(bytes.Trim(rest, " \t\r\n\f\x00")) == 0:
		// Nothing after the marker but white space.
	case bytes.Contains(rest, []byte("startxref")):
		v.tail = []byte("\n%%EOF\n") // an update without its final marker
	case bytes.Contains(rest, []byte("endobj")) || bytes.Contains(rest, []byte("xref")):
		return nil, extract.Errorf(extract.KindCorrupt, "PDF is truncated: its last update is incomplete")
	default:
		v.end, v.after = after, after // junk after %%EOF
	}
	return v, nil
}

// headerPatch returns the header to show the parser in place of h's first
// bytes, or nil when h's header is one it accepts: exactly %PDF-1.0 to
// %PDF-1.7 and an end of line. Other versions (2.0) and other bytes after
// the version become %PDF-1.7 and a newline, of the same length, so that
// no offset moves.
func headerPatch(h []byte) []byte {
	if len(h) < 9 || h[6] != '.' || h[5] < '0' || h[5] > '9' || h[7] < '0' || h[7] > '9' {
		return nil
	}
	if h[5] == '1' && h[7] <= '7' && (h[8] == '\r' || h[8] == '\n') {
		return nil
	}
	p := []byte("%PDF-1.7\n")
	if h[8] == '\r' || h[8] == '\n' {
		p[8] = h[8]
	}
	return p
}

// startxrefEnd returns where the last startxref between from and to ends,
// its offset's line included; -1 when there is none.
func startxrefEnd(r io.ReaderAt, from, to int64) int64 {
	buf := make([]byte, to-from)
	k, _ := r.ReadAt(buf, from)
	buf = buf[:k]
	i := bytes.LastIndex(buf, []byte("startxref"))
	if i < 0 {
		return -1
	}
	j := i + len("startxref")
	for j < len(buf) && strings.IndexByte(" \t\r\n\f", buf[j]) >= 0 {
		j++
	}
	for j < len(buf) && buf[j] >= '0' && buf[j] <= '9' {
		j++
	}
	return from + int64(j)
}

// hasText reports whether bytes other than white space and NULs lie
// between from and to.
func hasText(r io.ReaderAt, from, to int64) bool {
	buf := make([]byte, min(to-from, 1<<16))
	k, _ := r.ReadAt(buf, from)
	return len(bytes.Trim(buf[:k], " \t\r\n\f\x00")) > 0
}

// maxTrailing bounds the data after a PDF's end that is read as text.
const maxTrailing = 16 << 20

// trailing reads the data after the end of a PDF (v.after): no viewer shows
// it, but it is still in the file, and an editor shows it. Text (UTF-8,
// UTF-16 or GB18030) after a startxref with no %%EOF is read as hidden
// text; after a %%EOF the file's text reading reads it (extract's sniffing
// finds it), as the file's zip reading reads a zip appended; anything else,
// or more than maxTrailing bytes, leaves the file review.
func trailing(doc *extract.Document, r io.ReaderAt, from, size int64, noEOF bool) {
	if from <= 0 || from >= size {
		return
	}
	if size-from > maxTrailing {
		doc.Review = append(doc.Review, "the PDF has more data after its end than baomi reads: not read")
		return
	}
	buf := make([]byte, size-from)
	k, _ := r.ReadAt(buf, from)
	data := bytes.Trim(buf[:k], " \t\r\n\f\x00")
	if len(data) == 0 || bytes.Contains(data, []byte("PK\x05\x06")) {
		return // nothing, or the end of a zip: the file's zip reading reads it
	}
	if text, ok := extract.DecodeText(data); ok && strings.ContainsFunc(text, unicode.IsLetter) {
		if noEOF {
			doc.Segments = append(doc.Segments, extract.Segment{Part: extract.PartHidden, Text: text})
		}
		return
	}
	doc.Review = append(doc.Review, "the PDF has data after its end that is not text: not read")
}

// Size is the number of bytes the parser sees.
func (v *pdfView) Size() int64 { return v.end - v.start + int64(len(v.tail)) }

// ReadAt reads the view: the file's window, then the tail, with the head
// laid over the first bytes.
func (v *pdfView) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("negative offset")
	}
	body := v.end - v.start
	n := 0
	if off < body {
		k, err := v.r.ReadAt(p[:min(int64(len(p)), body-off)], v.start+off)
		n = k
		if err != nil && err != io.EOF {
			return n, err
		}
		if k < len(p) && off+int64(k) < body {
			return n, io.EOF
		}
	}
	if n < len(p) {
		if t := off + int64(n) - body; t >= 0 && t < int64(len(v.tail)) {
			n += copy(p[n:], v.tail[t:])
		}
	}
	if off < int64(len(v.head)) {
		copy(p[:n], v.head[off:])
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// pdfRootRef and pdfCatalog find the catalog: the trailer's /Root, or else
// the last object whose dictionary says /Type /Catalog.
var (
	pdfRootRef    = regexp.MustCompile(`/Root[ \t\r\n]+(\d+)[ \t\r\n]+(\d+)[ \t\r\n]+R`)
	pdfEncryptRef = regexp.MustCompile(`/Encrypt[ \t\r\n]+\d+[ \t\r\n]+\d+[ \t\r\n]+R`)
	pdfHexID      = regexp.MustCompile(`/ID[ \t\r\n]*\[[ \t\r\n]*<[0-9A-Fa-f \t\r\n]*>[ \t\r\n]*<[0-9A-Fa-f \t\r\n]*>[ \t\r\n]*\]`)
	pdfCatalog    = regexp.MustCompile(`(?m)(?:^|\r)[ \t]*(\d{1,8})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj[ \t\r\n]*<<[^>]{0,300}?/Type[ \t\r\n]*/Catalog\b`)
)

// rebuildXref copies the file (at most pdfRepairMaxSize bytes) and appends
// a cross-reference table built by scanning for "N G obj" (the last
// definition of a number wins, as in an update) and a trailer naming the
// catalog, and the file's /Encrypt and /ID if it has them. It returns nil when it finds no objects or no catalog.
func rebuildXref(r io.ReaderAt, size int64) []byte {
	if size > pdfRepairMaxSize {
		return nil
	}
	data := make([]byte, size, size+size/8+1024)
	if k, _ := r.ReadAt(data, 0); int64(k) != size {
		return nil
	}
	type entry struct {
		off int64
		gen int
	}
	objs := map[int]entry{}
	maxN := 0
	for _, m := range pdfsyntax.ObjHeader.FindAllSubmatchIndex(data, -1) {
		n, _ := strconv.Atoi(string(data[m[2]:m[3]]))
		g, _ := strconv.Atoi(string(data[m[4]:m[5]]))
		if n > 0 && n <= 1<<23 {
			objs[n] = entry{int64(m[2]), g}
			maxN = max(maxN, n)
		}
	}
	root := pdfRootRef.FindAllSubmatch(data, -1)
	if len(root) == 0 {
		root = pdfCatalog.FindAllSubmatch(data, -1)
	}
	if len(objs) == 0 || len(root) == 0 {
		return nil
	}
	last := root[len(root)-1]
	xref := len(data)
	var b bytes.Buffer
	fmt.Fprintf(&b, "\nxref\n0 %d\n0000000000 65535 f \n", maxN+1)
	for n := 1; n <= maxN; n++ {
		if e, ok := objs[n]; ok {
			fmt.Fprintf(&b, "%010d %05d n \n", e.off, e.gen)
		} else {
			b.WriteString("0000000000 65535 f \n")
		}
	}
	// An encrypted file keeps its key: the last /Encrypt and /ID.
	var keep []byte
	for _, re := range []*regexp.Regexp{pdfEncryptRef, pdfHexID} {
		if m := re.FindAll(data, -1); len(m) > 0 {
			keep = append(append(keep, ' '), m[len(m)-1]...)
		}
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root %s %s R%s >>\nstartxref\n%d\n%%%%EOF\n", maxN+1, last[1], last[2], keep, xref+1)
	return append(data, b.Bytes()...)
}

// fixEncrypt returns a copy of the file with an update appended that shows
// pdfcpu the encryption dictionary of the last trailer (a classic one, or
// a cross-reference stream's) as it can read it (normalizeEncrypt), or nil
// when it needs no fixing. pdfcpu only honours an indirect
// /Encrypt (the specification allows a direct one, and pdfminer's test
// files have it) and would read such a file as plain ciphertext; it
// rejects crypt filters given as indirect objects or left out of a V5
// dictionary, and reads a V4 dictionary without /Length as 40-bit although
// its crypt filter says 128. The update holds the fixed dictionary (a
// direct one as object /Size), a classic cross-reference section for it
// and a copy of the trailer that refers to it, with /Prev to the file's
// last section.
func fixEncrypt(r io.ReaderAt, size int64) []byte {
	if size > pdfRepairMaxSize {
		return nil
	}
	const n = 64 << 10
	off := max(size-n, 0)
	tail := make([]byte, size-off)
	k, _ := r.ReadAt(tail, off)
	tail = tail[:k]
	sx := bytes.LastIndex(tail, []byte("startxref"))
	if sx < 0 {
		return nil
	}
	f := bytes.Fields(tail[sx+len("startxref"):])
	if len(f) == 0 {
		return nil
	}
	prev, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil || prev <= 0 || prev >= size {
		return nil
	}
	trailer := lastTrailer(r, size, tail, sx, prev)
	if trailer == nil {
		return nil
	}
	sz := trailer.IntEntry("Size")
	if sz == nil || *sz <= 0 || *sz >= 1<<23 {
		return nil
	}
	// The file is read whole only when an object must be looked up or
	// the update written.
	var data []byte
	load := func() bool {
		if data == nil {
			data = make([]byte, size, size+4096)
			if k, _ := r.ReadAt(data, 0); int64(k) != size {
				data = data[:0]
			}
		}
		return int64(len(data)) == size
	}
	resolve := func(o types.Object) types.Object {
		ref, ok := o.(types.IndirectRef)
		if !ok {
			return o
		}
		if !load() {
			return nil
		}
		return pdfObjectAt(data, ref.ObjectNumber.Value(), ref.GenerationNumber.Value())
	}
	num, gen := *sz, 0
	enc, direct := trailer["Encrypt"].(types.Dict)
	if ref, ok := trailer["Encrypt"].(types.IndirectRef); ok {
		enc, _ = resolve(ref).(types.Dict)
		num, gen = ref.ObjectNumber.Value(), ref.GenerationNumber.Value()
	}
	if enc == nil {
		return nil
	}
	var changed bool
	if protect(func() error { changed = normalizeEncrypt(enc, resolve); return nil }) != nil || !direct && !changed {
		return nil
	}
	if !load() {
		return nil
	}
	obj := len(data) + 1
	trailer["Encrypt"] = *types.NewIndirectRef(num, gen)
	trailer["Size"] = types.Integer(max(*sz, num+1))
	trailer["Prev"] = types.Integer(prev)
	var b bytes.Buffer
	fmt.Fprintf(&b, "\n%d %d obj\n%s\nendobj\n", num, gen, enc.PDFString())
	xref := len(data) + b.Len()
	fmt.Fprintf(&b, "xref\n%d 1\n%010d %05d n \ntrailer\n%s\nstartxref\n%d\n%%%%EOF\n", num, obj, gen, trailer.PDFString(), xref)
	return append(data, b.Bytes()...)
}

// lastTrailer returns the trailer dictionary of the file's last
// cross-reference section, which startxref (at sx in tail, the file's end)
// puts at offset prev: a classic trailer, or the entries of a
// cross-reference stream's dictionary that a trailer holds. It returns nil
// when it cannot parse it.
func lastTrailer(r io.ReaderAt, size int64, tail []byte, sx int, prev int64) types.Dict {
	head := make([]byte, min(4096, size-prev))
	k, _ := r.ReadAt(head, prev)
	head = head[:k]
	var text string
	keep := func(d types.Dict) types.Dict { return d }
	if bytes.HasPrefix(bytes.TrimLeft(head, " \t\r\n"), []byte("xref")) {
		i := bytes.LastIndex(tail[:sx], []byte("trailer"))
		if i < 0 {
			return nil
		}
		text = string(tail[i+len("trailer") : sx])
	} else {
		// A cross-reference stream: its dictionary, from "<<" to "stream".
		start, end := bytes.Index(head, []byte("<<")), bytes.Index(head, []byte("stream"))
		if start < 0 || end < start {
			return nil
		}
		text = string(head[start:end])
		keep = func(d types.Dict) types.Dict {
			if t := d.Type(); t == nil || *t != "XRef" {
				return nil
			}
			out := types.Dict{}
			for _, k := range []string{"Size", "Root", "Info", "ID", "Encrypt"} {
				if v, ok := d[k]; ok {
					out[k] = v
				}
			}
			return out
		}
	}
	var trailer types.Dict
	if protect(func() error {
		o, err := model.ParseObject(&text)
		trailer, _ = o.(types.Dict)
		return err
	}) != nil || trailer == nil {
		return nil
	}
	return keep(trailer)
}

// normalizeEncrypt makes an encryption dictionary one pdfcpu reads as
// other readers do: a V2 key length written in bytes (5 to 16, where bits
// are due) in bits, as pdf.js reads it; for V4 and V5, crypt filters
// inlined, the standard one added when there is none, a V4 key length
// taken from the crypt filter, and an AES-256 file whose owner password is
// empty given U and UE entries that open its key with the empty user
// password (pdfcpu never tries an empty owner password). It reports
// whether it changed d.
func normalizeEncrypt(d types.Dict, resolve func(types.Object) types.Object) bool {
	v := d.IntEntry("V")
	if v == nil {
		return false
	}
	if l := d.IntEntry("Length"); *v == 2 && l != nil && *l >= 5 && *l <= 16 {
		d["Length"] = types.Integer(*l * 8)
		return true
	}
	if *v != 4 && *v != 5 {
		return false
	}
	changed := false
	if r := d.IntEntry("R"); *v == 5 && r != nil && (*r == 5 || *r == 6) {
		o, _ := d.StringEntryBytes("O")
		oe, _ := d.StringEntryBytes("OE")
		u, _ := d.StringEntryBytes("U")
		if key := aes256EmptyOwner(*r, o, oe, u); key != nil {
			u, ue := aes256EmptyUser(*r, key)
			d["U"], d["UE"] = types.NewHexLiteral(u), types.NewHexLiteral(ue)
			changed = true
		}
	}
	cf, _ := resolve(d["CF"]).(types.Dict)
	if _, ref := d["CF"].(types.IndirectRef); ref {
		changed = true
	}
	if cf == nil {
		// No crypt filters: the standard AES one, as readers assume.
		cfm, l := "AESV3", 32
		if *v == 4 {
			cfm, l = "AESV2", 16
		}
		cf = types.Dict{"StdCF": types.Dict{"CFM": types.Name(cfm), "Length": types.Integer(l), "AuthEvent": types.Name("DocOpen")}}
		for _, k := range []string{"StmF", "StrF"} {
			if d[k] == nil {
				d[k] = types.Name("StdCF")
			}
		}
		changed = true
	}
	for k, f := range cf {
		if _, ref := f.(types.IndirectRef); ref {
			if fd, ok := resolve(f).(types.Dict); ok {
				cf[k] = fd
				changed = true
			}
		}
	}
	d["CF"] = cf
	if *v == 4 && d.IntEntry("Length") == nil {
		std, _ := cf["StdCF"].(types.Dict)
		if std != nil && std.NameEntry("CFM") != nil && *std.NameEntry("CFM") == "AESV2" {
			// AESV2 keys are 128 bits; a crypt filter's /Length may be in
			// bytes (16) or bits.
			d["Length"] = types.Integer(128)
			changed = true
		}
	}
	return changed
}

// pdfObjectAt parses the last definition of object num gen in data, or
// returns nil. The encryption dictionary is never in an object stream.
func pdfObjectAt(data []byte, num, gen int) types.Object {
	key := []byte(fmt.Sprintf("%d %d obj", num, gen))
	for end := len(data); end > 0; {
		i := bytes.LastIndex(data[:end], key)
		if i < 0 {
			return nil
		}
		if i == 0 || data[i-1] < '0' || data[i-1] > '9' {
			var o types.Object
			protect(func() error {
				line := string(data[i+len(key) : min(len(data), i+len(key)+64<<10)])
				o, _ = model.ParseObject(&line)
				return nil
			})
			return o
		}
		end = i
	}
	return nil
}

// saslPrep prepares a password as RFC 4013 (SASLprep) does for AES-256
// encryption (ISO 32000-2, 7.6.4.3.3): characters "commonly mapped to
// nothing" are dropped, other spaces become U+0020, and the result is in
// NFKC. Its prohibited-output and bidirectional checks are left out: a
// password they would refuse simply does not open the file.
func saslPrep(pw string) string {
	pw = strings.Map(func(r rune) rune {
		switch {
		case r == 0xad || r == 0x34f || r == 0x1806 || 0x180b <= r && r <= 0x180d || 0x200b <= r && r <= 0x200d ||
			r == 0x2060 || 0xfe00 <= r && r <= 0xfe0f || r == 0xfeff:
			return -1
		case r == 0xa0 || r == 0x1680 || 0x2000 <= r && r <= 0x200a || r == 0x202f || r == 0x205f || r == 0x3000:
			return ' '
		}
		return r
	}, pw)
	return norm.NFKC.String(pw)
}
