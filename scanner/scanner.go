// Package scanner is baomi's engine: it walks paths, runs a bounded pool of
// workers that extract each file's text and match it against a policy, and
// streams one Result per file, with a verdict, as files finish.
package scanner

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats" // every format's extractor: extract.File reads through them
	"github.com/baomi/baomi/scanner/match"
)

// Extractor reads a file's text. InProcess is the direct implementation;
// another may run extraction in child processes.
type Extractor interface {
	Extract(ctx context.Context, path string) (*extract.Document, error)
}

// Streamer is an Extractor that can hand a file's text over as it is read,
// so that neither it nor the matcher holds the whole text at once. The
// Document ExtractTo returns carries the format and review sentences but no
// segments: those went to sink.
type Streamer interface {
	Extractor
	ExtractTo(ctx context.Context, path string, sink extract.Sink) (*extract.Document, error)
}

// InProcess extracts in the calling process, turning a panic of a parser
// into an error for that file.
type InProcess struct {
	Options extract.Options
}

// Extract implements Extractor.
func (x InProcess) Extract(ctx context.Context, path string) (doc *extract.Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, extract.Errorf(extract.KindCrash, "the parser crashed on this file") // p may quote the file
		}
	}()
	return extract.File(ctx, path, x.Options)
}

// Options configure a Scanner.
type Options struct {
	// Workers is the number of files scanned at once; 0 means one per CPU.
	Workers int
	// Extractor reads files; nil means InProcess with default limits.
	Extractor Extractor
	// Walk configures how folders are walked.
	Walk WalkOptions
	// Cache, when set, serves results of files scanned before and keeps
	// new ones (see cached.go).
	Cache Cache
	// ShowPII shows personal identifiers (id-card, bank-card, mobile) in
	// findings as written; by default their middle digits are masked.
	ShowPII bool
	// Reading names the extraction settings that change what a file gives
	// (ReadingKey of the Extractor's options): the Cache keeps results
	// under it, so that turning OCR on reads again the files it kept as
	// review for their pictures.
	Reading string
}

// Scanner scans files against one compiled policy. It is safe for
// concurrent use.
type Scanner struct {
	m     *match.Matcher
	opt   Options
	memo  memo
	stats cacheCounters
}

// New returns a Scanner that matches with m.
func New(m *match.Matcher, opt Options) *Scanner {
	if opt.Workers <= 0 {
		opt.Workers = runtime.NumCPU()
	}
	if opt.Extractor == nil {
		opt.Extractor = InProcess{}
	}
	return &Scanner{m: m, opt: opt}
}

// Handler receives what a scan finds. Scan calls it from one goroutine at a
// time, so implementations need no locking.
type Handler interface {
	Result(Result)
	Problem(Problem)
}

// Scan walks paths (files and folders) and scans every regular file found,
// with Options.Workers files at a time, calling h as each file finishes.
// When ctx is cancelled it stops taking files, drops the files it was in the
// middle of, and returns ctx's error after the finished ones were handed on.
func (s *Scanner) Scan(ctx context.Context, paths []string, h Handler) error {
	return s.run(ctx, h, func(send func(string) bool, problem func(Problem)) {
		Walk(ctx, paths, s.opt.Walk, send, problem)
	})
}

// ScanFiles scans files found beforehand (by Walk), as Scan does but
// without walking: for callers that need the total first.
func (s *Scanner) ScanFiles(ctx context.Context, files []string, h Handler) error {
	if p, ok := s.opt.Cache.(Preloader); ok {
		if err := p.Preload(files, s.cacheKey()); err != nil {
			s.stats.errors.Add(1) // the cache still answers, one query at a time
		}
	}
	return s.run(ctx, h, func(send func(string) bool, _ func(Problem)) {
		for _, f := range files {
			if !send(f) {
				return
			}
		}
	})
}

// run scans the files feed hands to send, Options.Workers at a time.
func (s *Scanner) run(ctx context.Context, h Handler, feed func(send func(string) bool, problem func(Problem))) error {
	jobs := make(chan string, s.opt.Workers)
	events := make(chan event, s.opt.Workers)
	var wg sync.WaitGroup
	for range s.opt.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range jobs {
				if ctx.Err() != nil {
					continue // cancelled before this file started
				}
				r := s.scanPath(ctx, path)
				if ctx.Err() != nil {
					// Interrupted: whatever the extractor returned may be
					// partial, so it is not a result.
					continue
				}
				events <- event{result: &r}
			}
		}()
	}
	go func() {
		feed(func(path string) bool {
			select {
			case jobs <- path:
				return true
			case <-ctx.Done():
				return false
			}
		}, func(p Problem) { events <- event{problem: &p} })
		close(jobs)
		wg.Wait()
		close(events)
	}()
	for ev := range events {
		if ev.result != nil {
			h.Result(*ev.result)
		} else {
			h.Problem(*ev.problem)
		}
	}
	return ctx.Err()
}

type event struct {
	result  *Result
	problem *Problem
}

// scanPath gives one file found by the walk its result: a file over
// Walk.MaxSize is an error, otherwise it is served by the cache or scanned.
func (s *Scanner) scanPath(ctx context.Context, path string) Result {
	if s.opt.Cache == nil && s.opt.Walk.MaxSize <= 0 {
		return s.ScanFile(ctx, path)
	}
	st, err := os.Stat(path)
	if err != nil {
		// Vanished or unreadable since the walk: the extractor gives the
		// file its error verdict and reason.
		return s.ScanFile(ctx, path)
	}
	if limit := s.opt.Walk.MaxSize; limit > 0 && st.Size() > limit {
		return s.named(path, Result{Path: path, Verdict: Error, Findings: []Finding{},
			Reason: fmt.Sprintf("larger than --max-size (%d bytes > %d): not read", st.Size(), limit)})
	}
	if s.opt.Cache == nil {
		return s.ScanFile(ctx, path)
	}
	return s.named(path, s.cached(ctx, path, st))
}

// ScanFile extracts and matches one file, its name included. With a
// Streamer its text is matched as it arrives.
func (s *Scanner) ScanFile(ctx context.Context, path string) Result {
	return s.named(path, s.scanContent(ctx, path))
}

// scanContent extracts and matches what the file holds, not its name.
func (s *Scanner) scanContent(ctx context.Context, path string) Result {
	x, ok := s.opt.Extractor.(Streamer)
	if !ok {
		doc, err := s.opt.Extractor.Extract(ctx, path)
		return s.Check(path, doc, err)
	}
	c := newCheck(s.m, s.opt.ShowPII)
	doc, err := x.ExtractTo(ctx, path, c.add)
	return c.result(path, doc, err)
}

// named adds to r, the result of what the file holds, the findings of the
// file's base name (part filename), first: 机密★5年_关于安全生产检查的通知.docx
// marks a file as surely as its text. The name is matched apart from the
// content so that results kept and shared by content (the cache) never
// carry another file's name.
func (s *Scanner) named(path string, r Result) Result {
	c := newCheck(s.m, s.opt.ShowPII)
	if c.add(extract.Segment{Part: extract.PartFileName, Text: filepath.Base(path)}, false) != nil {
		r.Verdict, r.Reason = Error, "text could not be checked: "+c.err.Error()
		return r
	}
	if len(c.findings) > 0 {
		r.Verdict, r.Findings = Flagged, append(c.findings, r.Findings...)
	}
	return r
}

// ReadVerdict says how completely a file was read, before matching: Clean
// (read completely), Review, Error or Skipped, with the reason and format.
func ReadVerdict(doc *extract.Document, err error) (format string, v Verdict, reason string) {
	switch {
	case err == nil && doc == nil:
		return "", Error, "the extractor returned no document"
	case err == nil && len(doc.Review) > 0:
		return string(doc.Format), Review, strings.Join(summarize(doc.Review), "; ")
	case err == nil:
		return string(doc.Format), Clean, ocrReason(doc.Pictures.Read)
	case extract.KindOf(err) == extract.KindNoText:
		return string(extract.FormatOf(err)), Skipped, err.Error()
	}
	return string(extract.FormatOf(err)), Error, err.Error()
}

// numbered matches a sentence about one of the numbered documents a file
// holds ("OLE object 12: unknown format: ..."), as extract.ReadInner names
// them: the kind, the number and what is said of it, a sentence of its own.
var numbered = regexp.MustCompile(`^(OLE object|embedded object|object|entry|attachment|part|inlined document) (\d+): (.+)$`)

// summarize makes the sentences of a Review into a reason a person reads
// through: each said once (both property streams of an Office file
// damaged alike), and what is said alike of three or more numbered things
// of one kind said once, of the first with how many others ("OLE object 4
// and 58 others alike: unknown format: ..." instead of 59 sentences).
func summarize(review []string) []string {
	type key struct{ kind, said string }
	var said []string
	alike := map[key][]string{} // the numbers of each kind said alike
	for _, r := range review {
		if slices.Contains(said, r) {
			continue
		}
		said = append(said, r)
		if m := numbered.FindStringSubmatch(r); m != nil {
			k := key{m[1], m[3]}
			alike[k] = append(alike[k], m[2])
		}
	}
	out := said[:0:0]
	for _, r := range said {
		m := numbered.FindStringSubmatch(r)
		if m == nil || len(alike[key{m[1], m[3]}]) < 3 {
			out = append(out, r)
			continue
		}
		if n := alike[key{m[1], m[3]}]; n[0] == m[2] {
			out = append(out, fmt.Sprintf("%s and %d others alike: %s", m[1]+" "+m[2], len(n)-1, m[3]))
		}
	}
	return out
}

// ocrReason is the reason of a file read completely, n of whose pictures
// were read by OCR: a person may want to know that its text came from OCR.
func ocrReason(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return "text was read by OCR from 1 picture"
	}
	return fmt.Sprintf("text was read by OCR from %d pictures", n)
}

// ReadingKey names what in opt changes what a file gives, for
// Options.Reading: "" when pictures are not read, else the OCR languages
// and the time a picture may take (more time reads pictures that timed
// out).
func ReadingKey(opt extract.Options) string {
	if !opt.OCR.Enabled() {
		return ""
	}
	return "ocr=" + strings.Join(opt.OCR.Langs, "+") + "," + opt.OCR.PictureTimeout().String()
}

// Check matches an extracted document (not the file's name) and gives the
// file its verdict; err is the extraction error, if any.
func (s *Scanner) Check(path string, doc *extract.Document, err error) Result {
	c := newCheck(s.m, s.opt.ShowPII)
	if err == nil && doc != nil {
		for _, seg := range doc.Segments {
			if c.add(seg, false) != nil {
				break
			}
		}
	}
	return c.result(path, doc, err)
}
