package extract

import (
	"context"
	"fmt"
	"io"
)

// Extractor reads one format: the document of the given size in r, within
// opt, or an *Error. It names the format it read in the Document it
// returns (a compound-file reader may find a .doc).
type Extractor func(ctx context.Context, r io.ReaderAt, size int64, opt Options) (*Document, error)

// extractors maps each readable format to its extractor.
var extractors = map[Format]Extractor{}

// Register makes x the extractor of format f; a format has one extractor,
// and registering a second is a programming error. Readers register
// themselves in their package's init, as image/png does with the image
// package, so that Reader, which containers call for the documents inside
// them, can dispatch to every format without importing it; package
// formats imports them all.
func Register(f Format, x Extractor) {
	if _, dup := extractors[f]; dup {
		panic(fmt.Sprintf("extract: format %q registered twice", f))
	}
	extractors[f] = x
}

func init() {
	Register(FormatText, extractText)
	// FormatOLE's extractor reads the storage tree to find which legacy
	// format the file is (Sniff cannot tell a .doc from an .xls without
	// it), and hands it to that format's extractor when one is registered.
	Register(FormatOLE, extractOLE)
}
