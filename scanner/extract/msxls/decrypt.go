package msxls

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"encoding/binary"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
)

// defaultPassword is the password Excel encrypts a workbook with when the
// user set none (a workbook protected against changes only): Excel opens
// such files without asking, and so must baomi.
const defaultPassword = "VelvetSweatshop"

// RC4 encryption ([MS-OFFCRYPTO] 2.3.6): the FILEPASS record holds the
// encryption type (1), the version (1.1), a salt, and a verifier with its
// MD5 hash, both encrypted with the key of block 0.
const (
	rc4Block  = 1024 // bytes of the stream each key encrypts
	rc4Header = 54   // type, version, salt, verifier, verifier hash
)

// unencrypted are the records whose data is never encrypted after FILEPASS.
var unencrypted = map[uint16]bool{
	recBOF: true, recFilePass: true, 0x0194: true /* UsrExcl */, 0x0195: true, /* FileLock */
	0x00E1: true /* InterfaceHdr */, 0x0196: true /* RRDInfo */, 0x0138: true, /* RRDHead */
}

// decrypt decrypts, in place, the data of the records after the FILEPASS
// record at recs[at], trying the default password and then opt's
// passwords. Only RC4 encryption is read: XOR obfuscation and CryptoAPI
// encryption are errors, as is a workbook no password opens.
func (w *workbook) decrypt(recs []record, at int, opt extract.Options) error {
	d := recs[at].data
	if len(d) < rc4Header || binary.LittleEndian.Uint16(d) != 1 || binary.LittleEndian.Uint16(d[2:]) != 1 || binary.LittleEndian.Uint16(d[4:]) != 1 {
		return extract.Errorf(extract.KindEncrypted, "encrypted Excel workbook: cannot be read without its password")
	}
	salt, verifier := d[6:22], d[22:54]
	for _, pw := range append([]string{defaultPassword}, opt.Passwords...) {
		key := rc4Key(pw, salt)
		if !verifies(key, verifier) {
			continue
		}
		ks := keystream{key: key, block: -1}
		for _, r := range recs[at+1:] {
			if unencrypted[r.typ] {
				continue
			}
			start := 0
			if r.typ == recBoundSheet {
				start = 4 // the sheet's stream position stays in the clear
			}
			for k := start; k < len(r.data); k++ {
				r.data[k] ^= ks.at(r.pos + 4 + k)
			}
		}
		return nil
	}
	return extract.Errorf(extract.KindEncrypted, "encrypted Excel workbook: cannot be read without its password")
}

// rc4Key derives the intermediate key of a password: MD5 of the password
// in UTF-16, cut to 5 bytes, repeated with the salt 16 times, hashed with
// MD5 and cut to 5 bytes again.
func rc4Key(password string, salt []byte) []byte {
	var pw []byte
	for _, u := range utf16.Encode([]rune(password)) {
		pw = binary.LittleEndian.AppendUint16(pw, u)
	}
	h0 := md5.Sum(pw)
	var buf []byte
	for range 16 {
		buf = append(append(buf, h0[:5]...), salt...)
	}
	h1 := md5.Sum(buf)
	return h1[:5]
}

// blockKey is the RC4 key of one block: MD5 of the key and the block number.
func blockKey(key []byte, block uint32) []byte {
	h := md5.Sum(binary.LittleEndian.AppendUint32(append([]byte(nil), key...), block))
	return h[:]
}

// verifies reports whether key decrypts the verifier to bytes whose MD5
// hash follows them.
func verifies(key, verifier []byte) bool {
	c, err := rc4.NewCipher(blockKey(key, 0))
	if err != nil {
		return false
	}
	out := make([]byte, len(verifier))
	c.XORKeyStream(out, verifier)
	h := md5.Sum(out[:16])
	return bytes.Equal(h[:], out[16:])
}

// keystream gives the RC4 key stream byte at each position of the
// workbook stream, a new key every 1024 bytes.
type keystream struct {
	key   []byte
	block int
	bytes [rc4Block]byte
}

func (k *keystream) at(pos int) byte {
	if b := pos / rc4Block; b != k.block {
		c, _ := rc4.NewCipher(blockKey(k.key, uint32(b)))
		clear(k.bytes[:])
		c.XORKeyStream(k.bytes[:], k.bytes[:])
		k.block = b
	}
	return k.bytes[pos%rc4Block]
}
