package msg

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"slices"

	"github.com/baomi/baomi/scanner/extract"
)

func init() { extract.Register(extract.FormatTNEF, readTNEF) }

// TNEF ([MS-OXTNEF]) is how Exchange and Outlook send a message in their
// rich format by Internet mail: an attachment, winmail.dat
// (application/ms-tnef), holding the message's properties, its body and
// its attachments. After its signature and a 2-byte key come attributes:
// a level (1 the message, 2 an attachment), an id (its type in the high
// word), the length of the data, the data, and a checksum of it, the
// 16-bit sum of its bytes. The message's properties (and each
// attachment's, and the recipients') are lists of MAPI properties in
// attributes of their own; the older attributes (subject, body, file
// name, data) hold 8-bit text and bytes. Both are read as the properties
// of a .msg are, the older ones as the properties they stand for.
const tnefSignature = 0x223E9F78

// Levels of attributes.
const (
	levelMessage    = 1
	levelAttachment = 2
)

// Attributes read.
const (
	attFrom           = 0x00008000 // the sender: a triple of name and address
	attSubject        = 0x00018004
	attBody           = 0x0002800C
	attMessageClass   = 0x00078008
	attAttachData     = 0x0006800F
	attAttachTitle    = 0x00018010 // the attachment's file name
	attTransportName  = 0x00069001 // the attachment's name in transport
	attAttachRendData = 0x00069002 // starts an attachment
	attMsgProps       = 0x00069003 // the message's properties
	attRecipTable     = 0x00069004 // the recipients' properties
	attAttachment     = 0x00069005 // the attachment's properties
	attOemCodepage    = 0x00069007 // the code page of the 8-bit text
)

// The types of attributes that hold 8-bit text: atpString and atpText.
const (
	atpString = 0x0001
	atpText   = 0x0002
)

// propertyOf are the properties the older attributes stand for, read as
// 8-bit text (binary for the data).
var propertyOf = map[uint32]uint32{
	attSubject:       tag(pidSubject, typeString8),
	attBody:          tag(pidBody, typeString8),
	attMessageClass:  tag(pidMessageClass, typeString8),
	attAttachTitle:   tag(pidAttachFilename, typeString8),
	attTransportName: tag(pidTransportName, typeString8),
	attAttachData:    tag(pidAttachData, typeBinary),
}

// pidTransportName is the attachment's name in transport (PR_ATTACH_TRANSPORT_NAME).
const pidTransportName = 0x370C

// readTNEF is the extractor of extract.FormatTNEF.
func readTNEF(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, extract.Errorf(extract.KindIO, "cannot read file: %v", err)
	}
	if len(data) < 6 || binary.LittleEndian.Uint32(data) != tnefSignature {
		return nil, extract.Errorf(extract.KindCorrupt, "damaged TNEF stream: its signature is missing")
	}
	t := parseTNEF(data[6:], opt.MaxEntries)
	m := &reader{ctx: extract.Container(ctx), doc: extract.NewText(extract.FormatTNEF, opt), opt: opt, seen: map[string]bool{}}
	if err := m.counts(len(t.recips), len(t.attachs)); err != nil {
		return nil, err
	}
	if err := m.read(t.msg, t.recips, t.attachs); err != nil {
		return nil, err
	}
	m.doc.ReviewPictures()
	for _, n := range []struct {
		bad  bool
		note string
	}{
		{t.cutShort, "damaged TNEF stream: it is cut short or its structure is broken, the rest of it was not read"},
		{t.badSum, "damaged TNEF stream: an attribute's checksum does not match its data, some of its text may be misread"},
		{t.badProps, "damaged TNEF stream: a property list is cut short or holds a value of a type baomi does not know, the rest of that list was not read"},
	} {
		if n.bad {
			m.doc.Review = append(m.doc.Review, n.note)
		}
	}
	return m.doc.Document, nil
}

// tnef is what a TNEF stream holds, and the damage met reading it.
type tnef struct {
	msg     *object
	recips  []*object
	attachs []*object
	limit   int // MaxEntries: past one more recipient or attachment, no more are read

	cutShort bool // an attribute runs past the end, or its level is none
	badSum   bool // an attribute's checksum does not match its data
	badProps bool // a property list does not parse to its end
}

func newObject() *object {
	return &object{longs: map[uint16]uint32{}, props: map[uint32][]value{}}
}

// add adds value b to property t of o.
func (o *object) add(t uint32, b []byte) {
	if _, ok := o.props[t]; !ok {
		o.tags = append(o.tags, t)
	}
	o.props[t] = append(o.props[t], value{b: b})
}

// parseTNEF reads the attributes of a TNEF stream, b after its signature
// and key, as far as they go, or until it has more than limit recipients
// or attachments (which reading it then refuses).
func parseTNEF(b []byte, limit int) *tnef {
	t := &tnef{msg: newObject(), limit: limit}
	oem, hasOEM := uint32(0), false
	var att *object
	for len(b) > 0 && len(t.attachs) <= limit && len(t.recips) <= limit {
		if len(b) < 9 {
			t.cutShort = true
			break
		}
		level, id, n := b[0], binary.LittleEndian.Uint32(b[1:]), binary.LittleEndian.Uint32(b[5:])
		b = b[9:]
		if uint64(n)+2 > uint64(len(b)) || level != levelMessage && level != levelAttachment {
			t.cutShort = true
			break
		}
		data, sum := b[:n], binary.LittleEndian.Uint16(b[n:])
		b = b[n+2:]
		if checksum(data) != sum {
			t.badSum = true
		}
		o := t.msg
		if level == levelAttachment {
			// An attachment starts with its rendering data; an attribute
			// of one before any starts one all the same.
			if id == attAttachRendData || att == nil {
				att = newObject()
				att.longs[pidAttachMethod] = 1 // by value, unless its properties say otherwise
				t.attachs = append(t.attachs, att)
			}
			o = att
		}
		switch {
		case id == attOemCodepage && len(data) >= 4:
			oem, hasOEM = binary.LittleEndian.Uint32(data), true
		case id == attMsgProps, id == attAttachment:
			if _, ok := t.props(o, data); !ok {
				t.badProps = true
			}
		case id == attRecipTable:
			t.recipients(data)
		case id == attFrom:
			t.from(data)
		case propertyOf[id] != 0:
			o.add(propertyOf[id], data)
		case id>>16 == atpString || id>>16 == atpText:
			// Other text (ids of the message, of its conversation): read
			// as properties of their own.
			o.add(tag(uint16(id), typeString8), data)
		}
	}
	// The code page of the 8-bit text: the message's own, else the
	// stream's.
	if _, ok := t.msg.longs[pidCodePage]; !ok && hasOEM {
		t.msg.longs[pidCodePage] = oem
	}
	for _, o := range append(append([]*object{t.msg}, t.recips...), t.attachs...) {
		slices.Sort(o.tags)
	}
	for _, a := range t.attachs {
		// Outlook writes as the data of an attached message a sentence
		// for the mail programs that cannot read it, ending in a NUL,
		// which would make it no text: read as the text it is.
		vs := a.props[tag(pidAttachData, typeBinary)]
		for i, v := range vs {
			if n := len(v.b); a.longs[pidAttachMethod] == 5 && n > 0 && bytes.IndexByte(v.b, 0) == n-1 {
				vs[i].b = v.b[:n-1]
			}
		}
	}
	return t
}

// checksum is the checksum of an attribute's data.
func checksum(b []byte) uint16 {
	var sum uint16
	for _, c := range b {
		sum += uint16(c)
	}
	return sum
}

// from reads attFrom: a header of 8 bytes (its id, the size of what
// follows, the sizes of the name and of the address), the sender's name
// and address as 8-bit strings, and 8 zero bytes.
func (t *tnef) from(b []byte) {
	if len(b) < 8 {
		t.badProps = true
		return
	}
	name, addr := int(binary.LittleEndian.Uint16(b[4:])), int(binary.LittleEndian.Uint16(b[6:]))
	b = b[8:]
	if name+addr > len(b) {
		t.badProps = true
		return
	}
	t.msg.add(tag(pidSenderName, typeString8), b[:name])
	t.msg.add(tag(pidSenderEmail, typeString8), b[name:name+addr])
}

// recipients reads attRecipTable: the number of rows, then each row, a
// property list.
func (t *tnef) recipients(b []byte) {
	if len(b) < 4 {
		t.badProps = true
		return
	}
	rows := binary.LittleEndian.Uint32(b)
	b = b[4:]
	for range min(rows, uint32(t.limit)+1) {
		r := newObject()
		t.recips = append(t.recips, r)
		rest, ok := t.props(r, b)
		if !ok {
			t.badProps = true
			return
		}
		b = rest
	}
}

// fixedSize is the size, in a property list, of a value of a type of
// fixed size ([MS-OXCDATA] 2.11.1; 16-bit ones padded to 4 bytes), 0 for
// the others.
func fixedSize(typ uint16) int {
	switch typ {
	case 0x0002, typeLong, 0x0004, 0x000A, 0x000B: // 16-bit, 32-bit, float, error, boolean
		return 4
	case 0x0005, 0x0006, 0x0007, 0x0014, 0x0040: // double, currency, application time, 64-bit, time
		return 8
	case 0x0048: // GUID
		return 16
	}
	return 0
}

// variable says values of type typ have a length of their own.
func variable(typ uint16) bool {
	return typ == typeString8 || typ == typeUnicode || typ == typeBinary || typ == typeObject || typ == 0x00FB // server id
}

// props reads a property list into o ([MS-OXTNEF] 2.1.3.4): its number
// of properties, then each: type, id, the name of a named one (a GUID, a
// kind, then a number or a UTF-16 name), then its values: a variable or
// multi-valued one gives their number, each variable one its length, and
// each value is padded to 4 bytes. It returns what follows the list, and
// false when the list does not parse to its end.
func (t *tnef) props(o *object, b []byte) ([]byte, bool) {
	u32 := func() (uint32, bool) {
		if len(b) < 4 {
			return 0, false
		}
		v := binary.LittleEndian.Uint32(b)
		b = b[4:]
		return v, true
	}
	take := func(n uint32) ([]byte, bool) {
		padded := (uint64(n) + 3) &^ 3
		if padded > uint64(len(b)) {
			return nil, false
		}
		v := b[:n]
		b = b[padded:]
		return v, true
	}
	count, ok := u32()
	if !ok {
		return b, false
	}
	for range count {
		head, ok := u32()
		if !ok {
			return b, false
		}
		typ, id := uint16(head), uint16(head>>16)
		if id >= 0x8000 {
			if _, ok := take(16); !ok {
				return b, false
			}
			kind, ok := u32()
			if !ok || kind > 1 {
				return b, false
			}
			n, ok := u32()
			if ok && kind == 1 {
				_, ok = take(n)
			}
			if !ok {
				return b, false
			}
		}
		base, values := typ&^multiple, uint32(1)
		if typ&multiple != 0 || variable(base) {
			if values, ok = u32(); !ok {
				return b, false
			}
		}
		for range values {
			switch size := fixedSize(base); {
			case size > 0:
				v, ok := take(uint32(size))
				if !ok {
					return b, false
				}
				if typ == typeLong {
					o.longs[id] = binary.LittleEndian.Uint32(v)
				}
			case variable(base):
				n, ok := u32()
				if !ok {
					return b, false
				}
				v, ok := take(n)
				if !ok || base == typeObject && n < 16 {
					return b, false
				}
				o.add(tag(id, typ), v)
			default:
				return b, false
			}
		}
	}
	return b, true
}
