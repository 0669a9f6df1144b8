package cfb

// Writing compound files: the readers of formats kept in compound files
// build the files they are tested on with Build, and Storage writes the
// storage of an embedded object out as a compound file of its own, to be
// read as a document.

import (
	"encoding/binary"
	"strings"
)

// Stream is a stream to write: Path names it from the root, storages
// first, separated by "/" ("ObjectPool/_1/\x01Ole10Native").
type Stream struct {
	Path string
	Data []byte
}

const (
	sec, free, end, fatSect, difSect = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFC
	cutoff                           = 4096
)

// node is an entry of the tree being written.
type node struct {
	name  string
	data  []byte
	store bool
	kids  []*node
	id    uint32
	start uint32
}

// Build writes a version 3 compound file (512-byte sectors) holding the
// given streams, creating the storages their paths name: streams shorter
// than 4096 bytes in the mini stream, the others in sectors of their own,
// as real writers do. Each storage's children form a chain of right
// siblings, in the order given.
func Build(streams ...Stream) []byte {
	root := &node{name: "Root Entry", store: true}
	for _, s := range streams {
		parts := strings.Split(s.Path, "/")
		p := root
		for _, name := range parts[:len(parts)-1] {
			p = p.storage(name)
		}
		p.kids = append(p.kids, &node{name: parts[len(parts)-1], data: s.Data})
	}
	var order []*node // directory order: depth first, root first
	var number func(n *node)
	number = func(n *node) {
		n.id = uint32(len(order))
		order = append(order, n)
		for _, k := range n.kids {
			number(k)
		}
	}
	number(root)

	var sectors [][]byte
	var fat []uint32
	alloc := func(data []byte) uint32 { // a chain of new sectors holding data
		if len(data) == 0 {
			return end
		}
		first := uint32(len(sectors))
		for off := 0; off < len(data); off += sec {
			s := make([]byte, sec)
			copy(s, data[off:])
			sectors = append(sectors, s)
			fat = append(fat, uint32(len(sectors)))
		}
		fat[len(fat)-1] = end
		return first
	}
	var mini []byte
	var minifat []uint32
	for _, n := range order[1:] {
		switch {
		case n.store:
		case len(n.data) >= cutoff:
			n.start = alloc(n.data)
		default:
			n.start = uint32(len(mini) / 64)
			for off := 0; off < len(n.data); off += 64 {
				b := make([]byte, 64)
				copy(b, n.data[off:])
				mini = append(mini, b...)
				minifat = append(minifat, uint32(len(mini)/64))
			}
			if len(n.data) > 0 {
				minifat[len(minifat)-1] = end
			}
		}
	}
	root.start = alloc(mini)
	var mf []byte
	for _, v := range minifat {
		mf = binary.LittleEndian.AppendUint32(mf, v)
	}
	mfStart := alloc(mf)
	dir := make([]byte, 128*len(order))
	for _, n := range order {
		e := dir[128*n.id:]
		copy(e, utf16LE(n.name))
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len([]rune(n.name))+2))
		e[66], e[67] = 2, 1 // a stream, black
		size := len(n.data)
		switch {
		case n == root:
			e[66], size = 5, len(mini)
		case n.store:
			e[66] = 1
		}
		child := uint32(free)
		if len(n.kids) > 0 {
			child = n.kids[0].id
		}
		binary.LittleEndian.PutUint32(e[68:], free) // left sibling
		binary.LittleEndian.PutUint32(e[72:], free) // right sibling, set below
		binary.LittleEndian.PutUint32(e[76:], child)
		binary.LittleEndian.PutUint32(e[116:], n.start)
		binary.LittleEndian.PutUint32(e[120:], uint32(size))
	}
	for _, n := range order {
		for i, k := range n.kids[:max(len(n.kids)-1, 0)] {
			binary.LittleEndian.PutUint32(dir[128*k.id+72:], n.kids[i+1].id)
		}
	}
	dirStart := alloc(dir)
	// The FAT covers itself and the DIFAT: one FAT sector maps 128
	// sectors; the header names 109 FAT sectors, each DIFAT sector 127
	// more.
	nFAT, nDIF := 0, 0
	for {
		needFAT := (len(sectors) + nFAT + nDIF + 127) / 128
		needDIF := 0
		if needFAT > 109 {
			needDIF = (needFAT - 109 + 126) / 127
		}
		if needFAT == nFAT && needDIF == nDIF {
			break
		}
		nFAT, nDIF = needFAT, needDIF
	}
	fatStart := uint32(len(sectors))
	for range nFAT {
		sectors = append(sectors, nil)
		fat = append(fat, fatSect)
	}
	difStart := uint32(len(sectors))
	for k := range nDIF {
		s := make([]byte, sec)
		for j := range 127 {
			v := uint32(free)
			if i := 109 + 127*k + j; i < nFAT {
				v = fatStart + uint32(i)
			}
			binary.LittleEndian.PutUint32(s[4*j:], v)
		}
		next := uint32(end)
		if k+1 < nDIF {
			next = difStart + uint32(k+1)
		}
		binary.LittleEndian.PutUint32(s[4*127:], next)
		sectors = append(sectors, s)
		fat = append(fat, difSect)
	}
	for len(fat)%128 != 0 {
		fat = append(fat, free)
	}
	for i := range nFAT {
		s := make([]byte, sec)
		for j := range 128 {
			binary.LittleEndian.PutUint32(s[4*j:], fat[128*i+j])
		}
		sectors[int(fatStart)+i] = s
	}
	hdr := make([]byte, sec)
	copy(hdr, Signature)
	binary.LittleEndian.PutUint16(hdr[0x18:], 0x3E)
	binary.LittleEndian.PutUint16(hdr[0x1A:], 3)
	binary.LittleEndian.PutUint16(hdr[0x1C:], 0xFFFE)
	binary.LittleEndian.PutUint16(hdr[0x1E:], 9)
	binary.LittleEndian.PutUint16(hdr[0x20:], 6)
	binary.LittleEndian.PutUint32(hdr[0x2C:], uint32(nFAT))
	binary.LittleEndian.PutUint32(hdr[0x30:], dirStart)
	binary.LittleEndian.PutUint32(hdr[0x38:], cutoff)
	binary.LittleEndian.PutUint32(hdr[0x3C:], mfStart)
	binary.LittleEndian.PutUint32(hdr[0x40:], uint32((len(mf)+sec-1)/sec))
	binary.LittleEndian.PutUint32(hdr[0x44:], end)
	if nDIF > 0 {
		binary.LittleEndian.PutUint32(hdr[0x44:], difStart)
		binary.LittleEndian.PutUint32(hdr[0x48:], uint32(nDIF))
	}
	for i := range 109 {
		v := uint32(free)
		if i < nFAT {
			v = fatStart + uint32(i)
		}
		binary.LittleEndian.PutUint32(hdr[0x4C+4*i:], v)
	}
	out := hdr
	for _, s := range sectors {
		out = append(out, s...)
	}
	return out
}

// storage returns n's child storage called name, adding it if need be.
func (n *node) storage(name string) *node {
	for _, k := range n.kids {
		if k.store && k.name == name {
			return k
		}
	}
	k := &node{name: name, store: true}
	n.kids = append(n.kids, k)
	return k
}

// utf16LE writes s, of characters of the Basic Multilingual Plane, as
// UTF-16LE.
func utf16LE(s string) []byte {
	var b []byte
	for _, r := range s {
		b = binary.LittleEndian.AppendUint16(b, uint16(r))
	}
	return b
}

// Storage writes the storage e of f out as a compound file of its own, as
// an embedded Word or Excel 97-2003 document is kept inside another: its
// streams are read within max bytes in all, its class id kept.
func (f *File) Storage(e *Entry, max int64) ([]byte, error) {
	var streams []Stream
	var walk func(e *Entry, path string) error
	walk = func(e *Entry, path string) error {
		for _, k := range f.Children(e) {
			p := path + strings.ReplaceAll(k.Name, "/", "_")
			if k.IsStorage() {
				if err := walk(k, p+"/"); err != nil {
					return err
				}
				continue
			}
			b, err := f.ReadStream(k, max)
			if err != nil {
				return err
			}
			max -= int64(len(b))
			streams = append(streams, Stream{Path: p, Data: b})
		}
		return nil
	}
	if err := walk(e, ""); err != nil {
		return nil, err
	}
	// The root keeps the storage's class id: it names the object's program.
	out := Build(streams...)
	dir := (int(binary.LittleEndian.Uint32(out[48:])) + 1) * sec
	copy(out[dir+80:], e.CLSID[:])
	return out, nil
}
