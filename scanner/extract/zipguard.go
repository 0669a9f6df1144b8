package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/binary"
	"errors"
	"hash"
	"hash/crc32"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/baomi/baomi/scanner/extract/internal/humanize"
)

// ratioMinSize exempts small entries from the ratio check: a few kilobytes of
// repeated XML compress far better than 1000:1 and are harmless.
const ratioMinSize = 1 << 20

// zipPackage is a zip container whose central directory passed the limits.
// Entries must be opened through open or openEntry so that reads stay
// bounded.
type zipPackage struct {
	zr   *zip.Reader
	r    io.ReaderAt
	size int64
	opt  Options
	// byName holds every entry of each name, in directory order; keys are
	// folded when the container is OPC.
	byName map[string][]*zip.File
	fold   bool
	// ord is each entry's 1-based place in the central directory: Reasons
	// name an entry by it, never by its name, which comes from the file.
	ord map[*zip.File]int
	// inflated counts the bytes that came out of the package's entries so
	// far, re-reads included, against opt.MaxInflated.
	inflated int64
}

// openZip reads the central directory of a zip container and checks it
// against opt before anything is inflated: entry count, each entry's declared
// inflated size and ratio, and the sum of declared sizes. Declared sizes may
// lie: the reads count the real bytes too (see openEntry). opc says the
// container is an Office package, whose part names compare
// case-insensitively.
func openZip(r io.ReaderAt, size int64, opt Options, opc bool) (*zipPackage, error) {
	// The declared count is checked first: archive/zip allocates one record
	// per entry while reading the directory.
	if n, ok := zipDeclaredEntries(r, size); ok && n > uint64(opt.MaxEntries) {
		return nil, entriesError(n, opt)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, Errorf(KindCorrupt, "damaged zip container: %s", zipFailure(err))
	}
	if len(zr.File) > opt.MaxEntries {
		return nil, entriesError(uint64(len(zr.File)), opt)
	}
	p := &zipPackage{zr: zr, r: r, size: size, opt: opt, byName: make(map[string][]*zip.File, len(zr.File)), ord: make(map[*zip.File]int, len(zr.File)), fold: opc}
	var total uint64
	for i, f := range zr.File {
		p.ord[f] = i + 1
		key := p.key(f.Name)
		p.byName[key] = append(p.byName[key], f)
		u := f.UncompressedSize64
		if u > uint64(opt.MaxInflated) {
			return nil, Errorf(KindLimit, "zip %s: declared inflated size %s exceeds the limit of %s: possible decompression bomb",
				p.label(f), humanize.Bytes(u), humanize.Bytes(uint64(opt.MaxInflated)))
		}
		if u > ratioMinSize && u/max(f.CompressedSize64, 1) > uint64(opt.MaxRatio) {
			return nil, Errorf(KindLimit, "zip %s: compression ratio %d:1 exceeds the limit of %d:1: possible decompression bomb",
				p.label(f), u/max(f.CompressedSize64, 1), opt.MaxRatio)
		}
		total += u
		if total > uint64(opt.MaxInflated) {
			return nil, Errorf(KindLimit, "declared inflated size %s exceeds the limit of %s: possible decompression bomb",
				humanize.Bytes(total), humanize.Bytes(uint64(opt.MaxInflated)))
		}
	}
	return p, nil
}

func entriesError(n uint64, opt Options) error {
	return Errorf(KindLimit, "zip has %d entries, over the limit of %d (max entries)", n, opt.MaxEntries)
}

func (p *zipPackage) key(name string) string {
	if p.fold {
		return strings.ToLower(name)
	}
	return name
}

// file returns the (first) entry called name, or nil.
func (p *zipPackage) file(name string) *zip.File {
	if fs := p.byName[p.key(name)]; len(fs) > 0 {
		return fs[0]
	}
	return nil
}

// copies returns how many entries are called name.
func (p *zipPackage) copies(name string) int {
	return len(p.byName[p.key(name)])
}

// later reports whether f is a second or later entry of its name, which
// open reads together with the first.
func (p *zipPackage) later(f *zip.File) bool {
	return p.byName[p.key(f.Name)][0] != f
}

// open opens a part for reading: f, and after it every later entry of the
// same name. Readers differ in which copy of a duplicated name they show
// (the docx library the last, archive/zip's Open the first), so a decoy
// copy must not hide the other: every copy is read, one after the other.
// An XML decoder takes the copies as successive documents.
func (p *zipPackage) open(f *zip.File) (io.ReadCloser, error) {
	all := p.byName[p.key(f.Name)]
	i := slices.Index(all, f)
	if i < 0 || i == len(all)-1 {
		return p.openEntry(f)
	}
	return &copiesReader{p: p, files: all[i:]}, nil
}

// copiesReader reads entries one after the other, opening each only when
// the one before it is done.
type copiesReader struct {
	p     *zipPackage
	files []*zip.File
	cur   io.ReadCloser
}

func (c *copiesReader) Read(b []byte) (int, error) {
	for {
		if c.cur == nil {
			if len(c.files) == 0 {
				return 0, io.EOF
			}
			rc, err := c.p.openEntry(c.files[0])
			if err != nil {
				return 0, err
			}
			c.cur, c.files = rc, c.files[1:]
		}
		n, err := c.cur.Read(b)
		if err == io.EOF {
			c.cur.Close()
			c.cur = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

func (c *copiesReader) Close() error {
	if c.cur != nil {
		return c.cur.Close()
	}
	return nil
}

// openEntry opens one entry and reads what it really holds. The sizes an
// entry declares may lie, or be 0, and unzip extracts it all the same, while
// archive/zip's Open fails past the declared size: so the data is read from
// the entry's local header on, a deflated entry up to the end of its deflate
// stream, a stored one for its compressed size (archive/zip and unzip do the
// same). The limits count the bytes that really come out: the package's
// total against MaxInflated, the entry's ratio against MaxRatio.
func (p *zipPackage) openEntry(f *zip.File) (io.ReadCloser, error) {
	if f.Flags&1 != 0 {
		return nil, Errorf(KindEncrypted, "zip %s is encrypted", p.label(f))
	}
	off, err := f.DataOffset()
	if err != nil || off > p.size {
		return nil, Errorf(KindCorrupt, "damaged zip %s: no local header", p.label(f))
	}
	raw := &countingReader{r: io.NewSectionReader(p.r, off, p.size-off)}
	e := &entryReader{p: p, f: f, raw: raw, crc: crc32.NewIEEE()}
	switch f.Method {
	case zip.Store:
		e.r = io.LimitReader(raw, int64(min(f.CompressedSize64, uint64(p.size-off))))
	case zip.Deflate:
		fr, ok := flatePool.Get().(io.ReadCloser)
		if ok {
			fr.(flate.Resetter).Reset(raw, nil)
		} else {
			fr = flate.NewReader(raw)
		}
		e.r, e.flate = fr, fr
	default:
		return nil, Errorf(KindUnsupported, "zip %s is compressed with method %d, which baomi cannot read", p.label(f), f.Method)
	}
	return e, nil
}

// readEntry inflates one zip entry whole (an inner document needs random
// access), within the package's limits; its declared size only sizes the
// buffer.
func readEntry(pkg *zipPackage, f *zip.File) ([]byte, error) {
	rc, err := pkg.openEntry(f)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The declared size, when it tells the truth, sizes the buffer at once:
	// growing it by doubling held up to three times the entry (a 250 MB
	// text took a child to its 1 GiB limit). A lie costs a reallocation, and
	// openZip has bounded what may be declared.
	b := bytes.NewBuffer(make([]byte, 0, min(f.UncompressedSize64+bytes.MinRead, 256<<20)))
	if _, err := io.Copy(b, rc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// flatePool keeps inflaters between entries, as archive/zip does: each
// holds a 32 KB window.
var flatePool sync.Pool

// countingReader counts the compressed bytes taken from an entry.
type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(b []byte) (int, error) {
	n, err := c.r.Read(b)
	c.n += int64(n)
	return n, err
}

// entryReader yields an entry's inflated bytes within the limits, checks its
// CRC-32 at the end and gives errors a Kind.
type entryReader struct {
	p     *zipPackage
	f     *zip.File
	raw   *countingReader
	r     io.Reader
	flate io.ReadCloser // returned to flatePool on Close; nil when stored
	n     int64         // bytes inflated from this entry
	crc   hash.Hash32
}

func (e *entryReader) Read(b []byte) (int, error) {
	n, err := e.r.Read(b)
	e.n += int64(n)
	e.p.inflated += int64(n)
	opt := e.p.opt
	if e.p.inflated > opt.MaxInflated {
		return 0, Errorf(KindLimit, "zip entries inflate past the limit of %s: possible decompression bomb", humanize.Bytes(uint64(opt.MaxInflated)))
	}
	if ratio := e.n / max(e.raw.n, 1); e.n > ratioMinSize && ratio > opt.MaxRatio {
		return 0, Errorf(KindLimit, "a zip entry inflates at a ratio over %d:1, the limit: possible decompression bomb", opt.MaxRatio)
	}
	e.crc.Write(b[:n])
	switch {
	case err == io.EOF:
		if e.f.CRC32 != 0 && e.crc.Sum32() != e.f.CRC32 {
			return n, Errorf(KindCorrupt, "damaged zip %s: checksum mismatch", e.p.label(e.f))
		}
	case err != nil:
		return n, Errorf(KindCorrupt, "damaged zip %s: %s", e.p.label(e.f), zipFailure(err))
	}
	return n, err
}

func (e *entryReader) Close() error {
	if e.flate != nil {
		flatePool.Put(e.flate)
		e.flate = nil
	}
	e.r = nil
	return nil
}

// zipDeclaredEntries reads the entry count from the end of central directory
// record (or its zip64 counterpart). ok is false when no record is found;
// archive/zip then reports the damage.
func zipDeclaredEntries(r io.ReaderAt, size int64) (n uint64, ok bool) {
	const eocdLen, maxComment = 22, 0xffff
	tail := min(size, eocdLen+maxComment)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, false
	}
	i := strings.LastIndex(string(buf), "PK\x05\x06")
	if i < 0 || len(buf)-i < eocdLen {
		return 0, false
	}
	n = uint64(binary.LittleEndian.Uint16(buf[i+10:]))
	if n != 0xffff {
		return n, true
	}
	// zip64: a 20-byte locator precedes the record and points at the zip64
	// end of central directory, whose total entry count is at offset 32.
	loc := size - tail + int64(i) - 20
	if loc < 0 {
		return n, true
	}
	lb := make([]byte, 20)
	if _, err := r.ReadAt(lb, loc); err != nil || string(lb[:4]) != "PK\x06\x07" {
		return n, true
	}
	off := binary.LittleEndian.Uint64(lb[8:])
	rb := make([]byte, 40)
	if off > uint64(size) {
		return n, true
	}
	if _, err := r.ReadAt(rb, int64(off)); err != nil || string(rb[:4]) != "PK\x06\x06" {
		return n, true
	}
	return binary.LittleEndian.Uint64(rb[32:]), true
}

// label names entry f in a Reason by its place in the central directory
// ("entry 3"): its name comes from the file, and Reasons quote nothing of it.
func (p *zipPackage) label(f *zip.File) string {
	return "entry " + strconv.Itoa(p.ord[f])
}

// zipFailure says in our words why a zip container or entry could not be
// read: the errors of archive/zip, compress/flate and the reader under them
// are not ours to quote.
func zipFailure(err error) string {
	var corrupt flate.CorruptInputError
	switch {
	case errors.Is(err, zip.ErrChecksum):
		return "checksum mismatch"
	case errors.Is(err, zip.ErrAlgorithm):
		return "unsupported compression method"
	case errors.Is(err, zip.ErrFormat):
		return "not a valid zip file"
	case errors.As(err, &corrupt):
		return "corrupt compressed data"
	case errors.Is(err, io.ErrUnexpectedEOF):
		return "truncated"
	default:
		return "unreadable data"
	}
}

// Zip is a zip container opened within the limits of its Options, for
// the format packages that live outside extract (OOXML, OFD, OpenDocument):
// every read through it is bounded and counted as the zip readers here are.
type Zip struct{ pkg *zipPackage }

// OpenZip opens the zip container of the given size in r, checking its
// directory against opt before anything is inflated.
func OpenZip(r io.ReaderAt, size int64, opt Options) (*Zip, error) {
	return wrapZip(openZip(r, size, opt, false))
}

// OpenPackage opens an Office (OPC) package as OpenZip opens a zip: its
// part names compare case-insensitively.
func OpenPackage(r io.ReaderAt, size int64, opt Options) (*Zip, error) {
	return wrapZip(openZip(r, size, opt, true))
}

func wrapZip(p *zipPackage, err error) (*Zip, error) {
	if err != nil {
		return nil, err
	}
	return &Zip{pkg: p}, nil
}

// Files are the entries of the container, in directory order.
func (z *Zip) Files() []*zip.File { return z.pkg.zr.File }

// File returns the first entry called name, or nil.
func (z *Zip) File(name string) *zip.File { return z.pkg.file(name) }

// Open opens entry f, and after it every later entry of its name, so that
// a decoy copy of a part cannot hide the other.
func (z *Zip) Open(f *zip.File) (io.ReadCloser, error) { return z.pkg.open(f) }

// ReadAll inflates entry f alone, whole.
func (z *Zip) ReadAll(f *zip.File) ([]byte, error) { return readEntry(z.pkg, f) }

// Label names entry f in a reason by its place in the directory ("entry
// 3"), never by its name, which comes from the file.
func (z *Zip) Label(f *zip.File) string { return z.pkg.label(f) }

// Part names entry f in a reason as a part of a package ("part 3"), by its
// place in the directory as Label does.
func (z *Zip) Part(f *zip.File) string { return "part " + strconv.Itoa(z.pkg.ord[f]) }

// Later reports whether f is a second or later entry of its name, which
// Open reads together with the first.
func (z *Zip) Later(f *zip.File) bool { return z.pkg.later(f) }

// Copies returns how many entries are called name.
func (z *Zip) Copies(name string) int { return z.pkg.copies(name) }
