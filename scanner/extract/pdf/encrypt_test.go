package pdf

import (
	"bytes"
	"crypto/md5"
	"crypto/rc4"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// pdfPad is the padding string of the standard security handler.
const pdfPad = "\x28\xbf\x4e\x5e\x4e\x75\x8a\x41\x64\x00\x4e\x56\xff\xfa\x01\x08\x2e\x2e\x00\xb6\xd0\x68\x3e\x80\x2f\x0c\xa9\xfe\x64\x53\x69\x7a"

func padPW(pw string) []byte { return []byte((pw + pdfPad)[:32]) }

func rc4Bytes(key, data []byte) []byte {
	c, _ := rc4.NewCipher(key)
	out := make([]byte, len(data))
	c.XORKeyStream(out, data)
	return out
}

// rc4PDF builds a one-page PDF (text 机密★5年) encrypted with RC4-40
// (V1 R2) under user password user, its /Encrypt dictionary written
// directly in the trailer as pdfminer's test files have it.
func rc4PDF(user string) []byte {
	id := []byte("0123456789abcdef")
	const perms = -4
	ownerKey := md5.Sum(padPW("owner"))
	o := rc4Bytes(ownerKey[:5], padPW(user))
	h := md5.New()
	h.Write(padPW(user))
	h.Write(o)
	h.Write([]byte{byte(perms & 0xff), byte(perms >> 8 & 0xff), byte(perms >> 16 & 0xff), byte(perms >> 24 & 0xff)})
	h.Write(id)
	key := h.Sum(nil)[:5]
	u := rc4Bytes(key, []byte(pdfPad))
	objKey := func(n int) []byte {
		s := md5.Sum(append(append([]byte{}, key...), byte(n), byte(n>>8), byte(n>>16), 0, 0))
		return s[:10]
	}
	b := &pdftest.Builder{}
	stream := func(dict, data string) int {
		n := len(b.Objs) + 1
		return b.Add(pdftest.Stream(dict, string(rc4Bytes(objKey(n), []byte(data)))))
	}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.Add("")
	c := stream("", "BT /F1 12 Tf 10 100 Td <0001000200030004> Tj ET BT /F1 12 Tf 46 100 Td <0005> Tj ET")
	tu := stream("", "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"+
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"+
		"5 beginbfchar <0001> <673A> <0002> <5BC6> <0003> <2605> <0004> <0035> <0005> <5E74> endbfchar\n"+
		"endcmap CMapName currentdict /CMap defineresource pop end end")
	font := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> >>", c, font)
	return b.Bytes(fmt.Sprintf("/ID [<%x> <%x>] /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /O <%x> /U <%x> /P %d >>", id, id, o, u, perms))
}

// TestPDFDirectEncrypt: a file whose /Encrypt dictionary sits in the
// trailer opens with its user password, and is encrypted without it.
func TestPDFDirectEncrypt(t *testing.T) {
	cases := []struct {
		name      string
		user      string
		passwords []string
		want      extract.Kind // "" when the file opens
	}{
		{"empty user password", "", nil, ""},
		{"user password given", "秘密", []string{"wrong", "秘密"}, ""},
		{"user password not given", "秘密", []string{"wrong"}, extract.KindEncrypted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := rc4PDF(c.user)
			if fixed := fixEncrypt(bytes.NewReader(data), int64(len(data))); fixed == nil || !bytes.Contains(fixed, []byte("/Encrypt 7 0 R")) {
				t.Fatalf("fixEncrypt did not move the dictionary to object 7")
			}
			doc, err, done := runPDF(t, data, extract.Options{Passwords: c.passwords}, 10*time.Second)
			if !done {
				t.Fatal("did not finish")
			}
			if c.want != "" {
				if extract.KindOf(err) != c.want {
					t.Fatalf("err = %v (%s), want %s", err, extract.KindOf(err), c.want)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got := doc.Segments[0].Text; got != "机密★5年" {
				t.Errorf("page text %q, want 机密★5年", got)
			}
		})
	}
}

// TestFixEncrypt: a file whose encryption dictionary pdfcpu reads, or
// that has none, is left alone.
func TestFixEncrypt(t *testing.T) {
	plain := pdfMarking()
	indirect := bytes.Replace(rc4PDF(""), []byte("/Encrypt <<"), []byte("/Encrypt 9 0 R /X <<"), 1)
	noStartxref := rc4PDF("")
	noStartxref = noStartxref[:bytes.LastIndex(noStartxref, []byte("startxref"))]
	for name, data := range map[string][]byte{"plain": plain, "indirect": indirect, "no startxref": noStartxref, "empty": nil} {
		if got := fixEncrypt(bytes.NewReader(data), int64(len(data))); got != nil {
			t.Errorf("%s: rewritten, want nil", name)
		}
	}
}

func TestSASLPrep(t *testing.T) {
	for in, want := range map[string]string{
		"":                     "",
		"user":                 "user",
		"I\u00adX":             "IX",       // soft hyphen: mapped to nothing
		"a\u00a0b":             "a b",      // no-break space: a space
		"\u2168":               "IX",       // NFKC
		"SªSL\u00adprep":       "SaSLprep", // the pdf.js saslprep-r6 password
		"机密\u200b":             "机密",
		"ｐａｓｓ":                 "pass", // full width
		"pässwört":             "pässwört",
		strings.Repeat("x", 3): "xxx",
	} {
		if got := saslPrep(in); got != want {
			t.Errorf("saslPrep(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestPDFPartialCMap: a ToUnicode CMap whose compressed stream is cut short
// maps what it holds, and the file is review, not clean.
func TestPDFPartialCMap(t *testing.T) {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"5 beginbfchar <0001> <673A> <0002> <5BC6> <0003> <2605> <0004> <0035> <0005> <5E74> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	z := pdftest.Zlib([]byte(cmap))
	cut := z[:len(z)-4] // the Adler-32 checksum is missing
	data := pdftest.OnePage("BT /F1 12 Tf 10 100 Td <0001000200030004> Tj ET BT /F1 12 Tf 46 100 Td <0005> Tj ET", "", "", func(b *pdftest.Builder) string {
		tu := b.Add(pdftest.Stream("/Filter /FlateDecode", cut))
		f := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
		return fmt.Sprintf("/Font << /F1 %d 0 R >>", f)
	})
	doc, err, done := runPDF(t, data, extract.Options{}, 5*time.Second)
	if !done || err != nil {
		t.Fatalf("err = %v (done %v)", err, done)
	}
	if got := doc.Segments[0].Text; got != "机密★5年" {
		t.Errorf("page text %q, want 机密★5年", got)
	}
	if len(doc.Review) != 1 || !strings.Contains(doc.Review[0], "damaged") {
		t.Errorf("review = %q, want a note on the damaged map", doc.Review)
	}
}
