// Package offcrypto opens the RC4 encryption of the Office 97-2003 binary
// formats ([MS-OFFCRYPTO] 2.3.5 RC4 CryptoAPI, 2.3.6 RC4): the key of each
// password, checked against the verifier the file keeps, and the key of
// each block of the encrypted stream. Word keeps the encryption header at
// the start of its table stream, Excel in its FILEPASS record; the header
// and the keys are the same.
package offcrypto

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"encoding/binary"
	"unicode/utf16"
)

// BlockKey is the RC4 key of each block of an encrypted stream: each block
// (512 bytes in Word, 1024 in Excel) starts a new RC4 stream under its own
// key.
type BlockKey func(block uint32) []byte

// Unlock returns the key of the encryption header, which starts with its
// version (1.1: RC4; 2.2, 3.2 or 4.2: RC4 CryptoAPI), trying each
// password in turn; false when none opens it or the header is another
// cipher's.
func Unlock(header []byte, passwords []string) (BlockKey, bool) {
	if len(header) < 4 {
		return nil, false
	}
	le := binary.LittleEndian
	major, minor := le.Uint16(header), le.Uint16(header[2:])
	var keyOf func(pw string) BlockKey
	var verifier, verifierHash []byte
	var hashOf func([]byte) []byte
	switch {
	case major == 1 && minor == 1 && len(header) >= 52: // RC4
		salt := header[4:20]
		verifier, verifierHash = header[20:36], header[36:52]
		hashOf = func(b []byte) []byte { h := md5.Sum(b); return h[:] }
		keyOf = func(pw string) BlockKey { return rc4Key(salt, pw) }
	case major >= 2 && major <= 4 && minor == 2 && len(header) >= 12: // RC4 CryptoAPI
		size := int(le.Uint32(header[8:]))
		if size < 20 || 12+size+4+16+16+4+20 > len(header) {
			return nil, false
		}
		bits := int(le.Uint32(header[12+16:]))
		if bits == 0 {
			bits = 40
		}
		if algID := le.Uint32(header[12+8:]); algID != 0 && algID != 0x6801 || bits < 40 || bits > 128 {
			return nil, false // not RC4
		}
		v := header[12+size:]
		salt := v[4:20]
		verifier, verifierHash = v[20:36], v[40:60]
		hashOf = func(b []byte) []byte { h := sha1.Sum(b); return h[:] }
		keyOf = func(pw string) BlockKey { return cryptoAPIKey(salt, pw, bits) }
	default:
		return nil, false
	}
	for _, pw := range passwords {
		key := keyOf(pw)
		c, _ := rc4.NewCipher(key(0))
		v := make([]byte, len(verifier))
		c.XORKeyStream(v, verifier)
		h := make([]byte, len(verifierHash))
		c.XORKeyStream(h, verifierHash)
		if want := hashOf(v); bytes.Equal(want, h[:len(want)]) {
			return key, true
		}
	}
	return nil, false
}

// UTF16 is a password as the key derivations hash it: UTF-16LE.
func UTF16(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// rc4Key derives the keys of Office 97/2000 RC4 encryption: an MD5 of the
// password cut to 40 bits, hashed 16 times with the salt, cut again, and
// hashed with each block's number.
func rc4Key(salt []byte, pw string) BlockKey {
	h0 := md5.Sum(UTF16(pw))
	var buf []byte
	for range 16 {
		buf = append(append(buf, h0[:5]...), salt...)
	}
	h1 := md5.Sum(buf)
	return func(block uint32) []byte {
		h := md5.Sum(binary.LittleEndian.AppendUint32(append([]byte{}, h1[:5]...), block))
		return h[:]
	}
}

// cryptoAPIKey derives the keys of RC4 CryptoAPI encryption: a SHA-1 of
// the salt and the password, hashed with each block's number, cut to the
// key's size; a 40-bit key is padded with zeros to 128 bits.
func cryptoAPIKey(salt []byte, pw string, bits int) BlockKey {
	h0 := sha1.Sum(append(append([]byte{}, salt...), UTF16(pw)...))
	return func(block uint32) []byte {
		h := sha1.Sum(binary.LittleEndian.AppendUint32(append([]byte{}, h0[:]...), block))
		key := h[:bits/8]
		if bits == 40 {
			key = append(key[:5:5], make([]byte, 11)...)
		}
		return key
	}
}

// Decrypt returns the stream b decrypted in blocks of size bytes, its
// first clear bytes (which the writer keeps in the clear: Word's FIB base,
// the encryption header) as they are.
func (k BlockKey) Decrypt(b []byte, size, clear int) []byte {
	out := make([]byte, len(b))
	for off := 0; off < len(b); off += size {
		end := min(off+size, len(b))
		c, _ := rc4.NewCipher(k(uint32(off / size)))
		c.XORKeyStream(out[off:end], b[off:end])
	}
	copy(out, b[:min(clear, len(b))])
	return out
}

// Stream gives the key stream byte at each position of a stream encrypted
// in blocks, for readers that decrypt a record at a time (Excel keeps some
// records in the clear, at positions that still count).
type Stream struct {
	key   BlockKey
	size  int
	block int
	bytes []byte
}

// Stream returns the key stream of k in blocks of size bytes.
func (k BlockKey) Stream(size int) *Stream {
	return &Stream{key: k, size: size, block: -1, bytes: make([]byte, size)}
}

// At returns the key stream byte at position pos.
func (s *Stream) At(pos int) byte {
	if b := pos / s.size; b != s.block {
		c, _ := rc4.NewCipher(s.key(uint32(b)))
		clear(s.bytes)
		c.XORKeyStream(s.bytes, s.bytes)
		s.block = b
	}
	return s.bytes[pos%s.size]
}
