// Package msdoc reads Word 97-2003 documents (.doc), and the WPS Writer
// files (.wps) that WPS Office writes in the same format, for extract:
// the text of every story (body, footnotes, headers and footers,
// comments, endnotes, text boxes) through the piece table, field codes,
// deleted, inserted and hidden text, the alt text of pictures, the
// document properties and the embedded objects; its pictures make it
// review. Word for Windows 1.x/2.0 and Word 6/95 files are read in the ANSI code page of their
// language (GBK for Chinese); RC4-encrypted files are opened with the
// passwords given. Importing it registers the reader.
package msdoc

import (
	"context"
	"encoding/binary"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/codepage"
	"github.com/baomi/baomi/scanner/extract/internal/officeart"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

func init() { extract.Register(extract.FormatDOC, readDOC) }

// Flags of the FIB ([MS-DOC] 2.5.2).
const (
	fComplex     = 0x0004
	fEncrypted   = 0x0100
	fExtChar     = 0x1000
	fWhichTblStm = 0x0200
	fObfuscated  = 0x8000
)

// Indexes of the (fc, lcb) pairs of the FIB that the reader uses.
const (
	iPlcfHdd     = 11
	iPlcfBteChpx = 12
	iSttbfFfn    = 15
	iClx         = 33
)

// Versions by the FIB's nFib.
const (
	nFibWord6     = 101 // Word 6.0; older files are Word 2 and before
	nFibNotWord95 = 106 // Word 95 writes 104, Word 97 and later 193 and up
)

// fib is what the reader needs of the File Information Block.
type fib struct {
	word6 bool   // Word 6/95: 8-bit text, the table in WordDocument
	flags uint16 // fComplex …
	lid   int    // the language id, which implies a Word 6/95 file's code page
	fcMin uint32 // where the text of a non-complex Word 6/95 file starts
	fcMac uint32 // and where it ends
	// noTable says a Word 97 file lacks its table stream: its text is
	// read as from a non-complex file, from fcMin to fcMac.
	noTable bool
	// ccp are the lengths, in characters, of the stories in their order:
	// body, footnotes, headers, macros (Word 6), comments, endnotes, text
	// boxes, header text boxes.
	ccp    [8]uint32
	fcLcb  []byte // the (fc, lcb) pairs
	tables []byte // the stream that holds the tables
}

// pair returns the table the i-th (fc, lcb) pair of the FIB points to, or
// nil when there is none or it lies outside the table stream.
func (f *fib) pair(i int) []byte {
	if 8*i+8 > len(f.fcLcb) {
		return nil
	}
	fc, lcb := binary.LittleEndian.Uint32(f.fcLcb[8*i:]), binary.LittleEndian.Uint32(f.fcLcb[8*i+4:])
	if lcb == 0 || uint64(fc)+uint64(lcb) > uint64(len(f.tables)) {
		return nil
	}
	return f.tables[fc : fc+lcb]
}

// damaged is the error for a broken structure; reason is a whole
// sentence, written out in full so that the report's table of
// translations finds it.
func damaged(reason string) error {
	return &extract.Error{Kind: extract.KindCorrupt, Reason: reason}
}

func readDOC(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	// Sniffing sends here compound files and Word 1.x/2.0 files.
	head := make([]byte, len(cfb.Signature))
	if n, _ := r.ReadAt(head, 0); string(head[:n]) != cfb.Signature {
		return readWord2(ctx, r, size, opt)
	}
	c, err := cfb.Recover(r, size)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	e := c.Lookup("WordDocument")
	if e == nil || !e.IsStream() {
		return nil, damaged("damaged Word document: no WordDocument stream")
	}
	wd, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	if len(wd) < 0x22 {
		return nil, damaged("damaged Word document: the file information block is cut short")
	}
	key, err := encryption(c, wd, opt)
	if err != nil {
		return nil, err
	}
	if key != nil {
		wd = key.decrypt(wd, fibBase)
	}
	f, err := readFIB(c, wd, opt, key)
	if err != nil {
		return nil, err
	}
	doc := extract.NewText(extract.FormatDOC, opt)
	if err := doc.Properties(c, opt); err != nil {
		return nil, err
	}
	anchors, err := text(ctx, doc, f, wd)
	if err != nil {
		return nil, err
	}
	if f.noTable {
		doc.Review = append(doc.Review, "damaged Word document: no table stream, its text was read without the tables that say which parts are hidden, deleted or notes")
	}
	if err := objects(ctx, c, doc, opt); err != nil {
		return nil, err
	}
	// Pictures: in the Data stream, and in the drawing's store in the
	// other two (Word 6/95 has its tables in WordDocument). Word 6/95
	// keeps its pictures without OfficeArt records: each character that
	// anchors a picture or an object counts as one.
	streams := [][]byte{wd}
	if !f.word6 {
		streams = append(streams, f.tables)
	}
	if e := c.Lookup("Data"); e != nil && e.IsStream() {
		data, err := c.ReadStream(e, opt.MaxInflated)
		if err != nil {
			return nil, extract.CFBError(err)
		}
		if key != nil {
			data = key.decrypt(data, 0)
		}
		streams = append(streams, data)
	}
	blips := pictures(streams...)
	if f.word6 {
		// Where their bytes are is not known: none is decoded.
		blips = make([]picture.Blip, anchors)
	}
	if err := doc.ReadBlips(ctx, blips); err != nil {
		return nil, err
	}
	doc.ReviewPictures()
	if err := doc.AddAll(officeart.Segments(streams...)); err != nil {
		return nil, err
	}
	doc.Review = append(doc.Review, c.Review()...)
	return doc.Document, nil
}

// fibBase is the part of the FIB an encrypted file keeps in the clear.
const fibBase = 68

// tableStream is the name of the stream the FIB's flags say holds the
// tables of a Word 97 file.
func tableStream(flags uint16) string {
	if flags&fWhichTblStm != 0 {
		return "1Table"
	}
	return "0Table"
}

// encryption returns the key of an encrypted document (nil for one that
// is not), opened with the empty password or one of opt's; an error of
// kind encrypted when none opens it or the cipher is not RC4 (XOR
// obfuscation, Word 6/95's).
func encryption(c *cfb.File, wd []byte, opt extract.Options) (blockKey, error) {
	flags := binary.LittleEndian.Uint16(wd[0x0A:])
	if flags&(fEncrypted|fObfuscated) == 0 {
		return nil, nil
	}
	locked := extract.Errorf(extract.KindEncrypted, "encrypted Office document: cannot be read without its password")
	e := c.Lookup(tableStream(flags))
	if flags&fObfuscated != 0 || binary.LittleEndian.Uint16(wd[2:]) < nFibNotWord95 || e == nil || !e.IsStream() {
		return nil, locked
	}
	t, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	// The encryption header starts the table stream, lKey bytes long.
	t = t[:min(len(t), int(binary.LittleEndian.Uint32(wd[0x0E:])))]
	key, ok := unlock(t, append([]string{""}, opt.Passwords...))
	if !ok {
		return nil, locked
	}
	return key, nil
}

// readFIB reads the FIB at the start of the WordDocument stream wd, and
// the table stream it names, decrypted with key unless it is nil.
func readFIB(c *cfb.File, wd []byte, opt extract.Options, key blockKey) (*fib, error) {
	le := binary.LittleEndian
	nFib := le.Uint16(wd[2:])
	f := &fib{flags: le.Uint16(wd[0x0A:]), lid: int(le.Uint16(wd[6:])), fcMin: le.Uint32(wd[0x18:]), fcMac: le.Uint32(wd[0x1C:])}
	switch {
	case nFib < nFibWord6:
		// In a compound file: not a layout Word ever wrote (Word 2.0 and
		// before write the FIB at the start of a plain file, readWord2).
		return nil, damaged("damaged Word document: its version is older than Word 6")
	case nFib < nFibNotWord95:
		// Word 6/95: the lengths of the stories at 0x34, the (fc, lcb)
		// pairs from 0x58 on, the tables in WordDocument itself.
		if len(wd) < 0x58 {
			return nil, damaged("damaged Word document: the file information block is cut short")
		}
		f.word6 = true
		for i := range f.ccp {
			f.ccp[i] = le.Uint32(wd[0x34+4*i:])
		}
		f.fcLcb, f.tables = wd[0x58:min(len(wd), 0x58+8*(iClx+1))], wd
		return f, nil
	}
	// Word 97 and later: blocks of 16-bit values, of 32-bit values (the
	// lengths of the stories from the fourth on) and of (fc, lcb) pairs,
	// each after its count.
	p := 0x22 + 2*int(le.Uint16(wd[0x20:]))
	if p+2 > len(wd) {
		return nil, damaged("damaged Word document: the file information block is cut short")
	}
	lw := p + 2
	p = lw + 4*int(le.Uint16(wd[p:]))
	if p+2 > len(wd) || p-lw < 44 {
		return nil, damaged("damaged Word document: the file information block is cut short")
	}
	for i, at := range []int{12, 16, 20, 24, 28, 32, 36, 40} {
		f.ccp[i] = le.Uint32(wd[lw+at:])
	}
	n := int(le.Uint16(wd[p:]))
	f.fcLcb = wd[p+2 : min(len(wd), p+2+8*n)]
	e := c.Lookup(tableStream(f.flags))
	if e == nil || !e.IsStream() {
		f.noTable = true
		return f, nil
	}
	t, err := c.ReadStream(e, opt.MaxInflated)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	if key != nil {
		t = key.decrypt(t, int(le.Uint32(wd[0x0E:])))
	}
	f.tables = t
	return f, nil
}

// fontCodePages are the code pages of the East Asian character sets a
// font can be made for (its chs).
var fontCodePages = map[byte]int{134: codepage.GBK, 136: 950, 128: 932, 129: 949}

// codePage is the code page of a Word 6/95 file's 8-bit text, whose
// pieces are pcs: that of its language; when that is a Western one and
// the font table (SttbfFfn) lists a font made for an East Asian character
// set, that set's code page if the text reads in it (every byte above
// 0x7F in a valid pair, and East Asian characters among them): Chinese
// Word 95 on an English system writes lid 0x0409 and its text in GBK, and
// Western files list such fonts too.
func (f *fib) codePage(wd []byte, pcs []piece) int {
	cp := codepage.FromLID(f.lid)
	if cp != codepage.Latin1 {
		return cp
	}
	// A 16-bit size, then the fonts: each its size less one, then flags,
	// weight, and its character set at offset 4.
	ffn := f.pair(iSttbfFfn)
	for p := 2; p+5 < len(ffn); p += int(ffn[p]) + 1 {
		fe, ok := fontCodePages[ffn[p+4]]
		if !ok {
			continue
		}
		var text []byte
		for _, pc := range pcs {
			if b, _, ok := pc.bytes(wd, pc.cp, pc.end); ok && !pc.wide {
				text = append(text, b...)
			}
		}
		s := codepage.Decode(fe, text)
		if !strings.ContainsRune(s, utf8.RuneError) && strings.IndexFunc(s, func(r rune) bool { return r >= 0x3000 }) >= 0 {
			return fe
		}
		return cp
	}
	return cp
}
