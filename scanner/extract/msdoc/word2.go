package msdoc

import (
	"context"
	"encoding/binary"
	"io"

	"github.com/baomi/baomi/scanner/extract"
)

// Word for Windows 1.x and 2.0 files are no compound file: the file is
// what later versions keep in the WordDocument stream, its FIB first
// (wIdent 0xA59B for 1.x, 0xA5DB for 2.0: sniffing knows them). Their 8-bit text runs from
// fcMin in the ANSI code page of the document's language, the stories in
// the same order and the lengths at the same places as in Word 6 (body,
// footnotes, headers, macros, comments); the later fields of the FIB
// differ, so the tables (character formatting, fonts) are not read.
// word2Stories is how many story lengths the Word 1.x/2.0 FIB holds at
// 0x34: body, footnotes, headers, macros, comments.
const word2Stories = 5

// readWord2 reads a Word for Windows 1.x or 2.0 document.
func readWord2(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	if size > opt.MaxInflated {
		return nil, extract.Errorf(extract.KindLimit, "streams inflate to more than %d bytes (max inflated)", opt.MaxInflated)
	}
	wd := make([]byte, size)
	if _, err := r.ReadAt(wd, 0); err != nil && err != io.EOF {
		return nil, extract.Errorf(extract.KindIO, "cannot read file: %v", err)
	}
	if len(wd) < 0x34+4*word2Stories {
		return nil, damaged("damaged Word document: the file information block is cut short")
	}
	le := binary.LittleEndian
	f := &fib{word6: true, flags: le.Uint16(wd[0x0A:]), lid: int(le.Uint16(wd[6:])), fcMin: le.Uint32(wd[0x18:]), fcMac: le.Uint32(wd[0x1C:]), tables: wd}
	switch {
	case f.flags&fEncrypted != 0:
		return nil, extract.Errorf(extract.KindEncrypted, "encrypted Office document: cannot be read without its password")
	case f.flags&fComplex != 0:
		// A fast save appends edits and a piece table whose place this
		// reader does not know: reading fcMin to fcMac would miss them.
		return nil, extract.Errorf(extract.KindUnsupported, "fast-saved Word 2.0 document: baomi cannot read this format yet")
	}
	for i := range word2Stories {
		f.ccp[i] = le.Uint32(wd[0x34+4*i:])
	}
	doc := extract.NewText(extract.FormatDOC, opt)
	anchors, err := text(ctx, doc, f, wd)
	if err != nil {
		return nil, err
	}
	doc.Review = append(doc.Review, extract.PicturesReview(anchors, "")...)
	return doc.Document, nil
}
