package pdf

import (
	"bytes"
	"cmp"
	"crypto/aes"
	"crypto/cipher"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/scanner/extract"
)

// aesFile describes a PDF encrypted with AES-256 (V5) for aes256PDF.
type aesFile struct {
	r           int    // revision, 5 or 6
	user, owner string // passwords
	// ivOnly starts the page's contents with a stream of 16 bytes, an IV
	// and nothing else, as some producers write an empty stream.
	ivOnly bool
	// plainXMP sets /EncryptMetadata false and adds an unencrypted XMP
	// packet titled 内部资料.
	plainXMP bool
	// stmF and strF name the crypt filters of streams and strings,
	// StdCF when empty; Identity leaves them unencrypted.
	stmF, strF string
	// xrefStream writes a cross-reference stream, not a table.
	xrefStream bool
}

// aes256PDF builds a one-page PDF showing 机密★5年, with the document
// title 秘密, encrypted as f says, following ISO 32000-2 7.6: every string
// and stream under StdCF is AES-256-CBC under the file key, its IV first,
// with PKCS#7 padding.
func aes256PDF(f aesFile) []byte {
	fileKey := []byte("0123456789abcdef0123456789ABCDEF")
	block, _ := aes.NewCipher(fileKey)
	encrypt := func(data string) string {
		iv := []byte("initialvector-16")
		pad := 16 - len(data)%16
		p := append([]byte(data), bytes.Repeat([]byte{byte(pad)}, pad)...)
		out := make([]byte, len(p))
		cipher.NewCBCEncrypter(block, iv).CryptBlocks(out, p)
		return string(iv) + string(out)
	}
	stmF, strF := cmp.Or(f.stmF, "StdCF"), cmp.Or(f.strF, "StdCF")
	stream := func(dict, data string) string {
		if stmF == "StdCF" {
			data = encrypt(data)
		}
		return pdftest.Stream(dict, data)
	}
	title := "\xfe\xff" // UTF-16BE with a byte order mark
	for _, u := range utf16.Encode([]rune("秘密")) {
		title += string([]byte{byte(u >> 8), byte(u)})
	}
	if strF == "StdCF" {
		title = encrypt(title)
	}
	u, ue := aes256Entry(f.r, []byte(f.user), []byte("uvsaltxxuksaltxx"), fileKey, nil)
	o, oe := aes256Entry(f.r, []byte(f.owner), []byte("ovsaltxxoksaltxx"), fileKey, u)
	p := int32(-4)
	perms := make([]byte, 16)
	binary.LittleEndian.PutUint32(perms, uint32(p))
	copy(perms[4:], "\xff\xff\xff\xffTadbXXXX")
	if f.plainXMP {
		perms[8] = 'F'
	}
	block.Encrypt(perms, perms)

	b := &pdftest.Builder{}
	b.Add("") // the catalog
	b.Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.Add("") // the page
	contents := fmt.Sprintf("%d 0 R", b.Add(stream("", pdfMarkingOps)))
	if f.ivOnly {
		contents = fmt.Sprintf("[%d 0 R %s]", b.Add(pdftest.Stream("", "initialvector-16")), contents)
	}
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"5 beginbfchar <0001> <673A> <0002> <5BC6> <0003> <2605> <0004> <0035> <0005> <5E74> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	tu := b.Add(stream("", cmap))
	font := b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %s /Resources << /Font << /F1 %d 0 R >> >> >>", contents, font)
	catalog := "<< /Type /Catalog /Pages 2 0 R >>"
	encryptMetadata := "true"
	if f.plainXMP {
		catalog = fmt.Sprintf("<< /Type /Catalog /Pages 2 0 R /Metadata %d 0 R >>", b.Add(pdftest.Stream("/Type /Metadata /Subtype /XML", testXMP)))
		encryptMetadata = "false"
	}
	b.Objs[0] = catalog
	info := b.Add(fmt.Sprintf("<< /Title <%x> >>", title))
	enc := b.Add(fmt.Sprintf("<< /Filter /Standard /V 5 /R %d /Length 256 /P %d /EncryptMetadata %s "+
		"/CF << /StdCF << /CFM /AESV3 /AuthEvent /DocOpen /Length 32 >> >> /StmF /%s /StrF /%s "+
		"/O <%x> /U <%x> /OE <%x> /UE <%x> /Perms <%x> >>", f.r, p, encryptMetadata, stmF, strF, o, u, oe, ue, perms))
	trailer := fmt.Sprintf("/Info %d 0 R /Encrypt %d 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]", info, enc)
	if f.xrefStream {
		return xrefStreamBytes(b, trailer)
	}
	return b.Bytes(trailer)
}

// xrefStreamBytes renders b's objects with a cross-reference stream (the
// last object, /W [1 4 2], no filter) instead of a table; trailer holds
// extra entries of its dictionary.
func xrefStreamBytes(b *pdftest.Builder, trailer string) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n")
	var entries bytes.Buffer
	entries.Write([]byte{0, 0, 0, 0, 0, 0xff, 0xff})
	for i, o := range b.Objs {
		entries.WriteByte(1)
		binary.Write(&entries, binary.BigEndian, uint32(out.Len()))
		entries.Write([]byte{0, 0})
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	n := len(b.Objs) + 1
	xref := out.Len()
	entries.WriteByte(1)
	binary.Write(&entries, binary.BigEndian, uint32(xref))
	entries.Write([]byte{0, 0})
	fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\nstartxref\n%d\n%%%%EOF\n", n,
		pdftest.Stream(fmt.Sprintf("/Type /XRef /Size %d /W [1 4 2] /Root 1 0 R %s", n+1, trailer), entries.String()), xref)
	return out.Bytes()
}

// TestPDFAES256: AES-256 files (R5 and R6) open without a password when
// their user password or their owner password is empty, as in poppler,
// and with a password given in Options.Passwords (user or owner) otherwise;
// without it they are encrypted, never clean. Unencrypted metadata and
// the Identity crypt filter for strings or streams read as well.
func TestPDFAES256(t *testing.T) {
	cases := []struct {
		name      string
		file      aesFile
		passwords []string
		open      bool
	}{
		{"R6, empty user password", aesFile{r: 6, owner: "boss"}, nil, true},
		{"R5, empty user password", aesFile{r: 5, owner: "boss"}, nil, true},
		{"R6, empty owner password", aesFile{r: 6, user: "secret"}, nil, true},
		{"R6, empty owner password, xref stream", aesFile{r: 6, user: "secret", xrefStream: true}, nil, true},
		{"R6, empty user password, xref stream", aesFile{r: 6, owner: "boss", xrefStream: true}, nil, true},
		{"R5, empty owner password", aesFile{r: 5, user: "secret"}, nil, true},
		{"R6, both passwords, none given", aesFile{r: 6, user: "secret", owner: "boss"}, []string{"wrong"}, false},
		{"R6, user password given", aesFile{r: 6, user: "secret", owner: "boss"}, []string{"wrong", "secret"}, true},
		{"R6, owner password given", aesFile{r: 6, user: "secret", owner: "boss"}, []string{"boss"}, true},
		{"R5, user password given", aesFile{r: 5, user: "secret", owner: "boss"}, []string{"secret"}, true},
		{"R6, a stream holding only an IV", aesFile{r: 6, owner: "boss", ivOnly: true}, nil, true},
		{"R6, EncryptMetadata false", aesFile{r: 6, owner: "boss", plainXMP: true}, nil, true},
		{"R6, strings not encrypted (StrF Identity)", aesFile{r: 6, owner: "boss", strF: "Identity"}, nil, true},
		{"R6, streams not encrypted (StmF Identity)", aesFile{r: 6, owner: "boss", stmF: "Identity"}, nil, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc, err, done := runPDF(t, aes256PDF(tc.file), extract.Options{Passwords: tc.passwords}, 10*time.Second)
			if !done {
				t.Fatal("did not finish in 10 s")
			}
			if !tc.open {
				if extract.KindOf(err) != extract.KindEncrypted {
					t.Fatalf("err = %v (%s), want encrypted", err, extract.KindOf(err))
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v (%s), want the file read", err, extract.KindOf(err))
			}
			if len(doc.Segments) == 0 || !strings.Contains(doc.Segments[0].Text, "机密★5年") {
				t.Errorf("segments %+v, want 机密★5年 on page 1", doc.Segments)
			}
			meta := ""
			for _, s := range doc.Segments {
				if s.Part == extract.PartMetadata {
					meta += s.Text + "\n"
				}
			}
			if !strings.Contains(meta, "秘密") || tc.file.plainXMP && !strings.Contains(meta, "内部资料") {
				t.Errorf("metadata %q, want the title 秘密 (and 内部资料 from XMP)", meta)
			}
			if len(doc.Review) > 0 {
				t.Errorf("review %q, want none", doc.Review)
			}
		})
	}
}
