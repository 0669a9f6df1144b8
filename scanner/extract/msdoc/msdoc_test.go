package msdoc_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"image"
	pngenc "image/png"
	"reflect"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/officeart/officearttest"
	"github.com/baomi/baomi/scanner/extract/internal/olepropset/proptest"
)

const mark = "机密★5年"

func gbk(s string) string {
	b, _ := simplifiedchinese.GBK.NewEncoder().String(s)
	return b
}

func read(t *testing.T, b []byte) (*extract.Document, error) {
	t.Helper()
	return extract.Reader(context.Background(), bytes.NewReader(b), int64(len(b)), extract.DefaultOptions())
}

type seg struct {
	Part extract.Part
	Text string
}

func segs(doc *extract.Document) []seg {
	var out []seg
	for _, s := range doc.Segments {
		out = append(out, seg{s.Part, s.Text})
	}
	return out
}

// ffn6 is the font table of a Word 6/95 file: Times New Roman, then
// SimSun (宋体) made for the GB2312 character set (134).
var ffn6 = func() []byte {
	var b []byte
	for _, f := range []struct {
		chs  byte
		name string
	}{{0, "Times New Roman"}, {134, gbk("宋体")}} {
		ffn := append([]byte{0, 0x16, 0x90, 0x01, f.chs, 0}, f.name...)
		ffn = append(ffn, 0)
		ffn[0] = byte(len(ffn) - 1)
		b = append(b, ffn...)
	}
	return append(le16(nil, uint16(len(b)+2)), b...)
}()

// hiddenStyles is a stylesheet of three: an empty slot, a character
// style and a paragraph style whose CHPX has sprmCFVanish, based on none.
var hiddenStyles = func() []byte {
	std := func(kind uint16, upx ...[]byte) []byte {
		b := append(make([]byte, 10), le16(nil, 1)...) // the name: one character
		binary.LittleEndian.PutUint16(b[2:], kind|0x0FFF<<4)
		binary.LittleEndian.PutUint16(b[4:], uint16(len(upx)))
		b = le16(le16(b, '隐'), 0)
		for _, u := range upx {
			b = append(le16(b, uint16(len(u))), u...)
			if len(b)%2 != 0 {
				b = append(b, 0)
			}
		}
		return b
	}
	vanish := []byte{0x3C, 0x08, 1}
	stsh := le16(le16(le16(nil, 4), 3), 10)
	stsh = le16(stsh, 0) // the empty slot
	for _, s := range [][]byte{std(2, vanish), std(1, []byte{2, 0}, vanish)} {
		stsh = append(le16(stsh, uint16(len(s))), s...)
	}
	return stsh
}()

// TestRead reads Word documents built here: each story to its part,
// 8-bit and UTF-16 pieces, fields, deleted and hidden runs, Word 6/95
// files in GBK.
func TestRead(t *testing.T) {
	storyDoc := word{
		pieces: []pc{{text: "正文" + mark + "\r脚注\r页眉一\r页脚一\r页脚二\r批注\r尾注\r文本框\r页眉框\r\r", wide: true}},
		ccp:    [8]uint32{7, 3, 12, 0, 3, 3, 4, 4},
		// Six separators of notes (empty), then one section: even and
		// odd header, even and odd footer, first header and footer;
		// the even ones and the first header empty.
		hdd: []uint32{0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 8, 8, 12},
	}
	tests := []struct {
		name string
		doc  word
		want []seg
	}{
		{"utf16 body", body("第一段\r" + mark + "\r"), []seg{{extract.PartBody, "第一段\n" + mark}}},
		{"8-bit and utf16 pieces", word{pieces: []pc{{text: "Secret: ", wide: false}, {text: mark + "\r", wide: true}}, ccp: [8]uint32{14}},
			[]seg{{extract.PartBody, "Secret: " + mark}}},
		{"stories", storyDoc, []seg{
			{extract.PartBody, "正文" + mark},
			{extract.PartFootnote, "脚注"},
			{extract.PartHeader, "页眉一"},
			{extract.PartFooter, "页脚一"},
			{extract.PartFooter, "页脚二"},
			{extract.PartComment, "批注"},
			{extract.PartEndnote, "尾注"},
			{extract.PartTextbox, "文本框"},
			{extract.PartTextbox, "页眉框"},
		}},
		{"two fields, each code on a line", body("第\x13 PAGE \x14一\x15页共\x13 NUMPAGES \x14二\x15页\r"),
			[]seg{{extract.PartBody, "第一页共二页"}, {extract.PartField, "PAGE \n NUMPAGES"}}},
		{"field code apart, result kept", body("密级：\x13 DOCPROPERTY 密级 \x14" + mark + "\x15\r"),
			[]seg{{extract.PartBody, "密级：" + mark}, {extract.PartField, "DOCPROPERTY 密级"}}},
		{"nested field", body("\x13 IF \x13 AUTHOR \x14张\x15 = 1 \x14结果\x15\r"),
			[]seg{{extract.PartBody, "结果"}, {extract.PartField, "IF  AUTHOR \n张 = 1"}}},
		{"cells and special characters", body("甲\x07乙\x07\x07\x01图\x08\x1e\r"),
			[]seg{{extract.PartBody, "甲\t乙\t\t图-"}}},
		{"deleted and hidden runs", func() word {
			w := body("保留删除" + mark + "隐藏文字\r")
			w.runs = []charProps{
				{0, 2, nil},
				{2, 9, []byte{0x00, 0x08, 1}},     // sprmCFRMarkDel
				{9, 13, []byte{0x3C, 0x08, 0x81}}, // sprmCFVanish, opposite of the style
				{13, 14, []byte{0x3C, 0x08, 0x00}},
			}
			return w
		}(), []seg{{extract.PartBody, "保留"}, {extract.PartDeleted, "删除" + mark}, {extract.PartHidden, "隐藏文字"}}},
		{"hidden by its character style", func() word {
			w := body("正文" + mark + "\r")
			w.stsh = hiddenStyles
			w.runs = []charProps{{2, 7, []byte{0x30, 0x4A, 1, 0}}} // sprmCIstd 1
			return w
		}(), []seg{{extract.PartBody, "正文"}, {extract.PartHidden, mark}}},
		{"hidden by its paragraph style", func() word {
			w := body("正文\r" + mark + "\r")
			w.stsh = hiddenStyles
			w.paras = []paraStyle{{0, 3, 0}, {3, 9, 2}}
			return w
		}(), []seg{{extract.PartBody, "正文"}, {extract.PartHidden, mark}}},
		{"inserted run", func() word {
			w := body("原文新增\r")
			w.runs = []charProps{{2, 4, []byte{0x01, 0x08, 1}}} // sprmCFRMarkIns
			return w
		}(), []seg{{extract.PartBody, "原文"}, {extract.PartInserted, "新增"}}},
		{"fast-saved piece deleted by its Prm", word{pieces: []pc{{text: "保留", wide: true}, {text: mark, wide: true, deleted: true}, {text: "\r", wide: true}}, ccp: [8]uint32{8}},
			[]seg{{extract.PartBody, "保留"}, {extract.PartDeleted, mark}}},
		{"text past the stories", func() word {
			w := body("正文\r" + mark + "\r")
			w.ccp[0] = 3
			return w
		}(), []seg{{extract.PartBody, "正文"}, {extract.PartHidden, mark}}},
		{"word 6 in GBK", word{word6: true, lid: 0x0804, pieces: []pc{{text: gbk("六版" + mark + "\r"), wide: false}}, ccp: [8]uint32{uint32(len(gbk("六版" + mark + "\r")))}},
			[]seg{{extract.PartBody, "六版" + mark}}},
		{"word 95 in GBK, English language, Chinese font", word{word6: true, lid: 0x0409, fonts: ffn6, pieces: []pc{{text: gbk(mark + "\r"), wide: false}}, ccp: [8]uint32{uint32(len(gbk(mark + "\r")))}},
			[]seg{{extract.PartBody, mark}}},
		{"word 95 in Latin-1 with a Chinese font listed", word{word6: true, lid: 0x0409, fonts: ffn6, pieces: []pc{{text: "caf\xe9 \r", wide: false}}, ccp: [8]uint32{6}},
			[]seg{{extract.PartBody, "café"}}},
		{"word 95 deleted and hidden runs", func() word {
			text := gbk("保留删除隐藏\r")
			w := word{word6: true, lid: 0x0804, pieces: []pc{{text: text, wide: false}}, ccp: [8]uint32{uint32(len(text))}}
			w.runs = []charProps{
				{0, 4, []byte{98, 1}},                    // sprmCIco: a colour, passed over
				{4, 8, []byte{68, 4, 0, 0, 0, 0, 65, 1}}, // sprmCPicLocation, then sprmCFStrikeRM
				{8, 12, []byte{92, 0x81}},                // sprmCFVanish
				{12, 13, nil},
			}
			return w
		}(), []seg{{extract.PartBody, "保留"}, {extract.PartDeleted, "删除"}, {extract.PartHidden, "隐藏"}}},
		{"word 95 fast-saved", word{word6: true, complex: true, lid: 0x0804, pieces: []pc{{text: gbk("快速"), wide: false}, {text: gbk(mark + "\r"), wide: false}}, ccp: [8]uint32{uint32(len(gbk("快速" + mark + "\r")))}},
			[]seg{{extract.PartBody, "快速" + mark}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := read(t, tt.doc.build())
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != extract.FormatDOC || len(doc.Review) != 0 {
				t.Errorf("format %q, review %q", doc.Format, doc.Review)
			}
			if got := segs(doc); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got  %q\nwant %q", got, tt.want)
			}
		})
	}
}

// TestReadFails checks that what cannot be read whole is never clean:
// encrypted, damaged and older files fail with their kind, and text the
// streams do not hold makes the document review. A Word 97 file without
// its table stream is read from fcMin to fcMac, as LibreOffice reads it,
// and is review: what is hidden, deleted or a note cannot be told.
func TestReadFails(t *testing.T) {
	cut := body("全文" + mark + "\r")
	cut.ccp[0] = 40 // more characters than the pieces hold
	tests := []struct {
		name   string
		file   []byte
		kind   extract.Kind
		review bool
		text   string // what a review must still have read
	}{
		{"encrypted", word{flags: 0x0100, pieces: []pc{{text: mark, wide: true}}, ccp: [8]uint32{6}}.build(), extract.KindEncrypted, false, ""},
		{"obfuscated", word{flags: 0x8000, pieces: []pc{{text: mark, wide: true}}, ccp: [8]uint32{6}}.build(), extract.KindEncrypted, false, ""},
		{"word 2 fib in a compound file", word{nFib: 45, pieces: []pc{{text: mark, wide: true}}, ccp: [8]uint32{6}}.build(), extract.KindCorrupt, false, ""},
		{"no table stream", word{noTable: true, pieces: []pc{{text: mark, wide: true}}, ccp: [8]uint32{5}}.build(), extract.KindUnknown, true, mark},
		{"no table stream, 8-bit", word{noTable: true, pieces: []pc{{text: "TOP SECRET"}}, ccp: [8]uint32{10}}.build(), extract.KindUnknown, true, "TOP SECRET"},
		{"fib cut short", cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte{0xEC, 0xA5, 0xC1, 0}}), extract.KindCorrupt, false, ""},
		{"text past the piece table", cut.build(), extract.KindUnknown, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := read(t, tt.file)
			if tt.review {
				if err != nil || len(doc.Review) == 0 {
					t.Fatalf("want review, got %v, %v", doc, err)
				}
				if tt.text != "" && (len(doc.Segments) == 0 || doc.Segments[0].Text != tt.text) {
					t.Errorf("read %+v, want %q", doc.Segments, tt.text)
				}
				return
			}
			if extract.KindOf(err) != tt.kind {
				t.Fatalf("got %v (kind %v), want kind %v", err, extract.KindOf(err), tt.kind)
			}
		})
	}
}

// TestPropertiesAndObjects reads the document properties (GBK, with a
// user-defined one) as metadata, and an embedded object as a document of
// its own.
func TestPropertiesAndObjects(t *testing.T) {
	w := body("正文\r")
	w.extra = []cfb.Stream{
		{Path: "\x05SummaryInformation", Data: proptest.Set(proptest.SummaryID, 936, map[uint32]string{2: gbk("关于" + mark + "的通知")}, nil)},
		{Path: "\x05DocumentSummaryInformation", Data: proptest.Set(proptest.UserID, 936, map[uint32]string{2: gbk("绝密")}, map[uint32]string{2: gbk("密级")})},
		{Path: "ObjectPool/_1/CONTENTS", Data: []byte("附件：" + mark + "\n")},
	}
	// A Word document kept as a storage of its own.
	for _, s := range body("内嵌" + mark + "\r").streams() {
		w.extra = append(w.extra, cfb.Stream{Path: "ObjectPool/_2/" + s.Path, Data: s.Data})
	}
	doc, err := read(t, w.build())
	if err != nil {
		t.Fatal(err)
	}
	want := []seg{{extract.PartMetadata, "关于" + mark + "的通知\n密级: 绝密"}, {extract.PartBody, "正文"}, {extract.PartBody, "附件：" + mark + "\n"}, {extract.PartBody, "内嵌" + mark}}
	if got := segs(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for i, in := range []string{"ObjectPool/_1", "ObjectPool/_2"} {
		if got := doc.Segments[2+i].Inner; got != in {
			t.Errorf("inner %q, want %q", got, in)
		}
	}
}

// blip is an OfficeArt BLIP record holding a PNG of w×h pixels, with one
// id and the tag byte before it.
func blip(w, h int) []byte {
	var png bytes.Buffer
	if err := pngenc.Encode(&png, image.NewGray(image.Rect(0, 0, w, h))); err != nil {
		panic(err)
	}
	rec := binary.LittleEndian.AppendUint16(nil, 0x6E0<<4)
	rec = binary.LittleEndian.AppendUint16(rec, 0xF01E)
	rec = binary.LittleEndian.AppendUint32(rec, uint32(17+png.Len()))
	return append(append(rec, make([]byte, 17)...), png.Bytes()...)
}

// TestPictures checks that a picture stored in the Data stream makes the
// document review unless it is too small to hold a line of text, and that
// a metafile always does.
func TestPictures(t *testing.T) {
	emf := binary.LittleEndian.AppendUint16(nil, 0x3D4<<4)
	emf = binary.LittleEndian.AppendUint16(emf, 0xF01A)
	emf = binary.LittleEndian.AppendUint32(emf, 16+34+8)
	emf = append(emf, make([]byte, 16+34+8)...)
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"photo", append([]byte("PICF"), blip(200, 100)...), []string{"1 picture in the document may carry text (not read)"}},
		{"bullet", blip(15, 15), nil},
		{"metafile and photo", append(emf, blip(30, 400)...), []string{"2 pictures in the document may carry text (not read)"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := body("正文\x01\r")
			w.extra = []cfb.Stream{{Path: "Data", Data: tt.data}}
			doc, err := read(t, w.build())
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(doc.Review, tt.want) {
				t.Errorf("review %q, want %q", doc.Review, tt.want)
			}
		})
	}
}

// TestWord6Pictures: a Word 6/95 file keeps its pictures without
// OfficeArt records; each character anchoring one counts.
func TestWord6Pictures(t *testing.T) {
	text := gbk("图\x01文\x08\r")
	doc, err := read(t, word{word6: true, lid: 0x0804, pieces: []pc{{text: text}}, ccp: [8]uint32{uint32(len(text))}}.build())
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"2 pictures in the document may carry text (not read)"}; !reflect.DeepEqual(doc.Review, want) {
		t.Errorf("review %q, want %q", doc.Review, want)
	}
}

// TestShapeTexts reads the description of a picture (its alt text) and
// the text of a WordArt shape (a watermark) from the shapes' property
// tables.
func TestShapeTexts(t *testing.T) {
	w := body("正文\x08\r")
	w.extra = []cfb.Stream{{Path: "Data", Data: append([]byte("PICF"), officearttest.Shape(mark+"扫描件", "机密")...)}}
	doc, err := read(t, w.build())
	if err != nil {
		t.Fatal(err)
	}
	want := []seg{{extract.PartBody, "正文"}, {extract.PartTextbox, "机密"}, {extract.PartAltText, mark + "扫描件"}}
	if got := segs(doc); !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
