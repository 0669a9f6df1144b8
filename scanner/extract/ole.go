package extract

import (
	"context"
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf16"
)

// An OLE compound file (CFB, [MS-CFB]) is a small file system: a FAT of
// sector chains, a directory of named streams, and a mini stream holding the
// streams shorter than the cutoff in 64-byte sectors. cfbFile reads just
// enough of it to list the streams and copy a few of them out; every chain
// it follows is bounded by the FAT's length, so a looping or truncated file
// is an error, not a hang.

const (
	cfbSignature  = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"
	cfbEndOfChain = 0xFFFFFFFE
	cfbHeaderFAT  = 109 // FAT sector numbers held in the header
	cfbStream     = 2   // directory entry type of a stream
	cfbRoot       = 5   // directory entry type of the root storage
)

type cfbFile struct {
	r      io.ReaderAt
	size   int64
	shift  uint // sector size is 1<<shift
	fat    []uint32
	cutoff uint64
	hdr    []byte
	dir    []cfbEntry
}

type cfbEntry struct {
	name  string
	typ   byte
	start uint32
	size  uint64
}

// openCFB reads the header, the FAT and the directory of a compound file.
func openCFB(r io.ReaderAt, size int64) (*cfbFile, error) {
	hdr := make([]byte, 512)
	if _, err := r.ReadAt(hdr, 0); err != nil || string(hdr[:8]) != cfbSignature {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: no header")
	}
	c := &cfbFile{r: r, size: size, hdr: hdr, shift: uint(binary.LittleEndian.Uint16(hdr[0x1E:]))}
	if c.shift != 9 && c.shift != 12 || binary.LittleEndian.Uint16(hdr[0x20:]) != 6 {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: bad sector size")
	}
	c.cutoff = uint64(binary.LittleEndian.Uint32(hdr[0x38:]))
	secSize := int64(1) << c.shift
	sectors := (size + secSize - 1) / secSize // an upper bound on any count
	numFAT := int64(binary.LittleEndian.Uint32(hdr[0x2C:]))
	if numFAT > sectors {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: FAT larger than the file")
	}
	// The FAT's own sectors: 109 in the header, the rest in a chain of
	// DIFAT sectors, each ending with the number of the next.
	var fatSecs []uint32
	for i := 0; i < cfbHeaderFAT && int64(len(fatSecs)) < numFAT; i++ {
		fatSecs = append(fatSecs, binary.LittleEndian.Uint32(hdr[0x4C+4*i:]))
	}
	next := binary.LittleEndian.Uint32(hdr[0x44:])
	for n := int64(0); int64(len(fatSecs)) < numFAT; n++ {
		if n > sectors || next >= cfbEndOfChain {
			return nil, Errorf(KindCorrupt, "damaged OLE compound file: broken DIFAT chain")
		}
		b, err := c.sector(next)
		if err != nil {
			return nil, err
		}
		per := len(b)/4 - 1
		for i := 0; i < per && int64(len(fatSecs)) < numFAT; i++ {
			fatSecs = append(fatSecs, binary.LittleEndian.Uint32(b[4*i:]))
		}
		next = binary.LittleEndian.Uint32(b[4*per:])
	}
	for _, s := range fatSecs {
		b, err := c.sector(s)
		if err != nil {
			return nil, err
		}
		for i := 0; i+4 <= len(b); i += 4 {
			c.fat = append(c.fat, binary.LittleEndian.Uint32(b[i:]))
		}
	}
	dir, err := c.chain(binary.LittleEndian.Uint32(hdr[0x30:]), c.fat, c.sector, 0)
	if err != nil {
		return nil, err
	}
	for i := 0; i+128 <= len(dir); i += 128 {
		e := dir[i : i+128]
		n := int(binary.LittleEndian.Uint16(e[64:]))
		if n < 2 || n > 64 {
			c.dir = append(c.dir, cfbEntry{})
			continue
		}
		u := make([]uint16, n/2-1)
		for j := range u {
			u[j] = binary.LittleEndian.Uint16(e[2*j:])
		}
		size := binary.LittleEndian.Uint64(e[120:])
		if c.shift == 9 {
			size &= 0xFFFFFFFF // version 3 files may leave junk in the high half
		}
		c.dir = append(c.dir, cfbEntry{name: string(utf16.Decode(u)), typ: e[66], start: binary.LittleEndian.Uint32(e[116:]), size: size})
	}
	if len(c.dir) == 0 || c.dir[0].typ != cfbRoot {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: no root entry")
	}
	return c, nil
}

// sector reads one sector; the last one may be short in a file whose end
// was trimmed, and reads as zeros past the end.
func (c *cfbFile) sector(id uint32) ([]byte, error) {
	b := make([]byte, 1<<c.shift)
	off := (int64(id) + 1) << c.shift
	if id >= cfbEndOfChain-2 || off >= c.size {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: sector %d outside the file", id)
	}
	if _, err := c.r.ReadAt(b, off); err != nil && err != io.EOF {
		return nil, Errorf(KindIO, "cannot read file: %v", err)
	}
	return b, nil
}

// chain concatenates the sectors of the chain that starts at id in table,
// read with read; it stops after want bytes when want is not 0.
func (c *cfbFile) chain(id uint32, table []uint32, read func(uint32) ([]byte, error), want uint64) ([]byte, error) {
	var out []byte
	for steps := 0; id != cfbEndOfChain; steps++ {
		if steps > len(table) || int(id) >= len(table) {
			return nil, Errorf(KindCorrupt, "damaged OLE compound file: broken sector chain")
		}
		b, err := read(id)
		if err != nil {
			return nil, err
		}
		out = append(out, b...)
		if want > 0 && uint64(len(out)) >= want {
			return out[:want], nil
		}
		id = table[id]
	}
	if uint64(len(out)) < want {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: stream shorter than declared")
	}
	return out, nil
}

// find returns the first stream called name (case-insensitively, as CFB
// compares names), or nil.
func (c *cfbFile) find(name string) *cfbEntry {
	for i := range c.dir {
		if c.dir[i].typ == cfbStream && strings.EqualFold(c.dir[i].name, name) {
			return &c.dir[i]
		}
	}
	return nil
}

// stream returns the bytes of a stream of at most max bytes.
func (c *cfbFile) stream(e *cfbEntry, max int64) ([]byte, error) {
	if e.size > uint64(c.size) {
		return nil, Errorf(KindCorrupt, "damaged OLE compound file: a stream is larger than the file")
	}
	if e.size > uint64(max) {
		return nil, Errorf(KindLimit, "an OLE stream is %s, over the limit of %s", humanBytes(e.size), humanBytes(uint64(max)))
	}
	if e.size == 0 {
		return nil, nil
	}
	if e.size >= c.cutoff {
		return c.chain(e.start, c.fat, c.sector, e.size)
	}
	// Short streams live in the mini stream (the root entry's data), in
	// 64-byte sectors chained by the mini FAT.
	root := c.dir[0]
	mini, err := c.chain(root.start, c.fat, c.sector, root.size)
	if err != nil {
		return nil, err
	}
	mfatBytes, err := c.chain(binary.LittleEndian.Uint32(c.hdr[0x3C:]), c.fat, c.sector, 0)
	if err != nil {
		return nil, err
	}
	mfat := make([]uint32, len(mfatBytes)/4)
	for i := range mfat {
		mfat[i] = binary.LittleEndian.Uint32(mfatBytes[4*i:])
	}
	return c.chain(e.start, mfat, func(id uint32) ([]byte, error) {
		off := int64(id) * 64
		if off+64 > int64(len(mini)) {
			return nil, Errorf(KindCorrupt, "damaged OLE compound file: mini sector %d outside the mini stream", id)
		}
		return mini[off : off+64], nil
	}, e.size)
}

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
	{[]string{"__properties_version1.0"}, FormatOLE, "Outlook message (.msg)"},
}

// extractOLE reads the directory of a compound file to name what it is: no
// compound format is read yet, but the reason says which one it is.
func extractOLE(_ context.Context, r io.ReaderAt, size int64, _ Options) (*Document, error) {
	c, err := openCFB(r, size)
	if err != nil {
		return nil, err
	}
	for _, l := range legacyFormats {
		for _, s := range l.streams {
			if c.find(s) != nil {
				return nil, &Error{Kind: KindUnsupported, Format: l.format, Reason: l.name + ": baomi cannot read this format yet"}
			}
		}
	}
	return nil, Errorf(KindUnsupported, "OLE compound file (a legacy Office file or another program's object): baomi cannot read this format yet")
}
