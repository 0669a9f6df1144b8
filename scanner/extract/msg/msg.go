// Package msg reads Outlook messages (.msg, [MS-OXMSG]) for extract, as
// package eml reads MIME mail: the header fields, the transport headers and
// the message's other text properties as metadata; the plain, HTML and RTF
// bodies (the RTF one decompressed, [MS-OXRTFCP]); and every attachment
// and attached message as a document of its own, named by its file name.
// It reads TNEF streams (winmail.dat, [MS-OXTNEF]) alike: the same
// properties in another container. Importing it registers both readers.
package msg

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/html"
	"github.com/baomi/baomi/scanner/extract/internal/codepage"
	"github.com/baomi/baomi/scanner/extract/internal/humanize"
	"github.com/baomi/baomi/scanner/extract/rtf"
)

func init() { extract.Register(extract.FormatMSG, readMSG) }

// A message is a compound file. Each property of variable size is a
// stream named __substg1.0_ and its tag in hex (id, then type: 0037001F
// is the subject in UTF-16), each value of a multi-valued one a stream of
// its own with "-" and its index behind; those of fixed size are entries
// of the property stream. Its recipients and attachments are storages laid
// out alike, and an attached message (or OLE object) is a storage in its
// attachment.
const (
	propStream   = "__properties_version1.0"
	propPrefix   = "__substg1.0_"
	recipPrefix  = "__recip_version1.0_#"
	attachPrefix = "__attach_version1.0_#"
	nameIDs      = "__nameid_version1.0" // the map of named properties: at the top only
)

// The property stream's header, in front of its 16-byte entries: that of
// a message (32 bytes), of an attached message (24), of a recipient or an
// attachment (8).
const (
	headTop      = 32
	headEmbedded = 24
	headSub      = 8
)

// Property types ([MS-OXCDATA] 2.11.1).
const (
	typeLong    = 0x0003
	typeObject  = 0x000D
	typeString8 = 0x001E // 8-bit, in the message's code page
	typeUnicode = 0x001F // UTF-16LE
	typeBinary  = 0x0102
	multiple    = 0x1000 // a multi-valued property of the type
)

// Property ids ([MS-OXPROPS]).
const (
	pidMessageClass   = 0x001A
	pidSubject        = 0x0037
	pidHeaders        = 0x007D
	pidSenderName     = 0x0C1A
	pidSenderEmail    = 0x0C1F
	pidRecipientType  = 0x0C15
	pidDisplayBcc     = 0x0E02
	pidDisplayCc      = 0x0E03
	pidDisplayTo      = 0x0E04
	pidBody           = 0x1000
	pidRTF            = 0x1009
	pidHTML           = 0x1013
	pidDisplayName    = 0x3001
	pidEmail          = 0x3003
	pidAttachData     = 0x3701
	pidAttachFilename = 0x3704
	pidAttachMethod   = 0x3705
	pidAttachLongName = 0x3707
	pidAttachMIME     = 0x370E
	pidSMTP           = 0x39FE
	pidInternetCPID   = 0x3FDE
	pidLocale         = 0x3FF1
	pidCodePage       = 0x3FFD
	pidSenderSMTP     = 0x5D01
)

// Attach methods whose data the message holds: by value, an attached
// message, an OLE object.
var heldMethods = []uint32{1, 5, 6}

func readMSG(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	c, err := cfb.Recover(r, size)
	if err != nil {
		return nil, extract.CFBError(err)
	}
	m := &reader{ctx: extract.Container(ctx), c: c, doc: extract.NewText(extract.FormatMSG, opt), opt: opt, seen: map[string]bool{}}
	if err := m.message(); err != nil {
		return nil, err
	}
	m.doc.ReviewPictures()
	m.doc.Review = append(m.doc.Review, c.Review()...)
	return m.doc.Document, nil
}

// reader is a message being read.
type reader struct {
	ctx  context.Context
	c    *cfb.File // a .msg's compound file; nil for a TNEF stream, whose values are bytes
	doc  *extract.Text
	opt  extract.Options
	used int64 // bytes of streams read, charged to MaxInflated

	cp        int    // the code page of 8-bit strings
	cpUnknown bool   // cp is one baomi has no decoder of
	label     string // the charset of the HTML body, "" when the message does not say
	signed    bool   // an S/MIME message whose text is in the clear in its smime.p7m

	seen map[string]bool // values added as text, not repeated among the other properties
	// Review notes said once however often their cause is met.
	cutShort, missing, unknownCP bool
}

// object is the properties of a message, a recipient or an attachment.
type object struct {
	longs  map[uint16]uint32  // 32-bit integers, by id
	props  map[uint32][]value // the values of each tag
	tags   []uint32           // the keys of props, in order
	listed []uint32           // the tags of the text properties the property stream lists
	recips []*cfb.Entry
	attach []*cfb.Entry
}

// value is where a property's value is: a stream (or a storage) of the
// compound file of a .msg, or the bytes a TNEF stream holds.
type value struct {
	e *cfb.Entry
	b []byte
}

func tag(id, typ uint16) uint32 { return uint32(id)<<16 | uint32(typ) }

// isText says a property of type typ holds text.
func isText(typ uint16) bool { return typ&^multiple == typeUnicode || typ&^multiple == typeString8 }

// object reads the properties of storage e, whose property stream has a
// header of head bytes.
func (m *reader) object(e *cfb.Entry, head int) (*object, error) {
	o := &object{longs: map[uint16]uint32{}, props: map[uint32][]value{}}
	type indexed struct {
		e     *cfb.Entry
		index uint64
	}
	values := map[uint32][]indexed{}
	var props *cfb.Entry
	for _, k := range m.c.Children(e) {
		name := k.Name
		switch {
		case strings.EqualFold(name, propStream) && k.IsStream():
			props = k
		case hasPrefixFold(name, recipPrefix) && k.IsStorage():
			o.recips = append(o.recips, k)
		case hasPrefixFold(name, attachPrefix) && k.IsStorage():
			o.attach = append(o.attach, k)
		case hasPrefixFold(name, propPrefix):
			t, index, ok := parseTag(name[len(propPrefix):])
			// A multi-valued property's own stream holds the lengths of
			// its values, each of which has a stream of its own.
			if !ok || (t&multiple != 0) != (index >= 0) {
				continue
			}
			if _, dup := values[t]; !dup {
				o.tags = append(o.tags, t)
			}
			values[t] = append(values[t], indexed{k, uint64(index)})
		}
	}
	slices.Sort(o.tags)
	for _, t := range o.tags {
		vs := values[t]
		slices.SortFunc(vs, func(a, b indexed) int { return int(a.index) - int(b.index) })
		for _, v := range vs {
			o.props[t] = append(o.props[t], value{e: v.e})
		}
	}
	byName := func(a, b *cfb.Entry) int { return strings.Compare(strings.ToUpper(a.Name), strings.ToUpper(b.Name)) }
	slices.SortFunc(o.recips, byName)
	slices.SortFunc(o.attach, byName)
	if props == nil {
		m.cutShort = true
		return o, nil
	}
	b, err := m.bytes(value{e: props})
	if err != nil {
		return nil, err
	}
	if head != headSub && (len(b)-head)%16 != 0 {
		// An attached message read as a file of its own has no map of
		// named properties to tell it from a message: the length of its
		// property stream tells it.
		if alt := headTop + headEmbedded - head; len(b) >= alt && (len(b)-alt)%16 == 0 {
			head = alt
		}
	}
	if len(b) < head || (len(b)-head)%16 != 0 {
		m.cutShort = true
	}
	for p := head; p+16 <= len(b); p += 16 {
		t := binary.LittleEndian.Uint32(b[p:])
		id, typ := uint16(t>>16), uint16(t)
		switch {
		case typ == typeLong:
			o.longs[id] = binary.LittleEndian.Uint32(b[p+8:])
		case isText(typ), t == tag(pidHTML, typeBinary), t == tag(pidRTF, typeBinary), t == tag(pidAttachData, typeBinary):
			o.listed = append(o.listed, t)
		}
	}
	for _, t := range o.listed {
		if len(o.props[t]) == 0 {
			m.missing = true
		}
	}
	return o, nil
}

// parseTag reads a property's tag from the name of its stream after
// __substg1.0_: eight hex digits, and for a value of a multi-valued
// property "-" and the value's index in eight more (index -1 when none).
func parseTag(s string) (t uint32, index int, ok bool) {
	index = -1
	if len(s) == 17 && s[8] == '-' {
		i, err := strconv.ParseUint(s[9:], 16, 32)
		if err != nil {
			return 0, 0, false
		}
		index, s = int(i), s[:8]
	}
	if len(s) != 8 {
		return 0, 0, false
	}
	v, err := strconv.ParseUint(s, 16, 32)
	return uint32(v), index, err == nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// bytes returns value v: a stream is read, charged to MaxInflated.
func (m *reader) bytes(v value) ([]byte, error) {
	if v.e == nil {
		return v.b, nil
	}
	b, err := m.c.ReadStream(v.e, m.opt.MaxInflated-m.used)
	if err != nil {
		return nil, m.cfbError(err)
	}
	m.used += int64(len(b))
	return b, nil
}

// cfbError makes an error of package cfb an *extract.Error; a stream over
// what is left of MaxInflated says which limit it is over.
func (m *reader) cfbError(err error) error {
	var e *cfb.Error
	if errors.As(err, &e) && e.Kind == cfb.TooLarge {
		return extract.Errorf(extract.KindLimit, "the message's streams take more than %s (max inflated)", humanize.Bytes(uint64(m.opt.MaxInflated)))
	}
	return extract.CFBError(err)
}

// message reads the message at the root of the file.
func (m *reader) message() error {
	head := headEmbedded
	if e := m.c.Lookup(nameIDs); e != nil {
		head = headTop
	}
	o, err := m.object(m.c.Root(), head)
	if err != nil {
		return err
	}
	if err := m.counts(len(o.recips), len(o.attach)); err != nil {
		return err
	}
	var recips, attachs []*object
	for _, e := range o.recips {
		r, err := m.object(e, headSub)
		if err != nil {
			return err
		}
		recips = append(recips, r)
	}
	for _, e := range o.attach {
		a, err := m.object(e, headSub)
		if err != nil {
			return err
		}
		attachs = append(attachs, a)
	}
	if err := m.read(o, recips, attachs); err != nil {
		return err
	}
	if m.cutShort {
		m.doc.Review = append(m.doc.Review, "damaged Outlook message: a property stream is missing or cut short, some of its text may be missing")
	}
	if m.missing {
		m.doc.Review = append(m.doc.Review, "damaged Outlook message: some of its properties are missing, and their text with them")
	}
	return nil
}

// counts checks a message's numbers of recipients and attachments
// against MaxEntries.
func (m *reader) counts(recips, attachs int) error {
	if recips > m.opt.MaxEntries {
		return extract.Errorf(extract.KindLimit, "the message has more than %d recipients (max entries)", m.opt.MaxEntries)
	}
	if attachs > m.opt.MaxEntries {
		return extract.Errorf(extract.KindLimit, "the message has more than %d attachments (max entries)", m.opt.MaxEntries)
	}
	return nil
}

// read reads message o, whatever holds it (a .msg, a TNEF stream), with
// its recipients and attachments: the header fields, the bodies, the
// other text properties, then each attachment.
func (m *reader) read(o *object, recips, attachs []*object) error {
	m.codePages(o)
	class, err := m.text(o, pidMessageClass)
	if err != nil {
		return err
	}
	switch smime(class) {
	case "encrypted":
		m.doc.Review = append(m.doc.Review, "encrypted or wrapped by S/MIME: the message's text cannot be read")
	case "signed":
		m.signed = true
	}
	if err := m.fields(o, recips); err != nil {
		return err
	}
	if err := m.bodies(o); err != nil {
		return err
	}
	if err := m.others("", append([]*object{o}, recips...)...); err != nil {
		return err
	}
	for i, a := range attachs {
		if m.ctx.Err() != nil {
			return extract.Errorf(extract.KindTimeout, "timed out reading the message's attachments")
		}
		if err := m.attachment(i+1, a); err != nil {
			return err
		}
	}
	if m.unknownCP {
		m.doc.Review = append(m.doc.Review, "the message's 8-bit text is in a code page baomi cannot decode: some characters may be misread")
	}
	return nil
}

// smime says what S/MIME made of a message, by its class: "encrypted"
// when its text is ciphertext or wrapped in a signature, which only a
// reader of PKCS #7 could unwrap (IPM.Note.SMIME); "signed" when it is in
// the clear, in its smime.p7m attachment, a MIME entity
// (IPM.Note.SMIME.MultipartSigned); "" for other messages.
func smime(class string) string {
	c := strings.ToLower(class)
	if !strings.HasPrefix(c, "ipm.note.smime") && !strings.HasPrefix(c, "ipm.note.secure") {
		return ""
	}
	if strings.HasSuffix(c, ".multipartsigned") || strings.HasSuffix(c, ".sign") {
		return "signed"
	}
	return "encrypted"
}

// codePages takes the code page of the message's 8-bit strings: its own,
// else the ANSI code page of its locale (Outlook writes 8-bit text in that
// of the system's language: a Japanese message names ISO-2022-JP for its
// Internet form and holds Shift-JIS), else that of its Internet form when
// Windows has it as an ANSI code page, else GBK, which Chinese Windows
// writes. The charset of its HTML body is that of its Internet form.
func (m *reader) codePages(o *object) {
	m.cp = codepage.GBK
	cp, ok := o.longs[pidCodePage]
	switch lid, byLocale := o.longs[pidLocale]; {
	case ok && cp != 0 && cp != codepage.UTF16LE:
		m.cp, m.cpUnknown = int(cp), !codepage.Known(int(cp))
	case byLocale && lid != 0:
		m.cp = codepage.FromLID(int(lid))
	default:
		if cp := int(o.longs[pidInternetCPID]); codepage.Known(cp) && cp != codepage.UTF16LE {
			m.cp = cp
		}
	}
	for _, id := range []uint16{pidInternetCPID, pidCodePage} {
		if cp, ok := o.longs[id]; ok {
			m.label = label(int(cp))
			break
		}
	}
}

// labels name the charsets of the code pages an HTML body is written in
// that are not named by their number.
var labels = map[int]string{
	codepage.GBK: "gbk", 54936: "gb18030", 950: "big5", 932: "shift_jis", 949: "euc-kr",
	codepage.UTF8: "utf-8", 20127: "us-ascii", 50220: "iso-2022-jp", 51932: "euc-jp", 20866: "koi8-r", 874: "windows-874",
}

// label is the charset label of code page cp, "" for one it does not know.
func label(cp int) string {
	switch {
	case cp >= 1250 && cp <= 1258:
		return "windows-" + strconv.Itoa(cp)
	case cp >= 28591 && cp <= 28605:
		return "iso-8859-" + strconv.Itoa(cp-28590)
	}
	return labels[cp]
}

// text returns the text of property id of o, "" when it has none.
func (m *reader) text(o *object, id uint16) (string, error) {
	for _, typ := range []uint16{typeUnicode, typeString8} {
		if es := o.props[tag(id, typ)]; len(es) > 0 {
			return m.decode(es[0], typ)
		}
	}
	return "", nil
}

// decode returns the string v, of type typ.
func (m *reader) decode(v value, typ uint16) (string, error) {
	b, err := m.bytes(v)
	if err != nil {
		return "", err
	}
	if err := m.doc.Fits(len(b)); err != nil {
		return "", err
	}
	var s string
	if typ&^multiple == typeUnicode {
		s = codepage.Decode(codepage.UTF16LE, b)
	} else {
		if m.cpUnknown && slices.ContainsFunc(b, func(c byte) bool { return c >= 0x80 }) {
			m.unknownCP = true
		}
		s = codepage.Decode(m.cp, b)
	}
	// Strings end in a NUL; one inside hides what follows from some
	// readers, not from all.
	return strings.TrimSpace(strings.ReplaceAll(strings.TrimRight(s, "\x00"), "\x00", " ")), nil
}

// fields adds the header fields, and a line for each recipient, as one
// metadata segment, and the transport headers of a message that came by
// Internet mail as another.
func (m *reader) fields(o *object, recips []*object) error {
	var lines []string
	line := func(name string, values ...string) {
		var v []string
		for _, s := range values {
			if s != "" {
				v = append(v, s)
				m.seen[s] = true
			}
		}
		switch len(v) {
		case 1:
			lines = append(lines, name+": "+v[0])
		case 2:
			lines = append(lines, name+": "+v[0]+" <"+v[1]+">")
		}
	}
	get := func(o *object, ids ...uint16) ([]string, error) {
		out := make([]string, len(ids))
		for i, id := range ids {
			s, err := m.text(o, id)
			if err != nil {
				return nil, err
			}
			out[i] = s
		}
		return out, nil
	}
	f, err := get(o, pidSubject, pidSenderName, pidSenderSMTP, pidSenderEmail, pidDisplayTo, pidDisplayCc, pidDisplayBcc, pidHeaders)
	if err != nil {
		return err
	}
	line("Subject", f[0])
	line("From", f[1], first(f[2], f[3]))
	line("To", f[4])
	line("Cc", f[5])
	line("Bcc", f[6])
	for _, r := range recips {
		v, err := get(r, pidDisplayName, pidSMTP, pidEmail)
		if err != nil {
			return err
		}
		kinds := map[uint32]string{1: "To", 2: "Cc", 3: "Bcc"}
		kind, ok := kinds[r.longs[pidRecipientType]&0xF]
		if !ok {
			kind = "Recipient"
		}
		line(kind, v[0], first(v[1], v[2]))
	}
	for _, s := range []string{strings.Join(lines, "\n"), f[7]} {
		if s == "" {
			continue
		}
		m.seen[s] = true
		if err := m.doc.Add(extract.Segment{Part: extract.PartMetadata, Text: s}); err != nil {
			return err
		}
	}
	return nil
}

// first is the first of its arguments that is not empty.
func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

// bodies reads the message's bodies: plain, HTML (its bytes in the
// message's Internet charset) and compressed RTF. Outlook shows one of
// them, and they may differ: all are read, and each plain one (a TNEF
// stream may hold its own beside the property's) once.
func (m *reader) bodies(o *object) error {
	var plain []string
	for _, typ := range []uint16{typeUnicode, typeString8} {
		for _, v := range o.props[tag(pidBody, typ)] {
			body, err := m.decode(v, typ)
			if err != nil {
				return err
			}
			if body == "" || slices.Contains(plain, body) {
				continue
			}
			plain = append(plain, body)
			if strings.Contains(body, "-----BEGIN PGP MESSAGE-----") {
				m.doc.Review = append(m.doc.Review, "the message body holds a PGP-encrypted message whose text cannot be read")
			}
			if err := m.doc.Add(extract.Segment{Part: extract.PartBody, Text: body}); err != nil {
				return err
			}
		}
	}
	if es := o.props[tag(pidHTML, typeBinary)]; len(es) > 0 {
		b, err := m.bytes(es[0])
		if err != nil {
			return err
		}
		if err := html.Read(m.ctx, m.doc, b, m.label, m.opt); err != nil {
			return err
		}
	} else if s, err := m.text(o, pidHTML); err != nil {
		return err
	} else if s != "" {
		if err := html.Read(m.ctx, m.doc, []byte(s), "utf-8", m.opt); err != nil {
			return err
		}
	}
	es := o.props[tag(pidRTF, typeBinary)]
	if len(es) == 0 {
		return nil
	}
	b, err := m.bytes(es[0])
	if err != nil {
		return err
	}
	text, status := decompressRTF(b, m.opt.MaxInflated-m.used)
	switch status {
	case rtfTooLarge:
		return extract.Errorf(extract.KindLimit, "the message's RTF body inflates past the limit of %s (max inflated)", humanize.Bytes(uint64(m.opt.MaxInflated)))
	case rtfUnknown:
		m.doc.Review = append(m.doc.Review, "the message's RTF body is compressed in a form baomi does not know: it was not read")
		return nil
	case rtfDamaged:
		m.doc.Review = append(m.doc.Review, "the message's RTF body is damaged: read as far as it goes, some of its text may be missing")
	}
	m.used += int64(len(text))
	// Outlook pads the RTF with NULs, which are no text.
	if text = bytes.TrimRight(text, "\x00"); len(text) == 0 {
		return nil
	}
	return rtf.Read(m.ctx, m.doc, text, m.opt)
}

// skipped are the text properties others leaves out: the bodies, read as
// such, and the message class, a name of the format.
var skipped = []uint16{pidBody, pidHTML, pidMessageClass}

// others adds the text properties of objs not read yet as one metadata
// segment, a line each, of the inner document inner: the names and
// addresses of sender and recipients by other properties, the named
// properties programs and classification add-ins set (keywords,
// categories, labels), an attachment's display name and type. A value
// read already is not repeated.
func (m *reader) others(inner string, objs ...*object) error {
	var b strings.Builder
	for _, o := range objs {
		for _, t := range o.tags {
			id, typ := uint16(t>>16), uint16(t)
			if !isText(typ) || slices.Contains(skipped, id) {
				continue
			}
			for _, v := range o.props[t] {
				s, err := m.decode(v, typ)
				if err != nil {
					return err
				}
				if s == "" || m.seen[s] {
					continue
				}
				m.seen[s] = true
				b.WriteString(s + "\n")
				if err := m.doc.Fits(b.Len()); err != nil {
					return err
				}
			}
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return m.doc.Add(extract.Segment{Part: extract.PartMetadata, Inner: inner, Text: strings.TrimSuffix(b.String(), "\n")})
}

// attachment reads attachment n, whose properties are o: its file name
// (text too, as an archive entry's is), its other text properties, and its
// data as a document of its own, named by its file name (or its display
// name, or its place).
func (m *reader) attachment(n int, o *object) error {
	long, err := m.text(o, pidAttachLongName)
	if err != nil {
		return err
	}
	short, err := m.text(o, pidAttachFilename)
	if err != nil {
		return err
	}
	display, err := m.text(o, pidDisplayName)
	if err != nil {
		return err
	}
	mimeType, err := m.text(o, pidAttachMIME)
	if err != nil {
		return err
	}
	label := fmt.Sprintf("attachment %d", n)
	var objs []value
	for _, v := range o.props[tag(pidAttachData, typeObject)] {
		if v.e == nil || v.e.IsStorage() {
			objs = append(objs, v)
		}
	}
	name := first(baseName(long), baseName(short), display)
	if name != "" {
		m.seen[name] = true
		if err := m.doc.Add(extract.Segment{Part: extract.PartFileName, Inner: name, Text: name}); err != nil {
			return err
		}
	} else {
		name = "attachment-" + strconv.Itoa(n)
		if len(objs) > 0 && m.isMessage(objs[0]) {
			name += ".msg"
		}
	}
	if err := m.others(name, o); err != nil {
		return err
	}
	// Its data: one value in a .msg; a TNEF stream may hold the data both
	// as an attribute and as a property, and then both are read (once
	// when they are the same).
	var held [][]byte
	for _, v := range o.props[tag(pidAttachData, typeBinary)] {
		data, err := m.bytes(v)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(held, func(b []byte) bool { return bytes.Equal(b, data) }) {
			continue
		}
		held = append(held, data)
		if m.signed && strings.EqualFold(mimeType, "multipart/signed") {
			// The clear text of a signed message: a MIME entity without
			// the header fields that tell it for mail.
			data = append([]byte("MIME-Version: 1.0\r\n"), data...)
		}
		if err := m.attached(name, label, data); err != nil {
			return err
		}
	}
	for _, v := range objs {
		// An attached message or an OLE object: a file extract reads (a
		// compound file, which extract reads by its streams; a TNEF
		// stream), or the file the object wraps (a Packager object's, an
		// Office file's package).
		data, err := m.objectFile(v)
		if err != nil {
			return err
		}
		held = append(held, data)
		inner, packaged, err := extract.OLEObject(data, m.opt)
		if err != nil {
			return err
		}
		at := name
		if inner != nil {
			data = inner
			if file, _, _ := strings.Cut(packaged, "\n"); file != "" {
				at += "/" + file // the label's first line names the file, the next its path
			}
		}
		if err := m.attached(at, label, data); err != nil {
			return err
		}
	}
	if len(held) == 0 && slices.Contains(heldMethods, o.longs[pidAttachMethod]) {
		m.doc.Review = append(m.doc.Review, label+": its data is missing from the message")
	}
	return nil
}

// attached reads data, an attachment's, as a document inside the message.
func (m *reader) attached(name, label string, data []byte) error {
	if len(data) == 0 {
		return nil
	}
	return extract.ReadInner(m.ctx, m.doc, name, label, data, m.opt)
}

// iidMessage is the interface identifier a TNEF stream writes in front of
// an attached message, its own TNEF stream behind ([MS-OXTNEF] 2.1.3.4);
// an OLE object has another's (IStorage), a compound file behind.
var iidMessage = []byte{0x07, 0x03, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}

// isMessage says object v is an attached message.
func (m *reader) isMessage(v value) bool {
	if v.e == nil {
		return bytes.HasPrefix(v.b, iidMessage)
	}
	return slices.ContainsFunc(m.c.Children(v.e), func(k *cfb.Entry) bool { return strings.EqualFold(k.Name, propStream) })
}

// objectFile returns object v as a file: a storage written out as a compound
// file, charged to MaxInflated; an object of a TNEF stream without the
// identifier of its interface.
func (m *reader) objectFile(v value) ([]byte, error) {
	if v.e == nil {
		return v.b[min(len(v.b), len(iidMessage)):], nil // the identifier's 16 bytes
	}
	data, err := m.c.Storage(v.e, m.opt.MaxInflated-m.used)
	if err != nil {
		return nil, m.cfbError(err)
	}
	m.used += int64(len(data))
	return data, nil
}

// baseName is a file's name without its folders, whichever way they are
// written.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}
