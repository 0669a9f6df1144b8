package match

import (
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// markings returns what the marking detector finds in text, as normalized
// text (the detector runs after Normalize).
func markings(text string) []string {
	nt := Normalize(text).Text
	out := []string{}
	findMarkings(nt, func(s, e int) { out = append(out, nt[s:e]) })
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
		// Decision: a level followed by ★ is a marking even when what follows
		// is not a period: extraction may put the period in another run, and
		// ★ right after a level word is not how prose writes. The hit stops
		// at the ★ and does not swallow the unrelated text.
		{"秘密★", []string{"秘密★"}},
		{"秘密★我们走吧", []string{"秘密★"}},
		{"这个秘密★不能说", []string{"秘密★"}},
		{"秘密★★★", []string{"秘密★"}},
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
		{"密级：内部", []string{}},
		{"★5年", []string{}},
		{"保密★5年", []string{}},
		{"机密5年", []string{}},
		{"", []string{}},
	}
	for _, tt := range tests {
		got := markings(tt.text)
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("markings(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

// TestMarkingAnchored checks that trying the anchored pattern only around
// each 密 finds exactly what an unanchored search of the whole text finds,
// on texts built at random from the pieces of markings.
func TestMarkingAnchored(t *testing.T) {
	whole := regexp.MustCompile(markingPattern)
	pieces := []string{"绝", "机", "秘", "密", "级", "★", "☆", "*", " ", "\n", ":", "5", "2027", "年", "个月", "月", "日",
		"十", "两", "长期", "前", "后", "解密", "启用", "，", "。", "文", "a"}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		var b strings.Builder
		for range 1 + rng.IntN(30) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkMarkings(t, whole, b.String())
	}
}

// checkMarkings fails t unless findMarkings finds in text exactly what
// whole, the unanchored markingPattern, finds.
func checkMarkings(t testing.TB, whole *regexp.Regexp, text string) {
	t.Helper()
	var got [][]int
	findMarkings(text, func(s, e int) { got = append(got, []int{s, e}) })
	if want := whole.FindAllStringIndex(text, -1); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("findMarkings(%q) = %v, an unanchored search finds %v", text, got, want)
	}
}
