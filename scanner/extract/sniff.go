package extract

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"golang.org/x/text/encoding/unicode"

	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/pdfsyntax"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

// sniffLen is how much of the head of a file Sniff looks at.
const sniffLen = 8192

// pdfJunk is how far into a file PDF readers look for %PDF.
const pdfJunk = 1024

// sniffMaxEntries bounds the zip directory Sniff reads to find the kind of
// container; no office package comes near it.
const sniffMaxEntries = 1 << 18

// Sniff returns the format of a file from its bytes, never from its name:
// the format it is reported as, which is the first reading of sniff.
// It fails only when the file cannot be read or is a damaged zip container
// (a truncated DOCX has a zip signature but no directory).
func Sniff(r io.ReaderAt, size int64) (Format, error) {
	rs, err := sniff(r, size)
	if err != nil {
		return "", err
	}
	return rs[0].format, nil
}

// reading is one way to read a file: as format, its bytes from off to end
// (0: the end of the file), with prefix in front (the text of a binary
// prefix in front of a text file). Zip and PDF readers find their own
// start in front of off. review, when set, says why what it reads may be
// incomplete.
type reading struct {
	format   Format
	off, end int64
	prefix   []byte
	review   string
}

// sniff returns every reading a common reader would make of a file, the
// one it is reported as first. Most files have one. A polyglot (a DOCX
// whose first kilobyte holds a PDF, a PDF or a picture with a zip appended)
// has several, and is read as each: Word, unzip and PDF viewers each show
// their own. A format that carries no text is never a reading beside
// another, since an attacker can put its magic bytes in front of a zip.
func sniff(r io.ReaderAt, size int64) ([]reading, error) {
	if size == 0 {
		return []reading{{format: FormatText}}, nil
	}
	head := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return nil, Errorf(KindIO, "cannot read file: %v", err)
	}
	buf := tailBuffers.Get().(*[]byte)
	defer tailBuffers.Put(buf)
	tail := (*buf)[:min(size, zipTailLen)]
	if _, err := r.ReadAt(tail, size-int64(len(tail))); err != nil && err != io.EOF {
		return nil, Errorf(KindIO, "cannot read file: %v", err)
	}
	// PDF readers accept junk (a BOM, a mail header) before %PDF, so a file
	// that any reader opens as PDF is read as PDF.
	pdfAt := bytes.Index(head[:min(len(head), pdfJunk+5)], []byte("%PDF-"))
	main := reading{format: FormatPDF} // %PDF- first: no other signature
	var err error
	if pdfAt != 0 {
		main, err = sniffHead(r, size, head)
	}
	if err != nil {
		if pdfAt >= 0 {
			return []reading{{format: FormatPDF}}, nil
		}
		return nil, err
	}
	var rs []reading
	switch {
	case pdfAt >= 0 && (pdfAt == 0 || !signed(main.format)):
		rs = []reading{{format: FormatPDF}}
		// PDF readers skip what is in front of %PDF-, an editor shows it.
		if pre := head[:pdfAt]; len(bytes.Trim(pre, " \t\r\n\f\xEF\xBB\xBF")) > 0 && looksText(pre, false) {
			rs = append(rs, reading{format: FormatText, end: int64(pdfAt)})
		}
	default:
		if signed(main.format) || main.format == FormatText {
			rs = []reading{main}
		}
		// A PDF in the first kilobyte behind another format's signature,
		// or one appended to the file.
		off := int64(-1)
		if pdfAt >= 0 && pdfsyntax.ObjHeader.Match(head[pdfAt:]) {
			off = int64(pdfAt)
		} else {
			off = pdfAppended(r, size, tail)
		}
		// An archive reads a PDF stored in it whole as one of its files,
		// a TNEF stream one attached to it.
		if off >= 0 && !(main.format == FormatZIP && inStoredEntry(r, size, off)) &&
			!(main.format == FormatTNEF && inTNEF(r, size, off)) {
			rs = append(rs, reading{format: FormatPDF, off: off})
		}
	}
	if slices.ContainsFunc(rs, func(r reading) bool { return r.format == FormatPDF }) {
		if off := textAfterPDF(r, size, tail); off >= 0 {
			rs = append(rs, reading{format: FormatText, off: off})
		}
	}
	if !zipFamily(main.format) {
		if z, eocd := zipAtEnd(r, size, tail); eocd >= 0 && !(main.format == FormatOLE && inOLE(r, size, eocd)) &&
			!(main.format == FormatTNEF && inTNEF(r, size, eocd)) {
			// A self-extracting program, or anything with a zip appended,
			// is a zip to unzip and to Word.
			rs = append(rs, reading{format: z})
		}
	}
	if slices.ContainsFunc(rs, func(r reading) bool { return zipFamily(r.format) }) {
		if off := textAfterZip(r, size, tail); off >= 0 {
			rs = append(rs, reading{format: FormatText, off: off})
		}
	}
	if len(rs) == 0 {
		rs = []reading{main} // carries no text, or unknown
	}
	return rs, nil
}

// sniffHead returns the format that the signature at the start of a file
// gives, or text, or a format whose structure parses and that carries no
// text; otherwise unknown.
func sniffHead(r io.ReaderAt, size int64, head []byte) (reading, error) {
	switch {
	case hasPrefix(head, "PK\x03\x04"), hasPrefix(head, "PK\x05\x06"):
		f, err := sniffZip(r, size)
		return reading{format: f}, err
	case hasPrefix(head, cfb.Signature):
		if oleEncrypted(r, size) {
			return reading{format: FormatOfficeEncrypted}, nil
		}
		return reading{format: FormatOLE}, nil
	case hasPrefix(head, "\xFF\xFE"), hasPrefix(head, "\xFE\xFF"):
		// A byte order mark: text (checked before MP3 frame sync, which
		// FF FE also satisfies).
		return reading{format: textFormat(head)}, nil
	}
	if f := flatODF(head); f != "" && looksText(head, int64(len(head)) < size) {
		return reading{format: f}, nil
	}
	if hasPrefix(head, "\xEF\xBB\xBF") {
		return reading{format: textFormat(head)}, nil
	}
	truncated := int64(len(head)) < size
	f := magicFormat(head, size)
	switch {
	case f != "" && !noText(f):
		return reading{format: f}, nil
	case looksText(head, truncated):
		return reading{format: textFormat(head)}, nil
	case f == "" && bytes.IndexByte(head, 0) < 0 && textFormat(head) != FormatText:
		// A page or a message in two encodings (a raw GBK subject over
		// a UTF-8 body) is no clean text, but a browser or a mail
		// client opens it: its reader decodes each part on its own.
		return reading{format: textFormat(head)}, nil
	}
	// Text behind the signature of a format that is skipped, or behind a
	// whole header of one, is text to an editor, and the signature is a
	// decoy: checked before the formats that are skipped, whose real files
	// have binary structure there.
	if decoy(head) {
		if k, text := textPrefix(head, truncated); k > 0 {
			// The prefix may be a header whose strings are not text to
			// textPrefix (UTF-16, say), and binary bytes may follow the head.
			return reading{format: FormatText, off: int64(k), prefix: text,
				review: "text behind the signature of a program, font or media file: the bytes in front of the text were not read as text"}, nil
		}
	}
	switch {
	case f != "":
		return reading{format: f}, nil
	case isMPEGTS(head):
		return reading{format: FormatVideo}, nil
	}
	return reading{format: FormatUnknown}, nil
}

// textFormat sorts text files by their first content: a web page, a
// mail message, or plain text.
func textFormat(head []byte) Format {
	switch {
	case hasPrefix(head, "\xFF\xFE"):
		head = []byte(decodeUTF16(head[:len(head)&^1], unicode.LittleEndian))
	case hasPrefix(head, "\xFE\xFF"):
		head = []byte(decodeUTF16(head[:len(head)&^1], unicode.BigEndian))
	}
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	switch {
	case isHTML(head):
		return FormatHTML
	case isEML(head):
		return FormatEML
	}
	return FormatText
}

// htmlStarts are the tags a web page may start with (after white space,
// comments and an XML declaration), each followed by white space, '>' or
// '/'. A text that mentions a tag does not start with one.
var htmlStarts = []string{"<!doctype html", "<html", "<head", "<body"}

// isHTML says a text starts as a web page does: with one of htmlStarts,
// closed on the same line or the next few, or a meta element that gives a
// charset.
func isHTML(b []byte) bool {
	for {
		b = bytes.TrimLeft(b, " \t\r\n\f")
		var end []byte
		switch {
		case hasPrefix(b, "<!--"):
			end = []byte("-->")
		case hasPrefix(b, "<?xml"):
			end = []byte("?>")
		}
		if end == nil {
			break
		}
		i := bytes.Index(b, end)
		if i < 0 {
			return false
		}
		b = b[i+len(end):]
	}
	tag, _, closed := bytes.Cut(b[:min(len(b), 2048)], []byte(">"))
	if !closed {
		return false
	}
	tag = bytes.ToLower(tag)
	for _, s := range htmlStarts {
		if rest, ok := bytes.CutPrefix(tag, []byte(s)); ok && (len(rest) == 0 || strings.ContainsRune(" \t\r\n\f/", rune(rest[0]))) {
			return true
		}
	}
	rest, ok := bytes.CutPrefix(tag, []byte("<meta"))
	return ok && len(rest) > 0 && strings.ContainsRune(" \t\r\n\f/", rune(rest[0])) && bytes.Contains(rest, []byte("charset"))
}

// emlFields are header fields of mail (RFC 5322 and MIME): a text whose
// header has two of them is a message.
var emlFields = []string{"from", "to", "subject", "date", "message-id", "mime-version", "received", "return-path", "content-type"}

// isEML says a text starts with a mail header: lines that are header
// fields (or continue one) up to the first blank line or the end of the
// head, two of them fields of emlFields. A mailbox's "From " line may come
// first.
func isEML(b []byte) bool {
	if hasPrefix(b, "From ") {
		_, b, _ = bytes.Cut(b, []byte("\n"))
	}
	seen := map[string]bool{}
	lines := bytes.Split(b, []byte("\n"))
	for i, line := range lines {
		if i == len(lines)-1 && i > 0 {
			break // the head may end inside the header, cutting its last line
		}
		line = bytes.TrimSuffix(line, []byte("\r"))
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if i == 0 {
				return false
			}
			continue
		}
		name, _, ok := bytes.Cut(line, []byte(":"))
		if !ok || len(name) == 0 || bytes.IndexFunc(name, func(r rune) bool { return r <= ' ' || r > '~' }) >= 0 {
			return false
		}
		if n := strings.ToLower(string(name)); slices.Contains(emlFields, n) {
			seen[n] = true
		}
	}
	return len(seen) >= 2
}

// textPrefixMax bounds the cuts textPrefix tries: within the first 16
// bytes, or the 16 bytes after the last NUL of the head.
const textPrefixMax = 16

// textPrefix finds text behind a binary prefix (magic bytes, or a header
// that parses, put in front of a text file): the length k of the shortest
// prefix such that what follows, with the text of the prefix in front of
// it, looks like text, and is longer than the prefix, or than 256 bytes, or
// is at least 8 bytes that end the file. Text has no NUL, so k is past the
// last NUL of the head. The text of the prefix is the prefix without its
// control bytes or, when these are not of the encoding of what follows,
// without its invalid UTF-8 too: a word of a marking may sit in front of a
// NUL. k is 0 when there is no such prefix.
func textPrefix(head []byte, truncated bool) (k int, text []byte) {
	from := bytes.LastIndexByte(head, 0) + 1
	for k = max(1, from); k < max(textPrefixMax, from+textPrefixMax) && k < len(head); k++ {
		if rest := len(head) - k; rest < min(k, 256) && (truncated || rest < 8) {
			break
		}
		bare := make([]byte, 0, k)
		for _, c := range head[:k] {
			if c >= 0x20 && c != 0x7F || c == '\t' || c == '\n' || c == '\r' {
				bare = append(bare, c)
			}
		}
		for _, t := range [][]byte{bare, bytes.ToValidUTF8(bare, nil)} {
			if looksText(append(t[:len(t):len(t)], head[k:]...), truncated) {
				return k, t
			}
		}
	}
	return 0, nil
}

// textAfterPDF returns where text starts that was appended after the last
// %%EOF of a PDF, or -1. PDF readers ignore it, a text editor shows it.
func textAfterPDF(r io.ReaderAt, size int64, tail []byte) int64 {
	base := size - int64(len(tail))
	eof := int64(bytes.LastIndex(tail, pdfsyntax.EOFMarker))
	if eof >= 0 {
		eof += base
	} else if eof = pdfsyntax.LastIndexAt(r, 0, base+int64(len(pdfsyntax.EOFMarker))-1, pdfsyntax.EOFMarker); eof < 0 {
		return -1
	}
	off := eof + int64(len(pdfsyntax.EOFMarker))
	rest := make([]byte, min(size-off, sniffLen))
	if n, _ := r.ReadAt(rest, off); n < len(rest) {
		return -1
	}
	// An update after its last %%EOF is the PDF's own, and white space is
	// nothing.
	if len(bytes.Trim(rest, " \t\r\n\f\x00")) == 0 || bytes.Contains(rest, []byte("startxref")) ||
		!looksText(rest, int64(len(rest)) < size-off) {
		return -1
	}
	return off
}

// textAfterZip returns where text starts that follows a zip's end of
// central directory record, or -1: its comment (archivers show it) and
// what was appended after it (unzip and Word ignore that, a text editor
// shows it).
func textAfterZip(r io.ReaderAt, size int64, tail []byte) int64 {
	i := bytes.LastIndex(tail, []byte("PK\x05\x06"))
	if i < 0 || len(tail)-i < 22 {
		return -1
	}
	off := size - int64(len(tail)) + int64(i) + 22
	if off >= size {
		return -1
	}
	rest := make([]byte, min(size-off, sniffLen))
	if n, _ := r.ReadAt(rest, off); n < len(rest) {
		return -1
	}
	if len(bytes.Trim(rest, " \t\r\n\f\x00")) == 0 || !looksText(rest, int64(len(rest)) < size-off) {
		return -1
	}
	return off
}

// decoyMagic are the signatures of formats that are skipped unread (and of
// gzip, which a text file may begin with): cheap to put in front of a file.
var decoyMagic = []string{
	"\x7FELF", "MZ", "\xFE\xED\xFA\xCE", "\xFE\xED\xFA\xCF", "\xCE\xFA\xED\xFE", "\xCF\xFA\xED\xFE", "\xCA\xFE\xBA\xBE",
	"\x00\x01\x00\x00", "true", "OTTO", "ttcf", "wOFF", "wOF2",
	"ID3", "fLaC", "OggS", "RIFF", "\x1A\x45\xDF\xA3", "\x00\x00\x01\xBA", "\x1F\x8B",
}

// decoy says a file begins with the signature of a format that is
// skipped unread, whether or not its structure parses. Only there is text
// looked for behind a binary prefix: other binary bytes in front of text
// (UTF-16 without a byte order mark, say) stay unknown, an error.
func decoy(head []byte) bool {
	return slices.ContainsFunc(decoyMagic, func(m string) bool { return hasPrefix(head, m) }) ||
		len(head) >= 8 && string(head[4:8]) == "ftyp" ||
		len(head) >= 2 && head[0] == 0xFF && head[1]&0xE0 == 0xE0 || // MPEG audio
		len(head) > 0 && head[0] == 0x47 // MPEG transport stream
}

// signed says a format was recognized by a signature of its own (a zip
// directory, a compound file header, a picture or archive signature), so
// that a PDF found in its first kilobyte is a second reading, not its only
// one.
func signed(f Format) bool {
	return f != FormatText && f != FormatUnknown && !noText(f)
}

// zipFamily says a format is a zip container.
func zipFamily(f Format) bool {
	switch f {
	case FormatZIP, FormatDOCX, FormatXLSX, FormatPPTX, FormatOFD, FormatODT, FormatODS, FormatODP, FormatODF:
		return true
	}
	return false
}

// zipTailLen is how much of the end of a file holds a zip's end of central
// directory record: 22 bytes and a comment of up to 64 KiB.
const zipTailLen = 22 + 0xFFFF

// tailBuffers hold the end of a file while it is sniffed: every file has
// its tail read, most have no zip there.
var tailBuffers = sync.Pool{New: func() any { b := make([]byte, zipTailLen); return &b }}

// zipAtEnd says whether unzip would open the file: an end of central
// directory record in its tail, at eocd, and a directory that parses,
// whatever is in front (archive/zip, like unzip, adjusts offsets for a
// prefix). It returns the kind of container, or FormatZIP when the
// directory is too large to sort, so that reading it fails on the limit and
// is not skipped. eocd is -1 when unzip would not open the file.
func zipAtEnd(r io.ReaderAt, size int64, tail []byte) (Format, int64) {
	sig := []byte("PK\x05\x06")
	if !bytes.Contains(tail, sig) { // fast; LastIndex is not
		return "", -1
	}
	i := bytes.LastIndex(tail, sig)
	eocd := size - int64(len(tail)) + int64(i)
	f, err := sniffZip(r, size)
	switch {
	case err == nil:
		return f, eocd
	case KindOf(err) == KindLimit:
		return FormatZIP, eocd
	}
	return "", -1
}

// inOLE says the end of central directory record at eocd lies in a sector
// that a compound file allocates: the zip is one of its streams (Word
// 2007 and later keep a theme package in every .doc they save), a part of
// the document for its reader, not a second file.
func inOLE(r io.ReaderAt, size, eocd int64) bool {
	c, err := cfb.Open(r, size)
	return err == nil && eocd < c.AllocatedEnd()
}

// inTNEF says offset off of a TNEF stream lies in the data of one of its
// first 65536 attributes (a real stream has a few per attachment): a file
// attached to the message, not one appended to the stream. Each attribute
// is a level (1 or 2), an id, the length of its data, the data and a
// checksum; what does not parse as one is no longer the stream.
func inTNEF(r io.ReaderAt, size, off int64) bool {
	var h [9]byte
	for p, n := int64(6), 0; p+9 <= size && n < 1<<16; n++ {
		if _, err := r.ReadAt(h[:], p); err != nil || h[0] != 1 && h[0] != 2 {
			return false
		}
		data := p + 9
		end := data + int64(binary.LittleEndian.Uint32(h[5:]))
		if end+2 > size {
			return false
		}
		if off < end {
			return off >= data
		}
		p = end + 2
	}
	return false
}

// inStoredEntry says a PDF that starts at off, and ends at the file's last
// %%EOF, lies in the data of one entry of a zip stored without
// compression.
func inStoredEntry(r io.ReaderAt, size, off int64) bool {
	zr, err := zip.NewReader(r, size)
	eof := pdfsyntax.LastIndexAt(r, off, size, pdfsyntax.EOFMarker)
	if err != nil || eof < 0 {
		return false
	}
	for _, f := range zr.File {
		start, err := f.DataOffset()
		if err == nil && f.Method == zip.Store && start <= off && eof+int64(len(pdfsyntax.EOFMarker)) <= start+int64(f.CompressedSize64) {
			return true
		}
	}
	return false
}

// pdfAppended returns where a PDF starts that was appended to another
// file, or -1: the file ends like a PDF (startxref and %%EOF in its last
// kilobyte, where PDF readers look) and has a %PDF- header before that.
// PDF viewers open such a file by rebuilding its cross-reference table.
func pdfAppended(r io.ReaderAt, size int64, tail []byte) int64 {
	end := tail[max(0, len(tail)-pdfJunk):]
	i := bytes.LastIndex(end, []byte("startxref"))
	if i < 0 || !bytes.Contains(end[i:], pdfsyntax.EOFMarker) {
		return -1
	}
	return pdfsyntax.LastIndexAt(r, 0, size-int64(len(end)-i), []byte("%PDF-"))
}

func hasPrefix(b []byte, p string) bool { return bytes.HasPrefix(b, []byte(p)) }

// noText says a format is skipped unread. Its signatures are trusted only
// when the structure behind them parses and the bytes are not text, so that
// no text file, and no zip with a few magic bytes in front, passes for one.
func noText(f Format) bool {
	return f == FormatProgram || f == FormatFont || f == FormatAudio || f == FormatVideo
}

// magicFormat recognizes formats by a signature at the start of the file.
// Formats that are skipped unread want more: their structure must parse
// within the file's size.
func magicFormat(b []byte, size int64) Format {
	switch {
	case hasPrefix(b, "{\\rtf"):
		return FormatRTF
	case hasPrefix(b, "\x78\x9F\x3E\x22"): // 0x223E9F78, little-endian
		return FormatTNEF
	case hasPrefix(b, "Rar!\x1A\x07"):
		return FormatRAR
	case hasPrefix(b, "7z\xBC\xAF\x27\x1C"):
		return Format7Z
	case isGzip(b):
		return FormatGzip
	case hasPrefix(b, "\x89PNG\r\n\x1A\n"), hasPrefix(b, "\xFF\xD8\xFF"),
		hasPrefix(b, "GIF87a"), hasPrefix(b, "GIF89a"),
		hasPrefix(b, "II*\x00"), hasPrefix(b, "MM\x00*"),
		isBMP(b), isRIFF(b, "WEBP"), picture.IsEMF(b), picture.IsWMF(b):
		return FormatImage
	case isELF(b, size), isPE(b), isDOSExe(b, size), isMachO(b, size), isCafeBabe(b, size):
		return FormatProgram
	case isSFNT(b, size), isTTC(b, size), isWOFF(b, size):
		return FormatFont
	case isID3(b, size), isFLAC(b), isOgg(b), isRIFFMedia(b, "WAVE", size), isMP3(b):
		return FormatAudio
	case isRIFFMedia(b, "AVI ", size), isEBML(b, size), isMPEGPS(b):
		return FormatVideo
	case isFtyp(b, size):
		return ftypFormat(string(b[8:12]))
	case isBIFF(b):
		return FormatXLS
	case isWord2(b):
		return FormatDOC
	}
	return ""
}

// isWord2 reports whether b starts with the FIB of a Word for Windows 1.x
// or 2.0 document, a plain file (no compound file): wIdent 0xA59B or
// 0xA5DB and a version (nFib) before Word 6's 101.
func isWord2(b []byte) bool {
	if len(b) < 4 || b[1] != 0xA5 || b[0] != 0x9B && b[0] != 0xDB {
		return false
	}
	nFib := binary.LittleEndian.Uint16(b[2:])
	return nFib >= 20 && nFib < 101
}

// isBIFF reports whether b starts with the BOF record of an Excel 2, 3, 4
// (or a bare 5 or 8) workbook stream that is the file itself: record type
// 0x0009, 0x0209, 0x0409 or 0x0809, a length that fits a BOF, and the type
// of a workbook, sheet, chart or macro sheet.
func isBIFF(b []byte) bool {
	if len(b) < 8 || b[0] != 0x09 || b[1]&0xF9 != 0 {
		return false
	}
	n := binary.LittleEndian.Uint16(b[2:])
	switch dt := binary.LittleEndian.Uint16(b[6:]); {
	case n < 4 || n > 20:
		return false
	case dt == 0x0005, dt == 0x0010, dt == 0x0020, dt == 0x0040, dt == 0x0100:
		return true
	}
	return false
}

// ftypFormat sorts ISO media files by brand: HEIF/AVIF are photos (review,
// never skipped), M4A is audio, the rest video.
func ftypFormat(brand string) Format {
	switch brand {
	case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1", "avif", "avis":
		return FormatImage
	case "M4A ", "M4B ", "M4P ":
		return FormatAudio
	}
	return FormatVideo
}

func isRIFF(b []byte, kind string) bool {
	return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == kind
}

// isBMP wants the BM signature, zero reserved fields and a known DIB header
// size: two letters alone would catch text starting with "BM".
func isBMP(b []byte) bool {
	if len(b) < 18 || !hasPrefix(b, "BM") || binary.LittleEndian.Uint32(b[6:]) != 0 {
		return false
	}
	switch binary.LittleEndian.Uint32(b[14:]) {
	case 12, 40, 52, 56, 64, 108, 124:
		return true
	}
	return false
}

// The checks below want the structure of a format that is skipped unread
// to parse: its header's fields sane and what they point at inside the file.
// Magic bytes alone cost an attacker four bytes in front of a document.

// isELF wants a sane ELF identification and header, and program and
// section header tables inside the file.
func isELF(b []byte, size int64) bool {
	if len(b) < 52 || !hasPrefix(b, "\x7FELF") || b[6] != 1 {
		return false
	}
	var bo binary.ByteOrder
	switch b[5] {
	case 1:
		bo = binary.LittleEndian
	case 2:
		bo = binary.BigEndian
	default:
		return false
	}
	if t := bo.Uint16(b[16:]); t < 1 || t > 4 || bo.Uint32(b[20:]) != 1 {
		return false
	}
	// Offsets of the header tables and of the fields that follow them,
	// and the sizes of the header and of one entry of each table.
	var phoff, shoff uint64
	var rest, ehsize, phent, shent int
	switch b[4] {
	case 1:
		phoff, shoff = uint64(bo.Uint32(b[28:])), uint64(bo.Uint32(b[32:]))
		rest, ehsize, phent, shent = 40, 52, 32, 40
	case 2:
		if len(b) < 64 {
			return false
		}
		phoff, shoff = bo.Uint64(b[32:]), bo.Uint64(b[40:])
		rest, ehsize, phent, shent = 52, 64, 56, 64
	default:
		return false
	}
	field := func(i int) int { return int(bo.Uint16(b[rest+2*i:])) }
	phnum, shnum := field(2), field(5)
	table := func(off uint64, n, ent, want int) bool {
		return n == 0 || ent == want && off >= uint64(ehsize) && off <= uint64(size) && uint64(n*ent) <= uint64(size)-off
	}
	return field(0) == ehsize && phnum+shnum > 0 &&
		table(phoff, phnum, field(1), phent) && table(shoff, shnum, field(4), shent)
}

// isPE wants MZ, the PE signature where the DOS header points and a sane
// number of sections.
func isPE(b []byte) bool {
	if len(b) < 64 || !hasPrefix(b, "MZ") {
		return false
	}
	off := int(binary.LittleEndian.Uint32(b[0x3C:]))
	if off < 64 || off+8 > len(b) || string(b[off:off+4]) != "PE\x00\x00" {
		return false
	}
	n := binary.LittleEndian.Uint16(b[off+6:])
	return n > 0 && n <= 96
}

// isDOSExe wants an MS-DOS program header whose page counts fit the file
// (an overlay may follow the image) and whose header fits the image.
func isDOSExe(b []byte, size int64) bool {
	if len(b) < 28 || !hasPrefix(b, "MZ") {
		return false
	}
	le := binary.LittleEndian
	lastPage, pages, hdr := int64(le.Uint16(b[2:])), int64(le.Uint16(b[4:])), int64(le.Uint16(b[8:]))
	if lastPage >= 512 || pages == 0 || hdr < 2 {
		return false
	}
	image := pages * 512
	if lastPage != 0 {
		image -= 512 - lastPage
	}
	relocs := int64(le.Uint16(b[6:]))*4 + int64(le.Uint16(b[0x18:]))
	return image <= size && hdr*16 <= image && relocs <= hdr*16
}

// isMachO wants a Mach-O header (32 or 64 bits, either byte order) with a
// known file type and load commands that fit the file.
func isMachO(b []byte, size int64) bool {
	if len(b) < 32 {
		return false
	}
	var bo binary.ByteOrder = binary.BigEndian
	hdr := 28
	switch string(b[:4]) {
	case "\xFE\xED\xFA\xCE":
	case "\xFE\xED\xFA\xCF":
		hdr = 32
	case "\xCE\xFA\xED\xFE":
		bo = binary.LittleEndian
	case "\xCF\xFA\xED\xFE":
		bo, hdr = binary.LittleEndian, 32
	default:
		return false
	}
	ftype, ncmds, cmdsLen := bo.Uint32(b[12:]), uint64(bo.Uint32(b[16:])), uint64(bo.Uint32(b[20:]))
	if ftype < 1 || ftype > 12 || ncmds == 0 || ncmds*8 > cmdsLen || uint64(hdr)+cmdsLen > uint64(size) {
		return false
	}
	if hdr+8 <= len(b) {
		first := uint64(bo.Uint32(b[hdr+4:]))
		return first >= 8 && first <= cmdsLen
	}
	return true
}

// isCafeBabe wants a Mach-O universal binary whose architectures lie in the
// file, or a Java class file of a known version with a constant pool.
func isCafeBabe(b []byte, size int64) bool {
	if len(b) < 10 || !hasPrefix(b, "\xCA\xFE\xBA\xBE") {
		return false
	}
	be := binary.BigEndian
	if n := int(be.Uint32(b[4:])); n >= 1 && n <= 32 {
		dir := 8 + 20*n
		if dir > len(b) {
			return false
		}
		for i := 8; i < dir; i += 20 {
			off, length := uint64(be.Uint32(b[i+8:])), uint64(be.Uint32(b[i+12:]))
			if off < uint64(dir) || off+length > uint64(size) {
				return false
			}
		}
		return true
	}
	major := be.Uint16(b[6:])
	return major >= 45 && major <= 100 && be.Uint16(b[8:]) > 0
}

// isSFNT wants a TrueType or OpenType table directory: a sane table count,
// tags of printable letters, and tables that lie within the file after
// the directory.
func isSFNT(b []byte, size int64) bool {
	if !hasPrefix(b, "\x00\x01\x00\x00") && !hasPrefix(b, "true") && !hasPrefix(b, "OTTO") {
		return false
	}
	return sfntDirectory(b, 0, size)
}

// sfntDirectory checks the table directory of a font that starts at b[at:]
// (a collection holds several); table offsets count from the file's start.
func sfntDirectory(b []byte, at int, size int64) bool {
	if len(b) < at+12 {
		return false
	}
	be := binary.BigEndian
	n := int(be.Uint16(b[at+4:]))
	dir := at + 12 + 16*n
	if n == 0 || n > 256 || dir > len(b) {
		return false
	}
	for i := at + 12; i < dir; i += 16 {
		for _, c := range b[i : i+4] {
			if c < 0x20 || c > 0x7E {
				return false
			}
		}
		off, length := uint64(be.Uint32(b[i+8:])), uint64(be.Uint32(b[i+12:]))
		if off < uint64(dir) || off+length > uint64(size) {
			return false
		}
	}
	return true
}

// isTTC wants a TrueType collection header whose fonts start within the
// file, the first one with a table directory.
func isTTC(b []byte, size int64) bool {
	if len(b) < 16 || !hasPrefix(b, "ttcf") {
		return false
	}
	be := binary.BigEndian
	if v := be.Uint32(b[4:]); v != 0x00010000 && v != 0x00020000 {
		return false
	}
	n := int(be.Uint32(b[8:]))
	dir := 12 + 4*n
	if n == 0 || n > 1024 || dir > len(b) {
		return false
	}
	for i := 12; i < dir; i += 4 {
		if off := int64(be.Uint32(b[i:])); off < int64(dir) || off+12 > size {
			return false
		}
	}
	first := int(be.Uint32(b[12:]))
	return first+12 > len(b) || sfntDirectory(b, first, size)
}

// isWOFF wants a WOFF or WOFF2 header whose length field is the file's
// size, with tables and a zero reserved field.
func isWOFF(b []byte, size int64) bool {
	if len(b) < 16 || !hasPrefix(b, "wOFF") && !hasPrefix(b, "wOF2") {
		return false
	}
	be := binary.BigEndian
	return int64(be.Uint32(b[8:])) == size && be.Uint16(b[12:]) > 0 && be.Uint16(b[14:]) == 0
}

// isID3 wants an ID3v2 tag of a known version whose size fits the file and,
// when the head reaches past it, audio behind it: an MPEG frame sync (MP3,
// AAC) or FLAC.
func isID3(b []byte, size int64) bool {
	if len(b) < 10 || !hasPrefix(b, "ID3") || b[3] < 2 || b[3] > 4 || b[4] == 0xFF {
		return false
	}
	n := 0
	for _, c := range b[6:10] {
		if c >= 0x80 {
			return false
		}
		n = n<<7 | int(c)
	}
	end := 10 + n
	if b[5]&0x10 != 0 {
		end += 10 // a footer
	}
	if int64(end) > size {
		return false
	}
	return end+4 > len(b) || b[end] == 0xFF && b[end+1]&0xE0 == 0xE0 || hasPrefix(b[end:], "fLaC")
}

// isFLAC wants the STREAMINFO block, 34 bytes, first.
func isFLAC(b []byte) bool {
	return len(b) >= 42 && hasPrefix(b, "fLaC") && b[4]&0x7F == 0 && string(b[5:8]) == "\x00\x00\x22"
}

// isOgg wants the first page of a stream whole, with its checksum: version
// 0, the beginning-of-stream flag, the segment table and the segments it
// lists within b, and the page's CRC right. A header alone is 27 bytes
// anyone can write in front of a text; the CRC over the page is not.
func isOgg(b []byte) bool {
	if len(b) < 27 || !hasPrefix(b, "OggS") || b[4] != 0 || b[5]&^7 != 0 || b[5]&2 == 0 || 27+int(b[26]) > len(b) {
		return false
	}
	size := 27 + int(b[26])
	for _, n := range b[27:size] {
		size += int(n)
	}
	if size > len(b) {
		return false
	}
	page := slices.Clone(b[:size])
	want := binary.LittleEndian.Uint32(page[22:])
	clear(page[22:26])
	return oggCRC(page) == want
}

// oggCRC is the checksum of an Ogg page: CRC-32 of polynomial 0x04C11DB7,
// most significant bit first, no initial or final inversion.
func oggCRC(b []byte) uint32 {
	var crc uint32
	for _, c := range b {
		crc ^= uint32(c) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}

// isRIFFMedia wants a RIFF file of the kind whose first chunk has a
// printable name and fits the file.
func isRIFFMedia(b []byte, kind string, size int64) bool {
	if len(b) < 20 || !isRIFF(b, kind) {
		return false
	}
	for _, c := range b[12:16] {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return 20+int64(binary.LittleEndian.Uint32(b[16:])) <= size
}

// isEBML wants a Matroska or WebM header: an EBML element that fits the
// head and holds a DocType of "matroska" or "webm".
func isEBML(b []byte, size int64) bool {
	if !hasPrefix(b, "\x1A\x45\xDF\xA3") {
		return false
	}
	n, w := ebmlVint(b[4:])
	if w == 0 || 4+w+n > len(b) || int64(4+w+n) > size {
		return false
	}
	body := b[4+w : 4+w+n]
	for len(body) > 0 {
		id, iw := ebmlID(body)
		if iw == 0 {
			return false
		}
		l, lw := ebmlVint(body[iw:])
		if lw == 0 || iw+lw+l > len(body) {
			return false
		}
		if id == 0x4282 {
			t := string(body[iw+lw : iw+lw+l])
			return t == "matroska" || t == "webm"
		}
		body = body[iw+lw+l:]
	}
	return false
}

// ebmlID returns an EBML element ID, marker bits kept, and its width (at
// most 4 bytes), or a width of 0 when it is malformed.
func ebmlID(b []byte) (int, int) {
	return ebmlNumber(b, 4)
}

// ebmlVint returns an EBML data size, marker bit dropped, and its width.
func ebmlVint(b []byte) (int, int) {
	n, w := ebmlNumber(b, 8)
	return n &^ (1 << (7 * w)), w
}

// ebmlNumber reads a variable-length EBML number of at most limit bytes,
// marker bit kept; the width is 0 when it is malformed.
func ebmlNumber(b []byte, limit int) (int, int) {
	if len(b) == 0 || b[0] == 0 {
		return 0, 0
	}
	w := 1
	for m := byte(0x80); b[0]&m == 0; m >>= 1 {
		w++
	}
	if w > limit || w > len(b) {
		return 0, 0
	}
	n := 0
	for _, c := range b[:w] {
		n = n<<8 | int(c)
	}
	return n, w
}

// isMPEGPS wants an MPEG program stream pack header (MPEG-1 or MPEG-2)
// followed by another start code.
func isMPEGPS(b []byte) bool {
	if len(b) < 14 || !hasPrefix(b, "\x00\x00\x01\xBA") {
		return false
	}
	next := 12 // MPEG-1
	switch {
	case b[4]>>6 == 1:
		next = 14 + int(b[13]&7)
	case b[4]>>4 != 2:
		return false
	}
	return next+3 <= len(b) && hasPrefix(b[next:], "\x00\x00\x01")
}

// isFtyp wants an ISO media file type box that fits the file, with a
// printable major brand.
func isFtyp(b []byte, size int64) bool {
	if len(b) < 16 || string(b[4:8]) != "ftyp" {
		return false
	}
	n := int64(binary.BigEndian.Uint32(b))
	for _, c := range b[8:12] {
		if c < 0x20 || c > 0x7E {
			return false
		}
	}
	return n >= 16 && n%4 == 0 && n <= size
}

// isGzip wants a gzip header whose deflate stream starts to inflate: a
// text file may begin with the two magic bytes.
func isGzip(b []byte) bool {
	if len(b) < 18 || !hasPrefix(b, "\x1F\x8B\x08") || b[3]&0xE0 != 0 {
		return false
	}
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return false
	}
	_, err = zr.Read(make([]byte, 1))
	return err == nil || err == io.EOF
}

// isMP3 wants two consecutive valid MPEG audio frame headers: a lone 11-bit
// sync is too weak for a format that is skipped unread.
func isMP3(b []byte) bool {
	n := mp3FrameLen(b)
	if n <= 0 || n+4 > len(b) {
		return false
	}
	return mp3FrameLen(b[n:]) > 0
}

// mp3FrameLen returns the length of the MPEG-1/2 Layer III frame at b, or 0.
func mp3FrameLen(b []byte) int {
	if len(b) < 4 || b[0] != 0xFF || b[1]&0xE0 != 0xE0 {
		return 0
	}
	version := (b[1] >> 3) & 3 // 3 = MPEG-1, 2 = MPEG-2, 0 = MPEG-2.5
	layer := (b[1] >> 1) & 3   // 1 = Layer III
	bitrate := int(b[2] >> 4)
	rate := int((b[2] >> 2) & 3)
	if version == 1 || layer != 1 || bitrate == 0 || bitrate == 15 || rate == 3 {
		return 0
	}
	kbps := [...]int{0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320}
	hz := [...]int{44100, 48000, 32000}[rate]
	coef := 144
	if version != 3 {
		kbps = [...]int{0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160}
		hz /= 2
		if version == 0 {
			hz /= 2
		}
		coef = 72
	}
	return coef*kbps[bitrate]*1000/hz + int(b[2]>>1&1)
}

// isMPEGTS wants the 0x47 sync byte at three consecutive 188-byte packets.
func isMPEGTS(b []byte) bool {
	return len(b) > 2*188 && b[0] == 0x47 && b[188] == 0x47 && b[2*188] == 0x47
}

// sniffZip sorts zip containers by the entries in their central directory.
func sniffZip(r io.ReaderAt, size int64) (Format, error) {
	if n, ok := zipDeclaredEntries(r, size); ok && n > sniffMaxEntries {
		return "", Errorf(KindLimit, "zip has %d entries, over the limit of %d (max entries)", n, sniffMaxEntries)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		return "", Errorf(KindCorrupt, "damaged zip container: %s", zipFailure(err))
	}
	var kinds [4]bool // docx, xlsx, pptx, ofd
	var odf Format
	for _, f := range zr.File {
		switch {
		case strings.EqualFold(f.Name, "word/document.xml"):
			kinds[0] = true
		case strings.EqualFold(f.Name, "xl/workbook.xml"):
			kinds[1] = true
		case strings.EqualFold(f.Name, "ppt/presentation.xml"):
			kinds[2] = true
		case strings.EqualFold(f.Name, "OFD.xml"):
			kinds[3] = true
		case f.Name == "mimetype":
			odf = odfMimetype(f)
		}
	}
	for i, f := range []Format{FormatDOCX, FormatXLSX, FormatPPTX, FormatOFD} {
		if kinds[i] {
			return f, nil
		}
	}
	if odf != "" {
		return odf, nil
	}
	return FormatZIP, nil
}

// odfMimetype returns the OpenDocument format the mimetype entry names
// (odt, ods, odp, else odf), or "" when it names none.
func odfMimetype(f *zip.File) Format {
	rc, err := f.Open()
	if err != nil {
		return ""
	}
	defer rc.Close()
	b := make([]byte, 128)
	n, _ := io.ReadFull(rc, b)
	return odfFormat(string(b[:n]))
}

// odfFormat returns the format of an OpenDocument mimetype: odt, ods or
// odp (their templates and masters too), else odf (drawings, charts,
// formulas); "" when it is not an OpenDocument's.
func odfFormat(mimetype string) Format {
	kind, ok := strings.CutPrefix(strings.TrimSpace(mimetype), "application/vnd.oasis.opendocument.")
	if !ok {
		return ""
	}
	switch kind {
	case "text", "text-template", "text-master", "text-master-template", "text-web":
		return FormatODT
	case "spreadsheet", "spreadsheet-template":
		return FormatODS
	case "presentation", "presentation-template":
		return FormatODP
	}
	return FormatODF
}

// flatODF returns the format of an OpenDocument written as one XML file
// (.fodt, .fods, .fodp), or of a part of one (a content.xml), from its
// head: its root element and the mimetype on it; "" when it is none.
func flatODF(head []byte) Format {
	if !bytes.Contains(head, []byte("urn:oasis:names:tc:opendocument:xmlns:office:1.0")) {
		return ""
	}
	// The root is the first element after the prolog (declaration,
	// comments, processing instructions, a doctype).
	b := bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		if !bytes.HasPrefix(b, []byte("<?")) && !bytes.HasPrefix(b, []byte("<!")) {
			break
		}
		end := []byte(">")
		if bytes.HasPrefix(b, []byte("<!--")) {
			end = []byte("-->")
		}
		i := bytes.Index(b, end)
		if i < 0 {
			return ""
		}
		b = b[i+len(end):]
	}
	if !bytes.HasPrefix(b, []byte("<")) {
		return ""
	}
	name := b[1:]
	if i := bytes.IndexAny(name, " \t\r\n/>"); i >= 0 {
		name = name[:i]
	}
	_, local, _ := bytes.Cut(name, []byte(":"))
	switch string(local) {
	case "document", "document-content", "document-styles", "document-meta":
	default:
		return ""
	}
	m := odfMimetypeAttr.FindSubmatch(head)
	if m == nil {
		return FormatODF
	}
	if f := odfFormat(string(m[1])); f != "" {
		return f
	}
	return FormatODF
}

// odfMimetypeAttr finds the mimetype on the root of a flat OpenDocument.
var odfMimetypeAttr = regexp.MustCompile(`office:mimetype\s*=\s*["']([^"']*)["']`)

// oleEncrypted reports whether a compound file holds, at its root, a
// stream of an encrypted OOXML package.
func oleEncrypted(r io.ReaderAt, size int64) bool {
	c, err := cfb.Open(r, size)
	if err != nil {
		return false
	}
	for _, name := range []string{"EncryptionInfo", "EncryptedPackage"} {
		if e := c.Lookup(name); e != nil && e.IsStream() {
			return true
		}
	}
	return false
}
