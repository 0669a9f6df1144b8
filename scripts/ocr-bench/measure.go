package main

import (
	"math"
	"regexp"
	"slices"
	"unicode"
)

// counted keeps the characters the character error rate is taken over:
// Han characters and digits (full-width ones as ASCII). Spaces, line
// breaks, punctuation and Latin letters are left out: OCR's spacing and
// punctuation do not change what a marking rule finds.
func counted(s string) []rune {
	var out []rune
	for _, r := range s {
		switch {
		case r >= '０' && r <= '９':
			out = append(out, r-'０'+'0')
		case r >= '0' && r <= '9', unicode.Is(unicode.Han, r):
			out = append(out, r)
		}
	}
	return out
}

// cer is the character error rate of got against truth: the edit distance
// between their counted characters over the truth's count.
func cer(got, truth string) float64 {
	g, t := counted(got), counted(truth)
	if len(t) == 0 {
		return 0
	}
	return float64(editDistance(g, t)) / float64(len(t))
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b []rune) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			sub := prev[j-1]
			if a[i-1] != b[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// starRe finds a level word followed by what stands for the star, then a
// period or condition: 机密★5年 read as 机密女5年 gives 女.
var starRe = regexp.MustCompile(`(绝密|机密|秘密)\s*(\S{0,2}?)\s*([0-9０-９一二三四五六七八九十壹贰叁肆伍陆柒捌玖拾]+\s*[年个]|启用前|长期)`)

// starRead returns what OCR made of the star of the first marking in
// text, and whether a marking was there to look at.
func starRead(text string) (string, bool) {
	m := starRe.FindStringSubmatch(text)
	if m == nil {
		return "", false
	}
	return m[2], true
}

// quantile returns the q quantile of v (nearest rank), 0 for none.
func quantile(v []float64, q float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	i := int(math.Ceil(q*float64(len(s)))) - 1
	return s[max(0, min(i, len(s)-1))]
}

// median is the middle of v (the mean of the two middle values for an even
// count).
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Sorted(slices.Values(v))
	if n := len(s); n%2 == 0 {
		return (s[n/2-1] + s[n/2]) / 2
	}
	return s[len(s)/2]
}
