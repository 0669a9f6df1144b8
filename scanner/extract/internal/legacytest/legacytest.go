// Package legacytest measures the readers of the legacy Office formats
// against LibreOffice on the shared corpus: ORACLE-legacy.tsv gives, per
// file, the Chinese and total characters LibreOffice keeps when it
// converts the file to OOXML ("-" where it cannot open it).
package legacytest

import (
	"bufio"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
)

// Corpus is the shared corpus seen from a package two folders below
// scanner/extract (scanner/extract/msxls).
const Corpus = "../../../../shared/corpus"

// Result is what one file gave.
type Result struct {
	File     string
	Ref      int // Chinese characters LibreOffice keeps; -1 when it cannot open the file
	Han      int // Chinese characters baomi read, in the parts the reference counts
	Err      error
	Verdict  string // clean-or-flagged ("read"), "review" or "error"
	Duration time.Duration
}

// counted are the parts the reference counts: not properties, field
// codes, alt text, nor documents embedded in the file (Inner is set).
var counted = map[extract.Part]bool{
	extract.PartBody: true, extract.PartHeader: true, extract.PartFooter: true,
	extract.PartFootnote: true, extract.PartEndnote: true, extract.PartComment: true,
	extract.PartDeleted: true, extract.PartInserted: true, extract.PartHidden: true,
	extract.PartTextbox: true, extract.PartSheetName: true, extract.PartNotes: true,
}

// Run reads every corpus file of the given kind ("xls", "ppt") listed in
// ORACLE-legacy.tsv, each with a timeout, and returns what each gave; it
// skips t when the corpus is absent. A file that does not return within
// the timeout fails t (a hang).
func Run(t *testing.T, kind string) []Result {
	t.Helper()
	f, err := os.Open(filepath.Join(Corpus, "ORACLE-legacy.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var out []Result
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 4 || c[1] != kind {
			continue
		}
		ref, err := strconv.Atoi(c[2])
		if err != nil {
			ref = -1
		}
		out = append(out, read(t, c[0], ref))
	}
	return out
}

func read(t *testing.T, file string, ref int) Result {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	start := time.Now()
	type answer struct {
		doc *extract.Document
		err error
	}
	done := make(chan answer, 1)
	go func() {
		doc, err := extract.File(ctx, filepath.Join(Corpus, file), extract.Options{})
		done <- answer{doc, err}
	}()
	var a answer
	select {
	case a = <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer after 30 s (a hang)", file)
	}
	r := Result{File: file, Ref: ref, Err: a.err, Duration: time.Since(start), Verdict: "read"}
	switch {
	case a.err != nil:
		r.Verdict = "error"
	case len(a.doc.Review) > 0:
		r.Verdict = "review"
	}
	if a.doc != nil {
		for _, s := range a.doc.Segments {
			if counted[s.Part] && s.Inner == "" {
				for _, c := range s.Text {
					if unicode.Is(unicode.Han, c) {
						r.Han++
					}
				}
			}
		}
	}
	return r
}

// Figures are the measures the issue sets targets for.
type Figures struct {
	Files, Opened, RefOpened, BothOpened int
	Chinese, Within                      int // files with 30+ Chinese characters in the reference; within 2% of it
}

// Measure computes the figures of results and logs the files that miss.
func Measure(t *testing.T, results []Result) Figures {
	t.Helper()
	var f Figures
	for _, r := range results {
		f.Files++
		opened := r.Err == nil
		if opened {
			f.Opened++
		}
		if r.Ref >= 0 {
			f.RefOpened++
			if !opened {
				t.Logf("%s: LibreOffice opens it, baomi: %v", r.File, r.Err)
			}
		}
		if r.Ref >= 0 && opened {
			f.BothOpened++
		}
		if r.Ref >= 30 {
			f.Chinese++
			if d := r.Han - r.Ref; d*50 <= r.Ref && -d*50 <= r.Ref && opened {
				f.Within++
			} else {
				t.Logf("%s: %d Chinese characters, LibreOffice %d", r.File, r.Han, r.Ref)
			}
		}
	}
	t.Logf("%d files: baomi opens %d, LibreOffice %d, both %d; of %d with 30+ Chinese characters, %d within 2%% of LibreOffice",
		f.Files, f.Opened, f.RefOpened, f.BothOpened, f.Chinese, f.Within)
	return f
}

// CheckReasons fails t when the Reason of err or a Review note of doc is
// not a sentence of ours (printable ASCII, not empty), or a segment's text
// is not valid UTF-8: the fuzz targets run it on every outcome.
func CheckReasons(t testing.TB, doc *extract.Document, err error) {
	t.Helper()
	var e *extract.Error
	if errors.As(err, &e) {
		checkSentence(t, e.Reason)
	} else if err != nil {
		t.Fatalf("error %T is not an *extract.Error", err)
	}
	if doc == nil {
		return
	}
	for _, r := range doc.Review {
		checkSentence(t, r)
	}
	for _, s := range doc.Segments {
		if !utf8.ValidString(s.Text) {
			t.Fatalf("segment text is not UTF-8")
		}
	}
}

func checkSentence(t testing.TB, s string) {
	t.Helper()
	if s == "" {
		t.Fatalf("empty reason")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			t.Fatalf("reason %q: byte %#02x at %d is not printable ASCII", s, s[i], i)
		}
	}
}
