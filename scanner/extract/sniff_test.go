package extract

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract/cfb"
)

func pngBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func jpegBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gifBytes(t *testing.T) []byte {
	var b bytes.Buffer
	if err := gif.Encode(&b, image.NewGray(image.Rect(0, 0, 2, 2)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func gzipBytes(t *testing.T) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte("hello"))
	w.Close()
	return b.Bytes()
}

func bmpBytes() []byte {
	b := make([]byte, 58)
	copy(b, "BM")
	binary.LittleEndian.PutUint32(b[2:], 58)
	binary.LittleEndian.PutUint32(b[10:], 54)
	binary.LittleEndian.PutUint32(b[14:], 40)
	return b
}

func peBytes() []byte {
	b := make([]byte, 256)
	copy(b, "MZ")
	binary.LittleEndian.PutUint32(b[0x3C:], 0x80)
	copy(b[0x80:], "PE\x00\x00\x4C\x01\x01\x00") // i386, one section
	return b
}

// mp3Bytes is two MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz (417 bytes).
func mp3Bytes() []byte {
	frame := make([]byte, 417)
	copy(frame, "\xFF\xFB\x90\x64")
	return append(append([]byte{}, frame...), frame...)
}

func mpegTSBytes() []byte {
	b := make([]byte, 188*3)
	for i := 0; i < 3; i++ {
		b[188*i] = 0x47
		b[188*i+1] = 0x01
	}
	return b
}

// The builders below make the smallest files whose structure the sniffer
// checks for formats that are skipped unread: real ones of the kind are
// still skipped.

// elfBytes is a 64-bit little-endian ELF executable header with one
// program header.
func elfBytes() []byte {
	b := make([]byte, 64+56+16)
	copy(b, "\x7FELF\x02\x01\x01")
	le := binary.LittleEndian
	le.PutUint16(b[16:], 2)    // ET_EXEC
	le.PutUint16(b[18:], 0x3E) // x86-64
	le.PutUint32(b[20:], 1)
	le.PutUint64(b[32:], 64) // program headers right after the header
	le.PutUint16(b[52:], 64)
	le.PutUint16(b[54:], 56)
	le.PutUint16(b[56:], 1)
	le.PutUint16(b[58:], 64)
	return b
}

// machOBytes is a 64-bit little-endian Mach-O executable with one load
// command.
func machOBytes() []byte {
	b := make([]byte, 32+24)
	copy(b, "\xCF\xFA\xED\xFE")
	le := binary.LittleEndian
	le.PutUint32(b[4:], 0x01000007) // x86-64
	le.PutUint32(b[12:], 2)         // MH_EXECUTE
	le.PutUint32(b[16:], 1)
	le.PutUint32(b[20:], 24)
	le.PutUint32(b[32:], 0x19) // LC_SEGMENT_64
	le.PutUint32(b[36:], 24)
	return b
}

// dosBytes is an MS-DOS program: a 32-byte header and 32 bytes of code.
func dosBytes() []byte {
	b := make([]byte, 64)
	copy(b, "MZ")
	le := binary.LittleEndian
	le.PutUint16(b[2:], 64) // bytes in the last page
	le.PutUint16(b[4:], 1)  // pages
	le.PutUint16(b[8:], 2)  // header paragraphs
	le.PutUint16(b[0x18:], 0x1C)
	return b
}

// sfntBytes is a TrueType or OpenType font with one 54-byte table.
func sfntBytes(version string) []byte {
	b := make([]byte, 12+16+54)
	copy(b, version)
	be := binary.BigEndian
	be.PutUint16(b[4:], 1)
	copy(b[12:], "head")
	be.PutUint32(b[20:], 28)
	be.PutUint32(b[24:], 54)
	return b
}

// ttcBytes is a collection of one font, whose table offsets count from the
// start of the collection.
func ttcBytes() []byte {
	font := sfntBytes("\x00\x01\x00\x00")
	binary.BigEndian.PutUint32(font[8+12:], 16+28)
	b := append([]byte("ttcf\x00\x01\x00\x00\x00\x00\x00\x01\x00\x00\x00\x10"), font...)
	return b
}

// woffBytes is a WOFF or WOFF2 header whose length is the file's size.
func woffBytes(sig string) []byte {
	b := make([]byte, 64)
	copy(b, sig)
	copy(b[4:], "\x00\x01\x00\x00")
	binary.BigEndian.PutUint32(b[8:], uint32(len(b)))
	binary.BigEndian.PutUint16(b[12:], 1)
	return b
}

// riffBytes is a RIFF file of the given kind with one 16-byte chunk.
func riffBytes(kind, chunk string) []byte {
	b := make([]byte, 12+8+16)
	copy(b, "RIFF")
	binary.LittleEndian.PutUint32(b[4:], uint32(len(b)-8))
	copy(b[8:], kind)
	copy(b[12:], chunk)
	binary.LittleEndian.PutUint32(b[16:], 16)
	return b
}

func flacBytes() []byte {
	return append([]byte("fLaC\x80\x00\x00\x22"), make([]byte, 34)...)
}

// oggBytes is the first page of a stream: one 30-byte segment, and the
// page's checksum.
func oggBytes() []byte {
	b := make([]byte, 27+1+30)
	copy(b, "OggS\x00\x02")
	b[26], b[27] = 1, 30
	binary.LittleEndian.PutUint32(b[22:], oggCRC(b))
	return b
}

// The Ogg checksum is CRC-32 of polynomial 0x04C11DB7 without inversions:
// "123456789" gives what CRC-32/CKSUM gives before its final inversion.
// Without it, 27 bytes anyone can write made a text "audio", skipped
// unread (FuzzSniffPrefixed).
func TestOggCRC(t *testing.T) {
	if got := oggCRC([]byte("123456789")); got != 0x765E7680^0xFFFFFFFF {
		t.Errorf("oggCRC = %#x", got)
	}
	b := oggBytes()
	b[30]++
	if isOgg(b) {
		t.Error("a page whose checksum does not match is taken for Ogg")
	}
}

// ftypBytes is an ISO media file: a file type box and an empty media box.
func ftypBytes(brand string) []byte {
	return []byte("\x00\x00\x00\x14ftyp" + brand + "\x00\x00\x00\x00" + brand + "\x00\x00\x00\x08mdat")
}

// ebmlBytes is an EBML header with the DocType and the start of a segment.
func ebmlBytes(docType string) []byte {
	body := "\x42\x86\x81\x01" + "\x42\x82" + string([]byte{byte(0x80 | len(docType))}) + docType
	return []byte("\x1A\x45\xDF\xA3" + string([]byte{byte(0x80 | len(body))}) + body + "\x18\x53\x80\x67\x80")
}

// mpegPSBytes is an MPEG-2 pack header followed by a system header code.
func mpegPSBytes() []byte {
	return []byte("\x00\x00\x01\xBA\x44\x00\x04\x00\x04\x01\x01\x89\xC3\xF8\x00\x00\x01\xBB")
}

func gbk(t *testing.T, s string) []byte {
	b, err := simplifiedchinese.GB18030.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSniff(t *testing.T) {
	docx := buildZip(t, zipEntry{"[Content_Types].xml", "<Types/>"}, zipEntry{"word/document.xml", "<w:document/>"})
	binJunk := bytes.Repeat([]byte{0x00, 0x01}, 600)
	cases := []struct {
		name string
		data []byte
		want Format
	}{
		{"empty", nil, FormatText},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"), FormatPDF},
		{"pdf after BOM", []byte("\xEF\xBB\xBF%PDF-1.4\n"), FormatPDF},
		{"pdf after 1000 junk bytes", append(bytes.Repeat([]byte{0}, 1000), "%PDF-1.4\n"...), FormatPDF},
		{"pdf after 1200 junk bytes", append(binJunk, "%PDF-1.4\n"...), FormatUnknown},
		{"docx", docx, FormatDOCX},
		{"docx capitalised", buildZip(t, zipEntry{"Word/Document.xml", "<x/>"}), FormatDOCX},
		{"xlsx", buildZip(t, zipEntry{"xl/workbook.xml", "<x/>"}), FormatXLSX},
		{"pptx", buildZip(t, zipEntry{"ppt/presentation.xml", "<x/>"}), FormatPPTX},
		{"ofd", buildZip(t, zipEntry{"OFD.xml", "<x/>"}), FormatOFD},
		{"odt", buildZip(t, zipEntry{"mimetype", "application/vnd.oasis.opendocument.text"}, zipEntry{"content.xml", "<x/>"}), FormatODT},
		{"ods", buildZip(t, zipEntry{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"}), FormatODS},
		{"odp", buildZip(t, zipEntry{"mimetype", "application/vnd.oasis.opendocument.presentation-template"}), FormatODP},
		{"odg", buildZip(t, zipEntry{"mimetype", "application/vnd.oasis.opendocument.graphics"}), FormatODF},
		{"fodt", []byte(`<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.text">`), FormatODT},
		{"fods with a BOM", []byte("\xEF\xBB\xBF" + `<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">`), FormatODS},
		{"fodp", []byte(`<?xml version="1.0"?><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.presentation">`), FormatODP},
		{"content.xml", []byte(`<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">`), FormatODF},
		{"xml naming the namespace is text", []byte(`<a>urn:oasis:names:tc:opendocument:xmlns:office:1.0</a>`), FormatText},
		{"xml with an element called document inside is text", []byte(`<a><office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/></a>`), FormatText},
		{"fodt behind a comment", []byte("<!-- x -->\n" + `<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" office:mimetype="application/vnd.oasis.opendocument.text">`), FormatODT},
		{"epub is a zip", buildZip(t, zipEntry{"mimetype", "application/epub+zip"}), FormatZIP},
		{"zip", buildZip(t, zipEntry{"a.txt", "x"}), FormatZIP},
		{"empty zip", buildZip(t), FormatZIP},
		{"self-extracting docx", append(peBytes(), docx...), FormatDOCX},
		{"ole", cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}), FormatOLE},
		{"encrypted ooxml", cfb.Build(cfb.Stream{Path: "EncryptionInfo", Data: []byte("x")}, cfb.Stream{Path: "EncryptedPackage", Data: []byte("y")}), FormatOfficeEncrypted},
		{"rtf", []byte(`{\rtf1\ansi 机密}`), FormatRTF},
		{"rar", []byte("Rar!\x1A\x07\x01\x00"), FormatRAR},
		{"7z", []byte("7z\xBC\xAF\x27\x1C\x00\x04"), Format7Z},
		{"gzip", gzipBytes(t), FormatGzip},
		{"png", pngBytes(t), FormatImage},
		{"jpeg", jpegBytes(t), FormatImage},
		{"gif", gifBytes(t), FormatImage},
		{"tiff le", []byte("II*\x00\x08\x00\x00\x00"), FormatImage},
		{"tiff be", []byte("MM\x00*\x00\x00\x00\x08"), FormatImage},
		{"bmp", bmpBytes(), FormatImage},
		{"webp", []byte("RIFF\x24\x00\x00\x00WEBPVP8 "), FormatImage},
		{"heic", ftypBytes("heic"), FormatImage},
		{"elf", elfBytes(), FormatProgram},
		{"pe", peBytes(), FormatProgram},
		{"mach-o", machOBytes(), FormatProgram},
		{"ttf", sfntBytes("\x00\x01\x00\x00"), FormatFont},
		{"otf", sfntBytes("OTTO"), FormatFont},
		{"woff", woffBytes("wOFF"), FormatFont},
		{"woff2", woffBytes("wOF2"), FormatFont},
		{"ttc", ttcBytes(), FormatFont},
		{"id3", append([]byte("ID3\x03\x00\x00\x00\x00\x00\x0A"+strings.Repeat("\x00", 10)), mp3Bytes()...), FormatAudio},
		{"mp3 frames", mp3Bytes(), FormatAudio},
		{"wav", riffBytes("WAVE", "fmt "), FormatAudio},
		{"flac", flacBytes(), FormatAudio},
		{"ogg", oggBytes(), FormatAudio},
		{"m4a", ftypBytes("M4A "), FormatAudio},
		{"mp4", ftypBytes("isom"), FormatVideo},
		{"mov", ftypBytes("qt  "), FormatVideo},
		{"avi", riffBytes("AVI ", "LIST"), FormatVideo},
		{"mkv", ebmlBytes("matroska"), FormatVideo},
		{"webm", ebmlBytes("webm"), FormatVideo},
		{"mpeg-ps", mpegPSBytes(), FormatVideo},
		{"java class", []byte("\xCA\xFE\xBA\xBE\x00\x00\x00\x34\x00\x10\x0A\x00"), FormatProgram},
		{"dos exe", dosBytes(), FormatProgram},
		{"mpeg-ts", mpegTSBytes(), FormatVideo},
		{"utf-8", []byte("机密★5年\n内部资料，注意保存\n"), FormatText},
		{"utf-8 bom", []byte("\xEF\xBB\xBF机密"), FormatText},
		{"utf-16le bom", []byte("\xFF\xFE\x3A\x67\xC6\x5B"), FormatText},
		{"utf-16be bom", []byte("\xFE\xFF\x67\x3A\x5B\xC6"), FormatText},
		{"gb18030", gbk(t, "机密★5年 内部资料，注意保存"), FormatText},
		{"text starting BM", []byte("BMW 机密 report\n"), FormatText},
		{"text starting MZ", []byte("MZ 机密\n"), FormatText},
		{"text starting ID3", []byte("ID3 标签说明：机密\n"), FormatText},
		{"text starting OggS", []byte("OggS is a container\n"), FormatText},
		{"text with G at packet offsets", []byte("G" + strings.Repeat("a", 187) + "G" + strings.Repeat("b", 187) + "G tail"), FormatText},
		{"binary with NUL", []byte("abc\x00def"), FormatUnknown},
		{"binary with controls", bytes.Repeat([]byte{0x01, 0x02, 'a'}, 100), FormatUnknown},
		{"invalid bytes", []byte{0xFF, 0x41, 0xFF, 0x42}, FormatUnknown},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Sniff(bytes.NewReader(c.data), int64(len(c.data)))
			if err != nil {
				t.Fatalf("Sniff: %v", err)
			}
			if got != c.want {
				t.Errorf("Sniff = %q, want %q", got, c.want)
			}
		})
	}
}

func TestSniffErrors(t *testing.T) {
	docx := buildZip(t, zipEntry{"word/document.xml", strings.Repeat("<w:p/>", 1000)})
	cases := []struct {
		name string
		data []byte
		kind Kind
	}{
		{"truncated zip", docx[:len(docx)/2], KindCorrupt},
		{"zip signature only", []byte("PK\x03\x04garbage"), KindCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Sniff(bytes.NewReader(c.data), int64(len(c.data)))
			if KindOf(err) != c.kind || err == nil {
				t.Errorf("Sniff error = %v (%s), want kind %s", err, KindOf(err), c.kind)
			}
		})
	}
}

// A text file is text whatever its length: the sniffed head may end in the
// middle of a character.
func TestSniffTextCutMidCharacter(t *testing.T) {
	for _, enc := range []struct {
		name string
		data []byte
	}{
		{"utf-8", []byte(strings.Repeat("机密文件", 2000))},
		{"gb18030", gbk(t, strings.Repeat("机密文件", 2000))},
	} {
		for shift := 0; shift < 3; shift++ {
			data := append([]byte(strings.Repeat("a", shift)), enc.data...)
			got, err := Sniff(bytes.NewReader(data), int64(len(data)))
			if err != nil || got != FormatText {
				t.Errorf("%s shifted %d: Sniff = %q, %v; want text", enc.name, shift, got, err)
			}
		}
	}
}

// marking is the text every crafted file of the tests below hides.
const marking = "机密★5年"

// readBytes runs the whole of extraction, sniffing included, on data.
func readBytes(t *testing.T, data []byte) (*Document, error) {
	t.Helper()
	return Reader(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultOptions())
}

// allText joins the text of every segment.
func allText(doc *Document) string {
	var b strings.Builder
	for _, s := range doc.Segments {
		b.WriteString(s.Text)
		b.WriteByte('\n')
	}
	return b.String()
}

// harmlessPDF is a one-page PDF that says Hello.
func harmlessPDF() []byte {
	return pdftest.OnePage("BT /F1 12 Tf 10 10 Td (Hello) Tj ET", "/Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>", "", nil)
}

// secretPDF is a one-page PDF that says the marking.
func secretPDF() []byte {
	return pdftest.OnePage("BT /F1 12 Tf 10 10 Td <00010002000300040005> Tj ET", "", "",
		func(b *pdftest.Builder) string { return fmt.Sprintf("/Font << /F1 %d 0 R >>", pdftest.CJKFont(b)) })
}

// A format that is skipped unread needs its structure, not only its magic
// bytes: a signature followed by junk is unknown, an error, never skipped.
func TestSniffNoTextWantsStructure(t *testing.T) {
	junk := bytes.Repeat([]byte{0x00, 0x01, 0x02, 0xFF}, 64)
	elf := elfBytes()
	for _, c := range []struct {
		name string
		data []byte
		cut  bool // no junk after: the structure is cut short
	}{
		{"elf magic", []byte("\x7FELF"), false},
		{"elf header cut short", elf[:64], true},
		{"elf with a zero class", append([]byte("\x7FELF\x00\x01\x01\x00"), elf[8:]...), false},
		{"mach-o magic", []byte("\xCF\xFA\xED\xFE"), false},
		{"mach-o commands past the end", machOBytes()[:40], true},
		{"mach-o 32 magic", []byte("\xFE\xED\xFA\xCE"), false},
		{"fat or class magic", []byte("\xCA\xFE\xBA\xBE"), false},
		{"pe without sections", append([]byte("MZ"), junk...), false},
		{"truetype magic", []byte("\x00\x01\x00\x00\x00"), false},
		{"truetype tables past the end", sfntBytes("\x00\x01\x00\x00")[:40], true},
		{"true magic", []byte("true\x00"), false},
		{"otto magic", []byte("OTTO\x00"), false},
		{"woff length not the size", append(woffBytes("wOFF"), 0), false},
		{"woff2 magic", []byte("wOF2"), false},
		{"ttc magic", []byte("ttcf"), false},
		{"id3 without frames", []byte("ID3\x03\x00\x00\x00\x00\x00\x00"), false},
		{"flac magic", []byte("fLaC"), false},
		{"ogg magic", []byte("OggS"), false},
		{"wav chunk past the end", riffBytes("WAVE", "fmt ")[:24], true},
		{"avi magic", []byte("RIFF\xFF\xFF\xFF\xFFAVI "), false},
		{"matroska magic", []byte("\x1A\x45\xDF\xA3"), false},
		{"ebml without a doctype", ebmlBytes("xyzzy"), false},
		{"mpeg-ps magic", []byte("\x00\x00\x01\xBA"), false},
		{"ftyp box past the end", ftypBytes("isom")[:18], true},
		{"gzip that does not inflate", []byte("\x1F\x8B\x08\x00\x00\x00\x00\x00\x00\x03\xFF\xFF\xFF\xFF"), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := c.data
			if !c.cut {
				data = append(slices.Clip(c.data), junk...)
			}
			got, err := Sniff(bytes.NewReader(data), int64(len(data)))
			if err != nil || got != FormatUnknown {
				t.Errorf("Sniff = %q, %v; want unknown", got, err)
			}
			if _, err := readBytes(t, data); KindOf(err) != KindUnknown {
				t.Errorf("Reader error = %v (%s), want kind unknown", err, KindOf(err))
			}
		})
	}
}

// Magic bytes of a format that is skipped, or a whole structure that
// parses, in front of a text file or a zip do not hide it: text behind a
// short prefix is read as text, a zip whose directory is at the end is read
// as a zip, as unzip and text editors do.
func TestReaderPrefixed(t *testing.T) {
	text := []byte(marking + " 内部资料，注意保存。\n第二行。\n")
	bodies := []struct {
		name   string
		data   []byte
		format Format
		short  bool // only behind a short prefix: a structure that parses makes the file what it says
	}{
		{"text", text, FormatText, true},
		{"gb18030 text", gbk(t, string(text)), FormatText, true},
		{"docx", docxZip(t, para(run(marking)), rels()), FormatDOCX, false},
		{"zip", buildZip(t, zipEntry{"a/b.txt", string(text)}), FormatZIP, false},
	}
	prefixes := []struct {
		name  string
		data  []byte
		short bool
	}{
		{"truetype magic", []byte("\x00\x01\x00\x00\x00"), true},
		{"true magic", []byte("true\x00"), true},
		{"otto magic", []byte("OTTO\x00"), true},
		{"woff2 magic", []byte("wOF2"), true},
		{"woff magic", []byte("wOFF"), true},
		{"elf magic", []byte("\x7FELF"), true},
		{"elf identification", []byte("\x7FELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00"), true},
		{"mach-o magic", []byte("\xCF\xFA\xED\xFE"), true},
		{"matroska magic", []byte("\x1A\x45\xDF\xA3"), true},
		{"mz", []byte("MZ"), true},
		{"id3", []byte("ID3"), true},
		{"ogg", []byte("OggS"), true},
		{"riff", []byte("RIFF"), true},
		{"gzip magic", []byte("\x1F\x8B"), true},
		{"elf", elfBytes(), false},
		{"mach-o", machOBytes(), false},
		{"truetype", sfntBytes("\x00\x01\x00\x00"), false},
		{"woff2", woffBytes("wOF2"), false},
		{"matroska", ebmlBytes("matroska"), false},
		{"mp3", mp3Bytes(), false},
		{"pe", peBytes(), false},
	}
	for _, b := range bodies {
		for _, p := range prefixes {
			if b.short && !p.short {
				continue
			}
			t.Run(b.name+" behind "+p.name, func(t *testing.T) {
				data := append(slices.Clip(p.data), b.data...)
				doc, err := readBytes(t, data)
				if err != nil {
					t.Fatalf("Reader: %v (%s)", err, KindOf(err))
				}
				if doc.Format != b.format || !strings.Contains(allText(doc), marking) {
					t.Errorf("read as %q, text %q; want %q with the marking", doc.Format, allText(doc), b.format)
				}
				// Text behind a binary prefix is never clean: the prefix may
				// hold text in a form that was not read.
				if binary := b.format == FormatText && !looksText(data, false); binary != (len(doc.Review) > 0) {
					t.Errorf("review %q, want review: %t", doc.Review, binary)
				}
			})
		}
	}
}

// A polyglot is read as every format a common reader opens it as: what any
// reading finds counts, a reading that fails makes the file review, and
// segments of the readings after the first say which one they come from.
func TestReaderPolyglot(t *testing.T) {
	pdf := harmlessPDF()
	docx := docxZip(t, para(run(marking)), rels())
	cases := []struct {
		name    string
		data    []byte
		format  Format
		also    Format // the format of the other reading, whose segments say so
		review  bool
		marking bool
	}{
		{"docx whose first part is a stored pdf",
			storedZip(t, []string{"a.pdf"}, append([]zipEntry{{"a.pdf", string(pdf)}}, docxEntries(para(run(marking)), rels())...)...),
			FormatDOCX, FormatPDF, false, true},
		{"docx whose first and last parts are stored pdfs",
			storedZip(t, []string{"a.pdf", "z.pdf"}, append(append([]zipEntry{{"a.pdf", string(pdf)}}, docxEntries(para(run(marking)), rels())...), zipEntry{"z.pdf", string(pdf)})...),
			FormatDOCX, FormatPDF, false, true},
		{"docx whose first part is a stored pdf that says the marking",
			storedZip(t, []string{"a.pdf"}, append([]zipEntry{{"a.pdf", string(secretPDF())}}, docxEntries(para(run("公开")), rels())...)...),
			FormatDOCX, FormatPDF, false, true},
		{"zip whose first and last entries are stored pdfs",
			storedZip(t, []string{"a.pdf", "z.pdf"}, zipEntry{"a.pdf", string(pdf)}, zipEntry{"b.txt", marking}, zipEntry{"z.pdf", string(pdf)}),
			FormatZIP, FormatPDF, false, true},
		{"zip whose first entry is a stored pdf, read by the archive",
			storedZip(t, []string{"a.pdf"}, zipEntry{"a.pdf", string(secretPDF())}, zipEntry{"b.txt", "公开"}),
			FormatZIP, "", false, true},
		{"zip whose last entry is a stored pdf, read by the archive",
			storedZip(t, []string{"z.pdf"}, zipEntry{"b.txt", "公开"}, zipEntry{"z.pdf", string(secretPDF())}),
			FormatZIP, "", false, true},
		{"zip with a pdf appended", append(buildZip(t, zipEntry{"a.txt", "公开"}), secretPDF()...), FormatZIP, FormatPDF, false, true},
		{"pdf with a docx appended", append(slices.Clip(pdf), docx...), FormatPDF, FormatDOCX, false, true},
		{"docx with a text appended after its end", append(docxZip(t, para(run("公开")), rels()), "\n"+marking+" 内部资料\n"...), FormatDOCX, FormatText, false, true},
		{"docx with a pdf appended", append(slices.Clip(docx), pdf...), FormatDOCX, FormatPDF, false, true},
		{"pdf with text appended", append(slices.Clip(pdf), "\n"+marking+" 内部资料\n"...), FormatPDF, FormatText, false, true},
		{"pdf with gb18030 text appended", append(slices.Clip(pdf), gbk(t, "\n"+marking+" 内部资料\n")...), FormatPDF, FormatText, false, true},
		{"text in front of a pdf", append([]byte(marking+"\n"), pdf...), FormatPDF, FormatText, false, true},
		{"text with a pdf appended", append([]byte(strings.Repeat(marking+"\n", 100)), secretPDF()...), FormatText, FormatPDF, false, true},
		{"ole with a docx appended", append(cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}), docx...), FormatOLE, FormatDOCX, true, true},
		{"png with a docx appended", append(pngBytes(t), docx...), FormatImage, FormatDOCX, true, true},
		{"rtf with a docx appended", append([]byte(`{\rtf1\ansi 公开}`), docx...), FormatRTF, FormatDOCX, false, true},
		{"elf with a docx appended", append(elfBytes(), docx...), FormatDOCX, "", false, true},
		{"pdf with a damaged docx appended", append(slices.Clip(pdf), docxZip(t, "<w:p>", rels())...), FormatPDF, "", true, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readBytes(t, c.data)
			if err != nil {
				t.Fatalf("Reader: %v (%s)", err, KindOf(err))
			}
			if doc.Format != c.format {
				t.Errorf("format %q, want %q", doc.Format, c.format)
			}
			if got := strings.Contains(allText(doc), marking); got != c.marking {
				t.Errorf("marking found: %t, want %t; text %q", got, c.marking, allText(doc))
			}
			if (len(doc.Review) > 0) != c.review {
				t.Errorf("review %q, want review: %t", doc.Review, c.review)
			}
			if !slices.ContainsFunc(doc.Segments, func(s Segment) bool { return s.Reading == c.also }) {
				t.Errorf("no segment says it was read as %q: %+v", c.also, doc.Segments)
			}
			if slices.ContainsFunc(doc.Segments, func(s Segment) bool { return s.Reading == c.format }) {
				t.Errorf("a segment of the first reading says it is another: %+v", doc.Segments)
			}
		})
	}
}

// Real documents are not polyglots: every file of the shared corpus has
// one reading, its format unchanged. Word 2007 and later keep a theme
// package, a zip, in the .doc files they save; unzip opens these, but it
// is a stream of the compound file, not a second file.
func TestSniffCorpusOneReading(t *testing.T) {
	dir := corpusDir(t, "")
	n := 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			return err
		}
		n++
		if rs, err := sniff(f, st.Size()); err == nil && len(rs) != 1 {
			t.Errorf("%s: read as %v", path, rs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d files", n)
}

// The readings sniff finds, the one a file is reported as first.
func TestSniffReadings(t *testing.T) {
	pdf := harmlessPDF()
	docx := docxZip(t, para(run(marking)), rels())
	doc := cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}, cfb.Stream{Path: "Data", Data: append(slices.Clip(docx), make([]byte, 4096)...)})
	for _, c := range []struct {
		name string
		data []byte
		want []Format
	}{
		{"pdf", pdf, []Format{FormatPDF}},
		{"docx", docx, []Format{FormatDOCX}},
		{"doc with a zip in one of its streams", doc, []Format{FormatOLE}},
		{"doc with a docx appended", append(slices.Clip(doc), docx...), []Format{FormatOLE, FormatDOCX}},
		{"pdf with a docx appended", append(slices.Clip(pdf), docx...), []Format{FormatPDF, FormatDOCX}},
		{"docx whose first part is a stored pdf", storedZip(t, []string{"a.pdf"}, append([]zipEntry{{"a.pdf", string(pdf)}}, docxEntries(para(run(marking)), rels())...)...), []Format{FormatDOCX, FormatPDF}},
		{"zip of a stored pdf", storedZip(t, []string{"a.pdf"}, zipEntry{"a.pdf", string(pdf)}), []Format{FormatZIP}},
		{"text in front of a pdf", append([]byte(marking+"\n"), pdf...), []Format{FormatPDF, FormatText}},
		{"pdf with text appended", append(slices.Clip(pdf), marking...), []Format{FormatPDF, FormatText}},
		{"elf with a docx appended", append(elfBytes(), docx...), []Format{FormatDOCX}},
		{"elf with a pdf behind it", append(elfBytes(), pdf...), []Format{FormatPDF}},
		{"text behind a font's magic bytes", []byte("\x00\x01\x00\x00\x00" + marking), []Format{FormatText}},
	} {
		t.Run(c.name, func(t *testing.T) {
			rs, err := sniff(bytes.NewReader(c.data), int64(len(c.data)))
			var got []Format
			for _, r := range rs {
				got = append(got, r.format)
			}
			if err != nil || !slices.Equal(got, c.want) {
				t.Errorf("sniff = %v, %v; want %v", got, err, c.want)
			}
		})
	}
}
