package extract

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// Web pages and mail are text files told apart by their first content;
// text that merely mentions a tag or a header field stays plain text.
func TestSniffMarkup(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String(`<html><meta charset=gbk><body>机密★5年`)
	utf16, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String("<!DOCTYPE html>\r\n<html><body>机密")
	cases := []struct {
		name string
		data string
		want Format
	}{
		{"doctype", "<!DOCTYPE html>\n<html><body>机密</body></html>", FormatHTML},
		{"doctype lower, blank lines first", "\n\n  <!doctype html><p>机密", FormatHTML},
		{"Word's html", `<html xmlns:v="urn:schemas-microsoft-com:vml"` + "\r\nxmlns:o=\"urn:schemas-microsoft-com:office:office\">\r\n<head>", FormatHTML},
		{"saved-from comment first", "<!-- saved from url=(0014)about:internet -->\r\n<HTML><HEAD>", FormatHTML},
		{"XHTML", `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x"><html>`, FormatHTML},
		{"body only", "<body>\n机密</body>", FormatHTML},
		{"meta charset only", `<meta charset="utf-8"><p>机密`, FormatHTML},
		{"GBK page", gbk, FormatHTML},
		{"UTF-8 BOM page", "\xEF\xBB\xBF<html><body>机密", FormatHTML},
		{"UTF-16 page", utf16, FormatHTML},
		{"mail", "Return-Path: <a@b.cn>\r\nReceived: from x\r\n\tby y\r\nFrom: a@b.cn\r\nTo: c@d.cn\r\nSubject: =?GB2312?B?ufrD3A==?=\r\n\r\nbody", FormatEML},
		{"mailbox From line", "From - Mon Jun 01 10:00:00 2026\nFrom: a@b.cn\nSubject: x\n\n机密", FormatEML},
		{"Word's mht", "MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01DA\"\r\n\r\n此文档为“单个文件网页”", FormatEML},
		{"IE's mht", "From: <Saved by Windows Internet Explorer 8>\r\nSubject: \r\nDate: Mon, 1 Jun 2026 10:00:00 +0800\r\nMIME-Version: 1.0\r\n", FormatEML},
		{"header cut by the end of the head", "From: a\r\nTo: b\r\nX-Long: " + strings.Repeat("y", 9000), FormatEML},
		{"mail in two encodings", "From: a\r\nSubject: \xBB\xFA\xC3\xDC\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n机密", FormatEML},
		{"page in two encodings", "<html><body>\xBB\xFA\xC3\xDC 机密", FormatHTML},
		{"binary after a tag", "<html>\x00\x01\x02", FormatUnknown},
		{"markdown mentioning a tag", "# 说明\n\n文件用 <html> 标签开头。\n", FormatText},
		{"text starting with a tag name", "<html is the root element of a page, 机密", FormatText},
		{"tag not closed", "<html lang=zh " + strings.Repeat("x", 3000), FormatText},
		{"a meta without charset", `<meta name="x">机密`, FormatText},
		{"one header field", "Subject: 会议通知\n\n机密★5年", FormatText},
		{"memo with a colon line", "To: 张三\n请于明日到会。\nFrom: 李四\n", FormatText},
		{"fields not first", "通知\nFrom: a\nTo: b\n", FormatText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Sniff(bytes.NewReader([]byte(c.data)), int64(len(c.data)))
			if err != nil || got != c.want {
				t.Errorf("Sniff = %s, %v; want %s", got, err, c.want)
			}
		})
	}
}
