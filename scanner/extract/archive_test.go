package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

func readerBytes(data []byte, opt Options) (*Document, error) {
	return Reader(context.Background(), bytes.NewReader(data), int64(len(data)), opt)
}

// zipOf wraps entries in a zip whose names are written as given.
func zipOf(t testing.TB, entries ...zipEntry) []byte { return buildZip(t, entries...) }

// nestedZips puts the entry in zips named z1.zip … zn.zip, innermost last.
func nestedZips(t testing.TB, n int, inner zipEntry) []byte {
	data := zipOf(t, inner)
	for i := n; i >= 1; i-- {
		data = zipOf(t, zipEntry{"z" + string(rune('0'+i)) + ".zip", string(data)})
	}
	return data
}

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
		{zip.FileHeader{Name: "tool.exe"}, string(elfBytes())},
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
		a := zipOf(t, zipEntry{"b.zip", string(zipOf(t, zipEntry{"c.docx", string(marked)}))})
		doc, err := readerBytes(a, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := []Segment{
			{Part: PartFileName, Inner: "b.zip", Text: "b.zip"},
			{Part: PartFileName, Inner: "b.zip!c.docx", Text: "c.docx"},
			{Part: PartBody, Inner: "b.zip!c.docx", Text: "机密★5年"},
		}
		if doc.Format != FormatZIP || !slices.Equal(doc.Segments, want) || len(doc.Review) != 0 {
			t.Errorf("%s %s review %q", doc.Format, showPages(doc.Segments), doc.Review)
		}
	})
	t.Run("mixed entries", func(t *testing.T) {
		doc, err := readerBytes(named.Bytes(), Options{})
		if err != nil {
			t.Fatal(err)
		}
		// Every entry's name is text, read or not (the name is matched
		// like the file's own: 机密★5年_通知.docx).
		name := func(n string) Segment { return Segment{Part: PartFileName, Inner: n, Text: n} }
		want := []Segment{
			name("docs/"), name("empty.txt"),
			name("机密/通知.txt"), {Part: PartBody, Inner: "机密/通知.txt", Text: "内部资料"},
			name("tool.exe"), name("old.doc"), name("bad.zip"), name("locked.txt"),
			name("b/c.docx"), {Part: PartBody, Inner: "b/c.docx", Text: "机密★5年"},
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
			t.Errorf("review = %q, want 3 notes (the program is skipped)", doc.Review)
		}
	})
}

// withoutNames leaves out the entry names (part filename) of segs.
func withoutNames(segs []Segment) []Segment {
	var out []Segment
	for _, s := range segs {
		if s.Part != PartFileName {
			out = append(out, s)
		}
	}
	return out
}

// The limits hold for the whole file, across nesting.
func TestExtractZIPLimits(t *testing.T) {
	text := zipEntry{"t.txt", "机密"}
	bomb := buildRawZip(t, rawEntry{Name: "big.txt", Data: garbage, Method: zip.Deflate, Uncompressed: 8 << 30})
	twice := zipOf(t, zipEntry{"a.txt", strings.Repeat("甲", 400)}, zipEntry{"b.txt", strings.Repeat("乙", 400)})
	cases := []struct {
		name   string
		data   []byte
		opt    Options
		reason string // "" when the file reads
	}{
		{"five deep", nestedZips(t, 4, text), Options{}, ""},
		{"six deep", nestedZips(t, 5, text), Options{}, "containers nested more than 5 deep (max nesting)"},
		{"bomb by declared size", bomb, Options{}, "possible decompression bomb"},
		{"bomb inside", zipOf(t, zipEntry{"in.zip", string(bomb)}), Options{}, "entry 1: zip entry 1: declared inflated size"},
		{"inflated in total", zipOf(t, zipEntry{"1.zip", string(twice)}, zipEntry{"2.zip", string(twice)}), Options{MaxInflated: 4000}, "entry 2: zip entry 1: declared inflated size"},
		{"entries in total", zipOf(t, zipEntry{"1.zip", string(twice)}, zipEntry{"2.zip", string(twice)}), Options{MaxEntries: 5}, "max entries"},
		{"text in total", twice, Options{MaxText: 1500}, "max text"},
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
			if KindOf(err) != KindLimit || !strings.Contains(err.Error(), c.reason) {
				t.Errorf("err = %v (%s), want a limit error containing %q", err, KindOf(err), c.reason)
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
	want := []Segment{{Part: PartBody, Inner: "a.txt", Text: mark}, {Part: PartBody, Inner: "b/c.docx", Text: mark}}
	cases := []struct {
		name string
		data []byte
		want []Segment
	}{
		{"declared 0", buildRawZip(t, lying(t, txt, zip.Deflate, 0), lying(t, docx, zip.Deflate, 0)), want},
		{"stored, declared 0", buildRawZip(t, lying(t, txt, zip.Store, 0), lying(t, docx, zip.Store, 0)), want},
		{"declared smaller", buildRawZip(t, lying(t, txt, zip.Deflate, 3), lying(t, docx, zip.Deflate, 100)), want},
		{"declared larger", buildRawZip(t, lying(t, txt, zip.Deflate, 1000), lying(t, docx, zip.Deflate, 100000)), want},
		{"named like a folder", asFolder(t, buildRawZip(t, honest(t, zipEntry{"dir/a.txt", mark})), "dir/a.txt", "dir/a.tx/"),
			[]Segment{{Part: PartBody, Inner: "dir/a.tx/", Text: mark}}},
		{"folder named, declared 0", asFolder(t, buildRawZip(t, lying(t, zipEntry{"dir/a.txt", mark}, zip.Deflate, 0)), "dir/a.txt", "dir/a.tx/"),
			[]Segment{{Part: PartBody, Inner: "dir/a.tx/", Text: mark}}},
		{"one name twice", buildZip(t, zipEntry{"a.txt", "公开"}, zipEntry{"a.txt", mark}),
			[]Segment{{Part: PartBody, Inner: "a.txt", Text: "公开"}, {Part: PartBody, Inner: "a.txt", Text: mark}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readerBytes(c.data, Options{})
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
		_, err := readerBytes(bomb, Options{MaxInflated: 4 << 20})
		if KindOf(err) != KindLimit || !strings.Contains(err.Error(), "possible decompression bomb") {
			t.Errorf("err = %v (%s), want a limit error", err, KindOf(err))
		}
	})
}
