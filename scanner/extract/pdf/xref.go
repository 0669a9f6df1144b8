package pdf

import (
	"bufio"
	"io"
	"strconv"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
)

// checkXref reads the cross-reference sections of a PDF the way the library
// will, before it does, to catch what it cannot survive: a /Prev chain that
// comes back to a section already read (it loops forever), and object numbers
// so large that its table allocation kills the process (a fatal out of
// memory, which recover cannot catch). When checkXref cannot make sense of a
// section it stops and leaves the verdict to the library.
func checkXref(r io.ReaderAt, size int64) error {
	// The library allocates a few dozen bytes per object number; a file
	// cannot hold more objects than it has bytes.
	maxObj := min(max(size, 1<<16), 1<<23)
	const tailLen = 1024
	off := max(size-tailLen, 0)
	tail := make([]byte, size-off)
	k, _ := r.ReadAt(tail, off)
	s := string(tail[:k])
	i := strings.LastIndex(s, "startxref")
	if i < 0 {
		return nil
	}
	pos, ok := leadingInt(s[i+len("startxref"):])
	seen := map[int64]bool{}
	for ok && pos >= 0 && pos < size {
		if seen[pos] {
			return extract.Errorf(extract.KindCorrupt, "PDF cross-reference chain loops back on itself")
		}
		seen[pos] = true
		br := bufio.NewReader(io.NewSectionReader(r, pos, size-pos))
		var dict string
		if tok := pdfToken(br); tok == "xref" {
			if tooBig := xrefTableTooBig(br, maxObj); tooBig {
				return extract.Errorf(extract.KindCorrupt, "PDF cross-reference table names impossibly many objects")
			}
			dict = peekString(br, 4096)
			// Stop before what follows this section: a later update's
			// trailer has a /Prev of its own.
			if e := strings.Index(dict, "startxref"); e >= 0 {
				dict = dict[:e]
			}
		} else {
			// An xref stream: its dictionary comes before "stream".
			h := make([]byte, min(4096, size-pos))
			k, _ := r.ReadAt(h, pos)
			dict = string(h[:k])
			if e := strings.Index(dict, "stream"); e >= 0 {
				dict = dict[:e]
			}
			if n, ok := keyInt(dict, "/Size"); ok && n > maxObj {
				return extract.Errorf(extract.KindCorrupt, "PDF cross-reference stream names impossibly many objects")
			}
			if indexTooBig(dict, maxObj) {
				return extract.Errorf(extract.KindCorrupt, "PDF cross-reference stream names impossibly many objects")
			}
		}
		pos, ok = keyInt(dict, "/Prev")
	}
	return nil
}

// xrefTableTooBig reads the subsections of a classic cross-reference table
// ("start count" then count entries of three tokens, up to "trailer") as the
// library does, and reports whether an entry's object number exceeds maxObj.
func xrefTableTooBig(br *bufio.Reader, maxObj int64) bool {
	for {
		tok := pdfToken(br)
		if tok == "trailer" || tok == "" {
			return false
		}
		start, err1 := strconv.ParseInt(tok, 10, 64)
		n, err2 := strconv.ParseInt(pdfToken(br), 10, 64)
		if err1 != nil || err2 != nil || start < 0 {
			return false
		}
		for i := int64(0); i < n; i++ {
			if pdfToken(br) == "" || pdfToken(br) == "" || pdfToken(br) == "" {
				return false
			}
			if start+i > maxObj {
				return true
			}
		}
	}
}

// indexTooBig reports whether the /Index array of an xref stream dictionary
// names an object number beyond maxObj.
func indexTooBig(dict string, maxObj int64) bool {
	i := strings.Index(dict, "/Index")
	if i < 0 {
		return false
	}
	rest := strings.TrimLeft(dict[i+len("/Index"):], " \t\r\n\f\x00")
	end := strings.IndexByte(rest, ']')
	if !strings.HasPrefix(rest, "[") || end < 0 {
		return false
	}
	f := strings.Fields(rest[1:end])
	for j := 0; j+1 < len(f); j += 2 {
		start, err1 := strconv.ParseInt(f[j], 10, 64)
		n, err2 := strconv.ParseInt(f[j+1], 10, 64)
		if err1 == nil && err2 == nil && (start > maxObj || n > maxObj || start+n > maxObj) {
			return true
		}
	}
	return false
}

// pdfToken returns the next white-space separated token of br, "" at the end.
func pdfToken(br *bufio.Reader) string {
	var b []byte
	for {
		c, err := br.ReadByte()
		if err != nil {
			return string(b)
		}
		if strings.IndexByte(" \t\r\n\f\x00", c) >= 0 {
			if len(b) > 0 {
				return string(b)
			}
			continue
		}
		if len(b) >= 64 { // no token of a table is this long
			return string(b)
		}
		b = append(b, c)
	}
}

// peekString returns up to n bytes of br.
func peekString(br *bufio.Reader, n int) string {
	b := make([]byte, n)
	k, _ := io.ReadFull(br, b)
	return string(b[:k])
}

// keyInt returns the integer after key in a dictionary's text.
func keyInt(dict, key string) (int64, bool) {
	i := strings.Index(dict, key)
	if i < 0 {
		return 0, false
	}
	rest := dict[i+len(key):]
	if rest != "" && (rest[0] >= 'A' && rest[0] <= 'Z' || rest[0] >= 'a' && rest[0] <= 'z') {
		return 0, false // a longer name, such as /Prevx
	}
	return leadingInt(rest)
}

// leadingInt parses the integer at the start of s, after white space.
func leadingInt(s string) (int64, bool) {
	s = strings.TrimLeft(s, " \t\r\n\f\x00")
	end := 0
	for end < len(s) && s[end] >= '0' && s[end] <= '9' {
		end++
	}
	v, err := strconv.ParseInt(s[:end], 10, 64)
	return v, err == nil
}
