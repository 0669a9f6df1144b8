package match

import (
	"strings"
	"testing"
)

// TestOCRExclusions checks the exclusions' tolerance of one misread
// character in text read by OCR, with what Tesseract made of 保守国家秘密 on
// scanned pages (skew: 你守; phone photo: 员守), and that typed text keeps
// exact matching.
func TestOCRExclusions(t *testing.T) {
	m := mustDefault(t)
	const duty = "是每个公民的义务"
	tests := []struct {
		text           string
		picture, typed string // the findings, as hitList gives them
	}{
		// Exact: cleared in both.
		{"保守国家秘密" + duty, "", ""},
		// One character of the phrase misread, outside the hit.
		{"你守国家秘密" + duty, "", "term.secret/medium"},
		{"员守国家秘密" + duty, "", "term.secret/medium"},
		{"保寺国家秘密" + duty, "", "term.secret/medium"},
		// The hit of term.secret-word (秘密) with 国家 misread.
		{"保守国蒙秘密" + duty, "", "term.secret-word/low"},
		{"保护企业商止秘密", "", "term.secret-word/low"},
		// Two characters misread, one deleted, or punctuation, a space or
		// a line break in place of one: not the phrase.
		{"你寺国家秘密" + duty, "term.secret/medium", "term.secret/medium"},
		{"守国家秘密" + duty, "term.secret/medium", "term.secret/medium"},
		{"，守国家秘密" + duty, "term.secret/medium", "term.secret/medium"},
		{"你守 国家秘密" + duty, "term.secret/medium", "term.secret/medium"},
		{"你守\n国家秘密" + duty, "term.secret/medium", "term.secret/medium"},
		// 机密性 has one character outside the hit: with it misread,
		// nothing of the phrase but the hit is left.
		{"这是机密件", "term.secret/medium", "term.secret/medium"},
		{"信息的机密性", "", ""},
		// A marking is not excused by the line above it, nor by a phrase
		// with two characters misread.
		{"某企业\n秘密女1年", "marking.classified/high", "term.secret-word/low"},
		{"泄露国家秘密女1年", "term.secret/medium,marking.classified/high", "term.secret/medium"},
		{"保守国家秘密★人人有责", "", ""},
		{"你守国家秘密★人人有责", "", "term.secret/medium"},
	}
	for _, tt := range tests {
		picture, err := m.MatchPicture(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := hitList(picture); got != tt.picture {
			t.Errorf("MatchPicture(%q) = %q, want %q", tt.text, got, tt.picture)
		}
		typed, err := m.Match(tt.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := hitList(typed); got != tt.typed {
			t.Errorf("Match(%q) = %q, want %q", tt.text, got, tt.typed)
		}
	}
}

// hitList returns the hits' rules and severities, in order, comma-separated.
func hitList(hits []Hit) string {
	var s []string
	for _, h := range hits {
		s = append(s, h.Rule.ID+"/"+h.Severity.String())
	}
	return strings.Join(s, ",")
}
