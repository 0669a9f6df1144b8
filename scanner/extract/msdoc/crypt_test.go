package msdoc_test

import (
	"context"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
)

// encrypted builds w encrypted with Office 97/2000 RC4 under password, as
// [MS-OFFCRYPTO] 2.3.6 describes it (written out here apart from the
// reader's code): the header of 52 bytes starts the table stream, the
// first 68 bytes of WordDocument and the header stay in the clear.
func encrypted(w word, password string) []byte {
	w.tableAt, w.flags = 52, w.flags|0x0100
	streams := w.streams()
	salt := []byte("0123456789abcdef")
	var pw []byte
	for _, c := range utf16.Encode([]rune(password)) {
		pw = binary.LittleEndian.AppendUint16(pw, c)
	}
	h0 := md5.Sum(pw)
	var buf []byte
	for i := 0; i < 16; i++ {
		buf = append(append(buf, h0[:5]...), salt...)
	}
	h1 := md5.Sum(buf)
	key := func(block uint32) []byte {
		h := md5.Sum(binary.LittleEndian.AppendUint32(append([]byte{}, h1[:5]...), block))
		return h[:]
	}
	crypt := func(b []byte, clear int) []byte {
		out := append([]byte{}, b...)
		for off := 0; off < len(b); off += 512 {
			c, _ := rc4.NewCipher(key(uint32(off / 512)))
			c.XORKeyStream(out[off:min(off+512, len(b))], b[off:min(off+512, len(b))])
		}
		copy(out, b[:clear])
		return out
	}
	verifier := []byte("fedcba9876543210")
	hash := md5.Sum(verifier)
	c, _ := rc4.NewCipher(key(0))
	header := append([]byte{1, 0, 1, 0}, salt...)
	enc := make([]byte, 32)
	c.XORKeyStream(enc, append(verifier, hash[:]...))
	header = append(header, enc...)
	for i, s := range streams {
		switch s.Path {
		case "WordDocument":
			binary.LittleEndian.PutUint32(s.Data[0x0E:], 52) // lKey
			streams[i].Data = crypt(s.Data, 68)
		case "1Table":
			copy(s.Data, header)
			streams[i].Data = crypt(s.Data, 52)
		}
	}
	return cfb.Build(streams...)
}

// TestEncrypted opens RC4-encrypted documents with the password given,
// and fails with kind encrypted without it.
func TestEncrypted(t *testing.T) {
	file := encrypted(body("加密正文"+mark+"\r"), "口令")
	for _, tt := range []struct {
		passwords []string
		kind      extract.Kind
	}{{nil, extract.KindEncrypted}, {[]string{"wrong", "口令"}, extract.KindUnknown}} {
		opt := extract.DefaultOptions()
		opt.Passwords = tt.passwords
		doc, err := extract.Reader(context.Background(), strings.NewReader(string(file)), int64(len(file)), opt)
		if extract.KindOf(err) != tt.kind && !(tt.kind == extract.KindUnknown && err == nil) {
			t.Fatalf("passwords %q: %v, want kind %v", tt.passwords, err, tt.kind)
		}
		if err == nil && (len(doc.Segments) != 1 || doc.Segments[0].Text != "加密正文"+mark) {
			t.Errorf("passwords %q: %q", tt.passwords, segs(doc))
		}
	}
	// Real files: Apache POI's, RC4 (password tika) and RC4 CryptoAPI
	// (password password).
	for name, text := range map[string]string{
		"document__password_tika_binaryrc4.doc":     "This is an encrypted Word 2007 File.",
		"document__password_password_cryptoapi.doc": "This is a test",
	} {
		path := filepath.Join(corpus, "legacy", name)
		if _, err := os.Stat(path); err != nil {
			continue
		}
		opt := extract.DefaultOptions()
		opt.Passwords = []string{"tika", "password"}
		doc, err := extract.File(context.Background(), path, opt)
		if err != nil || len(doc.Segments) == 0 || doc.Segments[len(doc.Segments)-1].Text != text {
			t.Errorf("%s: %v, %v", name, err, doc)
		}
	}
}
