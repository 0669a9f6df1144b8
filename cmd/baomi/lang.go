package main

import (
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baomi/baomi/scanner/report"
)

// People read baomi in Chinese or English: --lang, else the config file's
// lang, else the locale (LC_ALL, LC_MESSAGES, LANG). The commands are
// written in English; messagesZH translates what they say, help included,
// at the edge: the help when the commands are built (localize), messages
// when they are printed (say). JSON log lines stay English, for machines.

// langFromArgs returns the value of --lang in args, "" when it is not there.
// It is read before cobra parses the flags, because the help is built in
// the language first.
func langFromArgs(args []string) string {
	for i, a := range args {
		switch {
		case a == "--":
			return ""
		case a == "--lang" && i+1 < len(args):
			return args[i+1]
		case strings.HasPrefix(a, "--lang="):
			return a[len("--lang="):]
		}
	}
	return ""
}

// locale returns the first set of LC_ALL, LC_MESSAGES, LANG.
func locale() string {
	for _, k := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return ""
}

// zh translates messages into Chinese, and the reasons they may quote.
var zh = report.NewPhrasebook(messagesZH, report.ReasonsZH)

// say returns s in lang: a message, a help text, an error.
func say(lang report.Lang, s string) string {
	if lang != report.Chinese || s == "" {
		return s
	}
	body := strings.TrimRight(s, "\n")
	t, _ := zh.Translate(body)
	return t + s[len(body):]
}

// printf prints a message to w in g's language.
func (g *globals) printf(w io.Writer, format string, args ...any) {
	fmt.Fprint(w, say(g.lang, fmt.Sprintf(format, args...)))
}

// localize translates the help of root and every command under it, and
// cobra's own words around it, into lang.
func localize(root *cobra.Command, lang report.Lang) {
	if lang != report.Chinese {
		return
	}
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.SetUsageTemplate(usageZH)
	cobra.AddTemplateFunc("defaultsZH", defaultsZH)
	cobra.AddTemplateFunc("flagsZH", func(s string) string { return strings.Replace(s, " [flags]", " [选项]", 1) })
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		long := say(lang, c.Long)
		if long == c.Long && (c.Name() == "completion" || c.HasParent() && c.Parent().Name() == "completion") {
			long = "" // cobra's instructions per shell: the short line says it
		}
		c.Short, c.Long = say(lang, c.Short), long
		tr := func(f *pflag.Flag) { f.Usage = say(lang, f.Usage) }
		c.LocalFlags().VisitAll(tr)
		c.PersistentFlags().VisitAll(tr)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// defaultValue is pflag's note on a flag's default, at the end of its line.
var defaultValue = regexp.MustCompile(`(?m) \(default (.*)\)$`)

// defaultsZH writes pflag's "(default x)" notes in Chinese.
func defaultsZH(s string) string { return defaultValue.ReplaceAllString(s, "（默认值：$1）") }

// usageZH is cobra's usage template in Chinese.
const usageZH = `用法：{{if .Runnable}}
  {{.UseLine | flagsZH}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [命令]{{end}}{{if .HasExample}}

示例：
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

命令：{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{.Short}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

选项：
{{.LocalFlags.FlagUsages | defaultsZH | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableInheritedFlags}}

全局选项：
{{.InheritedFlags.FlagUsages | defaultsZH | trimTrailingWhitespaces}}{{end}}{{if .HasAvailableSubCommands}}

运行“{{.CommandPath}} [命令] --help”查看各命令的说明。{{end}}
`

// messagesZH translates baomi's messages, help and errors: English
// patterns with %d and %s slots (see report.Phrasebook). TestMessagesZH
// checks that every one the commands use is here.
var messagesZH = map[string]string{
	// Generic: a flag or a file, and what is wrong with it.
	"%s: %s":                    "%s：%s",
	"no such file or directory": "文件或文件夹不存在",
	"permission denied":         "无访问权限",
	"is a directory":            "是文件夹",
	"not a directory":           "不是文件夹",
	"file exists":               "文件已存在",
	"open %s: %s":               "无法打开%s：%s",
	"stat %s: %s":               "无法访问%s：%s",

	// cobra's errors and words.
	`unknown command "%s" for "%s"`:                                 "%[2]s没有“%[1]s”命令",
	"unknown flag: %s":                                              "未知选项：%s",
	"unknown shorthand flag: %s in %s":                              "未知短选项：%s（%s）",
	"flag needs an argument: %s":                                    "选项需要参数：%s",
	"invalid argument %s for %s flag: %s":                           "选项%[2]s的参数%[1]s无效：%[3]s",
	"accepts %d arg(s), received %d":                                "需要%d个参数，收到%d个",
	"accepts at most %d arg(s), received %d":                        "最多接受%d个参数，收到%d个",
	"requires at least %d arg(s), only received %d":                 "至少需要%d个参数，只收到%d个",
	"unknown command \"%s\" for \"%s\"\n\nDid you mean this?\n\t%s": "%[2]s没有“%[1]s”命令。\n\n是否要运行：\n\t%[3]s",
	"Run 'baomi --help' for usage.":                                 "运行“baomi --help”查看用法。",
	"help for %s":                                                   "显示%s的帮助",
	"Help about any command":                                        "显示任一命令的帮助",
	"Help provides help for any command in the application.\nSimply type baomi help [path to command] for full details.": "显示任一命令的帮助。运行 baomi help [命令] 查看详细说明。",
	"Generate the autocompletion script for the specified shell":                                                         "生成指定shell的命令补全脚本",
	"Generate the autocompletion script for bash":                                                                        "生成bash的命令补全脚本",
	"Generate the autocompletion script for zsh":                                                                         "生成zsh的命令补全脚本",
	"Generate the autocompletion script for fish":                                                                        "生成fish的命令补全脚本",
	"Generate the autocompletion script for powershell":                                                                  "生成PowerShell的命令补全脚本",
	"disable completion descriptions":                                                                                    "补全时不显示说明",

	// baomi.
	"Check documents for secrecy breaches before release (保密审查)": "发布前检查文档是否泄密（保密审查）",
	"baomi checks documents for possible secrecy breaches before they leave the office\n(保密审查, 信息公开前审查): classification markings (密级标志 such as 机密★5年),\nrelease-blocking labels (内部资料，注意保存) and terms an office defines, in the\nfiles offices keep (PDF, OFD, Word, Excel and PowerPoint old and new, WPS, ODF,\nRTF, HTML, e-mail, archives, and pictures and scans read by OCR), wherever they\nhide.\n\nExit codes of scan: 0 clean, 1 findings at or above --fail-on, 2 a file could not\nbe read completely (review, error) or a path does not exist, 3 usage, policy or\nconfiguration error, 130 interrupted.": "baomi在文档对外发布前检查其中可能泄密的内容（保密审查、信息公开前审查）：密级标志（如机密★5年）、\n限制发布的标识（如“内部资料，注意保存”）以及本单位规定的词语，检查范围包括PDF、OFD、新旧格式的\nWord/Excel/PowerPoint、WPS、ODF、RTF、HTML、电子邮件、压缩包，以及经OCR识别的图片和扫描件，\n文件中的正文、页眉页脚、批注、修订、隐藏文字等各个部分都会检查。\n\nscan命令的退出码：0 通过；1 有严重程度达到--fail-on的疑点；2 有文件未能完整读取\n（需人工复核、无法读取）或路径不存在；3 用法、策略或配置错误；130 被中断。",
	"log level: debug, info, warn, error (logs go to stderr and never contain document text)":       "日志级别：debug、info、warn、error（日志写到标准错误，不含文档文字）",
	"--log-level %s: expected debug, info, warn or error":                                           "--log-level %s无效：应为debug、info、warn或error",
	"language of messages and reports: zh or en (default: the config file's lang, else the locale)": "提示信息和报告的语言：zh或en（默认取配置文件的lang，其次取系统区域设置）",
	"--lang %s: expected zh or en": "--lang %s无效：应为zh或en",

	// scan.
	"Check files before release and say whether each is safe": "发布前检查文件，逐一给出结论",
	"scan checks each file (folders are walked recursively) against the policy and\nprints one verdict per file: clean, flagged, review (text may be incomplete),\nerror (could not be read) or skipped (no document text).\n\nExit codes: 0 clean (or findings only below --fail-on), 1 a finding at or above\n--fail-on, 2 a file is review or error or a path does not exist, 3 usage or\npolicy error, 130 interrupted.": "scan按策略逐一检查文件（文件夹逐级检查），每个文件给出一个结论：通过、发现问题、\n需人工复核（文字可能不完整）、无法读取或跳过（不含文档文字）。\n\n退出码：0 通过（或疑点均低于--fail-on）；1 有达到--fail-on的疑点；2 有文件需人工复核\n或无法读取，或路径不存在；3 用法或策略错误；130 被中断。",
	"show matched text as its first character and ＊":                                                    "命中文字只显示第一个字，其余显示为＊",
	"lowest severity that makes the exit code 1: low, medium or high":                                   "使退出码为1的最低严重程度：low（低）、medium（中）或high（高）",
	"files scanned at once":                                                                             "同时检查的文件数",
	"follow symbolic links to folders (loops are detected)":                                             "进入指向文件夹的符号链接（可识别循环）",
	"hide the findings accepted in baseline `FILE` (made by 'baomi baseline'); new findings still show": "不显示基线文件`FILE`（由baomi baseline生成）中已接受的疑点和文件；新的疑点照常显示",
	"output format: %s": "输出格式：%s",
	"write the report to `FILE` instead of standard output": "将报告写入文件`FILE`，而不是标准输出",
	"--fail-on: %s":                        "--fail-on：%s",
	"--workers must be at least 1, got %d": "--workers至少为1，当前为%d",
	"--baseline: %s":                       "--baseline：%s",
	"--format: %s":                         "--format：%s",
	"--output: %s":                         "--output：%s",
	"writing the report: %s":               "写入报告出错：%s",
	"interrupted: the report lists only the files finished": "检查被中断：报告只列出已检查完的文件",
	"%d findings accepted in the baseline are not shown.":   "基线中已接受的%d处疑点未显示。",
	"1 finding accepted in the baseline is not shown.":      "基线中已接受的1处疑点未显示。",

	// audit.
	"Audit whole folders: reports to hand on, progress, fast re-audits": "检查整个文件夹：生成可提交的报告，显示进度，复查更快",
	"audit walks folders (include/exclude globs, .baomiignore files, --max-size),\nscans every file found, writes reports (--report, the format taken from the\nfile's extension: .html .csv .json .jsonl .sarif), and prints on standard\noutput the files that need attention and a summary.\n\nResults are kept in a cache database (--db; default under the user's cache\nfolder): a re-audit reads only files whose size or modification time changed\nand scans only content or policy that changed. Flagged files are always read\nagain, because the database keeps no document text. Each audit is recorded\nin a hash-chained history ('baomi history').\n\nExit codes as for scan: 0 clean, 1 a finding at or above --fail-on, 2 a file\nis review or error or a path could not be entered, 3 usage, policy or\nconfiguration error, 130 interrupted.": "audit逐级检查文件夹（可用--include、--exclude、.baomiignore文件和--max-size筛选），\n检查找到的每个文件，生成报告（--report，格式由文件扩展名决定：.html .csv .json\n.jsonl .sarif），并在标准输出列出需要处理的文件和汇总。\n\n检查结果保存在缓存数据库中（--db，默认在用户缓存目录下）：复查时只读取大小或修改\n时间有变化的文件，只检查内容或策略有变化的部分。发现问题的文件每次都重新读取，因为\n数据库不保存文档文字。每次检查都记入带哈希链的检查记录（baomi history）。\n\n退出码与scan相同：0 通过；1 有达到--fail-on的疑点；2 有文件需人工复核或无法读取，\n或路径无法进入；3 用法、策略或配置错误；130 被中断。",
	"scan only files whose path below the folder, or name, matches `GLOB` (repeatable; ** crosses folders)":                                "只检查相对路径或文件名符合通配模式`GLOB`的文件（可重复；**可跨文件夹）",
	"leave out files and folders whose path below the folder, or name, matches `GLOB` (repeatable)":                                        "跳过相对路径或名称符合通配模式`GLOB`的文件和文件夹（可重复）",
	"files larger than `SIZE` (e.g. 200MiB) are not read and get verdict error":                                                            "大于`SIZE`（如200MiB）的文件不读取，结论为无法读取",
	"write a report to `FILE`, format from its extension (.html .csv .json .jsonl .sarif); - for standard output in --format (repeatable)": "将报告写入文件`FILE`，格式由扩展名决定（.html .csv .json .jsonl .sarif）；-表示按--format写到标准输出（可重复）",
	"format of standard output: %s (text lists only files that need attention)":                                                            "标准输出的格式：%s（text只列出需要处理的文件）",
	"title of the HTML report": "HTML报告的标题",
	"cache database `PATH` (default: the user's cache folder, baomi/cache.db)":                          "缓存数据库路径`PATH`（默认为用户缓存目录下的baomi/cache.db）",
	"neither use nor update the cache database, and record no history":                                  "不使用也不更新缓存数据库，不记入检查记录",
	"no progress bar on standard error":                                                                 "不在标准错误显示进度",
	"--include/--exclude: %s":                                                                           "--include/--exclude：%s",
	"--max-size: %s":                                                                                    "--max-size：%s",
	"no cache folder (%s): use --db PATH or --no-cache":                                                 "没有缓存目录（%s）：请使用--db PATH或--no-cache",
	"cache database: %s (use --db PATH or --no-cache)":                                                  "缓存数据库：%s（请使用--db PATH或--no-cache）",
	"--report %s: cannot tell the format from the extension (use .html, .csv, .json, .jsonl or .sarif)": "--report %s：无法由扩展名确定格式（请使用.html、.csv、.json、.jsonl或.sarif）",
	"--report %s: named twice":                                                                          "--report %s：重复指定",
	"--report: %s":                                                                                      "--report：%s",
	"--report %s: %s":                                                                                   "--report %s：%s",

	// The progress line of audit.
	"files %d/%d · %s of %s": "文件%d/%d · 数据%s/%s",
	" · about %s left":       " · 约剩%s",

	// baseline.
	"Accept the findings of a JSON report, so that later scans hide them": "接受JSON报告中的疑点，以后检查时不再显示",
	"baseline reads a JSON report (scan --format json, or audit --report x.json) and\nwrites every finding in it to a baseline file: path, rule and fingerprint, no\ndocument text. 'scan --baseline FILE' and 'audit --baseline FILE' then hide\nthose findings and count them in the summary; a new finding, or the same\nwords with other surroundings, still shows. Review the report before\naccepting it: the baseline accepts everything the report lists.\n\nREPORT.json may be - for standard input. Exit codes: 0 written, 3 the\nreport cannot be read or the baseline cannot be written.": "baseline读取JSON报告（scan --format json或audit --report x.json的输出），将其中每处疑点\n写入基线文件：路径、规则和指纹，不含文档文字。此后scan --baseline FILE和audit --baseline FILE\n不再显示这些疑点，只在汇总中计数；新的疑点，或相同文字出现在不同上下文中，仍会显示。\n接受前请先审阅报告：基线接受报告列出的全部疑点。\n\nREPORT.json为-时从标准输入读取。退出码：0 已写入；3 无法读取报告或无法写入基线。",
	"Accept files a person checked by hand (review, error) as their content is now": "接受经人工核对的文件（需人工复核、无法读取），以其当前内容为准",
	"accept records in a baseline file each PATH a person opened and checked by\nhand (a file that is review or error: pictures, scanned pages, an encrypted\nattachment): its content hash, who accepted it, when and why. Scans and audits\nwith --baseline FILE then still list the file, with the note, but it no longer\nmakes the exit code 2. A changed file shows as before until it is accepted\nagain. Name each PATH as scans name it (the same folder argument).\n\nFILE is created when it does not exist. Exit codes: 0 written, 3 a PATH or the\nbaseline cannot be read, or the baseline cannot be written.": "accept将经人工打开核对的每个文件PATH（需人工复核或无法读取的文件，如图片、扫描页、加密附件）\n记入基线文件：内容哈希、接受人、时间和理由。此后使用--baseline FILE检查时，该文件仍会列出并附上\n说明，但不再使退出码为2。文件内容一旦改变，即恢复原样提示，直到再次接受。PATH的写法须与检查时\n一致（使用相同的文件夹参数）。\n\nFILE不存在时新建。退出码：0 已写入；3 无法读取PATH或基线，或无法写入基线。",
	"baseline `FILE` to add to (created if missing)":                             "要加入的基线文件`FILE`（不存在时新建）",
	"why the files may be released as they are (required)":                       "文件可以原样发布的理由（必填）",
	"who checked them (default: the user running baomi)":                         "核对人（默认为运行baomi的用户）",
	"accept needs --baseline FILE and --why TEXT":                                "accept需要--baseline FILE和--why TEXT",
	"baomi: %d files accepted in %s":                                             "baomi：已将%d个文件记入%s",
	"baomi: 1 file accepted in %s":                                               "baomi：已将1个文件记入%s",
	"%d files accepted after review in the baseline do not count as incomplete.": "基线中经人工复核接受的%d个文件不计为未完整读取。",
	"1 file accepted after review in the baseline does not count as incomplete.": "基线中经人工复核接受的1个文件不计为未完整读取。",
	"write the baseline to `FILE` instead of standard output":                    "将基线写入文件`FILE`，而不是标准输出",
	"writing the baseline: %s":                                                   "写入基线出错：%s",
	"baomi: %d findings accepted":                                                "baomi：已接受%d处疑点",
	"baomi: 1 finding accepted":                                                  "baomi：已接受1处疑点",

	// history.
	"List the audits recorded in the cache database, or verify their chain": "列出缓存数据库中的检查记录，或校验记录的哈希链",
	"history lists the audits recorded by 'baomi audit': number, time, who ran it,\nthe policy hash and the counts. Each record holds the hash of the one before,\nso --verify detects a record that was edited, deleted or inserted.\n\nExit codes: 0 listed, or the chain is intact; 2 the chain was tampered with;\n3 the database cannot be opened.": "history列出baomi audit的检查记录：序号、时间、检查人、策略哈希和各项数量。每条记录都含有\n前一条记录的哈希，因此--verify能发现被修改、删除或插入的记录。\n\n退出码：0 已列出，或哈希链完好；2 哈希链被篡改；3 无法打开数据库。",
	"check the hash chain of the records":                                     "校验记录的哈希链",
	"no cache folder (%s): use --db PATH":                                     "没有缓存目录（%s）：请使用--db PATH",
	"cache database: %s":                                                      "缓存数据库：%s",
	"no audits recorded (%s does not exist)":                                  "没有检查记录（%s不存在）",
	"no audits recorded":                                                      "没有检查记录",
	"%d audit records, chain intact":                                          "共%d条检查记录，哈希链完好",
	"1 audit record, chain intact":                                            "共1条检查记录，哈希链完好",
	"newest: #%d %s (keep this hash elsewhere to detect a rewritten history)": "最新一条：#%d %s（请另行保存此哈希，以便发现被改写的记录）",
	"#\tstarted\ttook\tuser@host\tpolicy\tfiles\tflagged\treview\terror\tfindings\tbaselined\tpaths": "序号\t开始时间\t用时\t检查人@主机\t策略\t文件\t发现问题\t需人工复核\t无法读取\t疑点\t基线已接受\t路径",

	// extract.
	"Print the text baomi reads from a file, before matching": "显示baomi从文件中读出的文字（匹配之前）",
	"extract shows what baomi read from a file: each segment of text with the part\nof the document it came from (body, header, footer …) and its page, so that you\ncan compare it with what you see. Its verdict says whether the file was read\ncompletely (clean here means \"read\", nothing is matched).\n\nExit codes: 0 the file was opened (even if some pages need review), 2 it could\nnot be read, 3 usage error.": "extract显示baomi从文件中读出的内容：每段文字及其所在部分（正文、页眉、页脚等）和页码，\n便于与看到的内容对照。结论说明文件是否完整读取（这里的“通过”表示已读取，不做匹配）。\n\n退出码：0 文件已打开（即使有页面需人工复核）；2 文件无法读取；3 用法错误。",
	"output format: text or json":        "输出格式：text或json",
	"--format %s: expected text or json": "--format %s无效：应为text或json",

	// policy.
	"Work with policy files": "管理策略文件",
	"Check policy files: syntax, rules, and each rule's examples and counterexamples": "检查策略文件：语法、规则以及每条规则的示例和反例",
	"validate loads each policy file, reports every problem with file:line, and then\nchecks that every rule finds its examples and none of its counterexamples.\nWith no FILE it validates the embedded default policy. Exit code 0 when all is\nwell, 3 otherwise.": "validate读取每个策略文件，按“文件:行号”报告每个问题，然后检查每条规则能找到其全部\n示例且不命中任何反例。不指定FILE时检查内置默认策略。全部正确时退出码为0，否则为3。",
	"policy `FILE` to add to the default policy (repeatable)":         "在默认策略之外加用的策略文件`FILE`（可重复）",
	"do not use the embedded default policy":                          "不使用内置默认策略",
	"embedded default policy is broken:\n%s":                          "内置默认策略有误：\n%s",
	"policy errors:\n%s":                                              "策略有误：\n%s",
	"no policy: --no-default-policy needs at least one --policy FILE": "没有策略：使用--no-default-policy时至少要用--policy指定一个策略文件",
	"policy examples fail:\n%s":                                       "策略示例检查未通过：\n%s",
	"ok: %d rules in %s":                                              "通过：%[2]s共%[1]d条规则",
	"ok: 1 rule in %s":                                                "通过：%s共1条规则",

	"baomi manual": "baomi使用手册",

	// config.
	"Print the effective settings and where each comes from": "显示当前生效的设置及其来源",
	"config prints every setting a config file may hold, its value and where the\nvalue comes from: the system's config file (/etc/baomi/config.yaml), the\nuser's ($XDG_CONFIG_HOME/baomi/config.yaml, or ~/.config/baomi/config.yaml),\nor the flag's default. The command line overrides both files, the user's file\noverrides the system's. Keys are named as the flags:\n\n  lang: zh\n  fail-on: high\n  workers: 4\n  policy: [/etc/baomi/office.yaml]\n  title: 保密检查报告\n\nAn unknown key is an error (exit 3) naming the file and line.": "config列出配置文件可设置的每一项、当前值及其来源：系统配置文件（/etc/baomi/config.yaml）、\n用户配置文件（$XDG_CONFIG_HOME/baomi/config.yaml或~/.config/baomi/config.yaml），或选项的\n默认值。命令行优先于两个配置文件，用户配置文件优先于系统配置文件。配置项与选项同名：\n\n  lang: zh\n  fail-on: high\n  workers: 4\n  policy: [/etc/baomi/office.yaml]\n  title: 保密检查报告\n\n配置项名称有误时报错（退出码3），并指出文件和行号。",
	"# config files, in the order they apply: %s": "# 配置文件（按生效顺序）：%s",
	"default":         "默认值",
	"command line":    "命令行",
	"config file: %s": "配置文件：%s",
	"%s: expected keys and values (fail-on: high)":                                                   "%s：应为“配置项: 值”的形式（如fail-on: high）",
	"%s: %s is set twice (first on line %d)":                                                         "%s：%s重复设置（第一次在第%d行）",
	"%s: %s: expected a list of values":                                                              "%s：%s：应为值的列表",
	"%s: %s: expected a value or a list of values":                                                   "%s：%s：应为一个值或值的列表",
	"%s: unknown key %s (keys are named as the flags: fail-on, lang, workers …; see 'baomi config')": "%s：未知配置项%s（配置项与选项同名，如fail-on、lang、workers等，参见baomi config）",
	"takes one value, not a list":                                                                    "只能取一个值，不能是列表",

	// version.
	"Print baomi's version, the default policy's hash and whether OCR is available": "显示baomi的版本、默认策略的哈希以及能否进行文字识别（OCR）",
	"default policy: %d rules, hash %s":                                             "默认策略：%d条规则，哈希%s",
	"file memory limit enforced by %s":                                              "单个文件内存上限的执行方式：%s",

	// Isolation of the readers.
	"most resident memory reading one file may use (e.g. 512MiB, 2GiB; at least %dMiB); enforced by a cgroup where baomi may make one, else by a watchdog": "读取单个文件可用的最大常驻内存（如512MiB、2GiB，至少%dMiB）；能建cgroup时由cgroup限制，否则由监视程序限制",
	"most time reading one file may take":                                          "读取单个文件的最长时间",
	"read files in baomi's own process, without isolation (for debugging)":         "在baomi自身进程中读取文件，不隔离（用于调试）",
	"file of passwords to try on encrypted documents, one per line (never logged)": "用于尝试打开加密文档的密码文件，每行一个（不写入日志）",
	"--file-memory: %s":                             "--file-memory：%s",
	"--file-memory %s is too small: at least %dMiB": "--file-memory %s过小：至少为%dMiB",
	"--file-timeout must be positive, got %s":       "--file-timeout必须大于0，当前为%s",
	"--password-file: %s":                           "--password-file：%s",
	"cannot find baomi's own binary to start extraction processes: %s (use --in-process)": "找不到baomi程序本身，无法启动读取进程：%s（请使用--in-process）",
	"cannot read the file: %s":             "无法读取文件：%s",
	"%s is not UTF-8 text":                 "%s不是UTF-8文本",
	"%s is not a size (e.g. 512MiB, 1GiB)": "%s不是有效的大小（如512MiB、1GiB）",
	"extraction worker: %s":                "读取进程：%s",

	// OCR.
	"read text in pictures (scans, photos, pictures inside documents) with Tesseract: auto (when it is installed), on (exit 3 without it) or off":                                                                                                                "用Tesseract识别图片中的文字（扫描件、照片、文档中的图片）：auto（已安装时识别）、on（未安装时退出码为3）或off",
	"Tesseract languages to read pictures with, e.g. chi_sim,eng (default: those of chi_sim, chi_sim_vert and eng installed)":                                                                                                                                    "识别图片所用的Tesseract语言，如chi_sim,eng（默认为chi_sim、chi_sim_vert、eng中已安装的）",
	"most time reading one picture may take; a file's time limit grows by as much for each picture it has read":                                                                                                                                                  "识别单张图片的最长时间；文件每识别一张图片，其读取时限延长同样的时间",
	"the Tesseract `PROGRAM` to run, a path or a name on PATH (default: tesseract)":                                                                                                                                                                              "要运行的Tesseract程序`PROGRAM`，可以是路径或PATH中的名称（默认为tesseract）",
	"install it (Debian, Kylin, UOS: apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert. Windows: the installer from https://github.com/UB-Mannheim/tesseract/wiki, with the Chinese languages) or give its path with --ocr-command": "安装Tesseract（Debian、麒麟、统信UOS：apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert；Windows：使用https://github.com/UB-Mannheim/tesseract/wiki提供的安装程序，并选装中文语言），或用--ocr-command指定其路径",
	"--ocr %s: expected auto, on or off":                                             "--ocr %s无效：应为auto、on或off",
	"--ocr-timeout must be positive, got %s":                                         "--ocr-timeout必须大于0，当前为%s",
	"--ocr-command: %s: %s":                                                          "--ocr-command：%s：请%s",
	"--ocr on: Tesseract was not found (%s): %s":                                     "--ocr on：未找到Tesseract（%s）：请%s",
	"--ocr-lang: %s is not installed in Tesseract (installed: %s)":                   "--ocr-lang：Tesseract未安装%s（已安装：%s）",
	"--ocr on: Tesseract has none of chi_sim, chi_sim_vert, eng (installed: %s): %s": "--ocr on：Tesseract没有chi_sim、chi_sim_vert、eng中的任何一种语言（已安装：%s）：请%s",
	"tesseract not found on PATH":                                                    "PATH中找不到tesseract",
	"tesseract not found: %s":                                                        "找不到tesseract：%s",
	"%s is not Tesseract 4 or later":                                                 "%s不是Tesseract 4或更高版本",
	"%s is not Tesseract 4 or later: %s":                                             "%s不是Tesseract 4或更高版本：%s",
	"%s: listing its languages: %s":                                                  "%s：列出其语言时出错：%s",
	"OCR: not available (%s): pictures are not read and files with pictures stay review. To read them, %s":  "文字识别（OCR）：不可用（%s）：不识别图片，含图片的文件需人工复核。如需识别，请%s",
	"OCR: Tesseract %s at %s has none of chi_sim, chi_sim_vert, eng (languages: %s): pictures are not read": "文字识别（OCR）：%[2]s处的Tesseract %[1]s没有chi_sim、chi_sim_vert、eng中的任何一种语言（已有：%[3]s），不识别图片",
	"OCR: Tesseract %s at %s, languages %s, reading with %s":                                                "文字识别（OCR）：Tesseract %s，位于%s，已有语言%s，识别时使用%s",
	" · %d pictures read by OCR": " · 文字识别图片%d张",

	// watch.
	"Watch shared folders and check every file created or changed in them": "监视共享文件夹，检查其中新建或修改的每个文件",
	"watch is a daemon: it watches folders (recursively) and scans every file created\nor changed there once it has stopped changing, logging one JSON line per file\n(and one per finding, never the matched text) on stderr. A config file (--config)\ncan quarantine flagged files, post results to a webhook or run a command.\n\nEvery change is queued in an SQLite database (--db) before it is handled, and on\nstart the folders are compared with it, so a restart or a crash loses nothing.\nSIGHUP reloads the policies and the config; SIGTERM or Ctrl-C stops after the\nfiles being scanned (exit 0). Exit code 3 on usage, policy or config errors.": "watch是常驻服务：逐级监视文件夹，文件新建或修改且不再变化后即行检查，每个文件（及每处\n疑点，不含命中文字）在标准错误输出一行JSON日志。配置文件（--config）可设置隔离发现问题\n的文件、将结果发送到webhook或运行命令。\n\n每次变化在处理前都先记入SQLite数据库（--db），启动时将文件夹与数据库比对，因此重启或\n崩溃不会遗漏。SIGHUP重新加载策略和配置；SIGTERM或Ctrl-C在正在检查的文件完成后停止\n（退出码0）。用法、策略或配置错误时退出码为3。",
	"queue and state database `FILE` (default $STATE_DIRECTORY/watch.db under systemd, else in the user's cache folder)": "队列和状态数据库文件`FILE`（在systemd下默认为$STATE_DIRECTORY/watch.db，否则在用户缓存目录下）",
	"YAML config `FILE`: debounce, ignore, quarantine, webhook, command":                                                 "YAML配置文件`FILE`：防抖、忽略、隔离、webhook、命令",
	"scan a file once its size and time stayed unchanged this long (default 2s, or the config's)":                        "文件大小和修改时间保持不变达到此时长后才检查（默认2s，或取配置文件的值）",
	"also compare the folders with the database this often (e.g. 1m), for SMB/NFS mounts":                                "每隔此时长（如1m）将文件夹与数据库比对一次，用于SMB/NFS挂载",
	"do not use kernel file notifications (with --poll)":                                                                 "不使用内核文件通知（与--poll同用）",
	"serve /healthz and /metrics on `ADDR` (e.g. 127.0.0.1:9464); off by default":                                        "在地址`ADDR`（如127.0.0.1:9464）提供/healthz和/metrics；默认关闭",
	"--poll and --debounce must not be negative":                                                                         "--poll和--debounce不能为负数",
	"--no-notify needs --poll: otherwise nothing would be noticed":                                                       "--no-notify需要同时使用--poll，否则无法发现任何变化",
	"--listen: %s":       "--listen：%s",
	"watch: %s":          "watch：%s",
	"config errors:\n%s": "配置有误：\n%s",
	"%s is not a folder: watch takes folders": "%s不是文件夹：watch只接受文件夹",
	"--db: %s": "--db：%s",
	"no cache folder for the watch database: %s (use --db)": "没有存放watch数据库的缓存目录：%s（请使用--db）",
	// Config errors of watch that name what to do.
	"command: the program %s was not found or cannot be run: install it, correct run, or set enabled: false":  "command：找不到程序%s或无法运行：请安装该程序、改正run，或设置enabled: false",
	"quarantine: note: lang %s: expected zh or en":                                                            "quarantine：note：lang %s无效：应为zh或en",
	"quarantine: note: name %s: expected a file name, not a path":                                             "quarantine：note：name %s应为文件名，不能是路径",
	"quarantine: note: name: %s: only {name} may be used in the name":                                         "quarantine：note：name中不能使用%s，只能使用{name}",
	"quarantine: note: text: unknown placeholder %s (known: {name} {time} {verdict} {why} {contact} {rules})": "quarantine：note：text中有未知占位符%s（可用的有：{name} {time} {verdict} {why} {contact} {rules}）",

	// baomi serve.
	"serve: %s":        "serve：%s",
	"--token-file: %s": "--token-file：%s",
	"--workers and --max-requests must be at least 1": "--workers 和 --max-requests 至少为1",
	"--max-upload: %s":                     "--max-upload：%s",
	"--tls-cert and --tls-key go together": "--tls-cert 与 --tls-key 须同时给出",
	"--listen %s is reachable from other machines: give --token-file (and --tls-cert, --tls-key)": "--listen %s 可从其他计算机访问：须给出 --token-file（并给出 --tls-cert、--tls-key）",
	"Serve a page for staff and an HTTP API that check files before release":                      "提供供工作人员使用的网页和供其他系统调用的HTTP接口，在文件发布前进行检查",
	"serve answers a page (GET /) where staff drop the files they are about to\nrelease, and an API for the systems that publish (POST /api/v1/scan, multipart\nfield \"file\", repeatable) that answers the object 'baomi scan --format json'\nprints, with the exit code scan would give in the Baomi-Exit-Code header.\nGET /api/v1/openapi.json describes it; /healthz and /metrics are as in watch.\n\nUploads are kept in a private folder under the system's temporary folder only\nuntil the answer is sent. It listens on loopback unless told otherwise; any\nother address needs --token-file (Authorization: Bearer), and --tls-cert and\n--tls-key to keep the token and the files off the wire in the clear.\nSIGHUP reloads the policies; SIGTERM or Ctrl-C lets requests in flight finish\nand exits 0. Exit code 3 on usage or policy errors.": "serve 提供一个网页（GET /），工作人员把准备发布的文件拖入即可检查；并为发布系统提供接口\n（POST /api/v1/scan，multipart 字段“file”，可重复），其应答与“baomi scan --format json”\n输出的对象相同，scan 会给出的退出码放在 Baomi-Exit-Code 头中。\nGET /api/v1/openapi.json 给出接口说明；/healthz 与 /metrics 同 watch。\n\n上传的文件仅在应答发出前保存在系统临时文件夹下的专用文件夹中。默认只监听本机回环地址；\n监听其他地址须给出 --token-file（Authorization: Bearer），并应给出 --tls-cert 和\n--tls-key，以免令牌和文件以明文在网络上传输。\nSIGHUP 重新加载策略；SIGTERM 或 Ctrl-C 等正在处理的请求完成后退出，退出码0。\n用法或策略错误时退出码为3。",
	"lowest severity that makes Baomi-Exit-Code 1: low, medium or high":                 "使 Baomi-Exit-Code 为1的最低严重程度：low、medium 或 high",
	"address to listen on; anything but loopback needs --token-file":                    "监听地址；回环地址以外须给出 --token-file",
	"scan requests taken at once; more are answered 503 with Retry-After":               "同时受理的检查请求数；超出时应答503并附 Retry-After",
	"most bytes one request may upload":                                                 "单个请求最多可上传的字节数",
	"serve HTTPS with this certificate `FILE` (PEM; with --tls-key)":                    "使用此证书文件 `FILE` 提供HTTPS（PEM格式，与 --tls-key 同用）",
	"private key `FILE` for --tls-cert (PEM)":                                           "--tls-cert 的私钥文件 `FILE`（PEM格式）",
	"`FILE` of API tokens, one per line as NAME TOKEN (the name goes to the audit log)": "接口令牌文件 `FILE`，每行一个，格式为“名称 令牌”（名称记入审计日志）",
	"files scanned at once, over all requests":                                          "所有请求合计同时检查的文件数",

	// baomi fingerprint and policy hash.
	"%s has no terms":      "%s中没有词语",
	"%s:%d: %s":            "%s第%d行：%s",
	"-o INDEX is required": "须给出 -o INDEX",
	"no document registered: nothing to write": "没有登记任何文档：不写索引",
	"-o: %s":         "-o：%s",
	"--label: %s":    "--label：%s",
	"--key-file: %s": "--key-file：%s",
	"Register documents whose passages must not reappear elsewhere":                    "登记其段落不得出现在其他文件中的文档",
	"Make a fingerprint index of registered documents (hashes and labels, never text)": "为已登记文档制作指纹索引（只含散列值和标签，不含文字）",
	"build reads each DOC (any format baomi reads; folders are walked) as scan does,\nnormalizes its text and keeps a sample of the hashes of its character\nk-grams with its label: the index never holds the text. A policy rule\n{id: ..., detector: fingerprint, index: INDEX, min_chars: 50} then flags\ndocuments that share passages with a registered one.\n\nEach DOC is registered under its file name, or, with --label, all of them\ntogether as one document named NAME. Text of the --reference documents\n(ordinary notices, forms, published documents) is boilerplate: their hashes\nare left out of the index, so formulae every document shares match nothing.\n\nA DOC that cannot be read is an error and no index is written (exit 2); one\nread only in part (review) is registered with what was read; one with too\nlittle text to fingerprint (no sampled k-gram: under 12 letters and digits,\nsometimes a few dozen) and a file that\ncarries no document text (a program, a font) are left out. Each is said on\nstandard error.": "build 像 scan 一样读取每个 DOC（baomi 能读的任何格式；文件夹会被遍历），将其文字规范化后，\n保留其字符 k-gram 散列值的抽样及其标签：索引中从不保存文字。\n此后，策略规则 {id: ..., detector: fingerprint, index: INDEX, min_chars: 50}\n会标出与已登记文档有共同段落的文档。\n\n每个 DOC 以其文件名登记；给出 --label 时，全部 DOC 合为一个名为 NAME 的文档登记。\n--reference 文档（普通通知、表格、已公开的文件）的文字视为套话：其散列值不进入索引，\n因此各文档共有的公文套语不会匹配。\n\n无法读取的 DOC 为错误，不写索引（退出码2）；只读取了一部分（需复核）的按已读内容登记；\n文字太少无法提取指纹（没有被抽中的k-gram：字母和数字不足12个，有时几十个）的，以及不含文档文字的文件（程序、字体），\n不予登记。每种情况都会在标准错误输出中说明。",
	"register all DOCs as one document with this `NAME` (default: each under its file name)": "把所有 DOC 作为一个名为 `NAME` 的文档登记（默认：各以其文件名登记）",
	"index `FILE` to write": "要写出的索引文件 `FILE`",
	"boilerplate `DOC` or folder whose passages must not count (repeatable)": "套话文档 `DOC` 或文件夹，其段落不计入（可重复）",
	"Turn a list of secret terms into keyed hashes for terms_hashed":         "把涉密词语清单转为供 terms_hashed 使用的带密钥散列值",
	"hash reads TERMS.txt (one term a line, '#' starts a comment line), normalizes\neach term as matching does, and writes its keyed hash (SipHash-2-4 under a key\nderived from K) and its length in characters: a rule {terms_hashed: FILE, key_file: K} then finds\nthe terms while the policy reveals none of them. Keep K apart from the policy,\nreadable only by those who scan: whoever holds it can test guesses.": "hash 读取 TERMS.txt（每行一个词语，以“#”开头的行为注释），按匹配时的方式规范化每个词语，\n写出其带密钥的散列值（SipHash-2-4，密钥由 K 派生）及其字数：此后规则\n{terms_hashed: FILE, key_file: K} 即可查出这些词语，而策略文件中不出现任何词语。\nK 须与策略分开保存，只让执行检查的人可读：持有 K 的人可以逐一验证猜测。",
	"file holding the secret `KEY` (at least 16 bytes)": "存放密钥 `KEY` 的文件（至少16字节）",
	"write to `FILE` instead of standard output":        "写入文件 `FILE` 而不是标准输出",

	// Personal identifiers.
	"show personal identifiers (identity, bank card, mobile numbers) in full; by default their middle digits are masked: 110105********002X": "完整显示个人身份信息（身份证号、银行卡号、手机号码）；默认遮盖中间数字：110105********002X",
}
