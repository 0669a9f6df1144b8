package extract

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"unicode/utf16"
)

func TestExtractText(t *testing.T) {
	const zh = "机密★5年\n内部资料，注意保存"
	cases := []struct {
		name   string
		data   []byte
		enc    textEncoding
		want   string
		review bool
	}{
		{"utf-8", []byte(zh), encUTF8, zh, false},
		{"utf-8 bom stripped", []byte("\xEF\xBB\xBF" + zh), encUTF8, zh, false},
		{"utf-16le", []byte("\xFF\xFE\x3A\x67\xC6\x5B\x05\x26\x35\x00\x74\x5E"), encUTF16LE, "机密★5年", false},
		{"utf-16be", []byte("\xFE\xFF\x67\x3A\x5B\xC6\x26\x05\x00\x35\x5E\x74"), encUTF16BE, "机密★5年", false},
		{"gb18030", gbk(t, zh), encGB18030, zh, false},
		{"gb18030 four-byte", gbk(t, "€㐀机密"), encGB18030, "€㐀机密", false},
		{"ascii", []byte("plain text\r\n"), encUTF8, "plain text\r\n", false},
		{"neither utf-8 nor gb18030", []byte("ab\xFFcd"), encNone, "ab\uFFFDcd", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := detectText(c.data, false); got != c.enc {
				t.Errorf("detectText = %d, want %d", got, c.enc)
			}
			doc, err := extractText(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if len(doc.Segments) != 1 || doc.Segments[0].Part != PartBody || doc.Segments[0].Text != c.want {
				t.Errorf("segments = %+v, want one body segment %q", doc.Segments, c.want)
			}
			if (len(doc.Review) > 0) != c.review {
				t.Errorf("review = %q, want review %v", doc.Review, c.review)
			}
			// Sniff agrees with the extractor on what is text.
			if c.enc != encNone {
				if f, err := Sniff(bytes.NewReader(c.data), int64(len(c.data))); f != FormatText || err != nil {
					t.Errorf("Sniff = %q, %v; want text", f, err)
				}
			}
		})
	}
}

func TestExtractTextEmpty(t *testing.T) {
	doc, err := Reader(context.Background(), bytes.NewReader(nil), 0, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != FormatText || len(doc.Segments) != 0 || len(doc.Review) != 0 {
		t.Errorf("empty file = %+v, want clean text without segments", doc)
	}
}

func TestExtractTextLimit(t *testing.T) {
	cases := []struct {
		name string
		data []byte
		max  int64
	}{
		{"file over the limit", []byte(strings.Repeat("a", 100)), 99},
		// 6 GB18030 bytes decode to 9 UTF-8 bytes.
		{"decoded text over the limit", gbk(t, "机密文"), 8},
		// The 12 UTF-8 bytes behind the mark read as 6 UTF-16 characters
		// (18 bytes) and as themselves (12): both readings are text the
		// document holds, and the budget counts both.
		{"both readings over the limit", append([]byte("\xFF\xFE"), "机密文件"...), 25},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := extractText(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), Options{MaxText: c.max}.WithDefaults())
			if KindOf(err) != KindLimit || !strings.Contains(err.Error(), "max text") {
				t.Errorf("error = %v, want a max text limit", err)
			}
		})
	}
}

// Two bytes of a UTF-16 byte order mark in front of a GB18030 or UTF-8 text
// make editors show nonsense, but the text is still there: it is read as
// well, as a second reading.
func TestExtractTextBehindBOM(t *testing.T) {
	const zh = "机密★5年 内部资料"
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"utf-16le mark, gb18030 text", append([]byte("\xFF\xFE"), gbk(t, zh)...)},
		{"utf-16le mark, odd length", append([]byte("\xFF\xFE0"), gbk(t, zh)...)},
		{"utf-16be mark, utf-8 text", append([]byte("\xFE\xFF"), zh...)},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc, err := extractText(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), DefaultOptions())
			if err != nil {
				t.Fatal(err)
			}
			if n := len(doc.Segments); n != 2 || doc.Segments[1].Reading != FormatText || !strings.Contains(doc.Segments[1].Text, "机密★5年") {
				t.Errorf("segments = %+v, want the text behind the mark as a second reading", doc.Segments)
			}
		})
	}
}

// UTF-8 text put behind a UTF-16 byte order mark, among bytes that make
// valid but meaningless UTF-16 (Yi syllables), is read as a terminal shows
// it; genuine UTF-16 text gives no such reading.
func TestUTF8BehindUTF16Mark(t *testing.T) {
	junk := append([]byte("\xfe\xff\x0f\x01"), bytes.Repeat([]byte{0xa5}, 400)...)
	data := append(junk, "\n机密★5年 内部资料\n"...)
	doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(allText(doc), "机密★5年 内部资料") {
		t.Errorf("segments %+v", doc.Segments)
	}
	genuine := append([]byte("\xff\xfe"), utf16le("关于做好保密工作的通知\n各有关单位：现将有关事项通知如下。")...)
	if lines := utf8Lines(genuine); lines != "" {
		t.Errorf("genuine UTF-16 read as UTF-8: %q", lines)
	}
}

func utf16le(s string) []byte {
	var b []byte
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}
