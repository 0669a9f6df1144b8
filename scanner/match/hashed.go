package match

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"slices"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
)

// Hashed terms (terms_hashed) let a policy name secret terms, such as
// project code names, without holding them: the policy keeps a keyed hash of
// each normalized term, and matching hashes every window of the normalized
// text that is as long as some term and looks it up. The cost per character
// is one hash per distinct term length, whatever the number of terms.

// sumLen is how many bytes of the HMAC-SHA256 a terms_hashed file keeps:
// 128 bits, so that no two terms and no window of text collide by chance.
const sumLen = 16

// HashTerm returns what a terms_hashed file keeps of term under key: the
// normalized term's length in characters and the keyed hash of its
// normalized text. A term that normalizes to nothing is an error.
func HashTerm(key []byte, term string) (policies.HashedTerm, error) {
	n := Normalize(term).Text
	if n == "" {
		return policies.HashedTerm{}, fmt.Errorf("a term is empty after normalization")
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(n))
	return policies.HashedTerm{Len: utf8.RuneCountInString(n), Sum: hex.EncodeToString(mac.Sum(nil)[:sumLen])}, nil
}

// hashedSet is the hashed terms of the rules sharing one key.
type hashedSet struct {
	key  []byte
	lens []int // distinct term lengths in characters, ascending
	sums map[[sumLen]byte][]*policies.Rule
}

// addHashed files r's hashed terms under r's key.
func (m *Matcher) addHashed(r *policies.Rule) {
	var set *hashedSet
	for i := range m.hashed {
		if hmac.Equal(m.hashed[i].key, r.HashKey) {
			set = &m.hashed[i]
		}
	}
	if set == nil {
		m.hashed = append(m.hashed, hashedSet{key: r.HashKey, sums: map[[sumLen]byte][]*policies.Rule{}})
		set = &m.hashed[len(m.hashed)-1]
	}
	for _, t := range r.Hashed {
		var k [sumLen]byte
		hex.Decode(k[:], []byte(t.Sum)) // policies checked it is 32 hex digits
		if rules := set.sums[k]; !slices.Contains(rules, r) {
			set.sums[k] = append(rules, r)
		}
		if i, found := slices.BinarySearch(set.lens, t.Len); !found {
			set.lens = slices.Insert(set.lens, i, t.Len)
		}
	}
}

// find calls fn with every window of nt whose hash is a term's, and the
// rules having that term.
func (s *hashedSet) find(nt string, fn func(rules []*policies.Rule, start, end int)) {
	longest := s.lens[len(s.lens)-1]
	// ends[(e) % len(ends)] is the byte offset where character e starts,
	// for the last longest+1 characters.
	ends := make([]int, longest+1)
	mac := hmac.New(sha256.New, s.key)
	var sum []byte
	b := []byte(nt) // once, not a conversion per window
	e := 0
	for i := 0; ; e++ {
		ends[e%len(ends)] = i
		if e > 0 {
			s.lookup(mac, &sum, b, ends, e, fn)
		}
		if i >= len(nt) {
			break
		}
		_, size := utf8.DecodeRuneInString(nt[i:])
		i += size
	}
}

// lookup hashes each window of a term's length ending before character e.
func (s *hashedSet) lookup(mac hash.Hash, sum *[]byte, nt []byte, ends []int, e int, fn func([]*policies.Rule, int, int)) {
	end := ends[e%len(ends)]
	for _, l := range s.lens {
		if l > e {
			break
		}
		start := ends[(e-l)%len(ends)]
		mac.Reset()
		mac.Write(nt[start:end])
		*sum = mac.Sum((*sum)[:0])
		if rules := s.sums[[sumLen]byte((*sum)[:sumLen])]; rules != nil {
			fn(rules, start, end)
		}
	}
}
