package codepage

import "testing"

func TestDecode(t *testing.T) {
	tests := []struct {
		cp   int
		in   string
		want string
	}{
		{GBK, "\xbb\xfa\xc3\xdc\xa1\xef5\xc4\xea", "机密★5年"},
		{950, "\xbe\xf7\xb1\x4b", "機密"},
		{Latin1, "caf\xe9 \x93q\x94", "café “q”"},
		{UTF16LE, "\x3a\x67\xc6\x5b", "机密"},
		{UTF8, "机密", "机密"},
		{12345, "caf\xe9", "café"}, // unknown: read as Windows-1252
	}
	for _, tt := range tests {
		if got := Decode(tt.cp, []byte(tt.in)); got != tt.want {
			t.Errorf("Decode(%d, %q) = %q, want %q", tt.cp, tt.in, got, tt.want)
		}
	}
	for lid, want := range map[int]int{0x0804: GBK, 0x1004: GBK, 0x0404: 950, 0x0411: 932, 0x0419: 1251, 0x0409: Latin1} {
		if got := FromLID(lid); got != want {
			t.Errorf("FromLID(%#x) = %d, want %d", lid, got, want)
		}
	}
}

// FromCharset gives the code page of a font's character set, and none for
// ANSI and the default, which are the document's or the system's.
func TestFromCharset(t *testing.T) {
	for _, c := range []struct {
		cs, cp int
		ok     bool
	}{{134, GBK, true}, {136, 950, true}, {204, 1251, true}, {0, 0, false}, {1, 0, false}, {255, 0, false}} {
		if cp, ok := FromCharset(c.cs); cp != c.cp || ok != c.ok {
			t.Errorf("FromCharset(%d) = %d, %v; want %d, %v", c.cs, cp, ok, c.cp, c.ok)
		}
	}
}
