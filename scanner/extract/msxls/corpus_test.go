package msxls_test

import (
	"testing"

	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/legacytest"
)

// Every corpus workbook against LibreOffice, each read with a timeout (no
// crash, no hang). The targets are every file LibreOffice opens
// and 95% of those with Chinese text within 2% of it; asserted is what
// baomi reaches. Of the 411 workbooks LibreOffice opens, baomi opens 409.
// 8 are fuzzed files whose compound-file structure is damaged (a stream
// longer than the file, a sector outside it, a bad sector size), which
// LibreOffice imports as plain text (its counts are near the files' sizes)
// and cfb.Recover reads past: 6 are read as far as their records go, and
// are review; the workbook stream of one holds no record before zeros, and
// another's says it is encrypted (FILEPASS): errors, as they should be.
// Of the 9 with 30+ Chinese characters, 8 are
// within 2%; the ninth (12843-1.xls) has 7% more, exactly the text boxes
// and footers of its chart sheets, which LibreOffice drops and baomi reads.
func TestCorpus(t *testing.T) {
	f := legacytest.Measure(t, legacytest.Run(t, "xls"))
	if f.BothOpened < 409 {
		t.Errorf("baomi opens %d of the %d workbooks LibreOffice opens, want 409", f.BothOpened, f.RefOpened)
	}
	if f.Within < 8 {
		t.Errorf("%d of %d workbooks with Chinese text within 2%% of LibreOffice, want 8", f.Within, f.Chinese)
	}
}
