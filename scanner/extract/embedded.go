package extract

import (
	"bytes"
	"encoding/binary"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// oleObject returns the file an OLE object wraps: the Package stream (an
// Office file kept whole), CONTENTS (a PDF, as Acrobat embeds it) or the
// file in an Ole10Native stream (Windows Packager: any file, with its name
// as label). inner is nil when the object is none of these: a legacy Office
// document itself, or another program's object, which Reader then names.
// A damaged compound file is not an error: Reader reports it the same way.
func oleObject(data []byte, opt Options) (inner []byte, label string, err error) {
	c, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, "", nil
	}
	for _, name := range []string{"Package", "CONTENTS", "\x01Ole10Native"} {
		e := c.Lookup(name)
		if e == nil || !e.IsStream() {
			continue
		}
		b, err := c.ReadStream(e, opt.MaxInflated)
		if err != nil {
			if err := cfbError(err); KindOf(err) == KindLimit {
				return nil, "", err
			}
			return nil, "", nil
		}
		if name == "CONTENTS" && !readable(b) {
			continue // not a PDF: the program's own data (an organization chart, a graph)
		}
		if name != "\x01Ole10Native" {
			return b, "", nil
		}
		inner, label = ole10Native(b)
		return inner, label, nil
	}
	return nil, "", nil
}

// Ole10Native returns the file a Windows Packager object (an
// "\x01Ole10Native" stream) wraps, and its label, for the readers of
// formats whose embedded objects are storages of their own (.doc).
func Ole10Native(b []byte) (data []byte, label string) { return ole10Native(b) }

// ole10Native unpacks the Packager format (undocumented; as Apache POI and
// olefile read it): total size, a 2 for a file, the label and the original
// path as NUL-terminated ANSI strings, 4 reserved bytes, a temporary path
// with its length, then the data with its length. Other kinds hold the data
// right after the total size. The label and path come back as one text.
func ole10Native(b []byte) (data []byte, label string) {
	if len(b) < 6 {
		return nil, ""
	}
	total := int(binary.LittleEndian.Uint32(b))
	if binary.LittleEndian.Uint16(b[4:]) != 2 {
		return b[4:min(len(b), 4+max(total, 0))], ""
	}
	p := b[6:]
	var name, orig string
	name, p = cString(p)
	orig, p = cString(p)
	if len(p) < 8 {
		return nil, ""
	}
	n := int(binary.LittleEndian.Uint32(p[4:]))
	p = p[8:]
	if n < 0 || n > len(p) {
		return nil, ""
	}
	p = p[n:]
	if len(p) < 4 {
		return nil, ""
	}
	n = int(binary.LittleEndian.Uint32(p))
	p = p[4:]
	if n < 0 || n > len(p) {
		return nil, ""
	}
	label = strings.TrimSpace(name)
	if orig != "" && orig != name {
		label = strings.TrimSpace(label + "\n" + orig)
	}
	return p[:n], label
}

// cString splits a NUL-terminated ANSI string off b. Chinese Windows writes
// these in GBK.
func cString(b []byte) (string, []byte) {
	i := bytes.IndexByte(b, 0)
	if i < 0 {
		return "", nil
	}
	s, rest := b[:i], b[i+1:]
	if utf8.Valid(s) {
		return string(s), rest
	}
	if d, err := simplifiedchinese.GB18030.NewDecoder().Bytes(s); err == nil {
		return string(d), rest
	}
	return string(s), rest
}

// OLEObject returns the file an embedded OLE object (a compound file)
// wraps, and its label, as for the objects of an Office package: nil when
// it wraps none and is to be read as it is.
func OLEObject(data []byte, opt Options) (inner []byte, label string, err error) {
	return oleObject(data, opt)
}

// PackagerFile unpacks the Windows Packager format (what an Ole10Native
// stream holds: the total size first): the file and its label.
func PackagerFile(b []byte) (data []byte, label string) { return ole10Native(b) }

// readable reports whether data sniffs as a format baomi reads: what an
// object's CONTENTS stream holds when it wraps a file (Acrobat embeds a
// PDF there), not when it is the program's own data.
func readable(data []byte) bool {
	f, err := Sniff(bytes.NewReader(data), int64(len(data)))
	return err == nil && f != FormatUnknown
}
