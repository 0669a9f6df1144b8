package main

import (
	"bytes"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/baomi/baomi/scanner/report"
)

// verb matches a fmt verb.
var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// messages returns the format of every message the commands print for a
// person: what usageErr, exitError, printf and say are given, %v and %q
// written %s as messagesZH keys are.
func messages(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{} // format → file:line
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		add := func(e ast.Expr) {
			s, ok := literalOrConcat(e)
			if !ok {
				return
			}
			s = verb.ReplaceAllStringFunc(strings.TrimRight(s, "\n"), func(v string) string {
				switch v[len(v)-1] {
				case 'd':
					return "%d"
				case '%':
					return "%%"
				}
				return "%s"
			})
			if s != "%s" { // only what another package says
				out[s] = fset.Position(e.Pos()).String()
			}
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				switch fn := n.Fun.(type) {
				case *ast.Ident:
					switch {
					case fn.Name == "usageErr" && len(n.Args) > 0:
						add(n.Args[0])
					case fn.Name == "say" && len(n.Args) > 1:
						add(n.Args[1])
					}
				case *ast.SelectorExpr:
					if fn.Sel.Name == "printf" && len(n.Args) > 1 {
						add(n.Args[1])
					}
				}
			case *ast.CompositeLit:
				if id, ok := n.Type.(*ast.Ident); ok && id.Name == "exitError" {
					for _, el := range n.Elts {
						if kv, ok := el.(*ast.KeyValueExpr); ok && kv.Key.(*ast.Ident).Name == "msg" {
							add(kv.Value)
						}
					}
				}
			}
			return true
		})
	}
	return out
}

// literalOrConcat renders a string literal, or a + chain starting with one
// ("writing the report: " + err.Error()), other operands as %s.
func literalOrConcat(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			s, err := strconv.Unquote(e.Value)
			return s, err == nil
		}
	case *ast.BinaryExpr:
		x, ok := literalOrConcat(e.X)
		if !ok {
			return "", false
		}
		y, ok := literalOrConcat(e.Y)
		if !ok {
			y = "%s"
		}
		return x + y, true
	}
	return "", false
}

// Every message the commands print, and all their help, is in Chinese too.
func TestMessagesZH(t *testing.T) {
	for m, at := range messages(t) {
		if _, ok := messagesZH[m]; !ok {
			t.Errorf("%s: no Chinese for %q (lang.go, messagesZH)", at, m)
		}
	}
	g := &globals{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, lang: report.English}
	root := newRoot(g)
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	check := func(what, s string) {
		if s == "" {
			return
		}
		if _, ok := zh.Translate(s); !ok {
			t.Errorf("%s: no Chinese for %q (lang.go, messagesZH)", what, s)
		}
	}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return // the worker a parent baomi starts
		}
		c.InitDefaultHelpFlag()
		check(c.CommandPath()+" short", c.Short)
		if c.Name() != "completion" && !(c.HasParent() && c.Parent().Name() == "completion") {
			check(c.CommandPath()+" long", c.Long)
		}
		flag := func(f *pflag.Flag) { check(c.CommandPath()+" --"+f.Name, f.Usage) }
		c.LocalFlags().VisitAll(flag)
		c.PersistentFlags().VisitAll(flag)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

func TestLangFromArgs(t *testing.T) {
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--lang", "zh", "scan", "x"}, "zh"},
		{[]string{"scan", "--lang=en", "x"}, "en"},
		{[]string{"scan", "x", "--lang"}, ""},
		{[]string{"scan", "--", "--lang", "zh"}, ""},
		{[]string{"scan", "x"}, ""},
	} {
		if got := langFromArgs(tt.args); got != tt.want {
			t.Errorf("langFromArgs(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}

// --lang, before or after the command, or the locale, sets the language
// of errors and help.
func TestLang(t *testing.T) {
	tests := []struct {
		locale string
		args   []string
		want   string
		code   int
	}{
		{"C", []string{"--lang", "zh", "scan", "--workers", "0", "x"}, "baomi: --workers至少为1，当前为0\n", exitUsage},
		{"C", []string{"scan", "--workers", "0", "--lang=zh", "x"}, "baomi: --workers至少为1，当前为0\n", exitUsage},
		{"zh_CN.UTF-8", []string{"scan", "--workers", "0", "x"}, "baomi: --workers至少为1，当前为0\n", exitUsage},
		{"zh_CN.UTF-8", []string{"--lang", "en", "scan", "--workers", "0", "x"}, "baomi: --workers must be at least 1, got 0\n", exitUsage},
		{"C", []string{"scan", "--workers", "0", "x"}, "baomi: --workers must be at least 1, got 0\n", exitUsage},
		{"C", []string{"--lang", "fr", "version"}, "baomi: --lang \"fr\": expected zh or en\n", exitUsage},
		{"zh_CN.UTF-8", []string{"scna"}, "baomi: baomi没有“scna”命令。\n\n是否要运行：\n\tscan\n\n运行“baomi --help”查看用法。\n", exitUsage},
		{"zh_CN.UTF-8", []string{"scan"}, "baomi: 至少需要1个参数，只收到0个\n运行“baomi --help”查看用法。\n", exitUsage},
	}
	withConfig(t, "", "") // no config files
	for _, tt := range tests {
		t.Setenv("LC_ALL", tt.locale)
		var stdout, stderr bytes.Buffer
		if code := run(tt.args, &stdout, &stderr); code != tt.code || stderr.String() != tt.want {
			t.Errorf("%s baomi %q: exit %d, stderr %q; want %d, %q", tt.locale, tt.args, code, stderr.String(), tt.code, tt.want)
		}
	}
	t.Setenv("LC_ALL", "C")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"audit", "--help", "--lang", "zh"}, &stdout, &stderr); code != 0 {
		t.Fatalf("help: exit %d", code)
	}
	for _, want := range []string{"用法：\n  baomi audit DIR... [选项]", "选项：", "全局选项：", "  -q, --quiet ", "不在标准错误显示进度", "（默认值：\"text\"）", "显示audit的帮助"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("Chinese help lacks %q:\n%s", want, stdout.String())
		}
	}
}

func TestProgress(t *testing.T) {
	for _, tt := range []struct {
		lang report.Lang
		want []string
	}{
		{report.English, []string{"files 0/3 · 0 B of 3.0 MB", "files 1/3 · 1.0 MB of 3.0 MB · about 20s left", "files 3/3 · 3.0 MB of 3.0 MB · 7 pictures read by OCR"}},
		{report.Chinese, []string{"文件0/3 · 数据0 B/3.0 MB", "文件1/3 · 数据1.0 MB/3.0 MB · 约剩20秒", "文件3/3 · 数据3.0 MB/3.0 MB · 文字识别图片7张"}},
	} {
		var buf bytes.Buffer
		clock := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
		p := &progress{w: &buf, lang: tt.lang, files: 3, bytes: 3 << 20, now: func() time.Time { return clock }}
		p.start = clock
		p.draw()
		clock = clock.Add(10 * time.Second)
		p.add(1<<20, 0)
		clock = clock.Add(time.Millisecond) // too soon to redraw
		p.add(1<<20, 3)
		p.add(1<<20, 4) // the last one is always drawn
		p.finish()
		var lines []string
		for _, l := range strings.Split(buf.String(), "\r") {
			if l = strings.TrimSuffix(l, "\x1b[K"); l != "" {
				lines = append(lines, l)
			}
		}
		if strings.Join(lines, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s progress %q, want %q", tt.lang, lines, tt.want)
		}
	}
}
