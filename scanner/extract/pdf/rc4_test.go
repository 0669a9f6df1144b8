package pdf

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// rc4R3PDF builds a one-page PDF showing 机密★5年 encrypted with RC4
// (V2, R3) under an empty user password and the owner password "boss",
// with a key of keyBytes bytes; lengthEntry is the dictionary's /Length
// entry as written ("" leaves it out).
func rc4R3PDF(keyBytes int, lengthEntry string) []byte {
	id := []byte("0123456789abcdef")
	p := int32(-4)
	// Algorithm 3: O from the owner and user passwords.
	ok := md5.Sum(padPW("boss"))
	for range 50 {
		ok = md5.Sum(ok[:keyBytes])
	}
	o := rc4Bytes(ok[:keyBytes], padPW(""))
	for i := 1; i <= 19; i++ {
		k := append([]byte{}, ok[:keyBytes]...)
		for j := range k {
			k[j] ^= byte(i)
		}
		o = rc4Bytes(k, o)
	}
	// Algorithm 2: the file key.
	h := md5.New()
	h.Write(padPW(""))
	h.Write(o)
	binary.Write(h, binary.LittleEndian, p)
	h.Write(id)
	key := h.Sum(nil)
	for range 50 {
		s := md5.Sum(key[:keyBytes])
		key = s[:]
	}
	key = key[:keyBytes]
	// Algorithm 5: U.
	us := md5.Sum(append([]byte(pdfPad), id...))
	u := rc4Bytes(key, us[:])
	for i := 1; i <= 19; i++ {
		k := append([]byte{}, key...)
		for j := range k {
			k[j] ^= byte(i)
		}
		u = rc4Bytes(k, u)
	}
	u = append(u, make([]byte, 16)...)
	objKey := func(n int) []byte {
		s := md5.Sum(append(append([]byte{}, key...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
		return s[:min(keyBytes+5, 16)]
	}
	b := &pdftest.Builder{}
	stream := func(data string) int {
		return b.Add(pdftest.Stream("", string(rc4Bytes(objKey(len(b.Objs)+1), []byte(data)))))
	}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.Add("")
	c := stream(pdfMarkingOps)
	tu := stream("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"5 beginbfchar <0001> <673A> <0002> <5BC6> <0003> <2605> <0004> <0035> <0005> <5E74> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end")
	font := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", c, font)
	enc := b.Add(fmt.Sprintf("<< /Filter /Standard /V 2 /R 3 %s /O <%x> /U <%x> /P %d >>", lengthEntry, o, u, p))
	return b.Bytes(fmt.Sprintf("/Encrypt %d 0 R /ID [<%x> <%x>]", enc, id, id))
}

// TestPDFRC4KeyLengths: RC4 files (V2, R3) open with the empty user
// password whatever the key length and however /Length gives it: in bits,
// left out (40), or in bytes as some producers write it (see
// normalizeEncrypt).
func TestPDFRC4KeyLengths(t *testing.T) {
	for _, tc := range []struct {
		name     string
		keyBytes int
		length   string
	}{
		{"128 bits", 16, "/Length 128"},
		{"40 bits", 5, "/Length 40"},
		{"no /Length: 40 bits", 5, ""},
		{"56 bits", 7, "/Length 56"},
		{"/Length in bytes", 16, "/Length 16"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			doc, err, done := runPDF(t, rc4R3PDF(tc.keyBytes, tc.length), extract.Options{}, 10*time.Second)
			if !done || err != nil {
				t.Fatalf("err = %v (%s), want the file read", err, extract.KindOf(err))
			}
			if len(doc.Segments) == 0 || !strings.Contains(doc.Segments[0].Text, "机密★5年") {
				t.Errorf("segments %+v, want 机密★5年 on page 1", doc.Segments)
			}
		})
	}
}
