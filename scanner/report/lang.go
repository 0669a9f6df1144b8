package report

import (
	"fmt"
	"maps"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// Lang is the language of a report's own words: "en" or "zh".
type Lang string

// The languages reports are written in.
const (
	English Lang = "en"
	Chinese Lang = "zh"
)

// LangFromLocale picks Chinese for a locale such as zh_CN.UTF-8 and English
// otherwise; locale is the first set of LC_ALL, LC_MESSAGES, LANG.
func LangFromLocale(locale string) Lang {
	if strings.HasPrefix(strings.ToLower(locale), "zh") {
		return Chinese
	}
	return English
}

// ParseLang reads a --lang value: zh or en (a locale such as zh_CN works too).
func ParseLang(s string) (Lang, error) {
	switch l := strings.ToLower(s); {
	case l == "en" || strings.HasPrefix(l, "en_") || strings.HasPrefix(l, "en-"):
		return English, nil
	case l == "zh" || strings.HasPrefix(l, "zh_") || strings.HasPrefix(l, "zh-"):
		return Chinese, nil
	}
	return "", fmt.Errorf("%q: expected zh or en", s)
}

// Reason translates a Reason or Review note, written in English by the
// scanner (see ReasonsZH), into l; text no pattern knows stays English.
func (l Lang) Reason(s string) string {
	if l != Chinese {
		return s
	}
	t, _ := reasons.Translate(s)
	return t
}

// Verdict names a verdict in l: "FLAGGED", "发现问题".
func (l Lang) Verdict(v scanner.Verdict) string { return wordsFor(l).verdict[v] }

// Where says in l where in a file of the given format loc is:
// "a.zip!b.docx › header page 2 line 3", "正文 第2个工作表".
func (l Lang) Where(format string, loc scanner.Location) string {
	return where(wordsFor(l), format, loc)
}

// Duration says how long d took in l, to the second: "1h2m5s", "1小时2分5秒".
func (l Lang) Duration(d time.Duration) string {
	d = max(d.Round(time.Second), 0)
	if l != Chinese {
		return d.String()
	}
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	var b strings.Builder
	if h > 0 {
		fmt.Fprintf(&b, "%d小时", h)
	}
	if h > 0 || m > 0 {
		fmt.Fprintf(&b, "%d分", m)
	}
	fmt.Fprintf(&b, "%d秒", s)
	return b.String()
}

// count says "n things": one and many are the English singular and
// plural ("file", "files"); Chinese has one form, counter and noun
// together ("个文件"), written without spaces.
func (l Lang) count(n int, one, many, zh string) string {
	switch {
	case l == Chinese:
		return strconv.Itoa(n) + zh
	case n == 1:
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// words holds a report's fixed texts per language.
type words struct {
	lang     Lang
	verdict  map[scanner.Verdict]string
	severity map[policies.Severity]string
	part     map[string]string
	// partIn names a part differently in some formats: hidden text in a
	// workbook is a hidden sheet, row or column.
	partIn map[string]map[string]string
	// page is "page %d" per format: a workbook has sheets, a presentation
	// slides; "" is every other format.
	page    map[string]string
	line    string // "line %d"
	problem string
	none    string
	html    htmlWords // the HTML report's texts (html.go)
}

var dict = map[Lang]*words{
	English: {
		lang: English,
		verdict: map[scanner.Verdict]string{
			scanner.Clean: "clean", scanner.Flagged: "FLAGGED", scanner.Review: "REVIEW", scanner.Error: "ERROR", scanner.Skipped: "skipped",
		},
		severity: map[policies.Severity]string{policies.High: "high", policies.Medium: "medium", policies.Low: "low"},
		// One line per part, so that a new part is one line.
		part: map[string]string{
			"body":       "body",
			"header":     "header",
			"footer":     "footer",
			"comment":    "comment",
			"footnote":   "footnote",
			"endnote":    "endnote",
			"deleted":    "text deleted under tracked changes",
			"inserted":   "tracked insertion",
			"hidden":     "hidden text",
			"textbox":    "text box",
			"field":      "field code",
			"alttext":    "alt text of a picture",
			"metadata":   "document properties",
			"annotation": "PDF annotation",
			"form":       "form field",
			"bookmark":   "bookmark",
			"notes":      "slide notes",
			"sheet-name": "sheet name",
			"attachment": "attachment",
			"embedded":   "embedded object",
			"file":       "known file (by its digest)",
			"filename":   "file name",
			"picture":    "text in a picture (read by OCR)",
		},
		partIn: map[string]map[string]string{
			"xlsx": {"hidden": "hidden sheet, row or column"},
			"xls":  {"hidden": "hidden sheet, row or column"},
			"ods":  {"hidden": "hidden sheet, row or column"},
			"pptx": {"hidden": "hidden slide"},
			"ppt":  {"hidden": "hidden slide"},
			"odp":  {"hidden": "hidden slide"},
		},
		page: map[string]string{"": "page %d", "xlsx": "sheet %d", "xls": "sheet %d", "ods": "sheet %d", "pptx": "slide %d", "ppt": "slide %d", "odp": "slide %d"},
		line: "line %d", problem: "NOT READ", none: "no files",
		html: htmlWords{
			Title: "baomi audit report", Generated: "Generated", Policy: "Policy", Masked: "Matched text is masked.",
			Audited: "Audited", Host: "Host", User: "Run by", Took: "Took", Contents: "Contents",
			Summary: "Summary", ByVerdict: "Files by verdict", BySeverity: "Findings by severity",
			ByRule: "Findings by rule", ByFolder: "Findings by top-level folder", Flagged: "Files with findings",
			Unread: "Files not read completely", Problems: "Paths that could not be entered", Others: "Clean and skipped files",
			Verdict: "Verdict", Severity: "Severity", Findings: "Findings", FilesTop: "Files (highest)", Files: "Files",
			Total: "Total", Path: "Path", Reason: "Reason", Rule: "Rule", Where: "Where", Context: "Context",
			Filter: "Filter by path:", Show: "Show the list", None: "None.",
			MoreFiles:    "%d more files are not listed here; the CSV and JSON reports list them all.",
			MoreFindings: "%d more findings in this file are not listed.",
			MoreFolders:  "%d other folders are not shown.",
		},
	},
	Chinese: {
		lang: Chinese,
		verdict: map[scanner.Verdict]string{
			scanner.Clean: "通过", scanner.Flagged: "发现问题", scanner.Review: "需人工复核", scanner.Error: "无法读取", scanner.Skipped: "跳过",
		},
		severity: map[policies.Severity]string{policies.High: "高", policies.Medium: "中", policies.Low: "低"},
		part: map[string]string{
			"body":       "正文",
			"header":     "页眉",
			"footer":     "页脚",
			"comment":    "批注",
			"footnote":   "脚注",
			"endnote":    "尾注",
			"deleted":    "修订删除的文字",
			"inserted":   "修订插入的文字",
			"hidden":     "隐藏文字",
			"textbox":    "文本框",
			"field":      "域代码",
			"alttext":    "图片替代文字",
			"metadata":   "文档属性",
			"annotation": "PDF注释",
			"form":       "表单域",
			"bookmark":   "书签",
			"notes":      "备注",
			"sheet-name": "工作表名称",
			"attachment": "附件",
			"embedded":   "嵌入对象",
			"file":       "已知文件（按摘要）",
			"filename":   "文件名",
			"picture":    "图片中的文字（OCR识别）",
		},
		partIn: map[string]map[string]string{
			"xlsx": {"hidden": "隐藏的工作表、行或列"},
			"xls":  {"hidden": "隐藏的工作表、行或列"},
			"ods":  {"hidden": "隐藏的工作表、行或列"},
			"pptx": {"hidden": "隐藏的幻灯片"},
			"ppt":  {"hidden": "隐藏的幻灯片"},
			"odp":  {"hidden": "隐藏的幻灯片"},
		},
		page: map[string]string{"": "第%d页", "xlsx": "第%d个工作表", "xls": "第%d个工作表", "ods": "第%d个工作表", "pptx": "第%d张幻灯片", "ppt": "第%d张幻灯片", "odp": "第%d张幻灯片"},
		line: "第%d行", problem: "未读取", none: "没有文件",
		html: htmlWords{
			Title: "保密检查报告", Generated: "生成时间", Policy: "策略", Masked: "命中文字已遮盖。",
			Audited: "检查对象", Host: "主机", User: "检查人", Took: "用时", Contents: "目录",
			Summary: "概况", ByVerdict: "按结论统计文件", BySeverity: "按严重程度统计疑点",
			ByRule: "按规则统计疑点", ByFolder: "按一级文件夹统计疑点", Flagged: "发现问题的文件",
			Unread: "未能完整读取的文件", Problems: "无法进入的路径", Others: "通过和跳过的文件",
			Verdict: "结论", Severity: "严重程度", Findings: "疑点", FilesTop: "文件（按最高程度）", Files: "文件",
			Total: "合计", Path: "路径", Reason: "原因", Rule: "规则", Where: "位置", Context: "上下文",
			Filter: "按路径筛选：", Show: "显示列表", None: "无。",
			MoreFiles:    "另有%d个文件未在此列出，CSV和JSON报告列出全部文件。",
			MoreFindings: "此文件另有%d处疑点未列出。",
			MoreFolders:  "另有%d个文件夹未显示。",
		},
	},
}

// wordsFor returns the words of l, English when l is not known.
func wordsFor(l Lang) *words {
	if t := dict[l]; t != nil {
		return t
	}
	return dict[English]
}

// partName is the words for a document part in a file of the given
// format; unknown parts show as they are.
func (w *words) partName(format, p string) string {
	if s, ok := w.partIn[format][p]; ok {
		return s
	}
	if s, ok := w.part[p]; ok {
		return s
	}
	return p
}

// PartNames returns the words for document parts (body, header …) in l, for
// presentations of results made elsewhere (the page of baomi serve).
func PartNames(l Lang) map[string]string { return maps.Clone(dict[l].part) }

// pageName is "page n" in a file of the given format: sheet n of a
// workbook, slide n of a presentation.
func (w *words) pageName(format string, n int) string {
	f, ok := w.page[format]
	if !ok {
		f = w.page[""]
	}
	return fmt.Sprintf(f, n)
}

// files is "n files", "1 file", "17个文件".
func (w *words) files(n int) string { return w.lang.count(n, "file", "files", "个文件") }

// findings is "n findings", "1 finding", "3处疑点".
func (w *words) findings(n int) string { return w.lang.count(n, "finding", "findings", "处疑点") }

// titled is a rule's title with its id, or a sentence with a note, in
// brackets: "密级标志（marking.classified）".
func (w *words) titled(title, rule string) string {
	if w.lang == Chinese {
		return title + "（" + rule + "）"
	}
	return title + " (" + rule + ")"
}

// formatAt is the format of the document a finding at l is in: the
// file's, or for a finding inside a container the one its inner name's
// extension says.
func formatAt(format string, l scanner.Location) string {
	if l.Inner == "" {
		return format
	}
	return strings.TrimPrefix(strings.ToLower(path.Ext(strings.ReplaceAll(l.Inner, `\`, "/"))), ".")
}

// where says where in a file of the given format a finding is, in the
// report's language: "a.zip!b.docx › header page 2 line 3".
func where(t *words, format string, l scanner.Location) string {
	format = formatAt(format, l)
	s := Safe(t.partName(format, l.Part))
	if l.Inner != "" {
		s = Safe(l.Inner) + " › " + s
	}
	if l.Page > 0 {
		s += " " + t.pageName(format, l.Page)
	}
	if l.Line > 0 {
		s += " " + fmt.Sprintf(t.line, l.Line)
	}
	return s
}
