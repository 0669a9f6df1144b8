package match

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/baomi/baomi/policies"
)

// defaultMatcher compiles the embedded default policy once for all tests.
var defaultMatcher = sync.OnceValues(func() (*Matcher, error) {
	p, err := policies.Default()
	if err != nil {
		return nil, err
	}
	return Compile(p)
})

func mustDefault(t *testing.T) *Matcher {
	t.Helper()
	m, err := defaultMatcher()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// describe renders hits as "rule/severity/original text", in order, and
// checks that each span lies inside text.
func describe(t *testing.T, text string, hits []Hit) []string {
	t.Helper()
	out := []string{}
	for _, h := range hits {
		if h.Start < 0 || h.Start > h.End || h.End > len(text) {
			t.Errorf("hit %s [%d,%d) outside text of %d bytes", h.Rule.ID, h.Start, h.End, len(text))
			out = append(out, h.Rule.ID+"/bad span")
			continue
		}
		out = append(out, fmt.Sprintf("%s/%s/%s", h.Rule.ID, h.Severity, text[h.Start:h.End]))
	}
	return out
}

func matchAll(t *testing.T, m *Matcher, text string) []string {
	t.Helper()
	hits, err := m.Match(text)
	if err != nil {
		t.Fatalf("Match(%q): %v", text, err)
	}
	return describe(t, text, hits)
}

// Shorthands for the default rules' expected hits.
func mk(s string) string { return "marking.classified/high/" + s }
func lb(s string) string { return "label.internal/high/" + s }
func ws(s string) string { return "label.work-secret/medium/" + s }
func tm(s string) string { return "term.secret/medium/" + s }
func sw(s string) string { return "term.secret-word/low/" + s }

func TestMatchDefaultPolicy(t *testing.T) {
	t.Parallel()
	m := mustDefault(t)
	tests := []struct {
		name, text string
		want       []string
	}{
		// Markings in all their forms: the hit is the whole marking and the
		// bare level inside it is not reported again.
		{"period years", "机密★5年", []string{mk("机密★5年")}},
		{"condition", "绝密★启用前", []string{mk("绝密★启用前")}},
		{"months", "秘密★6个月", []string{mk("秘密★6个月")}},
		{"long term", "秘密★长期", []string{mk("秘密★长期")}},
		{"date", "机密★2027年12月31日", []string{mk("机密★2027年12月31日")}},
		{"date then decl", "绝密★2030年前解密", []string{mk("绝密★2030年前解密")}},
		{"field", "密级：秘密", []string{mk("密级：秘密")}},
		{"field ascii colon", "密级:机密★10年", []string{mk("密级:机密★10年")}},
		{"field spaced", "密 级：秘 密", []string{mk("密 级：秘 密")}},
		{"publish condition", "绝密★公布前", []string{mk("绝密★公布前")}},
		{"chinese numeral", "秘密 ★ 一年", []string{mk("秘密 ★ 一年")}},
		{"chinese ten", "秘密★十年", []string{mk("秘密★十年")}},
		{"spaced", "机 密 ★ 5 年", []string{mk("机 密 ★ 5 年")}},
		{"space inside level", "机 密★5年", []string{mk("机 密★5年")}},
		{"full-width and traditional", "機密★３年", []string{mk("機密★３年")}},
		{"zero-width", "机\u200b密★5年", []string{mk("机\u200b密★5年")}},
		{"split by newlines", "机密★\n5\n年", []string{mk("机密★\n5\n年")}},
		{"white star", "机密☆5年", []string{mk("机密☆5年")}},
		{"full-width asterisk", "机密＊5年", []string{mk("机密＊5年")}},
		{"ideographic space", "机密\u3000★\u30005年", []string{mk("机密\u3000★\u30005年")}},
		// Leading and trailing spaces and punctuation are not part of the hit.
		{"padded", "  机密★5年  ", []string{mk("机密★5年")}},
		{"in a sentence", "本件为机密★5年，请妥善保管。", []string{mk("机密★5年")}},
		{"marking and a term", "机密★5年 这是一份机密文件", []string{mk("机密★5年"), tm("机密")}},
		// A level and ★ alone count on a line of their own: a PDF may lose
		// the period to another run. In prose they are the word.
		{"star only", "秘密★", []string{mk("秘密★")}},
		{"star then prose", "这个秘密★不能说", []string{sw("秘密")}},

		// Labels.
		{"label and keep: one finding", "内部资料，注意保存", []string{lb("内部资料，注意保存")}},
		{"label and keep, spaced", "内部资料 注意保存", []string{lb("内部资料 注意保存")}},
		{"two labels", "内部文件 不得外传", []string{lb("内部文件"), lb("不得外传")}},
		{"inside phrase", "仅限内部使用", []string{lb("仅限内部使用")}},
		{"traditional label", "內部資料", []string{lb("內部資料")}},
		{"zero-width label", "内部\u200b资料", []string{lb("内部\u200b资料")}},
		{"work secret covers 秘密", "本文件含工作秘密", []string{ws("工作秘密")}},
		{"circulate", "请内部传阅", []string{ws("内部传阅")}},
		{"label trap 国内部分", "国内部分地区降雨", []string{}},
		{"label trap 外部资料", "外部资料来源", []string{}},

		// Terms.
		{"term", "这是一份机密文件", []string{tm("机密")}},
		{"term before verb", "他有机密要告诉你", []string{tm("机密")}},
		{"涉密", "涉密人员应当遵守规定", []string{tm("涉密")}},
		{"国家秘密 covers 秘密", "不得泄露国家秘密", []string{tm("国家秘密")}},
		{"traditional term", "機密文件", []string{tm("機密")}},
		// A list of the levels is a mention of them: low.
		{"three levels listed", "密级划分为绝密、机密、秘密三级", []string{"term.secret/low/绝密", "term.secret/low/机密", sw("秘密")}},
		// 秘密 alone is low unless an official document's context is near.
		{"a secret in prose", "他说出了一个秘密", []string{sw("秘密")}},
		{"secret comma", "做好工作，秘密不能泄露", []string{sw("秘密")}},

		// Word-segmentation traps: the characters, not the word.
		{"手机密码", "请修改手机密码", []string{}},
		{"有机密封", "采用有机密封材料", []string{}},
		{"司机密切", "司机密切配合", []string{}},
		{"危机密布", "危机密布", []string{}},
		{"拒绝密切", "拒绝密切接触", []string{}},

		// Exclusions.
		{"机密性", "保障信息的机密性", []string{}},
		{"机密性 short", "信息的机密性", []string{}},
		{"保守国家秘密", "保守国家秘密是每个公民的义务", []string{}},
		{"商业秘密", "保护企业商业秘密", []string{}},
		{"密级划分", "本文件密级划分标准见附件", []string{}},
		{"empty", "", []string{}},
		{"latin only", "Confidential: none", []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := matchAll(t, m, tt.text)
			if strings.Join(got, " | ") != strings.Join(tt.want, " | ") {
				t.Errorf("Match(%q)\n got  %q\n want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestMatchSpanMapsToOriginal(t *testing.T) {
	t.Parallel()
	m := mustDefault(t)
	tests := []struct {
		text       string
		start, end int
	}{
		{"机 密★5年", 0, len("机 密★5年")},
		{"  机密★5年  ", 2, 2 + len("机密★5年")},
		{"\t\n机密★5年\n", 2, 2 + len("机密★5年")},
		{"\u200b机密★5年\u200b", len("\u200b"), len("\u200b机密★5年")},
		{"标题 机密★５年 正文", len("标题 "), len("标题 机密★５年")},
	}
	for _, tt := range tests {
		hits, err := m.Match(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if len(hits) != 1 || hits[0].Start != tt.start || hits[0].End != tt.end {
			t.Errorf("Match(%q) = %v, want one hit [%d,%d)", tt.text, describe(t, tt.text, hits), tt.start, tt.end)
		}
	}
}

// A public text about secrecy work uses the words but carries no marking or
// label: at most medium findings, never high.
func TestMatchPublicSecrecyText(t *testing.T) {
	t.Parallel()
	m := mustDefault(t)
	text := "为做好保守国家秘密工作，加强涉密人员管理，规范定密工作，依据《中华人民共和国保守国家秘密法》，" +
		"结合本单位实际，制定本办法。各部门应当落实保密责任制，定期开展保密教育。"
	hits, err := m.Match(text)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Rule.Severity >= policies.High {
			t.Errorf("high finding %s on %q in a public text", h.Rule.ID, text[h.Start:h.End])
		}
	}
	if got, want := describe(t, text, hits), []string{tm("涉密")}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q, want %q", got, want)
	}
}

const customPolicy = `version: 1
rules:
  - id: office.projects
    title: 项目代号
    severity: medium
    word_check: false
    terms: [天河工程, 青龙计划]
    exclude: [天河工程公开招标]
    examples: [天河工程进度]
    counterexamples: [天河工程公开招标]
  - id: office.codes
    severity: medium
    terms: [天河工程]
    word_check: false
  - id: office.urgent
    severity: high
    terms: [青龙计划]
    word_check: false
  - id: office.ids
    severity: low
    regexes: ['项目编号\d{6}', 'ZX-\d{4}']
  - id: office.loose
    severity: low
    terms: [机密]
    word_check: false
`

func TestMatchCustomPolicy(t *testing.T) {
	t.Parallel()
	p, err := policies.Parse("custom.yaml", []byte(customPolicy), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		text string
		want []string
	}{
		// A term shared by two rules of the same severity is reported once,
		// for the rule that comes first in the policy.
		{"天河工程进度", []string{"office.projects/medium/天河工程"}},
		// An exclusion is per rule: the other rule still finds the term.
		{"天河工程公开招标", []string{"office.codes/medium/天河工程"}},
		// Shared with a more severe rule: the severe one wins.
		{"启动青龙计划", []string{"office.urgent/high/青龙计划"}},
		{"天 河 工 程", []string{"office.projects/medium/天 河 工 程"}},
		// Regexes see normalized text: full-width digits are ASCII and
		// letters lower-case, yet an upper-case pattern still matches.
		{"项目编号１２３４５６", []string{"office.ids/low/项目编号１２３４５６"}},
		{"项目编号12345", []string{}},
		{"编号ZX-2024号", []string{"office.ids/low/ZX-2024"}},
		{"编号ＺＸ－２０２４", []string{"office.ids/low/ＺＸ－２０２４"}},
		// word_check: false keeps hits inside longer words.
		{"请修改手机密码", []string{"office.loose/low/机密"}},
	}
	for _, tt := range tests {
		if got := matchAll(t, m, tt.text); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("Match(%q) = %q, want %q", tt.text, got, tt.want)
		}
		// Many hits in one text: more than a dozen candidates are sorted by
		// pdqsort, which is not stable; ties must still be broken the same
		// way.
		var want []string
		for range 20 {
			want = append(want, tt.want...)
		}
		if got := matchAll(t, m, strings.Repeat(tt.text+"；", 20)); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("Match(%q × 20) = %q, want %q × 20", tt.text, got, tt.want)
		}
	}
}

func TestCompileEmptyTerm(t *testing.T) {
	t.Parallel()
	p, err := policies.Parse("zw.yaml", []byte("version: 1\nrules:\n  - id: zw\n    severity: low\n    terms: [\"\\u200b\"]\n"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(p); err == nil || !strings.Contains(err.Error(), "empty after normalization") {
		t.Errorf("Compile = %v, want an 'empty after normalization' problem", err)
	}
}

func TestCheckExamples(t *testing.T) {
	t.Parallel()
	if err := mustDefault(t).CheckExamples(); err != nil {
		t.Errorf("default policy: %v", err)
	}
	p, err := policies.Parse("bad.yaml", []byte(`version: 1
rules:
  - id: bad
    severity: low
    terms: [天河工程]
    word_check: false
    examples: [天河工程进度, 青龙计划]
    counterexamples: [天河工程公开招标, 没有代号]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	err = m.CheckExamples()
	var probs policies.Errors
	if !errors.As(err, &probs) {
		t.Fatalf("CheckExamples = %v, want policies.Errors", err)
	}
	want := []string{
		`bad.yaml:3: rule "bad": does not find its example "青龙计划"`,
		`bad.yaml:3: rule "bad": finds its counterexample "天河工程公开招标"`,
	}
	if len(probs) != len(want) {
		t.Fatalf("CheckExamples = %v, want %d problems", err, len(want))
	}
	for i, p := range probs {
		if p.String() != want[i] {
			t.Errorf("problem %d = %q, want %q", i, p.String(), want[i])
		}
	}
}

func TestMatchConcurrent(t *testing.T) {
	t.Parallel()
	m := mustDefault(t)
	texts := []string{"机密★5年", "内部资料，注意保存", "请修改手机密码", "本文件含工作秘密"}
	want := make([][]string, len(texts))
	for i, s := range texts {
		want[i] = matchAll(t, m, s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := (g + i) % len(texts)
				hits, err := m.Match(texts[k])
				if err != nil {
					t.Error(err)
					return
				}
				got := describe(t, texts[k], hits)
				if strings.Join(got, "|") != strings.Join(want[k], "|") {
					t.Errorf("concurrent Match(%q) = %q, want %q", texts[k], got, want[k])
					return
				}
			}
		})
	}
	wg.Wait()
}

// TestScoreAppliesToWordsAndMarkings checks that the context scoring lowers
// a quoted term but leaves a regex hit (an identifier, a code) alone.
func TestScoreAppliesToWordsAndMarkings(t *testing.T) {
	p, err := policies.Parse("t.yaml", []byte(`version: 1
rules:
  - id: code
    severity: high
    regexes: ['项目编号\d{6}']
  - id: word
    severity: high
    terms: [天河工程]
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string][]string{
		"如“项目编号123456”": {"code/high/项目编号123456"},
		"如“天河工程”":       {"word/low/天河工程"},
		"天河工程进度":        {"word/high/天河工程"},
	} {
		if got := matchAll(t, m, text); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("Match(%q) = %q, want %q", text, got, want)
		}
	}
}
