package msxls

import (
	"encoding/binary"
	"math/bits"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/offcrypto"
)

// defaultPassword is the password Excel encrypts a workbook with when the
// user set none (a workbook protected against changes only): Excel opens
// such files without asking, and so must baomi.
const defaultPassword = "VelvetSweatshop"

// RC4 encryption ([MS-OFFCRYPTO] 2.3.6): the FILEPASS record holds the
// encryption type (1) and the encryption header (version 1.1, a salt, and
// a verifier with its MD5 hash); each 1024 bytes of the stream are
// encrypted with a key of their own.
const rc4Block = 1024

// unencrypted are the records whose data is never encrypted after FILEPASS.
var unencrypted = map[uint16]bool{
	recBOF: true, recFilePass: true, 0x0194: true /* UsrExcl */, 0x0195: true, /* FileLock */
	0x00E1: true /* InterfaceHdr */, 0x0196: true /* RRDInfo */, 0x0138: true, /* RRDHead */
}

// decrypt decrypts, in place, the data of the records after the FILEPASS
// record at recs[at], trying the default password and then opt's
// passwords. RC4 encryption and XOR obfuscation are read; CryptoAPI
// encryption, and a workbook no password opens, are errors.
func (w *workbook) decrypt(recs []record, at int, opt extract.Options) error {
	d := recs[at].data
	passwords := append([]string{defaultPassword}, opt.Passwords...)
	// dec gives the plain byte b at offset k of the data of a record that
	// starts at offset start of the stream and ends at end.
	var dec func(start, end, k int, b byte) byte
	switch {
	case len(d) == 4 || len(d) >= 6 && binary.LittleEndian.Uint16(d) == 0:
		// XOR obfuscation: a key and a verifier (BIFF5 writes no type).
		if len(d) >= 6 {
			d = d[2:]
		}
		key, verifier := binary.LittleEndian.Uint16(d), binary.LittleEndian.Uint16(d[2:])
		for _, pw := range passwords {
			if k, v := xorKey(pw); k == key && v == verifier {
				arr := xorArray(pw, key)
				dec = func(_, end, k int, b byte) byte { return bits.RotateLeft8(b, 3) ^ arr[(end+k)&15] }
				break
			}
		}
	case len(d) >= 6 && binary.LittleEndian.Uint16(d) == 1 && binary.LittleEndian.Uint32(d[2:]) == 0x00010001:
		// RC4 (version 1.1): the encryption header after the type, as
		// Word keeps it. RC4 CryptoAPI (2.2 to 4.2) is left an error: no
		// workbook to check its reading against.
		if key, ok := offcrypto.Unlock(d[2:], passwords); ok {
			ks := key.Stream(rc4Block)
			dec = func(start, _, k int, b byte) byte { return b ^ ks.At(start+k) }
		}
	}
	if dec == nil {
		return extract.Errorf(extract.KindEncrypted, "encrypted Excel workbook: cannot be read without its password")
	}
	for _, r := range recs[at+1:] {
		if unencrypted[r.typ] {
			continue
		}
		start := 0
		if r.typ == recBoundSheet {
			start = 4 // the sheet's stream position stays in the clear
		}
		data := r.pos + 4
		for k := start; k < len(r.data); k++ {
			r.data[k] = dec(data, data+len(r.data), k, r.data[k])
		}
	}
	return nil
}

// XOR obfuscation ([MS-OFFCRYPTO] 2.3.7): a 16-bit key and verifier
// derived from the password's first 15 bytes, and a 16-byte array the
// data is XORed with.
var (
	xorInitialCode = [15]uint16{0xE1F0, 0x1D0F, 0xCC9C, 0x84C0, 0x110C, 0x0E10, 0xF1CE, 0x313E, 0x1872, 0xE139, 0xD40F, 0x84F9, 0x280C, 0xA96A, 0x4EC3}
	xorPad         = [15]byte{0xBB, 0xFF, 0xFF, 0xBA, 0xFF, 0xFF, 0xB9, 0x80, 0x00, 0xBE, 0x0F, 0x00, 0xBF, 0x0F, 0x00}
	xorMatrix      = [15][7]uint16{
		{0xAEFC, 0x4DD9, 0x9BB2, 0x2745, 0x4E8A, 0x9D14, 0x2A09},
		{0x7B61, 0xF6C2, 0xFDA5, 0xEB6B, 0xC6F7, 0x9DCF, 0x2BBF},
		{0x4563, 0x8AC6, 0x05AD, 0x0B5A, 0x16B4, 0x2D68, 0x5AD0},
		{0x0375, 0x06EA, 0x0DD4, 0x1BA8, 0x3750, 0x6EA0, 0xDD40},
		{0xD849, 0xA0B3, 0x5147, 0xA28E, 0x553D, 0xAA7A, 0x44D5},
		{0x6F45, 0xDE8A, 0xAD35, 0x4A4B, 0x9496, 0x390D, 0x721A},
		{0xEB23, 0xC667, 0x9CEF, 0x29FF, 0x53FE, 0xA7FC, 0x5FD9},
		{0x47D3, 0x8FA6, 0x0F6D, 0x1EDA, 0x3DB4, 0x7B68, 0xF6D0},
		{0xB861, 0x60E3, 0xC1C6, 0x93AD, 0x377B, 0x6EF6, 0xDDEC},
		{0x45A0, 0x8B40, 0x06A1, 0x0D42, 0x1A84, 0x3508, 0x6A10},
		{0xAA51, 0x4483, 0x8906, 0x022D, 0x045A, 0x08B4, 0x1168},
		{0x76B4, 0xED68, 0xCAF1, 0x85C3, 0x1BA7, 0x374E, 0x6E9C},
		{0x3730, 0x6E60, 0xDCC0, 0xA9A1, 0x4363, 0x86C6, 0x1DAD},
		{0x3331, 0x6662, 0xCCC4, 0x89A9, 0x0373, 0x06E6, 0x0DCC},
		{0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48C4},
	}
)

// xorBytes is the password as XOR obfuscation reads it: one byte per
// character (its low byte, or its high byte when the low one is 0), at
// most 15.
func xorBytes(password string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(password)) {
		c := byte(u)
		if c == 0 {
			c = byte(u >> 8)
		}
		b = append(b, c)
	}
	return b[:min(len(b), 15)]
}

// xorKey returns the key and the verifier of a password.
func xorKey(password string) (key, verifier uint16) {
	pw := xorBytes(password)
	if len(pw) == 0 {
		return 0, 0
	}
	key = xorInitialCode[len(pw)-1]
	line := 15 - len(pw)
	for _, c := range pw {
		for _, x := range xorMatrix[line] {
			if c&1 != 0 {
				key ^= x
			}
			c >>= 1
		}
		line++
	}
	rot := func(v uint16) uint16 { return v>>14&1 | v<<1&0x7FFF }
	for i := len(pw) - 1; i >= 0; i-- {
		verifier = rot(verifier) ^ uint16(pw[i])
	}
	verifier = rot(verifier) ^ uint16(len(pw)) ^ 0xCE4B
	return key, verifier
}

// xorArray is the array the data is XORed with: the password padded to 16
// bytes, each XORed with a byte of the key and rotated.
func xorArray(password string, key uint16) [16]byte {
	var arr [16]byte
	pw := xorBytes(password)
	copy(arr[:], pw)
	copy(arr[len(pw):], xorPad[:])
	for i := range arr {
		arr[i] = bits.RotateLeft8(arr[i]^byte(key>>(8*(i&1))), 2)
	}
	return arr
}
