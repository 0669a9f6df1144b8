package ooxml

import (
	"context"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
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
		for _, s := range data.Segments {
			if s.Inner == "" || embeddedPart(s.Inner) || s.Inner == docxGlossary || s.Part == extract.PartPicture {
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
