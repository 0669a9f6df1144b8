package html_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats"
	"github.com/baomi/baomi/scanner/extract/internal/doctest"
	"github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

// gbk encodes s in GBK, as Chinese Windows saves pages.
func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func utf16le(t testing.TB, s string) []byte {
	t.Helper()
	b, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func read(t testing.TB, data []byte) (*extract.Document, error) {
	t.Helper()
	return extract.Reader(context.Background(), bytes.NewReader(data), int64(len(data)), extract.Options{})
}

// A page is read part by part: what a browser shows as body, and what a
// copy carries besides, each where it belongs.
func TestRead(t *testing.T) {
	full := `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>机密★5年 通知</title>
<meta name="description" content="内部资料 摘要"><meta name="keywords" content="秘密,会议">
<style>.x::before { content: "绝密" }</style><script>var s = "核心机密";</script></head>
<body><!-- 草稿：秘密★10年 -->
<h1>关于  召开会议的
 通知</h1><p>第一段<b>加粗</b>文字 <i>CONFI</i>DENTIAL <i> x </i> y</p><p>第二段
<div hidden>隐藏的机密</div><span style="DISPLAY: none">样式隐藏</span><span style='display:none;mso-hide:all'>Word隐藏</span>
<input type="hidden" name="k" value="表单机密"><input value="可见值">
<img src="a.png" alt="图片说明：机密" title="提示文字">
<del>已删除文字</del><ins>插入文字</ins><p data-note="属性里的机密" class="MsoNormal">末段</p>
<table><tr><td>甲</td><td>乙</td></tr></table>
<noscript><p>无脚本时显示</p></noscript><pre hidden>隐  藏</pre><pre>保  留</pre>
</body></html>`
	doc, err := read(t, []byte(full))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Format != extract.FormatHTML || len(doc.Review) != 0 {
		t.Fatalf("format %s, review %q", doc.Format, doc.Review)
	}
	got := doctest.Parts(doc, "|")
	want := map[string]string{
		"metadata": "机密★5年 通知\n内部资料 摘要\n秘密,会议",
		"body":     "关于 召开会议的 通知\n第一段加粗文字 CONFIDENTIAL x y\n第二段\n末段\n甲\n乙\n无脚本时显示\n保  留",
		"hidden":   ".x::before { content: \"绝密\" }\nvar s = \"核心机密\";\n隐藏的机密\n样式隐藏Word隐藏\n表单机密\n属性里的机密\n隐  藏",
		"comment":  "草稿：秘密★10年",
		"alttext":  "图片说明：机密\n提示文字",
		"form":     "可见值",
		"deleted":  "已删除文字",
		"inserted": "插入文字",
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("parts = %q", got)
	}
}

// The charset comes from the byte order mark, the meta element, or the
// bytes themselves; GBK is common and often labelled gb2312.
func TestCharset(t *testing.T) {
	const body = "<p>机密★5年 关于经费的通知</p>"
	cases := []struct {
		name   string
		data   []byte
		review bool
	}{
		{"gb2312 meta", append(gbk(t, `<html><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"></head><body>`), gbk(t, body+"镕")...), false},
		{"meta charset gbk", gbk(t, `<html><meta charset=gbk><body>`+body), false},
		{"no meta, GBK bytes", gbk(t, `<!doctype html><body>`+body), false},
		{"meta says utf-8, GBK bytes", gbk(t, `<html><head><meta charset="utf-8"></head>`+body), false},
		{"utf-16 with BOM", utf16le(t, `<html><body>`+body), false},
		{"utf-8 BOM", []byte("\xEF\xBB\xBF<html><body>" + body), false},
		{"meta late in the head", append(gbk(t, "<html><head><!--"+strings.Repeat("x", 2000)+`--><meta charset="gb18030"></head>`), gbk(t, body)...), false},
		{"bytes of no charset past the head", []byte("<html><body><p>机密★5年 关于经费的通知</p>" + strings.Repeat(" ", 9000) + "\xFF\xFF"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := read(t, c.data)
			if err != nil {
				t.Fatal(err)
			}
			if doc.Format != extract.FormatHTML {
				t.Fatalf("format = %s", doc.Format)
			}
			if b := doctest.Parts(doc, "|")["body"]; !strings.Contains(b, "机密★5年 关于经费的通知") {
				t.Errorf("body = %q", b)
			}
			if (len(doc.Review) > 0) != c.review {
				t.Errorf("review = %q, want review %v", doc.Review, c.review)
			}
		})
	}
}

// Documents inlined as data: URIs are read as documents of their own: a
// picture makes the page review, a text is read.
func TestDataURI(t *testing.T) {
	page := `<html><body><p>正文</p><img src="data:image/png;base64,` + base64.StdEncoding.EncodeToString(picturetest.PNG(t, 200, 100)) + `">` +
		`<a href="data:text/plain;base64,` + base64.StdEncoding.EncodeToString([]byte("附件：机密★5年")) + `">x</a>` +
		`<a href="data:text/plain,%E7%BB%9D%E5%AF%86">y</a><img src="data:image/png;base64,@@@">` +
		`<div style="background: URL('data:image/png;base64,` + base64.StdEncoding.EncodeToString(picturetest.PNG(t, 200, 100)) + `') no-repeat">z</div>` +
		`<style>p { background-image: url(data:text/plain;base64,` + base64.StdEncoding.EncodeToString([]byte("样式表里的机密")) + `) }</style></body></html>`
	doc, err := read(t, []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	got := doctest.Parts(doc, "|")
	if got["body@data-uri-2"] != "附件：机密★5年" || got["body@data-uri-3"] != "绝密" || got["body@data-uri-6"] != "样式表里的机密" {
		t.Errorf("parts = %q", got)
	}
	want := []string{"inlined document 1: picture file: text in images is not read", "inlined document 4: damaged base64 in a data URI, not read",
		"inlined document 5: picture file: text in images is not read"}
	if strings.Join(doc.Review, "|") != strings.Join(want, "|") {
		t.Errorf("review = %q, want %q", doc.Review, want)
	}
}

// Bad pages: never a panic, and the text budget holds.
func TestLimits(t *testing.T) {
	deep := strings.Repeat("<div>", 100000) + "机密" + strings.Repeat("</div>", 100000)
	doc, err := read(t, []byte("<html><body>"+deep))
	if err != nil || doctest.Parts(doc, "|")["body"] != "机密" {
		t.Errorf("deep nesting: %v %q", err, doctest.Parts(doc, "|"))
	}
	big := "<html><body>" + strings.Repeat("<p>机密文字</p>", 1000)
	_, err = extract.Reader(context.Background(), strings.NewReader(big), int64(len(big)), extract.Options{MaxText: 1000})
	if extract.KindOf(err) != extract.KindLimit {
		t.Errorf("over the text budget: %v, want a limit", err)
	}
}

// BenchmarkRead reads a 5 MB page of Word-like markup.
func BenchmarkRead(b *testing.B) {
	var page strings.Builder
	page.WriteString(`<html><head><meta charset="utf-8"><title>通知</title></head><body>`)
	for page.Len() < 5<<20 {
		page.WriteString(`<p class=MsoNormal style='text-indent:21.0pt'><span lang=EN-US>1.</span><span style='font-family:宋体'>关于召开年度工作会议的通知，请各单位按时参加。</span><o:p></o:p></p>` + "\n")
	}
	data := []byte(page.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := read(b, data); err != nil {
			b.Fatal(err)
		}
	}
}
