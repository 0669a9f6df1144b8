package extract

import (
	"bytes"
	"context"
	"io"
	"strings"
	stdunicode "unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/baomi/baomi/scanner/extract/internal/humanize"
)

// textEncoding is how the bytes of a plain text file encode characters.
type textEncoding int

const (
	encNone textEncoding = iota // not text
	encUTF8
	encUTF16LE
	encUTF16BE
	encGB18030
)

// detectText decides whether b is plain text and in which encoding: UTF-8,
// UTF-16 with a byte order mark, or GB18030/GBK (legacy Chinese Windows
// files) when the bytes are not UTF-8 but decode cleanly as GB18030. Text
// has no NUL bytes (outside UTF-16) and few other control characters.
// truncated says b is the head of a longer file, which may cut a character.
func detectText(b []byte, truncated bool) textEncoding {
	switch {
	case bytes.HasPrefix(b, []byte("\xFF\xFE")):
		return encUTF16LE
	case bytes.HasPrefix(b, []byte("\xFE\xFF")):
		return encUTF16BE
	case bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")):
		return encUTF8
	}
	controls := 0
	for _, c := range b {
		switch {
		case c == 0:
			return encNone
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B, c == 0x7F:
			controls++
		}
	}
	if controls > len(b)/100 {
		return encNone
	}
	// A head cut mid-character ends in an incomplete sequence: try without
	// up to three trailing bytes.
	cut := 0
	if truncated {
		cut = min(3, len(b))
	}
	for k := 0; k <= cut; k++ {
		if utf8.Valid(b[:len(b)-k]) {
			return encUTF8
		}
	}
	for k := 0; k <= cut; k++ {
		if _, ok := decodeGB18030(b[:len(b)-k]); ok {
			return encGB18030
		}
	}
	return encNone
}

// looksText reports whether the head of a file is plain text.
func looksText(head []byte, truncated bool) bool {
	return detectText(head, truncated) != encNone
}

// decodeGB18030 decodes b; ok is false when some bytes are not GB18030.
func decodeGB18030(b []byte) (string, bool) {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
	if err != nil || bytes.ContainsRune(out, utf8.RuneError) {
		return "", false
	}
	return string(out), true
}

// extractText reads a plain text file into one body Segment.
func extractText(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error) {
	if size > opt.MaxText {
		return nil, Errorf(KindLimit, "text file is %s, over the limit of %s (max text)", humanize.Bytes(uint64(size)), humanize.Bytes(uint64(opt.MaxText)))
	}
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, Errorf(KindIO, "cannot read file: %v", err)
	}
	doc := NewText(FormatText, opt)
	var text string
	enc := detectText(data, false)
	switch enc {
	case encUTF16LE, encUTF16BE:
		order := unicode.LittleEndian
		if enc == encUTF16BE {
			order = unicode.BigEndian
		}
		text = decodeUTF16(data, order)
		if len(data)%2 != 0 || strings.ContainsRune(text, utf8.RuneError) || !textLike(text) {
			// Bytes put behind a byte order mark are read as UTF-16
			// whatever they are: a text in another encoding turns into
			// nonsense with broken pairs or code points no text uses
			// (behindBOM reads it back when it starts right after the
			// mark).
			doc.Review = append(doc.Review, "text file is not clean UTF-16 behind its byte order mark: it may be in another encoding, and its text missing")
		}
	case encGB18030:
		text, _ = decodeGB18030(data)
	default:
		// UTF-8, or bytes that are neither UTF-8 nor GB18030 (Sniff saw
		// only the head of the file): read what is UTF-8 and say so.
		data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
		if !utf8.Valid(data) {
			doc.Review = append(doc.Review, "text file has bytes that are neither UTF-8 nor GB18030: some characters may be missing")
		}
		text = strings.ToValidUTF8(string(data), "\uFFFD")
	}
	if text != "" {
		if err := doc.Add(Segment{Part: PartBody, Text: text}); err != nil {
			return nil, err
		}
	}
	if alt, ok := behindBOM(data); ok && alt != text {
		if err := doc.Add(Segment{Part: PartBody, Text: alt, Reading: FormatText}); err != nil {
			return nil, err
		}
	} else if enc == encUTF16LE || enc == encUTF16BE {
		if lines := utf8Lines(data); lines != "" {
			if err := doc.Add(Segment{Part: PartBody, Text: lines, Reading: FormatText}); err != nil {
				return nil, err
			}
		}
	}
	return doc.Document, nil
}

// behindBOM reads the bytes after a UTF-16 byte order mark as UTF-8 or
// GB18030 when they decode cleanly as such. Editors trust the mark, so two
// bytes put in front of a Chinese text turn it into nonsense on screen while
// the text is still there for anyone who decodes it otherwise. Real UTF-16
// text with any ASCII in it has NUL bytes and is never read this way.
func behindBOM(data []byte) (string, bool) {
	if !bytes.HasPrefix(data, []byte("\xFF\xFE")) && !bytes.HasPrefix(data, []byte("\xFE\xFF")) {
		return "", false
	}
	rest := data[2:]
	if len(rest) == 0 || bytes.IndexByte(rest, 0) >= 0 {
		return "", false
	}
	if utf8.Valid(rest) {
		return string(rest), true
	}
	return decodeGB18030(rest)
}

// textLike reports whether text decoded from UTF-16 reads as text: bytes of
// another encoding read as UTF-16 give, besides broken pairs, code points
// no text uses (unassigned, private use), here more than one in twenty.
func textLike(s string) bool {
	n, odd := 0, 0
	for _, r := range s {
		n++
		if stdunicode.Is(stdunicode.Co, r) || !stdunicode.In(r, stdunicode.L, stdunicode.M, stdunicode.N, stdunicode.P, stdunicode.S, stdunicode.Z, stdunicode.Cc, stdunicode.Cf) {
			odd++
		}
	}
	return odd*20 <= n
}

// utf8Lines returns what a terminal shows of b taken as UTF-8, invalid bytes
// left out, line by line, keeping the lines that hold two characters beyond
// ASCII in a row: UTF-8 text put behind a UTF-16 byte order mark among bytes
// that hide it from an editor (genuine UTF-16 text gives none: its bytes
// almost never make UTF-8 characters of three bytes).
func utf8Lines(b []byte) string {
	var out []string
	for _, line := range strings.Split(strings.ToValidUTF8(string(b), "\n"), "\n") {
		if pairWide(line) {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// pairWide reports whether s holds two characters of three or four bytes in
// a row.
func pairWide(s string) bool {
	prev := false
	for _, r := range s {
		wide := r >= 0x800
		if wide && prev {
			return true
		}
		prev = wide
	}
	return false
}

// decodeUTF16 decodes UTF-16 text that starts with a byte order mark;
// unpaired surrogates become U+FFFD.
func decodeUTF16(b []byte, order unicode.Endianness) string {
	out, _ := unicode.UTF16(order, unicode.ExpectBOM).NewDecoder().Bytes(b)
	return string(out)
}

// DecodeText decodes bytes that say nothing of their encoding as a plain
// text file is decoded: by their byte order mark, else as UTF-8, else as
// GB18030/GBK when they decode cleanly as such. ok is false when they are
// none of these; text is then what is UTF-8 in them. Readers of formats
// whose text may come without a charset (web pages, mail) use it.
func DecodeText(b []byte) (text string, ok bool) {
	switch detectText(b, false) {
	case encUTF16LE:
		return decodeUTF16(b, unicode.LittleEndian), true
	case encUTF16BE:
		return decodeUTF16(b, unicode.BigEndian), true
	case encGB18030:
		text, _ = decodeGB18030(b)
		return text, true
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	return strings.ToValidUTF8(string(b), "\uFFFD"), utf8.Valid(b)
}
