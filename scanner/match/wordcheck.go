package match

import (
	"bytes"
	"compress/gzip"
	_ "embed"
	"fmt"
	"io"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-ego/gse"
)

// zhDict is gse's simplified Chinese dictionary (see dict/README.md).
//
//go:embed dict/zh_s.txt.gz
var zhDict []byte

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
// around the hit, and no more, since segmentation runs at ~2 MB/s.
const windowRunes = 12

// WordChecker decides whether a substring hit in Chinese text is a word of
// the text (机密 in 这是机密文件) or only straddles two words (机密 in
// 手机密码: 手机|密码). Safe for concurrent use; the dictionary is loaded
// once, on the first check that needs it.
type WordChecker struct {
	extra []string

	once sync.Once
	seg  *gse.Segmenter // read-only once loaded: gse is safe to share only then
	err  error
}

// NewWordChecker returns a checker whose dictionary will also hold
// extraWords (the policy's terms, normalized) at a high frequency. It does
// no loading.
func NewWordChecker(extraWords []string) *WordChecker {
	return &WordChecker{extra: append([]string(nil), extraWords...)}
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
	for _, s := range w.seg.Segment([]byte(text[ws:we])) {
		s0, e0 := ws+s.Start(), ws+s.End()
		crosses := (s0 < start && start < e0) || (s0 < end && end < e0)
		if crosses && !(s0 <= start && e0 >= end) {
			return false, nil
		}
	}
	return true, nil
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

// load builds the segmenter. The policy's words go in first: gse keeps the
// first frequency given for a word, so theirs wins over the dictionary's.
// The HMM model is not loaded: Segment does not use it, and loading it
// writes gse's global model, which would race with other users.
func (w *WordChecker) load() {
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	for _, word := range w.extra {
		if word != "" {
			if err := seg.AddToken(word, extraWordFreq); err != nil {
				w.err = fmt.Errorf("match: adding %d-byte policy word to the segmentation dictionary: %w", len(word), err)
				return
			}
		}
	}
	zr, err := gzip.NewReader(bytes.NewReader(zhDict))
	if err != nil {
		w.err = fmt.Errorf("match: segmentation dictionary: %w", err)
		return
	}
	text, err := io.ReadAll(zr)
	if err != nil {
		w.err = fmt.Errorf("match: segmentation dictionary: %w", err)
		return
	}
	if err := seg.LoadDictStr(string(text)); err != nil {
		w.err = fmt.Errorf("match: segmentation dictionary: %w", err)
		return
	}
	if n := seg.Dict.NumTokens(); n < minDictTokens {
		w.err = fmt.Errorf("match: segmentation dictionary loaded only %d words", n)
		return
	}
	w.seg = seg
}
