package msg_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// Property ids ([MS-OXPROPS]).
const (
	pClass       = 0x001A
	pSubject     = 0x0037
	pHeaders     = 0x007D
	pSenderName  = 0x0C1A
	pSenderSMTP  = 0x5D01
	pRecipType   = 0x0C15
	pDisplayTo   = 0x0E04
	pDisplayCc   = 0x0E03
	pBody        = 0x1000
	pRTF         = 0x1009
	pHTML        = 0x1013
	pDisplayName = 0x3001
	pEmail       = 0x3003
	pData        = 0x3701
	pMethod      = 0x3705
	pLongName    = 0x3707
	pMIME        = 0x370E
	pCodePage    = 0x3FFD
	pInternetCP  = 0x3FDE
	pLocale      = 0x3FF1
	pKeywords    = 0x8001 // a named property (Keywords, in the map of names)
)

func read(t testing.TB, data []byte, opt extract.Options) (*extract.Document, error) {
	t.Helper()
	return extract.Reader(context.Background(), bytes.NewReader(data), int64(len(data)), opt)
}

// A message as Outlook saves it: header fields, recipients, the three
// bodies, a named property, a text and a DOCX attachment, and an
// attached message with an attachment of its own.
func TestRead(t *testing.T) {
	inner := &message{
		props:   []prop{str(pSubject, "转发：绝密★长期"), str(pBody, "内层正文")},
		attachs: []attachment{{props: []prop{long(pMethod, 1), str(pLongName, "内层附件.txt"), bin(pData, []byte("内层附件：秘密★1年"))}}},
	}
	docx := ziptest.DOCX(t, ziptest.Para(ziptest.Run("文档：机密★10年")), "")
	m := message{
		props: []prop{
			str(pClass, "IPM.Note"), str(pSubject, "关于机密★5年文件的通知"),
			str(pSenderName, "办公室"), str(pSenderSMTP, "office@gov.cn"),
			str(pDisplayTo, "张三; 李四"), str(pDisplayCc, "王五"),
			str(pHeaders, "Received: from mail.gov.cn\r\nX-Mailer: Outlook"),
			str(pBody, "正文：机密★5年，请勿外传。"),
			bin(pHTML, []byte(`<html><head><meta charset="utf-8"></head><body><p>网页正文</p><span style="display:none">隐藏的秘密</span></body></html>`)),
			bin(pRTF, compressRTF(`{\rtf1\ansi\uc1 `+rtfText("富文本正文")+`\par}`)),
			multi(pKeywords, "内部资料", "办公室"),
			long(pCodePage, 936),
		},
		recips: [][]prop{
			{str(pDisplayName, "张三"), str(pEmail, "zhang@gov.cn"), long(pRecipType, 1)},
			{str(pDisplayName, "王五"), str(pEmail, "wang@gov.cn"), long(pRecipType, 2)},
		},
		attachs: []attachment{
			{props: []prop{long(pMethod, 1), str(pLongName, `C:\文件\附件.txt`), str(pDisplayName, "机密附件"), bin(pData, []byte("附件：秘密★1年"))}},
			{props: []prop{long(pMethod, 1), str(pLongName, "通知.docx"), bin(pData, docx)}},
			{props: []prop{long(pMethod, 5), str(pDisplayName, "内层邮件")}, msg: inner},
		},
	}
	doc, err := read(t, m.build(), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatMSG || len(doc.Review) != 0 {
		t.Fatalf("format %s, review %q", doc.Format, doc.Review)
	}
	want := map[string]string{
		"metadata": "Subject: 关于机密★5年文件的通知\nFrom: 办公室 <office@gov.cn>\nTo: 张三; 李四\nCc: 王五\nTo: 张三 <zhang@gov.cn>\nCc: 王五 <wang@gov.cn>|" +
			"Received: from mail.gov.cn\r\nX-Mailer: Outlook|内部资料",
		"body":                   "正文：机密★5年，请勿外传。|网页正文|富文本正文",
		"hidden":                 "隐藏的秘密",
		"filename@附件.txt":        "附件.txt",
		"metadata@附件.txt":        "机密附件\nC:\\文件\\附件.txt",
		"body@附件.txt":            "附件：秘密★1年",
		"filename@通知.docx":       "通知.docx",
		"body@通知.docx":           "文档：机密★10年",
		"filename@内层邮件":          "内层邮件",
		"metadata@内层邮件":          "Subject: 转发：绝密★长期",
		"body@内层邮件":              "内层正文",
		"filename@内层邮件!内层附件.txt": "内层附件.txt",
		"body@内层邮件!内层附件.txt":     "内层附件：秘密★1年",
	}
	doctest.WantParts(t, doc, want)
}

// Each body, alone, in each of its forms: a marking in it is found.
func TestBodies(t *testing.T) {
	const mark = "机密★5年"
	rtf := `{\rtf1\ansi\ansicpg936\uc1 正文` + rtfText(mark) + `\par}`
	cases := []struct {
		name  string
		props []prop
	}{
		{"UTF-16 body", []prop{str(pBody, "正文"+mark)}},
		{"GBK body, no code page", []prop{str8(pBody, gbk(t, "正文"+mark))}},
		{"GBK body, code page 936", []prop{long(pCodePage, 936), str8(pBody, gbk(t, "正文"+mark))}},
		{"GBK body, Internet code page 936", []prop{long(pInternetCP, 936), str8(pBody, gbk(t, "正文"+mark))}},
		// Outlook writes 8-bit text in the code page of its locale, whatever
		// charset it sends the message in.
		{"GBK body, locale zh-CN, sent as US-ASCII", []prop{long(pLocale, 2052), long(pInternetCP, 20127), str8(pBody, gbk(t, "正文"+mark))}},
		{"HTML body, GBK by the Internet code page", []prop{long(pInternetCP, 936), bin(pHTML, append([]byte("<p>"), gbk(t, "正文"+mark)...))}},
		{"HTML body, UTF-8 by its meta", []prop{bin(pHTML, []byte(`<meta charset="utf-8"><p>正文`+mark))}},
		{"HTML body as a string", []prop{str(pHTML, "<p>正文"+mark)}},
		{"compressed RTF body", []prop{bin(pRTF, compressRTF(rtfText(rtf)))}},
		{"compressed RTF body padded with NULs", []prop{bin(pRTF, compressRTF(rtfText(rtf)+"\x00\x00"))}},
		{"RTF body stored uncompressed", []prop{bin(pRTF, compressed(len(rtfText(rtf)), 0x414C454D, []byte(rtfText(rtf))))}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, message{props: c.props}.build(), extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := doctest.Parts(doc, "|")["body"]; got != "正文"+mark || len(doc.Review) != 0 {
				t.Errorf("body %q, review %q", got, doc.Review)
			}
		})
	}
}

// What is not read whole makes the message review, with the reason; the
// rest is still read.
func TestReview(t *testing.T) {
	const mark = "机密★5年"
	rtf := compressRTF(`{\rtf1 ` + rtfText(mark) + `}`)
	badCRC := bytes.Clone(rtf)
	badCRC[12] ^= 1
	cut := rtf[:len(rtf)-3]
	cut[0] -= 3
	unknownForm := bytes.Clone(rtf)
	copy(unknownForm[8:], "ABCD")
	signed := "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n签名邮件：" + mark + "\r\n--B\r\nContent-Type: application/pkcs7-signature\r\n\r\nAAAA\r\n--B--\r\n"
	cases := []struct {
		name   string
		m      message
		review string // "" for none
		found  string // the part@inner the mark is in
	}{
		{"S/MIME encrypted", message{props: []prop{str(pClass, "IPM.Note.SMIME"), str(pSubject, mark)},
			attachs: []attachment{{props: []prop{long(pMethod, 1), str(pLongName, "smime.p7m"), str(pMIME, "application/pkcs7-mime"), bin(pData, []byte{0x30, 0x82, 1, 2, 6, 9})}}}},
			"encrypted or wrapped by S/MIME: the message's text cannot be read", "metadata"},
		{"S/MIME clear-signed: its text is read", message{props: []prop{str(pClass, "IPM.Note.SMIME.MultipartSigned")},
			attachs: []attachment{{props: []prop{long(pMethod, 1), str(pLongName, "smime.p7m"), str(pMIME, "multipart/signed"), bin(pData, []byte(signed))}}}},
			"", "body@smime.p7m"},
		{"RTF with a wrong CRC", message{props: []prop{bin(pRTF, badCRC)}}, "the message's RTF body is damaged", "body"},
		{"RTF cut short", message{props: []prop{bin(pRTF, cut)}}, "the message's RTF body is damaged", "body"},
		{"RTF in an unknown form", message{props: []prop{str(pSubject, mark), bin(pRTF, unknownForm)}}, "compressed in a form baomi does not know", "metadata"},
		{"attachment without its data", message{props: []prop{str(pSubject, mark)}, attachs: []attachment{{props: []prop{long(pMethod, 1), str(pLongName, "a.txt")}}}},
			"attachment 1: its data is missing from the message", "metadata"},
		{"attachment of a format baomi cannot read", message{props: []prop{str(pBody, mark)}, attachs: []attachment{{props: []prop{long(pMethod, 1), str(pLongName, "a.rar"), bin(pData, []byte("Rar!\x1a\x07\x01\x00rest"))}}}},
			"attachment 1: RAR archive", "body"},
		{"a listed body without its stream", message{props: []prop{str(pSubject, mark), {tag: pBody<<16 | tUnicode, absent: true}}},
			"some of its properties are missing", "metadata"},
		{"property stream cut short", message{props: []prop{str(pSubject, mark)}, propHead: 30}, "a property stream is missing or cut short", "metadata"},
		{"8-bit text in a code page baomi cannot decode", message{props: []prop{long(pCodePage, 12345), str(pSubject, mark), str8(pBody, []byte("caf\xe9"))}},
			"code page baomi cannot decode", "metadata"},
		{"PGP body", message{props: []prop{str(pSubject, mark), str(pBody, "-----BEGIN PGP MESSAGE-----\r\nhQEMA\r\n-----END PGP MESSAGE-----")}},
			"PGP-encrypted", "metadata"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.m.build(), extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			review := strings.Join(doc.Review, "|")
			if c.review == "" && review != "" || !strings.Contains(review, c.review) {
				t.Errorf("review %q, want %q", review, c.review)
			}
			if got := doctest.Parts(doc, "|")[c.found]; !strings.Contains(got, mark) {
				t.Errorf("%s = %q, want the mark:\n%s", c.found, got, doctest.ShowPages(doc.Segments))
			}
		})
	}
}

// An OLE object attached (method 6) is read as the file it wraps, or as
// the compound file it is.
func TestOLEObject(t *testing.T) {
	pkg := ziptest.DOCX(t, ziptest.Para(ziptest.Run("对象：机密★5年")), "")
	// A Windows Packager object: its label is the file's name, then its
	// path on the sender's disk; inner names the file only.
	le := binary.LittleEndian
	packager := le.AppendUint16(nil, 2)
	packager = append(packager, "附件.txt\x00C:\\Users\\张三\\附件.txt\x00"...)
	packager = le.AppendUint32(le.AppendUint32(packager, 0), 0) // reserved; an empty temporary path
	packager = append(le.AppendUint32(packager, uint32(len("内部资料"))), "内部资料"...)
	packager = append(le.AppendUint32(nil, uint32(len(packager))), packager...)
	m := message{attachs: []attachment{
		{props: []prop{long(pMethod, 6)}, object: []cfb.Stream{{Path: "\x01CompObj", Data: []byte("x")}, {Path: "Package", Data: pkg}}},
		{props: []prop{long(pMethod, 6)}, object: []cfb.Stream{{Path: "WordDocument", Data: []byte("not a Word document")}}},
		{props: []prop{long(pMethod, 6)}, object: []cfb.Stream{{Path: "\x01Ole10Native", Data: packager}}},
	}}
	doc, err := read(t, m.build(), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := doctest.Parts(doc, "|")["body@attachment-1"]; got != "对象：机密★5年" {
		t.Errorf("object: %q\n%s", got, doctest.ShowPages(doc.Segments))
	}
	if got := doctest.Parts(doc, "|")["body@attachment-3/附件.txt"]; got != "内部资料" {
		t.Errorf("packaged file: %q\n%s", got, doctest.ShowPages(doc.Segments))
	}
	if len(doc.Review) != 1 || !strings.HasPrefix(doc.Review[0], "attachment 2: damaged Word document") {
		t.Errorf("review %q", doc.Review)
	}
}

// Limits: a message over one is an error of kind limit, never clean.
func TestLimits(t *testing.T) {
	big := strings.Repeat("机密", 4000)
	many := message{props: []prop{str(pSubject, "x")}}
	for range 4 {
		many.attachs = append(many.attachs, attachment{props: []prop{long(pMethod, 1), bin(pData, []byte("附件"))}})
	}
	deep := message{props: []prop{str(pBody, "最内层：机密★5年")}}
	for range 8 {
		in := deep
		deep = message{attachs: []attachment{{props: []prop{long(pMethod, 5)}, msg: &in}}}
	}
	// Compressed RTF of references only, each 17 bytes of the dictionary
	// from just past where it writes (not where it writes: that is the
	// end): it inflates eight times its size.
	var bomb []byte
	for w := 207; len(bomb) < 64<<10; {
		bomb = append(bomb, 0xFF)
		for range 8 {
			bomb = binary.BigEndian.AppendUint16(bomb, uint16((w+1)%4096<<4|0xF))
			w = (w + 17) % 4096
		}
	}
	cases := []struct {
		name string
		m    message
		opt  extract.Options
		want string
	}{
		{"text", message{props: []prop{str(pBody, big)}}, extract.Options{MaxText: 1000}, "max text"},
		{"inflated", message{props: []prop{str(pBody, big)}}, extract.Options{MaxInflated: 4000}, "max inflated"},
		{"attachments", many, extract.Options{MaxEntries: 3}, "more than 3 attachments"},
		{"nesting", deep, extract.Options{}, "max nesting"},
		{"RTF bomb", message{props: []prop{bin(pRTF, compressed(1<<30, 0x75465A4C, bomb))}}, extract.Options{MaxInflated: 200 << 10}, "RTF body inflates past"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.m.build(), c.opt)
			if extract.KindOf(err) != extract.KindLimit || !strings.Contains(err.Error(), c.want) || doc != nil {
				t.Errorf("got %v (%s), want a limit %q", err, extract.KindOf(err), c.want)
			}
		})
	}
}

// A damaged compound file is read as far as it goes, and is never clean.
func TestDamaged(t *testing.T) {
	data := message{props: []prop{str(pSubject, "机密★5年"), str(pBody, strings.Repeat("正文", 3000))}}.build()
	for _, n := range []int{len(data) / 2, len(data) - 512, 600} {
		doc, err := read(t, data[:n], extract.Options{})
		if err == nil && !slices.Contains(doc.Review, cfb.DamagedReview) {
			t.Errorf("cut at %d: review %q\n%s", n, doc.Review, doctest.ShowPages(doc.Segments))
		}
		if err != nil && extract.KindOf(err) != extract.KindCorrupt {
			t.Errorf("cut at %d: %v (%s)", n, err, extract.KindOf(err))
		}
	}
}
