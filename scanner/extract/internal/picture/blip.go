package picture

import "encoding/binary"

// Blip is a picture stored in an OfficeArt BLIP record ([MS-ODRAW]
// 2.2.23), as Word, Excel and PowerPoint 97-2003 keep them.
type Blip struct {
	// Format is the picture's format by its record type: EMF, WMF, PICT,
	// JPEG, PNG, DIB or TIFF.
	Format string
	// Metafile is set for EMF, WMF and PICT: vector drawings, stored
	// compressed behind a header of their own, not decoded here.
	Metafile bool
	// Data is a raster picture's bytes as a file of its format (a DIB is
	// given the file header of a BMP); a metafile's as stored, its header
	// first (metafile.Unpack reads it).
	Data []byte
}

// blipKinds are the BLIP records by record type: the record instances
// with one and with two 16-byte ids before the picture.
var blipKinds = map[uint16]struct {
	format   string
	one, two uint16
}{
	0xF01A: {"EMF", 0x3D4, 0x3D5},
	0xF01B: {"WMF", 0x216, 0x217},
	0xF01C: {"PICT", 0x542, 0x543},
	0xF01D: {"JPEG", 0x46A, 0x46B},
	0xF02A: {"JPEG", 0x6E2, 0x6E3}, // CMYK
	0xF01E: {"PNG", 0x6E0, 0x6E1},
	0xF01F: {"DIB", 0x7A8, 0x7A9},
	0xF029: {"TIFF", 0x6E4, 0x6E5},
}

// Blips returns the BLIP records found in b, in order. They are looked for
// at every byte, not by walking the records that hold them: Word keeps
// them in its Data stream after the structures that point at them, and
// the other formats inside containers of their own. Each picture is
// stored once, so each is found once.
func Blips(b []byte) []Blip {
	var out []Blip
	for i := 0; i+8 <= len(b); i++ {
		if b[i+3] != 0xF0 || b[i]&0x0F != 0 {
			continue
		}
		k, ok := blipKinds[binary.LittleEndian.Uint16(b[i+2:])]
		inst := binary.LittleEndian.Uint16(b[i:]) >> 4
		size := uint64(binary.LittleEndian.Uint32(b[i+4:]))
		if !ok || inst != k.one && inst != k.two || uint64(i)+8+size > uint64(len(b)) {
			continue
		}
		data := b[i+8 : i+8+int(size)]
		skip := 16 // the picture's id, or two
		if inst == k.two {
			skip = 32
		}
		metafile := k.format == "EMF" || k.format == "WMF" || k.format == "PICT"
		if !metafile {
			skip++ // a tag byte
		}
		if len(data) < skip {
			continue
		}
		p := Blip{Format: k.format, Metafile: metafile}
		switch {
		case k.format == "DIB":
			p.Data = FromDIB(data[skip:])
		default:
			p.Data = data[skip:]
		}
		out = append(out, p)
		i += 7 + int(size)
	}
	return out
}
