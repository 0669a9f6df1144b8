package match

import (
	_ "embed"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
	"github.com/klauspost/compress/zstd"
)

// zhLexicon is gse's simplified Chinese dictionary as a sorted lexicon
// (see dict/README.md and internal/gendict).
//
//go:generate go run ./internal/gendict -o dict/zh_s.lex.zst
//go:embed dict/zh_s.lex.zst
var zhLexicon []byte

// maxLexicon bounds the unpacked lexicon (4.3 MB today).
const maxLexicon = 64 << 20

// minDictTokens guards against segmenting with a dictionary that failed to
// load: gse then still segments, character by character, and every hit
// would look like a word.
const minDictTokens = 100_000

// extraWordFreq is the dictionary frequency given to policy terms: high
// enough that 他有机密要告诉你 segments as 有|机密 rather than 有机|密,
// low enough that 有机密封材料 still segments as 有机|密封|材料.
const extraWordFreq = 20_000

// windowRunes is how far, in characters, the segmented window reaches on
// each side of a hit: enough context for gse's shortest-path choice
// around the hit, and no more.
const windowRunes = 12

// maxWordRunes bounds the words looked up in the lexicon; gse's longest
// Chinese words are shorter.
const maxWordRunes = 16

// WordChecker decides whether a substring hit in Chinese text is a word of
// the text (机密 in 这是机密文件) or only straddles two words (机密 in
// 手机密码: 手机|密码). Safe for concurrent use.
//
// Loading gse's whole dictionary takes over a second and 400 MB. A
// segmentation of a window can only use dictionary words that occur in the
// window, so each check gives gse a dictionary of just those words, found by
// binary search in the sorted lexicon, plus one filler entry that brings the
// total frequency to the whole dictionary's: gse's word costs are
// log(total) - log(freq), so the segmentation is the one the whole
// dictionary gives.
type WordChecker struct {
	extra    map[string]bool // policy terms, normalized
	maxExtra int             // the longest policy term, in bytes

	once  sync.Once
	lex   lexicon
	total float64 // the whole dictionary's total frequency, policy terms included
	err   error

	mu   sync.Mutex
	seen map[string]bool // verdicts by window and hit; see Keep
}

// maxSeen bounds the verdicts a WordChecker remembers.
const maxSeen = 4096

// NewWordChecker returns a checker whose dictionary will also hold
// extraWords (the policy's terms, normalized) at a high frequency. It does
// no loading.
func NewWordChecker(extraWords []string) *WordChecker {
	w := &WordChecker{extra: map[string]bool{}, seen: map[string]bool{}}
	for _, x := range extraWords {
		if x != "" {
			w.extra[x] = true
			w.maxExtra = max(w.maxExtra, len(x))
		}
	}
	return w
}

// Keep reports whether the hit text[start:end] should be kept: false only
// when a word of the segmented context crosses one of the hit's edges
// without containing the whole hit. Hits with no Chinese character on
// either side across their edges need no segmentation and are kept without
// loading the dictionary. On error (a bad span, a dictionary that failed
// to load) Keep returns true with the error, so a caller that goes on
// still fails closed.
func (w *WordChecker) Keep(text string, start, end int) (bool, error) {
	if start < 0 || end > len(text) || start >= end ||
		!utf8.RuneStart(text[start]) || (end < len(text) && !utf8.RuneStart(text[end])) {
		return true, fmt.Errorf("match: hit span [%d,%d) invalid for a text of %d bytes", start, end, len(text))
	}
	if !hanEdge(text, start) && !hanEdge(text, end) {
		return true, nil
	}
	w.once.Do(w.load)
	if w.err != nil {
		return true, w.err
	}

	ws := start
	for k := 0; k < windowRunes && ws > 0; k++ {
		r, n := utf8.DecodeLastRuneInString(text[:ws])
		if !isHan(r) {
			break
		}
		ws -= n
	}
	we := end
	for k := 0; k < windowRunes && we < len(text); k++ {
		r, n := utf8.DecodeRuneInString(text[we:])
		if !isHan(r) {
			break
		}
		we += n
	}
	// The verdict depends only on the window and where the hit is in it.
	// Documents repeat phrases (page headers and footers, boilerplate such as
	// 保守国家秘密), and building a segmenter is the checker's whole cost.
	key := strconv.Itoa(start-ws) + "," + strconv.Itoa(end-ws) + "," + text[ws:we]
	w.mu.Lock()
	keep, ok := w.seen[key]
	w.mu.Unlock()
	if ok {
		return keep, nil
	}
	keep = w.keep(text[ws:we], start-ws, end-ws)
	w.mu.Lock()
	if len(w.seen) >= maxSeen {
		clear(w.seen)
	}
	w.seen[key] = keep
	w.mu.Unlock()
	return keep, nil
}

// keep segments window and reports whether no word crosses one of the
// edges of the hit window[start:end] without containing it.
func (w *WordChecker) keep(window string, start, end int) bool {
	for _, s := range w.segmenter(window).Segment([]byte(window)) {
		s0, e0 := s.Start(), s.End()
		crosses := (s0 < start && start < e0) || (s0 < end && end < e0)
		if crosses && !(s0 <= start && e0 >= end) {
			return false
		}
	}
	return true
}

// hanEdge reports whether the characters on both sides of offset i are
// Han, i.e. whether a word could cross i.
func hanEdge(text string, i int) bool {
	if i <= 0 || i >= len(text) {
		return false
	}
	before, _ := utf8.DecodeLastRuneInString(text[:i])
	after, _ := utf8.DecodeRuneInString(text[i:])
	return isHan(before) && isHan(after)
}

// isHan reports Chinese characters, the only ones gse's dictionary joins
// into words.
func isHan(r rune) bool {
	if r >= 0x4e00 && r <= 0x9fff {
		return true
	}
	return r >= 0x2e80 && unicode.Is(unicode.Han, r)
}

// load reads the lexicon and adds the policy terms' frequencies to its
// total, as if they had been loaded into gse before the dictionary (gse
// keeps the first frequency given for a word).
func (w *WordChecker) load() {
	// maxLexicon bounds what the decoder may produce, so the offsets of
	// newLexicon fit in 32 bits.
	zr, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(maxLexicon))
	if err != nil {
		w.err = fmt.Errorf("match: segmentation dictionary: %w", err)
		return
	}
	defer zr.Close()
	// gendict records the size: one allocation instead of a slice grown
	// (and copied) twenty times.
	var h zstd.Header
	if err := h.Decode(zhLexicon); err != nil || !h.HasFCS || h.FrameContentSize > maxLexicon {
		w.err = fmt.Errorf("match: segmentation dictionary has no valid size")
		return
	}
	data, err := zr.DecodeAll(zhLexicon, make([]byte, 0, h.FrameContentSize))
	if err != nil {
		w.err = fmt.Errorf("match: segmentation dictionary: %w", err)
		return
	}
	header, rest, _ := strings.Cut(string(data), "\n")
	total, err := strconv.ParseFloat(strings.TrimPrefix(header, "total\t"), 64)
	if err != nil || !strings.HasPrefix(header, "total\t") {
		w.err = fmt.Errorf("match: segmentation dictionary has no total frequency")
		return
	}
	lex := newLexicon(rest)
	if lex.len() < minDictTokens {
		w.err = fmt.Errorf("match: segmentation dictionary loaded only %d words", lex.len())
		return
	}
	w.lex = lex
	for x := range w.extra {
		if f, ok := w.lookup(x); ok {
			total -= f
		}
		total += extraWordFreq
	}
	w.total = total
}

// lookup returns the dictionary frequency of word.
func (w *WordChecker) lookup(word string) (float64, bool) {
	i := w.lex.search(0, word+"\t")
	if i == w.lex.len() || !strings.HasPrefix(w.lex.line(i), word+"\t") {
		return 0, false
	}
	f, err := strconv.ParseFloat(w.lex.line(i)[len(word)+1:], 64)
	return f, err == nil
}

// lexicon is the dictionary's sorted "word\tfreq" lines, held as one string
// and the offsets of its lines: no pointer per entry for the garbage
// collector to scan in every cycle of a long scan.
type lexicon struct {
	text string
	offs []uint32 // where each line starts; one more, past the end
}

// newLexicon indexes the lines of text, which must be shorter than 4 GiB;
// a last line without a newline counts.
func newLexicon(text string) lexicon {
	l := lexicon{text: text, offs: make([]uint32, 0, strings.Count(text, "\n")+2)}
	i := 0
	for i < len(text) {
		l.offs = append(l.offs, uint32(i))
		n := strings.IndexByte(text[i:], '\n')
		if n < 0 {
			n = len(text) - i
		}
		i += n + 1
	}
	l.offs = append(l.offs, uint32(i)) // one past the last line's end
	return l
}

func (l *lexicon) len() int { return max(len(l.offs)-1, 0) }

// line returns line i without its newline.
func (l *lexicon) line(i int) string {
	return l.text[l.offs[i] : l.offs[i+1]-1]
}

// search returns the first line at or after lo that is not less than s.
func (l *lexicon) search(lo int, s string) int {
	return lo + sort.Search(l.len()-lo, func(k int) bool { return l.line(lo+k) >= s })
}

// filler is a word no text contains, carrying the rest of the total
// frequency (two noncharacters: Normalize never produces a window of them
// next to Chinese text).
const filler = "\U0010FFFE\U0010FFFE"

// segmenter builds a gse segmenter whose dictionary holds the words that
// occur in window, with the whole dictionary's total frequency.
func (w *WordChecker) segmenter(window string) *gse.Segmenter {
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	sum := 0.0
	added := map[string]bool{}
	add := func(word string, freq float64) {
		if !added[word] && seg.AddToken(word, freq) == nil {
			added[word] = true
			sum += freq
		}
	}
	for i := 0; i < len(window); {
		_, size := utf8.DecodeRuneInString(window[i:])
		// Policy terms in the window, looked up by position rather than
		// searched for one by one: a policy may have thousands.
		for j := i + size; j <= len(window) && j-i <= w.maxExtra; {
			if w.extra[window[i:j]] {
				add(window[i:j], extraWordFreq)
			}
			if j == len(window) {
				break
			}
			_, n := utf8.DecodeRuneInString(window[j:])
			j += n
		}
		// Entries with a longer prefix sort after those with a shorter one,
		// so each search starts where the last one ended.
		for j, k, lo := i+size, 0, 0; j <= len(window) && k < maxWordRunes; k++ {
			prefix := window[i:j]
			lo = w.lex.search(lo, prefix)
			if lo == w.lex.len() || !strings.HasPrefix(w.lex.line(lo), prefix) {
				break // no word starts with prefix, nor with a longer one
			}
			// "word\tfreq" sorts first among the entries starting with word.
			if e := w.lex.line(lo); len(e) > len(prefix) && e[len(prefix)] == '\t' && !w.extra[prefix] {
				if f, err := strconv.ParseFloat(e[len(prefix)+1:], 64); err == nil {
					add(prefix, f)
				}
			}
			if j == len(window) {
				break
			}
			_, n := utf8.DecodeRuneInString(window[j:])
			j += n
		}
		i += size
	}
	if rest := w.total - sum; rest >= 1 {
		seg.AddToken(filler, rest)
	}
	seg.CalcToken()
	return seg
}
