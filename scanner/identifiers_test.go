package scanner_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/emmansun/gmsm/sm3"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

func compile(t *testing.T, y string, files map[string]string) *match.Matcher {
	t.Helper()
	p, err := policies.Parse("p.yaml", []byte(y), func(name string) ([]byte, error) {
		if s, ok := files[name]; ok {
			return []byte(s), nil
		}
		return nil, os.ErrNotExist
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func zipBytes(t *testing.T, entries map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for name, b := range entries {
		f, err := w.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		f.Write(b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestKnownFiles checks file-hash rules: a file listed by SHA-256 and a
// document inside an archive listed by SM3 are high findings of part
// "file" naming the entry's label; every file read carries its SHA-256.
func TestKnownFiles(t *testing.T) {
	secret := []byte("某工程实施方案（定稿）")
	member := []byte("附件：名单")
	sm := sm3.Sum(member)
	list := "# known files\nsha256:" + hexSHA(secret) + "  实施方案定稿\nsm3:" + hex.EncodeToString(sm[:]) + "\n"
	m := compile(t, "version: 1\nrules:\n  - {id: known.file, title: 已知涉密文件, severity: high, detector: file-hash, hashes: known.txt}\n",
		map[string]string{"known.txt": list})
	dir := t.TempDir()
	files := map[string][]byte{
		"copy.txt":    secret,
		"bundle.zip":  zipBytes(t, map[string][]byte{"docs/list.txt": member, "other.txt": []byte("无关")}),
		"other.txt":   []byte("无关的文件"),
		"renamed.bin": append([]byte{}, secret...),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c := &collector{}
	if err := scanner.New(m, scanner.Options{Workers: 2}).Scan(context.Background(), []string{dir}, c); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"copy.txt":    "known.file/high/file//实施方案定稿/实施方案定稿 (sha256:" + hexSHA(secret) + ")",
		"renamed.bin": "known.file/high/file//实施方案定稿/实施方案定稿 (sha256:" + hexSHA(secret) + ")",
		"bundle.zip":  "known.file/high/file/docs/list.txt/sm3:" + hex.EncodeToString(sm[:]) + "/sm3:" + hex.EncodeToString(sm[:]) + " (sm3:" + hex.EncodeToString(sm[:]) + ")",
		"other.txt":   "",
	}
	for name, r := range c.byName(t) {
		var got []string
		for _, f := range r.Findings {
			got = append(got, strings.Join([]string{f.Rule, f.Severity.String(), f.Location.Part, f.Location.Inner, f.Text, f.Context}, "/"))
		}
		if strings.Join(got, "|") != want[name] {
			t.Errorf("%s: findings %q, want %q", name, got, want[name])
		}
		if wantV := map[bool]scanner.Verdict{true: scanner.Flagged, false: scanner.Clean}[want[name] != ""]; r.Verdict != wantV {
			t.Errorf("%s: verdict %s, want %s", name, r.Verdict, wantV)
		}
		if r.SHA256 != hexSHA(files[name]) {
			t.Errorf("%s: sha256 %q, want the file's", name, r.SHA256)
		}
	}
}

func hexSHA(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// TestKnownFileUnreadable checks that a known file that cannot be read is
// still found by its digest, and an unreadable one keeps its sha256.
func TestKnownFileUnreadable(t *testing.T) {
	rar := []byte("Rar!\x1a\x07\x00 encrypted volume")
	m := compile(t, "version: 1\nrules:\n  - {id: known, severity: high, detector: file-hash, hashes: k.txt}\n",
		map[string]string{"k.txt": "sha256:" + hexSHA(rar) + " 旧方案\n"})
	path := filepath.Join(t.TempDir(), "x.rar")
	if err := os.WriteFile(path, rar, 0o600); err != nil {
		t.Fatal(err)
	}
	r := scanner.New(m, scanner.Options{}).ScanFile(context.Background(), path)
	if r.Verdict != scanner.Flagged || len(r.Findings) != 1 || r.Findings[0].Text != "旧方案" || r.SHA256 != hexSHA(rar) || r.Reason == "" {
		t.Errorf("got %+v; want flagged by the known digest, with the reason why it was not read", r)
	}
}

// TestPIIMasked checks that identifiers show masked, in their own finding
// and in the context of another, unless ShowPII; fingerprints do not
// depend on it.
func TestPIIMasked(t *testing.T) {
	m := compile(t, `version: 1
rules:
  - {id: pii.id-card, severity: medium, detector: id-card}
  - {id: pii.mobile, severity: low, detector: mobile}
  - {id: term, severity: medium, terms: [名单], word_check: false}
`, nil)
	doc := body(extract.FormatText, "名单：张三 11010519491231002X 电话１３８１２３４５６７８")
	for _, show := range []bool{false, true} {
		r := scanner.New(m, scanner.Options{ShowPII: show}).Check("f.txt", doc, nil)
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.Text+" | "+f.Context)
		}
		want := []string{
			"名单 | 名单：张三 110105********00",
			"110105********002X | 名单：张三 110105********002X 电话１３８＊＊＊＊５６７８",
			"１３８＊＊＊＊５６７８ | 10105********002X 电话１３８＊＊＊＊５６７８",
		}
		if show {
			for i := range want {
				want[i] = strings.NewReplacer("0105********00", "01051949123100", "＊＊＊＊", "１２３４").Replace(want[i])
			}
		}
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("ShowPII %v:\n got %q\nwant %q", show, got, want)
		}
		if show {
			masked := scanner.New(m, scanner.Options{}).Check("f.txt", doc, nil)
			for i := range r.Findings {
				if r.Findings[i].Fingerprint != masked.Findings[i].Fingerprint {
					t.Errorf("finding %d: fingerprint depends on ShowPII", i)
				}
			}
		}
	}
}

// TestIdentifiersAcrossWindows checks that identifiers close to where a
// long text is cut into matching windows come out as in one pass over it.
func TestIdentifiersAcrossWindows(t *testing.T) {
	m := compile(t, `version: 1
rules:
  - {id: pii.id-card, severity: medium, detector: id-card}
  - {id: pii.bank-card, severity: medium, detector: bank-card}
  - {id: pii.mobile, severity: low, detector: mobile}
  - {id: pii.mobile-named, severity: medium, detector: mobile, near: {terms: [姓名], within: 30}}
`, nil)
	ids := []string{"13812345678", "11010519491231002X", "6222021234567890128", "+86 138 1234 5678", "姓名张三 13912345678", "订单号13812345678", "1 13812345678 2"}
	fill := []string{"通知", "，", "\n", " ", "7", "12", "ab", "\u200b", "姓名"}
	rnd := rand.New(rand.NewPCG(3, 4))
	var b strings.Builder
	for b.Len() < 2<<20+100 {
		edge := false
		for _, e := range []int{1 << 20, 1<<20 - match.Reach, 2<<20 - match.Reach, 2 << 20, 1<<20 + match.Reach} {
			edge = edge || (b.Len()-e > -80 && b.Len()-e < 80)
		}
		if edge || rnd.IntN(300) == 0 {
			b.WriteString(ids[rnd.IntN(len(ids))])
		} else {
			b.WriteString(fill[rnd.IntN(len(fill))])
		}
	}
	text := b.String()
	hits, err := m.Match(text)
	if err != nil {
		t.Fatal(err)
	}
	var ref []string
	for _, h := range hits {
		ref = append(ref, h.Rule.ID+"/"+text[h.Start:h.End])
	}
	if len(ref) < 50 {
		t.Fatalf("only %d hits in the test text", len(ref))
	}
	doc := &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: text}}}
	for _, max := range []int{4096, 300 << 10, 3 << 20} {
		x := &pieces{doc: doc, rnd: rnd, max: max}
		r := scanner.New(m, scanner.Options{Workers: 1, Extractor: x, ShowPII: true}).ScanFile(context.Background(), "long.txt")
		var got []string
		for _, f := range r.Findings {
			got = append(got, f.Rule+"/"+f.Text)
		}
		if strings.Join(got, "\n") != strings.Join(ref, "\n") {
			t.Errorf("pieces up to %d bytes: %d findings, want %d", max, len(got), len(ref))
		}
	}
}
