package match

import (
	"slices"
	"strconv"

	"github.com/go-ego/gse"
	"strings"
	"sync"
	"testing"
)

// policyTerms stands for the terms a policy would add to the dictionary.
var policyTerms = []string{"机密", "绝密", "秘密", "内部资料"}

var sharedChecker = NewWordChecker(policyTerms)

func TestWordCheckerKeep(t *testing.T) {
	tests := []struct {
		text, term string
		want       bool
	}{
		// Traps: the characters are there, the word is not.
		{"请输入手机密码登录", "机密", false},
		{"采用有机密封材料", "机密", false},
		{"司机密切关注路况", "机密", false},
		{"他拒绝密切合作", "绝密", false},
		{"危机密布的年代", "机密", false},
		{"这是一个秘密码头", "秘密", true}, // 秘密|码头: the hit is a word
		// True hits.
		{"这是机密文件，请妥善保管", "机密", true},
		{"文件的机密性要求", "机密", true},
		{"他有机密要告诉你", "机密", true},
		{"本文件属于绝密级别", "绝密", true},
		{"涉及国家秘密的事项", "秘密", true},
		{"内部资料注意保存", "内部资料", true},
		{"机密", "机密", true},
		{"机密★5年", "机密", true},
		{"标注为机密。", "机密", true},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			start := strings.Index(tt.text, tt.term)
			if start < 0 {
				t.Fatalf("%q not in %q", tt.term, tt.text)
			}
			got, err := sharedChecker.Keep(tt.text, start, start+len(tt.term))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Keep(%q in %q) = %v, want %v", tt.term, tt.text, got, tt.want)
			}
		})
	}
}

func TestWordCheckerNoLoadWithoutCJKNeighbours(t *testing.T) {
	w := NewWordChecker(nil)
	for _, text := range []string{"机密", "a机密b", "《机密》", "1机密 2", "机密\n"} {
		start := strings.Index(text, "机密")
		keep, err := w.Keep(text, start, start+len("机密"))
		if !keep || err != nil {
			t.Errorf("Keep(%q) = %v, %v; want true, nil", text, keep, err)
		}
	}
	if w.lex.len() != 0 {
		t.Error("dictionary loaded for hits with no Chinese neighbours")
	}
}

func TestWordCheckerBadSpan(t *testing.T) {
	w := NewWordChecker(nil)
	text := "手机密码"
	for _, sp := range [][2]int{{-1, 3}, {3, 100}, {3, 3}, {4, 6}, {3, 7}} {
		keep, err := w.Keep(text, sp[0], sp[1])
		if !keep || err == nil {
			t.Errorf("Keep(%v) = %v, %v; want true and an error", sp, keep, err)
		}
	}
}

func TestLexicon(t *testing.T) {
	for _, tt := range []struct {
		text string
		want []string
	}{
		{"", nil},
		{"a\t1\n", []string{"a\t1"}},
		{"a\t1\nb\t2", []string{"a\t1", "b\t2"}},
		{"a\t1\n\nb\t2\n", []string{"a\t1", "", "b\t2"}},
	} {
		l := newLexicon(tt.text)
		var got []string
		for i := range l.len() {
			got = append(got, l.line(i))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("newLexicon(%q) lines %q, want %q", tt.text, got, tt.want)
		}
		if !slices.IsSorted(tt.want) {
			continue // search needs sorted lines
		}
		for i, line := range tt.want {
			if at := l.search(0, line); at != i {
				t.Errorf("newLexicon(%q).search(%q) = %d, want %d", tt.text, line, at, i)
			}
		}
	}
}

func TestWordCheckerDictionarySize(t *testing.T) {
	if _, err := sharedChecker.Keep("手机密码", 3, 9); err != nil {
		t.Fatal(err)
	}
	if n := sharedChecker.lex.len(); n < minDictTokens {
		t.Errorf("dictionary has %d tokens, want >= %d", n, minDictTokens)
	}
}

func TestWordCheckerConcurrent(t *testing.T) {
	w := NewWordChecker(policyTerms)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			text, want := "请输入手机密码登录", false
			if g%2 == 0 {
				text, want = "这是机密文件", true
			}
			start := strings.Index(text, "机密")
			for range 50 {
				got, err := w.Keep(text, start, start+len("机密"))
				if err != nil || got != want {
					t.Errorf("Keep(%q) = %v, %v; want %v", text, got, err, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkWordCheckerLoad(b *testing.B) {
	for b.Loop() {
		w := NewWordChecker(policyTerms)
		if _, err := w.Keep("手机密码", 3, 9); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkWordCheckerKeep checks every 机密 in text dense with candidate
// hits, half of them traps: "segment" forgets every verdict first, so each
// hit is segmented, as in text that never repeats itself; "repeated" lets
// the checker remember the verdicts of the repeated sentence.
func BenchmarkWordCheckerKeep(b *testing.B) {
	text := strings.Repeat("请输入手机密码登录系统，这是机密文件请妥善保管。", 200)
	var hits []int
	for i := 0; ; {
		j := strings.Index(text[i:], "机密")
		if j < 0 {
			break
		}
		hits = append(hits, i+j)
		i += j + 1
	}
	if _, err := sharedChecker.Keep(text, hits[0], hits[0]+6); err != nil {
		b.Fatal(err)
	}
	for _, forget := range []bool{true, false} {
		b.Run(map[bool]string{true: "segment", false: "repeated"}[forget], func(b *testing.B) {
			for b.Loop() {
				for _, h := range hits {
					if forget {
						sharedChecker.mu.Lock()
						clear(sharedChecker.seen)
						sharedChecker.mu.Unlock()
					}
					if _, err := sharedChecker.Keep(text, h, h+6); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hits)), "ns/hit")
		})
	}
}

// TestWordCheckerRemembers checks that a remembered verdict is the one
// segmenting gives, for different hits in the same window and the same hit
// in different windows.
func TestWordCheckerRemembers(t *testing.T) {
	w := NewWordChecker(policyTerms)
	texts := []string{"手机密码机密文件", "机密文件手机密码", "这是机密文件", "请输入手机密码", "手机密码", "有机密封材料机密"}
	for round := range 2 {
		for _, text := range texts {
			for i := 0; ; {
				j := strings.Index(text[i:], "机密")
				if j < 0 {
					break
				}
				start := i + j
				got, err := w.Keep(text, start, start+len("机密"))
				if err != nil {
					t.Fatal(err)
				}
				if want := w.keep(text, start, start+len("机密")); got != want {
					t.Errorf("round %d: Keep(机密 at %d in %q) = %v, segmenting says %v", round, start, text, got, want)
				}
				i = start + 1
			}
		}
	}
	if len(w.seen) == 0 {
		t.Error("no verdict remembered")
	}
}

// TestWordCheckerSameAsWholeDictionary checks the point of the per-window
// dictionary: gse segments every window exactly as it does with the whole
// dictionary loaded (policy terms first, as gse's first-entry-wins rule
// asks).
func TestWordCheckerSameAsWholeDictionary(t *testing.T) {
	w := NewWordChecker(policyTerms)
	if _, err := w.Keep("手机密码", 3, 9); err != nil {
		t.Fatal(err)
	}
	whole := &gse.Segmenter{SkipLog: true, NotLoadHMM: true}
	whole.Dict = gse.NewDict()
	whole.Init()
	for _, x := range policyTerms {
		whole.AddToken(x, extraWordFreq)
	}
	for i := range w.lex.len() {
		line := w.lex.line(i)
		word, freq, _ := strings.Cut(line, "\t")
		f, err := strconv.ParseFloat(freq, 64)
		if err != nil {
			t.Fatal(err)
		}
		whole.AddToken(word, f)
	}
	whole.CalcToken()
	texts := []string{
		"请修改手机密码", "采用有机密封材料", "司机密切配合", "危机密布", "拒绝密切接触", "保障信息的机密性",
		"保守国家秘密是每个公民的义务", "这是一份机密文件", "他有机密要告诉你", "涉密人员应当遵守规定",
		"不得泄露国家秘密", "本文件含工作秘密请内部传阅", "国内部分地区降雨", "仅供内部使用严禁外传",
		"保密工作是党和国家的一项重要工作国家秘密是关系国家安全和利益依照法定程序确定",
		"关于举办春季运动会的通知各单位为丰富职工文化生活经研究决定举办春季运动会",
	}
	// And windows cut from a longer text at every offset.
	long := []rune("机关单位还应当区分国家秘密和工作秘密对工作秘密同样加强管理广大干部职工要自觉学习保密知识不在非涉密计算机上处理涉密信息")
	for i := 0; i+8 <= len(long); i += 3 {
		texts = append(texts, string(long[i:min(i+25, len(long))]))
	}
	for _, text := range texts {
		got := words(w.segmenter(text).Segment([]byte(text)))
		want := words(whole.Segment([]byte(text)))
		if got != want {
			t.Errorf("%s:\n per window %s\n whole     %s", text, got, want)
		}
	}
}

func words(segs []gse.Segment) string {
	var b strings.Builder
	for _, s := range segs {
		b.WriteString(s.Token().Text())
		b.WriteByte('|')
	}
	return b.String()
}
