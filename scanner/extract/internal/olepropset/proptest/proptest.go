// Package proptest builds OLE property set streams (SummaryInformation,
// DocumentSummaryInformation) for the tests of the Office 97-2003 readers.
package proptest

import "encoding/binary"

// Set builds a property set stream of one section of the given
// format id holding strings in code page cp, a dictionary naming them
// when names is given.
func Set(fmtid [16]byte, cp uint16, values map[uint32]string, names map[uint32]string) []byte {
	var props [][]byte
	var ids []uint32
	add := func(id uint32, b []byte) {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		ids, props = append(ids, id), append(props, b)
	}
	add(1, binary.LittleEndian.AppendUint32([]byte{2, 0, 0, 0}, uint32(cp)))
	if names != nil {
		d := binary.LittleEndian.AppendUint32(nil, uint32(len(names)))
		for id, n := range names {
			d = binary.LittleEndian.AppendUint32(d, id)
			d = binary.LittleEndian.AppendUint32(d, uint32(len(n)+1))
			d = append(append(d, n...), 0)
		}
		add(0, d)
	}
	for id, v := range values {
		b := binary.LittleEndian.AppendUint32([]byte{0x1E, 0, 0, 0}, uint32(len(v)+1))
		add(id, append(append(b, v...), 0))
	}
	sec := make([]byte, 8+8*len(props))
	for i, p := range props {
		binary.LittleEndian.PutUint32(sec[8+8*i:], ids[i])
		binary.LittleEndian.PutUint32(sec[12+8*i:], uint32(len(sec)))
		sec = append(sec, p...)
	}
	binary.LittleEndian.PutUint32(sec, uint32(len(sec)))
	binary.LittleEndian.PutUint32(sec[4:], uint32(len(props)))
	head := []byte{0xFE, 0xFF, 0, 0, 2, 0, 2, 0}
	head = append(head, make([]byte, 16)...)
	head = binary.LittleEndian.AppendUint32(head, 1)
	head = append(head, fmtid[:]...)
	head = binary.LittleEndian.AppendUint32(head, uint32(len(head)+4))
	return append(head, sec...)
}

// The format ids of the sections of the SummaryInformation and the
// DocumentSummaryInformation (user-defined properties) streams.
var (
	SummaryID = [16]byte{0xE0, 0x85, 0x9F, 0xF2, 0xF9, 0x4F, 0x68, 0x10, 0xAB, 0x91, 0x08, 0x00, 0x2B, 0x27, 0xB3, 0xD9}
	UserID    = [16]byte{0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE}
)
