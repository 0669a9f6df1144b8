package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A review file a person accepted still shows, with who accepted it, but
// no longer makes the exit code 2; once changed, it does again.
func TestAcceptAfterReview(t *testing.T) {
	withConfig(t, "", "")
	dir := t.TempDir()
	pic := filepath.Join(dir, "扫描件.png")
	png := "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00"
	if err := os.WriteFile(pic, []byte(png), 0o644); err != nil {
		t.Fatal(err)
	}
	base := filepath.Join(dir, "accepted.json")
	scan := func() (string, int) {
		// OCR off: the picture stays unread, as the review it is accepted for.
		out, errOut, code := runIn("scan", "--in-process", "--ocr", "off", "--baseline", base, pic)
		return out + errOut, code
	}
	if err := os.WriteFile(base, []byte(`{"version":1,"entries":[]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := scan(); code != exitIncomplete {
		t.Fatalf("before accepting: exit %d, want 2:\n%s", code, out)
	}
	if _, errOut, code := runIn("baseline", "accept", "--baseline", base, "--by", "张三", "--why", "图片已人工核对", pic); code != 0 || errOut != "baomi: 1 file accepted in "+base+"\n" {
		t.Fatalf("accept: exit %d, %q", code, errOut)
	}
	out, code := scan()
	if code != 0 || !strings.Contains(out, "REVIEW") || !strings.Contains(out, "picture file: text in images is not read; accepted after review by 张三 on ") ||
		!strings.Contains(out, ": 图片已人工核对") || !strings.Contains(out, "1 file accepted after review in the baseline does not count as incomplete.") {
		t.Errorf("after accepting: exit %d, want 0, the file listed with the note:\n%s", code, out)
	}
	if out, _, _ := runIn("scan", "--in-process", "--ocr", "off", "--lang", "zh", "--baseline", base, pic); !strings.Contains(out, "图片文件，图片中的文字未读取；已由张三于") {
		t.Errorf("in Chinese:\n%s", out)
	}
	if err := os.WriteFile(pic, []byte(png+"changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := scan(); code != exitIncomplete || strings.Contains(out, "accepted after review") {
		t.Errorf("changed file: exit %d, want 2 and no note:\n%s", code, out)
	}
	// accept creates a missing baseline, and needs a reason.
	if _, _, code := runIn("baseline", "accept", "--baseline", filepath.Join(dir, "new.json"), "--why", "ok", pic); code != 0 {
		t.Errorf("accept into a new baseline: exit %d", code)
	}
	if _, errOut, code := runIn("baseline", "accept", "--baseline", base, pic); code != exitUsage || !strings.Contains(errOut, "--why") {
		t.Errorf("accept without --why: exit %d, %q", code, errOut)
	}
}
