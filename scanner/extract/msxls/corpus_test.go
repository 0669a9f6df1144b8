package msxls_test

import (
	"testing"

	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/legacytest"
)

// Every corpus workbook against LibreOffice: baomi opens every file
// LibreOffice opens, and reads the Chinese text of those that have some
// to within 2% of LibreOffice's count.
func TestCorpus(t *testing.T) {
	res := legacytest.Run(t, "xls")
	f := legacytest.Measure(t, res)
	if f.BothOpened < 402 {
		t.Errorf("baomi opens %d of the %d workbooks LibreOffice opens", f.BothOpened, f.RefOpened)
	}
	if f.Within < 8 {
		t.Errorf("%d of %d workbooks with Chinese text within 2%% of LibreOffice, want 95%%", f.Within, f.Chinese)
	}
}
