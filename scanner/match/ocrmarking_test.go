package match

import (
	"archive/zip"
	"io"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
)

// TestOCRMarkings runs the marking detector over what Tesseract 5.3
// (chi_sim+eng, and chi_sim alone) really made of markings rendered at 300
// dpi in Noto Sans and Noto Serif CJK, 10.5 to 16 pt, clean, noisy, blurred
// and as a skewed JPEG; lines are joined by \n as extract joins OCR lines.
// As typed text none of these is a marking (the star is gone); as text read
// from a picture each is, where it stands as a marking stands on a page.
func TestOCRMarkings(t *testing.T) {
	// prose is body text that pushes a line below the top of the page.
	prose := strings.Repeat("会议定于3月5日召开，请各单位准时参加。\n", ocrTopLines)
	tests := []struct {
		text string
		want []string // normalized text of each marking found in OCR text
	}{
		// The star read as a Han character, alone on its line.
		{"机密女5年", []string{"机密女5年"}},
		{"机密妇10年", []string{"机密妇10年"}},
		{"机密友5年", []string{"机密友5年"}},
		{"机密广10年", []string{"机密广10年"}},
		{"机密廊10年", []string{"机密廊10年"}},
		{"机密妈10年", []string{"机密妈10年"}},
		{"机密云5年", []string{"机密云5年"}},
		{"机密码5年", []string{"机密码5年"}},
		{"绝密女30年", []string{"绝密女30年"}},
		{"绝密娘30年", []string{"绝密娘30年"}},
		{"绝密畜30年", []string{"绝密畜30年"}},
		{"秘密太6个月", []string{"秘密太6个月"}},
		{"秘密妇6个月", []string{"秘密妇6个月"}},
		{"机密女2027年12月31日", []string{"机密女2027年12月31日"}},
		{"机密妇2027年12月3]日", []string{"机密妇2027年12月3]"}},
		// A 1 read as ], with or without the 1.
		{"秘密女]1年", []string{"秘密女]1年"}},
		{"秘密女]年", []string{"秘密女]年"}},
		{"秘密让]年", []string{"秘密让]年"}},
		{"秘密太] 年", []string{"秘密太] 年"}},
		// Conditions, 启 misread too.
		{"绝密女司用前", []string{"绝密女司用前"}},
		{"绝密廊司用前", []string{"绝密廊司用前"}},
		{"绝密女届用前", []string{"绝密女届用前"}},
		{"绝密女局用前", []string{"绝密女局用前"}},
		{"绝密妫后用前", []string{"绝密妫后用前"}},
		{"绝密广电用前", []string{"绝密广电用前"}},
		{"秘密太考试结束后", []string{"秘密太考试结束后"}},
		{"秘密丰考试结束后", []string{"秘密丰考试结束后"}},
		{"绝密x启用前", []string{"绝密x启用前"}},
		// 密 read as 蜜, 黎 or 窗, 长期 as 长其.
		{"机蜜女2027年12月31日", []string{"机蜜女2027年12月31日"}},
		{"机黎女2027年12月31日", []string{"机黎女2027年12月31日"}},
		{"000123机窗妇1年", []string{"机窗妇1年"}},
		{"密级:机窗", []string{"密级:机窗"}},
		{"秘密女长其", []string{"秘密女长其"}},
		{"飞机窗口", []string{}},
		// 绝密（★启用前） with the bracket's content unread (a weak form).
		{"绝密(ka FAB)", []string{"绝密(ka fab)"}},
		{"000123\n绝密OKA)\n特急", []string{"绝密oka)"}},
		{prose + "绝密(ka FAB)的说明", []string{}},
		// The star dropped: a level and a count alone on the line.
		{"机密 5年", []string{"机密5年"}},
		{"机密5年", []string{"机密5年"}},
		{"秘密一年", []string{"秘密一年"}},
		// Brackets.
		{"【机密]", []string{"【机密]"}},
		{"【机密j】", []string{"【机密j】"}},
		{"【机密]】", []string{"【机密]】"}},
		{"[机密]", []string{"[机密]"}},
		{"I机密】", []string{"i机密】"}},
		{"(机密)", []string{}},
		{"机密]", []string{}},
		// A field with spaces, and strict markings, as in typed text.
		{"密 级 ： 机 密", []string{"密级:机密"}},
		{"密级 : 机密\n保密期限 : 5年", []string{"密级 : 机密"}},
		{"机密★5年", []string{"机密★5年"}},
		// Pages: the marking heads its line, after a serial number or a
		// 份号 field, or anywhere in the top lines if it ends its line.
		{"000123\n机密女5年\n特急\n某某市人民政府文件\n某政发 (2023) 5号\n关于加强保密管理工作的通知\n为进一步做好机密文件管理工作，现将有关事项通知如下。", []string{"机密女5年"}},
		{"000123 机密广5年", []string{"机密广5年"}},
		{"份号 : 000045 ”绝密女后用前\n2024年全国统一考试\n注意事项 : 考生须将姓名填写在答题卡上。", []string{"绝密女后用前"}},
		{"000078\n秘密女6个月\n会议纪要\n与会人员对机密文件五年内不得公开一事进行了讨论。", []string{"秘密女6个月"}},
		{prose + "机密友5年\n某某厅办公室", []string{"机密友5年"}},
		{prose + "编号：12 机密女5年", []string{"机密女5年"}},
		{"某某市人民政府文件机密女5年\n正文", []string{"机密女5年"}},
		{"特急机密 5年\n正文", []string{"机密5年"}},
		// Not markings: a level in a sentence, below the top or not ending
		// its line; a level word with a count in prose; a line break
		// inside; a condition that says no condition.
		{prose + "会议材料机密女5年", []string{}},
		{prose + "附件材料清单 机密女5年", []string{}},
		{"关于机密件5年保管期限的通知", []string{}},
		{"他守着这个秘密三年了", []string{}},
		{"秘密三年了，始终没有说出口", []string{}},
		{"秘密一年后被公之于众", []string{}},
		{"机密文件五年内不得公开", []string{}},
		{"秘密级10年", []string{}},
		{"机密件5年", []string{}},
		{"机密\n女5年", []string{}},
		{"机密文件送达后", []string{}},
		{"秘密会议于上午召开后\n", []string{}},
		{"绝密女司用前的试卷", []string{}},
		{"", []string{}},
	}
	for _, tt := range tests {
		if got := markings(tt.text, true); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("markings(%q) in OCR text = %q, want %q", tt.text, got, tt.want)
		}
		checkMarkings(t, tt.text)
	}
}

// TestMatchPicture checks the tolerant markings through the Matcher: the
// same rule and severity as a strict marking, the level's word check and
// the rule's exclusions, context scoring, and Match unchanged.
func TestMatchPicture(t *testing.T) {
	m := mustDefault(t)
	tests := []struct {
		text string
		want string // the most severe finding in OCR text, as topHit
	}{
		{"000123\n机密女5年\n特急", "marking.classified/high"},
		{"绝密女司用前", "marking.classified/high"},
		{"[机密]", "marking.classified/high"},
		{"机密性3年一评估", "none"},
		{"绝密(ka FAB)", "marking.classified/medium"},
		{"示例：机密女5年", "marking.classified/low"},
		{"“秘密女1年”", "marking.classified/low"},
		{"他守着这个秘密三年了", "term.secret-word/low"},
	}
	for _, tt := range tests {
		hits, err := m.MatchPicture(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := topHit(m, hits); got != tt.want {
			t.Errorf("MatchPicture(%q): %s, want %s", tt.text, got, tt.want)
		}
		typed, err := m.Match(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range typed {
			if h.Rule.ID == "marking.classified" {
				t.Errorf("Match(%q) finds a marking %q: only OCR text has tolerant ones", tt.text, tt.text[h.Start:h.End])
			}
		}
	}
}

// TestDetectionCasesAsPicture runs the detection test set as text read
// from a picture: every case keeps its most severe finding, save a level
// and a count with no star at all, which in a picture is a marking whose
// star OCR dropped.
func TestDetectionCasesAsPicture(t *testing.T) {
	m := mustDefault(t)
	dropped := map[string]bool{"机密 一年": true, "机密5年": true}
	for _, c := range readDetectionCases(t) {
		hits, err := m.MatchPicture(c.text)
		if err != nil {
			t.Fatal(err)
		}
		want := c.want
		if dropped[c.text] {
			want = "marking.classified/high"
		}
		if got := topHit(m, hits); got != want {
			t.Errorf("detection.tsv:%d (%s) %q as OCR text: got %s, want %s", c.line, c.class, c.text, got, want)
		}
	}
}

// noticeSentences are sentences of public notices and secrecy rules that
// hold a level word: none is a marking, wherever OCR puts it on a page.
var noticeSentences = []string{
	"国家秘密的密级分为绝密、机密、秘密三级。",
	"绝密级国家秘密是最重要的国家秘密，泄露会使国家安全和利益遭受特别严重的损害。",
	"机密级国家秘密是重要的国家秘密，泄露会使国家安全和利益遭受严重的损害。",
	"秘密级国家秘密是一般的国家秘密，泄露会使国家安全和利益遭受损害。",
	"国家秘密的保密期限，除另有规定外，绝密级不超过三十年，机密级不超过二十年，秘密级不超过十年。",
	"保密期限：绝密级30年 机密级20年 秘密级10年",
	"机关、单位对承载国家秘密的纸介质、光介质、电磁介质等载体以及属于国家秘密的设备、产品，应当做出国家秘密标志。",
	"与会人员对机密文件五年内不得公开一事进行了讨论。",
	"机密件5份，秘密件12份，已全部清退。",
	"秘密载体管理规定自印发之日起施行。",
	"绝密档案今年首次解密公开，吸引了大批市民前来参观。",
	"秘密通道12月起对游客开放。",
	"机密资料10年后方可查阅。",
	"秘密会议于上午召开后，与会人员合影留念。",
	"机密性3年一评估，完整性每年评估。",
	"这个秘密一年后才被公之于众。",
	"他守着这个秘密三年了，始终没有说出口。",
	"本方案涉及多项机密内容，命题人员须在指定场所集中封闭工作。",
	"保守国家秘密是每个公民的义务。",
	"机关、单位还应当区分国家秘密和工作秘密，对工作秘密同样加强管理。",
	"试卷在考试结束前属于绝密材料，任何人不得泄露。",
	"《绝密543》将于5月1日前上映。",
	"秘密花园3日起开放，门票5元。",
	"报名时请勿填写银行卡号、手机密码等个人敏感信息，以保障个人信息的机密性。",
}

// TestPictureNegatives reads public-notice sentences as OCR text in the
// worst places: each whole sentence as the first line of a picture, and
// the rest of it from each level word on heading a line below the top. No
// marking of the rule's severity may come out.
func TestPictureNegatives(t *testing.T) {
	m := mustDefault(t)
	prose := strings.Repeat("会议定于3月5日召开，请各单位准时参加。\n", ocrTopLines)
	levels := regexp.MustCompile(`绝密|机密|秘密`)
	texts := 0
	for _, s := range noticeSentences {
		cases := []string{s}
		for _, x := range levels.FindAllStringIndex(s, -1) {
			cases = append(cases, prose+s[x[0]:])
		}
		for _, text := range cases {
			texts++
			hits, err := m.MatchPicture(text)
			if err != nil {
				t.Fatal(err)
			}
			for _, h := range hits {
				if h.Rule.ID == "marking.classified" && h.Severity == policies.High {
					t.Errorf("MatchPicture(%q): high marking %q", text, text[h.Start:h.End])
				}
			}
		}
	}
	t.Logf("%d texts", texts)
}

// TestPictureCorpusLines reads every paragraph of the Chinese Word
// documents of ../shared/corpus as if OCR had read it from a picture, alone
// (so at the top of the page and heading its line): none holds a marking,
// so no marking may come out.
func TestPictureCorpusLines(t *testing.T) {
	files, _ := filepath.Glob("../../../shared/corpus/docx-zh/*.docx")
	if len(files) == 0 {
		t.Skip("../shared/corpus is absent: its text is not read")
	}
	m := mustDefault(t)
	para := regexp.MustCompile(`(?s)<w:p[ >].*?</w:p>`)
	tag := regexp.MustCompile(`<[^>]*>`)
	lines := 0
	for _, f := range files {
		z, err := zip.OpenReader(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range z.File {
			if !strings.HasPrefix(e.Name, "word/") || !strings.HasSuffix(e.Name, ".xml") {
				continue
			}
			r, err := e.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			r.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range para.FindAllString(string(b), -1) {
				text := strings.TrimSpace(tag.ReplaceAllString(p, ""))
				if text == "" {
					continue
				}
				lines++
				hits, err := m.MatchPicture(text)
				if err != nil {
					t.Fatal(err)
				}
				for _, h := range hits {
					if h.Rule.ID == "marking.classified" {
						t.Errorf("%s: %s marking %q in OCR text %q", filepath.Base(f), h.Severity, text[h.Start:h.End], text)
					}
				}
			}
		}
		z.Close()
	}
	t.Logf("%d paragraphs of %d documents", lines, len(files))
}

// BenchmarkMatchPicture matches the 4 MB text of BenchmarkMatch as OCR text.
func BenchmarkMatchPicture(b *testing.B) {
	text := matchText(b, 4<<20)
	m, err := Compile(extraPolicy(b, 10))
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.MatchPicture(text); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if _, err := m.MatchPicture(text); err != nil {
			b.Fatal(err)
		}
	}
}
