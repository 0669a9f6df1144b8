package scanner_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/baomi/baomi/internal/pdftest"
	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/cache"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// defaultMatcher compiles the embedded default policy once.
var defaultMatcher = sync.OnceValues(func() (*match.Matcher, error) {
	p, err := policies.Default()
	if err != nil {
		return nil, err
	}
	return match.Compile(p)
})

func defaultScanner(t *testing.T) *scanner.Scanner {
	t.Helper()
	m, err := defaultMatcher()
	if err != nil {
		t.Fatal(err)
	}
	return scanner.New(m, scanner.Options{Workers: 1, Extractor: scanner.InProcess{Options: extract.DefaultOptions()}})
}

// top renders a result's most severe finding as "rule/severity" (the
// policy's earlier rule first among equals), or "none".
func top(t *testing.T, r scanner.Result) string {
	t.Helper()
	m, _ := defaultMatcher()
	rank := map[string]int{}
	for i, rule := range m.Policy().Rules {
		rank[rule.ID] = i
	}
	if len(r.Findings) == 0 {
		return "none"
	}
	f := slicesMaxFinding(r.Findings, rank)
	return fmt.Sprintf("%s/%s", f.Rule, f.Severity)
}

func slicesMaxFinding(fs []scanner.Finding, rank map[string]int) scanner.Finding {
	best := fs[0]
	for _, f := range fs[1:] {
		if f.Severity > best.Severity || f.Severity == best.Severity && rank[f.Rule] < rank[best.Rule] {
			best = f
		}
	}
	return best
}

// TestDetectionForms runs the detection test set of scanner/match (issue
// 15) as files: a .txt, a DOCX and a PDF built here for each case, scanned
// with the default policy. Each must give the most severe finding the set
// expects, as the plain text does.
func TestDetectionForms(t *testing.T) {
	s := defaultScanner(t)
	dir := t.TempDir()
	f, err := os.Open("match/testdata/detection.tsv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	counts := map[string][2]int{}
	for n := 1; sc.Scan(); n++ {
		if strings.HasPrefix(sc.Text(), "#") {
			continue
		}
		col := strings.Split(sc.Text(), "\t")
		text, err := strconv.Unquote(`"` + col[1] + `"`)
		if err != nil || len(col) != 4 {
			t.Fatalf("detection.tsv:%d: bad line", n)
		}
		for _, form := range col[3] {
			var data []byte
			ext := map[rune]string{'t': ".txt", 'd': ".docx", 'p': ".pdf"}[form]
			switch form {
			case 't':
				data = []byte(text)
			case 'd':
				data = buildDOCX(t, text, nil)
			case 'p':
				data = buildPDF(text)
			}
			path := filepath.Join(dir, fmt.Sprintf("case%d%s", n, ext))
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			r := s.ScanFile(context.Background(), path)
			c := counts[ext]
			c[1]++
			if got := top(t, r); got != col[2] {
				t.Errorf("detection.tsv:%d as %s (%s) %q: got %s (verdict %s %s), want %s", n, ext, col[0], text, got, r.Verdict, r.Reason, col[2])
			} else {
				c[0]++
			}
			counts[ext] = c
		}
	}
	for ext, c := range counts {
		t.Logf("%s: %d of %d cases as expected", ext, c[0], c[1])
	}
}

// buildDOCX writes a minimal DOCX whose body holds text, one paragraph a
// line and a tab as w:tab; custom holds custom document properties.
func buildDOCX(t *testing.T, text string, custom map[string]string) []byte {
	t.Helper()
	var body strings.Builder
	for _, line := range strings.Split(text, "\n") {
		body.WriteString("<w:p>")
		for i, cell := range strings.Split(line, "\t") {
			if i > 0 {
				body.WriteString("<w:r><w:tab/></w:r>")
			}
			fmt.Fprintf(&body, `<w:r><w:t xml:space="preserve">%s</w:t></w:r>`, html.EscapeString(cell))
		}
		body.WriteString("</w:p>")
	}
	files := [][2]string{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
			`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
			`<Default Extension="xml" ContentType="application/xml"/>` +
			`<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
			`<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/></Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
			`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`},
		{"word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` +
			body.String() + `</w:body></w:document>`},
	}
	if len(custom) > 0 {
		names := make([]string, 0, len(custom))
		for k := range custom {
			names = append(names, k)
		}
		sort.Strings(names)
		var props strings.Builder
		for i, k := range names {
			fmt.Fprintf(&props, `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="%d" name="%s"><vt:lpwstr>%s</vt:lpwstr></property>`,
				i+2, html.EscapeString(k), html.EscapeString(custom[k]))
		}
		files = append(files, [2]string{"docProps/custom.xml", `<?xml version="1.0" encoding="UTF-8"?><Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ` +
			`xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">` + props.String() + `</Properties>`})
	}
	return zipOf(t, files)
}

// zipOf writes a ZIP archive of the given (name, content) entries.
func zipOf(t *testing.T, files [][2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// buildPDF writes a one-page PDF showing text, a line for each line of it
// and each tab-separated cell placed well apart, in a Type0 font whose
// ToUnicode map gives every character its own code.
func buildPDF(text string) []byte {
	codes := map[rune]int{}
	var order []rune
	for _, r := range text {
		if _, ok := codes[r]; !ok && r != '\n' && r != '\t' {
			codes[r] = len(order) + 1
			order = append(order, r)
		}
	}
	var content strings.Builder
	for i, line := range strings.Split(text, "\n") {
		for j, cell := range strings.Split(line, "\t") {
			var hex strings.Builder
			for _, r := range cell {
				fmt.Fprintf(&hex, "%04X", codes[r])
			}
			fmt.Fprintf(&content, "BT /F1 10 Tf %d %d Td <%s> Tj ET\n", 20+j*200, 780-i*14, hex.String())
		}
	}
	var cmap strings.Builder
	cmap.WriteString("/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n1 begincodespacerange <0000> <FFFF> endcodespacerange\n")
	for k := 0; k < len(order); k += 100 {
		chunk := order[k:min(k+100, len(order))]
		fmt.Fprintf(&cmap, "%d beginbfchar\n", len(chunk))
		for i, r := range chunk {
			var u strings.Builder
			for _, c := range utf16(r) {
				fmt.Fprintf(&u, "%04X", c)
			}
			fmt.Fprintf(&cmap, "<%04X> <%s>\n", k+i+1, u.String())
		}
		cmap.WriteString("endbfchar\n")
	}
	cmap.WriteString("endcmap CMapName currentdict /CMap defineresource pop end end")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
		pdftest.Stream("", content.String()),
		"<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>",
		pdftest.Stream("", cmap.String()),
	}
	return (&pdftest.Builder{Objs: objs}).Bytes("")
}

// utf16 encodes r as UTF-16 code units.
func utf16(r rune) []uint16 {
	if r < 0x10000 {
		return []uint16{uint16(r)}
	}
	r -= 0x10000
	return []uint16{uint16(0xd800 + r>>10), uint16(0xdc00 + r&0x3ff)}
}

// TestFileNameFinding checks that a file's own name and the names of the
// entries of an archive are matched (part filename): 机密★5年_关于….docx is
// a release blocker even when its text is clean.
func TestFileNameFinding(t *testing.T) {
	s := defaultScanner(t)
	dir := t.TempDir()
	const marked = "机密★5年_关于安全生产检查的通知"
	clean := "关于开展安全生产检查的通知：请各单位按时报送。"
	tests := []struct {
		name      string
		data      []byte
		inner     string // location.inner of the finding
		wantText  string
		wantCount int
	}{
		{marked + ".docx", buildDOCX(t, clean, nil), "", "机密★5年", 1},
		{marked + ".txt", []byte(clean), "", "机密★5年", 1},
		{"通知.zip", zipOf(t, [][2]string{{"附件/" + marked + ".txt", clean}, {"说明.txt", clean}}), "附件/" + marked + ".txt", "机密★5年", 1},
		{"通知.docx", buildDOCX(t, clean, nil), "", "", 0},
	}
	for _, tt := range tests {
		path := filepath.Join(dir, tt.name)
		if err := os.WriteFile(path, tt.data, 0o644); err != nil {
			t.Fatal(err)
		}
		r := s.ScanFile(context.Background(), path)
		if len(r.Findings) != tt.wantCount {
			t.Errorf("%s: %d findings %+v, want %d", tt.name, len(r.Findings), r.Findings, tt.wantCount)
			continue
		}
		if tt.wantCount == 0 {
			if r.Verdict != scanner.Clean {
				t.Errorf("%s: verdict %s, want clean", tt.name, r.Verdict)
			}
			continue
		}
		f := r.Findings[0]
		if r.Verdict != scanner.Flagged || f.Rule != "marking.classified" || f.Severity != policies.High ||
			f.Text != tt.wantText || f.Location.Part != "filename" || f.Location.Inner != tt.inner {
			t.Errorf("%s: %s %+v, want a high marking %q in part filename, inner %q", tt.name, r.Verdict, f, tt.wantText, tt.inner)
		}
	}
}

// TestFileNameNotShared checks that the cache, which keys results by
// content, neither lends a name's finding to another file with the same
// content nor serves a clean result to a file whose name is marked.
func TestFileNameNotShared(t *testing.T) {
	m, err := defaultMatcher()
	if err != nil {
		t.Fatal(err)
	}
	store, err := cache.Open(filepath.Join(t.TempDir(), "cache.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dir := t.TempDir()
	for _, name := range []string{"a通知.txt", "b机密★5年_通知.txt", "c通知.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("关于开展安全生产检查的通知"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for run := 1; run <= 2; run++ {
		s := scanner.New(m, scanner.Options{Workers: 2, Extractor: scanner.InProcess{Options: extract.DefaultOptions()}, Cache: store})
		col := &collector{}
		if err := s.Scan(context.Background(), []string{dir}, col); err != nil {
			t.Fatal(err)
		}
		got := col.byName(t)
		for name, want := range map[string]int{"a通知.txt": 0, "b机密★5年_通知.txt": 1, "c通知.txt": 0} {
			if n := len(got[name].Findings); n != want {
				t.Errorf("run %d: %s has %d findings (%s), want %d", run, name, n, got[name].Verdict, want)
			}
		}
	}
}

// TestPropertyMarking checks that a classification stored in a DOCX's
// custom properties (SecurityLevel, a Microsoft sensitivity label, a 密级
// property) is reported as a marking in part metadata, at least medium.
func TestPropertyMarking(t *testing.T) {
	s := defaultScanner(t)
	dir := t.TempDir()
	tests := []struct {
		props map[string]string
		want  policies.Severity // 0: no finding
	}{
		{map[string]string{"SecurityLevel": "SECRET"}, policies.Medium},
		{map[string]string{"MSIP_Label_2096f6a2-d2f7-48be-b329-b73aaa526e5d_Name": "Confidential",
			"MSIP_Label_2096f6a2-d2f7-48be-b329-b73aaa526e5d_Enabled": "true"}, policies.Medium},
		{map[string]string{"Classification": "Top Secret"}, policies.Medium},
		{map[string]string{"密级": "机密"}, policies.High},
		{map[string]string{"MSIP_Label_2096f6a2-d2f7-48be-b329-b73aaa526e5d_Name": "General"}, 0},
		{map[string]string{"Department": "Secret Service"}, 0},
	}
	for i, tt := range tests {
		path := filepath.Join(dir, fmt.Sprintf("props%d.docx", i))
		if err := os.WriteFile(path, buildDOCX(t, "关于开展安全生产检查的通知", tt.props), 0o644); err != nil {
			t.Fatal(err)
		}
		r := s.ScanFile(context.Background(), path)
		if tt.want == 0 {
			if len(r.Findings) != 0 {
				t.Errorf("%v: findings %+v, want none", tt.props, r.Findings)
			}
			continue
		}
		if len(r.Findings) != 1 || r.Findings[0].Rule != "marking.classified" || r.Findings[0].Severity != tt.want ||
			r.Findings[0].Location.Part != string(extract.PartMetadata) {
			t.Errorf("%v: %s %+v, want one %s marking in metadata", tt.props, r.Verdict, r.Findings, tt.want)
		}
	}
}
