package formats_test

import (
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats"
)

// Every format extract reads has its extractor registered once this
// package is imported.
func TestNoneMissing(t *testing.T) {
	if m := extract.Missing(); len(m) > 0 {
		t.Errorf("formats without an extractor: %q; import their packages in formats.go", m)
	}
}
