package picture

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"io"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract/internal/codepage"
)

// Bounds of Meta: the text values it keeps, their decoded bytes, the IFD
// entries it walks (IFDs may overlap: entries, not bytes, bound the walk),
// the depth of an XMP packet's elements.
const (
	maxMetaValues  = 4096
	maxMetaText    = 1 << 20
	maxMetaEntries = 1 << 18
	maxXMPDepth    = 64
)

// Tags of the TIFF and EXIF IFDs that hold text people write.
const (
	tagDocumentName     = 0x010D
	tagImageDescription = 0x010E
	tagArtist           = 0x013B
	tagXMP              = 0x02BC // XMLPacket: an XMP packet, in TIFF files
	tagCopyright        = 0x8298
	tagIPTC             = 0x83BB // IPTC-NAA records, in TIFF files
	tagExifIFD          = 0x8769 // the offset of the Exif sub-IFD
	tagUserComment      = 0x9286
	tagXPTitle          = 0x9C9B // XPTitle … XPSubject: UTF-16LE, as Windows Explorer writes them
	tagXPSubject        = 0x9C9F
)

// Meta returns the text a picture carries in its metadata, in file order,
// in UTF-8: Windows Explorer's properties (EXIF XPTitle, XPComment,
// XPAuthor, XPKeywords, XPSubject), EXIF and TIFF ImageDescription,
// Artist, Copyright, DocumentName and UserComment, XMP packets (their text
// and property values but thumbnails), IPTC records (of JPEG's APP13 and
// TIFF), JPEG comments, PNG text chunks (tEXt, zTXt, iTXt, as "keyword:
// text") and eXIf chunks, GIF comments and XMP, WebP EXIF and XMP chunks.
// Camera data (make, model, dates, exposure) is not read. A value that is
// no text by isText (a date, a serial number, punctuation) is left out,
// and so is a value met before. damaged reports that text may
// have been lost: a text value or the structure that holds it is cut
// short or points outside the data, a compressed text does not inflate,
// an XMP packet is not well formed, or a bound was reached. A picture cut
// short elsewhere (in its pixels, before its end marker) is not damaged
// metadata: decoding it says so. Meta reads only data and never fails.
func Meta(data []byte) (lines []string, damaged bool) {
	m := &meta{seen: map[string]bool{}}
	switch Format(data) {
	case formatJPEG:
		m.jpeg(data)
	case formatPNG:
		m.png(data)
	case formatGIF:
		m.gif(data)
	case formatWebP:
		m.webp(data)
	case formatTIFF:
		m.tiff(data, false)
	}
	return m.lines, m.damaged
}

// meta gathers the text values of a picture's metadata.
type meta struct {
	lines   []string
	seen    map[string]bool
	text    int // bytes kept
	entries int // IFD entries walked
	damaged bool
	full    bool // a bound was reached: nothing more is kept
}

// add keeps s, unless it is no text or was met before.
func (m *meta) add(s string) {
	// Writers end values with NULs, or fill them with spaces.
	s = strings.TrimFunc(strings.ToValidUTF8(s, "\uFFFD"), func(r rune) bool { return r == 0 || unicode.IsSpace(r) })
	if m.full || m.seen[s] || !isText(s) {
		return
	}
	if len(m.lines) == maxMetaValues || m.text+len(s) > maxMetaText {
		m.full, m.damaged = true, true
		return
	}
	m.seen[s] = true
	m.text += len(s)
	m.lines = append(m.lines, s)
}

// isText reports whether s is text rather than a number, a date or a
// code: it holds a letter that is not an ASCII one (a Chinese character),
// or two ASCII letters in a row (a word; the T of 2026-12-01T10:00 or the
// x of 4x3 alone is none).
func isText(s string) bool {
	prev := false // the rune before was an ASCII letter
	for _, r := range s {
		ascii := r < utf8.RuneSelf && unicode.IsLetter(r)
		if (ascii && prev) || (r >= utf8.RuneSelf && unicode.IsLetter(r)) {
			return true
		}
		prev = ascii
	}
	return false
}

// decode8 decodes 8-bit text whose charset is not said: UTF-8 when it is
// valid, else GB18030 (Chinese Windows writes GBK), else Windows-1252.
func decode8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	if s, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil && !bytes.ContainsRune(s, utf8.RuneError) {
		return string(s)
	}
	return codepage.Decode(codepage.Latin1, b)
}

// decode16 decodes UTF-16 in byte order order (a byte-order mark wins),
// up to its first NUL.
func decode16(b []byte, order binary.ByteOrder) string {
	switch {
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		b, order = b[2:], binary.LittleEndian
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		b, order = b[2:], binary.BigEndian
	}
	u := make([]uint16, 0, len(b)/2)
	for i := 0; i+1 < len(b); i += 2 {
		c := order.Uint16(b[i:])
		if c == 0 {
			break
		}
		u = append(u, c)
	}
	return string(utf16.Decode(u))
}

// jpeg reads the segments of a JPEG before its first scan: comments (COM),
// EXIF and XMP (APP1), Photoshop's resources (APP13: IPTC).
func (m *meta) jpeg(b []byte) {
	cut := jpegSegments(b, func(marker byte, seg []byte) bool {
		switch {
		case marker == 0xFE:
			m.add(decode8(bytes.TrimRight(seg, "\x00")))
		case marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")):
			m.exif(seg[6:])
		case marker == 0xE1 && bytes.HasPrefix(seg, []byte("http://ns.adobe.com/xap/1.0/\x00")):
			m.xmp(seg[29:])
		case marker == 0xED && bytes.HasPrefix(seg, []byte("Photoshop 3.0\x00")):
			m.photoshop(seg[14:])
		}
		return true
	})
	if cut == 0xFE || cut == 0xE1 || cut == 0xED { // a comment, EXIF, XMP or IPTC cut short
		m.damaged = true
	}
}

// jpegSegments calls fn with the marker and the data of each segment of a
// JPEG before its first scan, until fn returns false, and returns the
// marker of a segment cut short by the end of b (0 when none is).
func jpegSegments(b []byte, fn func(marker byte, seg []byte) bool) (cut byte) {
	for i := 2; i+4 <= len(b) && b[i] == 0xFF; {
		marker := b[i+1]
		switch {
		case marker == 0xFF: // fill byte
			i++
			continue
		case marker == 0xDA, marker == 0xD9: // start of scan, end of image
			return 0
		case marker == 0x01, marker >= 0xD0 && marker <= 0xD8: // no length
			i += 2
			continue
		}
		n := int(binary.BigEndian.Uint16(b[i+2:]))
		if n < 2 || i+2+n > len(b) {
			return marker
		}
		if !fn(marker, b[i+4:i+2+n]) {
			return 0
		}
		i += 2 + n
	}
	return 0
}

// png reads the text chunks of a PNG (tEXt, zTXt, iTXt; an iTXt named
// XML:com.adobe.xmp is an XMP packet) and its eXIf chunk.
func (m *meta) png(b []byte) {
	for i := 8; i+8 <= len(b); {
		n, typ := uint64(binary.BigEndian.Uint32(b[i:])), string(b[i+4:i+8])
		if n > uint64(len(b)-i-8) {
			m.damaged = typ == "tEXt" || typ == "zTXt" || typ == "iTXt" || typ == "eXIf"
			return
		}
		data := b[i+8 : i+8+int(n)]
		switch typ {
		case "IEND":
			return
		case "tEXt", "zTXt", "iTXt":
			m.pngText(typ, data)
		case "eXIf":
			m.exif(data)
		}
		i += 8 + int(n) + 4 // the CRC after the data (not checked)
	}
}

// pngText reads a text chunk of a PNG, data its bytes.
func (m *meta) pngText(typ string, data []byte) {
	keyword, rest, ok := bytes.Cut(data, []byte{0})
	if !ok {
		m.damaged = true
		return
	}
	var text []byte
	switch typ {
	case "tEXt":
		text = rest
	case "zTXt": // compression method, then the deflated text
		if len(rest) < 1 {
			m.damaged = true
			return
		}
		text, ok = m.inflate(rest[1:])
	case "iTXt": // compressed?, method, language\0, translated keyword\0, text (UTF-8)
		if len(rest) < 2 {
			m.damaged = true
			return
		}
		compressed := rest[0] == 1
		_, rest, _ = bytes.Cut(rest[2:], []byte{0})
		translated, rest, found := bytes.Cut(rest, []byte{0})
		if !found {
			m.damaged = true
			return
		}
		m.add(decode8(translated))
		if text = rest; compressed {
			text, ok = m.inflate(rest)
		}
	}
	if !ok {
		return
	}
	if typ == "iTXt" && string(keyword) == "XML:com.adobe.xmp" {
		m.xmp(text)
		return
	}
	if t := decode8(text); isText(t) {
		m.add(decode8(keyword) + ": " + t)
	}
}

// inflate inflates zlib data, at most the text bound; ok is false (and
// the metadata damaged) when it does not inflate or is larger.
func (m *meta) inflate(b []byte) (text []byte, ok bool) {
	r, err := zlib.NewReader(bytes.NewReader(b))
	if err == nil {
		text, err = io.ReadAll(io.LimitReader(r, maxMetaText+1))
	}
	if err != nil || len(text) > maxMetaText {
		m.damaged = true
		return nil, false
	}
	return text, true
}

// gif reads the comment extensions of a GIF and its XMP application
// extension, walking past its images.
func (m *meta) gif(b []byte) {
	if len(b) < 13 { // no screen descriptor: a damaged picture
		return
	}
	i := 13
	if b[10]&0x80 != 0 { // global color table
		i += 3 << (b[10]&7 + 1)
	}
	// blocks returns the data sub-blocks from j on, joined when keep is
	// set, and where they end; ok is false when they run past the data.
	blocks := func(j int, keep bool) (data []byte, end int, ok bool) {
		for j < len(b) {
			n := int(b[j])
			if n == 0 {
				return data, j + 1, true
			}
			if j+1+n > len(b) {
				return nil, 0, false
			}
			if keep {
				data = append(data, b[j+1:j+1+n]...)
			}
			j += 1 + n
		}
		return nil, 0, false
	}
	for i < len(b) {
		switch b[i] {
		case 0x3B: // trailer
			return
		case 0x21: // extension: its label, then sub-blocks
			if i+2 > len(b) {
				m.damaged = true
				return
			}
			label, start := b[i+1], i+2
			data, end, ok := blocks(start, label == 0xFE)
			if !ok {
				m.damaged = label == 0xFE || label == 0xFF // a comment or an application's data cut short
				return
			}
			switch {
			case label == 0xFE:
				m.add(decode8(data))
			case label == 0xFF && bytes.HasPrefix(b[start:end], []byte("\x0BXMP DataXMP")):
				// XMP's bytes are stored raw, as if sub-blocks, before a
				// "magic trailer" of bytes 0x01 to 0xFF, none of which is
				// in a packet's text.
				x := b[start+12 : end]
				if k := bytes.IndexByte(x, 0x01); k >= 0 {
					x = x[:k]
				}
				m.xmp(x)
			}
			i = end
		case 0x2C: // image: descriptor, color table, code size, sub-blocks
			if i+10 > len(b) {
				return
			}
			j := i + 10
			if b[i+9]&0x80 != 0 {
				j += 3 << (b[i+9]&7 + 1)
			}
			_, end, ok := blocks(j+1, false)
			if !ok {
				return
			}
			i = end
		default: // not a block: the picture is damaged, and says so
			return
		}
	}
}

// webp reads the EXIF and XMP chunks of a WebP.
func (m *meta) webp(b []byte) {
	for i := 12; i+8 <= len(b); {
		n, typ := uint64(binary.LittleEndian.Uint32(b[i+4:])), string(b[i:i+4])
		if n > uint64(len(b)-i-8) {
			m.damaged = typ == "EXIF" || typ == "XMP "
			return
		}
		data := b[i+8 : i+8+int(n)]
		switch typ {
		case "EXIF":
			m.exif(bytes.TrimPrefix(data, []byte("Exif\x00\x00")))
		case "XMP ":
			m.xmp(data)
		}
		i += 8 + int(n) + int(n&1) // chunks are padded to an even size
	}
}

// exif reads an EXIF block: a TIFF structure of its own.
func (m *meta) exif(b []byte) {
	if !bytes.HasPrefix(b, []byte("II*\x00")) && !bytes.HasPrefix(b, []byte("MM\x00*")) {
		m.damaged = true
		return
	}
	m.tiff(b, true)
}

// tiff reads the text tags of every IFD of a TIFF structure, and of the
// Exif sub-IFD each points to. In an EXIF block a chain of IFDs that
// loops or points outside the data is damaged metadata; in a TIFF file it
// is a damaged picture, which decoding it says.
func (m *meta) tiff(b []byte, exif bool) {
	order, ifds, err := tiffIFDs(b)
	if err != nil && exif {
		m.damaged = true
	}
	seen := map[int]bool{}
	for _, off := range ifds {
		seen[off] = true
	}
	for _, off := range ifds {
		if sub := m.ifd(b, order, off); sub > 0 && !seen[sub] {
			seen[sub] = true
			m.ifd(b, order, sub)
		}
	}
}

// ifd reads the text tags of the IFD at off of the TIFF structure b. It
// returns the offset of the Exif sub-IFD it names, 0 for none.
func (m *meta) ifd(b []byte, order binary.ByteOrder, off int) (exifIFD int) {
	if off < 0 || off > len(b)-2 {
		m.damaged = true
		return 0
	}
	n := int(order.Uint16(b[off:]))
	if off+2+12*n > len(b) {
		m.damaged = true // entries cut short
		n = (len(b) - off - 2) / 12
	}
	for e := off + 2; e < off+2+12*n; e += 12 {
		if m.entries++; m.entries > maxMetaEntries {
			m.damaged = true
			return 0
		}
		tag, typ, count := order.Uint16(b[e:]), order.Uint16(b[e+2:]), uint64(order.Uint32(b[e+4:]))
		if tag == tagExifIFD && (typ == 4 || typ == 13) && count == 1 {
			exifIFD = int(order.Uint32(b[e+8:]))
			if exifIFD <= 0 || exifIFD > len(b)-2 {
				m.damaged, exifIFD = true, 0
			}
			continue
		}
		text := tag == tagDocumentName || tag == tagImageDescription || tag == tagArtist || tag == tagCopyright ||
			tag == tagUserComment || tag == tagXMP || tag == tagIPTC || (tag >= tagXPTitle && tag <= tagXPSubject)
		// The text tags are of types ASCII, BYTE or UNDEFINED: a byte a
		// value (IPTC is also written as LONGs: its bytes all the same).
		if tag == tagIPTC && typ == 4 {
			count *= 4
		} else if !text || (typ != 1 && typ != 2 && typ != 7) {
			continue
		}
		v := b[e+8 : e+12]
		if count > 4 {
			at := uint64(order.Uint32(b[e+8:]))
			if at < 8 {
				// In the header: no value was written (Microsoft's clip
				// art has such), not a value lost.
				continue
			}
			if at+count > uint64(len(b)) {
				m.damaged = true // the value is outside the data
				continue
			}
			v = b[at : at+count]
		} else {
			v = v[:count]
		}
		switch {
		case tag == tagXMP:
			m.xmp(v)
		case tag == tagIPTC:
			m.iptc(v)
		case tag >= tagXPTitle && tag <= tagXPSubject:
			m.add(decode16(v, binary.LittleEndian))
		case tag == tagUserComment:
			m.add(userComment(v, order))
		default:
			// ASCII, NUL-terminated; Copyright may hold two strings
			// (photographer, editor) each ended by a NUL.
			for _, s := range bytes.Split(v, []byte{0}) {
				m.add(decode8(s))
			}
		}
	}
	return exifIFD
}

// userComment decodes an EXIF UserComment: an 8-byte code naming its
// charset, then the text. Cameras fill it with NULs or spaces.
func userComment(v []byte, order binary.ByteOrder) string {
	if len(v) < 8 {
		return decode8(bytes.TrimRight(v, "\x00 "))
	}
	code, text := string(v[:8]), v[8:]
	switch code {
	case "UNICODE\x00":
		return decode16(text, order)
	case "JIS\x00\x00\x00\x00\x00":
		s, err := japanese.ISO2022JP.NewDecoder().Bytes(bytes.TrimRight(text, "\x00 "))
		if err != nil {
			return ""
		}
		return string(s)
	case "ASCII\x00\x00\x00", "\x00\x00\x00\x00\x00\x00\x00\x00":
		return decode8(bytes.TrimRight(text, "\x00 "))
	}
	// No code: the whole value is the text, as some writers store it.
	return decode8(bytes.TrimRight(v, "\x00 "))
}

// photoshop reads Photoshop's image resources (a JPEG's APP13): its IPTC
// records (resource 0x0404).
func (m *meta) photoshop(b []byte) {
	for i := 0; i+4 <= len(b) && string(b[i:i+4]) == "8BIM"; {
		// The type, an id, a name (a Pascal string padded to an even
		// size), the data's size, the data (padded to an even size).
		if i+7 > len(b) {
			m.damaged = true
			return
		}
		id := binary.BigEndian.Uint16(b[i+4:])
		j := i + 6 + (int(b[i+6])+2)&^1
		if j+4 > len(b) {
			m.damaged = true
			return
		}
		n := uint64(binary.BigEndian.Uint32(b[j:]))
		if n > uint64(len(b)-j-4) {
			m.damaged = true
			return
		}
		if id == 0x0404 {
			m.iptc(b[j+4 : j+4+int(n)])
		}
		i = j + 4 + int(n) + int(n&1)
	}
}

// iptc reads IPTC-NAA records: the datasets of the application record
// (2: title, keywords, caption, headline, by-line …), as 8-bit text (the
// envelope's coded character set, 1:90, names UTF-8 or nothing useful:
// decode8 tries UTF-8 first).
func (m *meta) iptc(b []byte) {
	for i := 0; i+5 <= len(b) && b[i] == 0x1C; {
		record, dataset := b[i+1], b[i+2]
		n := int(binary.BigEndian.Uint16(b[i+3:]))
		if n&0x8000 != 0 || i+5+n > len(b) {
			// An extended size is for binary data (previews), not text.
			m.damaged = n&0x8000 == 0
			return
		}
		v := b[i+5 : i+5+n]
		if record == 2 && dataset > 0 && dataset < 200 { // 0: the version; 200 up: previews
			m.add(decode8(v))
		}
		i += 5 + n
	}
}

// xmpSyntax are the namespaces of attributes that are XMP's syntax, not
// its properties (prefixes stand for undeclared namespaces).
var xmpSyntax = map[string]bool{
	"xmlns": true, "xml": true, "rdf": true, "x": true,
	"http://www.w3.org/XML/1998/namespace":        true,
	"http://www.w3.org/1999/02/22-rdf-syntax-ns#": true,
	"adobe:ns:meta/": true,
}

// xmpThumbnails is the namespace of the thumbnails XMP holds (a JPEG in
// base64, not text).
const xmpThumbnails = "http://ns.adobe.com/xap/1.0/g/img/"

// xmp reads the character data and property attribute values of an XMP
// packet (dc:title, dc:description, dc:subject, photoshop:Headline …),
// as the PDF reader reads a PDF's, but for its thumbnails.
func (m *meta) xmp(b []byte) {
	// Writers pad a packet with NULs to leave room for edits.
	d := xml.NewDecoder(bytes.NewReader(bytes.TrimRight(b, "\x00")))
	d.Strict = false
	// XMP is UTF-8 by its specification; a packet that declares another
	// charset is read as is rather than dropped.
	d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	depth := 0
	for !m.full {
		tok, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			m.damaged = true
			return
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == xmpThumbnails {
				if d.Skip() != nil {
					m.damaged = true
					return
				}
				continue
			}
			if depth++; depth > maxXMPDepth {
				m.damaged = true
				return
			}
			for _, a := range t.Attr {
				if !xmpSyntax[a.Name.Space] && a.Name.Local != "xmlns" && a.Name.Space != xmpThumbnails {
					m.add(a.Value)
				}
			}
		case xml.EndElement:
			depth--
		case xml.CharData:
			m.add(string(t))
		}
	}
}
