package msdoc

import "github.com/baomi/baomi/scanner/extract/internal/offcrypto"

// cryptBlock is the size of the blocks Word encrypts each under its own
// RC4 key ([MS-OFFCRYPTO] 2.3.6).
const cryptBlock = 512

// blockKey is the key of an encrypted Word document.
type blockKey offcrypto.BlockKey

// unlock returns the key of a document encrypted with RC4 or RC4
// CryptoAPI whose encryption header starts the table stream, trying each
// password; false when none opens it or the header is another cipher's.
func unlock(header []byte, passwords []string) (blockKey, bool) {
	k, ok := offcrypto.Unlock(header, passwords)
	return blockKey(k), ok
}

// decrypt returns the stream b decrypted, its first clear bytes (kept in
// the clear by the writer: the FIB's base, the encryption header) as they
// are.
func (k blockKey) decrypt(b []byte, clear int) []byte {
	return offcrypto.BlockKey(k).Decrypt(b, cryptBlock, clear)
}
