// Package charset decodes text that comes with the name of its character
// set, as web pages and mail parts do, into UTF-8.
package charset

import (
	"io"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
)

// Lookup returns the encoding a charset label names, by the WHATWG table
// browsers use, or nil when the label is unknown. The Chinese labels all
// name GB18030: files labelled gb2312 or gbk carry GBK characters, and
// GB18030 decodes both.
func Lookup(label string) encoding.Encoding {
	label = strings.ToLower(strings.TrimSpace(label))
	switch label {
	case "gb2312", "gbk", "x-gbk", "cp936", "ms936", "windows-936", "euc-cn", "gb_2312-80", "csgb2312", "chinese", "iso-ir-58", "gb18030":
		return simplifiedchinese.GB18030
	}
	e, err := htmlindex.Get(label)
	if err != nil {
		return nil
	}
	return e
}

// Decode decodes b, which says it is in the charset label ("" when it
// says nothing). Bytes that are not what the label says (a page labelled
// UTF-8 that is GBK), or that come without a known label, are decoded as
// extract.DecodeText decodes a text file. ok is false when some bytes
// could not be decoded (they are then U+FFFD).
func Decode(b []byte, label string) (text string, ok bool) {
	// An 8-bit byte is never ASCII: a part labelled so, as mail is by
	// default, says nothing of its charset.
	if l := strings.ToLower(strings.TrimSpace(label)); l == "us-ascii" || l == "ascii" || l == "ansi_x3.4-1968" {
		label = ""
	}
	if isUTF8(label) && utf8.Valid(b) {
		return string(b), true
	}
	if e := Lookup(label); e != nil && e != encoding.Nop {
		out, err := e.NewDecoder().Bytes(b)
		// UTF-8 is checked by hand: its decoder replaces what is invalid.
		if err == nil && !strings.ContainsRune(string(out), utf8.RuneError) && (!isUTF8(label) || utf8.Valid(b)) {
			return string(out), true
		}
	}
	if text, ok := extract.DecodeText(b); ok {
		return text, true
	}
	return mixed(b), false
}

// mixed decodes bytes that are neither UTF-8 nor GB18030 throughout, as
// pages and mail pasted together from both are: UTF-8 where it is valid,
// GB18030 characters where it is not, U+FFFD for the rest.
func mixed(b []byte) string {
	var out strings.Builder
	gb := simplifiedchinese.GB18030.NewDecoder()
	for len(b) > 0 {
		if r, n := utf8.DecodeRune(b); r != utf8.RuneError || n > 1 {
			out.Write(b[:n])
			b = b[n:]
			continue
		}
		n := 1
		for _, k := range []int{2, 4} {
			if k > len(b) {
				break
			}
			if s, err := gb.Bytes(b[:k]); err == nil && utf8.RuneCount(s) == 1 && !strings.ContainsRune(string(s), utf8.RuneError) {
				out.Write(s)
				n = k
				break
			}
		}
		if n == 1 {
			out.WriteRune(utf8.RuneError)
		}
		b = b[n:]
	}
	return out.String()
}

func isUTF8(label string) bool {
	l := strings.ToLower(strings.TrimSpace(label))
	return l == "utf-8" || l == "utf8" || l == "unicode-1-1-utf-8"
}

// Reader returns a reader of r's text in UTF-8, for mime.WordDecoder's
// CharsetReader. Text in a charset the label does not name (x-unknown,
// unknown-8bit) is decoded as extract.DecodeText decodes it, not dropped.
func Reader(label string, r io.Reader) (io.Reader, error) {
	if e := Lookup(label); e != nil {
		return e.NewDecoder().Reader(r), nil
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	text, _ := extract.DecodeText(b)
	return strings.NewReader(text), nil
}
