package match

import "github.com/baomi/baomi/policies"

// KnownFile is a file-hash rule's entry that a digest matched.
type KnownFile struct {
	Rule  *policies.Rule
	Label string
}

// knownKey is how a digest is looked up: "sha256:" or "sm3:" and the
// lower-case hex.
func knownKey(algo, sum string) string { return algo + ":" + sum }

// addKnownFiles indexes the digests of a file-hash rule.
func (m *Matcher) addKnownFiles(r *policies.Rule) {
	if m.known == nil {
		m.known = map[string][]KnownFile{}
	}
	for _, k := range r.Hashes {
		key := knownKey(k.Algo, k.Sum)
		m.known[key] = append(m.known[key], KnownFile{Rule: r, Label: k.Label})
	}
}

// KnownFiles returns the entries of file-hash rules that list the digest
// sum (lower-case hex) of algorithm algo ("sha256" or "sm3").
func (m *Matcher) KnownFiles(algo, sum string) []KnownFile {
	return m.known[knownKey(algo, sum)]
}
