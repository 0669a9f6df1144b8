package match

import (
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
)

func TestNear(t *testing.T) {
	y := `version: 1
rules:
  - id: project
    severity: medium
    terms: [青龙]
    word_check: false
    near: {terms: [项目, "工 程"], within: 5}
  - id: mobile-named
    severity: medium
    detector: mobile
    near: {terms: [姓名], within: 10}
`
	p, err := policies.Parse("near.yaml", []byte(y), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, text string
		want       []string
	}{
		{"term right after", "青龙项目", []string{"project/青龙"}},
		{"term before, normalized", "工程：青龙", []string{"project/青龙"}},
		{"term exactly within", "项目一二三青龙", []string{"project/青龙"}},
		{"term one character too far", "项目一二三四青龙", nil},
		{"term too far after", "青龙一二三四五项目", nil},
		{"no supporting term", "青龙在天", nil},
		{"traditional and full-width", "青龍　項目", []string{"project/青龍"}},
		{"some hits kept, others not", "青龙项目。" + strings.Repeat("无关", 10) + "青龙", []string{"project/青龙"}},
		{"detector with near", "姓名 张三 13812345678", []string{"mobile-named/13812345678"}},
		{"detector without near term", "联系人 张三 13812345678", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			hits, err := m.Match(tc.text)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, h := range hits {
				got = append(got, h.Rule.ID+"/"+tc.text[h.Start:h.End])
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("Match(%q)\n got %q\nwant %q", tc.text, got, tc.want)
			}
		})
	}
}

// TestNearTermInsideHit checks that the hit itself is no evidence: a near
// term equal to the rule's own term needs a second occurrence.
func TestNearTermInsideHit(t *testing.T) {
	y := "version: 1\nrules:\n  - {id: a, severity: low, terms: [青龙项目], word_check: false, near: {terms: [项目], within: 3}}\n"
	p, err := policies.Parse("near.yaml", []byte(y), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	for text, want := range map[string]int{"青龙项目": 0, "青龙项目的项目": 1} {
		hits, err := m.Match(text)
		if err != nil || len(hits) != want {
			t.Errorf("Match(%q) = %d hits, %v; want %d", text, len(hits), err, want)
		}
	}
}

func TestNearTermEmptyAfterNormalization(t *testing.T) {
	y := "version: 1\nrules:\n  - {id: a, severity: low, terms: [x], near: {terms: [\"\\u200b\"], within: 3}}\n"
	p, err := policies.Parse("near.yaml", []byte(y), nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Compile(p); err == nil || !strings.Contains(err.Error(), "near.yaml:3: rule \"a\": near term") {
		t.Errorf("Compile: %v, want a problem at the rule", err)
	}
}
