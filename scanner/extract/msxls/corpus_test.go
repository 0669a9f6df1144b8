package msxls_test

import (
	"testing"

	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/legacytest"
)

// Every corpus workbook against LibreOffice, each read with a timeout (no
// crash, no hang). The targets are every file LibreOffice opens
// and 95% of those with Chinese text within 2% of it; asserted is what
// baomi reaches. Of the 411 workbooks LibreOffice opens, baomi opens all:
// 8 of them are fuzzed files whose compound-file structure is damaged (a
// stream longer than the file, a sector outside it, a bad sector size),
// which cfb.Recover reads past, as LibreOffice does, and which are review.
// Of the 9 with 30+ Chinese characters, 8 are
// within 2%; the ninth (12843-1.xls) has 7% more, exactly the text boxes
// and footers of its chart sheets, which LibreOffice drops and baomi reads.
func TestCorpus(t *testing.T) {
	f := legacytest.Measure(t, legacytest.Run(t, "xls"))
	if f.BothOpened < 411 {
		t.Errorf("baomi opens %d of the %d workbooks LibreOffice opens, want 411", f.BothOpened, f.RefOpened)
	}
	if f.Within < 8 {
		t.Errorf("%d of %d workbooks with Chinese text within 2%% of LibreOffice, want 8", f.Within, f.Chinese)
	}
}
