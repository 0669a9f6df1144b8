package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanSHA256AndPII checks that every file read has its sha256 in the
// JSON report, and that the default policy's identifiers show masked
// unless --show-pii.
func TestScanSHA256AndPII(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{
		"名单.txt": []byte("姓名：张三\n身份证号：11010519491231002X\n"),
		"通知.txt": []byte("关于召开年度工作会议的通知"),
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, show := range []bool{false, true} {
		args := []string{dir}
		want := "110105********002X"
		if show {
			args, want = []string{"--show-pii", dir}, "11010519491231002X"
		}
		rep, code := scanJSON(t, args...)
		if code != 1 || len(rep.Files) != 2 {
			t.Fatalf("code %d, report %+v", code, rep)
		}
		for _, f := range rep.Files {
			sum := sha256.Sum256(files[filepath.Base(f.Path)])
			if f.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("%s: sha256 %q", f.Path, f.SHA256)
			}
			if filepath.Base(f.Path) != "名单.txt" {
				continue
			}
			if len(f.Findings) != 1 || f.Findings[0].Rule != "pii.id-card" || f.Findings[0].Text != want || !strings.Contains(f.Findings[0].Context, "身份证号："+want+" ") {
				t.Errorf("--show-pii %v: findings %+v, want one pii.id-card showing %s", show, f.Findings, want)
			}
		}
	}
}
