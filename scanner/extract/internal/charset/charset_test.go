package charset

import (
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Labels decide, unless the bytes cannot be what they say: GBK labelled
// gb2312, UTF-8 or ASCII is still read as GBK.
func TestDecode(t *testing.T) {
	gbk, _ := simplifiedchinese.GBK.NewEncoder().String("机密★5年 镕")
	cases := []struct {
		name, data, label, want string
		ok                      bool
	}{
		{"gb2312 label, GBK bytes", gbk, "GB2312", "机密★5年 镕", true},
		{"utf-8 label, GBK bytes", gbk, "utf-8", "机密★5年 镕", true},
		{"us-ascii label, GBK bytes", gbk, "us-ascii", "机密★5年 镕", true},
		{"no label, GBK bytes", gbk, "", "机密★5年 镕", true},
		{"unknown label, UTF-8", "机密", "x-unknown", "机密", true},
		{"utf-8", "机密", "UTF-8", "机密", true},
		{"latin-1", "caf\xe9", "iso-8859-1", "café", true},
		{"neither", "\xff\xff\xff", "", "\uFFFD\uFFFD\uFFFD", false},
		{"UTF-8 and GBK pasted together", "机密 " + gbk + "\xff", "", "机密 机密★5年 镕\uFFFD", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, ok := Decode([]byte(c.data), c.label)
			if got != c.want || ok != c.ok {
				t.Errorf("Decode = %q, %v; want %q, %v", got, ok, c.want, c.ok)
			}
		})
	}
}
