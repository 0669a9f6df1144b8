package msxls_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/officeart/officearttest"
	"github.com/baomi/baomi/scanner/extract/internal/olepropset/proptest"
)

// rec is one BIFF record.
func rec(typ uint16, parts ...[]byte) []byte {
	data := bytes.Join(parts, nil)
	return append(binary.LittleEndian.AppendUint16(binary.LittleEndian.AppendUint16(nil, typ), uint16(len(data))), data...)
}

func u16(v ...uint16) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint16(b, x)
	}
	return b
}

func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// wide is s in UTF-16LE.
func wide(s string) []byte { return u16(utf16.Encode([]rune(s))...) }

// str16 is an XLUnicodeString of s with 2-byte characters.
func str16(s string) []byte {
	return append(append(u16(uint16(len(utf16.Encode([]rune(s))))), 1), wide(s)...)
}

const (
	bof, eof, sst, cont, labelSST, label, formula, str, boundSheet, header, obj, txo, filePass = 0x0809, 0x000A, 0x00FC, 0x003C, 0x00FD, 0x0204, 0x0006, 0x0207, 0x0085, 0x0014, 0x005D, 0x01B6, 0x002F
)

// workbook builds a BIFF8 workbook stream: globals (with extra records),
// then one substream per sheet body, the sheet list pointing at them.
func workbook(globals []byte, sheets ...struct {
	name  string
	state byte
	body  []byte
}) []byte {
	bofOf := func(dt uint16) []byte { return rec(bof, u16(0x0600, dt), make([]byte, 12)) }
	size := len(bofOf(5)) + len(globals) + len(rec(eof))
	for _, s := range sheets {
		size += len(rec(boundSheet, u32(0), []byte{s.state, 0, byte(len(utf16.Encode([]rune(s.name)))), 1}, wide(s.name)))
	}
	var list, subs []byte
	for _, s := range sheets {
		list = append(list, rec(boundSheet, u32(uint32(size+len(subs))), []byte{s.state, 0, byte(len(utf16.Encode([]rune(s.name)))), 1}, wide(s.name))...)
		subs = append(subs, bofOf(0x10)...)
		subs = append(subs, s.body...)
		subs = append(subs, rec(eof)...)
	}
	out := append(bofOf(5), globals...)
	out = append(out, list...)
	out = append(out, rec(eof)...)
	return append(out, subs...)
}

type sheetDef = struct {
	name  string
	state byte
	body  []byte
}

func readXLS(t *testing.T, stream []byte) (*extract.Document, error) {
	t.Helper()
	file := cfb.Build(cfb.Stream{Path: "Workbook", Data: stream})
	return extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{})
}

func segs(doc *extract.Document) string {
	var b strings.Builder
	for _, s := range doc.Segments {
		b.WriteString(string(s.Part))
		b.WriteString(" ")
		b.WriteString(string(rune('0' + s.Page)))
		b.WriteString(": ")
		b.WriteString(s.Text)
		b.WriteString("\n")
	}
	return b.String()
}

// A workbook's text in every place it hides: a shared string split across
// a CONTINUE record (its flags byte read again there, the characters
// going from one byte to two), a rich string with a phonetic block, a
// LABEL, a formula's string result, a header, a cell comment, a text box,
// a hidden sheet.
func TestRead(t *testing.T) {
	rich := append(append(u16(2), 0x0D), u16(1)...) // 2 chars, 16-bit, rich (1 run), phonetic
	rich = append(rich, u32(3)...)
	rich = append(rich, wide("绝密")...)
	rich = append(rich, 0, 0, 0, 0, 9, 9, 9)
	// String 1, "AB机密★5年": 2 one-byte characters in the SST record, the
	// rest (two-byte) in the CONTINUE after a new flags byte.
	sstRec := rec(sst, u32(3), u32(2), u16(7), []byte{0}, []byte("AB"))
	contRec := rec(cont, []byte{1}, wide("机密★5年"), rich)
	globals := append(sstRec, contRec...)
	comment := append(append(rec(obj, u16(0x15, 0x12, 0x19, 1), make([]byte, 14)),
		rec(txo, u16(0x0212, 0), make([]byte, 6), u16(3, 16), make([]byte, 4))...),
		rec(cont, []byte{1}, wide("批注内"))...)
	comment = append(comment, rec(cont, []byte{1}, wide("容"))...) // not read: cch is 3
	box := append(rec(obj, u16(0x15, 0x12, 0x06, 2), make([]byte, 14)),
		append(rec(txo, u16(0x0212, 0), make([]byte, 6), u16(4, 16), make([]byte, 4)), rec(cont, []byte{0}, []byte("box!"))...)...)
	body1 := bytes.Join([][]byte{
		rec(header, str16("&C&\"宋体\"秘密&P")),
		rec(labelSST, u16(0, 0, 15), u32(0)),
		rec(labelSST, u16(0, 1, 15), u32(1)),
		rec(label, u16(1, 0, 15), str16("标签")),
		rec(formula, u16(2, 3, 15), make([]byte, 14)),
		rec(str, str16("公式结果")),
		comment, box,
	}, nil)
	body2 := rec(labelSST, u16(0, 0, 15), u32(0))
	doc, err := readXLS(t, workbook(globals, sheetDef{"第一", 0, body1}, sheetDef{"隐藏", 2, body2}))
	if err != nil {
		t.Fatal(err)
	}
	want := "sheet-name 1: 第一\nbody 1: AB机密★5年\t绝密\n标签\n公式结果\nheader 1: 秘密\ncomment 1: 批注内\ntextbox 1: box!\nsheet-name 2: 隐藏\nhidden 2: AB机密★5年\n"
	if got := segs(doc); got != want || len(doc.Review) > 0 || doc.Format != extract.FormatXLS {
		t.Errorf("got\n%s%q, want\n%s", got, doc.Review, want)
	}
}

// Damaged and encrypted workbooks are never read as complete.
func TestDamaged(t *testing.T) {
	ok := workbook(nil, sheetDef{"S", 0, rec(label, u16(0, 0, 15), str16("文本"))})
	cases := []struct {
		name   string
		stream []byte
		kind   extract.Kind // "" for a review
	}{
		{"not BIFF", []byte("hello"), extract.KindCorrupt},
		{"encrypted", workbook(rec(filePass, u16(1, 1, 1)), sheetDef{"S", 0, nil}), extract.KindEncrypted},
		{"truncated record", ok[:len(ok)-8], ""},
		{"shared string past its record", workbook(rec(sst, u32(1), u32(1), u16(50), []byte{0}, []byte("ab"))), ""},
		{"label past its record", workbook(nil, sheetDef{"S", 0, rec(label, u16(0, 0, 15), u16(40), []byte{1}, wide("文"))}), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readXLS(t, c.stream)
			if c.kind != "" {
				if extract.KindOf(err) != c.kind {
					t.Errorf("got %v (%s), want %s", err, extract.KindOf(err), c.kind)
				}
				return
			}
			if err != nil || len(doc.Review) == 0 {
				t.Errorf("got %v, %v: want a review", doc, err)
			}
		})
	}
}

// An Excel 2, 3 or 4 file is its workbook stream alone, no compound file:
// sniffed from its BOF record and read, its one sheet on page 1.
func TestExcel4(t *testing.T) {
	for _, c := range []struct {
		name string
		bof  uint16
		cell []byte
	}{
		{"Excel 4", 0x0409, rec(label, u16(0, 0, 15), u16(6), []byte("Secret"))},
		{"Excel 2", 0x0009, rec(0x0004, u16(0, 0), []byte{0, 0, 0, 6}, []byte("Secret"))},
	} {
		file := bytes.Join([][]byte{rec(c.bof, u16(0, 0x10, 0)), rec(0x0042, u16(1252)), c.cell, rec(eof)}, nil)
		doc, err := extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{})
		if err != nil || doc.Format != extract.FormatXLS || segs(doc) != "body 1: Secret\n" {
			t.Errorf("%s: %v, %+v", c.name, err, doc)
		}
	}
}

// The codes of a header are dropped, its text kept whole, multi-byte
// characters after an ampersand too.
func TestHeaderText(t *testing.T) {
	for in, want := range map[string]string{
		"&L左&C&\"宋体,Bold\"&12机密&R&P / &N": "左\n机密\n /",
		"A && B &K00FF00绿":                "A & B 绿",
		"&机密":                             "&机密",
		"&K机":                             "机",
	} {
		doc, err := readXLS(t, workbook(nil, sheetDef{"S", 0, rec(header, str16(in))}))
		if err != nil || len(doc.Segments) != 2 || doc.Segments[1].Text != want {
			t.Errorf("%q: %v %+v, want %q", in, err, doc, want)
		}
	}
}

// Excel 5/95 text is in the code page the workbook names: GBK for 936. A
// code page baomi does not know makes the workbook review.
func TestBIFF5CodePage(t *testing.T) {
	gbk := func(s string) []byte {
		b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	name, text := gbk("表一"), gbk("机密★5年")
	build := func(cp uint16) []byte {
		bof := func(dt uint16) []byte { return rec(bof, u16(0x0500, dt), make([]byte, 4)) }
		globals := append(bof(5), rec(0x0042, u16(cp))...)
		sheetAt := len(globals) + len(rec(boundSheet, u32(0), []byte{0, 0, byte(len(name))}, name)) + len(rec(eof))
		globals = append(globals, rec(boundSheet, u32(uint32(sheetAt)), []byte{0, 0, byte(len(name))}, name)...)
		globals = append(globals, rec(eof)...)
		return append(globals, bytes.Join([][]byte{bof(0x10), rec(label, u16(0, 0, 15, uint16(len(text))), text), rec(eof)}, nil)...)
	}
	doc, err := readXLS(t, build(936))
	if want := "sheet-name 1: 表一\nbody 1: 机密★5年\n"; err != nil || segs(doc) != want || len(doc.Review) != 0 {
		t.Errorf("936: %v\n%s%q, want\n%s", err, segs(doc), doc.Review, want)
	}
	doc, err = readXLS(t, build(12345))
	if err != nil || len(doc.Review) != 1 {
		t.Errorf("unknown code page: %v %+v, want a review", err, doc)
	}
}

// Cells of hidden rows and columns are read as hidden text.
func TestHiddenRowsColumns(t *testing.T) {
	row := rec(0x0208, u16(1, 0, 3, 255, 0, 0), []byte{0x20, 0x01}, u16(15))
	col := rec(0x007D, u16(2, 3, 0, 15), []byte{1, 0}, u16(0))
	body := bytes.Join([][]byte{row, col,
		rec(label, u16(0, 0, 15), str16("可见")), rec(label, u16(0, 2, 15), str16("隐藏列")), rec(label, u16(1, 0, 15), str16("隐藏行"))}, nil)
	doc, err := readXLS(t, workbook(nil, sheetDef{"S", 0, body}))
	if want := "sheet-name 1: S\nbody 1: 可见\nhidden 1: 隐藏列\n隐藏行\n"; err != nil || segs(doc) != want {
		t.Errorf("got %v\n%s, want\n%s", err, segs(doc), want)
	}
}

// An embedded object (a storage named MBD…) is read as a document of its
// own: here an OOXML-style Package stream wrapping a text file, and an
// Excel 97-2003 workbook kept as the storage itself.
func TestObjects(t *testing.T) {
	wb := workbook(nil, sheetDef{"S", 0, rec(label, u16(0, 0, 15), str16("正文"))})
	inner := workbook(nil, sheetDef{"内", 0, rec(label, u16(0, 0, 15), str16("嵌入表格"))})
	file := cfb.Build(cfb.Stream{Path: "Workbook", Data: wb},
		cfb.Stream{Path: "MBD00000001/Package", Data: []byte("嵌入文件：机密★5年")},
		cfb.Stream{Path: "MBD00000002/Workbook", Data: inner})
	doc, err := extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range doc.Segments {
		got = append(got, s.Inner+": "+s.Text)
	}
	if want := ": S\n: 正文\nMBD00000001: 嵌入文件：机密★5年\nMBD00000002: 内\nMBD00000002: 嵌入表格"; strings.Join(got, "\n") != want || len(doc.Review) > 0 {
		t.Errorf("got\n%s\n%q, want\n%s", strings.Join(got, "\n"), doc.Review, want)
	}
}

// A workbook in a damaged compound file is read as far as it goes, as
// LibreOffice reads it, and is review: a workbook stream longer than the
// file, a FAT entry past the FAT, a bad sector size, a stream that lost
// its BOF record or has zeros before it (read from its first BOF record).
func TestDamagedCompoundFile(t *testing.T) {
	filler := rec(label, u16(1, 0, 15), str16(strings.Repeat("填", 2100))) // over the mini stream's 4096 bytes
	stream := workbook(nil, sheetDef{"S", 0, append(rec(label, u16(0, 0, 15), str16("机密★5年")), filler...)})
	good := cfb.Build(cfb.Stream{Path: "Workbook", Data: stream})
	le := binary.LittleEndian
	fatOff := 512 * (1 + int(le.Uint32(good[0x4C:])))
	dirOff := 512 * (1 + int(le.Uint32(good[0x30:])))
	damage := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	noBOF := cfb.Build(cfb.Stream{Path: "Workbook", Data: stream[len(rec(bof, make([]byte, 16))):]})
	cases := []struct {
		name string
		file []byte
		want string // the review sentence
	}{
		{"stream longer than the file", damage(func(b []byte) { le.PutUint32(b[dirOff+128+120:], 1<<30) }), cfb.DamagedReview},
		{"chain out of the FAT", damage(func(b []byte) { le.PutUint32(b[fatOff+4*2:], 1<<20) }), cfb.DamagedReview},
		{"bad sector size", damage(func(b []byte) { b[0x1E] = 7 }), cfb.DamagedReview},
		{"no BOF record", noBOF, "damaged Excel workbook: some records could not be read"},
		{"zeros before the BOF record", cfb.Build(cfb.Stream{Path: "Workbook", Data: append(make([]byte, 20), stream...)}), "damaged Excel workbook: some records could not be read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extract.Reader(context.Background(), bytes.NewReader(c.file), int64(len(c.file)), extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(segs(doc), "机密★5年") || !slices.Contains(doc.Review, c.want) {
				t.Errorf("got\n%s%q, want the marking and review %q", segs(doc), doc.Review, c.want)
			}
		})
	}
}

// The document properties (a title naming a marking, a user-defined 密级)
// are read as metadata, as in .doc files; a damaged property set is noted.
func TestProperties(t *testing.T) {
	wb := workbook(nil, sheetDef{"S", 0, rec(label, u16(0, 0, 15), str16("正文"))})
	for _, c := range []struct {
		name   string
		props  []byte
		meta   string
		review []string
	}{
		{"read", proptest.Set(proptest.SummaryID, 65001, map[uint32]string{2: "机密★5年 预算"}, nil), "机密★5年 预算", nil},
		{"damaged", []byte("not a property set"), "", []string{"damaged document properties: they are not read"}},
		// A second section (user-defined properties) outside the stream:
		// the first is read, and the lost section said.
		{"a section not read", func() []byte {
			s := proptest.Set(proptest.SummaryID, 65001, map[uint32]string{2: "机密★5年 预算"}, nil)
			return slices.Concat(s[:24], u32(2), s[28:44], u32(68), proptest.UserID[:], u32(1<<20), s[48:])
		}(), "机密★5年 预算", []string{"damaged document properties: 1 section is not read"}},
		// The title's offset (its entry follows the code page's) points
		// outside the stream.
		{"a property not read", func() []byte {
			s := proptest.Set(proptest.SummaryID, 65001, map[uint32]string{2: "机密★5年 预算"}, nil)
			binary.LittleEndian.PutUint32(s[48+20:], 1<<20)
			return s
		}(), "", []string{"damaged document properties: 1 property is not read"}},
	} {
		file := cfb.Build(cfb.Stream{Path: "Workbook", Data: wb}, cfb.Stream{Path: "\x05SummaryInformation", Data: c.props})
		doc, err := extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		meta := doctest.Parts(doc, "\n")[string(extract.PartMetadata)]
		if meta != c.meta || !slices.Equal(doc.Review, c.review) {
			t.Errorf("%s: metadata %q, review %q; want %q, %q", c.name, meta, doc.Review, c.meta, c.review)
		}
	}
}

// Text a workbook shows without holding it in a cell: the literal text of
// its number formats (every cell of their style shows it), a data
// validation's prompt and error message, a hyperlink's tooltip, a shape's
// WordArt and description.
func TestFormatsPromptsTooltips(t *testing.T) {
	const format, dv, tip = 0x041E, 0x01BE, 0x0800
	globals := append(rec(format, u16(164), str16(`"机密★5年 "0.00`)), rec(format, u16(165), str16("0.00%"))...)
	empty := append(u16(1), 0, 0) // an empty string: one NUL
	body := bytes.Join([][]byte{
		rec(label, u16(0, 0, 15), str16("数据")),
		rec(dv, u32(0), str16("填写说明"), empty, str16("仅限内部使用"), str16("输入有误"), u16(0, 0), u16(0, 0)),
		rec(tip, u16(tip), make([]byte, 8), wide("内部链接"), u16(0)),
		rec(0x00EC, officearttest.Shape("公章", "内部资料")), // MSODRAWING: a shape's properties
	}, nil)
	doc, err := readXLS(t, workbook(globals, sheetDef{"表", 0, body}))
	if err != nil {
		t.Fatal(err)
	}
	want := "sheet-name 1: 表\nbody 1: 数据\ncomment 1: 填写说明\ncomment 1: 仅限内部使用\ncomment 1: 输入有误\ncomment 1: 内部链接\ntextbox 0: 内部资料\nalttext 0: 公章\nbody 0: 机密★5年\n"
	if got := segs(doc); got != want || len(doc.Review) > 0 {
		t.Errorf("got\n%s%q, want\n%s", got, doc.Review, want)
	}
}

// A data-validation record cut short after a string's count is damage,
// read as far as it goes, never a crash.
func TestValidationCutShort(t *testing.T) {
	const dv = 0x01BE
	body := append(rec(label, u16(0, 0, 15), str16("数据")), rec(dv, u32(0), str16("提示"), u16(0))...)
	doc, err := readXLS(t, workbook(nil, sheetDef{"表", 0, body}))
	if err != nil {
		t.Fatal(err)
	}
	if got := segs(doc); !strings.Contains(got, "comment 1: 提示") || len(doc.Review) != 1 {
		t.Errorf("got\n%s%q", got, doc.Review)
	}
}
