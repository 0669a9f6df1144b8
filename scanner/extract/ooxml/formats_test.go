package ooxml_test

// The tests of this package read Office files that carry documents of
// other formats (embedded objects): importing formats here registers every
// extractor for all the tests of this folder.
import _ "github.com/baomi/baomi/scanner/extract/formats"
