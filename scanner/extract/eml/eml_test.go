package eml_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"mime/quotedprintable"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

func gbk(t testing.TB, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// gbWord is s as an RFC 2047 encoded word in GB2312 (GBK bytes).
func gbWord(t testing.TB, s string) string {
	return "=?GB2312?B?" + base64.StdEncoding.EncodeToString([]byte(gbk(t, s))) + "?="
}

func qp(s string) string {
	var b bytes.Buffer
	w := quotedprintable.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.String()
}

func b64(s string) string {
	e := base64.StdEncoding.EncodeToString([]byte(s))
	var b strings.Builder
	for len(e) > 76 {
		b.WriteString(e[:76] + "\r\n")
		e = e[76:]
	}
	return b.String() + e
}

// multipart joins parts (each a header and a body) under a boundary.
func multipart(boundary string, parts ...string) string {
	var b strings.Builder
	b.WriteString("This is a multi-part message in MIME format.\r\n")
	for _, p := range parts {
		b.WriteString("--" + boundary + "\r\n" + p + "\r\n")
	}
	b.WriteString("--" + boundary + "--\r\n")
	return b.String()
}

func read(t testing.TB, msg string, opt extract.Options) (*extract.Document, error) {
	t.Helper()
	return extract.Reader(context.Background(), strings.NewReader(msg), int64(len(msg)), opt)
}

// A message as Chinese mail clients write it: encoded words and raw GBK
// in the header, a plain and an HTML body in GBK, quoted-printable and
// base64, an attachment named in RFC 2231 and an attached message.
func TestRead(t *testing.T) {
	inner := "From: a@b.cn\r\nTo: c@d.cn\r\nSubject: " + gbWord(t, "转发：绝密★长期") + "\r\n\r\n" + "内层正文\r\n"
	alt := multipart("ALT",
		"Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+qp(gbk(t, "正文：机密★5年，请勿外传。")),
		"Content-Type: text/html; charset=\"GBK\"\r\nContent-Transfer-Encoding: base64\r\n\r\n"+
			b64(gbk(t, `<html><body><p>网页正文</p><span style="display:none">隐藏的秘密</span></body></html>`)))
	msg := "Return-Path: <a@b.cn>\r\nFrom: " + gbWord(t, "办公室") + " <office@gov.cn>\r\nTo: all@gov.cn\r\n" +
		"Subject: " + gbWord(t, "关于机密★5年文件的") + "\r\n " + gbWord(t, "通知") + "\r\n" +
		"X-Note: " + gbk(t, "内部资料") + "\r\nDate: Mon, 1 Jun 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"MIX\"\r\n\r\n" +
		multipart("MIX",
			"Content-Type: multipart/alternative; boundary=ALT\r\n\r\n"+alt,
			"Content-Type: text/plain; charset=utf-8\r\nContent-Disposition: attachment; filename*=UTF-8''%E9%99%84%E4%BB%B6.txt\r\nContent-Transfer-Encoding: base64\r\n\r\n"+b64("附件：秘密★1年"),
			"Content-Type: message/rfc822\r\n\r\n"+inner,
		)
	doc, err := read(t, msg, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatEML || len(doc.Review) != 0 {
		t.Fatalf("format %s, review %q", doc.Format, doc.Review)
	}
	want := map[string]string{
		"metadata": "Subject: 关于机密★5年文件的通知\nFrom: 办公室 <office@gov.cn>\nTo: all@gov.cn\nDate: Mon, 1 Jun 2026 10:00:00 +0800\n" +
			"Content-Type: multipart/mixed; boundary=\"MIX\"\nMime-Version: 1.0\nReturn-Path: <a@b.cn>\nX-Note: 内部资料",
		"hidden":              "This is a multi-part message in MIME format.|This is a multi-part message in MIME format.|隐藏的秘密",
		"body":                "正文：机密★5年，请勿外传。|网页正文",
		"body@附件.txt":         "附件：秘密★1年",
		"filename@附件.txt":     "附件.txt",
		"metadata@part-6.eml": "Subject: 转发：绝密★长期\nFrom: a@b.cn\nTo: c@d.cn",
		"body@part-6.eml":     "内层正文",
	}
	doctest.WantParts(t, doc, want)
}

// uuencode writes a file as pre-MIME mail carried it in its text.
func uuencode(name, data string) string {
	var b strings.Builder
	b.WriteString("begin 644 " + name + "\r\n")
	for len(data) > 0 {
		n := min(45, len(data))
		line := []byte(data[:n])
		data = data[n:]
		b.WriteByte(byte(' ' + n))
		for len(line)%3 != 0 {
			line = append(line, 0)
		}
		for i := 0; i < len(line); i += 3 {
			for _, c := range []byte{line[i] >> 2, (line[i]<<4 | line[i+1]>>4) & 63, (line[i+1]<<2 | line[i+2]>>6) & 63, line[i+2] & 63} {
				if c == 0 {
					c = '`' - ' '
				}
				b.WriteByte(' ' + c)
			}
		}
		b.WriteString("\r\n")
	}
	b.WriteString("`\r\nend\r\n")
	return b.String()
}

// A file uuencoded in a text body is an attachment, out of the body.
func TestUuencoded(t *testing.T) {
	file := strings.Repeat("附件正文：机密★5年。", 10)
	msg := "From: a\r\nTo: b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n请查收。\r\n" + uuencode("通知.txt", file) + "此致\r\n"
	doc, err := read(t, msg, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := doctest.Parts(doc, "|")
	if got["body"] != "请查收。\r\n此致" || got["body@通知.txt"] != file || got["filename@通知.txt"] != "通知.txt" || len(doc.Review) != 0 {
		t.Errorf("parts %q, review %q", got, doc.Review)
	}
	doc, err = read(t, "From: a\r\nTo: b\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n"+
		multipart("B", "Content-Type: text/plain; name=a.txt\r\nContent-Transfer-Encoding: x-uuencode\r\n\r\n"+uuencode("a.txt", file)), extract.Options{})
	if err != nil || doctest.Parts(doc, "|")["body@a.txt"] != file || len(doc.Review) != 0 {
		t.Errorf("x-uuencode part: %v, %q, %q", err, doc.Review, doctest.Parts(doc, "|"))
	}
	cut := strings.TrimSuffix(uuencode("a.txt", file), "`\r\nend\r\n")
	cut += "机密★5年 在后面\r\n"
	doc, err = read(t, "From: a\r\nTo: b\r\n\r\n"+cut, extract.Options{})
	// The text after a file without its end is body text, whatever the
	// file it was taken for turns out to be.
	if err != nil || len(doc.Review) == 0 || doc.Review[0] != "part 1: a uuencoded file is damaged: some of it may be missing" ||
		!strings.HasSuffix(doctest.Parts(doc, "|")["body"], "机密★5年 在后面") {
		t.Errorf("cut short: %v, %q, %q", err, doc.Review, doctest.Parts(doc, "|"))
	}
}

// Header fields: encoded words in every charset, even one not named
// right, and raw GBK; inline text that is not plain or HTML (Outlook's
// RTF, a calendar) is a document of its own, sniffed.
func TestHeaderAndInlineText(t *testing.T) {
	msg := "From: a\r\nTo: b\r\nSubject: " + "=?x-unknown?B?" + base64.StdEncoding.EncodeToString([]byte(gbk(t, "机密★5年"))) + "?= " +
		"=?utf-8?Q?=E9=80=9A=E7=9F=A5?=\r\nThread-Topic: " + gbk(t, "绝密") + "\r\n" +
		"Content-Type: multipart/alternative; boundary=B\r\n\r\n" +
		multipart("B", "Content-Type: text/calendar; charset=utf-8\r\n\r\nSUMMARY:秘密会议", "Content-Type: text/rtf\r\n\r\n{\\rtf1 x}")
	doc, err := read(t, msg, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := doctest.Parts(doc, "|")
	if !strings.HasPrefix(got["metadata"], "Subject: 机密★5年通知\n") || !strings.HasSuffix(got["metadata"], "Thread-Topic: 绝密") ||
		got["body@part-2"] != "SUMMARY:秘密会议" {
		t.Errorf("parts = %q", got)
	}
	if len(doc.Review) != 0 {
		t.Errorf("review = %q, want none: the RTF part is read as a document of its own", doc.Review)
	}
}

// Attachments are named as Chinese mail clients name them: RFC 2231 in
// UTF-8 or GBK, encoded words in a quoted name, raw GBK.
func TestAttachmentNames(t *testing.T) {
	for _, c := range []struct{ name, header string }{
		{"RFC 2231 UTF-8", "Content-Disposition: attachment; filename*=UTF-8''%E6%9C%BA%E5%AF%86.txt"},
		{"RFC 2231 GBK", "Content-Disposition: attachment; filename*=gb2312''%BB%FA%C3%DC.txt"},
		{"RFC 2231 continued", "Content-Disposition: attachment;\r\n filename*0*=GBK''%BB%FA;\r\n filename*1*=%C3%DC.txt"},
		{"encoded word", "Content-Disposition: attachment; filename=\"" + gbWord(t, "机密.txt") + "\""},
		{"name in Content-Type", "Content-Type: text/plain; name=\"" + gbWord(t, "机密.txt") + "\""},
		{"raw GBK", "Content-Disposition: attachment; filename=\"" + gbk(t, "机密.txt") + "\""},
		{"with folders", "Content-Disposition: attachment; filename=\"C:\\Users\\a\\机密.txt\""},
	} {
		t.Run(c.name, func(t *testing.T) {
			msg := "From: a\r\nTo: b\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\n" + c.header + "\r\n\r\n正文\r\n--B--\r\n"
			doc, err := read(t, msg, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := doctest.Parts(doc, "|"); got["filename@机密.txt"] != "机密.txt" || got["body@机密.txt"] != "正文" {
				t.Errorf("parts = %q", got)
			}
		})
	}
}

// Word's web archive (.mht): the page is the body, its pictures are
// documents of their own (a picture makes it review).
func TestMHT(t *testing.T) {
	msg := "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01DA\"\r\n\r\n" +
		multipart("----=_NextPart_01DA",
			"Content-Location: file:///C:/D3F1/doc.htm\r\nContent-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"gb2312\"\r\n\r\n"+
				qp(gbk(t, `<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"><title>文件</title></head><body><p class=MsoNormal>机密★5年<o:p></o:p></p></body></html>`)),
			"Content-Location: file:///C:/D3F1/doc.files/image001.png\r\nContent-Transfer-Encoding: base64\r\nContent-Type: image/png\r\n\r\n"+b64(string(picturetest.PNG(t, 200, 100))),
		)
	doc, err := read(t, msg, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := doctest.Parts(doc, "|")
	if doc.Format != extract.FormatEML || got["body"] != "机密★5年" || !strings.HasSuffix(got["metadata"], "|文件") {
		t.Errorf("format %s, parts %q", doc.Format, got)
	}
	if got["filename@image001.png"] != "image001.png" {
		t.Errorf("the picture's name: %q", got)
	}
	if len(doc.Review) != 1 || doc.Review[0] != "part 3: picture file: text in images is not read" {
		t.Errorf("review = %q", doc.Review)
	}
}

// Damaged messages are read as far as they go, and are review, never
// clean; nesting and part counts are bounded.
func TestDamaged(t *testing.T) {
	nest := "MIME-Version: 1.0\r\nSubject: x\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n"
	tail := ""
	for i := 1; i <= 40; i++ {
		nest += fmt.Sprintf("--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n", i-1, i)
		tail = fmt.Sprintf("\r\n--b%d--\r\n", i-1) + tail
	}
	nest += "机密\r\n" + tail
	// Ten levels holding 5 KB each take 50 KB of copies.
	copies, tail := "From: a\r\nTo: b\r\nContent-Type: multipart/mixed; boundary=c0\r\n\r\n", ""
	for i := 1; i <= 10; i++ {
		copies += fmt.Sprintf("--c%d\r\nContent-Type: multipart/mixed; boundary=c%d\r\n\r\n", i-1, i)
		tail = fmt.Sprintf("\r\n--c%d--\r\n", i-1) + tail
	}
	copies += strings.Repeat("机密", 1000) + tail
	many := "From: a\r\nTo: b\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" + strings.Repeat("--B\r\nContent-Type: text/plain\r\n\r\nx\r\n", 30) + "--B--\r\n"
	cases := []struct {
		name   string
		msg    string
		opt    extract.Options
		kind   extract.Kind
		review string
		body   string
	}{
		{"cut short", "From: a\r\nTo: b\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n机密★5年 正文",
			extract.Options{}, "", "part 1: a part is cut short: the message may be incomplete", "机密★5年 正文"},
		{"no boundary", "From: a\r\nTo: b\r\nContent-Type: multipart/mixed\r\n\r\n机密★5年",
			extract.Options{}, "", "part 1: multipart without a boundary: read as plain text", "机密★5年"},
		{"damaged base64", "From: a\r\nTo: b\r\nContent-Transfer-Encoding: base64\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + base64.StdEncoding.EncodeToString([]byte("机密★5年")) + "=A",
			extract.Options{}, "", "part 1: damaged transfer encoding: some of its text may be missing", "机密★5年"},
		{"mailbox From line", "From 机密★5年@x Mon Jun  1 10:00:00 2026\r\nFrom: a\r\nTo: b\r\n\r\n正文",
			extract.Options{}, "", "", "正文"},
		{"damaged header", "From: a\r\nTo: b\r\nBad(Name): 机密★5年\r\n\r\n正文",
			extract.Options{}, "", "damaged message header: the message was read as plain text", "From: a\r\nTo: b\r\nBad(Name): 机密★5年\r\n\r\n正文"},
		{"PGP/MIME", "From: a\r\nTo: b\r\nContent-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=B\r\n\r\n" +
			multipart("B", "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1", "Content-Type: application/octet-stream\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----"),
			extract.Options{}, "", "part 1: encrypted or wrapped by S/MIME or PGP: its text cannot be read", ""},
		{"S/MIME", "From: a\r\nTo: b\r\nContent-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHA6CAMIACAQAx",
			extract.Options{}, "", "part 1: encrypted or wrapped by S/MIME or PGP: its text cannot be read", ""},
		{"inline PGP", "From: a\r\nTo: b\r\n\r\n-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----",
			extract.Options{}, "", "part 1: holds a PGP-encrypted message whose text cannot be read", "-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----"},
		{"signed: the signature is no text", "From: a\r\nTo: b\r\nContent-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=B\r\n\r\n" +
			multipart("B", "Content-Type: text/plain; charset=utf-8\r\n\r\n机密★5年", "Content-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\nMIAGCSqGSIb3DQEHAqCAMIACAQEx"),
			extract.Options{}, "", "", "机密★5年"},
		{"nested too deep", nest, extract.Options{}, extract.KindLimit, "", ""},
		{"too many parts", many, extract.Options{MaxEntries: 10}, extract.KindLimit, "", ""},
		{"nested copies over the inflated budget", copies, extract.Options{MaxInflated: 20000}, extract.KindLimit, "the message's parts take more than 19.5 KB (max inflated)", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.msg, c.opt)
			if c.kind != "" {
				if extract.KindOf(err) != c.kind || c.review != "" && err.Error() != c.review {
					t.Fatalf("err = %v, want %s %q", err, c.kind, c.review)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != extract.FormatEML || strings.Join(doc.Review, "|") != c.review {
				t.Errorf("format %s, review %q, want %q", doc.Format, doc.Review, c.review)
			}
			if got := doctest.Parts(doc, "|")["body"]; got != c.body {
				t.Errorf("body = %q, want %q", got, c.body)
			}
			if c.name == "mailbox From line" && !strings.HasPrefix(doctest.Parts(doc, "|")["metadata"], "From 机密★5年@x") {
				t.Errorf("metadata = %q, want the From line first", doctest.Parts(doc, "|")["metadata"])
			}
		})
	}
}

// BenchmarkRead reads a message with a 2 MB text body in quoted-printable
// GBK and a 3 MB base64 attachment.
func BenchmarkRead(b *testing.B) {
	body := qp(gbk(b, strings.Repeat("关于召开年度工作会议的通知，请各单位按时参加。\r\n", 30000)))
	att := b64(strings.Repeat("附件正文，机密★5年。\n", 100000))
	msg := "From: a\r\nTo: b\r\nSubject: " + gbWord(b, "通知") + "\r\nContent-Type: multipart/mixed; boundary=B\r\n\r\n" +
		multipart("B", "Content-Type: text/plain; charset=gbk\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"+body,
			"Content-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\nContent-Transfer-Encoding: base64\r\n\r\n"+att)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		if _, err := read(b, msg, extract.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
