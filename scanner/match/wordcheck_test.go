package match

import (
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
	if w.seg != nil {
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

func TestWordCheckerDictionarySize(t *testing.T) {
	if _, err := sharedChecker.Keep("手机密码", 3, 9); err != nil {
		t.Fatal(err)
	}
	if n := sharedChecker.seg.Dict.NumTokens(); n < minDictTokens {
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
// hits, half of them traps.
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
	b.ResetTimer()
	for b.Loop() {
		for _, h := range hits {
			if _, err := sharedChecker.Keep(text, h, h+6); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(hits)), "ns/hit")
}
