package scanner_test

import (
	"testing"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
)

// fingerprints checks text and returns the fingerprint of each finding,
// keyed by rule and the finding's order among that rule's findings.
func fingerprints(t *testing.T, text string) []string {
	t.Helper()
	s := newScanner(t, &fake{}, 1)
	r := s.Check("x.txt", body(extract.FormatText, text), nil)
	var fps []string
	for _, f := range r.Findings {
		if len(f.Fingerprint) != 16 {
			t.Errorf("fingerprint %q is not 16 hex digits", f.Fingerprint)
		}
		fps = append(fps, f.Rule+" "+f.Fingerprint)
	}
	return fps
}

func TestFingerprintSurvivesEdits(t *testing.T) {
	const doc = "关于做好防汛值班工作的通知\n本文件为机密★5年，请各处室妥善保管。\n其他事项另行通知。"
	base := fingerprints(t, doc)
	if len(base) != 1 {
		t.Fatalf("want one finding in the base document, got %v", base)
	}
	tests := []struct {
		name string
		text string
		same bool
	}{
		{"lines added above", "第一行\n第二行\n第三行\n" + doc, true},
		{"text changed far away", "关于安全检查和防汛值班工作的通知\n本文件为机密★5年，请各处室妥善保管。\n其他事项。", true},
		{"spaces and full width around the hit", "关于做好防汛值班工作的通知\n本文件为 机密★５年 ，请各处室妥善保管。", true},
		{"a line break inside the context", "关于做好防汛值班工作的通知\n本文件为机密★5年，请各处室\n妥善保管。", true},
		{"other words before", "关于做好防汛值班工作的通知\n此附件是机密★5年，请各处室妥善保管。", false},
		{"other words after", "关于做好防汛值班工作的通知\n本文件为机密★5年，由办公室统一保管。", false},
		{"other hit text", "关于做好防汛值班工作的通知\n本文件为机密★3年，请各处室妥善保管。", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fingerprints(t, tt.text)
			if len(got) != 1 {
				t.Fatalf("want one finding, got %v", got)
			}
			if (got[0] == base[0]) != tt.same {
				t.Errorf("fingerprint %s vs base %s: same=%v, want %v", got[0], base[0], got[0] == base[0], tt.same)
			}
		})
	}
}

func TestFingerprintParts(t *testing.T) {
	a := scanner.Fingerprint("term.secret", "机密", "文件", "内容")
	for _, tt := range []struct {
		name                      string
		rule, text, before, after string
	}{
		{"rule", "term.other", "机密", "文件", "内容"},
		{"text", "term.secret", "涉密", "文件", "内容"},
		{"before", "term.secret", "机密", "文书", "内容"},
		{"after", "term.secret", "机密", "文件", "事项"},
		{"boundary moved", "term.secret", "机密", "文件机", "密内容"},
	} {
		if scanner.Fingerprint(tt.rule, tt.text, tt.before, tt.after) == a {
			t.Errorf("changing the %s left the fingerprint alone", tt.name)
		}
	}
	// Only the ten characters nearest the hit count.
	far := scanner.Fingerprint("term.secret", "机密", "很远很远的前文一二三四五六七八九十", "一二三四五六七八九十很远很远的后文")
	near := scanner.Fingerprint("term.secret", "机密", "一二三四五六七八九十", "一二三四五六七八九十")
	if far != near {
		t.Error("characters more than ten away changed the fingerprint")
	}
}
