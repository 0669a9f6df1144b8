// Package ooxmltest builds zip files and small Word (DOCX) packages by hand
// for the tests of extract and its readers.
package ooxmltest

import (
	"archive/zip"
	"bytes"
	"slices"
	"strings"
	"testing"
)

// Entry is one file of a zip built by a test: its name and its body. It is
// an array, not a struct, so that tests in other packages write it
// {name, body} as they always have (go vet wants field names in a literal
// of another package's struct).
type Entry [2]string

// Name is the entry's name in the zip.
func (e Entry) Name() string { return e[0] }

// Body is the entry's content.
func (e Entry) Body() string { return e[1] }

// Zip writes entries, in order, to a zip (deflated, except "mimetype").
func Zip(t testing.TB, entries ...Entry) []byte {
	t.Helper()
	return StoredZip(t, []string{"mimetype"}, entries...)
}

// StoredZip writes entries, in order, to a zip: those named in store are
// stored as they are, the others deflated.
func StoredZip(t testing.TB, store []string, entries ...Entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name(), Method: zip.Deflate}
		if slices.Contains(store, e.Name()) {
			h.Method = zip.Store
		}
		f, err := w.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write([]byte(e.Body())); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// WNS declares the namespaces of a WordprocessingML part.
const WNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml"`

// WDoc is a document.xml whose body is body.
func WDoc(body string) string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document ` + WNS + `><w:body>` + body + `</w:body></w:document>`
}

// Para is a paragraph of the given runs.
func Para(runs ...string) string { return "<w:p>" + strings.Join(runs, "") + "</w:p>" }

// Run is a run of text.
func Run(text string) string { return `<w:r><w:t xml:space="preserve">` + text + `</w:t></w:r>` }

// RelsNS is the namespace of relationship types.
const RelsNS = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`

// Rels is a relationships part holding rs.
func Rels(rs ...string) string {
	return `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + strings.Join(rs, "") + `</Relationships>`
}

// Rel is one relationship, of a type named by its last path element.
func Rel(id, typ, target string) string {
	return `<Relationship Id="` + id + `" Type="` + RelsNS + `/` + typ + `" Target="` + target + `"/>`
}

// DOCX builds a package: content types, document.xml, its rels (unless
// docRels is "-") and the extra entries.
func DOCX(t testing.TB, body, docRels string, extra ...Entry) []byte {
	return Zip(t, DOCXEntries(body, docRels, extra...)...)
}

// DOCXEntries are the entries of the package DOCX builds.
func DOCXEntries(body, docRels string, extra ...Entry) []Entry {
	entries := []Entry{
		{"[Content_Types].xml", `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		{"_rels/.rels", Rels(Rel("rId1", "officeDocument", "word/document.xml"))},
		{"word/document.xml", WDoc(body)},
	}
	if docRels != "-" {
		entries = append(entries, Entry{"word/_rels/document.xml.rels", docRels})
	}
	return append(entries, extra...)
}
