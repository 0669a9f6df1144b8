package msg_test

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// Building messages for the tests, as Outlook lays them out ([MS-OXMSG]).

// prop is a property to write: a stream of its own (text, binary, each
// value of a multi-valued property) or an entry of the property stream (a
// 32-bit integer).
type prop struct {
	tag    uint32
	data   []byte   // a stream's bytes
	long   uint32   // the value of a 32-bit integer
	values [][]byte // the values of a multi-valued property
	absent bool     // listed in the property stream, no stream of its own
}

// Property types.
const (
	tLong    = 0x0003
	tString8 = 0x001E
	tUnicode = 0x001F
	tBinary  = 0x0102
)

// utf16LE is s in UTF-16LE.
func utf16LE(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return b
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func str(id uint16, s string) prop  { return prop{tag: uint32(id)<<16 | tUnicode, data: utf16LE(s)} }
func str8(id uint16, b []byte) prop { return prop{tag: uint32(id)<<16 | tString8, data: b} }
func bin(id uint16, b []byte) prop  { return prop{tag: uint32(id)<<16 | tBinary, data: b} }
func long(id uint16, v uint32) prop { return prop{tag: uint32(id)<<16 | tLong, long: v} }
func multi(id uint16, values ...string) prop {
	p := prop{tag: uint32(id)<<16 | tUnicode | 0x1000}
	for _, v := range values {
		p.values = append(p.values, utf16LE(v))
	}
	return p
}

// attachment is an attachment to write: its properties, and an attached
// message or an OLE object (the streams of its storage).
type attachment struct {
	props  []prop
	msg    *message
	object []cfb.Stream
}

// message is a message to write.
type message struct {
	props   []prop
	recips  [][]prop
	attachs []attachment
	// propHead overrides the property stream's header size (a damaged one).
	propHead int
}

// build writes m as a .msg file.
func (m message) build() []byte {
	return cfb.Build(append(m.streams("", 32), cfb.Stream{Path: "__nameid_version1.0/__substg1.0_00020102"})...)
}

// streams writes m under prefix, its property stream's header head bytes.
func (m message) streams(prefix string, head int) []cfb.Stream {
	if m.propHead != 0 {
		head = m.propHead
	}
	out := props(prefix, head, m.props)
	for i, r := range m.recips {
		out = append(out, props(prefix+fmt.Sprintf("__recip_version1.0_#%08X/", i), 8, r)...)
	}
	for i, a := range m.attachs {
		p := prefix + fmt.Sprintf("__attach_version1.0_#%08X/", i)
		out = append(out, props(p, 8, a.props)...)
		if a.msg != nil {
			out = append(out, a.msg.streams(p+"__substg1.0_3701000D/", 24)...)
		}
		for _, s := range a.object {
			out = append(out, cfb.Stream{Path: p + "__substg1.0_3701000D/" + s.Path, Data: s.Data})
		}
	}
	return out
}

// props writes the property stream and the streams of ps under prefix.
func props(prefix string, head int, ps []prop) []cfb.Stream {
	table := make([]byte, head)
	var out []cfb.Stream
	for _, p := range ps {
		table = binary.LittleEndian.AppendUint32(table, p.tag)
		table = binary.LittleEndian.AppendUint32(table, 6) // readable, writable
		var value [8]byte
		name := prefix + fmt.Sprintf("__substg1.0_%08X", p.tag)
		switch {
		case p.tag&0xFFFF == tLong:
			binary.LittleEndian.PutUint32(value[:], p.long)
		case p.values != nil:
			var lengths []byte
			for i, v := range p.values {
				lengths = binary.LittleEndian.AppendUint32(lengths, uint32(len(v)+2))
				out = append(out, cfb.Stream{Path: fmt.Sprintf("%s-%08X", name, i), Data: v})
			}
			binary.LittleEndian.PutUint32(value[:], uint32(len(lengths)))
			out = append(out, cfb.Stream{Path: name, Data: lengths})
		default:
			binary.LittleEndian.PutUint32(value[:], uint32(len(p.data)))
			if !p.absent {
				out = append(out, cfb.Stream{Path: name, Data: p.data})
			}
		}
		table = append(table, value[:]...)
	}
	return append([]cfb.Stream{{Path: prefix + "__properties_version1.0", Data: table}}, out...)
}

// compressRTF writes rtf as compressed RTF of literal bytes only (Outlook
// writes references too: TestDecompressRTF reads those of [MS-OXRTFCP]).
func compressRTF(rtf string) []byte {
	var body []byte
	w := 207 // the dictionary's write position after its initial text
	// Runs of eight tokens, the last of which ends in a reference to the
	// write position: the end.
	for i := 0; i <= len(rtf); i += 8 {
		run := []byte(rtf[i:min(i+8, len(rtf))])
		w = (w + len(run)) % 4096
		if len(run) == 8 {
			body = append(append(body, 0), run...)
			continue
		}
		body = append(append(body, 1<<len(run)), run...)
		body = binary.BigEndian.AppendUint16(body, uint16(w<<4))
	}
	return compressed(len(rtf), 0x75465A4C, body)
}

// compressed puts the header in front of body, the compressed data of raw
// bytes of RTF in form.
func compressed(raw int, form uint32, body []byte) []byte {
	h := binary.LittleEndian.AppendUint32(nil, uint32(len(body)+12))
	h = binary.LittleEndian.AppendUint32(h, uint32(raw))
	h = binary.LittleEndian.AppendUint32(h, form)
	crc := uint32(0)
	if form == 0x75465A4C {
		crc = ^crc32.Update(^uint32(0), crc32.IEEETable, body)
	}
	return append(binary.LittleEndian.AppendUint32(h, crc), body...)
}

// rtfText writes s as RTF text, each character past ASCII a \uN.
func rtfText(s string) string {
	var b []byte
	for _, r := range s {
		if r < 0x80 {
			b = append(b, byte(r))
			continue
		}
		b = fmt.Appendf(b, "\\u%d?", int16(r))
	}
	return string(b)
}
