package pdf

import (
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/sha256"
	"crypto/sha512"
	"hash"
	"io"
	"regexp"
	"strconv"
)

// AES-256 encryption (V5, R5 and R6) keeps, per password, a 48-byte entry
// (U for the user password, O for the owner password: a 32-byte hash, an
// 8-byte validation salt, an 8-byte key salt) and the file key encrypted
// with a key made from the password and the key salt (UE, OE). Owner
// hashes also take the 48 bytes of U. ISO 32000-2, 7.6.4.3.

// aes256Hash is the password hash of AES-256 encryption: SHA-256 of the
// password, salt and udata for R5; Algorithm 2.B of ISO 32000-2 for R6.
func aes256Hash(r int, pw, salt, udata []byte) []byte {
	in := append(append(append([]byte{}, pw...), salt...), udata...)
	sum := sha256.Sum256(in)
	k := sum[:]
	if r != 6 {
		return k
	}
	var e []byte
	for i := 1; ; i++ {
		// K1: the password, K and udata, 64 times over; E: K1 encrypted
		// with AES-128-CBC, key and IV from K (no padding: K1 is a
		// multiple of 16 bytes long).
		one := append(append(append([]byte{}, pw...), k...), udata...)
		k1 := bytes.Repeat(one, 64)
		block, _ := aes.NewCipher(k[:16])
		e = make([]byte, len(k1))
		cipher.NewCBCEncrypter(block, k[16:32]).CryptBlocks(e, k1)
		// The first 16 bytes of E as a number, modulo 3 (256 ≡ 1 mod 3:
		// the sum of the bytes), chooses the next hash.
		sum := 0
		for _, b := range e[:16] {
			sum += int(b)
		}
		var h hash.Hash
		switch sum % 3 {
		case 0:
			h = sha256.New()
		case 1:
			h = sha512.New384()
		default:
			h = sha512.New()
		}
		h.Write(e)
		k = h.Sum(nil)
		if i >= 64 && int(e[len(e)-1]) <= i-32 {
			return k[:32]
		}
	}
}

// aes256EmptyOwner returns the file key of an AES-256 dictionary (revision
// r, entries o, oe, u) whose owner password is empty while its user
// password is not, or nil. Such a file opens without a password in
// readers that try the empty password as both (poppler, Acrobat), but not
// in pdfcpu, which never tries an empty owner password.
func aes256EmptyOwner(r int, o, oe, u []byte) []byte {
	if len(o) < 48 || len(u) < 48 || len(oe) != 32 {
		return nil
	}
	u = u[:48]
	if bytes.Equal(aes256Hash(r, nil, u[32:40], nil), u[:32]) {
		return nil // the empty user password opens it already
	}
	if !bytes.Equal(aes256Hash(r, nil, o[32:40], u), o[:32]) {
		return nil
	}
	return aes256Unwrap(aes256Hash(r, nil, o[40:48], u), oe)
}

// aes256Unwrap decrypts an encrypted file key (UE, OE) with key:
// AES-256-CBC, a zero IV, no padding.
func aes256Unwrap(key, wrapped []byte) []byte {
	block, err := aes.NewCipher(key)
	if err != nil || len(wrapped) != 32 {
		return nil
	}
	out := make([]byte, 32)
	cipher.NewCBCDecrypter(block, make([]byte, 16)).CryptBlocks(out, wrapped)
	return out
}

// aes256EmptyUser returns U and UE entries that open the file key with the
// empty user password (revision r). The salts are fixed: the entries only
// serve the in-memory copy that pdfcpu decrypts.
func aes256EmptyUser(r int, fileKey []byte) (u, ue []byte) {
	return aes256Entry(r, nil, []byte("baomi-vsbaomi-ks"), fileKey, nil)
}

// aes256Entry returns the 48-byte entry of password pw (U, or O when udata
// is U's 48 bytes) with the validation and key salts of salts (16 bytes),
// and the file key encrypted for it (UE, OE).
func aes256Entry(r int, pw, salts, fileKey, udata []byte) (entry, wrapped []byte) {
	entry = append(append([]byte{}, aes256Hash(r, pw, salts[:8], udata)...), salts...)
	block, _ := aes.NewCipher(aes256Hash(r, pw, salts[8:16], udata))
	wrapped = make([]byte, 32)
	cipher.NewCBCEncrypter(block, make([]byte, 16)).CryptBlocks(wrapped, fileKey)
	return entry, wrapped
}

// pdfStreamStart matches a stream's dictionary end and keyword, with the
// end of line after it; group 1 is the dictionary's /Length when it is a
// direct number of at most two digits.
var pdfStreamStart = regexp.MustCompile(`/Length[ \t\r\n]+(\d{1,2})[ \t\r\n]*(?:/[^<>]{0,200})?>>[ \t\r\n]*stream(?:\r\n|\n|\r)`)

// blankShortAES returns a copy of the file in which every stream of one
// AES block (an IV and no data: encrypting even nothing gives a second,
// padding block) is made empty, in place so that no offset moves: its
// /Length becomes 0 and its bytes line ends, which pdfcpu reads as no
// data. pdfcpu fails the whole file on such a stream, where poppler reads
// it as empty (pdf.js secHandler: the page's content stream). Other short
// streams cannot be decrypted and are left to fail. It returns nil when
// there is none.
func blankShortAES(r io.ReaderAt, size int64) []byte {
	if size > pdfRepairMaxSize {
		return nil
	}
	data := make([]byte, size)
	if k, _ := r.ReadAt(data, 0); int64(k) != size {
		return nil
	}
	found := false
	for _, m := range pdfStreamStart.FindAllSubmatchIndex(data, -1) {
		n, _ := strconv.Atoi(string(data[m[2]:m[3]]))
		start, end := m[1], m[1]+n
		if n != aes.BlockSize || end > len(data) ||
			!bytes.HasPrefix(bytes.TrimLeft(data[end:], " \t\r\n"), []byte("endstream")) {
			continue
		}
		// Streams that may be stored in the clear: a cross-reference
		// stream, one with its own crypt filter, metadata.
		dict := data[max(0, m[0]-512):m[1]]
		if i := bytes.LastIndex(dict, []byte("obj")); i >= 0 {
			dict = dict[i:]
		}
		if bytes.Contains(dict, []byte("/XRef")) || bytes.Contains(dict, []byte("/Crypt")) || bytes.Contains(dict, []byte("/Metadata")) {
			continue
		}
		copy(data[m[2]:m[3]], bytes.Repeat([]byte(" "), m[3]-m[2]))
		data[m[2]] = '0'
		copy(data[start:end], bytes.Repeat([]byte("\n"), n))
		found = true
	}
	if !found {
		return nil
	}
	return data
}
