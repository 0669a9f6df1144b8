package extract_test

// The tests of this package read files of every format through Reader:
// importing formats here registers the extractors that live in packages
// of their own (which import extract, so the package's own test files
// cannot import them), for all the tests of this folder.
import _ "github.com/baomi/baomi/scanner/extract/formats"
