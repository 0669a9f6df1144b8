package rtf

import (
	"bytes"
	"encoding/binary"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
)

// unwrap returns the document an \objdata holds, and its label. The data
// is an OLE 1.0 object (MS-OLEDS 2.2.4): a header naming the object's
// class, then its native data, which is a compound file (a Word or Excel
// document, or an object that wraps a file in turn) or, for the class
// Package, the Packager format that wraps any file. Data that is no OLE
// 1.0 object is read as it is; a linked object holds no document (nil).
func unwrap(b []byte, opt extract.Options) (data []byte, label string, err error) {
	class, native, ok := ole1(b)
	switch {
	case !ok:
		return b, "", nil
	case native == nil:
		return nil, "", nil // linked: the document is elsewhere
	case class == "Package":
		data, label = extract.PackagerFile(native)
		return data, label, nil
	case len(native) < 4:
		return nil, "", nil
	}
	native = native[4:]
	if bytes.HasPrefix(native, []byte(cfb.Signature)) {
		inner, label, err := extract.OLEObject(native, opt)
		if err != nil || inner != nil {
			return inner, label, err
		}
	}
	return native, "", nil
}

// ole1 parses the header of an embedded OLE 1.0 object: its class name
// and its native data with the 4 bytes of its size in front (as the
// Packager format wants it), the size checked against the data; a linked
// object has none.
func ole1(b []byte) (class string, native []byte, ok bool) {
	const linked, embedded = 1, 2
	le := binary.LittleEndian
	if len(b) < 8 || le.Uint32(b[:4])&0xFFFF != 0x0501 {
		return "", nil, false
	}
	switch le.Uint32(b[4:]) {
	case linked:
		return "", nil, true
	case embedded:
	default:
		return "", nil, false
	}
	p := b[8:]
	for i := 0; i < 3; i++ { // class, topic and item names
		if len(p) < 4 {
			return "", nil, false
		}
		n := le.Uint32(p)
		if uint64(n) > uint64(len(p)-4) {
			return "", nil, false
		}
		if i == 0 {
			class = string(bytes.TrimRight(p[4:4+n], "\x00"))
		}
		p = p[4+n:]
	}
	if len(p) < 4 || uint64(le.Uint32(p)) > uint64(len(p)-4) {
		return "", nil, false
	}
	return class, p[:4+le.Uint32(p)], true
}
