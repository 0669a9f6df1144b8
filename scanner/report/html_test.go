package report

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// The audit fixture of the html, csv, jsonl and sarif tests: every verdict,
// findings in several parts (one inside an archive), Chinese paths, hostile
// text in a context and in a file name, a formula in a hit.
const (
	xssPath     = "共享/<script>alert(3)</script>.txt"
	xssBefore   = "<script>alert(1)</script>"
	xssAfter    = `<img src="https://evil.example/x.png" onerror=alert(2)>`
	formulaText = "=cmd|' /C calc'!A0"
	chinesePath = "共享/二〇二四/通知 (终稿).docx"
)

func auditResults() []scanner.Result {
	return []scanner.Result{
		{Path: "共享/公开.txt", Format: "text", Verdict: scanner.Clean, Findings: []scanner.Finding{}},
		{Path: chinesePath, Format: "docx", Verdict: scanner.Flagged, Findings: []scanner.Finding{
			{Rule: "marking.classified", Title: "密级标志", Severity: policies.High, Text: "机密★5年",
				Location: scanner.Location{Part: "header", Line: 1},
				After:    " 关于召开会议的通知", Context: "机密★5年 关于召开会议的通知"},
			{Rule: "label.internal", Title: "内部标识", Severity: policies.High, Text: "内部资料",
				Location: scanner.Location{Part: "footer", Line: 2, Offset: 3},
				Before:   "本文为", After: "，注意保存", Context: "本文为内部资料，注意保存"},
			{Rule: "term.secret", Title: "涉密词语", Severity: policies.Medium, Text: "涉密",
				Location: scanner.Location{Part: "deleted", Page: 2, Line: 3, Offset: 4, Inner: "附件.zip!b.docx"},
				Before:   "加强", After: "人员管理", Context: "加强涉密人员管理"},
		}},
		{Path: "共享/扫描件.pdf", Format: "pdf", Verdict: scanner.Review, Reason: "page 2 has a picture that may carry text (not read)"},
		{Path: xssPath, Format: "text", Verdict: scanner.Flagged, Findings: []scanner.Finding{
			{Rule: "term.secret", Title: "涉密词语", Severity: policies.Medium, Text: "秘密",
				Location: scanner.Location{Part: "body", Line: 7, Offset: 25},
				Before:   xssBefore, After: xssAfter, Context: xssBefore + "秘密" + xssAfter},
			{Rule: "office.cmd", Severity: policies.Low, Text: formulaText,
				Location: scanner.Location{Part: "body", Line: 8},
				After:    " 了", Context: formulaText + " 了"},
		}},
		{Path: "共享/加密.pdf", Format: "pdf", Verdict: scanner.Error, Reason: "encrypted PDF: needs a password"},
		{Path: "共享/部分.pdf", Format: "pdf", Verdict: scanner.Flagged, Reason: "page 3 could not be read: damaged page content", Findings: []scanner.Finding{
			{Rule: "label.internal", Title: "内部标识", Severity: policies.High, Text: "内部使用",
				Location: scanner.Location{Part: "annotation", Page: 1, Line: 1}, Context: "内部使用"},
		}},
		{Path: "共享/字体.ttf", Format: "font", Verdict: scanner.Skipped, Reason: "font file: carries no document text"},
	}
}

var auditProblem = scanner.Problem{Path: "共享/无权限", Reason: "permission denied"}

// auditPolicy names three of the fixture's four rules (not office.cmd)
// and one rule nothing found.
func auditPolicy() *policies.Policy {
	return &policies.Policy{
		Rules: []*policies.Rule{
			{ID: "marking.classified", Title: "密级标志", Description: "Classification markings (GB/T 9704).", Severity: policies.High},
			{ID: "label.internal", Title: "内部标识", Description: "Release-blocking labels.", Severity: policies.High},
			{ID: "label.work-secret", Title: "工作秘密", Severity: policies.Medium},
			{ID: "term.secret", Title: "涉密词语", Description: "Secrecy words.", Severity: policies.Medium},
		},
		Sources: []string{"default.yaml"},
		Hash:    "0123456789abcdef",
	}
}

var auditTime = time.Date(2026, 3, 1, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func auditOptions(lang Lang, mask bool) Options {
	return Options{Lang: lang, Mask: mask, Policy: auditPolicy(), Generated: auditTime}
}

// flaggedPaths lists the fixture's files with findings in the order an
// officer acts on them: highest severity first, then most findings.
func flaggedPaths() []string {
	return []string{chinesePath, "共享/部分.pdf", xssPath}
}

// parseHTML parses a page and fails the test on the smallest sign of a
// resource from the network or of a script that is not the page's own.
func parseHTML(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	// Document text may well hold a URL, shown as text; markup from it
	// must not reach the page.
	for _, s := range []string{"<script>alert", "<img"} {
		if strings.Contains(page, s) {
			t.Errorf("page contains %q", s)
		}
	}
	scripts := 0
	var links []string
	ids := map[string]bool{}
	walk(doc, func(n *html.Node) {
		if n.Type != html.ElementNode {
			return
		}
		switch n.Data {
		case "link", "img", "iframe", "object", "embed", "frame", "audio", "video", "source", "base", "form":
			t.Errorf("page has a <%s> element", n.Data)
		case "script":
			scripts++
			if n.FirstChild == nil || !strings.Contains(n.FirstChild.Data, `getElementById("filter")`) {
				t.Errorf("a script that is not the page's own")
			}
		}
		for _, a := range n.Attr {
			if a.Key == "href" && n.Data == "a" && strings.HasPrefix(a.Val, "#") {
				links = append(links, a.Val[1:]) // within the page: the table of contents
				continue
			}
			if a.Key == "id" {
				ids[a.Val] = true
			}
			switch a.Key {
			case "src", "href", "action", "srcset", "poster", "background", "formaction":
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
			if strings.Contains(a.Val, "http://") || strings.Contains(a.Val, "https://") {
				t.Errorf("<%s %s=%q> names a network resource", n.Data, a.Key, a.Val)
			}
			if strings.HasPrefix(a.Key, "on") {
				t.Errorf("<%s> has an event handler %s", n.Data, a.Key)
			}
			if a.Key == "style" && strings.Contains(a.Val, "url(") {
				t.Errorf("<%s style=%q> loads a resource", n.Data, a.Val)
			}
		}
	})
	if scripts != 1 {
		t.Errorf("%d scripts, want the one filter script", scripts)
	}
	for _, l := range links {
		if !ids[l] {
			t.Errorf("link to #%s, which the page does not have", l)
		}
	}
	return doc
}

func walk(n *html.Node, f func(*html.Node)) {
	f(n)
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		walk(c, f)
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	walk(n, func(c *html.Node) {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	})
	return b.String()
}

// byTag returns the elements named tag (and of class class, if not "").
func byTag(doc *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	walk(doc, func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == tag && (class == "" || strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")) {
			out = append(out, n)
		}
	})
	return out
}

func TestHTMLReport(t *testing.T) {
	tests := []struct {
		lang  Lang
		want  []string // texts the page shows
		htmlL string
	}{
		{English, []string{"baomi audit report", "Generated2026-03-01 09:30:00 +0800", "default.yaml", "0123456789abcdef",
			"附件.zip!b.docx › text deleted under tracked changes page 2 line 3", "header line 1", "PDF annotation page 1 line 1",
			"page 3 could not be read: damaged page content", "encrypted PDF: needs a password (1 file)",
			"page 2 has a picture that may carry text (not read) (1 file)", "permission denied (1 file)",
			"font file: carries no document text", "密级标志 (marking.classified)", "office.cmd", "3 findings", "1 finding"}, "en"},
		{Chinese, []string{"保密检查报告", "生成时间2026-03-01 09:30:00 +0800", "附件.zip!b.docx › 修订删除的文字 第2页 第3行",
			"页眉 第1行", "按规则统计疑点", "无法进入的路径", "3处疑点", "已加密的PDF：需要密码（1个文件）", "第3页无法读取：页面内容已损坏",
			"无访问权限（1个文件）", "字体文件，不含文档文字", "密级标志（marking.classified）"}, "zh-CN"},
	}
	for _, tt := range tests {
		t.Run(string(tt.lang), func(t *testing.T) {
			page := render(t, "html", auditOptions(tt.lang, false), auditResults(), auditProblem)
			doc := parseHTML(t, page)
			text := textOf(doc)
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("page does not show %q", w)
				}
			}
			if h := byTag(doc, "html", ""); len(h) != 1 || attr(h[0], "lang") != tt.htmlL {
				t.Errorf("<html lang> is not %q", tt.htmlL)
			}
			// Every flagged file is listed, in path order, with all its findings.
			sections := byTag(doc, "section", "file")
			var got []string
			for _, s := range sections {
				got = append(got, attr(s, "data-path"))
			}
			if fmt.Sprint(got) != fmt.Sprint(flaggedPaths()) {
				t.Errorf("flagged files listed: %q, want %q", got, flaggedPaths())
			}
			for i, s := range sections {
				if h3 := byTag(s, "h3", ""); len(h3) != 1 || !strings.Contains(textOf(h3[0]), flaggedPaths()[i]) {
					t.Errorf("section %d is not headed by its path %q", i, flaggedPaths()[i])
				}
			}
			if n := len(byTag(sections[0], "mark", "")); n != 3 {
				t.Errorf("%s: %d highlighted hits, want 3", flaggedPaths()[0], n)
			}
		})
	}
}

// Hostile document text and file names come out as text: the parsed page
// shows them as written, and no element or attribute came from them.
func TestHTMLReportEscapes(t *testing.T) {
	page := render(t, "html", auditOptions(English, false), auditResults(), auditProblem)
	doc := parseHTML(t, page)
	var ctx *html.Node
	for _, td := range byTag(doc, "td", "ctx") {
		if strings.Contains(textOf(td), "alert(1)") {
			ctx = td
		}
	}
	if ctx == nil {
		t.Fatal("the hostile context is not shown")
	}
	if got, want := textOf(ctx), xssBefore+"秘密"+xssAfter; got != want {
		t.Errorf("context shows %q, want %q", got, want)
	}
	var kids []string
	for c := ctx.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode {
			kids = append(kids, c.Data+":"+textOf(c))
		} else {
			kids = append(kids, "text")
		}
	}
	if fmt.Sprint(kids) != "[text mark:秘密 text]" {
		t.Errorf("context cell is %q, want text, <mark>hit</mark>, text", kids)
	}
	if !strings.Contains(textOf(doc), xssPath) {
		t.Errorf("hostile file name %q not shown as text", xssPath)
	}
	// Control and bidirectional characters in a path are not shown.
	evil := []scanner.Result{{Path: "out/\u202Efdp.exe", Format: "pdf", Verdict: scanner.Error, Reason: "bad\x1b[2J"}}
	page = render(t, "html", Options{}, evil)
	if strings.ContainsAny(page, "\u202E\x1b") {
		t.Error("control character in the page")
	}
}

// The page's own script is the one its Content-Security-Policy allows.
func TestHTMLReportCSP(t *testing.T) {
	doc := parseHTML(t, render(t, "html", Options{}, auditResults()))
	scripts := byTag(doc, "script", "")
	if len(scripts) != 1 {
		t.Fatalf("%d scripts", len(scripts))
	}
	sum := sha256.Sum256([]byte(scripts[0].FirstChild.Data))
	want := "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"
	var csp string
	for _, m := range byTag(doc, "meta", "") {
		if attr(m, "http-equiv") == "Content-Security-Policy" {
			csp = attr(m, "content")
		}
	}
	if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, want) {
		t.Errorf("Content-Security-Policy %q, want default-src 'none' and %s", csp, want)
	}
	// The filter box is hidden until the script shows it: without
	// JavaScript the page shows no dead control.
	if f := byTag(doc, "p", ""); !hasHiddenFilter(f) {
		t.Error("the filter box is not hidden by default")
	}
}

func hasHiddenFilter(ps []*html.Node) bool {
	for _, p := range ps {
		if attr(p, "id") == "filter" {
			for _, a := range p.Attr {
				if a.Key == "hidden" {
					return true
				}
			}
		}
	}
	return false
}

func TestHTMLReportSummaryAndCharts(t *testing.T) {
	doc := parseHTML(t, render(t, "html", auditOptions(English, false), auditResults(), auditProblem))
	rows := map[string]string{} // first cell → the rest, in the summary tables
	var summary []*html.Node
	for _, table := range byTag(doc, "table", "") {
		if len(byTag(table, "caption", "")) == 1 {
			summary = append(summary, byTag(table, "tr", "")...)
		}
	}
	for _, tr := range summary {
		var cells []string
		for _, td := range byTag(tr, "td", "") {
			cells = append(cells, textOf(td))
		}
		if len(cells) > 1 {
			rows[cells[0]] = strings.Join(cells[1:], " ")
		}
	}
	for first, rest := range map[string]string{"FLAGGED": "3", "REVIEW": "1", "ERROR": "1", "clean": "1", "skipped": "1", "high": "3 2", "medium": "2 1", "low": "1 0"} {
		if rows[first] != rest {
			t.Errorf("summary row %q: %q, want %q", first, rows[first], rest)
		}
	}
	bars := map[string]string{}
	for _, b := range byTag(doc, "div", "bar") {
		spans := byTag(b, "span", "")
		bars[textOf(spans[0])] = textOf(b) + " " + attr(byTag(b, "span", "fill")[0], "style")
	}
	for label, want := range map[string]string{
		"涉密词语 (term.secret)": "2 display:block;width:100%", "内部标识 (label.internal)": "2 display:block;width:100%",
		"密级标志 (marking.classified)": "1 display:block;width:50%", "office.cmd": "1 display:block;width:50%",
		// The hostile file name holds a '/': its folder is "共享/<script>alert(3)<".
		"共享/二〇二四": "3 display:block;width:100%", "共享/<script>alert(3)<": "2 display:block;width:66%", "共享": "1 display:block;width:33%",
	} {
		if got := bars[label]; !strings.HasSuffix(got, want) {
			t.Errorf("bar %q: %q, want …%q", label, got, want)
		}
	}
}

func TestHTMLReportMasked(t *testing.T) {
	page := render(t, "html", auditOptions(Chinese, true), auditResults(), auditProblem)
	doc := parseHTML(t, page)
	for _, raw := range []string{"机密★5年", "内部资料", "涉密"} {
		for _, m := range byTag(doc, "mark", "") {
			if textOf(m) == raw {
				t.Errorf("masked page shows %q", raw)
			}
		}
	}
	if !strings.Contains(page, "<mark>机＊＊＊＊</mark>") || !strings.Contains(page, "命中文字已遮盖") {
		t.Error("masked page lacks the masked hit or the note")
	}
}

// A huge audit lists the first files and findings and says how many more.
func TestHTMLReportCaps(t *testing.T) {
	var results []scanner.Result
	for i := range htmlMaxFiles + 3 {
		n := 1
		if i == 0 {
			n = htmlMaxFindings + 5
		}
		r := scanner.Result{Path: fmt.Sprintf("d%02d/f%05d.txt", i%20, i), Format: "text", Verdict: scanner.Flagged}
		for range n {
			r.Findings = append(r.Findings, scanner.Finding{Rule: "term.secret", Severity: policies.Medium, Text: "机密", Location: scanner.Location{Part: "body", Line: 1}})
		}
		results = append(results, r)
	}
	doc := parseHTML(t, render(t, "html", Options{}, results))
	sections := byTag(doc, "section", "file")
	if len(sections) != htmlMaxFiles {
		t.Errorf("%d files listed, want %d", len(sections), htmlMaxFiles)
	}
	if n := len(byTag(sections[0], "mark", "")); n != htmlMaxFindings {
		t.Errorf("%d findings listed in the first file, want %d", n, htmlMaxFindings)
	}
	text := textOf(doc)
	for _, want := range []string{"Files with findings (5003)", "3 more files are not listed", "5 more findings in this file", "5 other folders are not shown"} {
		if !strings.Contains(text, want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestHTMLReportEmpty(t *testing.T) {
	doc := parseHTML(t, render(t, "html", Options{Title: "审查 <1>"}, nil))
	if ti := byTag(doc, "title", ""); len(ti) != 1 || textOf(ti[0]) != "审查 <1>" {
		t.Error("title not set from Options.Title")
	}
	if len(byTag(doc, "section", "file")) != 0 || len(byTag(doc, "div", "bar")) != 0 {
		t.Error("empty report lists files or bars")
	}
}

// The heading says what was audited, where, by whom, when, for how long and
// with which policy.
func TestHTMLReportHeading(t *testing.T) {
	opt := auditOptions(Chinese, false)
	opt.Paths, opt.Host, opt.User = []string{"/srv/共享"}, "file-server", "zhang.san"
	opt.Finished = auditTime.Add(time.Hour + 2*time.Minute + 5*time.Second)
	doc := parseHTML(t, render(t, "html", opt, auditResults()))
	rows := map[string]string{}
	for _, tr := range byTag(doc, "tr", "") {
		if th, td := byTag(tr, "th", ""), byTag(tr, "td", ""); len(th) == 1 && len(td) == 1 {
			rows[textOf(th[0])] = textOf(td[0])
		}
	}
	for k, want := range map[string]string{"检查对象": "/srv/共享", "主机": "file-server", "检查人": "zhang.san",
		"生成时间": "2026-03-01 09:30:00 +0800", "用时": "1小时2分5秒", "策略": "default.yaml 0123456789abcdef"} {
		if rows[k] != want {
			t.Errorf("heading %s: %q, want %q", k, rows[k], want)
		}
	}
}

// The table of contents links every section and names the flagged files
// in the order they are listed.
func TestHTMLReportContents(t *testing.T) {
	doc := parseHTML(t, render(t, "html", auditOptions(English, false), auditResults(), auditProblem))
	nav := byTag(doc, "nav", "")
	if len(nav) != 1 {
		t.Fatalf("%d <nav>", len(nav))
	}
	var got []string
	for _, a := range byTag(nav[0], "a", "") {
		got = append(got, attr(a, "href"))
	}
	want := "[#summary #flagged #f1 #f2 #f3 #unread #problems #others]"
	if fmt.Sprint(got) != want {
		t.Errorf("contents link %v, want %s", got, want)
	}
	if files := byTag(nav[0], "ol", "files"); len(files) != 1 || !strings.HasPrefix(strings.TrimSpace(textOf(files[0])), "high "+chinesePath+" 3 findings") {
		t.Errorf("contents do not start with the most severe file: %q", textOf(files[0]))
	}
}

// Files not read for the same reason are one group, the largest first.
func TestHTMLReportGroups(t *testing.T) {
	var rs []scanner.Result
	for i := range 3 {
		rs = append(rs, scanner.Result{Path: fmt.Sprintf("d/加密%d.pdf", i), Format: "pdf", Verdict: scanner.Error, Reason: "encrypted PDF: needs a password"})
	}
	rs = append(rs, scanner.Result{Path: "d/图.png", Format: "image", Verdict: scanner.Review, Reason: "picture file: text in images is not read"})
	doc := parseHTML(t, render(t, "html", Options{Lang: Chinese}, rs,
		scanner.Problem{Path: "x", Reason: "permission denied"}, scanner.Problem{Path: "y", Reason: "permission denied"}))
	var heads []string
	for _, h := range byTag(doc, "h3", "group") {
		heads = append(heads, textOf(h))
	}
	want := "[已加密的PDF：需要密码（3个文件） 图片文件，图片中的文字未读取（1个文件） 无访问权限（2个文件）]"
	if fmt.Sprint(heads) != want {
		t.Errorf("groups %v, want %s", heads, want)
	}
}

func TestTopFolder(t *testing.T) {
	tests := []struct {
		file  string
		roots []string
		want  string
	}{
		{"/srv/share/财务处/2024/a.docx", []string{"/srv/share"}, "/srv/share/财务处"},
		{"/srv/share/财务处/a.docx", []string{"/srv/share/"}, "/srv/share/财务处"},
		{"/srv/share/a.docx", []string{"/srv/share"}, "/srv/share"},
		{"/srv/share/x/b/a.docx", []string{"/srv", "/srv/share"}, "/srv/share/x"},
		{"share/办公室/a.docx", []string{"share"}, "share/办公室"},
		{`C:\共享\人事处\a.docx`, []string{`C:\共享`}, "C:/共享/人事处"},
		{"./办公室/a/b.txt", []string{"."}, "办公室"},
		{"办公室/a/b.txt", []string{"."}, "办公室"},
		{"/a/b.txt", []string{"/"}, "/a"},
		{"a.txt", []string{"a.txt"}, "a.txt"},
		{"other/x/a.txt", []string{"share"}, "other"},
	}
	for _, tt := range tests {
		if got := topFolder(tt.file, tt.roots); got != tt.want {
			t.Errorf("topFolder(%q, %q) = %q, want %q", tt.file, tt.roots, got, tt.want)
		}
	}
	files := []scanner.Result{{Path: "/srv/s/a/x.txt"}, {Path: "/srv/s/b/c/y.txt"}}
	if got := commonDir(files); got != "/srv/s" {
		t.Errorf("commonDir = %q, want /srv/s", got)
	}
}

func TestDuration(t *testing.T) {
	for _, tt := range []struct {
		d      time.Duration
		en, zh string
	}{
		{0, "0s", "0秒"},
		{1500 * time.Millisecond, "2s", "2秒"},
		{65 * time.Second, "1m5s", "1分5秒"},
		{time.Hour + 5*time.Second, "1h0m5s", "1小时0分5秒"},
	} {
		if en, zh := English.Duration(tt.d), Chinese.Duration(tt.d); en != tt.en || zh != tt.zh {
			t.Errorf("Duration(%v) = %q, %q; want %q, %q", tt.d, en, zh, tt.en, tt.zh)
		}
	}
}

// The page prints (A4, no filter box, headers repeated, rows kept whole),
// and a long path wraps in its own cell instead of squeezing the verdict
// column.
func TestHTMLReportPrintAndWrap(t *testing.T) {
	long := "共享/" + strings.Repeat("非常长的文件夹名称", 20) + "/扫描件.pdf"
	rs := []scanner.Result{{Path: long, Format: "pdf", Verdict: scanner.Review, Reason: "page 1 has a picture that may carry text (not read)"}}
	page := render(t, "html", Options{Lang: Chinese}, rs)
	for _, css := range []string{"@page { size: A4;", "@media print", "#filter, nav .files { display: none; }", "thead { display: table-header-group; }",
		".path { overflow-wrap: anywhere;", ".v, .nowrap { white-space: nowrap; }", "table.list { width: 100%; table-layout: fixed; }"} {
		if !strings.Contains(page, css) {
			t.Errorf("page lacks the style %q", css)
		}
	}
	doc := parseHTML(t, page)
	var pathCell, verdictCell *html.Node
	for _, tr := range byTag(doc, "tr", "") {
		if attr(tr, "data-path") == long {
			tds := byTag(tr, "td", "")
			verdictCell, pathCell = tds[0], tds[1]
		}
	}
	if pathCell == nil || attr(pathCell, "class") != "path" || !strings.HasSuffix(attr(verdictCell, "class"), " v") {
		t.Error("the long path is not in a wrapping cell next to a verdict that does not wrap")
	}
}
