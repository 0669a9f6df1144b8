package odf_test

import (
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/fuzzcheck"
)

// FuzzODF reads arbitrary bytes as the content of an OpenDocument
// package and as a flat document: no panic, no hang, and the contract of
// every extractor kept.
func FuzzODF(f *testing.F) {
	for _, s := range []string{
		`<office:body><office:text><text:p>机密<text:span text:style-name="T1">x</text:span><text:hidden-paragraph/></text:p></office:text></office:body>`,
		`<office:body><office:spreadsheet><table:table table:name="s"><table:table-row><table:table-cell><text:p>a</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>`,
		`<office:body><office:presentation><draw:page><presentation:notes><text:p>n</text:p></presentation:notes></draw:page></office:presentation></office:body>`,
		`<office:body><office:text><draw:object-ole><office:binary-data>0M8R4KGxGuE=</office:binary-data></draw:object-ole></office:text></office:body>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzcheck.Read(t, pkg(t, "text", "content.xml", content(string(data)), "Object 1/content.xml", content(string(data))))
		flat := `<office:document ` + ns + ` office:mimetype="application/vnd.oasis.opendocument.text">` + string(data) + `</office:document>`
		fuzzcheck.Read(t, []byte(flat))
	})
}
