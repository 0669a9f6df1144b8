package msg

import (
	"encoding/binary"
	"hash/crc32"
)

// Compressed RTF ([MS-OXRTFCP]): a 16-byte header (the size of what
// follows its first field, the size of the RTF, the form, a CRC of the
// compressed bytes), then runs of eight tokens, each run after a control
// byte whose bits, low first, say which tokens are literal bytes (0) and
// which are references (1) to a 4096-byte dictionary: 12 bits of offset
// and 4 of length less 2, big-endian. The dictionary starts with the text
// below, and a reference to where it is being written ends the data.
const (
	lzfu = 0x75465A4C // "LZFu": compressed
	mela = 0x414C454D // "MELA": stored as it is
)

// dictStart is what the dictionary holds before the first byte.
const dictStart = "{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx"

// rtfStatus says how compressed RTF decompressed.
type rtfStatus int

const (
	rtfWhole    rtfStatus = iota
	rtfDamaged            // its sizes or its CRC do not match, or it ends before its end mark
	rtfUnknown            // in neither known form: nothing was read
	rtfTooLarge           // it inflates past the bound given
)

// decompressRTF returns the RTF that data, compressed RTF, holds, at most
// limit bytes of it. A damaged one gives what it holds up to the damage, as
// Outlook shows it.
func decompressRTF(data []byte, limit int64) ([]byte, rtfStatus) {
	if len(data) < 16 {
		return nil, rtfDamaged
	}
	le := binary.LittleEndian
	size, raw, form, crc := le.Uint32(data), le.Uint32(data[4:]), le.Uint32(data[8:]), le.Uint32(data[12:])
	damaged := uint64(size)+4 != uint64(len(data))
	body := data[16:]
	switch form {
	case mela:
		if int64(len(body)) > limit {
			return nil, rtfTooLarge
		}
		return body[:min(len(body), int(raw))], status(damaged || int(raw) > len(body))
	case lzfu:
	default:
		return nil, rtfUnknown
	}
	// The CRC of [MS-OXRTFCP] starts at 0 and is not inverted at the end,
	// where crc32's starts and ends inverted.
	damaged = damaged || ^crc32.Update(^uint32(0), crc32.IEEETable, body) != crc
	var dict [4096]byte
	w := copy(dict[:], dictStart)
	out := make([]byte, 0, max(0, min(int64(raw), limit, int64(len(body))*8)))
	for i := 0; i < len(body); {
		control := body[i]
		i++
		for bit := 0; bit < 8; bit++ {
			if control&(1<<bit) == 0 {
				if i >= len(body) {
					return out, rtfDamaged
				}
				out = append(out, body[i])
				dict[w] = body[i]
				w = (w + 1) % len(dict)
				i++
			} else {
				if i+2 > len(body) {
					return out, rtfDamaged
				}
				ref := int(binary.BigEndian.Uint16(body[i:]))
				i += 2
				off, n := ref>>4, ref&0xF+2
				if off == w {
					return out, status(damaged || len(out) != int(raw))
				}
				// A reference may reach the bytes it writes itself.
				for k := 0; k < n; k++ {
					c := dict[(off+k)%len(dict)]
					out = append(out, c)
					dict[w] = c
					w = (w + 1) % len(dict)
				}
			}
			if int64(len(out)) > limit {
				return nil, rtfTooLarge
			}
		}
	}
	return out, rtfDamaged
}

// status is rtfDamaged when damaged, else rtfWhole.
func status(damaged bool) rtfStatus {
	if damaged {
		return rtfDamaged
	}
	return rtfWhole
}
