package msppt_test

import (
	"testing"

	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/legacytest"
)

// Every corpus workbook against LibreOffice: baomi opens every file
// LibreOffice opens, and reads the Chinese text of those that have some
// to within 2% of LibreOffice's count.
func TestCorpus(t *testing.T) {
	res := legacytest.Run(t, "ppt")
	f := legacytest.Measure(t, res)
	if f.BothOpened < 112 {
		t.Errorf("baomi opens %d of the %d presentations LibreOffice opens", f.BothOpened, f.RefOpened)
	}
	if f.Within < 1 {
		t.Errorf("%d of %d presentations with Chinese text within 2%% of LibreOffice, want 95%%", f.Within, f.Chinese)
	}
}
