package msg_test

import (
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/fuzzcheck"
	"github.com/baomi/baomi/scanner/extract/internal/ziptest"
)

// FuzzMSG reads any bytes through extract.Reader, seeded with messages
// of each part the reader reads: never a panic or a hang, and the
// contract of fuzzcheck (reasons ours, text within its limit).
func FuzzMSG(f *testing.F) {
	inner := &message{props: []prop{str(pSubject, "内层"), str(pBody, "机密")}}
	seeds := []message{
		{props: []prop{str(pSubject, "机密★5年"), long(pCodePage, 936), str8(pBody, []byte("\xbb\xfa\xc3\xdc"))}},
		{props: []prop{bin(pHTML, []byte("<p>机密")), bin(pRTF, compressRTF(`{\rtf1 `+rtfText("机密")+`}`))}},
		{props: []prop{str(pClass, "IPM.Note.SMIME.MultipartSigned"), multi(pKeywords, "a", "b")},
			recips:  [][]prop{{str(pDisplayName, "张三"), str(pEmail, "a@b.cn"), long(pRecipType, 1)}},
			attachs: []attachment{{props: []prop{long(pMethod, 1), str(pLongName, "a.txt"), str(pMIME, "multipart/signed"), bin(pData, []byte("Content-Type: text/plain\r\n\r\n机密"))}}}},
		{attachs: []attachment{{props: []prop{long(pMethod, 5)}, msg: inner}, {props: []prop{long(pMethod, 6)}, object: nil}}},
	}
	for _, m := range seeds {
		f.Add(m.build())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzcheck.Read(t, data)
	})
}

// FuzzTNEF reads any bytes through extract.Reader, seeded with TNEF
// streams of each attribute and property the reader reads.
func FuzzTNEF(f *testing.F) {
	inner := tnefStream(msgAttr(aSubject, []byte("inner\x00")), msgAttr(aBody, gbk(f, "机密")))
	seeds := [][]byte{
		tnefStream(msgAttr(aOEMCodepage, u32s(936, 0)), msgAttr(aSubject, nul(gbk(f, "机密★5年"))), msgAttr(aBody, gbk(f, "正文")),
			msgAttr(aFrom, append(u32s(0x00120004, 0x00040002), "a\x00b@c\x00"...))),
		tnefStream(msgAttr(aMsgProps, tnefProps(bin(pHTML, []byte("<p>机密")), bin(pRTF, compressRTF(`{\rtf1 `+rtfText("机密")+`}`)),
			long(pCodePage, 936), str8(pSubject, gbk(f, "主题")), multi(pKeywords, "a", "b"))),
			msgAttr(aRecipTable, recipTable([]prop{str(pDisplayName, "张三"), long(pRecipType, 1)}))),
		tnefStream(attAttr(aRendData, rendData), attAttr(aAttachTitle, []byte("a.txt\x00")), attAttr(aAttachData, []byte("机密")),
			attAttr(aRendData, rendData), attAttr(aAttachment, tnefProps(long(pMethod, 5), attached(inner)))),
		// Files attached last, which sniffing must not take for files
		// appended to the stream.
		tnefStream(attAttr(aRendData, rendData), attAttr(aAttachData, ziptest.Zip(f, ziptest.Entry{"a.txt", "机密"}))),
		tnefStream(attAttr(aRendData, rendData), attAttr(aAttachData, onePagePDF("x"))),
	}
	for _, s := range seeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzcheck.Read(t, data)
	})
}
