package numfmt

import "testing"

func TestText(t *testing.T) {
	for _, c := range []struct{ code, want string }{
		{`"机密★5年 "0.00`, "机密★5年"},
		{`yyyy"年"m"月"d"日"`, "年月日"},
		{`yyyy年m月d日;@`, "年月日"},
		{`\机\密0`, "机密"},
		{`0.00_);[Red](0.00)`, ""},
		{`"unterminated`, "unterminated"},
		{`\`, ""},
		{"\xff\"", ""},
	} {
		if got := Text(c.code); got != c.want {
			t.Errorf("Text(%q) = %q, want %q", c.code, got, c.want)
		}
	}
}
