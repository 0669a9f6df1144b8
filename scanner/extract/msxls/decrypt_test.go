package msxls

import (
	"bytes"
	"context"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"math/bits"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/offcrypto"
)

// encryptRC4 builds the FILEPASS record of RC4 encryption with password
// and encrypts, as Excel does, the records after it in stream (which
// starts with a BOF record followed by FILEPASS's place).
func encryptRC4(t *testing.T, password string, head, rest []byte) []byte {
	t.Helper()
	salt := bytes.Repeat([]byte{7}, 16)
	// Office 97/2000 RC4 ([MS-OFFCRYPTO] 2.3.6), written out here apart
	// from the reader's code.
	h0 := md5.Sum(offcrypto.UTF16(password))
	var buf []byte
	for range 16 {
		buf = append(append(buf, h0[:5]...), salt...)
	}
	h1 := md5.Sum(buf)
	key := offcrypto.BlockKey(func(block uint32) []byte {
		h := md5.Sum(binary.LittleEndian.AppendUint32(append([]byte{}, h1[:5]...), block))
		return h[:]
	})
	verifier := bytes.Repeat([]byte{3}, 16)
	h := md5.Sum(verifier)
	c, _ := rc4.NewCipher(key(0))
	enc := make([]byte, 32)
	c.XORKeyStream(enc, append(verifier, h[:]...))
	fp := append(append([]byte{1, 0, 1, 0, 1, 0}, salt...), enc...)
	out := append(append(bytes.Clone(head), 0x2F, 0, byte(len(fp)), 0), fp...)
	start := len(out)
	out = append(out, rest...)
	ks := key.Stream(1024)
	for p := start; p+4 <= len(out); {
		n := int(binary.LittleEndian.Uint16(out[p+2:]))
		for k := p + 4; k < p+4+n; k++ {
			out[k] ^= ks.At(k)
		}
		p += 4 + n
	}
	return out
}

// A workbook encrypted with the password Excel uses when the user gave
// none is read; with another password, it is read when that password is
// given, and is an error otherwise.
func TestDecrypt(t *testing.T) {
	bof := []byte{0x09, 0x08, 16, 0, 0, 6, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	label := []byte{0x04, 0x02, 13, 0, 0, 0, 0, 0, 15, 0, 4, 0, 0, 's', 'e', 'c', 'r'}
	sheetBOF := []byte{0x09, 0x08, 16, 0, 0, 6, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
	eof := []byte{0x0A, 0, 0, 0}
	rest := bytes.Join([][]byte{eof, sheetBOF, label, eof}, nil)
	for _, c := range []struct {
		password string
		given    []string
		ok       bool
	}{{defaultPassword, nil, true}, {"abc", []string{"x", "abc"}, true}, {"abc", nil, false}} {
		stream := encryptRC4(t, c.password, bof, rest)
		file := cfb.Build(cfb.Stream{Path: "Workbook", Data: stream})
		doc, err := readWorkbook(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{MaxInflated: 1 << 20, MaxText: 1 << 20, Passwords: c.given})
		if !c.ok {
			if extract.KindOf(err) != extract.KindEncrypted {
				t.Errorf("%s without it: %v", c.password, err)
			}
			continue
		}
		if err != nil || len(doc.Segments) != 1 || doc.Segments[0].Text != "secr" {
			t.Errorf("%s: %v, %+v", c.password, err, doc)
		}
	}
}

// A workbook obfuscated with XOR is read with the default password or a
// given one, in BIFF8 (a type before the key) and BIFF5 (none).
func TestDecryptXOR(t *testing.T) {
	label := []byte{0x04, 0x02, 13, 0, 0, 0, 0, 0, 15, 0, 4, 0, 0, 's', 'e', 'c', 'r'}
	for _, c := range []struct {
		password string
		given    []string
		biff5    bool
	}{{defaultPassword, nil, false}, {"abc", []string{"abc"}, false}, {"abc", []string{"abc"}, true}} {
		key, verifier := xorKey(c.password)
		arr := xorArray(c.password, key)
		fp := []byte{0, 0, byte(key), byte(key >> 8), byte(verifier), byte(verifier >> 8)}
		version := byte(6)
		if c.biff5 {
			fp, version = fp[2:], 5
			label = []byte{0x04, 0x02, 12, 0, 0, 0, 0, 0, 15, 0, 4, 0, 's', 'e', 'c', 'r'}
		}
		head := []byte{0x09, 0x08, 16, 0, 0, version, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}
		out := append(append(bytes.Clone(head), 0x2F, 0, byte(len(fp)), 0), fp...)
		start := len(out)
		out = append(out, 0x0A, 0, 0, 0, 0x09, 0x08, 16, 0, 0, version, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
		out = append(append(out, label...), 0x0A, 0, 0, 0)
		for p := start; p+4 <= len(out); {
			n := int(binary.LittleEndian.Uint16(out[p+2:]))
			if binary.LittleEndian.Uint16(out[p:]) != 0x0809 {
				for k := 0; k < n; k++ {
					out[p+4+k] = bits.RotateLeft8(out[p+4+k]^arr[(p+4+n+k)&15], -3)
				}
			}
			p += 4 + n
		}
		file := cfb.Build(cfb.Stream{Path: "Workbook", Data: out})
		doc, err := readWorkbook(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{MaxInflated: 1 << 20, MaxText: 1 << 20, Passwords: c.given})
		if err != nil || len(doc.Segments) != 1 || doc.Segments[0].Text != "secr" {
			t.Errorf("%s (BIFF5 %v): %v, %+v", c.password, c.biff5, err, doc)
		}
	}
}
