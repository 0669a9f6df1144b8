package match

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/baomi/baomi/policies"
)

// idNum completes 17 digits with their GB 11643 check character, computed
// here from the standard's definition (ISO 7064 MOD 11-2: weights 2^(17-i)
// mod 11, check = (12 - sum mod 11) mod 11, 10 written X).
func idNum(d17 string) string {
	sum := 0
	for i := range 17 {
		w := 1
		for range 17 - i {
			w = w * 2 % 11
		}
		sum += int(d17[i]-'0') * w
	}
	c := (12 - sum%11) % 11
	if c == 10 {
		return d17 + "X"
	}
	return d17 + fmt.Sprint(c)
}

// wrongCheck changes the check character of an identity number.
func wrongCheck(id string) string {
	if id[17] == '0' {
		return id[:17] + "1"
	}
	return id[:17] + "0"
}

// luhnNum completes digits with their Luhn check digit (ISO/IEC 7812-1):
// doubling every second digit from the right of the full number.
func luhnNum(d string) string {
	for c := byte('0'); c <= '9'; c++ {
		s, n := 0, d+string(c)
		for i := range len(n) {
			v := int(n[len(n)-1-i] - '0')
			if i%2 == 1 {
				v = v*2/10 + v*2%10
			}
			s += v
		}
		if s%10 == 0 {
			return n
		}
	}
	panic("unreachable")
}

// usccNum completes 17 characters of a unified social credit code with its
// GB 32100 check character: weights 3^i mod 31, check = 31 - sum mod 31.
func usccNum(c17 string) string {
	const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
	sum, w := 0, 1
	for i := range 17 {
		sum += strings.IndexByte(chars, c17[i]) * w
		w = w * 3 % 31
	}
	return c17 + string(chars[(31-sum%31)%31])
}

// piiMatcher compiles one rule per identifier detector.
func piiMatcher(t *testing.T) *Matcher {
	t.Helper()
	y := "version: 1\nrules:\n"
	for _, d := range []string{"id-card", "bank-card", "mobile", "uscc"} {
		y += fmt.Sprintf("  - {id: pii.%s, severity: medium, detector: %s}\n", d, d)
	}
	p, err := policies.Parse("pii.yaml", []byte(y), nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestIdentifiers(t *testing.T) {
	id := idNum("11010519491231002")  // the GB 11643 example: check X
	id2 := idNum("44030420000229123") // 29 February of a leap year
	if id != "11010519491231002X" {
		t.Fatalf("idNum = %s, want the standard's example 11010519491231002X", id)
	}
	card := luhnNum("621700000000123456") // UnionPay, 19 digits
	visa := luhnNum("411111111111111")    // 16 digits
	uscc := usccNum("91110000600037341")  // a code of the GB 32100 layout
	badCard := card[:18] + string('0'+(card[18]-'0'+1)%10)
	id15 := "110105491231002" // old form: 1949-12-31
	tests := []struct {
		name, text string
		want       []string
	}{
		{"id card", "身份证号：" + id + "。", []string{"pii.id-card/" + id}},
		{"id card lower-case x and leap day", "证件" + strings.ToLower(id) + "、" + id2, []string{"pii.id-card/" + strings.ToLower(id), "pii.id-card/" + id2}},
		{"id card full-width", "号码" + toFullWidth(id), []string{"pii.id-card/" + toFullWidth(id)}},
		{"id card grouped", "身份证 110105 19491231 002X", []string{"pii.id-card/110105 19491231 002X"}},
		{"id card old form", "身份证号" + id15, []string{"pii.id-card/" + id15}},
		{"id card wrong check", "身份证号" + wrongCheck(id), nil},
		{"id card impossible date", "身份证号" + idNum("11010519490230002"), nil},
		{"id card future date", "身份证号" + idNum("11010520990101002"), nil},
		{"id card unknown province", "身份证号" + idNum("99010519491231002"), nil},
		{"id card old form impossible date", "身份证号110105491332002", nil},
		{"id card inside a longer run", "流水" + id + "7", nil},
		{"id card after digits", "9" + id, nil},
		{"id card in a code", "ab" + id, nil},
		{"id card hyphen-joined", "2024-" + id, nil},
		{"order number that passes", "订单号：" + id, nil},
		{"invoice number", "发票号码 " + id2, nil},
		{"id card labelled 编号 but 身份证", "身份证编号" + id, []string{"pii.id-card/" + id}},
		{"bank card", "卡号 " + card + " 开户行", []string{"pii.bank-card/" + card}},
		{"bank card grouped", "账号 " + visa[:4] + " " + visa[4:8] + " " + visa[8:12] + " " + visa[12:], []string{"pii.bank-card/" + visa[:4] + " " + visa[4:8] + " " + visa[8:12] + " " + visa[12:]}},
		{"bank card hyphens", visa[:4] + "-" + visa[4:8] + "-" + visa[8:12] + "-" + visa[12:], []string{"pii.bank-card/" + visa[:4] + "-" + visa[4:8] + "-" + visa[8:12] + "-" + visa[12:]}},
		{"bank card failing luhn", "卡号 " + badCard, nil},
		{"bank card without issuer prefix", "卡号 " + luhnNum("123456789012345"), nil},
		{"bank card in a longer run", "卡号 " + card + "12", nil},
		{"mobile", "联系电话：13812345678。", []string{"pii.mobile/13812345678"}},
		{"mobile +86 grouped", "电话 +86 138 1234 5678", []string{"pii.mobile/+86 138 1234 5678"}},
		{"mobile +86 joined", "+8613812345678、+86-138-1234-5678", []string{"pii.mobile/+8613812345678", "pii.mobile/+86-138-1234-5678"}},
		{"mobile in table row", "1 13912345678 2 15012345678", []string{"pii.mobile/13912345678", "pii.mobile/15012345678"}},
		{"mobile bad prefix", "电话 12812345678、15412345678", nil},
		{"mobile inside a longer run", "138123456789", nil},
		{"mobile with extension", "13812345678-01", nil},
		{"mobile in a decimal", "3.13812345678", nil},
		{"mobile in an order number", "订单编号13812345678", nil},
		{"mobile in a code", "no13812345678", nil},
		{"uscc", "统一社会信用代码：" + uscc, []string{"pii.uscc/" + uscc}},
		{"uscc wrong check", "代码：" + uscc[:17] + "0", nil},
		{"uscc in a longer code", "代码：" + uscc + "1", nil},
		{"date and amount", "2024年1月1日 金额 1234567890123456元", nil},
	}
	m := piiMatcher(t)
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

func toFullWidth(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '!' && r <= '~' {
			r += 0xFEE0
		}
		b.WriteRune(r)
	}
	return b.String()
}

func TestMaskPII(t *testing.T) {
	tests := []struct{ detector, in, want string }{
		{"id-card", "11010519491231002X", "110105********002X"},
		{"id-card", "110105 19491231 002X", "110105 ******** 002X"},
		{"mobile", "+86 138 1234 5678", "+86 138 **** 5678"},
		{"mobile", "１３８１２３４５６７８", "１３８＊＊＊＊５６７８"},
		{"bank-card", "6217000000001234567", "6217***********4567"},
		{"uscc", "91110000600037341L", "91110000600037341L"},
		{"marking", "机密★5年", "机密★5年"},
	}
	for _, tc := range tests {
		got, _ := MaskPII(tc.detector, tc.in)
		if got != tc.want || len(got) != len(tc.in) {
			t.Errorf("MaskPII(%s, %q) = %q, want %q (of the same byte length)", tc.detector, tc.in, got, tc.want)
		}
	}
}

// TestIdentifierRandomRuns measures how often a random run of digits of an
// identifier's length passes its checks (docs/DETECTION.md gives the
// figures): order and invoice numbers are such runs.
func TestIdentifierRandomRuns(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	digits := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = byte('0' + rng.IntN(10))
		}
		return string(b)
	}
	const n = 100000
	tests := []struct {
		name string
		gen  func() string
		ok   func(string) bool
		max  float64 // most accepted, in percent
	}{
		{"18 digits as id-card", func() string { return digits(18) }, validIDCard, 0.01},
		{"15 digits as id-card", func() string { return digits(15) }, validIDCard, 1.5},
		{"16-19 digits as bank-card", func() string { return digits(16 + rng.IntN(4)) }, validBankCard, 2.5},
		{"62 and 14-17 digits as bank-card", func() string { return "62" + digits(14+rng.IntN(4)) }, validBankCard, 10.5},
		{"11 digits as mobile", func() string { return digits(11) }, validMobile, 6},
	}
	for _, tc := range tests {
		k := 0
		for range n {
			k += b2i(tc.ok(tc.gen()))
		}
		if rate := 100 * float64(k) / n; rate > tc.max {
			t.Errorf("%s: %.4f%% pass, want at most %.4f%%", tc.name, rate, tc.max)
		} else {
			t.Logf("%s: %.4f%% pass", tc.name, rate)
		}
	}
}
