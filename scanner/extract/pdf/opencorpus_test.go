package pdf

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// popplerOpens lists the corpus PDFs poppler's pdftotext opens without a
// password, from the notes of MANIFEST.tsv: every PDF except those where
// pdfinfo or pdftotext failed (a wrong password, no xref) or timed out.
func popplerOpens(t *testing.T) []string {
	t.Helper()
	f, err := os.Open(filepath.Join(pdfCorpus, "MANIFEST.tsv"))
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		c := strings.Split(sc.Text(), "\t")
		if len(c) < 5 || !strings.HasSuffix(c[0], ".pdf") {
			continue
		}
		// The notes give poppler's run without a password first; a second
		// run with the password follows "||".
		notes, _, _ := strings.Cut(c[4], "||")
		if strings.Contains(notes, "pdfinfo-fail") || strings.Contains(notes, "pdftotext rc=") || strings.Contains(notes, "TIMEOUT") {
			continue
		}
		out = append(out, c[0])
	}
	return out
}

// popplerMisreads are corpus PDFs poppler "opens" without reading them:
// it treats their encrypted data as plain and finds no text. baomi calls
// them encrypted, which is the truth (DESIGN.md, promise 1: never clean).
var popplerMisreads = map[string]string{
	"edge/pdfjs__bug1782186.pdf":           "needs its user password (Hello); poppler does not support its handler (4/4) and reads ciphertext",
	"edge/pdfjs__issue15893_reduced.pdf":   "needs its user password (test); poppler cannot parse its encryption dictionary and reads ciphertext",
	"edge/pdfjs__PDFBOX-4352-0.pdf":        "its encryption dictionary is fuzzed (<< became E<): poppler reads the AES-256 ciphertext as plain, no text",
	"edge/pdfjs__poppler-742-0-fuzzed.pdf": "its trailer lost /Encrypt to fuzzing but its strings and streams are RC4 ciphertext: poppler reads no text",
}

// TestPDFOpensWhatPopplerOpens: every corpus PDF poppler opens without a
// password is opened by baomi too (clean, flagged or review, never error),
// except popplerMisreads. It logs what baomi does not open of all of them.
func TestPDFOpensWhatPopplerOpens(t *testing.T) {
	poppler := map[string]bool{}
	for _, rel := range popplerOpens(t) {
		poppler[rel] = true
	}
	var all []string
	for rel := range readOracle(t) {
		if strings.HasSuffix(rel, ".pdf") {
			all = append(all, rel)
		}
	}
	sort.Strings(all)
	var failed, closed []string
	for _, rel := range all {
		data, err := os.ReadFile(filepath.Join(pdfCorpus, rel))
		if err != nil {
			t.Fatal(err)
		}
		_, err, done := runPDF(t, data, extract.Options{}, 20*time.Second)
		why := ""
		switch {
		case !done:
			why = "did not finish"
		case err != nil:
			why = fmt.Sprintf("%s: %v", extract.KindOf(err), err)
		default:
			continue
		}
		closed = append(closed, rel+": "+why)
		if poppler[rel] && popplerMisreads[rel] == "" {
			failed = append(failed, rel+": "+why)
		}
	}
	t.Logf("baomi opens %d of %d corpus PDFs; poppler %d (%d of them only as ciphertext, popplerMisreads); not opened:\n%s",
		len(all)-len(closed), len(all), len(poppler), len(popplerMisreads), strings.Join(closed, "\n"))
	if len(failed) > 0 {
		t.Errorf("%d PDFs poppler opens are not opened:\n%s", len(failed), strings.Join(failed, "\n"))
	}
}
