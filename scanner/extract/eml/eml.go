// Package eml reads mail messages (RFC 5322 with MIME) for extract: the
// text header fields, the text and HTML bodies, and every attachment and
// attached message as a document of its own. Word's web archives (.mht,
// .mhtml) are such messages too: their pages are bodies, their pictures
// and other files attachments. Importing it registers the reader.
package eml

import (
	"bufio"
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/textproto"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/html"
	"github.com/baomi/baomi/scanner/extract/internal/charset"
	"github.com/baomi/baomi/scanner/extract/internal/humanize"
)

func init() { extract.Register(extract.FormatEML, read) }

// maxDepth bounds how deep multiparts may nest in one message; attached
// messages are documents of their own, bounded by extract's nesting.
const maxDepth = 32

// read is the extractor of extract.FormatEML.
func read(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, extract.Errorf(extract.KindIO, "cannot read file: %v", err)
	}
	m := &message{ctx: extract.Container(ctx), doc: extract.NewText(extract.FormatEML, opt), opt: opt}
	if err := m.read(data); err != nil {
		return nil, err
	}
	return m.doc.Document, nil
}

// message is a message being read.
type message struct {
	ctx   context.Context
	doc   *extract.Text
	opt   extract.Options
	parts int   // parts read so far, to bound them and to name those without a name
	taken int64 // bytes of parts taken out of their multiparts, charged to MaxInflated
}

// read reads the message in data: its header, then its body as a part.
func (m *message) read(data []byte) error {
	// A mailbox's "From " line is no header field, but text all the same.
	var from []byte
	if bytes.HasPrefix(data, []byte("From ")) {
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			from, data = data[:i], data[i+1:]
		}
	}
	h, body, err := header(data)
	if err != nil {
		// What follows a header that cannot be parsed is still text a
		// mail client may show.
		m.doc.Review = append(m.doc.Review, "damaged message header: the message was read as plain text")
		return m.text(slices.Concat(from, []byte("\n"), data), "", extract.PartBody)
	}
	if err := m.text(from, "", extract.PartMetadata); err != nil {
		return err
	}
	if err := m.fields(h); err != nil {
		return err
	}
	return m.part(h, body, 0)
}

// header splits a message into its header and body at the first blank
// line (or the end: a message may be all header).
func header(data []byte) (textproto.MIMEHeader, []byte, error) {
	end, body := len(data), len(data)
	for off := 0; off < len(data); {
		nl := bytes.IndexByte(data[off:], '\n')
		if nl < 0 {
			nl = len(data) - off
		}
		if len(bytes.TrimSuffix(data[off:off+nl], []byte("\r"))) == 0 {
			end, body = off, min(off+nl+1, len(data))
			break
		}
		off += nl + 1
	}
	head := slices.Concat(bytes.TrimRight(data[:end], "\r\n"), []byte("\r\n\r\n"))
	h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(head))).ReadMIMEHeader()
	return h, data[body:], err
}

// textFields are shown first, in this order; the other fields follow in
// the order of their names.
var textFields = []string{"Subject", "From", "To", "Cc", "Bcc", "Reply-To", "Date"}

// fields adds the header fields as one metadata segment, a line each,
// their encoded words and 8-bit text decoded.
func (m *message) fields(h textproto.MIMEHeader) error {
	keys := make([]string, 0, len(h))
	for k := range h {
		if !slices.Contains(textFields, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range append(slices.Clone(textFields), keys...) {
		for _, v := range h[k] {
			b.WriteString(k + ": " + decodeHeader(v) + "\n")
			if err := m.doc.Fits(b.Len()); err != nil {
				return err
			}
		}
	}
	if b.Len() == 0 {
		return nil
	}
	return m.doc.Add(extract.Segment{Part: extract.PartMetadata, Text: strings.TrimSuffix(b.String(), "\n")})
}

// words decodes RFC 2047 encoded words in any charset baomi knows.
var words = &mime.WordDecoder{CharsetReader: charset.Reader}

// decodeHeader decodes a header field's value: 8-bit text (Chinese mail
// clients write GBK unencoded) and encoded words.
func decodeHeader(v string) string {
	if !utf8.ValidString(v) {
		v, _ = extract.DecodeText([]byte(v))
	}
	if d, err := words.DecodeHeader(v); err == nil {
		return d
	}
	return v
}

// part reads one part of the message (the message's own body is its first).
func (m *message) part(h textproto.MIMEHeader, body []byte, depth int) error {
	if m.parts++; m.parts > m.opt.MaxEntries {
		return extract.Errorf(extract.KindLimit, "the message has more than %d parts (max entries)", m.opt.MaxEntries)
	}
	n := m.parts
	ct := h.Get("Content-Type")
	media, params, err := mime.ParseMediaType(ct)
	if err != nil && media == "" {
		media = "text/plain" // RFC 2045: what cannot be parsed is plain text
	}
	data, ok := transfer(h.Get("Content-Transfer-Encoding"), body)
	if !ok {
		m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: damaged transfer encoding: some of its text may be missing", n))
	}
	name := fileName(h)
	disp, _, _ := mime.ParseMediaType(h.Get("Content-Disposition"))
	switch {
	case media == "multipart/encrypted", media == "application/pkcs7-mime", media == "application/x-pkcs7-mime":
		// Ciphertext (or content wrapped in a signature) that only the
		// recipient's key opens: never clean.
		m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: encrypted or wrapped by S/MIME or PGP: its text cannot be read", n))
		return nil
	case signature[media]:
		return nil // a signature carries no text of the message
	case strings.HasPrefix(media, "multipart/"):
		return m.multipart(data, params["boundary"], n, depth)
	case media == "message/rfc822", media == "message/global":
		return m.attach(name, "part-"+strconv.Itoa(n)+".eml", n, data)
	case disp != "attachment" && name == "" && media == "text/html":
		return html.Read(m.ctx, m.doc, data, params["charset"], m.opt)
	case disp != "attachment" && name == "" && media == "text/plain":
		return m.plain(data, params["charset"], n)
	}
	// An attachment, or an inline file (a picture of a page, a text in
	// RTF or XML), is read as a document of its own, sniffed as any file
	// is, named by its file name, where a web archive keeps it, or its
	// place in the message.
	if name == "" {
		name = baseName(h.Get("Content-Location"))
	}
	return m.attach(name, "part-"+strconv.Itoa(n), n, data)
}

// attach reads part n as an inner document named name, or fallback when
// the message gives it none. A name the message gives is text too, as an
// archive entry's is (机密★5年_通知.docx), whether or not the file can be
// read.
func (m *message) attach(name, fallback string, n int, data []byte) error {
	if name == "" {
		name = fallback
	} else if err := m.doc.Add(extract.Segment{Part: extract.PartFileName, Inner: name, Text: name}); err != nil {
		return err
	}
	if len(data) == 0 {
		return nil
	}
	return extract.ReadInner(m.ctx, m.doc, name, fmt.Sprintf("part %d", n), data, m.opt)
}

// multipart reads the parts of a multipart body, and the text in front of
// the first part and behind the last, which clients do not show but a
// copy carries, as hidden.
func (m *message) multipart(data []byte, boundary string, n, depth int) error {
	if depth >= maxDepth {
		return extract.Errorf(extract.KindLimit, "message parts nested more than %d deep (max nesting)", maxDepth)
	}
	if boundary == "" {
		m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: multipart without a boundary: read as plain text", n))
		return m.text(data, "", extract.PartBody)
	}
	delim := []byte("--" + boundary)
	if i := bytes.Index(data, delim); i > 0 {
		if err := m.text(data[:i], "", extract.PartHidden); err != nil {
			return err
		}
	}
	if i := bytes.LastIndex(data, append(delim, '-', '-')); i >= 0 {
		if err := m.text(data[i+len(delim)+2:], "", extract.PartHidden); err != nil {
			return err
		}
	}
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: damaged multipart: parts after the damage were not read", n))
			return nil
		}
		b, err := io.ReadAll(p)
		// Each level of nested multiparts holds a copy of what it holds:
		// the copies are bounded as inflated bytes are.
		if m.taken += int64(len(b)); m.taken > m.opt.MaxInflated {
			return extract.Errorf(extract.KindLimit, "the message's parts take more than %s (max inflated)", humanize.Bytes(uint64(m.opt.MaxInflated)))
		}
		if err != nil {
			// A part cut short (no closing boundary) is read as far as
			// it goes, as mail clients do.
			m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: a part is cut short: the message may be incomplete", n))
		}
		if err := m.part(p.Header, b, depth+1); err != nil {
			return err
		}
		if err != nil {
			return nil
		}
	}
}

// signature are the media types of the signature parts of signed mail.
var signature = map[string]bool{
	"application/pkcs7-signature": true, "application/x-pkcs7-signature": true, "application/pgp-signature": true,
}

// uuBegin starts a file uuencoded in a text body, as mail carried
// attachments before MIME (and some clients still do).
var uuBegin = regexp.MustCompile(`(?m)^begin [0-7]{3,4} ([^\r\n]+)\r?\n`)

// plain reads the text body of part n, and each uuencoded file in it as an
// attachment.
func (m *message) plain(data []byte, label string, n int) error {
	var text []byte
	for {
		loc := uuBegin.FindSubmatchIndex(data)
		if loc == nil {
			break
		}
		file, rest, ok := uudecode(data[loc[1]:])
		text = append(text, data[:loc[0]]...)
		if !ok {
			// Prose may start a line with "begin 644 ": what was taken
			// for a damaged file is kept as text too.
			m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: a uuencoded file is damaged: some of it may be missing", n))
			text = append(text, data[loc[0]:len(data)-len(rest)]...)
		}
		name, _ := charset.Decode(bytes.TrimSpace(data[loc[2]:loc[3]]), label)
		if err := m.attach(baseName(name), "part-"+strconv.Itoa(n)+"-uu", n, file); err != nil {
			return err
		}
		data = rest
	}
	text = append(text, data...)
	if bytes.Contains(text, []byte("-----BEGIN PGP MESSAGE-----")) {
		m.doc.Review = append(m.doc.Review, fmt.Sprintf("part %d: holds a PGP-encrypted message whose text cannot be read", n))
	}
	return m.text(text, label, extract.PartBody)
}

// uudecode decodes the lines of a uuencoded file up to its "end" line;
// rest is what follows it. ok is false when a line is damaged or the end
// is missing.
func uudecode(data []byte) (file, rest []byte, ok bool) {
	ok = true
	for len(data) > 0 {
		line, next, _ := bytes.Cut(data, []byte("\n"))
		data = next
		line = bytes.TrimRight(line, "\r")
		if string(bytes.TrimSpace(line)) == "end" {
			return file, data, ok
		}
		if len(line) == 0 {
			continue
		}
		n := int((line[0] - ' ') & 63)
		var out []byte
		for i := 1; i < len(line) && len(out) < n; i += 4 {
			var q [4]byte
			for j := range q {
				if i+j < len(line) {
					q[j] = (line[i+j] - ' ') & 63
				}
			}
			out = append(out, q[0]<<2|q[1]>>4, q[1]<<4|q[2]>>2, q[2]<<6|q[3])
		}
		if len(out) < n {
			ok = false
		}
		file = append(file, out[:min(n, len(out))]...)
	}
	return file, data, false
}

// text adds text in the charset label to part.
func (m *message) text(data []byte, label string, part extract.Part) error {
	s, ok := charset.Decode(data, label)
	if s = strings.TrimSpace(s); s == "" {
		return nil
	}
	if !ok {
		m.doc.Review = append(m.doc.Review, "message text has bytes that are not of its character set: some characters may be missing")
	}
	return m.doc.Add(extract.Segment{Part: part, Text: s})
}

// transfer undoes a part's Content-Transfer-Encoding; ok is false when it
// is damaged (what could be decoded is returned).
func transfer(enc string, body []byte) ([]byte, bool) {
	switch strings.ToLower(strings.TrimSpace(enc)) {
	case "base64":
		// Mail clients skip line breaks and stray bytes, and some writers
		// join padded blocks: each block between padding is decoded.
		ok := true
		clean := bytes.Map(func(r rune) rune {
			switch {
			case r == '+' || r == '/' || r == '=' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
				return r
			case r != ' ' && r != '\t' && r != '\r' && r != '\n':
				ok = false
			}
			return -1
		}, body)
		var out []byte
		for _, block := range bytes.FieldsFunc(clean, func(r rune) bool { return r == '=' }) {
			if len(block)%4 == 1 {
				ok, block = false, block[:len(block)-1]
			}
			b := make([]byte, base64.RawStdEncoding.DecodedLen(len(block)))
			k, err := base64.RawStdEncoding.Decode(b, block)
			ok = ok && err == nil
			out = append(out, b[:k]...)
		}
		return out, ok
	case "x-uuencode", "uuencode", "x-uue":
		if loc := uuBegin.FindIndex(body); loc != nil {
			file, _, ok := uudecode(body[loc[1]:])
			return file, ok
		}
		return body, false
	case "quoted-printable":
		out, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body)))
		return out, err == nil
	}
	return body, true
}

// fileName is the name a part gives its file: the filename of its
// Content-Disposition or the name of its Content-Type (RFC 2231 and
// encoded words decoded), without folders.
func fileName(h textproto.MIMEHeader) string {
	for _, f := range []struct{ field, param string }{{"Content-Disposition", "filename"}, {"Content-Type", "name"}} {
		// The mime package decodes RFC 2231 values in UTF-8 only, and
		// drops those in GBK: they are taken as UTF-8, and decodeHeader
		// reads what is not.
		v := rfc2231Charset.ReplaceAllString(h.Get(f.field), "${1}utf-8'")
		if _, p, err := mime.ParseMediaType(v); err == nil && p[f.param] != "" {
			return baseName(decodeHeader(p[f.param]))
		}
	}
	return ""
}

// rfc2231Charset is the charset of an RFC 2231 parameter value.
var rfc2231Charset = regexp.MustCompile(`(\*\s*=\s*)[A-Za-z0-9_.:-]*'`)

// baseName is a file's name without its folders, whichever way they are
// written.
func baseName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return strings.TrimSpace(name)
}
