package extract

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
)

// sniffLen is how much of the head of a file Sniff looks at.
const sniffLen = 8192

// pdfJunk is how far into a file PDF readers look for %PDF.
const pdfJunk = 1024

// sniffMaxEntries bounds the zip directory Sniff reads to find the kind of
// container; no office package comes near it.
const sniffMaxEntries = 1 << 18

// Sniff returns the format of a file from its bytes, never from its name.
// It fails only when the file cannot be read or is a damaged zip container
// (a truncated DOCX has a zip signature but no directory).
func Sniff(r io.ReaderAt, size int64) (Format, error) {
	if size == 0 {
		return FormatText, nil
	}
	head := make([]byte, min(size, sniffLen))
	if _, err := r.ReadAt(head, 0); err != nil && err != io.EOF {
		return "", Errorf(KindIO, "cannot read file: %v", err)
	}
	// PDF readers accept junk (a BOM, a mail header) before %PDF, so a file
	// that any reader opens as PDF is read as PDF, whatever its first bytes
	// claim to be.
	if i := bytes.Index(head[:min(len(head), pdfJunk+5)], []byte("%PDF-")); i >= 0 {
		return FormatPDF, nil
	}
	switch {
	case hasPrefix(head, "PK\x03\x04"), hasPrefix(head, "PK\x05\x06"):
		return sniffZip(r, size)
	case hasPrefix(head, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"):
		if oleEncrypted(r, size) {
			return FormatOfficeEncrypted, nil
		}
		return FormatOLE, nil
	case hasPrefix(head, "\xEF\xBB\xBF"), hasPrefix(head, "\xFF\xFE"), hasPrefix(head, "\xFE\xFF"):
		// A byte order mark: text (checked before MP3 frame sync, which
		// FF FE also satisfies).
		return FormatText, nil
	}
	truncated := int64(len(head)) < size
	if f := magicFormat(head); f != "" && !(noText(f) && looksText(head, truncated)) {
		// A self-extracting archive is a program with a zip at its end:
		// its documents are not skipped.
		if f == FormatProgram {
			if z, err := sniffZip(r, size); err == nil {
				return z, nil
			}
		}
		return f, nil
	}
	if looksText(head, truncated) {
		return FormatText, nil
	}
	// Weak signatures, trusted only for bytes that are not text.
	switch {
	case isMPEGTS(head):
		return FormatVideo, nil
	case hasPrefix(head, "MZ"):
		return FormatProgram, nil
	}
	return FormatUnknown, nil
}

func hasPrefix(b []byte, p string) bool { return bytes.HasPrefix(b, []byte(p)) }

// noText says a format is skipped unread. Its signatures are trusted only on
// bytes that are not text, so that no text file can pass for one.
func noText(f Format) bool {
	return f == FormatProgram || f == FormatFont || f == FormatAudio || f == FormatVideo
}

// magicFormat recognizes formats by a signature at the start of the file.
func magicFormat(b []byte) Format {
	switch {
	case hasPrefix(b, "{\\rtf"):
		return FormatRTF
	case hasPrefix(b, "Rar!\x1A\x07"):
		return FormatRAR
	case hasPrefix(b, "7z\xBC\xAF\x27\x1C"):
		return Format7Z
	case hasPrefix(b, "\x1F\x8B"):
		return FormatGzip
	case hasPrefix(b, "\x89PNG\r\n\x1A\n"), hasPrefix(b, "\xFF\xD8\xFF"),
		hasPrefix(b, "GIF87a"), hasPrefix(b, "GIF89a"),
		hasPrefix(b, "II*\x00"), hasPrefix(b, "MM\x00*"),
		isBMP(b), isRIFF(b, "WEBP"):
		return FormatImage
	case hasPrefix(b, "\x7FELF"), isPE(b),
		hasPrefix(b, "\xFE\xED\xFA\xCE"), hasPrefix(b, "\xFE\xED\xFA\xCF"),
		hasPrefix(b, "\xCE\xFA\xED\xFE"), hasPrefix(b, "\xCF\xFA\xED\xFE"),
		hasPrefix(b, "\xCA\xFE\xBA\xBE"): // Mach-O fat binary or Java class
		return FormatProgram
	case hasPrefix(b, "\x00\x01\x00\x00\x00"), hasPrefix(b, "true\x00"), hasPrefix(b, "OTTO\x00"),
		hasPrefix(b, "wOFF"), hasPrefix(b, "wOF2"), hasPrefix(b, "ttcf"):
		return FormatFont
	case hasPrefix(b, "ID3"), hasPrefix(b, "fLaC"), hasPrefix(b, "OggS"), isRIFF(b, "WAVE"), isMP3(b):
		return FormatAudio
	case isRIFF(b, "AVI "), hasPrefix(b, "\x1A\x45\xDF\xA3"), hasPrefix(b, "\x00\x00\x01\xBA"):
		return FormatVideo
	case len(b) >= 12 && string(b[4:8]) == "ftyp":
		return ftypFormat(string(b[8:12]))
	}
	return ""
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

// isPE wants MZ and the PE signature where the DOS header points.
func isPE(b []byte) bool {
	if len(b) < 64 || !hasPrefix(b, "MZ") {
		return false
	}
	off := int(binary.LittleEndian.Uint32(b[0x3C:]))
	return off >= 64 && off+4 <= len(b) && string(b[off:off+4]) == "PE\x00\x00"
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
	var kinds [5]bool // docx, xlsx, pptx, ofd, odf
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
			kinds[4] = isODFMimetype(f)
		}
	}
	for i, f := range []Format{FormatDOCX, FormatXLSX, FormatPPTX, FormatOFD, FormatODF} {
		if kinds[i] {
			return f, nil
		}
	}
	return FormatZIP, nil
}

func isODFMimetype(f *zip.File) bool {
	const prefix = "application/vnd.oasis.opendocument."
	rc, err := f.Open()
	if err != nil {
		return false
	}
	defer rc.Close()
	b := make([]byte, len(prefix))
	_, err = io.ReadFull(rc, b)
	return err == nil && string(b) == prefix
}

// oleEncrypted reports whether an OLE compound file holds the streams of an
// encrypted OOXML package. Directory entries are 128 bytes, aligned to 128 in
// the file, and start with the UTF-16LE name, so the scan looks only there.
func oleEncrypted(r io.ReaderAt, size int64) bool {
	names := [][]byte{utf16LE("EncryptionInfo"), utf16LE("EncryptedPackage")}
	buf := make([]byte, 1<<20) // a multiple of 128: entries never straddle reads
	for off := int64(0); off < size; off += int64(len(buf)) {
		n, err := r.ReadAt(buf, off)
		for i := 0; i+128 <= n; i += 128 {
			for _, name := range names {
				if bytes.HasPrefix(buf[i:], name) && int(binary.LittleEndian.Uint16(buf[i+64:])) == len(name)+2 {
					return true
				}
			}
		}
		if err != nil {
			return false
		}
	}
	return false
}

func utf16LE(s string) []byte {
	b := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		b = append(b, c, 0)
	}
	return b
}
