package rtf_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/fuzzcheck"
)

// FuzzRTF reads arbitrary bytes behind an RTF signature: no panic, no
// hang, and the contract of every extractor kept.
func FuzzRTF(f *testing.F) {
	for _, s := range []string{`{\rtf1\ansi\ansicpg936 \'bb\'fa\'c3\'dc\par}`, `{\rtf1\uc2\u26426\'bb\'fa{\header H}{\footnote F}}`,
		`{\rtf1{\*\annotation A}{\v H}{\deleted D}{\field{\*\fldinst X}{\fldrslt Y}}}`, `{\rtf1{\info{\title T}}{\*\blob\bin3 {{{}}`,
		`{\rtf1{\object{\*\objdata 0105000002000000080000005061636b61676500}}}`, `{\rtf1{\pict\picwgoal9000\pichgoal9000 00}}`,
		`{\rtf1{\shp{\*\shpinst{\shptxt T}}}{\upr{A}{\*\ud{B}}}}`} {
		f.Add([]byte(s))
	}
	files, _ := filepath.Glob("../../../../shared/corpus/legacy-zh/*.rtf")
	for _, name := range files[:min(len(files), 4)] {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if !strings.HasPrefix(string(data), `{\rtf`) {
			data = append([]byte(`{\rtf1`), data...)
		}
		fuzzcheck.Read(t, data)
	})
}
