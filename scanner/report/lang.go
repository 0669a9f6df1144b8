package report

import (
	"fmt"
	"maps"
	"path"
	"regexp"
	"sort"
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
		},
		partIn: map[string]map[string]string{
			"xlsx": {"hidden": "hidden sheet, row or column"},
			"pptx": {"hidden": "hidden slide"},
		},
		page: map[string]string{"": "page %d", "xlsx": "sheet %d", "pptx": "slide %d"},
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
		},
		partIn: map[string]map[string]string{
			"xlsx": {"hidden": "隐藏的工作表、行或列"},
			"pptx": {"hidden": "隐藏的幻灯片"},
		},
		page: map[string]string{"": "第%d页", "xlsx": "第%d个工作表", "pptx": "第%d张幻灯片"},
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

// Phrasebook translates English sentences made from patterns, each a
// format with %d and %s slots ("page %d: %s"): the text in a %s slot is
// translated in turn, so sentences nest ("entry 3: page 2: ..."); a slot
// no pattern knows stays as it is. A translation takes the slots in order,
// or by index (%[2]d) where the other language orders words differently.
type Phrasebook struct {
	phrases []phrase
}

type phrase struct {
	prefix, suffix string // literal text before the first slot, after the last
	re             *regexp.Regexp
	slots          string // 'd' or 's' per slot
	joined         bool   // the pattern holds "; ", as Translate joins sentences
	to             string
}

// slot matches a slot or an escaped % in a pattern.
var slot = regexp.MustCompile(`%%|%d|%s`)

// NewPhrasebook compiles tables: English pattern → translation.
func NewPhrasebook(tables ...map[string]string) *Phrasebook {
	b := &Phrasebook{}
	table := map[string]string{}
	for _, t := range tables {
		maps.Copy(table, t)
	}
	for from, to := range table {
		var re, slots strings.Builder
		re.WriteString("(?s)^") // a slot may span lines
		lits := slot.Split(from, -1)
		marks := slot.FindAllString(from, -1)
		for i, lit := range lits {
			re.WriteString(regexp.QuoteMeta(lit))
			if i == len(marks) {
				break
			}
			switch marks[i] {
			case "%%":
				re.WriteString("%")
			case "%d":
				re.WriteString(`(\d+)`)
				slots.WriteByte('d')
			case "%s":
				re.WriteString(`(.+?)`)
				slots.WriteByte('s')
			}
		}
		re.WriteString("$")
		p := phrase{re: regexp.MustCompile(re.String()), slots: slots.String(), to: to, joined: strings.Contains(from, "; ")}
		if slots.Len() == 0 {
			p.prefix = strings.ReplaceAll(from, "%%", "%")
		} else {
			p.prefix = strings.ReplaceAll(from[:strings.IndexAny(from, "%")], "%%", "%")
			p.suffix = strings.ReplaceAll(lits[len(lits)-1], "%%", "%")
		}
		b.phrases = append(b.phrases, p)
	}
	// The most specific pattern first: "damaged zip %s: checksum mismatch"
	// before "damaged zip %s: %s".
	weight := func(p phrase) int { return len(p.re.String()) - 8*len(p.slots) }
	sort.Slice(b.phrases, func(i, j int) bool {
		a, c := b.phrases[i], b.phrases[j]
		if weight(a) != weight(c) {
			return weight(a) > weight(c)
		}
		return a.re.String() < c.re.String()
	})
	return b
}

// Translate translates s, sentences joined by "; " each on their own, and
// reports whether every sentence was translated whole; what no pattern
// matches stays as it is.
func (b *Phrasebook) Translate(s string) (string, bool) {
	parts := strings.Split(s, "; ")
	out := make([]string, 0, len(parts))
	all := true
	for i := 0; i < len(parts); i++ {
		// A pattern holding "; " may take several sentences.
		j := len(parts)
		for ; j > i+1; j-- {
			if t, q := b.sentence(strings.Join(parts[i:j], "; "), true); q == whole {
				out = append(out, t)
				break
			}
		}
		if j > i+1 {
			i = j - 1
			continue
		}
		t, q := b.sentence(parts[i], false)
		if q == none {
			t = parts[i]
		}
		out = append(out, t)
		all = all && q == whole
	}
	return strings.Join(out, "；"), all
}

// How well a sentence was translated.
const (
	none   = iota // no pattern matched
	partly        // a slot that reads as English stayed English
	whole
)

// english tells a slot that stayed English because no pattern knows it
// ("not a directory") from one that needs none ("512 MiB", "1-3").
var english = regexp.MustCompile(`[a-z]{2,} [a-z]`)

// sentence translates s when a pattern matches it whole: the first pattern
// whose slots translate too, else the first that matches. joined says to
// try only the patterns that hold "; ".
func (b *Phrasebook) sentence(s string, joined bool) (string, int) {
	best, q := "", none
	for _, p := range b.phrases {
		if joined != p.joined || len(s) < len(p.prefix)+len(p.suffix) || !strings.HasPrefix(s, p.prefix) || !strings.HasSuffix(s, p.suffix) {
			continue
		}
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args, pq := m[1:], whole
		for i, k := range p.slots {
			if k != 's' {
				continue
			}
			t, ok := b.Translate(args[i])
			if !ok && english.MatchString(args[i]) {
				pq = partly
			}
			args[i] = t
		}
		if pq == whole {
			return fill(p.to, args), whole
		}
		if q == none {
			best, q = fill(p.to, args), partly
		}
	}
	return best, q
}

// index matches a slot of a translation: %d, %s, %[n]d, %[n]s, or %%.
var index = regexp.MustCompile(`%%|%(?:\[(\d+)\])?[ds]`)

// fill puts args into the slots of a translation.
func fill(to string, args []string) string {
	next := 0
	return index.ReplaceAllStringFunc(to, func(m string) string {
		if m == "%%" {
			return "%"
		}
		i := next
		if sub := index.FindStringSubmatch(m); sub[1] != "" {
			i, _ = strconv.Atoi(sub[1])
			i--
		}
		next = i + 1
		if i < 0 || i >= len(args) {
			return m
		}
		return args[i]
	})
}

// reasons translates Reasons into Chinese.
var reasons = NewPhrasebook(ReasonsZH)

// ReasonsZH translates the Reasons and Review notes the scanner, the
// sandbox and the extractors write (English, patterns with %d and %s
// slots; a %s slot is translated in turn: it often holds another reason).
// TestReasonsTranslated checks that every sentence in their source is here.
// The command line's phrasebook takes it in too: its errors quote these
// sentences. Read it, never change it.
var ReasonsZH = map[string]string{
	// Generic joins of a place and what went wrong there.
	"%s: %s":             "%s：%s",
	"entry %d":           "第%d个条目",
	"part %d":            "第%d个部件",
	"attachment %d":      "第%d个附件",
	"attachment %d: %s":  "第%d个附件：%s",
	"plain text":         "纯文本",
	"program":            "程序",
	"font":               "字体",
	"audio":              "音频",
	"video":              "视频",
	"RAR archive (.rar)": "RAR压缩文件（.rar）",
	"read in part":       "部分读取",

	// The scanner and the walk.
	"%d findings in all: the first %d and the most severe are listed":    "共有%d处疑点，仅列出前%d处和最严重的疑点",
	"broken symbolic link: %s":                                           "符号链接已失效：%s",
	"cannot read folder: %s":                                             "无法读取文件夹：%s",
	"cannot read ignore file: %s":                                        "无法读取忽略规则文件：%s",
	"larger than --max-size (%d bytes > %d): not read":                   "文件大小超过--max-size限制（%d字节，上限%d字节），未读取",
	"no such file or folder":                                             "文件或文件夹不存在",
	"permission denied":                                                  "无访问权限",
	"not a regular file (device, pipe or socket): not read":              "不是普通文件（设备、管道或套接字），未读取",
	"not a regular file":                                                 "不是普通文件",
	"symbolic link loop":                                                 "符号链接循环",
	"symbolic link to a folder, not followed (use --follow to enter it)": "指向文件夹的符号链接，未进入（使用--follow可进入）",
	"text could not be checked: %s":                                      "文字未能完成检查：%s",
	"interrupted":                                                        "检查被中断",
	"%s is not a valid glob":                                             "%s不是有效的通配模式",

	// The baseline: what it hides, and why a file is no baseline.
	"%d findings accepted in baseline":      "基线已接受%d处疑点",
	"accepted after review by %s on %s: %s": "已由%s于%s复核接受：%s",
	"1 finding accepted in baseline":        "基线已接受1处疑点",
	"%s: a finding of rule %s has no fingerprint (a report from an older baomi? scan again)": "%s：规则%s的疑点没有指纹（可能是旧版baomi生成的报告，请重新检查）",
	"%s: baseline version %d, this baomi reads version %d":                                   "%s：基线版本为%d，本版baomi只能读取版本%d",
	"%s: entry %d has no path or fingerprint":                                                "%s：第%d项没有路径或指纹",
	"%s: not a baseline file: %s":                                                            "%s：不是基线文件：%s",
	"%s: accepted file %d has no path or content hash":                                       "%s：第%d个已接受文件没有路径或内容哈希",
	"not a baomi JSON report: %s":                                                            "不是baomi的JSON报告：%s",
	"not a baomi JSON report: no \"files\"":                                                  "不是baomi的JSON报告：缺少\"files\"",

	// The sandbox.
	"cancelled":                                "已取消",
	"cancelled before reading":                 "读取前已取消",
	"cancelled while reading %s":               "读取%s时已取消",
	"cancelled: the extraction pool is closed": "已取消：读取进程池已关闭",
	"cannot start an extraction process: %s":   "无法启动读取进程：%s",
	"reading needed more than %s of resident memory (file memory limit, enforced by %s): stopped": "读取所需内存超过%s（单个文件内存上限，由%s执行），已停止",
	"reading ran out of memory (no file memory limit was set): stopped":                           "读取时内存耗尽（未设置单个文件内存上限），已停止",
	"reading took longer than %s (file timeout): stopped":                                         "读取时间超过%s（单个文件时限），已停止",
	"the extractor crashed on this file (%s)":                                                     "读取进程处理此文件时崩溃（%s）",
	"the extractor returned no document":                                                          "读取程序未返回文档",
	"the extractor stopped answering: %s":                                                         "读取进程停止响应：%s",
	"the file nests too deeply (stack limit): stopped":                                            "文件嵌套层级过深（栈上限），已停止",
	"the parser crashed on this file":                                                             "解析程序处理此文件时崩溃",
	"cgroup memory.max":                                                                           "cgroup的memory.max",
	"baomi's watchdog":                                                                            "baomi的监视程序",
	"%s, with a job object's process memory limit as a backstop":                                  "%s，并以作业对象的进程内存上限作为兜底",
	"the garbage collector's soft limit only (no kernel limit here)":                              "仅由垃圾回收软上限执行（本机无内核限制）",
	"%s (no cgroup: %s)":                                                                          "%s（未使用cgroup：%s）",
	"baomi is in no cgroup v2 group":                                                              "baomi不在任何cgroup v2组中",
	"cgroup v2 has no memory controller here (cgroup v1 holds it)":                                "本机cgroup v2没有内存控制器（由cgroup v1占用）",
	"no cgroup v2 hierarchy is mounted":                                                           "未挂载cgroup v2层级",
	"no cgroups":                                                                                  "没有cgroup",
	"the kernel is older than 5.7, the first to start a process in a cgroup (CLONE_INTO_CGROUP)":  "内核版本低于5.7，不支持在cgroup中直接启动进程（CLONE_INTO_CGROUP）",
	"cannot make a cgroup: %s":                                                                    "无法创建cgroup：%s",
	"cannot make a subgroup in baomi's delegated cgroup: %s":                                      "无法在委派给baomi的cgroup中创建子组：%s",
	"cannot move into a subgroup of baomi's delegated cgroup: %s":                                 "无法移入委派给baomi的cgroup的子组：%s",
	"cannot read the cgroup's controllers: %s":                                                    "无法读取cgroup的控制器：%s",
	"cannot read the cgroup's subtree controllers: %s":                                            "无法读取cgroup的子树控制器：%s",
	"cannot set a cgroup's memory.max: %s":                                                        "无法设置cgroup的memory.max：%s",
	"cannot turn on the memory controller for baomi's groups: %s":                                 "无法为baomi的组启用内存控制器：%s",
	"cannot watch the memory limit: %s":                                                           "无法监视内存上限：%s",
	"setting the memory limit: %s":                                                                "设置内存上限：%s",
	"fatal error: cannot read resident memory":                                                    "严重错误：无法读取常驻内存",
	"fatal error: out of memory (resident memory over the limit)":                                 "严重错误：内存耗尽（常驻内存超过上限）",

	// Reading a file, whatever its format.
	"cannot open file: %s":                                                                "无法打开文件：%s",
	"cannot read file: %s":                                                                "无法读取文件：%s",
	"cannot stat file: %s":                                                                "无法获取文件信息：%s",
	"damaged file: it could not be read":                                                  "文件已损坏，无法读取",
	"file is %d bytes, over the limit of %d bytes (max file size)":                        "文件大小为%d字节，超过%d字节的上限（文件大小上限）",
	"document has more than %d pages (max pages)":                                         "文档超过%d页（页数上限）",
	"more than %d pages (max pages)":                                                      "超过%d页（页数上限）",
	"document text exceeds the limit of %s (max text)":                                    "文档文字超过%s的上限（文字量上限）",
	"more than %d bytes of text (max text)":                                               "文字超过%d字节（文字量上限）",
	"the file holds more than %d documents inside it (max entries)":                       "文件内含文档超过%d个（条目数上限）",
	"documents inside the file inflate past the limit of %s: possible decompression bomb": "文件内含文档解压后超过%s的上限，可能是解压炸弹",
	"%s: containers nested more than %d deep (max nesting)":                               "%s：容器嵌套超过%d层（嵌套上限）",
	"unknown format: not a document type baomi can read":                                  "未知格式，不是baomi能够读取的文档类型",
	"%s file: baomi cannot read this format yet":                                          "%s：baomi暂不能读取此格式",
	"%s: baomi cannot read this format yet":                                               "%s：baomi暂不能读取此格式",
	"%s file: carries no document text":                                                   "%s文件，不含文档文字",
	"text behind the signature of a program, font or media file: the bytes in front of the text were not read as text": "文字前有程序、字体或媒体文件的文件头，文字前的字节未作为文字读取",
	"the file can also be opened as %s, and baomi could not read it that way: %s":                                      "此文件也可作为%s打开，但baomi无法按此格式读取：%s",
	"the file could not be read as %s (%s); only what it holds as %s was read":                                         "此文件无法作为%s读取（%s），仅读取了其作为%s的内容",
	"picture file: text in images is not read":                                                                         "图片文件，图片中的文字未读取",
	"1 picture in the document may carry text (not read)":                                                              "文档中有1张图片可能含有文字（未读取）",
	"%d pictures in the document may carry text (not read)":                                                            "文档中有%d张图片可能含有文字（未读取）",
	"the pictures of the document could not be listed: they may carry text (not read)":                                 "无法列出文档中的图片，图片可能含有文字（未读取）",
	"page %d has a picture that %s":                                                                                    "第%d页有图片，%s",
	"pages %s have pictures that %s":                                                                                   "第%s页有图片，%s",
	"%d pages, from page %d, have pictures that %s":                                                                    "自第%[2]d页起共%[1]d页有图片，%[3]s",
	"may carry text (not read)":                                                                                        "可能含有文字（未读取）",
	"text file has bytes that are neither UTF-8 nor GB18030: some characters may be missing":                           "文本文件含有既非UTF-8也非GB18030的字节，部分字符可能缺失",
	"text file is %s, over the limit of %s (max text)":                                                                 "文本文件大小为%s，超过%s的上限（文字量上限）",
	"text file decodes to %s of text, over the limit of %s (max text)":                                                 "文本文件解码后文字为%s，超过%s的上限（文字量上限）",

	// What a failed second reading was (extract's failure table).
	"it is encrypted":                   "文件已加密",
	"it is damaged":                     "文件已损坏",
	"it exceeds a limit":                "文件超出限制",
	"baomi cannot read that format yet": "baomi暂不能读取该格式",
	"the format is not known":           "格式未知",
	"it carries no document text":       "不含文档文字",
	"the file could not be read":        "文件无法读取",
	"time ran out":                      "超时",
	"the parser failed":                 "解析失败",

	// Formats baomi cannot read yet.
	"7-Zip archive (.7z)":                                     "7-Zip压缩文件（.7z）",
	"gzip archive (.gz/.tar.gz)":                              "gzip压缩文件（.gz/.tar.gz）",
	"OpenDocument file (.odt/.ods/.odp)":                      "OpenDocument文件（.odt/.ods/.odp）",
	"Outlook message (.msg)":                                  "Outlook邮件（.msg）",
	"Rich Text Format document (.rtf)":                        "RTF文档（.rtf）",
	"Word 97-2003 or WPS Writer document (.doc/.wps)":         "Word 97-2003或WPS文字文档（.doc/.wps）",
	"Excel 97-2003 or WPS Spreadsheets workbook (.xls/.et)":   "Excel 97-2003或WPS表格工作簿（.xls/.et）",
	"PowerPoint 97-2003 or WPS Presentation file (.ppt/.dps)": "PowerPoint 97-2003或WPS演示文件（.ppt/.dps）",
	"OLE compound file (a legacy Office file or another program's object): baomi cannot read this format yet": "OLE复合文件（旧版Office文件或其他程序的对象），baomi暂不能读取此格式",
	"encrypted Office document: cannot be read without its password":                                          "已加密的Office文档，没有密码无法读取",

	// Zip containers (DOCX, XLSX, PPTX, OFD, zip).
	"damaged zip container: %s":         "zip容器已损坏：%s",
	"damaged zip %s: %s":                "zip的%s已损坏：%s",
	"damaged zip %s: checksum mismatch": "zip的%s已损坏：校验和不符",
	"damaged zip %s: no local header":   "zip的%s已损坏：缺少本地文件头",
	"not a valid zip file":              "不是有效的zip文件",
	"checksum mismatch":                 "校验和不符",
	"corrupt compressed data":           "压缩数据已损坏",
	"unsupported compression method":    "不支持的压缩方法",
	"invalid header":                    "文件头无效",
	"zip %s is encrypted":               "zip的%s已加密",
	"zip %s is compressed with method %d, which baomi cannot read":                           "zip的%s使用第%d号压缩方法，baomi无法读取",
	"zip %s: compression ratio %d:1 exceeds the limit of %d:1: possible decompression bomb":  "zip的%s压缩比为%d:1，超过%d:1的上限，可能是解压炸弹",
	"zip %s: declared inflated size %s exceeds the limit of %s: possible decompression bomb": "zip的%s声明的解压大小为%s，超过%s的上限，可能是解压炸弹",
	"declared inflated size %s exceeds the limit of %s: possible decompression bomb":         "声明的解压大小为%s，超过%s的上限，可能是解压炸弹",
	"a zip entry inflates at a ratio over %d:1, the limit: possible decompression bomb":      "zip条目的解压比超过%d:1的上限，可能是解压炸弹",
	"zip entries inflate past the limit of %s: possible decompression bomb":                  "zip条目解压后超过%s的上限，可能是解压炸弹",
	"zip has %d entries, over the limit of %d (max entries)":                                 "zip有%d个条目，超过%d个的上限（条目数上限）",
	"%s: encrypted entry, cannot be read without the archive's password":                     "%s：条目已加密，没有压缩文件密码无法读取",
	"malformed XML in %s at line %d":                                                         "%s第%d行的XML格式错误",
	"XML in %s has more than %d elements (max XML elements)":                                 "%s的XML元素超过%d个（XML元素数上限）",
	"XML in %s nests deeper than %d elements (max XML depth)":                                "%s的XML嵌套超过%d层（XML嵌套上限）",
	"not a Word document: %s is missing":                                                     "不是Word文档：缺少%s",
	"not a workbook: %s is missing":                                                          "不是工作簿：缺少%s",
	"not a presentation: %s is missing":                                                      "不是演示文稿：缺少%s",
	"document imports content from another file (altChunk) that is not read":                 "文档引入了其他文件的内容（altChunk），该内容未读取",

	// OFD.
	"not an OFD file: %s is missing":                   "不是OFD文件：缺少%s",
	"damaged OFD file: %s names no document":           "OFD文件已损坏：%s未指明文档",
	"damaged OFD file: a document it lists is missing": "OFD文件已损坏：所列文档缺失",
	"damaged OFD file: its documents list no pages":    "OFD文件已损坏：文档中没有页面",
	"page %d: its content is missing":                  "第%d页：页面内容缺失",
	"an attachment it lists is missing":                "所列附件缺失",

	// OLE compound files.
	"damaged OLE compound file: FAT larger than the file":               "OLE复合文件已损坏：FAT大于文件本身",
	"damaged OLE compound file: a stream is larger than the file":       "OLE复合文件已损坏：数据流大于文件本身",
	"damaged OLE compound file: bad sector size":                        "OLE复合文件已损坏：扇区大小错误",
	"damaged OLE compound file: broken DIFAT chain":                     "OLE复合文件已损坏：DIFAT链断裂",
	"damaged OLE compound file: broken sector chain":                    "OLE复合文件已损坏：扇区链断裂",
	"damaged OLE compound file: mini sector %d outside the mini stream": "OLE复合文件已损坏：第%d个小扇区超出小数据流",
	"damaged OLE compound file: no header":                              "OLE复合文件已损坏：缺少文件头",
	"damaged OLE compound file: no root entry":                          "OLE复合文件已损坏：缺少根目录项",
	"damaged OLE compound file: sector %d outside the file":             "OLE复合文件已损坏：第%d个扇区超出文件范围",
	"damaged OLE compound file: stream shorter than declared":           "OLE复合文件已损坏：数据流短于声明长度",
	"an OLE stream is %s, over the limit of %s":                         "OLE数据流大小为%s，超过%s的上限",

	// PDF.
	"PDF could not be repaired":                                                                  "PDF无法修复",
	"PDF cross-reference chain loops back on itself":                                             "PDF交叉引用链出现循环",
	"PDF cross-reference stream names impossibly many objects":                                   "PDF交叉引用流所列对象数量异常",
	"PDF cross-reference table is damaged":                                                       "PDF交叉引用表已损坏",
	"PDF cross-reference table names impossibly many objects":                                    "PDF交叉引用表所列对象数量异常",
	"PDF document catalog could not be read":                                                     "无法读取PDF文档目录",
	"PDF has no document catalog":                                                                "PDF缺少文档目录",
	"PDF has no pages":                                                                           "PDF没有页面",
	"PDF header not found or not readable":                                                       "未找到PDF文件头或无法读取",
	"PDF is truncated or has data after %%%%EOF":                                                 "PDF不完整或在%%%%EOF之后有数据",
	"PDF is truncated: its last update is incomplete":                                            "PDF不完整：最后一次更新不完整",
	"PDF is truncated: no valid startxref":                                                       "PDF不完整：缺少有效的startxref",
	"PDF of %d bytes is too large to repair or decrypt (at most %d)":                             "PDF大小为%d字节，过大，无法修复或解密（上限%d字节）",
	"PDF page tree has too many nodes":                                                           "PDF页面树节点过多",
	"PDF page tree is more than %d levels deep or has a cycle":                                   "PDF页面树超过%d层或出现循环",
	"PDF structure is damaged":                                                                   "PDF结构已损坏",
	"PDF trailer could not be read":                                                              "无法读取PDF文件尾",
	"repaired PDF is larger than %d bytes (max inflated)":                                        "修复后的PDF超过%d字节（解压上限）",
	"encrypted PDF: encryption dictionary pdfcpu cannot read":                                    "已加密的PDF：加密字典无法读取",
	"encrypted PDF: needs a password":                                                            "已加密的PDF：需要密码",
	"encrypted PDF: unsupported encryption":                                                      "已加密的PDF：不支持的加密方式",
	"content is not a stream":                                                                    "页面内容不是数据流",
	"damaged compressed stream":                                                                  "压缩数据流已损坏",
	"damaged page content":                                                                       "页面内容已损坏",
	"unsupported stream filter":                                                                  "不支持的数据流过滤器",
	"unsupported or malformed text operator":                                                     "文字操作符不受支持或格式错误",
	"form XObjects nested more than %d deep":                                                     "表单XObject嵌套超过%d层",
	"more than %d glyphs on a page (max glyphs)":                                                 "一页字形超过%d个（字形数上限）",
	"more than %d operators on a page (max operators)":                                           "一页操作符超过%d个（操作符数上限）",
	"streams inflate to more than %d bytes (max inflated)":                                       "数据流解压后超过%d字节（解压上限）",
	"page %d could not be read: %s":                                                              "第%d页无法读取：%s",
	"page %d has more than %d annotations: the rest were not read":                               "第%d页注释超过%d个，其余未读取",
	"page %d: %d content stream(s) are damaged and were %s: text may be missing":                 "第%d页：%d个内容流已损坏，仅%s，文字可能缺失",
	"page %d: %d%% of glyphs have no Unicode mapping":                                            "第%d页：%d%%的字形没有Unicode映射",
	"page /Parent chain loops":                                                                   "页面的/Parent链出现循环",
	"%d font Unicode map(s) are damaged and were %s: text may be missing or wrong":               "%d个字体Unicode映射表已损坏，仅%s，文字可能缺失或有误",
	"the PDF page tree is damaged and was %s: pages may be missing":                              "PDF页面树已损坏，仅%s，页面可能缺失",
	"the PDF is damaged and was repaired to be read: text may be missing":                        "PDF已损坏，经修复后读取，文字可能缺失",
	"the PDF embeds more than %d files: the rest were not read":                                  "PDF嵌入的文件超过%d个，其余未读取",
	"the PDF has more than %d bookmarks or nests them more than %d deep: the rest were not read": "PDF书签超过%d个或嵌套超过%d层，其余未读取",
	"the PDF's XMP metadata is damaged: part of it was not read":                                 "PDF的XMP元数据已损坏，部分未读取",
	"the PDF's XMP metadata is too large or too deep: the rest was not read":                     "PDF的XMP元数据过大或嵌套过深，其余未读取",
	"the PDF's bookmarks could not be read":                                                      "无法读取PDF的书签",
	"the PDF's document information could not be read":                                           "无法读取PDF的文档信息",
	"the PDF's document properties could not be read":                                            "无法读取PDF的文档属性",
	"the PDF's list of embedded files could not be read":                                         "无法读取PDF的嵌入文件列表",
	"its data is damaged or uses an unsupported filter":                                          "其数据已损坏或使用了不支持的过滤器",
	"its data is missing":                                                                        "其数据缺失",
	"its file specification is damaged":                                                          "其文件说明已损坏",
	"timed out listing pictures":                                                                 "列出图片时超时",
	"timed out reading a page":                                                                   "读取页面时超时",
	"timed out reading annotations":                                                              "读取注释时超时",
	"timed out reading embedded files":                                                           "读取嵌入文件时超时",
	"timed out reading page %d of %d":                                                            "读取第%d页（共%d页）时超时",
	"timed out repairing or decrypting the PDF":                                                  "修复或解密PDF时超时",
}
