package archive

import (
	"archive/zip"
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// The builders of zips and Office packages, shared with extract's tests.
type (
	zipEntry = ziptest.Entry
	rawEntry = ziptest.RawEntry
)

var (
	buildZip    = ziptest.Zip
	buildRawZip = ziptest.RawZip
	garbage     = ziptest.Garbage
	lying       = ziptest.Lying
	honest      = ziptest.Honest
	asFolder    = ziptest.AsFolder
	para        = ziptest.Para
	run         = ziptest.Run
	rels        = ziptest.Rels
	docxZip     = ziptest.DOCX
	gb18030     = ziptest.GB18030
	nestedZips  = ziptest.Nested
	showPages   = doctest.ShowPages
)

func readerBytes(data []byte, opt extract.Options) (*extract.Document, error) {
	return extract.Reader(context.Background(), bytes.NewReader(data), int64(len(data)), opt)
}

// flacBytes is the smallest FLAC file the sniffer takes for one: its
// signature and an empty stream-info block. Audio carries no document text.
func flacBytes() []byte { return append([]byte("fLaC\x00\x00\x00\x22"), make([]byte, 34)...) }

func TestExtractZIP(t *testing.T) {
	marked := docxZip(t, para(run("机"), run("密★5年")), rels())
	gbkName := gb18030(t, "机密/通知.txt")
	var named bytes.Buffer
	w := zip.NewWriter(&named)
	for _, e := range []struct {
		h    zip.FileHeader
		body string
	}{
		{zip.FileHeader{Name: "docs/"}, ""},
		{zip.FileHeader{Name: "empty.txt"}, ""},
		{zip.FileHeader{Name: gbkName, NonUTF8: true}, "内部资料"},
		{zip.FileHeader{Name: "song.flac"}, string(flacBytes())},
		{zip.FileHeader{Name: "old.doc"}, string(cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}))},
		{zip.FileHeader{Name: "bad.zip"}, "PK\x03\x04 truncated"},
		{zip.FileHeader{Name: "locked.txt", Flags: 1}, "ciphertext"},
		{zip.FileHeader{Name: "b/c.docx"}, string(marked)},
	} {
		f, err := w.CreateHeader(&e.h)
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(e.body))
	}
	w.Close()

	t.Run("nested", func(t *testing.T) {
		a := buildZip(t, zipEntry{"b.zip", string(buildZip(t, zipEntry{"c.docx", string(marked)}))})
		doc, err := readerBytes(a, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := []extract.Segment{
			{Part: extract.PartFileName, Inner: "b.zip", Text: "b.zip"},
			{Part: extract.PartFileName, Inner: "b.zip!c.docx", Text: "c.docx"},
			{Part: extract.PartBody, Inner: "b.zip!c.docx", Text: "机密★5年"},
		}
		if doc.Format != extract.FormatZIP || !slices.Equal(doc.Segments, want) || len(doc.Review) != 0 {
			t.Errorf("%s %s review %q", doc.Format, showPages(doc.Segments), doc.Review)
		}
	})
	t.Run("mixed entries", func(t *testing.T) {
		doc, err := readerBytes(named.Bytes(), extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Every entry's name is text, read or not (the name is matched
		// like the file's own: 机密★5年_通知.docx).
		name := func(n string) extract.Segment { return extract.Segment{Part: extract.PartFileName, Inner: n, Text: n} }
		want := []extract.Segment{
			name("docs/"), name("empty.txt"),
			name("机密/通知.txt"), {Part: extract.PartBody, Inner: "机密/通知.txt", Text: "内部资料"},
			name("song.flac"), name("old.doc"), name("bad.zip"), name("locked.txt"),
			name("b/c.docx"), {Part: extract.PartBody, Inner: "b/c.docx", Text: "机密★5年"},
		}
		if !slices.Equal(doc.Segments, want) {
			t.Errorf("segments:\n%s\nwant:\n%s", showPages(doc.Segments), showPages(want))
		}
		review := strings.Join(doc.Review, "\n")
		for _, w := range []string{
			"entry 5: damaged Word document: the file information block is cut short",
			"entry 6: damaged zip container: not a valid zip file",
			"entry 7: encrypted entry",
		} {
			if !strings.Contains(review, w) {
				t.Errorf("review %q lacks %q", doc.Review, w)
			}
		}
		if len(doc.Review) != 3 {
			t.Errorf("review = %q, want 3 notes (the audio is skipped)", doc.Review)
		}
	})
}

// withoutNames leaves out the entry names (part filename) of segs.
func withoutNames(segs []extract.Segment) []extract.Segment {
	var out []extract.Segment
	for _, s := range segs {
		if s.Part != extract.PartFileName {
			out = append(out, s)
		}
	}
	return out
}

// The limits hold for the whole file, across nesting.
func TestExtractZIPLimits(t *testing.T) {
	text := zipEntry{"t.txt", "机密"}
	bomb := buildRawZip(t, rawEntry{Name: "big.txt", Data: garbage, Method: zip.Deflate, Uncompressed: 8 << 30})
	twice := buildZip(t, zipEntry{"a.txt", strings.Repeat("甲", 400)}, zipEntry{"b.txt", strings.Repeat("乙", 400)})
	cases := []struct {
		name   string
		data   []byte
		opt    extract.Options
		reason string // "" when the file reads
	}{
		{"five deep", nestedZips(t, 4, text), extract.Options{}, ""},
		{"six deep", nestedZips(t, 5, text), extract.Options{}, "containers nested more than 5 deep (max nesting)"},
		{"bomb by declared size", bomb, extract.Options{}, "possible decompression bomb"},
		{"bomb inside", buildZip(t, zipEntry{"in.zip", string(bomb)}), extract.Options{}, "entry 1: zip entry 1: declared inflated size"},
		{"inflated in total", buildZip(t, zipEntry{"1.zip", string(twice)}, zipEntry{"2.zip", string(twice)}), extract.Options{MaxInflated: 4000}, "entry 2: zip entry 1: declared inflated size"},
		{"entries in total", buildZip(t, zipEntry{"1.zip", string(twice)}, zipEntry{"2.zip", string(twice)}), extract.Options{MaxEntries: 5}, "max entries"},
		{"text in total", twice, extract.Options{MaxText: 1500}, "max text"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readerBytes(c.data, c.opt)
			if c.reason == "" {
				segs := withoutNames(doc.Segments)
				if err != nil || len(segs) != 1 || segs[0].Inner != "z1.zip!z2.zip!z3.zip!z4.zip!t.txt" {
					t.Errorf("err %v, segments %v", err, doc)
				}
				return
			}
			if extract.KindOf(err) != extract.KindLimit || !strings.Contains(err.Error(), c.reason) {
				t.Errorf("err = %v (%s), want a limit error containing %q", err, extract.KindOf(err), c.reason)
			}
		})
	}
}

// Entries are read whatever sizes they declare, named like a folder or
// sharing their name: unzip extracts them all.
func TestExtractZIPLyingEntries(t *testing.T) {
	const mark = "机密★5年"
	txt := zipEntry{"a.txt", mark}
	docx := zipEntry{"b/c.docx", string(docxZip(t, para(run(mark)), rels()))}
	want := []extract.Segment{{Part: extract.PartBody, Inner: "a.txt", Text: mark}, {Part: extract.PartBody, Inner: "b/c.docx", Text: mark}}
	cases := []struct {
		name string
		data []byte
		want []extract.Segment
	}{
		{"declared 0", buildRawZip(t, lying(t, txt, zip.Deflate, 0), lying(t, docx, zip.Deflate, 0)), want},
		{"stored, declared 0", buildRawZip(t, lying(t, txt, zip.Store, 0), lying(t, docx, zip.Store, 0)), want},
		{"declared smaller", buildRawZip(t, lying(t, txt, zip.Deflate, 3), lying(t, docx, zip.Deflate, 100)), want},
		{"declared larger", buildRawZip(t, lying(t, txt, zip.Deflate, 1000), lying(t, docx, zip.Deflate, 100000)), want},
		{"named like a folder", asFolder(t, buildRawZip(t, honest(t, zipEntry{"dir/a.txt", mark})), "dir/a.txt", "dir/a.tx/"),
			[]extract.Segment{{Part: extract.PartBody, Inner: "dir/a.tx/", Text: mark}}},
		{"folder named, declared 0", asFolder(t, buildRawZip(t, lying(t, zipEntry{"dir/a.txt", mark}, zip.Deflate, 0)), "dir/a.txt", "dir/a.tx/"),
			[]extract.Segment{{Part: extract.PartBody, Inner: "dir/a.tx/", Text: mark}}},
		{"one name twice", buildZip(t, zipEntry{"a.txt", "公开"}, zipEntry{"a.txt", mark}),
			[]extract.Segment{{Part: extract.PartBody, Inner: "a.txt", Text: "公开"}, {Part: extract.PartBody, Inner: "a.txt", Text: mark}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readerBytes(c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if segs := withoutNames(doc.Segments); !slices.Equal(segs, c.want) || len(doc.Review) != 0 {
				t.Errorf("segments:\n%s\nreview %q\nwant:\n%s", showPages(segs), doc.Review, showPages(c.want))
			}
		})
	}
	t.Run("bomb declaring 0 bytes", func(t *testing.T) {
		bomb := buildRawZip(t, lying(t, zipEntry{"big.txt", strings.Repeat("机", 3<<20)}, zip.Deflate, 0))
		_, err := readerBytes(bomb, extract.Options{MaxInflated: 4 << 20})
		if extract.KindOf(err) != extract.KindLimit || !strings.Contains(err.Error(), "possible decompression bomb") {
			t.Errorf("err = %v (%s), want a limit error", err, extract.KindOf(err))
		}
	})
}
