package msg_test

import (
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// Building TNEF streams for the tests, as Exchange writes them
// ([MS-OXTNEF]).

// Attributes.
const (
	aFrom        = 0x00008000
	aSubject     = 0x00018004
	aMessageID   = 0x00018009
	aBody        = 0x0002800C
	aClass       = 0x00078008
	aAttachData  = 0x0006800F
	aAttachTitle = 0x00018010
	aRendData    = 0x00069002
	aMsgProps    = 0x00069003
	aRecipTable  = 0x00069004
	aAttachment  = 0x00069005
	aOEMCodepage = 0x00069007
	aVersion     = 0x00089006
)

// tattr is an attribute to write.
type tattr struct {
	level byte
	id    uint32
	data  []byte
}

func msgAttr(id uint32, data []byte) tattr { return tattr{1, id, data} }
func attAttr(id uint32, data []byte) tattr { return tattr{2, id, data} }

// tnefStream writes a TNEF stream of attrs, each with its checksum.
func tnefStream(attrs ...tattr) []byte {
	b := binary.LittleEndian.AppendUint32(nil, 0x223E9F78)
	b = binary.LittleEndian.AppendUint16(b, 0x0101)
	for _, a := range attrs {
		b = append(b, a.level)
		b = binary.LittleEndian.AppendUint32(b, a.id)
		b = binary.LittleEndian.AppendUint32(b, uint32(len(a.data)))
		b = append(b, a.data...)
		var sum uint16
		for _, c := range a.data {
			sum += uint16(c)
		}
		b = binary.LittleEndian.AppendUint16(b, sum)
	}
	return b
}

// u32s writes 32-bit integers.
func u32s(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

// padded writes a value of variable size: its length, itself, padding.
func padded(b, v []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(v)))
	b = append(b, v...)
	return append(b, make([]byte, -len(v)&3)...)
}

// tnefProps writes ps as a property list; a named property (id 0x8000
// and up) is named by a number in a GUID of zeros.
func tnefProps(ps ...prop) []byte {
	b := u32s(uint32(len(ps)))
	for _, p := range ps {
		b = binary.LittleEndian.AppendUint32(b, p.tag)
		if id := p.tag >> 16; id >= 0x8000 {
			b = append(append(b, make([]byte, 16)...), u32s(0, id)...)
		}
		switch {
		case p.tag&0xFFFF == tLong:
			b = binary.LittleEndian.AppendUint32(b, p.long)
		case p.values != nil:
			b = binary.LittleEndian.AppendUint32(b, uint32(len(p.values)))
			for _, v := range p.values {
				b = padded(b, v)
			}
		default:
			b = padded(binary.LittleEndian.AppendUint32(b, 1), p.data)
		}
	}
	return b
}

// recipTable writes the rows of a recipient table.
func recipTable(rows ...[]prop) []byte {
	b := u32s(uint32(len(rows)))
	for _, r := range rows {
		b = append(b, tnefProps(r...)...)
	}
	return b
}

// rendData starts an attachment.
var rendData = []byte{1, 0, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0}

// attached is the property of an attached message: its TNEF stream behind
// the identifier of IMessage.
func attached(stream []byte) prop {
	iid := []byte{0x07, 0x03, 0x02, 0, 0, 0, 0, 0, 0xC0, 0, 0, 0, 0, 0, 0, 0x46}
	return prop{tag: pData<<16 | 0x000D, data: append(iid, stream...)}
}

// nul ends an 8-bit string.
func nul(b []byte) []byte { return append(b, 0) }

// A message as Exchange sends it in winmail.dat: the older attributes
// (subject, sender, a GBK body, attachments' names and data), the
// message's properties (HTML and compressed RTF bodies, a named
// property), a recipient, a text and a DOCX attachment, and an attached
// message with an attachment of its own.
func TestTNEF(t *testing.T) {
	const mark = "机密★5年"
	inner := tnefStream(
		msgAttr(aSubject, nul(gbk(t, "转发：绝密★长期"))),
		msgAttr(aMsgProps, tnefProps(str(pBody, "内层正文"))),
		attAttr(aRendData, rendData),
		attAttr(aAttachTitle, nul(gbk(t, "内层附件.txt"))),
		attAttr(aAttachData, []byte("内层附件：秘密★1年")),
	)
	docx := ziptest.DOCX(t, ziptest.Para(ziptest.Run("文档："+mark)), "")
	from := append(u32s(0x00140004, uint32(7)|uint32(19)<<16), append(nul(gbk(t, "办公室")), "SMTP:office@gov.cn\x00"...)...)
	from = append(from, make([]byte, 8)...)
	stream := tnefStream(
		msgAttr(aVersion, u32s(0x00010000)),
		msgAttr(aOEMCodepage, u32s(936, 0)),
		msgAttr(aClass, []byte("IPM.Microsoft Mail.Note\x00")),
		msgAttr(aFrom, from),
		msgAttr(aSubject, nul(gbk(t, "关于"+mark+"文件的通知"))),
		msgAttr(aMessageID, []byte("C3A1B2\x00")),
		msgAttr(aBody, nul(gbk(t, "正文："+mark))),
		msgAttr(aMsgProps, tnefProps(
			bin(pHTML, []byte(`<meta charset="utf-8"><p>网页正文：`+mark)),
			bin(pRTF, compressRTF(`{\rtf1\ansi\uc1 `+rtfText("富文本正文："+mark)+`\par}`)),
			multi(pKeywords, "内部资料"),
		)),
		msgAttr(aRecipTable, recipTable([]prop{str(pDisplayName, "张三"), str(pEmail, "zhang@gov.cn"), long(pRecipType, 1)})),
		attAttr(aRendData, rendData),
		attAttr(aAttachTitle, nul(gbk(t, "附件.txt"))),
		attAttr(aAttachData, []byte("附件："+mark)),
		attAttr(aAttachment, tnefProps(long(pMethod, 1), str(pLongName, "附件.txt"))),
		attAttr(aRendData, rendData),
		attAttr(aAttachTitle, []byte("TONGZHI.DOC\x00")),
		attAttr(aAttachData, docx),
		attAttr(aAttachment, tnefProps(long(pMethod, 1), str(pLongName, "通知.docx"))),
		attAttr(aRendData, rendData),
		attAttr(aAttachment, tnefProps(long(pMethod, 5), str(pDisplayName, "内层邮件"), attached(inner))),
	)
	doc, err := read(t, stream, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatTNEF || len(doc.Review) != 0 {
		t.Fatalf("format %s, review %q", doc.Format, doc.Review)
	}
	want := map[string]string{
		"metadata":               "Subject: 关于机密★5年文件的通知\nFrom: 办公室 <SMTP:office@gov.cn>\nTo: 张三 <zhang@gov.cn>|内部资料\nC3A1B2",
		"body":                   "正文：机密★5年|网页正文：机密★5年|富文本正文：机密★5年",
		"filename@附件.txt":        "附件.txt",
		"body@附件.txt":            "附件：机密★5年",
		"filename@通知.docx":       "通知.docx",
		"metadata@通知.docx":       "TONGZHI.DOC",
		"body@通知.docx":           "文档：机密★5年",
		"filename@内层邮件":          "内层邮件",
		"metadata@内层邮件":          "Subject: 转发：绝密★长期",
		"body@内层邮件":              "内层正文",
		"filename@内层邮件!内层附件.txt": "内层附件.txt",
		"body@内层邮件!内层附件.txt":     "内层附件：秘密★1年",
	}
	doctest.WantParts(t, doc, want)
}

// winmail.dat attached to an .eml, as Exchange sends it to other mail
// programs: what it holds is read, under its name.
func TestTNEFInEML(t *testing.T) {
	stream := tnefStream(
		msgAttr(aSubject, []byte("Notice\x00")),
		msgAttr(aMsgProps, tnefProps(str(pBody, "正文：机密★5年"))),
		attAttr(aRendData, rendData),
		attAttr(aAttachment, tnefProps(str(pLongName, "附件.txt"), bin(pData, []byte("附件：机密★5年")))),
	)
	enc := base64.StdEncoding.EncodeToString(stream)
	eml := "From: office@gov.cn\r\nTo: all@gov.cn\r\nSubject: Notice\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n" +
		"--B\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the attachment.\r\n" +
		"--B\r\nContent-Type: application/ms-tnef; name=\"winmail.dat\"\r\nContent-Disposition: attachment; filename=\"winmail.dat\"\r\n" +
		"Content-Transfer-Encoding: base64\r\n\r\n" + enc + "\r\n--B--\r\n"
	doc, err := read(t, []byte(eml), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := doctest.Parts(doc, "|")
	if doc.Format != extract.FormatEML || len(doc.Review) != 0 ||
		got["body@winmail.dat"] != "正文：机密★5年" || got["body@winmail.dat!附件.txt"] != "附件：机密★5年" {
		t.Errorf("format %s, review %q:\n%s", doc.Format, doc.Review, doctest.ShowPages(doc.Segments))
	}
}

// A damaged stream is read as far as it goes and is review, never clean;
// what it holds before the damage is still found.
func TestTNEFDamaged(t *testing.T) {
	const mark = "机密★5年"
	subject := msgAttr(aSubject, nul(gbk(t, mark)))
	whole := tnefStream(subject, msgAttr(aMsgProps, tnefProps(str(pBody, "正文"))))
	badSum := tnefStream(subject, msgAttr(aBody, []byte("正文")))
	badSum[len(badSum)-1] ^= 1
	oversized := tnefStream(subject, msgAttr(aBody, []byte("正文")))
	binary.LittleEndian.PutUint32(oversized[len(oversized)-2-len("正文")-4:], 0xFFFFFFF0)
	unknownType := tnefProps(str(pBody, "正文"))
	unknownType = append(u32s(2), append(unknownType[4:], u32s(0x3000_00FD, 1, 2)...)...)
	cases := []struct {
		name   string
		data   []byte
		review string
	}{
		{"bad checksum", badSum, "checksum does not match"},
		{"cut inside an attribute", whole[:len(whole)-5], "cut short"},
		{"cut inside an attribute's header", whole[:len(tnefStream(subject))+4], "cut short"},
		{"oversized length", oversized, "cut short"},
		{"unknown level", append(tnefStream(subject), 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), "cut short"},
		{"property of an unknown type", tnefStream(subject, msgAttr(aMsgProps, unknownType)), "a property list is cut short"},
		{"property list cut short", tnefStream(subject, msgAttr(aMsgProps, tnefProps(str(pBody, "正文"))[:10])), "a property list is cut short"},
		{"recipient table cut short", tnefStream(subject, msgAttr(aRecipTable, u32s(3))), "a property list is cut short"},
		{"sender cut short", tnefStream(subject, msgAttr(aFrom, u32s(0x00140004, 0x00FF00FF))), "a property list is cut short"},
		{"attachment without its data", tnefStream(subject, attAttr(aRendData, rendData), attAttr(aAttachTitle, []byte("a.txt\x00"))),
			"attachment 1: its data is missing from the message"},
		{"attached message without its stream", tnefStream(subject, attAttr(aRendData, rendData),
			attAttr(aAttachment, tnefProps(long(pMethod, 5), attached([]byte{0, 0x9F, 1, 2, 3, 4, 5, 6})))), "attachment 1: unknown format"},
		{"8-bit text in a code page baomi cannot decode", tnefStream(msgAttr(aOEMCodepage, u32s(12345, 0)),
			msgAttr(aMsgProps, tnefProps(str(pSubject, mark))), msgAttr(aBody, []byte("caf\xe9"))),
			"code page baomi cannot decode"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if review := strings.Join(doc.Review, "|"); !strings.Contains(review, c.review) {
				t.Errorf("review %q, want %q", review, c.review)
			}
			if got := doctest.Parts(doc, "|")["metadata"]; !strings.Contains(got, mark) {
				t.Errorf("metadata = %q, want the mark:\n%s", got, doctest.ShowPages(doc.Segments))
			}
		})
	}
}

// Limits: a stream over one is an error of kind limit, never clean.
func TestTNEFLimits(t *testing.T) {
	var many []tattr
	for range 4 {
		many = append(many, attAttr(aRendData, rendData), attAttr(aAttachData, []byte("附件")))
	}
	deep := tnefStream(msgAttr(aBody, []byte("最内层：机密★5年")))
	for range 8 {
		deep = tnefStream(attAttr(aRendData, rendData), attAttr(aAttachment, tnefProps(long(pMethod, 5), attached(deep))))
	}
	big := strings.Repeat("机密", 4000)
	cases := []struct {
		name string
		data []byte
		opt  extract.Options
		want string
	}{
		{"attachments", tnefStream(many...), extract.Options{MaxEntries: 3}, "more than 3 attachments"},
		{"recipients", tnefStream(msgAttr(aRecipTable, recipTable([]prop{str(pDisplayName, "a")}, []prop{str(pDisplayName, "b")}))),
			extract.Options{MaxEntries: 1}, "more than 1 recipients"},
		{"text", tnefStream(msgAttr(aBody, []byte(big))), extract.Options{MaxText: 1000}, "max text"},
		{"inflated", tnefStream(attAttr(aRendData, rendData), attAttr(aAttachData, []byte(big))), extract.Options{MaxInflated: 4000}, "inflate past"},
		{"nesting", deep, extract.Options{}, "max nesting"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.data, c.opt)
			if extract.KindOf(err) != extract.KindLimit || !strings.Contains(err.Error(), c.want) || doc != nil {
				t.Errorf("got %v (%s), want a limit %q", err, extract.KindOf(err), c.want)
			}
		})
	}
}

// A zip appended to a TNEF stream, after its last attribute, is read too
// (a polyglot); one attached inside it is read once, as the attachment.
func TestTNEFZipAppended(t *testing.T) {
	z := ziptest.Zip(t, ziptest.Entry{"a.txt", "附加：机密★5年"})
	stream := tnefStream(msgAttr(aSubject, []byte("s\x00")), attAttr(aRendData, rendData), attAttr(aAttachTitle, []byte("b.zip\x00")), attAttr(aAttachData, z))
	for _, c := range []struct {
		name string
		data []byte
		want string // the part@inner the zip's text is in
	}{
		{"attached", stream, "body@b.zip!a.txt"},
		{"appended", append(stream, z...), "body@a.txt"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := doctest.Parts(doc, "|")
			if got[c.want] != "附加：机密★5年" {
				t.Errorf("%s = %q, review %q:\n%s", c.want, got[c.want], doc.Review, doctest.ShowPages(doc.Segments))
			}
		})
	}
}

// What a stream holds twice, as an older attribute and as a property, is
// read from both when they differ, once when they are the same: neither
// hides the other.
func TestTNEFTwice(t *testing.T) {
	const mark = "机密★5年"
	cases := []struct {
		name string
		data []byte
		want map[string]string
	}{
		{"bodies that differ", tnefStream(msgAttr(aBody, []byte("plain")), msgAttr(aMsgProps, tnefProps(str(pBody, mark)))),
			map[string]string{"body": mark + "|plain"}},
		{"the same body", tnefStream(msgAttr(aBody, []byte("plain")), msgAttr(aMsgProps, tnefProps(str(pBody, "plain")))),
			map[string]string{"body": "plain"}},
		{"attachment data that differ", tnefStream(attAttr(aRendData, rendData), attAttr(aAttachData, []byte("plain")),
			attAttr(aAttachment, tnefProps(str(pLongName, "a.txt"), bin(pData, []byte(mark))))),
			map[string]string{"filename@a.txt": "a.txt", "body@a.txt": "plain|" + mark}},
		{"the same attachment data", tnefStream(attAttr(aRendData, rendData), attAttr(aAttachData, []byte(mark)),
			attAttr(aAttachment, tnefProps(str(pLongName, "a.txt"), bin(pData, []byte(mark))))),
			map[string]string{"filename@a.txt": "a.txt", "body@a.txt": mark}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			doctest.WantParts(t, doc, c.want)
			if len(doc.Review) != 0 {
				t.Errorf("review %q", doc.Review)
			}
		})
	}
}

// onePagePDF writes a PDF of one page that shows text.
func onePagePDF(text string) []byte {
	content := "BT /F1 12 Tf 20 100 Td (" + text + ") Tj ET"
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>",
		fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content),
		"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
	}
	b := []byte("%PDF-1.4\n")
	var offsets []int
	for i, o := range objs {
		offsets = append(offsets, len(b))
		b = fmt.Appendf(b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := len(b)
	b = fmt.Appendf(b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		b = fmt.Appendf(b, "%010d 00000 n \n", off)
	}
	return fmt.Appendf(b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, xref)
}

// A PDF attached at the end of a TNEF stream is read once, as the
// attachment, not again as a PDF appended to the stream.
func TestTNEFPDFAttached(t *testing.T) {
	stream := tnefStream(msgAttr(aSubject, []byte("s\x00")), attAttr(aRendData, rendData), attAttr(aAttachTitle, []byte("a.pdf\x00")),
		attAttr(aAttachData, onePagePDF("CONFIDENTIAL")))
	doc, err := read(t, stream, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var at []string
	for _, s := range doc.Segments {
		if strings.Contains(s.Text, "CONFIDENTIAL") {
			at = append(at, s.Inner)
		}
	}
	if len(at) != 1 || at[0] != "a.pdf" || len(doc.Review) != 0 {
		t.Errorf("read at %q, review %q:\n%s", at, doc.Review, doctest.ShowPages(doc.Segments))
	}
}

// Outlook writes a NUL-terminated sentence as the data of an attached
// message, for mail programs that cannot read it: read as text, beside the
// message, and no review.
func TestTNEFAttachedMessagePlaceholder(t *testing.T) {
	inner := tnefStream(msgAttr(aMsgProps, tnefProps(str(pBody, "内层：机密★5年"))))
	stream := tnefStream(attAttr(aRendData, rendData), attAttr(aAttachTitle, []byte("Untitled Attachment\x00")),
		attAttr(aAttachData, []byte("This attachment is a MAPI 1.0 embedded message and is not supported by this mail system.\x00")),
		attAttr(aAttachment, tnefProps(long(pMethod, 5), attached(inner))))
	doc, err := read(t, stream, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := doctest.Parts(doc, "|")
	if len(doc.Review) != 0 || got["body@Untitled Attachment"] != "This attachment is a MAPI 1.0 embedded message and is not supported by this mail system.|内层：机密★5年" {
		t.Errorf("review %q:\n%s", doc.Review, doctest.ShowPages(doc.Segments))
	}
}
