package msdoc

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"crypto/sha1"
	"encoding/binary"
	"unicode/utf16"
)

// blockKey is the RC4 key of each 512-byte block of an encrypted stream
// ([MS-OFFCRYPTO] 2.3.6 for RC4, 2.3.5 for RC4 CryptoAPI): each block
// starts a new RC4 stream under its own key.
type blockKey func(block uint32) []byte

const cryptBlock = 512

// unlock returns the key of a document encrypted with RC4 or RC4
// CryptoAPI whose encryption header starts the table stream, trying each
// password; false when none opens it or the header is another cipher's.
func unlock(header []byte, passwords []string) (blockKey, bool) {
	if len(header) < 4 {
		return nil, false
	}
	le := binary.LittleEndian
	major, minor := le.Uint16(header), le.Uint16(header[2:])
	var keyOf func(pw string) blockKey
	var verifier, verifierHash []byte
	var hashOf func([]byte) []byte
	switch {
	case major == 1 && minor == 1 && len(header) >= 52: // RC4
		salt := header[4:20]
		verifier, verifierHash = header[20:36], header[36:52]
		hashOf = func(b []byte) []byte { h := md5.Sum(b); return h[:] }
		keyOf = func(pw string) blockKey { return rc4Key(salt, pw) }
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
		keyOf = func(pw string) blockKey { return cryptoAPIKey(salt, pw, bits) }
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
		if bytes.Equal(hashOf(v), h[:len(hashOf(v))]) {
			return key, true
		}
	}
	return nil, false
}

func utf16le(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

// rc4Key derives the keys of Office 97/2000 RC4 encryption: an MD5 of the
// password cut to 40 bits, hashed 16 times with the salt, cut again, and
// hashed with each block's number.
func rc4Key(salt []byte, pw string) blockKey {
	h0 := md5.Sum(utf16le(pw))
	var buf []byte
	for i := 0; i < 16; i++ {
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
func cryptoAPIKey(salt []byte, pw string, bits int) blockKey {
	h0 := sha1.Sum(append(append([]byte{}, salt...), utf16le(pw)...))
	return func(block uint32) []byte {
		h := sha1.Sum(binary.LittleEndian.AppendUint32(append([]byte{}, h0[:]...), block))
		key := h[:bits/8]
		if bits == 40 {
			key = append(key[:5:5], make([]byte, 11)...)
		}
		return key
	}
}

// decrypt returns the stream b decrypted, its first clear bytes (kept in
// the clear by the writer: the FIB's base, the encryption header) as they
// are.
func (k blockKey) decrypt(b []byte, clear int) []byte {
	out := make([]byte, len(b))
	for off := 0; off < len(b); off += cryptBlock {
		end := min(off+cryptBlock, len(b))
		c, _ := rc4.NewCipher(k(uint32(off / cryptBlock)))
		c.XORKeyStream(out[off:end], b[off:end])
	}
	copy(out, b[:min(clear, len(b))])
	return out
}
