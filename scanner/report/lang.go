package report

import (
	"maps"
	"strings"

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

// words holds a report's fixed texts per language.
type words struct {
	verdict  map[scanner.Verdict]string
	severity map[policies.Severity]string
	part     map[string]string
	page     string // "page %d"
	line     string // "line %d"
	problem  string
	summary  string // "%d files"
	none     string
	html     htmlWords // the HTML report's texts (html.go)
}

var dict = map[Lang]*words{
	English: {
		verdict: map[scanner.Verdict]string{
			scanner.Clean: "clean", scanner.Flagged: "FLAGGED", scanner.Review: "REVIEW", scanner.Error: "ERROR", scanner.Skipped: "skipped",
		},
		severity: map[policies.Severity]string{policies.High: "high", policies.Medium: "medium", policies.Low: "low"},
		part: map[string]string{
			"body": "body", "header": "header", "footer": "footer", "comment": "comment", "footnote": "footnote",
			"endnote": "endnote", "deleted": "text deleted under tracked changes", "inserted": "tracked insertion",
			"hidden": "hidden text", "textbox": "text box", "field": "field code", "alttext": "alt text of a picture",
			"metadata": "document properties", "annotation": "PDF annotation", "form": "form field", "bookmark": "bookmark",
			"notes": "slide notes", "sheet-name": "sheet name", "attachment": "attachment", "embedded": "embedded object",
			"file":     "known file (by its digest)",
			"filename": "file name",
		},
		page: "page %d", line: "line %d", problem: "NOT READ", summary: "%d files", none: "no files",
		html: htmlWords{
			Title: "baomi audit report", Generated: "Generated", Policy: "Policy", Masked: "Matched text is masked.",
			Summary: "Summary", ByVerdict: "Files by verdict", BySeverity: "Findings by severity",
			ByRule: "Findings by rule", ByFolder: "Findings by folder", Flagged: "Files with findings",
			Unread: "Files not read completely", Problems: "Paths that could not be entered", Others: "Clean and skipped files",
			Verdict: "Verdict", Severity: "Severity", Findings: "Findings", FilesTop: "Files (highest)", Files: "Files",
			Total: "Total", Path: "Path", Reason: "Reason", Rule: "Rule", Where: "Where", Context: "Context",
			Filter: "Filter by path:", Show: "Show the list", None: "None.",
			MoreFiles:    "%d more files are not listed here; the CSV and JSON reports list them all.",
			MoreFindings: "%d more findings in this file are not listed.",
			MoreFolders:  "%d other folders are not shown.",
			NFindings:    "findings: %d",
		},
	},
	Chinese: {
		verdict: map[scanner.Verdict]string{
			scanner.Clean: "通过", scanner.Flagged: "发现问题", scanner.Review: "需人工复核", scanner.Error: "无法读取", scanner.Skipped: "跳过",
		},
		severity: map[policies.Severity]string{policies.High: "高", policies.Medium: "中", policies.Low: "低"},
		part: map[string]string{
			"body": "正文", "header": "页眉", "footer": "页脚", "comment": "批注", "footnote": "脚注",
			"endnote": "尾注", "deleted": "修订删除的文字", "inserted": "修订插入的文字",
			"hidden": "隐藏文字", "textbox": "文本框", "field": "域代码", "alttext": "图片替代文字",
			"metadata": "文档属性", "annotation": "PDF注释", "form": "表单域", "bookmark": "书签",
			"notes": "备注", "sheet-name": "工作表名称", "attachment": "附件", "embedded": "嵌入对象",
			"file":     "已知文件（按摘要）",
			"filename": "文件名",
		},
		page: "第%d页", line: "第%d行", problem: "未读取", summary: "共 %d 个文件", none: "没有文件",
		html: htmlWords{
			Title: "保密检查报告", Generated: "生成时间", Policy: "策略", Masked: "命中文字已遮盖。",
			Summary: "概况", ByVerdict: "按结论统计文件", BySeverity: "按严重程度统计发现",
			ByRule: "按规则统计发现", ByFolder: "按文件夹统计发现", Flagged: "发现问题的文件",
			Unread: "未能完整读取的文件", Problems: "无法进入的路径", Others: "通过和跳过的文件",
			Verdict: "结论", Severity: "严重程度", Findings: "发现", FilesTop: "文件（按最高程度）", Files: "文件",
			Total: "合计", Path: "路径", Reason: "原因", Rule: "规则", Where: "位置", Context: "上下文",
			Filter: "按路径筛选：", Show: "显示列表", None: "无。",
			MoreFiles:    "另有 %d 个文件未在此列出；CSV 和 JSON 报告列出全部文件。",
			MoreFindings: "此文件另有 %d 处发现未列出。",
			MoreFolders:  "另有 %d 个文件夹未显示。",
			NFindings:    "%d 处发现",
		},
	},
}

// partName is the words for a document part; unknown parts show as they are.
func (w *words) partName(p string) string {
	if s, ok := w.part[p]; ok {
		return s
	}
	return p
}

// PartNames returns the words for document parts (body, header …) in l, for
// presentations of results made elsewhere (the page of baomi serve).
func PartNames(l Lang) map[string]string { return maps.Clone(dict[l].part) }
