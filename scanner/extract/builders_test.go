package extract

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// The builders of zips, Office packages and OFD files, shared with the
// tests of the readers outside extract (extract/ooxml, extract/ofd,
// extract/pdf).
type (
	zipEntry = ziptest.Entry
	rawEntry = ziptest.RawEntry
)

const (
	wNS    = ziptest.WNS
	relsNS = ziptest.RelsNS
	ssNS   = ziptest.SSNS
	pNS    = ziptest.PNS
	ofdNS  = ziptest.OFDNS
)

var (
	buildZip     = ziptest.Zip
	storedZip    = ziptest.StoredZip
	buildRawZip  = ziptest.RawZip
	deflate      = ziptest.Deflate
	garbage      = ziptest.Garbage
	lying        = ziptest.Lying
	honest       = ziptest.Honest
	asFolder     = ziptest.AsFolder
	wDoc         = ziptest.WDoc
	wPart        = ziptest.WPart
	para         = ziptest.Para
	run          = ziptest.Run
	rels         = ziptest.Rels
	rel          = ziptest.Rel
	docxZip      = ziptest.DOCX
	docxEntries  = ziptest.DOCXEntries
	glossaryPart = ziptest.GlossaryPart
	rawDOCX      = ziptest.RawDOCX
	core         = ziptest.Core
	xlsxZip      = ziptest.XLSX
	pSlide       = ziptest.PSlide
	ofdGlyphs    = ziptest.OFDGlyphs
	ofdPage      = ziptest.OFDPage
	buildOFD     = ziptest.OFD
	gb18030      = ziptest.GB18030
	nestedZips   = ziptest.Nested
)

// registered is the extractor of format f, which lives in a package of its
// own: formats_test.go registers it when the tests start.
func registered(f Format) extractor { return extractor(extractors[f]) }

// extractWith reads data with extractor x and the default options.
func extractWith(t testing.TB, x extractor, data []byte) (*Document, error) {
	t.Helper()
	return x(context.Background(), bytes.NewReader(data), int64(len(data)), DefaultOptions())
}

// extractBytes reads a DOCX with the given options.
func extractBytes(t testing.TB, data []byte, opt Options) (*Document, error) {
	return registered(FormatDOCX)(context.Background(), bytes.NewReader(data), int64(len(data)), opt.WithDefaults())
}

// showPages lists segments one a line, with their part, page and inner
// document, for failure messages.
func showPages(segs []Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(string(s.Part) + "@" + string(rune('0'+s.Page)) + "[" + s.Inner + "]:" + strings.ReplaceAll(s.Text, "\n", `\n`) + "\n")
	}
	return b.String()
}

// corpusDir returns ../shared/corpus/sub, relative to the repository root.
func corpusDir(t *testing.T, sub string) string {
	dir := filepath.Join("..", "..", "..", "shared", "corpus", sub)
	if _, err := os.Stat(dir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	return dir
}
