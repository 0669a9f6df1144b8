package picture

import (
	"bytes"
	"encoding/binary"
)

// Format names the picture format of data by its signature: one of the
// formats decoded (PNG, JPEG, GIF, BMP, WebP, TIFF) or of those only named
// (EMF, WMF, SVG, HEIF, AVIF, JPEG 2000, JBIG2, JPEG XR, PSD, PICT); ""
// when it is none of them.
func Format(data []byte) string {
	has := func(p string) bool { return bytes.HasPrefix(data, []byte(p)) }
	switch {
	case has("\x89PNG\r\n\x1A\n"):
		return formatPNG
	case has("\xFF\xD8\xFF"):
		return formatJPEG
	case has("GIF87a"), has("GIF89a"):
		return formatGIF
	case has("BM") && len(data) >= 18:
		return formatBMP
	case len(data) >= 12 && has("RIFF") && string(data[8:12]) == "WEBP":
		return formatWebP
	case has("II*\x00"), has("MM\x00*"), has("II+\x00"), has("MM\x00+"):
		// The last two are BigTIFF, which the decoder refuses as a
		// kind of TIFF it does not handle.
		return formatTIFF
	case IsEMF(data):
		return "EMF"
	case IsWMF(data):
		return "WMF"
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		switch string(data[8:12]) {
		case "heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1":
			return "HEIF"
		case "avif", "avis":
			return "AVIF"
		}
	case has("\x00\x00\x00\x0CjP  \r\n\x87\n"), has("\xFF\x4F\xFF\x51"):
		return "JPEG 2000"
	case has("\x97JB2\r\n\x1A\n"):
		return "JBIG2"
	case has("II\xBC\x01"):
		return "JPEG XR"
	case has("8BPS"):
		return "PSD"
	case isSVG(data):
		return "SVG"
	case len(data) >= 526 && (string(data[522:526]) == "\x00\x11\x02\xFF" || string(data[522:524]) == "\x11\x01"):
		// A PICT file: a 512-byte header, the picture's size and frame,
		// then the version opcode.
		return "PICT"
	}
	return ""
}

// IsEMF recognizes an Enhanced Metafile: an EMR_HEADER record (type 1)
// with the " EMF" signature at offset 40.
func IsEMF(b []byte) bool {
	return len(b) >= 44 && binary.LittleEndian.Uint32(b) == 1 && string(b[40:44]) == " EMF"
}

// IsWMF recognizes a Windows Metafile: the placeable header's key, or a
// standard header (memory or disk metafile, header size 9 words, version
// 0x0100 or 0x0300).
func IsWMF(b []byte) bool {
	if bytes.HasPrefix(b, []byte("\xD7\xCD\xC6\x9A")) {
		return true
	}
	return len(b) >= 6 && (bytes.HasPrefix(b, []byte("\x01\x00\x09\x00")) || bytes.HasPrefix(b, []byte("\x02\x00\x09\x00"))) &&
		b[4] == 0 && (b[5] == 1 || b[5] == 3)
}

// isSVG recognizes an SVG drawing: an <svg element among the first bytes
// of what reads as XML (a declaration, comments, a doctype before it).
func isSVG(b []byte) bool {
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	b = bytes.TrimLeft(b, " \t\r\n")
	if !bytes.HasPrefix(b, []byte("<")) {
		return false
	}
	return bytes.Contains(b[:min(len(b), 1024)], []byte("<svg"))
}

// FromDIB returns a device-independent bitmap (a BMP without its file
// header, as Office files store one) as a BMP file: the file header is
// put before it, pointing past its palette to its pixels.
func FromDIB(dib []byte) []byte {
	offset := 14 + 40
	if len(dib) >= 36 {
		info := binary.LittleEndian.Uint32(dib)
		bpp := binary.LittleEndian.Uint16(dib[14:])
		compression := binary.LittleEndian.Uint32(dib[16:])
		colors := binary.LittleEndian.Uint32(dib[32:])
		if colors == 0 && bpp <= 8 {
			colors = 1 << bpp
		}
		masks := uint32(0)
		if compression == 3 && info == 40 { // BI_BITFIELDS: three masks after the header
			masks = 12
		}
		if o := 14 + uint64(info) + 4*uint64(colors) + uint64(masks); o <= uint64(len(dib))+14 {
			offset = int(o)
		}
	}
	b := make([]byte, 14, 14+len(dib))
	copy(b, "BM")
	binary.LittleEndian.PutUint32(b[2:], uint32(14+len(dib)))
	binary.LittleEndian.PutUint32(b[10:], uint32(offset))
	return append(b, dib...)
}
