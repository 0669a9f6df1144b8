package extract

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// TestDigestVectors checks the two algorithms against their standards'
// examples: SM3 of "abc" (GB/T 32905-2016, A.1) and SHA-256 of "abc"
// (FIPS 180-2, B.1).
func TestDigestVectors(t *testing.T) {
	d := digestOf("x", []byte("abc"))
	want := Digest{Inner: "x",
		SHA256: "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
		SM3:    "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"}
	if d != want {
		t.Errorf("digestOf(abc) = %+v, want %+v", d, want)
	}
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestFileDigests checks that File hashes the file itself and every
// document inside it, nested ones too, whether or not they can be read,
// and that a file that cannot be read carries its digest in its error.
func TestFileDigests(t *testing.T) {
	rar := []byte("Rar!\x1a\x07\x00 not really")
	inner := buildZip(t, zipEntry{"c.txt", "内层文件"}, zipEntry{"d.rar", string(rar)})
	outer := buildZip(t, zipEntry{"a/b.txt", "第一份文件"}, zipEntry{"inner.zip", string(inner)})
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}

	doc, err := File(context.Background(), write("outer.zip", outer), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Digests {
		got = append(got, d.Inner+"="+d.SHA256)
		if len(d.SM3) != 64 {
			t.Errorf("%s: sm3 %q", d.Inner, d.SM3)
		}
	}
	want := []string{
		"=" + sha(outer),
		"a/b.txt=" + sha([]byte("第一份文件")),
		"inner.zip=" + sha(inner),
		"inner.zip!c.txt=" + sha([]byte("内层文件")),
		"inner.zip!d.rar=" + sha(rar),
	}
	if !slices.Equal(got, want) {
		t.Errorf("digests\n got %q\nwant %q", got, want)
	}

	_, err = File(context.Background(), write("x.rar", rar), Options{})
	if d := DigestsOf(nil, err); err == nil || len(d) != 1 || d[0].SHA256 != sha(rar) {
		t.Errorf("unreadable file: err %v, digests %+v; want an error carrying the file's digest", err, d)
	}
}

// TestEmbeddedDigests checks that objects embedded in a DOCX are hashed as
// the files they are: an Office file as it is, a file in an OLE package
// unwrapped, so that its digest is the original file's.
func TestEmbeddedDigests(t *testing.T) {
	inner := docxZip(t, para(run("嵌入的文件")), rels())
	attached := []byte("附件正文")
	data := docxZip(t, para(run("正文")), rels(),
		zipEntry{"word/embeddings/Microsoft_Word_Document.docx", string(inner)},
		zipEntry{"word/embeddings/oleObject1.bin", string(cfb.Build(cfb.Stream{Path: "\x01Ole10Native", Data: buildOle10Native(t, "附件.txt", `C:\附件.txt`, attached)}))},
	)
	doc, err := extractBytes(t, data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range doc.Digests {
		got = append(got, d.Inner+"="+d.SHA256)
	}
	want := []string{"word/embeddings/Microsoft_Word_Document.docx=" + sha(inner), "word/embeddings/oleObject1.bin=" + sha(attached)}
	if !slices.Equal(got, want) {
		t.Errorf("digests\n got %q\nwant %q", got, want)
	}
}
