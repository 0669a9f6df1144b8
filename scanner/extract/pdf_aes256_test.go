package extract

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
)

// aes256PDF builds a one-page PDF showing 机密★5年, encrypted with AES-256
// (V5, revision r) under the given user and owner passwords, as ISO
// 32000-2 7.6.4 describes: every stream is AES-256-CBC under the file
// key, with its IV first and PKCS#7 padding. With ivOnly, the page's
// contents start with a stream of 16 bytes, an IV and nothing else, as
// some producers write an empty stream.
func aes256PDF(r int, user, owner string, ivOnly bool) []byte {
	fileKey := []byte("0123456789abcdef0123456789ABCDEF")
	block, _ := aes.NewCipher(fileKey)
	encrypt := func(data string) string {
		iv := []byte("initialvector-16")
		pad := 16 - len(data)%16
		p := append([]byte(data), bytes.Repeat([]byte{byte(pad)}, pad)...)
		out := make([]byte, len(p))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, p)
		return string(iv) + string(out)
	}
	u, ue := aes256Entry(r, []byte(user), []byte("uvsaltxxuksaltxx"), fileKey, nil)
	o, oe := aes256Entry(r, []byte(owner), []byte("ovsaltxxoksaltxx"), fileKey, u)
	p := int32(-4)
	perms := make([]byte, 16)
	binary.LittleEndian.PutUint32(perms, uint32(p))
	copy(perms[4:], "\xff\xff\xff\xffTadbXXXX")
	block.Encrypt(perms, perms)

	b := &pdfBuilder{}
	b.add("<< /Type /Catalog /Pages 2 0 R >>")
	b.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.add("") // the page
	contents := fmt.Sprintf("%d 0 R", b.add(pdfStream("", encrypt(pdfMarkingOps))))
	if ivOnly {
		contents = fmt.Sprintf("[%d 0 R %s]", b.add(pdfStream("", "initialvector-16")), contents)
	}
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"5 beginbfchar <0001> <673A> <0002> <5BC6> <0003> <2605> <0004> <0035> <0005> <5E74> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	tu := b.add(pdfStream("", encrypt(cmap)))
	font := b.add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
	b.objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %s /Resources << /Font << /F1 %d 0 R >> >> >>", contents, font)
	enc := b.add(fmt.Sprintf("<< /Filter /Standard /V 5 /R %d /Length 256 /P %d /EncryptMetadata true "+
		"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /StdCF /StrF /StdCF "+
		"/O <%x> /U <%x> /OE <%x> /UE <%x> /Perms <%x> >>", r, p, o, u, oe, ue, perms))
	return b.bytes(fmt.Sprintf("/Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]", enc))
}

// TestPDFAES256: AES-256 files (R5 and R6) open without a password when
// their user password or their owner password is empty, as in poppler,
// and with a password given in Limits.Passwords (user or owner) otherwise;
// without it they are encrypted, never clean.
func TestPDFAES256(t *testing.T) {
	cases := []struct {
		name        string
		r           int
		user, owner string
		passwords   []string
		open        bool
		ivOnly      bool
	}{
		{"R6, empty user password", 6, "", "boss", nil, true, false},
		{"R5, empty user password", 5, "", "boss", nil, true, false},
		{"R6, empty owner password", 6, "secret", "", nil, true, false},
		{"R5, empty owner password", 5, "secret", "", nil, true, false},
		{"R6, both passwords, none given", 6, "secret", "boss", []string{"wrong"}, false, false},
		{"R6, user password given", 6, "secret", "boss", []string{"wrong", "secret"}, true, false},
		{"R6, owner password given", 6, "secret", "boss", []string{"boss"}, true, false},
		{"R5, user password given", 5, "secret", "boss", []string{"secret"}, true, false},
		{"R6, a stream holding only an IV", 6, "", "boss", nil, true, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err, done := runPDF(t, aes256PDF(tc.r, tc.user, tc.owner, tc.ivOnly), Limits{Passwords: tc.passwords}, 10*time.Second)
			if !done {
				t.Fatal("did not finish in 10 s")
			}
			if !tc.open {
				if KindOf(err) != KindEncrypted {
					t.Fatalf("err = %v (%s), want encrypted", err, KindOf(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (%s), want the file read", err, KindOf(err))
			}
			if len(doc.Segments) == 0 || !strings.Contains(doc.Segments[0].Text, "机密★5年") {
				t.Errorf("segments %+v, want 机密★5年 on page 1", doc.Segments)
			}
		})
	}
}
