package archive_test

// The tests of this package read archives of documents of every format:
// importing formats here registers every extractor for all the tests of
// this folder.
import _ "github.com/baomi/baomi/scanner/extract/formats"
