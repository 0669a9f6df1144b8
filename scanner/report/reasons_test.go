package report

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	_ "github.com/baomi/baomi/scanner/extract/formats"
)

// reasonSources are the packages whose sentences reach a report as a
// Reason: the extractors, the sandbox around them and the scanner's walk.
var reasonSources = []string{"../extract", "../extract/pdf", "../extract/internal/pdfimage", "../extract/internal/metafile", "../extract/internal/outline", "../extract/ooxml", "../extract/ofd", "../extract/archive", "../extract/cfb", "../extract/image", "../extract/html", "../extract/eml", "../extract/msg", "../extract/rtf", "../extract/odf", "../extract/msxls", "../extract/msppt", "../extract/msdoc", "../sandbox", "../baseline", ".."}

// verb matches a fmt verb in a format string.
var verb = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)

// reasonPatterns collects, from the source of reasonSources, every
// sentence that can become a Reason or a Review note, as a pattern with %d
// and %s slots: the format of each Errorf and Sprintf, and each string
// concatenation, with what is not a literal as a slot.
func reasonPatterns(t *testing.T) []string {
	t.Helper()
	seen := map[string]bool{}
	add := func(s string) {
		s = verb.ReplaceAllStringFunc(s, func(v string) string {
			switch v[len(v)-1] {
			case 'd':
				return "%d"
			case '%':
				return "%%"
			}
			return "%s"
		})
		if sentence.MatchString(s) {
			seen[s] = true
		}
	}
	fset := token.NewFileSet()
	for _, dir := range reasonSources {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					if s, ok := formatOf(n); ok {
						add(s)
					}
				case *ast.BinaryExpr:
					if s, ok := concat(n); ok {
						add(s)
						return false
					}
				case *ast.BasicLit:
					// A literal with a % is a format, taken whole above.
					if s, ok := literal(n); ok && !strings.Contains(s, "%") {
						add(s)
					}
				}
				return true
			})
		}
	}
	var out []string
	for s := range seen {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// sentence is text of at least two English words.
var sentence = regexp.MustCompile(`[A-Za-z]{2,} [A-Za-z%(]`)

func literal(e ast.Expr) (string, bool) {
	if b, ok := e.(*ast.BasicLit); ok && b.Kind == token.STRING {
		s, err := strconv.Unquote(b.Value)
		return s, err == nil
	}
	return "", false
}

// formatOf returns the format string of an Errorf or Sprintf call.
func formatOf(c *ast.CallExpr) (string, bool) {
	var name string
	switch f := c.Fun.(type) {
	case *ast.Ident:
		name = f.Name
	case *ast.SelectorExpr:
		name = f.Sel.Name
		if x, ok := f.X.(*ast.Ident); ok && x.Name == "fmt" && len(c.Args) > 0 {
			return literal(c.Args[0])
		}
	}
	if name == "Errorf" && len(c.Args) > 1 {
		return literal(c.Args[1])
	}
	return "", false
}

// concat renders a + chain holding a literal, other operands as slots.
func concat(b *ast.BinaryExpr) (string, bool) {
	if b.Op != token.ADD {
		return "", false
	}
	var s strings.Builder
	lit := false
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		if x, ok := e.(*ast.BinaryExpr); ok && x.Op == token.ADD {
			walk(x.X)
			walk(x.Y)
			return
		}
		if l, ok := literal(e); ok {
			lit = true
			s.WriteString(strings.ReplaceAll(l, "%", "%%"))
			return
		}
		if c, ok := e.(*ast.CallExpr); ok {
			if sel, ok := c.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Itoa" {
				s.WriteString("%d")
				return
			}
		}
		s.WriteString("%s")
	}
	walk(b)
	return s.String(), lit
}

// notReasons are sentences in reasonSources that never reach a report:
// errors that extract replaces with a Reason of its own (withFormat), and
// messages the sandbox logs or exits with.
var notReasons = map[string]bool{
	"/proc/self/statm has no resident size": true,
	"AES stream too short":                  true,
	"ciphertext too short":                  true,
	"direct encryption dictionary":          true,
	"negative offset":                       true,
	"no catalog":                            true,
	"output too large":                      true,
	"stack exceeds":                         true,
	"stack overflow":                        true,
	"no worker command":                     true,
	// The pattern of the numbered documents whose like sentences a reason
	// says once (scanner's summarize).
	`^(OLE object|embedded object|object|entry|attachment|part|inlined document) (\d+): (.+)$`: true,
	"cannot allocate memory":              true,
	"out of memory":                       true,
	"unreadable data":                     true,
	"PowerPoint Document":                 true, // an OLE stream name
	"Equation Native":                     true, // an OLE stream name
	"<!doctype html":                      true, // a tag web pages start with (sniff.go)
	"-----BEGIN PGP MESSAGE-----":         true, // the armor of PGP ciphertext (extract/eml)
	"Current User":                        true, // an OLE stream name
	"Root Entry":                          true, // the root of a compound file (cfb.Build)
	"extract: format %s registered twice": true, // a panic at start-up: a programming error
	"extract: no extractor registered for format %s: import scanner/extract/formats": true, // a panic: a build mistake

	// The dictionary compressed RTF starts with (extract/msg).
	"{\\rtf1\\ansi\\mac\\deff0\\deftab720{\\fonttbl;}{\\f0\\fnil \\froman \\fswiss \\fmodern \\fscript \\fdecor MS Sans SerifSymbolArialTimes New RomanCourier{\\colortbl\\red0\\green0\\blue0\r\n\\par \\pard\\plain\\f0\\fs20\\b\\i\\u\\tab\\tx": true,
}

// slotWords are words the table translates that are no sentence of their
// own: what fills a slot ("%s file: carries no document text" with "font"),
// a one-word reason, and the join of a place and a reason.
var slotWords = []string{"%s: %s", "program", "font", "audio", "video", "cancelled", "interrupted", "baomi's watchdog"}

// Every sentence the scanner, the sandbox and the extractors can give as a
// reason has a Chinese translation, and the table holds nothing else.
func TestReasonsTranslated(t *testing.T) {
	found := map[string]bool{}
	for _, p := range reasonPatterns(t) {
		found[p] = true
		if _, ok := ReasonsZH[p]; !ok && !notReasons[p] {
			t.Errorf("no Chinese for the reason %q (reasons_zh.go, ReasonsZH)", p)
		}
	}
	for _, w := range slotWords {
		found[w] = true
	}
	for p := range ReasonsZH {
		if !found[p] {
			t.Errorf("ReasonsZH translates %q, which no source writes", p)
		}
	}
	for p := range notReasons {
		if !found[p] {
			t.Errorf("notReasons lists %q, which no source writes", p)
		}
	}
	// Each pattern, its slots filled, translates whole.
	fillers := strings.NewReplacer("%d", "7", "%s", "plain text", "%%", "%")
	for p := range ReasonsZH {
		got, ok := reasons.Translate(fillers.Replace(p))
		if !ok || strings.Contains(got, "plain text") {
			t.Errorf("%q translates to %q (%v)", p, got, ok)
		}
	}
}

func TestPhrasebook(t *testing.T) {
	tests := []struct{ in, want string }{
		{"encrypted PDF: needs a password", "已加密的PDF：需要密码"},
		// Nested: a place, and what went wrong there.
		{"entry 5: damaged zip container: not a valid zip file", "第5个条目：zip容器已损坏：不是有效的zip文件"},
		{"entry 13: entry 4: unknown format: not a document type baomi can read", "第13个条目：第4个条目：未知格式，不是baomi能够读取的文档类型"},
		// Notes joined by the scanner, and a pattern that holds "; ".
		{"page 1 has a picture that may carry text (not read); the PDF's bookmarks could not be read", "第1页有图片，可能含有文字（未读取）；无法读取PDF的书签"},
		{"the file could not be read as DOCX (it is damaged); only what it holds as PDF was read; 2 pictures in the document may carry text (not read)",
			"此文件无法作为DOCX读取（文件已损坏），仅读取了其作为PDF的内容；文档中有2张图片可能含有文字（未读取）"},
		// Slots in another order.
		{"12 pages, from page 3, have pictures that may carry text (not read)", "自第3页起共12页有图片，可能含有文字（未读取）"},
		// The specific pattern before the general one.
		{"damaged zip entry 2: checksum mismatch", "zip的第2个条目已损坏：校验和不符"},
		// OCR: a clean file's note, a file timeout grown by pictures, a
		// picture not read.
		{"text was read by OCR from 3 pictures", "文字经文字识别（OCR）从3张图片中读出"},
		{"reading took longer than 3m0s (file timeout, with time added for the pictures read by OCR): stopped", "读取时间超过3m0s（单个文件时限，已按文字识别的图片数延长），已停止"},
		{"1 picture in the document may carry text (not read: OCR was not confident)", "文档中有1张图片可能含有文字（未读取：文字识别（OCR）置信度低）"},
		// What no pattern knows stays English, the rest is translated.
		{"cannot read folder: input/output error", "无法读取文件夹：input/output error"},
		{"a sentence nobody wrote; permission denied", "a sentence nobody wrote；无访问权限"},
		{"PDF is truncated or has data after %%EOF", "PDF不完整或在%%EOF之后有数据"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Chinese.Reason(tt.in); got != tt.want {
			t.Errorf("Reason(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
		if got := English.Reason(tt.in); got != tt.in {
			t.Errorf("English Reason(%q) = %q", tt.in, got)
		}
	}
}

// Every reason the extractors give for the files of the test corpus reads
// in Chinese whole: the reasons as they come, joined and nested.
func TestCorpusReasonsTranslated(t *testing.T) {
	const corpus = "../../../shared/corpus"
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("no test corpus at", corpus)
	}
	if testing.Short() {
		t.Skip("reads the whole corpus")
	}
	seen := map[string]bool{}
	err := filepath.WalkDir(corpus, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		doc, err := extract.File(ctx, p, extract.Options{})
		if _, _, r := scanner.ReadVerdict(doc, err); r != "" && !seen[r] {
			seen[r] = true
			if zh, ok := reasons.Translate(r); !ok {
				t.Errorf("%s: %q reads %q", p, r, zh)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 10 {
		t.Errorf("only %d reasons in the corpus", len(seen))
	}
}
