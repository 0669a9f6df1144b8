package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"strings"
	"testing"
	"testing/quick"

	"github.com/baomi/baomi/internal/pdftest"
)

// reasonsOf returns the Reason of err, or the Review notes of doc.
func reasonsOf(doc *Document, err error) []string {
	if err != nil {
		return []string{err.Error()}
	}
	return doc.Review
}

// leakFiles build files that plant s where a Reason used to quote it, each
// with the reasons it must now give.
var leakFiles = []struct {
	name string
	file func(t testing.TB, s string) []byte
	want []string
}{
	{
		name: "DOCX element name in a mismatched end tag",
		file: func(t testing.TB, s string) []byte {
			return docxZip(t, para(run("x"))+"</"+s+">", rels())
		},
		want: []string{"malformed XML in part 3 at line 1"},
	},
	{
		name: "DOCX entity name",
		file: func(t testing.TB, s string) []byte {
			return docxZip(t, para(run("&"+s+";")), rels())
		},
		want: []string{"malformed XML in part 3 at line 1"},
	},
	{
		name: "DOCX embedded object's entry name",
		file: func(t testing.TB, s string) []byte {
			return docxZip(t, para(run("x")), rels(), zipEntry{"word/embeddings/" + s + ".docx", "PK\x03\x04 truncated"})
		},
		want: []string{"entry 5: damaged zip container: not a valid zip file"},
	},
	{
		name: "XLSX attribute value (the declared charset)",
		file: func(t testing.TB, s string) []byte {
			return xlsxZip(t, [][3]string{{"Sheet1", "", `<sheetData/>`}},
				zipEntry{"xl/sharedStrings.xml", `<?xml version="1.0" encoding="` + s + `"?><sst ` + ssNS + `/>`})
		},
		want: []string{"malformed XML in part 5 at line 1"},
	},
	{
		name: "PPTX element name",
		file: func(t testing.TB, s string) []byte {
			return buildZip(t,
				zipEntry{"ppt/presentation.xml", `<p:presentation ` + pNS + `><p:sldIdLst><p:sldId id="256" r:id="rId2"/></p:sldIdLst></p:presentation>`},
				zipEntry{"ppt/_rels/presentation.xml.rels", rels(rel("rId2", "slide", "slides/slide1.xml"))},
				zipEntry{"ppt/slides/slide1.xml", strings.Replace(pSlide("sld", "", "x"), "</p:spTree>", "</"+s+">", 1)})
		},
		want: []string{"malformed XML in part 3 at line 1"},
	},
	{
		name: "OFD page and attachment locations",
		file: func(t testing.TB, s string) []byte {
			return buildZip(t,
				zipEntry{"OFD.xml", `<ofd:OFD ` + ofdNS + `><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot></ofd:DocBody></ofd:OFD>`},
				zipEntry{"Doc_0/Document.xml", `<ofd:Document ` + ofdNS + `><ofd:Pages><ofd:Page ID="1" BaseLoc="` + s + `.xml"/></ofd:Pages>` +
					`<ofd:Attachments>Attachs.xml</ofd:Attachments></ofd:Document>`},
				zipEntry{"Doc_0/Attachs.xml", `<ofd:Attachments ` + ofdNS + `><ofd:Attachment ID="9" Name="a"><ofd:FileLoc>` + s + `.pdf</ofd:FileLoc></ofd:Attachment></ofd:Attachments>`})
		},
		want: []string{"page 1: its content is missing", "an attachment it lists is missing"},
	},
	{
		name: "ZIP entry names: damaged, encrypted, nested",
		file: func(t testing.TB, s string) []byte {
			var b bytes.Buffer
			w := zip.NewWriter(&b)
			for _, e := range []struct {
				h    zip.FileHeader
				body string
			}{
				{zip.FileHeader{Name: s + ".docx"}, "PK\x03\x04 truncated"},
				{zip.FileHeader{Name: s + ".txt", Flags: 1}, "ciphertext"},
				{zip.FileHeader{Name: s + ".zip"}, string(buildZip(t, zipEntry{s + "/" + s + ".xlsx", "PK\x03\x04 truncated"}))},
			} {
				f, err := w.CreateHeader(&e.h)
				if err != nil {
					t.Fatal(err)
				}
				f.Write([]byte(e.body))
			}
			w.Close()
			return b.Bytes()
		},
		want: []string{
			"entry 1: damaged zip container: not a valid zip file",
			"entry 2: encrypted entry, cannot be read without the archive's password",
			"entry 3: entry 1: damaged zip container: not a valid zip file",
		},
	},
	{
		name: "ZIP duplicate entry name", // both copies are read: nothing to say
		file: func(t testing.TB, s string) []byte {
			return buildZip(t, zipEntry{s, "a"}, zipEntry{s, "b"})
		},
	},
	{
		name: "PDF attachment name",
		file: func(t testing.TB, s string) []byte {
			return pdftest.BuildParts(pdftest.Parts{RawFiles: "(a) << /UF " + pdftest.UTF16Hex(s) + " /EF << /F 999 0 R >> >>"})
		},
		want: []string{"attachment 1: its data is missing"},
	},
}

// Reasons and Review notes name what failed in our own words: an element,
// entity, attribute value or entry name planted in the file is not quoted,
// be it Chinese, ASCII or a terminal escape (C1 CSI).
func TestReasonsQuoteNothing(t *testing.T) {
	for _, c := range leakFiles {
		for _, planted := range []string{"内部资料注意保存", "Sekret", "\u009b31m"} {
			t.Run(c.name+"/"+planted, func(t *testing.T) {
				data := c.file(t, planted)
				doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
				got := reasonsOf(doc, err)
				if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
					t.Errorf("reasons = %q, want %q", got, c.want)
				}
				checkReasons(t, doc, err)
			})
		}
	}
}

// Whatever name is planted (ASCII, control bytes, invalid UTF-8, Han),
// no reason quotes it and every reason is printable ASCII.
func TestReasonsQuoteNothingProperty(t *testing.T) {
	for _, c := range leakFiles {
		t.Run(c.name, func(t *testing.T) {
			prop := func(s string) bool {
				s = "Qz" + s // never empty, never a word of our sentences
				data := c.file(t, s)
				doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
				for _, r := range reasonsOf(doc, err) {
					if reasonLeak(r) != "" || strings.Contains(r, s) {
						t.Logf("name %q: reason %q", s, r)
						return false
					}
				}
				return true
			}
			if err := quick.Check(prop, &quick.Config{MaxCount: 50}); err != nil {
				t.Error(err)
			}
		})
	}
}
