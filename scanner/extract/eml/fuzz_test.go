package eml_test

import (
	"bytes"
	"context"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/eml"
)

// FuzzEML reads any bytes as a message: never a panic or a hang, valid
// UTF-8 text, reasons that are printable ASCII (ours, quoting nothing).
func FuzzEML(f *testing.F) {
	for _, s := range []string{"", "From: a\r\nTo: b\r\n\r\n机密", "Subject: =?GB2312?B?u/rD3A==?=\r\n\r\n",
		"Content-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/html\r\n\r\n<p>机密\r\n--B\r\nContent-Type: message/rfc822\r\n\r\nFrom: x\r\n\r\ny\r\n--B--",
		"Content-Type: multipart/related; boundary=\"b\"\r\n\r\n--b\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename*=UTF-8''%E6%9C%BA.txt\r\n\r\n5py65a+G\r\n--b",
		"Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/plain; charset=gbk\r\n\r\n=BB=FA=C3=DC=\r\n",
		"From a@b Mon\nFrom: a\nBad(Name): x\n\nbody"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := eml.Read(context.Background(), bytes.NewReader(data), int64(len(data)), extract.DefaultOptions())
		reasons := []string{}
		if err != nil {
			e, ok := err.(*extract.Error)
			if !ok {
				t.Fatalf("error %v is no *extract.Error", err)
			}
			reasons = append(reasons, e.Reason)
		} else {
			reasons = append(reasons, doc.Review...)
			for _, s := range doc.Segments {
				if !utf8.ValidString(s.Text) || s.Text == "" {
					t.Fatalf("segment %s: %q", s.Part, s.Text)
				}
			}
		}
		for _, r := range reasons {
			for i := 0; i < len(r); i++ {
				if r[i] < 0x20 || r[i] > 0x7E {
					t.Fatalf("reason %q is not printable ASCII", r)
				}
			}
		}
	})
}
