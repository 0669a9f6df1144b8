package ocr

import "testing"

// A reading counts as read when it is sure of what it read; a picture
// that looks like text and was read as nothing is not a blank.
func TestConfident(t *testing.T) {
	line := func(text string) Line { return Line{Text: text, Conf: 90} }
	tests := []struct {
		name string
		r    Result
		want bool
	}{
		{"sure", Result{Lines: []Line{line("机密文件")}, Conf: 90, Expected: 4}, true},
		{"unsure", Result{Lines: []Line{line("机密文件")}, Conf: 40}, false},
		{"nothing read, no text to see", Result{}, true},
		{"nothing read of a page of text", Result{Expected: 300}, false},
		{"some read, surely, of much ink (noise inflates the estimate)", Result{Lines: []Line{line("关于召开会议的通知各科室")}, Conf: 95, Expected: 5000}, true},
		{"a stamp's few glyphs read as nothing", Result{Expected: 12}, true},
	}
	for _, tt := range tests {
		if got := tt.r.Confident(); got != tt.want {
			t.Errorf("%s: Confident() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
