// Command gendict writes the segmentation lexicon that wordcheck.go embeds:
// gse's simplified Chinese dictionary, loaded by gse itself (so its filters,
// lower-casing and first-entry-wins rule apply exactly), then written as
// sorted "word<TAB>frequency" lines after a header line "total<TAB>T",
// where T is gse's total frequency. Sorted, the lexicon answers "which words
// occur in this window" by binary search, without loading anything.
//
//	go run ./internal/gendict -o dict/zh_s.lex.zst
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/go-ego/gse"
	"github.com/klauspost/compress/zstd"
)

func main() {
	out := flag.String("o", "dict/zh_s.lex.zst", "output file")
	flag.Parse()
	if err := run(*out); err != nil {
		fmt.Fprintln(os.Stderr, "gendict:", err)
		os.Exit(1)
	}
}

func run(out string) error {
	dir, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/go-ego/gse").Output()
	if err != nil {
		return fmt.Errorf("finding gse's module: %w", err)
	}
	src, err := os.ReadFile(filepath.Join(strings.TrimSpace(string(dir)), "data", "dict", "zh", "s_1.txt"))
	if err != nil {
		return err
	}
	seg := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	seg.Dict = gse.NewDict()
	seg.Init()
	if err := seg.LoadDictStr(string(src)); err != nil {
		return err
	}
	type entry struct {
		word string
		freq float64
	}
	entries := make([]entry, 0, seg.Dict.NumTokens())
	for i := range seg.Dict.Tokens {
		t := &seg.Dict.Tokens[i]
		if strings.ContainsAny(t.Text(), "\t\n") {
			return fmt.Errorf("word %q has a tab or newline", t.Text())
		}
		entries = append(entries, entry{t.Text(), t.Freq()})
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].word < entries[j].word })
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "total\t%s\n", strconv.FormatFloat(seg.Dict.TotalFreq(), 'g', -1, 64))
	for _, e := range entries {
		fmt.Fprintf(&b, "%s\t%s\n", e.word, strconv.FormatFloat(e.freq, 'g', -1, 64))
	}
	// zstd, as one frame that records its size: the lexicon is unpacked at
	// every first word check, into a buffer made once, where gzip's
	// inflate took 60 ms of a 115 ms scan.
	zw, err := zstd.NewWriter(nil, zstd.WithEncoderLevel(zstd.SpeedBestCompression))
	if err != nil {
		return err
	}
	if _, err := f.Write(zw.EncodeAll([]byte(b.String()), nil)); err != nil {
		return err
	}
	return f.Close()
}
