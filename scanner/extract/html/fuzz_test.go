package html_test

import (
	"context"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/html"
)

// ourReason says a reason is a sentence of ours: printable ASCII, so it
// quotes no Chinese text of the file.
func ourReason(t *testing.T, s string) {
	t.Helper()
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7E {
			t.Fatalf("reason %q is not printable ASCII", s)
		}
	}
}

// FuzzHTML reads any bytes as a page: never a panic or a hang, valid
// UTF-8 text, reasons of ours.
func FuzzHTML(f *testing.F) {
	for _, s := range []string{"", "<html><body>机密", "<p hidden>a<p>b", "<!--", "<script>x", "<noscript><p>机密",
		"<meta charset=gbk>\xBB\xFA\xC3\xDC", "\xFF\xFE<\x00p\x00>\x00", `<img src="data:text/plain;base64,5py65a+G" alt="机密">`,
		`<a href="data:,%E6%9C%BA">`, `<input type=hidden value="机密">`, "<pre>a  b</pre><del>x</del>", "<title>t</title></title>"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		opt := extract.DefaultOptions()
		doc := extract.NewText(extract.FormatHTML, opt)
		err := html.Read(extract.Container(context.Background()), doc, data, "", opt)
		var e *extract.Error
		if err != nil {
			e, _ = err.(*extract.Error)
			if e == nil {
				t.Fatalf("error %v is no *extract.Error", err)
			}
			ourReason(t, e.Reason)
			return
		}
		for _, r := range doc.Review {
			ourReason(t, r)
		}
		for _, s := range doc.Segments {
			if !utf8.ValidString(s.Text) || s.Text == "" {
				t.Fatalf("segment %s: %q", s.Part, s.Text)
			}
		}
	})
}
