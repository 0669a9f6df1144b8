package extract_test

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
)

// TestPropertiesCorpus reads the property sets of real files from Apache
// POI's bug tracker, each with a quirk POI reads past (the bug's number
// in the name): their properties must all be read, and nothing said
// about them in the review.
func TestPropertiesCorpus(t *testing.T) {
	for _, c := range []struct {
		file   string
		meta   string   // how the metadata segment starts
		lines  int      // its lines, one per property
		review []string // the whole review, none about the properties
	}{
		// Property 0 is a string, not a dictionary.
		{"hpsf__TestBug44375.xls", "lpoublan\nIBM Direct Order Template\nsheet1\nsheet2", 4, nil},
		// The second section's offset is 3 bytes short.
		{"hpsf__TestBug52372.doc", "xxxx xx xxxxxxxxx xxx\nAdmin\nHewlett-Packard\n_TemplateID: TC101927549990", 4,
			[]string{"1 picture in the document may carry text (not read)"}},
		// The sections' sizes understate them.
		{"spreadsheet__42726.xls", "David Herring", 1, nil},
		// The user-defined section's size overstates it.
		{"spreadsheet__bug55505.xls", "Transaction Totals by Location\nCrystal Decisions\nPowered by Crystal\nBusiness Objects Context Information: 01063A881F60", 12, nil},
		{"spreadsheet__bug66319.xls", "Crystal Decisions\nPowered by Crystal\nBusiness Objects Context Information: 01734361CD07", 9, nil},
		{"spreadsheet__NoGutsRecords.xls", "Crystal Decisions\nPowered by Crystal\nBusiness Objects Context Information: 01AD9DCB40AA", 10,
			[]string{"1 picture in the document may carry text (not read)"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			path := filepath.Join(legacyCorpus, "legacy", c.file)
			if _, err := os.Stat(path); err != nil {
				t.Skipf("corpus not available: %v", err)
			}
			doc, err := extract.File(context.Background(), path, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			meta := doctest.Parts(doc, "\n")[string(extract.PartMetadata)]
			if !strings.HasPrefix(meta, c.meta) || strings.Count(meta, "\n")+1 != c.lines || !slices.Equal(doc.Review, c.review) {
				t.Errorf("metadata %q, review %q; want %q… in %d lines, %q", meta, doc.Review, c.meta, c.lines, c.review)
			}
		})
	}
}
