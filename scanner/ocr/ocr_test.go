package ocr

import "testing"

// A reading counts as read when it is sure of what it read and read most
// of what the ink looks like: a scan read as nothing is not a blank.
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
		{"a tenth read of a page of text", Result{Lines: []Line{line("关于召开会议的通知各科室")}, Conf: 95, Expected: 120}, false},
		{"a third read of a page of text", Result{Lines: []Line{line("关于召开会议的通知各科室")}, Conf: 95, Expected: 36}, true},
		{"a stamp's few glyphs read as nothing", Result{Expected: 12}, true},
	}
	for _, tt := range tests {
		if got := tt.r.Confident(); got != tt.want {
			t.Errorf("%s: Confident() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
