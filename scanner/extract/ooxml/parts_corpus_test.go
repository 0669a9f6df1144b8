package ooxml

import (
	"archive/zip"
	"context"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/picture"
)

// The Office files of the corpus (docx-zh, edge) are read and the parts
// otherParts read are counted by kind (the part's name without digits): the
// figures behind the noText lists. A part read as metadata that is not
// custom XML or Word's settings (document variables) is an unknown: those
// of the corpus are real ones (a second core properties part, a stray copy
// of a document), and a new one is either that too or noise that noText
// should learn.
func TestCorpusOtherParts(t *testing.T) {
	known := map[string]bool{"word/settings.xml": true, "docprops/coreN.xml": true, "zip-test-additional-file": true}
	var files []string
	for _, g := range []string{"docx-zh/*.docx", "edge/*.docx", "edge/*.docm"} {
		m, _ := filepath.Glob(filepath.Join(corpusDir(t, ""), g))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no Office files in corpus")
	}
	digits := regexp.MustCompile(`[0-9]+`)
	count := map[string]int{}
	read := 0
	for _, path := range files {
		data, err := extract.File(context.Background(), path, extract.Options{})
		if err != nil {
			continue
		}
		read++
		pictures := pictureNames(path)
		for _, s := range data.Segments {
			if s.Inner == "" || embeddedPart(s.Inner) || s.Inner == docxGlossary || s.Part == extract.PartPicture {
				continue
			}
			if pictures[s.Inner] { // a picture's own metadata (XMP, EXIF …), not a part read as XML
				count[string(s.Part)+" picture"]++
				continue
			}
			kind := digits.ReplaceAllString(strings.ToLower(s.Inner), "N")
			count[string(s.Part)+" "+kind]++
			if s.Part == extract.PartMetadata && !customXMLItem(s.Inner) && !known[kind] {
				t.Errorf("%s: %s, an unknown part, holds %d bytes of text", filepath.Base(path), s.Inner, len(s.Text))
			}
		}
	}
	keys := make([]string, 0, len(count))
	for k := range count {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	t.Logf("%d files, %d read", len(files), read)
	for _, k := range keys {
		t.Logf("%4d %s", count[k], k)
	}
	if n := count["body word/charts/chartN.xml"]; n < 17 {
		t.Errorf("%d charts read, want 17 or more", n)
	}
}

// pictureNames returns the names of the parts of the package at path
// whose bytes are a picture.
func pictureNames(path string) map[string]bool {
	z, err := zip.OpenReader(path)
	if err != nil {
		return nil
	}
	defer z.Close()
	names := map[string]bool{}
	for _, f := range z.File {
		rc, err := f.Open()
		if err != nil {
			continue
		}
		head := make([]byte, 64)
		n, _ := io.ReadFull(rc, head)
		rc.Close()
		if picture.Format(head[:n]) != "" {
			names[f.Name] = true
		}
	}
	return names
}
