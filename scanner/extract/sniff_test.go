package extract

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// zipEntry is one file of a zip built by a test.
type zipEntry struct {
	name string
	body string
}

// buildZip writes entries, in order, to a zip (deflated, except "mimetype").
func buildZip(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		if e.name == "mimetype" {
			h.Method = zip.Store
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// oleFile builds a compound file header with one directory sector holding
// the given stream names.
func oleFile(names ...string) []byte {
	b := make([]byte, 1024)
	copy(b, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	for i, n := range names {
		e := b[512+128*i:]
		copy(e, utf16LE(n))
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(n)+2))
	}
	return b
}

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
	copy(b[0x80:], "PE\x00\x00")
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
		{"odt", buildZip(t, zipEntry{"mimetype", "application/vnd.oasis.opendocument.text"}, zipEntry{"content.xml", "<x/>"}), FormatODF},
		{"epub is a zip", buildZip(t, zipEntry{"mimetype", "application/epub+zip"}), FormatZIP},
		{"zip", buildZip(t, zipEntry{"a.txt", "x"}), FormatZIP},
		{"empty zip", buildZip(t), FormatZIP},
		{"self-extracting docx", append(peBytes(), docx...), FormatDOCX},
		{"ole", oleFile("Root Entry", "WordDocument"), FormatOLE},
		{"encrypted ooxml", oleFile("Root Entry", "EncryptionInfo", "EncryptedPackage"), FormatOfficeEncrypted},
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
		{"heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00"), FormatImage},
		{"elf", []byte("\x7FELF\x02\x01\x01\x00\x00\x00"), FormatProgram},
		{"pe", peBytes(), FormatProgram},
		{"mach-o", []byte("\xCF\xFA\xED\xFE\x07\x00\x00\x01"), FormatProgram},
		{"ttf", []byte("\x00\x01\x00\x00\x00\x0C\x00\x80"), FormatFont},
		{"otf", []byte("OTTO\x00\x0C\x00\x80"), FormatFont},
		{"woff", []byte("wOFF\x00\x01\x00\x00"), FormatFont},
		{"woff2", []byte("wOF2\x00\x01\x00\x00"), FormatFont},
		{"ttc", []byte("ttcf\x00\x01\x00\x00"), FormatFont},
		{"id3", []byte("ID3\x03\x00\x00\x00\x00\x00\x0A"), FormatAudio},
		{"mp3 frames", mp3Bytes(), FormatAudio},
		{"wav", []byte("RIFF\x24\x00\x00\x00WAVEfmt "), FormatAudio},
		{"flac", []byte("fLaC\x00\x00\x00\x22"), FormatAudio},
		{"ogg", []byte("OggS\x00\x02\x00\x00"), FormatAudio},
		{"m4a", []byte("\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00"), FormatAudio},
		{"mp4", []byte("\x00\x00\x00\x20ftypisom\x00\x00\x02\x00"), FormatVideo},
		{"mov", []byte("\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00"), FormatVideo},
		{"avi", []byte("RIFF\x24\x00\x00\x00AVI LIST"), FormatVideo},
		{"mkv", []byte("\x1A\x45\xDF\xA3\x01\x00\x00\x00"), FormatVideo},
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
