// Package cfb reads compound files (OLE2 structured storage, [MS-CFB]): the
// container of Word, Excel and PowerPoint 97-2003 documents and of their
// WPS Office counterparts, of encrypted OOXML packages and of the OLE
// objects embedded in other documents.
//
// A compound file is a small file system: a FAT of sector chains, a
// directory tree of storages and streams (each storage's children a binary
// tree of sibling ids), and a mini stream holding the streams shorter than
// the cutoff in 64-byte sectors. Open reads the header, the FAT and the
// directory and builds the tree once; streams are found by their path in
// the tree; the mini stream is read once, when a short stream is first
// read. Every chain and tree walk is bounded by the file's size, so a
// looping or truncated file is an error, not a hang. Errors are *Error,
// whose reasons are ours and quote nothing of the file.
//
// Recover opens a damaged file as far as it goes, as LibreOffice does: a
// sector outside the file reads as zeros, a chain that breaks or a stream
// longer than the file ends where its data ends, a wrong sector size is
// taken from the format's version. Damaged then says that something was
// read this way, so that the caller never calls such a file complete.
package cfb

import (
	"encoding/binary"
	"fmt"
	"io"
	"strings"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract/internal/humanize"
)

// Signature is the first eight bytes of every compound file.
const Signature = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

const (
	endOfChain = 0xFFFFFFFE
	freeSector = 0xFFFFFFFF
	noEntry    = 0xFFFFFFFF // no sibling or child
	headerFAT  = 109        // FAT sector numbers held in the header
	miniSector = 64

	typeStorage = 1
	typeStream  = 2
	typeRoot    = 5
)

// Kind classifies an Error.
type Kind int

// The kinds of Error.
const (
	Damaged  Kind = iota // the file's structure is broken
	TooLarge             // a stream is larger than the caller allows
	IO                   // the underlying reader failed
)

// Error is why a compound file or one of its streams could not be read.
// Reason is a sentence of ours: it never quotes the file.
type Error struct {
	Kind   Kind
	Reason string
}

func (e *Error) Error() string { return e.Reason }

// damaged is the error for a broken structure; reason is a whole sentence
// (each written out in full, so that the report's table of translations
// finds it).
func damaged(reason string) *Error {
	return &Error{Kind: Damaged, Reason: reason}
}

// Entry is a storage or a stream of the directory.
type Entry struct {
	// Name is the entry's name as the file spells it.
	Name string
	// Size is a stream's length in bytes.
	Size uint64
	// CLSID is a storage's class id as the file stores it (the first
	// three fields little-endian): the program whose object it is.
	CLSID [16]byte

	typ         byte
	start       uint32
	left, right uint32
	child       uint32
	kids        []uint32 // children in the order of the sibling tree
	reachable   bool
}

// IsStream reports whether e is a stream (not a storage).
func (e *Entry) IsStream() bool { return e.typ == typeStream }

// IsStorage reports whether e is a storage (the root is one too).
func (e *Entry) IsStorage() bool { return e.typ == typeStorage || e.typ == typeRoot }

// File is an open compound file. It is not safe for concurrent use.
type File struct {
	r        io.ReaderAt
	size     int64
	shift    uint // sector size is 1<<shift
	fat      []uint32
	cutoff   uint64
	miniFAT  uint32 // first sector of the mini FAT
	entries  []Entry
	mini     []byte   // the mini stream, once read
	minifat  []uint32 // the mini FAT, once read
	miniErr  error
	miniRead bool

	tolerant bool // read past damage (Recover) rather than fail
	damage   bool // something was read past damage
}

// Open reads the header, the FAT and the directory of a compound file of
// the given size, and builds its storage tree.
func Open(r io.ReaderAt, size int64) (*File, error) {
	return open(&File{r: r, size: size})
}

// Recover is Open for a file that may be damaged: it reads past the damage
// it can (see the package comment) and reports it through Damaged. A file
// with no header, no directory or no root entry is still an error.
func Recover(r io.ReaderAt, size int64) (*File, error) {
	return open(&File{r: r, size: size, tolerant: true})
}

// Damaged reports whether a file opened with Recover was damaged in the
// parts read so far: a stream read after a call may still be. Check it
// once every stream wanted has been read.
func (f *File) Damaged() bool { return f.damage }

// DamagedReview is the review sentence for a file read past damage.
const DamagedReview = "damaged OLE compound file: read as far as it goes, some of its text may be missing"

// Review returns DamagedReview when f was read past damage, for the
// caller's Document.Review: such a file is never complete.
func (f *File) Review() []string {
	if f.damage {
		return []string{DamagedReview}
	}
	return nil
}

// tolerate returns err, or nil when f reads past damage (and notes it).
func (f *File) tolerate(err *Error) error {
	if !f.tolerant {
		return err
	}
	f.damage = true
	return nil
}

func open(f *File) (*File, error) {
	hdr := make([]byte, 512)
	if _, err := f.r.ReadAt(hdr, 0); err != nil || string(hdr[:8]) != Signature {
		return nil, damaged("damaged OLE compound file: no header")
	}
	f.shift = uint(binary.LittleEndian.Uint16(hdr[0x1E:]))
	if f.shift != 9 && f.shift != 12 || binary.LittleEndian.Uint16(hdr[0x20:]) != 6 {
		if err := f.tolerate(damaged("damaged OLE compound file: bad sector size")); err != nil {
			return nil, err
		}
		// Version 4 files have 4096-byte sectors, all others 512-byte
		// ones; mini sectors are always 64 bytes.
		f.shift = 9
		if binary.LittleEndian.Uint16(hdr[0x1A:]) == 4 {
			f.shift = 12
		}
	}
	f.cutoff = uint64(binary.LittleEndian.Uint32(hdr[0x38:]))
	f.miniFAT = binary.LittleEndian.Uint32(hdr[0x3C:])
	if err := f.readFAT(hdr); err != nil {
		return nil, err
	}
	dir, err := f.chain(binary.LittleEndian.Uint32(hdr[0x30:]), f.fat, f.sector, 0)
	if err != nil {
		return nil, err
	}
	for i := 0; i+128 <= len(dir); i += 128 {
		f.entries = append(f.entries, f.entry(dir[i:i+128]))
	}
	if len(f.entries) == 0 || f.entries[0].typ != typeRoot {
		return nil, damaged("damaged OLE compound file: no root entry")
	}
	f.buildTree()
	return f, nil
}

// readFAT reads the FAT's own sectors: 109 named in the header, the rest
// in a chain of DIFAT sectors, each ending with the number of the next.
func (f *File) readFAT(hdr []byte) error {
	secSize := int64(1) << f.shift
	sectors := (f.size + secSize - 1) / secSize // an upper bound on any count
	numFAT := int64(binary.LittleEndian.Uint32(hdr[0x2C:]))
	if numFAT > sectors {
		if err := f.tolerate(damaged("damaged OLE compound file: FAT larger than the file")); err != nil {
			return err
		}
		numFAT = sectors
	}
	var fatSecs []uint32
	for i := 0; i < headerFAT && int64(len(fatSecs)) < numFAT; i++ {
		fatSecs = append(fatSecs, binary.LittleEndian.Uint32(hdr[0x4C+4*i:]))
	}
	next := binary.LittleEndian.Uint32(hdr[0x44:])
	for n := int64(0); int64(len(fatSecs)) < numFAT; n++ {
		if n > sectors || next >= endOfChain {
			if err := f.tolerate(damaged("damaged OLE compound file: broken DIFAT chain")); err != nil {
				return err
			}
			break
		}
		b, err := f.sector(next)
		if err != nil {
			return err
		}
		per := len(b)/4 - 1
		for i := 0; i < per && int64(len(fatSecs)) < numFAT; i++ {
			fatSecs = append(fatSecs, binary.LittleEndian.Uint32(b[4*i:]))
		}
		next = binary.LittleEndian.Uint32(b[4*per:])
	}
	for _, s := range fatSecs {
		b, err := f.sector(s)
		if err != nil {
			return err
		}
		for i := 0; i+4 <= len(b); i += 4 {
			f.fat = append(f.fat, binary.LittleEndian.Uint32(b[i:]))
		}
	}
	return nil
}

// entry decodes one 128-byte directory entry; one with an impossible name
// length is kept as an unused entry, so that ids still count right.
func (f *File) entry(e []byte) Entry {
	n := int(binary.LittleEndian.Uint16(e[64:]))
	if n < 2 || n > 64 {
		return Entry{}
	}
	u := make([]uint16, n/2-1)
	for j := range u {
		u[j] = binary.LittleEndian.Uint16(e[2*j:])
	}
	size := binary.LittleEndian.Uint64(e[120:])
	if f.shift == 9 {
		size &= 0xFFFFFFFF // version 3 files may leave junk in the high half
	}
	return Entry{
		Name:  string(utf16.Decode(u)),
		Size:  size,
		CLSID: [16]byte(e[80:96]),
		typ:   e[66],
		left:  binary.LittleEndian.Uint32(e[68:]),
		right: binary.LittleEndian.Uint32(e[72:]),
		child: binary.LittleEndian.Uint32(e[76:]),
		start: binary.LittleEndian.Uint32(e[116:]),
	}
}

// buildTree gives each storage reachable from the root its children, in
// the order of its sibling tree. An entry is visited once: a sibling or
// child id that points back into the tree, outside the directory or to an
// unused entry is ignored, so a damaged tree cannot loop.
func (f *File) buildTree() {
	f.entries[0].reachable = true
	storages := []uint32{0}
	for len(storages) > 0 {
		p := &f.entries[storages[len(storages)-1]]
		storages = storages[:len(storages)-1]
		// In-order walk of the sibling tree, with an explicit stack: a
		// hostile file may make it as deep as the directory is long.
		var stack []uint32
		id := p.child
		for {
			for f.usable(id) {
				f.entries[id].reachable = true
				stack = append(stack, id)
				id = f.entries[id].left
			}
			if len(stack) == 0 {
				break
			}
			id = stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			p.kids = append(p.kids, id)
			if f.entries[id].typ == typeStorage {
				storages = append(storages, id)
			}
			id = f.entries[id].right
		}
	}
}

// usable reports whether id names an entry not yet in the tree.
func (f *File) usable(id uint32) bool {
	if id == noEntry || int64(id) >= int64(len(f.entries)) {
		return false
	}
	e := &f.entries[id]
	return !e.reachable && (e.typ == typeStorage || e.typ == typeStream)
}

// Root returns the root storage.
func (f *File) Root() *Entry { return &f.entries[0] }

// Children returns the storages and streams directly in storage e.
func (f *File) Children(e *Entry) []*Entry {
	out := make([]*Entry, len(e.kids))
	for i, id := range e.kids {
		out[i] = &f.entries[id]
	}
	return out
}

// Lookup returns the entry at path from the root, each element the name
// of a storage and the last one that of a storage or stream, compared
// case-insensitively as compound files compare names; nil when absent.
func (f *File) Lookup(path ...string) *Entry {
	e := f.Root()
	for _, name := range path {
		var next *Entry
		for _, id := range e.kids {
			if strings.EqualFold(f.entries[id].Name, name) {
				next = &f.entries[id]
				break
			}
		}
		if next == nil {
			return nil
		}
		e = next
	}
	return e
}

// ReadStream returns the bytes of stream e, refusing one larger than max
// bytes. A storage has no bytes of its own: it reads as empty.
func (f *File) ReadStream(e *Entry, max int64) ([]byte, error) {
	if !e.IsStream() {
		return nil, nil
	}
	size := e.Size
	if size > uint64(f.size) {
		if err := f.tolerate(damaged("damaged OLE compound file: a stream is larger than the file")); err != nil {
			return nil, err
		}
		// Its data ends where its chain does, inside the file.
		size = uint64(f.size)
	}
	if size > uint64(max) {
		return nil, &Error{Kind: TooLarge, Reason: fmt.Sprintf("an OLE stream is %s, over the limit of %s", humanize.Bytes(size), humanize.Bytes(uint64(max)))}
	}
	if size == 0 {
		return nil, nil
	}
	if e.Size >= f.cutoff {
		return f.chain(e.start, f.fat, f.sector, size)
	}
	if err := f.readMini(); err != nil {
		return nil, err
	}
	return f.chain(e.start, f.minifat, func(id uint32) ([]byte, error) {
		off := int64(id) * miniSector
		if off+miniSector > int64(len(f.mini)) {
			return make([]byte, miniSector), f.tolerate(damaged(fmt.Sprintf("damaged OLE compound file: mini sector %d outside the mini stream", id)))
		}
		return f.mini[off : off+miniSector], nil
	}, size)
}

// readMini reads, once, the mini stream (the root entry's data) and the
// mini FAT that chains its 64-byte sectors.
func (f *File) readMini() error {
	if f.miniRead {
		return f.miniErr
	}
	f.miniRead = true
	root := f.Root()
	f.mini, f.miniErr = f.chain(root.start, f.fat, f.sector, root.Size)
	if f.miniErr != nil {
		return f.miniErr
	}
	b, err := f.chain(f.miniFAT, f.fat, f.sector, 0)
	if err != nil {
		f.miniErr = err
		return err
	}
	f.minifat = make([]uint32, len(b)/4)
	for i := range f.minifat {
		f.minifat[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return nil
}

// AllocatedEnd returns the offset where the last sector the FAT allocates
// ends: bytes past it belong to no stream (0 when none is allocated).
func (f *File) AllocatedEnd() int64 {
	for i := len(f.fat) - 1; i >= 0; i-- {
		if f.fat[i] != freeSector {
			return (int64(i) + 2) << f.shift
		}
	}
	return 0
}

// sector reads one sector; the last one may be short in a file whose end
// was trimmed, and reads as zeros past the end. One wholly outside the
// file reads as zeros when f tolerates damage.
func (f *File) sector(id uint32) ([]byte, error) {
	b := make([]byte, 1<<f.shift)
	off := (int64(id) + 1) << f.shift
	if id >= endOfChain-2 || off >= f.size {
		return b, f.tolerate(damaged(fmt.Sprintf("damaged OLE compound file: sector %d outside the file", id)))
	}
	if _, err := f.r.ReadAt(b, off); err != nil && err != io.EOF {
		return nil, &Error{Kind: IO, Reason: fmt.Sprintf("cannot read file: %v", err)}
	}
	return b, nil
}

// chain concatenates the sectors of the chain that starts at id in table,
// read with read; it stops after want bytes when want is not 0. A chain
// that comes back to a sector it passed is damaged, even when it would
// reach want bytes by going round. When f tolerates damage, a broken or
// short chain gives the bytes read up to the break.
func (f *File) chain(id uint32, table []uint32, read func(uint32) ([]byte, error), want uint64) ([]byte, error) {
	var out []byte
	seen := make([]uint64, (len(table)+63)/64)
	for id != endOfChain {
		if int(id) >= len(table) || seen[id/64]&(1<<(id%64)) != 0 {
			if err := f.tolerate(damaged("damaged OLE compound file: broken sector chain")); err != nil {
				return nil, err
			}
			return out, nil
		}
		seen[id/64] |= 1 << (id % 64)
		b, err := read(id)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		if want > 0 && uint64(len(out)) >= want {
			return out[:want], nil
		}
		if uint64(len(out)) >= uint64(f.size) {
			// Only sectors read as zeros outside the file (Recover) get a
			// chain this far: no need to make up more of them.
			return out, nil
		}
		id = table[id]
	}
	if uint64(len(out)) < want {
		if err := f.tolerate(damaged("damaged OLE compound file: stream shorter than declared")); err != nil {
			return nil, err
		}
	}
	return out, nil
}
