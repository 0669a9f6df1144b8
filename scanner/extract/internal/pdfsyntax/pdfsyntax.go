// Package pdfsyntax holds what both extract's Sniff and the PDF reader
// (extract/pdf) know of a PDF file's syntax: Sniff finds a PDF inside or
// after other bytes by it, the reader repairs a file by it.
package pdfsyntax

import (
	"bytes"
	"io"
	"regexp"
)

// EOFMarker ends every revision of a PDF.
var EOFMarker = []byte("%%EOF")

// ObjHeader matches "N G obj" at the start of a line, which may end in
// a bare CR (older Acrobat and Mac producers), where (?m)^ does not match.
var ObjHeader = regexp.MustCompile(`(?m)(?:^|\r)[ \t]*(\d{1,8})[ \t\r\n]+(\d{1,5})[ \t\r\n]+obj\b`)

// LastIndexAt returns the offset of the last occurrence of sep in r's bytes
// [from, to), or -1, reading backwards in chunks.
func LastIndexAt(r io.ReaderAt, from, to int64, sep []byte) int64 {
	const chunk = 64 << 10
	buf := make([]byte, chunk+len(sep))
	for end := to; end > from; {
		start := max(from, end-chunk)
		n := min(end+int64(len(sep))-1, to) - start
		k, _ := r.ReadAt(buf[:n], start)
		if i := bytes.LastIndex(buf[:k], sep); i >= 0 {
			return start + int64(i)
		}
		end = start
	}
	return -1
}
