package ocr

import "testing"

// A reading counts as read when it is sure of what it read, or read
// nothing at all.
func TestConfident(t *testing.T) {
	line := func(text string) Line { return Line{Text: text, Conf: 90} }
	tests := []struct {
		name string
		r    Result
		want bool
	}{
		{"sure", Result{Lines: []Line{line("机密文件")}, Conf: 90}, true},
		{"unsure", Result{Lines: []Line{line("机密文件")}, Conf: 40}, false},
		{"nothing read: a photo", Result{}, true},
		{"unsure at the threshold", Result{Lines: []Line{line("关于召开会议的通知")}, Conf: MinConf - 0.1}, false},
		{"sure at the threshold", Result{Lines: []Line{line("关于召开会议的通知")}, Conf: MinConf}, true},
	}
	for _, tt := range tests {
		if got := tt.r.Confident(); got != tt.want {
			t.Errorf("%s: Confident() = %v, want %v", tt.name, got, tt.want)
		}
	}
}
