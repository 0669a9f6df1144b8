package scanner

import (
	"cmp"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// windowSize is how much of a segment's text is matched at once. A longer
// segment (a book-length body, a sheet of a million cells) is matched in
// windows that overlap by match.Reach on each side of each cut, so the
// memory matching takes does not grow with the file: a file's text crosses
// from the extraction child in pieces and is never held whole.
const windowSize = 1 << 20

// maxFindings bounds the findings kept for one file. Past it the file is
// still matched to the end and its findings counted, but only a finding
// more severe than every one kept is added, so the verdict and exit code
// stay right while a file of a million hits cannot exhaust memory.
const maxFindings = 10000

// PartFile is the Location.Part of a finding about a whole file or a
// document inside it (a file-hash rule's match), not about its text.
const PartFile = "file"

// contextRunes is how many characters of text around a hit a finding shows.
const contextRunes = 20

// check matches one file's text as it arrives and collects its findings.
// Its add method is the extract.Sink the extractor feeds.
type check struct {
	m        *match.Matcher
	showPII  bool // personal identifiers shown unmasked
	findings []Finding
	found    int               // findings in all, including those not kept
	worst    policies.Severity // highest severity kept
	err      error             // why the text could not be checked
	open     bool              // the segment in w continues in the next piece
	w        window
	segs     int    // segments begun so far
	shared   shared // passages shared with registered documents
}

// window is the part of the current segment not yet matched, with the
// text before it that deciding the next hits needs.
type window struct {
	seg  extract.Segment // Part, Page and Inner of the segment (its Text unused)
	buf  []byte
	done int // hits starting before buf[done] have been decided
	off  int // offset of buf[0] in the segment
	// line and col locate buf[0] in the segment: its 1-based line and the
	// characters from that line's start.
	line, col int
}

func newCheck(m *match.Matcher, showPII bool) *check { return &check{m: m, showPII: showPII} }

// add takes one segment or piece of a segment (see extract.Sink).
func (c *check) add(seg extract.Segment, more bool) error {
	if c.err != nil {
		return c.err
	}
	if !c.open {
		c.w = window{seg: seg, buf: c.w.buf[:0], line: 1}
		c.w.seg.Text = ""
		c.segs++
		if !more && len(seg.Text) <= windowSize {
			// The usual case: a whole segment, matched in one pass.
			c.match(seg.Text, 0, len(seg.Text))
			return c.err
		}
	}
	c.open = more
	w := &c.w
	w.buf = append(w.buf, seg.Text...)
	for len(w.buf) >= windowSize && c.err == nil {
		c.step(false)
	}
	if !more && c.err == nil {
		c.step(true)
	}
	return c.err
}

// step matches the head of the buffer: all of it when final, else a window
// whose last match.Reach bytes only give the hits before them their right
// context. It then drops what the next window no longer needs.
func (c *check) step(final bool) {
	w := &c.w
	n, cut := len(w.buf), len(w.buf)
	if !final {
		n = runeCut(w.buf, windowSize)
		cut = runeCut(w.buf, n-match.Reach)
	}
	c.match(string(w.buf[:n]), w.done, cut)
	if final {
		w.buf = w.buf[:0]
		return
	}
	keep := runeCut(w.buf, cut-match.Reach)
	w.line, w.col = advance(w.line, w.col, w.buf[:keep])
	w.buf = w.buf[:copy(w.buf, w.buf[keep:])]
	w.done = cut - keep
	w.off += keep
}

// runeCut moves i back to the start of a character, so that a window never
// splits one (invalid bytes are cut anywhere).
func runeCut(b []byte, i int) int {
	for k := 0; k < utf8.UTFMax && i > 0 && i < len(b) && !utf8.RuneStart(b[i]); k++ {
		i--
	}
	return i
}

// advance moves a line and column over text.
func advance[T string | []byte](line, col int, text T) (int, int) {
	s := string(text)
	if k := strings.Count(s, "\n"); k > 0 {
		return line + k, utf8.RuneCountInString(s[strings.LastIndexByte(s, '\n')+1:])
	}
	return line, col + utf8.RuneCountInString(s)
}

// match matches text, a window of the current segment starting at w.buf[0]
// (or the whole segment), and records the hits that start in [from, to).
// Text read from a picture is matched as OCR text (match.MatchPicture).
func (c *check) match(text string, from, to int) {
	matchText := c.m.Match
	if c.w.seg.Part == extract.PartPicture {
		matchText = c.m.MatchPicture
	}
	hits, err := matchText(text)
	if err != nil {
		c.err = err
		return
	}
	shown := c.shown(text, hits)
	pos, line, col := 0, c.w.line, c.w.col
	for i, h := range hits {
		if h.Start < from {
			continue
		}
		if h.Start >= to {
			break // hits come in order of their start
		}
		line, col = advance(line, col, text[pos:h.Start])
		pos = h.Start
		if h.Passage != nil {
			if seg := c.w.seg; Fingerprinted(seg.Part) {
				c.shared.add(h, text, c.segs, c.w.off, Location{Part: string(seg.Part), Page: seg.Page, Line: line, Offset: col, Inner: seg.Inner})
			}
			continue
		}
		c.found++
		sev := h.Severity
		if len(c.findings) >= maxFindings && sev <= c.worst {
			continue
		}
		c.worst = max(c.worst, sev)
		c.findings = append(c.findings, c.finding(text, shown, hits, i, line, col))
	}
}

// shown returns text as findings show it: the middle of every personal
// identifier among hits masked (match.MaskPII), wherever it shows, unless
// showPII. Masks keep byte lengths, so the hits' offsets hold in it.
func (c *check) shown(text string, hits []match.Hit) string {
	if c.showPII {
		return text
	}
	var b []byte
	for _, h := range hits {
		masked, ok := match.MaskPII(h.Rule.Detector, text[h.Start:h.End])
		if !ok {
			continue
		}
		if b == nil {
			b = []byte(text)
		}
		copy(b[h.Start:h.End], masked)
	}
	if b == nil {
		return text
	}
	return string(b)
}

// finding builds the Finding of hits[i] in text; its text and context
// come from shown, text as findings show it.
func (c *check) finding(text, shown string, hits []match.Hit, i, line, col int) Finding {
	h := hits[i]
	seg := c.w.seg
	f := Finding{
		Rule:     h.Rule.ID,
		Title:    h.Rule.Title,
		Severity: h.Severity,
		Text:     shown[h.Start:h.End],
		Location: Location{Part: string(seg.Part), Page: seg.Page, Line: line, Offset: col, Inner: seg.Inner},
	}
	before := lastRunes(shown[:h.Start], contextRunes)
	f.Before, f.BeforeHits = contextPart(before, h.Start-len(before), hits, i)
	f.After, f.AfterHits = contextPart(firstRunes(shown[h.End:], contextRunes), h.End, hits, i)
	f.Context = f.Before + oneLine(f.Text) + f.After
	f.Fingerprint = Fingerprint(f.Rule, text[h.Start:h.End], text[:h.Start], text[h.End:])
	return f
}

// contextPart folds raw, the text at byte offset base around hits[i], to
// one line, and returns with it the spans of the result that show other
// hits, so that a masked report can hide them too.
func contextPart(raw string, base int, hits []match.Hit, i int) (string, []Span) {
	end := base + len(raw)
	var spans []Span
	for j := i - 1; j >= 0 && hits[j].Start+match.Reach > base; j-- {
		spans = appendClipped(spans, hits[j], base, end)
	}
	for j := i + 1; j < len(hits) && hits[j].Start < end; j++ {
		spans = appendClipped(spans, hits[j], base, end)
	}
	if len(spans) == 0 {
		return oneLine(raw), nil
	}
	// Fold the text between and inside the spans piece by piece, so the
	// spans can be placed in the folded text.
	var b strings.Builder
	out := make([]Span, 0, len(spans))
	at := 0
	for _, s := range sortedSpans(spans) {
		s.Start = max(s.Start, at)
		if s.Start >= s.End {
			continue
		}
		b.WriteString(oneLine(raw[at:s.Start]))
		start := b.Len()
		b.WriteString(oneLine(raw[s.Start:s.End]))
		out = append(out, Span{start, b.Len()})
		at = s.End
	}
	b.WriteString(oneLine(raw[at:]))
	return b.String(), out
}

// appendClipped adds the part of h inside [base, end), relative to base.
func appendClipped(spans []Span, h match.Hit, base, end int) []Span {
	s, e := max(h.Start, base), min(h.End, end)
	if s >= e {
		return spans
	}
	return append(spans, Span{s - base, e - base})
}

// sortedSpans orders spans by start (there are a handful).
func sortedSpans(spans []Span) []Span {
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].Start < spans[j-1].Start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	return spans
}

// result gives the file its verdict from how it was read (doc, err) and
// what was found in the text that arrived.
func (c *check) result(path string, doc *extract.Document, err error) Result {
	r := Result{Path: path, Findings: []Finding{}}
	r.Format, r.Verdict, r.Reason = ReadVerdict(doc, err)
	read := r.Verdict
	if doc != nil {
		r.OCR = doc.Pictures.Read
	}
	r.File = extract.FileOf(doc, err)
	digests := extract.DigestsOf(doc, err)
	if len(digests) > 0 && digests[0].Inner == "" {
		r.SHA256 = digests[0].SHA256
	}
	c.knownFiles(digests)
	if c.err != nil {
		r.Verdict, r.Reason = Error, "text could not be checked: "+c.err.Error()
		return r
	}
	for _, f := range c.shared.findings() {
		c.found++
		c.findings = append(c.findings, f) // one per registered document: few
	}
	if len(c.findings) == 0 {
		return r
	}
	// Findings in text that arrived before a failure still count: the file
	// is flagged, and the reason says what could not be read.
	r.Verdict, r.Findings = Flagged, c.findings
	if read == Clean {
		r.Reason = "" // an OCR note: a flagged file's reason says what was not read
	}
	if c.found > len(c.findings) {
		r.Reason = joinReasons(r.Reason, fmt.Sprintf("%d findings in all: the first %d and the most severe are listed", c.found, len(c.findings)))
	}
	return r
}

// knownFiles adds a finding of part "file" for each digest, of the file or
// of a document inside it, that a file-hash rule lists. Its text is the
// list entry's label (the digest when the entry has none), followed in its
// context by the digest: no document text.
func (c *check) knownFiles(digests []extract.Digest) {
	for _, d := range digests {
		for _, sum := range [2][2]string{{"sha256", d.SHA256}, {"sm3", d.SM3}} {
			for _, k := range c.m.KnownFiles(sum[0], sum[1]) {
				digest := sum[0] + ":" + sum[1]
				f := Finding{
					Rule:        k.Rule.ID,
					Title:       k.Rule.Title,
					Severity:    k.Rule.Severity,
					Text:        cmp.Or(k.Label, digest),
					Location:    Location{Part: PartFile, Inner: d.Inner},
					After:       " (" + digest + ")",
					Fingerprint: Fingerprint(k.Rule.ID, digest, "", ""),
				}
				f.Context = f.Text + f.After
				c.found++
				c.worst = max(c.worst, f.Severity)
				c.findings = append(c.findings, f)
			}
		}
	}
}

func joinReasons(a, b string) string {
	if a == "" {
		return b
	}
	return a + "; " + b
}

func lastRunes(s string, n int) string {
	i := len(s)
	for ; n > 0 && i > 0; n-- {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
	}
	return s[i:]
}

func firstRunes(s string, n int) string {
	i := 0
	for ; n > 0 && i < len(s); n-- {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return s[:i]
}

// oneLine folds line breaks and tabs so a context prints on one line.
var oneLine = strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ", "\t", " ").Replace
