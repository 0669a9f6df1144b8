package serve

import (
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/baomi/baomi/scanner/report"
)

// The page and its assets are in the binary: offices run on networks that
// cannot reach the internet.
var (
	//go:embed web
	webFS embed.FS
	//go:embed openapi.json
	openAPI  []byte
	staticFS = mustSub(webFS, "web/static")
	pageTmpl = template.Must(template.ParseFS(webFS, "web/index.html"))
)

func mustSub(f fs.FS, dir string) fs.FS {
	sub, err := fs.Sub(f, dir)
	if err != nil {
		panic(err) // the embedded tree is fixed at build time
	}
	return sub
}

// page serves the page in Chinese, or in English when the browser prefers
// it or ?lang=en asks.
func (s *Server) page(w http.ResponseWriter, r *http.Request) {
	lang := pageLang(r.Header.Get("Accept-Language"))
	if l := report.Lang(r.URL.Query().Get("lang")); pageWords[l] != nil {
		lang = l // the page's own language link
	}
	words := pageWords[lang]
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Language", string(lang))
	w.Header().Set("Vary", "Accept-Language")
	if err := pageTmpl.Execute(w, struct {
		Lang  report.Lang
		W     map[string]string
		Parts map[string]string
	}{lang, words, report.PartNames(lang)}); err != nil {
		s.opt.Log.Error().Str("error", err.Error()).Msg("writing the page")
	}
}

// pageLang picks the language of the page from Accept-Language: English
// when the browser ranks an English tag above every Chinese one, else
// Chinese, the language of the people the page is for.
func pageLang(header string) report.Lang {
	type pref struct {
		lang report.Lang
		q    float64
	}
	var prefs []pref
	for _, part := range strings.Split(header, ",") {
		tag, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if v, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
			if f, err := strconv.ParseFloat(v, 64); err == nil {
				q = f
			}
		}
		tag = strings.ToLower(tag)
		switch {
		case q <= 0:
		case tag == "zh" || strings.HasPrefix(tag, "zh-"):
			prefs = append(prefs, pref{report.Chinese, q})
		case tag == "en" || strings.HasPrefix(tag, "en-"):
			prefs = append(prefs, pref{report.English, q})
		}
	}
	sort.SliceStable(prefs, func(i, j int) bool { return prefs[i].q > prefs[j].q })
	if len(prefs) > 0 {
		return prefs[0].lang
	}
	return report.Chinese
}

// securityHeaders are sent with every answer: the page loads only its own
// assets, cannot be framed, and nothing is sniffed or cached.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// pageWords are the page's own texts; the script reads them from the page.
var pageWords = map[report.Lang]map[string]string{
	report.Chinese: {
		"title":      "发布前保密检查",
		"intro":      "把准备发布的文件拖到下面，或点击“选择文件”。文件只用于本次检查，检查完立即删除，不会保存。",
		"drop":       "把文件拖到这里",
		"choose":     "选择文件",
		"mask":       "遮盖命中的文字",
		"token":      "访问令牌",
		"tokenHelp":  "此服务需要访问令牌，请向管理员索取。",
		"uploading":  "正在上传",
		"scanning":   "正在检查，请稍候…",
		"done":       "检查完成：共 {n} 个文件。",
		"failed":     "检查没有完成：",
		"high":       "不可发布",
		"review":     "需人工复核",
		"error":      "无法读取",
		"clean":      "可以发布",
		"skipped":    "不含文档文字",
		"sev.high":   "高",
		"sev.medium": "中",
		"sev.low":    "低",
		"page":       "第{n}页",
		"line":       "第{n}行",
		"inner":      "内含文件",
		"picture":    "图片",
		"reason":     "说明：",
		"nothing":    "未发现问题。",
		"download":   "下载结果：",
		"findings":   "{n} 处发现",
		"results":    "检查结果",
		"lang":       "English",
		"langHref":   "?lang=en",
		"footer":     "baomi 保密检查 · 文件不离开本单位网络，检查后即删除",
	},
	report.English: {
		"title":      "Secrecy check before release",
		"intro":      "Drop the files you are about to release below, or press “Choose files”. Files are used for this check only and deleted right after; nothing is kept.",
		"drop":       "Drop files here",
		"choose":     "Choose files",
		"mask":       "Mask matched text",
		"token":      "Access token",
		"tokenHelp":  "This server needs an access token: ask your administrator.",
		"uploading":  "Uploading",
		"scanning":   "Checking, please wait…",
		"done":       "Done: {n} files checked.",
		"failed":     "The check did not finish: ",
		"high":       "Do not release",
		"review":     "Needs review by a person",
		"error":      "Could not be read",
		"clean":      "Can be released",
		"skipped":    "No document text",
		"sev.high":   "high",
		"sev.medium": "medium",
		"sev.low":    "low",
		"page":       "page {n}",
		"line":       "line {n}",
		"inner":      "inside",
		"picture":    "picture",
		"reason":     "Note: ",
		"nothing":    "Nothing found.",
		"download":   "Download the results:",
		"findings":   "{n} findings",
		"results":    "Results",
		"lang":       "中文",
		"langHref":   "?lang=zh",
		"footer":     "baomi secrecy check · files stay on the office network and are deleted after the check",
	},
}
