package rtf_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats"
)

// gbk writes s as RTF \'xx escapes of its GBK bytes.
func gbk(t *testing.T, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, c := range b {
		fmt.Fprintf(&out, `\'%02x`, c)
	}
	return out.String()
}

// read reads an RTF document built by the test.
func read(t *testing.T, src string) (*extract.Document, error) {
	t.Helper()
	return extract.Reader(context.Background(), strings.NewReader(src), int64(len(src)), extract.Options{})
}

// parts joins the text of the segments of each part.
func parts(doc *extract.Document) map[extract.Part]string {
	out := map[extract.Part]string{}
	for _, s := range doc.Segments {
		if s.Inner != "" {
			out["inner:"+extract.Part(s.Inner)+":"+s.Part] += s.Text
			continue
		}
		out[s.Part] += s.Text
	}
	return out
}

// packaged is an \objdata holding an OLE 1.0 Package object that wraps a
// file of the given content, in hex.
func packaged(content []byte) string {
	le := binary.LittleEndian
	var pkg bytes.Buffer
	pkg.Write([]byte{2, 0})
	pkg.WriteString("a.txt\x00C:\\a.txt\x00")
	pkg.Write([]byte{0, 0, 3, 0})
	tmp := "C:\\tmp\\a.txt\x00"
	pkg.Write(le.AppendUint32(nil, uint32(len(tmp))))
	pkg.WriteString(tmp)
	pkg.Write(le.AppendUint32(nil, uint32(len(content))))
	pkg.Write(content)
	var obj bytes.Buffer
	obj.Write(le.AppendUint32(nil, 0x0501))
	obj.Write(le.AppendUint32(nil, 2))
	for _, s := range []string{"Package\x00", "\x00", "\x00"} {
		obj.Write(le.AppendUint32(nil, uint32(len(s))))
		obj.WriteString(s)
	}
	obj.Write(le.AppendUint32(nil, uint32(pkg.Len())))
	obj.Write(pkg.Bytes())
	return hex.EncodeToString(obj.Bytes())
}

// Each part of an RTF document is read, in its part, its Chinese text
// decoded whether it is written as GBK bytes or as \uN.
func TestRead(t *testing.T) {
	const mark = "机密★5年"
	tests := []struct {
		name string
		src  string
		want map[extract.Part]string
	}{
		{"GBK pairs under ansicpg936", `{\rtf1\ansi\ansicpg936 ` + gbk(t, mark) + `\par}`,
			map[extract.Part]string{extract.PartBody: mark}},
		{"GBK by the font's charset", `{\rtf1\ansi{\fonttbl{\f0\fcharset0 Arial;}{\f1\fcharset134 ` + gbk(t, "宋体") + `;}}\f1 ` + gbk(t, mark) + `}`,
			map[extract.Part]string{extract.PartBody: mark}},
		{"unicode with uc1", `{\rtf1\ansi\uc1\u26426?\u23494?\u9733?5\u24180?}`,
			map[extract.Part]string{extract.PartBody: mark}},
		{"unicode with uc2 and GBK twins", `{\rtf1\ansi\ansicpg936\uc2\u26426\'bb\'fa\u23494\'c3\'dc}`,
			map[extract.Part]string{extract.PartBody: "机密"}},
		{"negative unicode and a surrogate pair", `{\rtf1\u-3913?\u-10179?\u-8576?}`,
			map[extract.Part]string{extract.PartBody: "\uF0B7\U0001F680"}},
		{"uc skip stops at a group's end", `{\rtf1\uc3{\u26426?}\u23494???}`,
			map[extract.Part]string{extract.PartBody: "机密"}},
		{"header and footer", `{\rtf1\ansicpg936{\header\pard 页眉` + gbk(t, mark) + `\par}{\footerl 页脚}正文}`,
			map[extract.Part]string{extract.PartHeader: "页眉" + mark, extract.PartFooter: "页脚", extract.PartBody: "正文"}},
		{"footnote and endnote", `{\rtf1 A{\super\chftn}{\footnote\pard{\super\chftn} F}B{\footnote\ftnalt E}}`,
			map[extract.Part]string{extract.PartFootnote: " F", extract.PartEndnote: "E", extract.PartBody: "AB"}},
		{"annotation, its author skipped", `{\rtf1 A{\*\atnid XY}{\*\atnauthor Name}\chatn{\*\annotation{\*\atndate 1}\pard 批注}}`,
			map[extract.Part]string{extract.PartComment: "批注", extract.PartBody: "A"}},
		{"hidden, deleted and inserted", `{\rtf1 A{\v 隐藏}B\v C\v0 D{\deleted 删除}{\revised 插入}\revised F\plain E}`,
			map[extract.Part]string{extract.PartHidden: "隐藏C", extract.PartDeleted: "删除", extract.PartInserted: "插入F", extract.PartBody: "ABDE"}},
		{"field codes and results", `{\rtf1{\field{\*\fldinst HYPERLINK "x"}{\fldrslt 链接}}}`,
			map[extract.Part]string{extract.PartField: `HYPERLINK "x"`, extract.PartBody: "链接"}},
		{"properties, unicode twin read once", `{\rtf1{\info{\title T}{\upr{\author ??}{\*\ud{\author \u26426?}}}{\creatim\yr2020}}A}`,
			map[extract.Part]string{extract.PartMetadata: "T机", extract.PartBody: "A"}},
		{"user properties", `{\rtf1{\*\userprops{\propname P}\proptype30{\staticval V}}A}`,
			map[extract.Part]string{extract.PartMetadata: "PV", extract.PartBody: "A"}},
		{"tables and unknown destinations skipped", `{\rtf1{\fonttbl{\f0 Font;}}{\colortbl;\red0;}{\stylesheet{\s0 Normal;}}{\*\unknown 秘密}{\*\bkmkstart B}A}`,
			map[extract.Part]string{extract.PartBody: "A"}},
		{"binary data skipped, braces and all", "{\\rtf1 A{\\*\\blob\\bin6 }}{{\\x}B}",
			map[extract.Part]string{extract.PartBody: "AB"}},
		{"shape text once", `{\rtf1{\shp{\*\shpinst{\sp{\sn t}{\sv 1}}{\shptxt 文本框}}{\shprslt 文本框}}}`,
			map[extract.Part]string{extract.PartTextbox: "文本框"}},
		{"WordArt (a watermark) and a shape's description: text in properties", `{\rtf1{\header{\shp{\*\shpinst{\sp{\sn shapeType}{\sv 136}}{\sp{\sn gtextUNICODE}{\sv \u26426?\u23494?\u9733?5\u24180?}}{\sp{\sn wzDescription}{\sv 公章}}{\sp{\sn fFilled}{\sv 1}}}}}正文}`,
			map[extract.Part]string{extract.PartTextbox: mark, extract.PartAltText: "公章", extract.PartBody: "正文"}},
		{"symbols", `{\rtf1 a\tab b\line c\~d\{\}\\\lquote\emdash}`,
			map[extract.Part]string{extract.PartBody: "a\tb\nc\u00A0d{}\\\u2018\u2014"}},
		{"an object's file read as a document", `{\rtf1{\object\objemb{\*\objclass Package}{\*\objdata ` + packaged([]byte(mark+" 内容")) + `}{\result 图}}}`,
			map[extract.Part]string{"inner:object 1:" + extract.PartBody: mark + " 内容", "inner:object 1:" + extract.PartEmbedded: "a.txt\nC:\\a.txt", extract.PartBody: "图"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := read(t, tt.src)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != extract.FormatRTF || len(doc.Review) > 0 {
				t.Errorf("format %q, review %q", doc.Format, doc.Review)
			}
			got := parts(doc)
			if len(got) != len(tt.want) {
				t.Errorf("parts %q, want %q", got, tt.want)
			}
			for p, w := range tt.want {
				if got[p] != w {
					t.Errorf("%s = %q, want %q", p, got[p], w)
				}
			}
		})
	}
}

// A marking split by hidden and deleted characters is one segment, whole,
// as Word shows it.
func TestSplitMarking(t *testing.T) {
	doc, err := read(t, `{\rtf1 机{\v x}密{\deleted y}★5年}`)
	if err != nil {
		t.Fatal(err)
	}
	want := []extract.Segment{{Part: extract.PartBody, Text: "机密★5年"}, {Part: extract.PartHidden, Text: "x"}, {Part: extract.PartDeleted, Text: "y"}}
	if !slices.Equal(doc.Segments, want) {
		t.Errorf("segments %+v, want %+v", doc.Segments, want)
	}
}

// Formatting toggled on every character makes one segment per part, not
// one per toggle.
func TestToggles(t *testing.T) {
	doc, err := read(t, `{\rtf1 `+strings.Repeat(`a{\v b}`, 10000)+`}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Segments) != 2 || doc.Segments[0].Text != strings.Repeat("a", 10000) {
		t.Errorf("%d segments, want 2", len(doc.Segments))
	}
}

// The segments of the embedded object name it, with no part of its
// label (which names a file) in the inner path.
func TestObjectInner(t *testing.T) {
	doc, err := read(t, `{\rtf1{\object{\*\objdata `+packaged([]byte("机密"))+`}}}`)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range doc.Segments {
		if s.Inner != "object 1" {
			t.Errorf("segment %+v: want inner object 1", s)
		}
	}
}

// What cannot be read whole is never clean: too deep, cut short,
// pictures, an object that holds no document.
func TestNotClean(t *testing.T) {
	deep := strings.Repeat("{", 5000) + "机密" + strings.Repeat("}", 5000)
	tests := []struct {
		name, src, review string
		kind              extract.Kind
	}{
		{"nested too deep", `{\rtf1` + deep + `}`, "", extract.KindLimit},
		{"cut short", `{\rtf1{\b 机密`, "the RTF document ends inside an open group: it may be cut short", ""},
		{"an object's binary data claims more than the file holds", `{\rtf1{\object{\*\objdata \bin2000000000 ab}}}`,
			"the RTF document ends inside an open group: it may be cut short", ""},
		{"a picture", `{\rtf1{\*\shppict{\pict\pngblip\picwgoal2880\pichgoal1440 89504e47}}{\nonshppict{\pict\wmetafile8 0100}}}`,
			"1 picture in the document may carry text (not read)", ""},
		{"a picture in a shape's properties, its rendering not counted again",
			`{\rtf1{\shp{\*\shpinst{\sp{\sn pib}{\sv {\pict\pngblip\picw100\pich100 89}}}}{\shprslt{\*\shppict{\pict\pngblip 89}}}}}`,
			"1 picture in the document may carry text (not read)", ""},
		{"a linked object", `{\rtf1{\object\objlink{\*\objdata 01050000010000000100000000}}}`,
			"object 1: an embedded object that baomi cannot read", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := read(t, tt.src)
			if tt.kind != "" {
				if extract.KindOf(err) != tt.kind {
					t.Fatalf("err = %v, want kind %s", err, tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Review) != 1 || doc.Review[0] != tt.review {
				t.Errorf("review %q, want %q", doc.Review, tt.review)
			}
		})
	}
}

// A picture drawn too small to hold a line of text is a decoration.
func TestSmallPicture(t *testing.T) {
	doc, err := read(t, `{\rtf1{\pict\pngblip\picwgoal100\pichgoal100 89504e47}A}`)
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.Review) != 0 {
		t.Errorf("review %q, want none", doc.Review)
	}
}
