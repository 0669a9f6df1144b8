package msppt_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/binary"
	"errors"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/officeart/officearttest"
	"github.com/baomi/baomi/scanner/extract/internal/olepropset/proptest"
)

// record is a PowerPoint record: an atom of data, or a container (ver 0xF)
// of the records given as data.
func record(typ, instance uint16, container bool, data ...[]byte) []byte {
	vi := instance << 4
	if container {
		vi |= 0xF
	}
	body := bytes.Join(data, nil)
	b := binary.LittleEndian.AppendUint16(nil, vi)
	b = binary.LittleEndian.AppendUint16(b, typ)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(body)))
	return append(b, body...)
}

func u32(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

func chars(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = binary.LittleEndian.AppendUint16(b, u)
	}
	return record(0x0FA0, 0, false, b)
}

func cstring(instance uint16, s string) []byte {
	r := chars(s)
	binary.LittleEndian.PutUint16(r, instance<<4)
	binary.LittleEndian.PutUint16(r[2:], 0x0FBA)
	return r
}

// slidePersist is a SlidePersistAtom for persist id ref and slide id.
func slidePersist(ref, id uint32) []byte { return record(0x03F3, 0, false, u32(ref, 0, 0, id, 0)) }

// drawing is a PPDrawing holding a text box with text.
func drawing(text []byte) []byte {
	return record(0x040C, 0, true, record(0xF002, 0, true, record(0xF003, 0, true, record(0xF004, 0, true, record(0xF00D, 0, true, text)))))
}

// presentation lays the objects out in a stream, one persist id each from
// 1 (the document first), then the persist directory, then the user edit,
// and returns the stream and the Current User stream pointing at it.
func presentation(objects ...[]byte) (stream, current []byte) {
	offsets := []uint32{}
	for _, o := range objects {
		offsets = append(offsets, uint32(len(stream)))
		stream = append(stream, o...)
	}
	dirOff := uint32(len(stream))
	stream = append(stream, record(0x1772, 0, false, u32(uint32(len(objects))<<20|1), u32(offsets...))...)
	editOff := uint32(len(stream))
	stream = append(stream, record(0x0FF5, 0, false, u32(0, 0, 0, dirOff, 1, uint32(len(objects)+1), 0))...)
	current = record(0x0FF6, 0, false, u32(0x14, 0xE391C05F, editOff, 0))
	return stream, current
}

func readPPT(t *testing.T, streams ...cfb.Stream) (*extract.Document, error) {
	t.Helper()
	file := cfb.Build(streams...)
	return extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{})
}

func show(doc *extract.Document) string {
	var b strings.Builder
	for _, s := range doc.Segments {
		b.WriteString(string(s.Part) + " " + strconv.Itoa(s.Page) + ": " + s.Text + "\n")
	}
	return b.String()
}

// Slides come in the order the document lists them, not the order they
// are stored; each with its placeholder text (in the slide list), its
// text boxes, comments, footer, notes; a hidden slide's text is hidden.
func TestRead(t *testing.T) {
	doc := record(0x03E8, 0, true,
		record(0x0FF0, 0, true, slidePersist(3, 256), chars("第一张\r标题"), slidePersist(2, 257), chars("第二张")),
		record(0x0FF0, 2, true, slidePersist(4, 300)),
		record(0x0FD9, 3, true, cstring(2, "全局页脚")))
	// Object 2 (shown second) is stored before object 3 (shown first).
	second := record(0x03EE, 0, true,
		record(0x03F9, 0, false, make([]byte, 10), []byte{4, 0}, make([]byte, 4)), // hidden
		drawing(chars("隐藏内容")))
	first := record(0x03EE, 0, true,
		drawing(append(chars("机密★5年"), record(0x0FA8, 0, false, []byte("bytes"))...)),
		record(0x1388, 0, true, record(0x2EE0, 0, true, cstring(0, "作者"), cstring(1, "批注内容"))),
		record(0x0FD9, 0, true, cstring(2, "页脚")))
	notes := record(0x03F0, 0, true, record(0x03F1, 0, false, u32(256, 0)), drawing(chars("备注")))
	stream, current := presentation(doc, second, first, notes)
	got, err := readPPT(t, cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream})
	if err != nil {
		t.Fatal(err)
	}
	want := "body 1: 第一张\n标题\n机密★5年\nbytes\ncomment 1: 批注内容\nfooter 1: 页脚\nhidden 2: 第二张\n隐藏内容\nnotes 1: 备注\nfooter 0: 全局页脚\n"
	if s := show(got); s != want || len(got.Review) > 0 || got.Format != extract.FormatPPT {
		t.Errorf("got\n%s%q, want\n%s", s, got.Review, want)
	}

	// Without the Current User stream the slides are read as stored, and
	// the file is review.
	got, err = readPPT(t, cfb.Stream{Path: "PowerPoint Document", Data: stream})
	if err != nil {
		t.Fatal(err)
	}
	if s := show(got); !strings.Contains(s, "body 1: 隐藏内容") && !strings.Contains(s, "hidden 1: 隐藏内容") || !strings.Contains(s, "机密★5年") || len(got.Review) != 1 {
		t.Errorf("in stream order: got\n%s%q", s, got.Review)
	}
}

// Encrypted, damaged and PowerPoint 95 files are never read as complete.
func TestNotComplete(t *testing.T) {
	stream, current := presentation(record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(9, 256), chars("文本"))))
	encrypted := bytes.Clone(current)
	binary.LittleEndian.PutUint32(encrypted[12:], 0xF3D1C4DF)
	shared, sharedCurrent := presentation(record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256), slidePersist(2, 257))),
		record(0x03EE, 0, true, drawing(chars("一次"))))
	cases := []struct {
		name    string
		streams []cfb.Stream
		kind    extract.Kind // "" for a review
		text    string
	}{
		{"encrypted", []cfb.Stream{{Path: "Current User", Data: encrypted}, {Path: "PowerPoint Document", Data: stream}}, extract.KindEncrypted, ""},
		{"slide missing", []cfb.Stream{{Path: "Current User", Data: current}, {Path: "PowerPoint Document", Data: stream}}, "", "文本"},
		{"truncated", []cfb.Stream{{Path: "Current User", Data: current}, {Path: "PowerPoint Document", Data: stream[:len(stream)-3]}}, "", "文本"},
		{"two slides, one record", []cfb.Stream{{Path: "Current User", Data: sharedCurrent}, {Path: "PowerPoint Document", Data: shared}}, "", "body 1: 一次\n"},
		{"PowerPoint 95", []cfb.Stream{{Path: "PowerPoint Document", Data: []byte{1, 2, 3}}, {Path: "Text_Content", Data: []byte("Secret\rline")}}, "", "Secret\nline"},
		{"pictures", []cfb.Stream{{Path: "Current User", Data: current}, {Path: "PowerPoint Document", Data: stream}, {Path: "Pictures", Data: record(0xF01E, 0, false, []byte("png"))}}, "", "文本"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := readPPT(t, c.streams...)
			if c.kind != "" {
				if extract.KindOf(err) != c.kind || extract.FormatOf(err) != extract.FormatPPT {
					t.Errorf("got %v (%s, %s), want %s", err, extract.KindOf(err), extract.FormatOf(err), c.kind)
				}
				return
			}
			if err != nil || len(doc.Review) == 0 || !strings.Contains(show(doc), c.text) {
				t.Errorf("got %v, %v: want a review with %q", doc, err, c.text)
			}
		})
	}
}

// A master's own text (a stamp, a footer drawn on it) shows on every
// slide and is read, with Page 0; its placeholders' prompts show on none.
func TestMaster(t *testing.T) {
	shape := func(parts ...[]byte) []byte { return record(0xF004, 0, true, parts...) }
	placeholder := record(0xF011, 0, true, record(0x0BC3, 0, false, make([]byte, 8)))
	box := func(text string) []byte { return record(0xF00D, 0, true, chars(text)) }
	master := record(0x03F8, 0, true, record(0x040C, 0, true, record(0xF002, 0, true, record(0xF003, 0, true,
		shape(placeholder, box("单击此处编辑母版标题样式")),
		shape(box("机密★5年"))))))
	doc := record(0x03E8, 0, true,
		record(0x0FF0, 1, true, slidePersist(2, 0x80000000)),
		record(0x0FF0, 0, true, slidePersist(3, 256), chars("正文")))
	stream, current := presentation(doc, master, record(0x03EE, 0, true))
	got, err := readPPT(t, cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream})
	if want := "body 1: 正文\nbody 0: 机密★5年\n"; err != nil || show(got) != want {
		t.Errorf("got %v\n%s, want\n%s", err, show(got), want)
	}
}

// Embedded OLE objects, compressed or not, are read as documents of their
// own; one that cannot be inflated makes the file review; the VBA project
// is left out.
func TestObjects(t *testing.T) {
	object := cfb.Build(cfb.Stream{Path: "Package", Data: []byte("嵌入文件：机密★5年")})
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(object)
	zw.Close()
	compressed := append(u32(uint32(len(object))), z.Bytes()...)
	// The VBA project, program code: left out, as programs in archives are.
	vba := cfb.Build(cfb.Stream{Path: "VBA/dir", Data: []byte("x")}, cfb.Stream{Path: "PROJECT", Data: []byte("ID=")})
	doc := record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256)))
	stream, current := presentation(doc, record(0x03EE, 0, true, drawing(chars("正文"))),
		record(0x1011, 0, false, object), record(0x1011, 1, false, compressed), record(0x1011, 1, false, u32(100), []byte("not zlib")),
		record(0x1011, 0, false, vba))
	got, err := readPPT(t, cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream})
	if err != nil {
		t.Fatal(err)
	}
	var inner []string
	for _, s := range got.Segments {
		if s.Inner != "" {
			inner = append(inner, s.Inner+": "+s.Text)
		}
	}
	if want := "objects/1: 嵌入文件：机密★5年\nobjects/2: 嵌入文件：机密★5年"; strings.Join(inner, "\n") != want || len(got.Review) != 1 || got.Review[0] != "OLE object 3: damaged, not read" {
		t.Errorf("got %q %q, want %q and a review", inner, got.Review, want)
	}
}

// A PowerPoint 4.0 file (a PP40 stream) is another format: an error that
// names it, never read as empty.
func TestPowerPoint4(t *testing.T) {
	_, err := readPPT(t, cfb.Stream{Path: "PP40", Data: []byte("机密★5年")})
	var e *extract.Error
	if !errors.As(err, &e) || e.Kind != extract.KindUnsupported || e.Reason != "PowerPoint 4.0 format (.ppt): baomi cannot read this format yet" {
		t.Errorf("got %v, want unsupported PowerPoint 4.0 format", err)
	}
}

// The document properties are read as metadata, as in .doc files.
func TestProperties(t *testing.T) {
	doc := record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256)))
	stream, current := presentation(doc, record(0x03EE, 0, true, drawing(chars("正文"))))
	props := proptest.Set(proptest.UserID, 65001, map[uint32]string{2: "绝密"}, map[uint32]string{2: "密级"})
	got, err := readPPT(t, cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream},
		cfb.Stream{Path: "\x05DocumentSummaryInformation", Data: props})
	if err != nil {
		t.Fatal(err)
	}
	if s := show(got); !strings.Contains(s, "metadata 0: 密级: 绝密\n") {
		t.Errorf("read\n%s\nwant the metadata 密级: 绝密", s)
	}
}

// A shape's WordArt (a watermark across a slide) and description are read
// from its property table, which no text record holds: as a text box's
// text and as alt text, on no slide of their own.
func TestShapeTexts(t *testing.T) {
	doc := record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256)))
	slide := record(0x03EE, 0, true, record(0x040C, 0, true, record(0xF002, 0, true, record(0xF003, 0, true,
		record(0xF004, 0, true, officearttest.Shape("公章", "内部资料，注意保存"))))), drawing(chars("正文")))
	stream, current := presentation(doc, slide)
	got, err := readPPT(t, cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream})
	if err != nil {
		t.Fatal(err)
	}
	want := "body 1: 正文\ntextbox 0: 内部资料，注意保存\nalttext 0: 公章\n"
	if s := show(got); s != want || len(got.Review) > 0 {
		t.Errorf("got\n%s%q, want\n%s", s, got.Review, want)
	}
}
