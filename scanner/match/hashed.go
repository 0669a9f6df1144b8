package match

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math/bits"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
)

// Hashed terms (terms_hashed) let a policy name secret terms, such as
// project code names, without holding them: the policy keeps a keyed hash of
// each normalized term, and matching hashes every window of the normalized
// text that is as long as some term and looks it up. The cost per character
// is one hash per distinct term length, whatever the number of terms.
//
// The hash is SipHash-2-4 (Aumasson and Bernstein, 2012), a pseudo-random
// function made for short inputs, under a 128-bit key derived from the key
// file by HMAC-SHA256: without the key file nobody can test a guess against
// the hashes, and with it a window costs some 20 ns, not the 200 of an HMAC.

// HashTerm returns what a terms_hashed file keeps of term under key: the
// normalized term's length in characters and the keyed hash of its
// normalized text. A term that normalizes to nothing is an error.
func HashTerm(key []byte, term string) (policies.HashedTerm, error) {
	n := Normalize(term).Text
	if n == "" {
		return policies.HashedTerm{}, fmt.Errorf("a term is empty after normalization")
	}
	k0, k1 := sipKey(key)
	return policies.HashedTerm{Len: utf8.RuneCountInString(n), Sum: fmt.Sprintf("%016x", sipHash(k0, k1, []byte(n)))}, nil
}

// sipKey derives the SipHash key from a key file's contents.
func sipKey(key []byte) (uint64, uint64) {
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("baomi terms_hashed siphash-2-4"))
	sum := mac.Sum(nil)
	return binary.LittleEndian.Uint64(sum), binary.LittleEndian.Uint64(sum[8:])
}

// hashedSet is the hashed terms of the rules sharing one key.
type hashedSet struct {
	key    []byte
	k0, k1 uint64
	lens   []int // distinct term lengths in characters, ascending
	sums   map[uint64][]*policies.Rule
	// seen has a bit set, chosen by the low bits of h, for every hash h in
	// sums: some 64 bits per term, a test that stays in the cache and turns
	// away all but one window in 64 or so before the map.
	seen []uint64
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
		k0, k1 := sipKey(r.HashKey)
		m.hashed = append(m.hashed, hashedSet{key: r.HashKey, k0: k0, k1: k1, sums: map[uint64][]*policies.Rule{}})
		set = &m.hashed[len(m.hashed)-1]
	}
	for _, t := range r.Hashed {
		k, _ := strconv.ParseUint(t.Sum, 16, 64) // policies checked it is 16 hex digits
		if rules := set.sums[k]; !slices.Contains(rules, r) {
			set.sums[k] = append(rules, r)
		}
		if i, found := slices.BinarySearch(set.lens, t.Len); !found {
			set.lens = slices.Insert(set.lens, i, t.Len)
		}
	}
	// Between 8 KiB and 1 MiB of bits, rebuilt as rules add terms.
	set.seen = make([]uint64, min(max(1<<bits.Len(uint(len(set.sums))), 1<<10), 1<<17))
	for k := range set.sums {
		set.seen[k>>6&uint64(len(set.seen)-1)] |= 1 << (k & 63)
	}
}

// find calls fn with every window of nt whose hash is a term's, and the
// rules having that term.
func (s *hashedSet) find(nt string, fn func(rules []*policies.Rule, start, end int)) {
	// ends[e % len(ends)] is the byte offset where character e starts, for
	// the last longest+1 characters.
	ends := make([]int, s.lens[len(s.lens)-1]+1)
	b := []byte(nt) // once, not a conversion per window
	for i, e := 0, 0; ; e++ {
		ends[e%len(ends)] = i
		for _, l := range s.lens {
			if l > e {
				break
			}
			start := ends[(e-l)%len(ends)]
			h := sipHash(s.k0, s.k1, b[start:i])
			if s.seen[h>>6&uint64(len(s.seen)-1)]&(1<<(h&63)) == 0 {
				continue
			}
			if rules := s.sums[h]; rules != nil {
				fn(rules, start, i)
			}
		}
		if i >= len(nt) {
			return
		}
		_, size := utf8.DecodeRuneInString(nt[i:])
		i += size
	}
}

// sipHash is SipHash-2-4 of m under the key (k0, k1).
func sipHash(k0, k1 uint64, m []byte) uint64 {
	v0 := k0 ^ 0x736f6d6570736575
	v1 := k1 ^ 0x646f72616e646f6d
	v2 := k0 ^ 0x6c7967656e657261
	v3 := k1 ^ 0x7465646279746573
	round := func() {
		v0 += v1
		v1 = bits.RotateLeft64(v1, 13) ^ v0
		v0 = bits.RotateLeft64(v0, 32)
		v2 += v3
		v3 = bits.RotateLeft64(v3, 16) ^ v2
		v0 += v3
		v3 = bits.RotateLeft64(v3, 21) ^ v0
		v2 += v1
		v1 = bits.RotateLeft64(v1, 17) ^ v2
		v2 = bits.RotateLeft64(v2, 32)
	}
	n := len(m)
	for ; len(m) >= 8; m = m[8:] {
		w := binary.LittleEndian.Uint64(m)
		v3 ^= w
		round()
		round()
		v0 ^= w
	}
	var last [8]byte
	copy(last[:], m)
	last[7] = byte(n)
	w := binary.LittleEndian.Uint64(last[:])
	v3 ^= w
	round()
	round()
	v0 ^= w
	v2 ^= 0xff
	round()
	round()
	round()
	round()
	return v0 ^ v1 ^ v2 ^ v3
}
