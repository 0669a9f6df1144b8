package scanner

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"

	"github.com/baomi/baomi/scanner/match"
)

// fingerprintRunes is how many normalized characters on each side of a hit
// go into its fingerprint: enough to tell two hits of one rule apart, few
// enough that an edit a sentence away leaves the fingerprint alone.
const fingerprintRunes = 10

// fingerprintWindow is how many raw characters are normalized to find those
// ten: normalization drops spaces and zero-width characters, so the raw
// window is wider.
const fingerprintWindow = 4 * fingerprintRunes

// Fingerprint identifies a finding by its rule, its normalized matched text
// and about ten normalized characters before and after it; before and after
// are the document text around the hit (only their ends nearest the hit
// matter). It leaves out line numbers and offsets, so the fingerprint
// survives edits elsewhere in the document, and it carries no document text
// (a truncated SHA-256), so stores and baselines may keep it.
func Fingerprint(rule, text, before, after string) string {
	b := lastRunes(match.Normalize(lastRunes(before, fingerprintWindow)).Text, fingerprintRunes)
	a := firstRunes(match.Normalize(firstRunes(after, fingerprintWindow)).Text, fingerprintRunes)
	h := sha256.New()
	for _, s := range []string{rule, match.Normalize(text).Text, b, a} {
		// A length prefix keeps "ab"+"c" apart from "a"+"bc".
		h.Write(binary.AppendUvarint(nil, uint64(len(s))))
		h.Write([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}
