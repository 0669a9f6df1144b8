package match

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// markings returns what the marking detector finds in text, as normalized
// text (the detector runs after Normalize); ocr as in findMarkings.
func markings(text string, ocr bool) []string {
	n := Normalize(text)
	var ms []marking
	findMarkings(text, n, ocr, func(m marking) { ms = append(ms, m) })
	slices.SortFunc(ms, func(a, b marking) int { return a.start - b.start })
	out := []string{}
	for _, m := range ms {
		out = append(out, n.Text[m.start:m.end])
	}
	return out
}

func TestMarkingDetector(t *testing.T) {
	tests := []struct {
		text string
		want []string // normalized text of each marking found
	}{
		// Level ★ period (GB/T 9704-2012 7.2.3).
		{"机密★5年", []string{"机密★5年"}},
		{"绝密★30年", []string{"绝密★30年"}},
		{"秘密★6个月", []string{"秘密★6个月"}},
		{"秘密★10月", []string{"秘密★10月"}},
		{"秘密★长期", []string{"秘密★长期"}},
		{"秘密★一年", []string{"秘密★一年"}},
		{"机密★十五年", []string{"机密★十五年"}},
		{"机密★两年", []string{"机密★两年"}},
		// Level ★ date or condition of declassification.
		{"机密★2027年12月31日", []string{"机密★2027年12月31日"}},
		{"机密★2027年12月", []string{"机密★2027年12月"}},
		{"绝密★2030年前解密", []string{"绝密★2030年前解密"}},
		{"绝密★启用前", []string{"绝密★启用前"}},
		{"绝密★公布前", []string{"绝密★公布前"}},
		{"秘密★考试结束后", []string{"秘密★考试结束后"}},
		{"机密★解密", []string{"机密★解密"}},
		// Other stars, spacing and forms that normalization folds.
		{"机密☆5年", []string{"机密☆5年"}},
		{"机密*5年", []string{"机密*5年"}},
		{"机密＊５年", []string{"机密*5年"}},
		{"机密 ★ 5 年", []string{"机密★5年"}},
		{"机密★\n5\n年", []string{"机密★5年"}},
		{"機密★３年", []string{"机密★3年"}},
		// The 密级 field.
		{"密级：秘密", []string{"密级:秘密"}},
		{"密级:机密★10年", []string{"密级:机密★10年"}},
		{"密级 绝密", []string{"密级绝密"}},
		{"密 级：秘 密", []string{"密级:秘密"}},
		// Only the marking, not what follows it.
		{"秘密★5年，请妥善保管", []string{"秘密★5年"}},
		{"秘密★3年后", []string{"秘密★3年"}},
		// A level and a star with no period is a marking only standing on
		// a line (or table cell) of its own: extraction may put the period
		// in another run. In prose, Markdown or a command line it is not.
		{"秘密★", []string{"秘密★"}},
		{"  秘密★ \n正文", []string{"秘密★"}},
		{"标题\n机密★\n关于做好节前工作的通知", []string{"机密★"}},
		{"姓名\t秘密★\t备注", []string{"秘密★"}},
		{"秘密★我们走吧", []string{}},
		{"这个秘密★不能说", []string{}},
		{"秘密★★★", []string{"秘密★★★"}},
		{"**机密**", []string{}},
		{`grep "秘密*"`, []string{}},
		{"《绝密★行动》", []string{}},
		{"保守国家秘密★人人有责", []string{}},
		// Star look-alikes, brackets, periods in other writings.
		{"机密▲5年", []string{"机密▲5年"}},
		{"机密 ● 5年", []string{"机密 ● 5年"}},
		{"机密⭐\ufe0f5年", []string{"机密⭐5年"}},
		{"机密٭1年", []string{"机密٭1年"}},
		{"绝密（★启用前）", []string{"绝密(★启用前)"}},
		{"机密(★1年)", []string{"机密(★1年)"}},
		{"机密★伍年", []string{"机密★伍年"}},
		{"机密★1.5年", []string{"机密★1.5年"}},
		{"机密★2027-03-01前", []string{"机密★2027-03-01前"}},
		{"机密★2027/3/1", []string{"机密★2027/3/1"}},
		{"秘密★会议结束后解密", []string{"秘密★会议结束后解密"}},
		{"【机密】", []string{"【机密】"}},
		{"【绝密★】", []string{"【绝密★】"}},
		// Noise inside the level word.
		{"机·密★1年", []string{"机密★1年"}},
		{"机-密★1年", []string{"机密★1年"}},
		{"\u202e年1★密机\u202c", []string{"机密★1年"}},
		// Weak forms.
		{"★机密", []string{"★机密"}},
		{"CONFIDENTIAL", []string{"confidential"}},
		{"TOP SECRET//NOFORN\nbody", []string{"top secret"}},
		{"INTERNAL USE ONLY", []string{"internal use only"}},
		{"SecurityLevel: SECRET", []string{"secret"}},
		{"MSIP_Label_2096f6a2-d2f7-48be-b329-b73aaa526e5d_Name: Confidential", []string{"confidential"}},
		{"SecurityLevel: 机密", []string{"机密"}},
		{"The secret is CONFIDENTIAL here", []string{}},
		{"Confidential", []string{}},
		{"SECRETARY", []string{}},
		{"机密★5年 秘密★长期", []string{"机密★5年", "秘密★长期"}},

		// Not markings: a level word without ★ or 密级 field.
		{"他说出了一个秘密", []string{}},
		{"本文件密级划分标准见附件", []string{}},
		{"密级划分", []string{}},
		{"秘密花园", []string{}},
		{"信息的机密性", []string{}},
		{"机密文件", []string{}},
		{"绝密", []string{}},
		{"密级", []string{}},
		{"密级：", []string{}},
		{"密级：内部", []string{"密级:内部"}},
		{"密级为机密", []string{"密级为机密"}},
		{"密级标识：机密★1年", []string{"密级标识:机密★1年"}},
		{"密级分为绝密、机密、秘密三级", []string{}},
		{"★5年", []string{}},
		{"保密★5年", []string{}},
		{"机密5年", []string{}},
		{"", []string{}},
	}
	for _, tt := range tests {
		got := markings(tt.text, false)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("markings(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// checkMarkings fails t unless what findMarkings reports in text, as
// typed text and as text read by OCR, lies inside it, on character
// boundaries, without overlaps, and within Reach.
func checkMarkings(t testing.TB, text string) {
	t.Helper()
	for _, ocr := range []bool{false, true} {
		checkMarkingsAs(t, text, ocr)
	}
}

func checkMarkingsAs(t testing.TB, text string, ocr bool) {
	t.Helper()
	n := Normalize(text)
	var ms []marking
	findMarkings(text, n, ocr, func(m marking) { ms = append(ms, m) })
	slices.SortFunc(ms, func(a, b marking) int { return a.start - b.start })
	for i, m := range ms {
		nt := n.Text
		if m.start < 0 || m.end > len(nt) || m.start >= m.end || !utf8.RuneStart(nt[m.start]) ||
			(m.end < len(nt) && !utf8.RuneStart(nt[m.end])) || m.end-m.start > Reach {
			t.Fatalf("findMarkings(%q, %v): bad span [%d,%d) in %q", text, ocr, m.start, m.end, nt)
		}
		if m.lvl < m.lvlEnd && (m.lvl < m.start || m.lvlEnd > m.end) {
			t.Fatalf("findMarkings(%q, %v): level [%d,%d) outside [%d,%d)", text, ocr, m.lvl, m.lvlEnd, m.start, m.end)
		}
		if i > 0 && m.start < ms[i-1].end {
			t.Fatalf("findMarkings(%q, %v): [%d,%d) overlaps [%d,%d)", text, ocr, m.start, m.end, ms[i-1].start, ms[i-1].end)
		}
	}
}
