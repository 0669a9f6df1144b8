package fingerprint

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The index file, little-endian throughout:
//
//	magic    "BAOMIFP\x00"
//	version  u32 (3), K u32, P u32
//	docs     u32, then per document: fingerprints u32, label length u16, label (UTF-8)
//	entries  u64, then that many hashes (u64, ascending), then as many document numbers (u32)
//
// An entry says that a document has a fingerprint; (hash, document) pairs
// are unique and sorted. Nothing else is kept: no text, no positions.
// Version 1 kept winnowed fingerprints (W = 16 in the place of P), version
// 2 selected k-grams by their last three characters: their hashes are not
// the ones Marks gives, so Load asks for them to be rebuilt.
const (
	magic   = "BAOMIFP\x00"
	version = 3
)

// Limits Load enforces, so that a damaged or hostile index cannot make it
// allocate without bound.
const (
	// MaxLabel is the longest label, in bytes.
	MaxLabel = 512
	maxDocs  = 1 << 24
)

// Doc is a registered document as the index knows it.
type Doc struct {
	// Label names the document in findings (it may be sensitive: reports
	// show it, logs do not).
	Label string
	// Count is how many distinct fingerprints the index keeps for it: the
	// denominator of the share a finding gives.
	Count int
}

// Index maps fingerprints to the registered documents that have them. It is
// immutable and safe for concurrent use.
type Index struct {
	docs   []Doc
	hashes []uint64 // sorted
	refs   []uint32 // refs[i] is the document of hashes[i]
	// dir[b] is the first entry of bucket b (see bucket), so a lookup
	// searches one bucket of a few entries.
	dir []uint32
	// filter is a blocked Bloom filter of the hashes: each sets four bits
	// in one word. Of two to four bytes per entry, it turns away all
	// but about one in two hundred hashes of unregistered text at the cost
	// of one memory access, before they cost a directory step and a search.
	filter []uint64
	digest string
}

// Docs returns the registered documents; a Lookup's document numbers index it.
func (x *Index) Docs() []Doc { return x.docs }

// Digest returns the SHA-256 of the index file, in hex: it changes whenever
// the registered documents do.
func (x *Index) Digest() string { return x.digest }

// Lookup returns the documents having fingerprint h, ascending. The slice
// belongs to the index: do not change it.
func (x *Index) Lookup(h uint64) []uint32 {
	if len(x.hashes) == 0 {
		return nil
	}
	if !inFilter(x.filter, h) {
		return nil // most hashes of unregistered text stop here
	}
	b := x.bucket(h)
	lo, hi := int(x.dir[b]), int(x.dir[b+1])
	i, found := slices.BinarySearch(x.hashes[lo:hi], h)
	if !found {
		return nil
	}
	i += lo
	j := i + 1
	for j < hi && x.hashes[j] == h {
		j++
	}
	return x.refs[i:j]
}

// inFilter reports whether hash h may be in filter.
func inFilter(filter []uint64, h uint64) bool {
	w, m := filterBits(h, len(filter))
	return filter[w]&m == m
}

// filterBits returns the word of a filter of size words (a power of two)
// that hash h belongs to, and the four bits it sets there, from the hash's
// low 48 bits (the top ones pick its bucket).
func filterBits(h uint64, size int) (int, uint64) {
	return int(h & uint64(size-1) & (1<<24 - 1)), 1<<(h>>24&63) | 1<<(h>>30&63) | 1<<(h>>36&63) | 1<<(h>>42&63)
}

// Builder collects registered documents and the boilerplate whose
// fingerprints must not count.
type Builder struct {
	docs    []Doc
	entries map[uint64][]uint32 // fingerprint → documents, ascending
	common  map[uint64]bool
}

// NewBuilder returns an empty Builder.
func NewBuilder() *Builder {
	return &Builder{entries: map[uint64][]uint32{}, common: map[uint64]bool{}}
}

// Add registers a document under label from its normalized texts (one per
// segment: k-grams do not cross them). A document with no fingerprint (under
// K letters and digits, or too few for one k-gram to be kept) is an error,
// as is a label that is empty, too long, not UTF-8 or holding control
// characters.
func (b *Builder) Add(label string, texts ...string) error {
	if err := checkLabel(label); err != nil {
		return err
	}
	if len(b.docs) >= maxDocs {
		return fmt.Errorf("an index holds at most %d documents", maxDocs)
	}
	d := uint32(len(b.docs))
	n := 0
	for _, t := range texts {
		Each(t, func(ms []Mark) {
			for _, m := range ms {
				refs := b.entries[m.Hash]
				if len(refs) == 0 || refs[len(refs)-1] != d {
					b.entries[m.Hash] = append(refs, d)
					n++
				}
			}
		})
	}
	if n == 0 {
		return fmt.Errorf("too little text: no fingerprint (it takes %d letters and digits, and a passage of some 30 to have one)", K)
	}
	b.docs = append(b.docs, Doc{Label: label, Count: n})
	return nil
}

// AddCommon records reference text (notices, forms, published documents
// of the same office): its fingerprints are dropped from the index, so that
// the formulae every document shares (各有关单位：…特此通知) match nothing.
// It may be called before or after Add.
func (b *Builder) AddCommon(texts ...string) {
	for _, t := range texts {
		Each(t, func(ms []Mark) {
			for _, m := range ms {
				b.common[m.Hash] = true
			}
		})
	}
}

// WriteTo writes the index. It implements io.WriterTo.
func (b *Builder) WriteTo(w io.Writer) (int64, error) {
	counts := make([]int, len(b.docs))
	var hashes []uint64
	for h, refs := range b.entries {
		if b.common[h] {
			continue
		}
		for _, d := range refs {
			counts[d]++
			hashes = append(hashes, h)
		}
	}
	slices.Sort(hashes)
	cw := &countWriter{w: bufio.NewWriterSize(w, 1<<16)}
	le := binary.LittleEndian
	put := func(p []byte) { cw.write(p) }
	put([]byte(magic))
	put(le.AppendUint32(le.AppendUint32(le.AppendUint32(nil, version), K), P))
	put(le.AppendUint32(nil, uint32(len(b.docs))))
	for i, d := range b.docs {
		put(le.AppendUint16(le.AppendUint32(nil, uint32(counts[i])), uint16(len(d.Label))))
		put([]byte(d.Label))
	}
	put(le.AppendUint64(nil, uint64(len(hashes))))
	var buf []byte
	for i, h := range hashes {
		if i > 0 && h == hashes[i-1] {
			continue // its documents were written with the first
		}
		buf = buf[:0]
		for range b.entries[h] {
			buf = le.AppendUint64(buf, h)
		}
		put(buf)
	}
	for i, h := range hashes {
		if i > 0 && h == hashes[i-1] {
			continue
		}
		buf = buf[:0]
		for _, d := range b.entries[h] {
			buf = le.AppendUint32(buf, d)
		}
		put(buf)
	}
	if cw.err == nil {
		cw.err = cw.w.(*bufio.Writer).Flush()
	}
	return cw.n, cw.err
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) write(p []byte) {
	if c.err != nil {
		return
	}
	n, err := c.w.Write(p)
	c.n += int64(n)
	c.err = err
}

func checkLabel(label string) error {
	switch {
	case strings.TrimSpace(label) == "":
		return errors.New("empty label")
	case len(label) > MaxLabel:
		return fmt.Errorf("label is %d bytes long, over the limit of %d", len(label), MaxLabel)
	case !utf8.ValidString(label):
		return errors.New("label is not UTF-8")
	case strings.IndexFunc(label, unicode.IsControl) >= 0:
		return errors.New("label holds a control character")
	}
	return nil
}

// errBad is the error of an index file that is damaged or not an index.
func errBad(what string) error {
	return fmt.Errorf("not a valid fingerprint index (%s): rebuild it with baomi fingerprint build", what)
}

// Load reads an index file written by Builder.WriteTo. Its memory is 12
// bytes per entry plus the labels, a directory of at most one byte per
// entry and a filter of two to four bytes per entry.
func Load(path string) (*Index, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	sum := sha256.New()
	r := bufio.NewReaderSize(io.TeeReader(f, sum), 1<<16)
	x, err := read(r, st.Size())
	if err != nil {
		return nil, err
	}
	x.digest = hex.EncodeToString(sum.Sum(nil))
	return x, nil
}

// read decodes an index of size bytes from r.
func read(r *bufio.Reader, size int64) (*Index, error) {
	le := binary.LittleEndian
	head := make([]byte, len(magic)+16)
	if _, err := io.ReadFull(r, head); err != nil || string(head[:len(magic)]) != magic {
		return nil, errBad("no index header")
	}
	if v := le.Uint32(head[8:]); v < version {
		return nil, fmt.Errorf("fingerprint index of an older format (version %d, this baomi reads %d): rebuild it with baomi fingerprint build", v, version)
	} else if v != version {
		return nil, errBad(fmt.Sprintf("version %d, expected %d", v, version))
	}
	if k, p := le.Uint32(head[12:]), le.Uint32(head[16:]); k != K || p != P {
		return nil, errBad("built with other sampling parameters")
	}
	ndocs := le.Uint32(head[20:])
	// Each document takes at least 6 bytes: a count beyond the file's size
	// is damage, not a reason to allocate.
	if ndocs == 0 || ndocs > maxDocs || int64(ndocs)*6 > size {
		return nil, errBad("bad document count")
	}
	x := &Index{docs: make([]Doc, ndocs)}
	var b [8]byte
	for i := range x.docs {
		if _, err := io.ReadFull(r, b[:6]); err != nil {
			return nil, errBad("truncated")
		}
		n := int(le.Uint16(b[4:]))
		if n > MaxLabel {
			return nil, errBad("label too long")
		}
		label := make([]byte, n)
		if _, err := io.ReadFull(r, label); err != nil {
			return nil, errBad("truncated")
		}
		if checkLabel(string(label)) != nil {
			return nil, errBad("bad label")
		}
		x.docs[i] = Doc{Label: string(label), Count: int(le.Uint32(b[:4]))}
	}
	if _, err := io.ReadFull(r, b[:8]); err != nil {
		return nil, errBad("truncated")
	}
	n := le.Uint64(b[:8])
	if n > uint64(size)/12 {
		return nil, errBad("bad entry count")
	}
	x.hashes = make([]uint64, n)
	x.refs = make([]uint32, n)
	buf := make([]byte, 1<<16)
	if err := readInts(r, buf, 8, len(x.hashes), func(i int, p []byte) { x.hashes[i] = le.Uint64(p) }); err != nil {
		return nil, err
	}
	if err := readInts(r, buf, 4, len(x.refs), func(i int, p []byte) { x.refs[i] = le.Uint32(p) }); err != nil {
		return nil, err
	}
	if _, err := r.ReadByte(); err != io.EOF {
		return nil, errBad("data after the end")
	}
	counts := make([]int, ndocs)
	for i, h := range x.hashes {
		d := x.refs[i]
		if d >= ndocs {
			return nil, errBad("bad document number")
		}
		if i > 0 && (h < x.hashes[i-1] || h == x.hashes[i-1] && d <= x.refs[i-1]) {
			return nil, errBad("entries out of order")
		}
		counts[d]++
	}
	for i, c := range counts {
		if c != x.docs[i].Count {
			return nil, errBad("document counts do not add up")
		}
	}
	x.directory()
	return x, nil
}

// readInts reads n integers of size bytes each through buf, handing each
// to set.
func readInts(r io.Reader, buf []byte, size, n int, set func(int, []byte)) error {
	per := len(buf) / size
	for i := 0; i < n; i += per {
		m := min(per, n-i)
		p := buf[:m*size]
		if _, err := io.ReadFull(r, p); err != nil {
			return errBad("truncated")
		}
		for j := range m {
			set(i+j, p[j*size:])
		}
	}
	return nil
}

// directory builds dir: about one bucket per eight entries (one cache
// line of hashes), between 2^8 and 2^24 buckets. The directory, half a byte
// per entry, then mostly stays in the cache and a lookup costs about one
// miss, in the hashes.
func (x *Index) directory() {
	x.dir = make([]uint32, 1<<min(max(bits.Len(uint(len(x.hashes)/8)), 8), 24)+1)
	for _, h := range x.hashes {
		x.dir[x.bucket(h)+1]++
	}
	for b := 1; b < len(x.dir); b++ {
		x.dir[b] += x.dir[b-1]
	}
	// Two to four bytes per entry, at most 2^24 words (128 MiB).
	x.filter = make([]uint64, 1<<min(bits.Len(uint(len(x.hashes)/4)), 24))
	for _, h := range x.hashes {
		w, m := filterBits(h, len(x.filter))
		x.filter[w] |= m
	}
}

// bucket returns the directory bucket of hash h, ascending with h: kept
// hashes are even over their range, so even cuts make buckets of even
// expected size.
func (x *Index) bucket(h uint64) int {
	return int(h >> 32 * uint64(len(x.dir)-1) >> 32)
}
