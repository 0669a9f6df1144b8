package msdoc_test

import (
	"encoding/binary"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// word2File builds a Word for Windows 2.0 file: its FIB, then the stories'
// text in GBK from fcMin, the document's language Chinese (PRC).
func word2File(t *testing.T, flags uint16, stories ...string) []byte {
	t.Helper()
	const fcMin = 0x80
	b := make([]byte, fcMin)
	le := binary.LittleEndian
	le.PutUint16(b, 0xA5DB)
	le.PutUint16(b[2:], 45)
	le.PutUint16(b[6:], 0x0804)
	le.PutUint16(b[0x0A:], flags)
	for i, s := range stories {
		gbk, err := simplifiedchinese.GBK.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		le.PutUint32(b[0x34+4*i:], uint32(len(gbk)))
		b = append(b, gbk...)
	}
	le.PutUint32(b[0x18:], fcMin)
	le.PutUint32(b[0x1C:], uint32(len(b)))
	return b
}

func TestWord2(t *testing.T) {
	file := word2File(t, 0, "机密★5年\r关于会议的通知\r", "脚注文字\r")
	doc, err := read(t, file)
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatDOC {
		t.Errorf("format %q, want doc", doc.Format)
	}
	got := segs(doc)
	for _, want := range []seg{{extract.PartBody, "机密★5年\n关于会议的通知"}, {extract.PartFootnote, "脚注文字"}} {
		if !slices.Contains(got, want) {
			t.Errorf("read %q, want %q among them", got, want)
		}
	}
}

func TestWord2Fails(t *testing.T) {
	for _, tt := range []struct {
		name string
		file []byte
		kind extract.Kind
	}{
		{"fast-saved", word2File(t, 0x0004, "正文\r"), extract.KindUnsupported},
		{"encrypted", word2File(t, 0x0100, "正文\r"), extract.KindEncrypted},
		{"cut short", word2File(t, 0, "正文\r")[:0x30], extract.KindCorrupt},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := read(t, tt.file); extract.KindOf(err) != tt.kind {
				t.Errorf("got %v (kind %v), want kind %v", err, extract.KindOf(err), tt.kind)
			}
		})
	}
}
