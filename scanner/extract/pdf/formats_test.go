package pdf_test

// The tests of this package read PDFs that carry documents of other formats
// (attachments): importing formats here registers every extractor for all
// the tests of this folder.
import _ "github.com/baomi/baomi/scanner/extract/formats"
