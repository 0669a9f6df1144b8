package extract

import (
	"archive/zip"
	"compress/flate"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ratioMinSize exempts small entries from the ratio check: a few kilobytes of
// repeated XML compress far better than 1000:1 and are harmless.
const ratioMinSize = 1 << 20

// zipPackage is a zip container whose central directory passed the limits.
// Entries must be opened through open so that reads stay bounded.
type zipPackage struct {
	zr     *zip.Reader
	byName map[string]*zip.File // keys folded when the container is OPC
	// ord is each entry's 1-based place in the central directory: Reasons
	// name an entry by it, never by its name, which comes from the file.
	ord  map[*zip.File]int
	fold bool
}

// openZip reads the central directory of a zip container and checks it
// against lim before anything is inflated: entry count, each entry's declared
// inflated size and ratio, the sum of declared sizes, and duplicate names
// (a later duplicate can replace the part a reader shows). opc says the
// container is an Office package, whose part names compare case-insensitively.
func openZip(r io.ReaderAt, size int64, lim Limits, opc bool) (*zipPackage, error) {
	// The declared count is checked first: archive/zip allocates one record
	// per entry while reading the directory.
	if n, ok := zipDeclaredEntries(r, size); ok && n > uint64(lim.MaxEntries) {
		return nil, entriesError(n, lim)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return nil, Errorf(KindCorrupt, "damaged zip container: %s", zipFailure(err))
	}
	if len(zr.File) > lim.MaxEntries {
		return nil, entriesError(uint64(len(zr.File)), lim)
	}
	p := &zipPackage{zr: zr, byName: make(map[string]*zip.File, len(zr.File)), ord: make(map[*zip.File]int, len(zr.File)), fold: opc}
	var total uint64
	for i, f := range zr.File {
		p.ord[f] = i + 1
		key := p.key(f.Name)
		if _, dup := p.byName[key]; dup {
			return nil, Errorf(KindCorrupt, "duplicate zip entry: %s has the name of an earlier one", p.label(f))
		}
		p.byName[key] = f
		u := f.UncompressedSize64
		if u > uint64(lim.MaxInflated) {
			return nil, Errorf(KindLimit, "zip %s: declared inflated size %s exceeds the limit of %s: possible decompression bomb",
				p.label(f), humanBytes(u), humanBytes(uint64(lim.MaxInflated)))
		}
		if u > ratioMinSize && u/max(f.CompressedSize64, 1) > uint64(lim.MaxRatio) {
			return nil, Errorf(KindLimit, "zip %s: compression ratio %d:1 exceeds the limit of %d:1: possible decompression bomb",
				p.label(f), u/max(f.CompressedSize64, 1), lim.MaxRatio)
		}
		total += u
		if total > uint64(lim.MaxInflated) {
			return nil, Errorf(KindLimit, "declared inflated size %s exceeds the limit of %s: possible decompression bomb",
				humanBytes(total), humanBytes(uint64(lim.MaxInflated)))
		}
	}
	return p, nil
}

func entriesError(n uint64, lim Limits) error {
	return Errorf(KindLimit, "zip has %d entries, over the limit of %d (max entries)", n, lim.MaxEntries)
}

func (p *zipPackage) key(name string) string {
	if p.fold {
		return strings.ToLower(name)
	}
	return name
}

// file returns the entry called name, or nil.
func (p *zipPackage) file(name string) *zip.File {
	return p.byName[p.key(name)]
}

// open opens an entry for reading. The reader fails rather than yield more
// than the entry's declared size, whatever archive/zip does, so the checks
// openZip made on declared sizes bound what is inflated.
func (p *zipPackage) open(f *zip.File) (io.ReadCloser, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, Errorf(KindCorrupt, "damaged zip %s: %s", p.label(f), zipFailure(err))
	}
	return &boundedReader{rc: rc, label: p.label(f), left: f.UncompressedSize64}, nil
}

// boundedReader stops an entry at its declared size and gives zip errors a
// Kind.
type boundedReader struct {
	rc    io.ReadCloser
	label string // the entry in Reasons
	left  uint64
}

func (b *boundedReader) Read(p []byte) (int, error) {
	n, err := b.rc.Read(p)
	if uint64(n) > b.left {
		return 0, Errorf(KindLimit, "zip %s inflates past its declared size: possible decompression bomb", b.label)
	}
	b.left -= uint64(n)
	if err != nil && err != io.EOF {
		var e *Error
		if !errors.As(err, &e) {
			err = Errorf(KindCorrupt, "damaged zip %s: %s", b.label, zipFailure(err))
		}
	}
	return n, err
}

func (b *boundedReader) Close() error { return b.rc.Close() }

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

// humanBytes formats a byte count for a person: "4.0 GB".
func humanBytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
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
