package olepropset

import (
	"encoding/binary"
	"reflect"
	"testing"
	"unicode/utf16"

	"golang.org/x/text/encoding/simplifiedchinese"
)

const mark = "机密★5年"

func u32(v ...uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

func cat(parts ...[]byte) []byte {
	var b []byte
	for _, p := range parts {
		b = append(b, p...)
	}
	return b
}

func gbk(s string) []byte {
	b, _ := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s + "\x00"))
	return b
}

func wide(s string) []byte {
	var b []byte
	for _, c := range utf16.Encode([]rune(s + "\x00")) {
		b = binary.LittleEndian.AppendUint16(b, c)
	}
	return b
}

func pad(b []byte) []byte {
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

// lpstr is a VT_LPSTR value of the bytes b (with their NUL).
func lpstr(b []byte) []byte { return pad(cat(u32(0x1E, uint32(len(b))), b)) }

// set is a property set of one section of format id id, holding the
// given (id, value) properties, the code page first.
func set(id fmtid, cp uint32, props ...any) []byte {
	vals := [][]byte{u32(2, cp)}
	ids := []uint32{1}
	for i := 0; i < len(props); i += 2 {
		ids, vals = append(ids, props[i].(uint32)), append(vals, props[i+1].([]byte))
	}
	sec := make([]byte, 8+8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(sec[8+8*i:], ids[i])
		binary.LittleEndian.PutUint32(sec[12+8*i:], uint32(len(sec)))
		sec = append(sec, v...)
	}
	binary.LittleEndian.PutUint32(sec, uint32(len(sec)))
	binary.LittleEndian.PutUint32(sec[4:], uint32(len(vals)))
	return cat([]byte{0xFE, 0xFF, 0, 0, 5, 1, 2, 0}, make([]byte, 16), u32(1), id[:], u32(48), sec)
}

func TestRead(t *testing.T) {
	user := fmtid{0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE}
	name := wide("密级")
	tests := []struct {
		name    string
		data    []byte
		want    []Property
		damaged bool
	}{
		{"GBK title, app name left out", set(summaryInformation, 936, uint32(2), lpstr(gbk("关于"+mark)), uint32(0x12), lpstr([]byte("WPS Office\x00"))),
			[]Property{{Text: "关于" + mark}}, false},
		{"unicode string", set(summaryInformation, 1252, uint32(4), pad(cat(u32(0x1F, 4), wide("张三")))),
			[]Property{{Text: "张三"}}, false},
		{"vector of 8-bit strings, unpadded", set(docSummary, 936, uint32(0x0D), cat(u32(0x101E, 2, 5), gbk("机密"), u32(3), gbk("甲"), []byte{0, 0, 0})),
			[]Property{{Text: "机密"}, {Text: "甲"}}, false},
		{"user-defined, unicode dictionary", set(user, 1200,
			uint32(0), pad(cat(u32(1, 2, uint32(len(name)/2)), name)),
			uint32(2), pad(cat(u32(0x1F, 3), wide("绝密")))),
			[]Property{{Name: "密级", Text: "绝密"}}, false},
		{"empty stream", nil, nil, false},
		{"not a property set", []byte("机密★5年 not a property set at all"), nil, true},
		{"offset outside", func() []byte {
			b := set(summaryInformation, 936, uint32(2), lpstr(gbk(mark)))
			binary.LittleEndian.PutUint32(b[48+20:], 1<<20)
			return b
		}(), nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Read(tt.data)
			if (err != nil) != tt.damaged {
				t.Fatalf("err %v, want damaged %v", err, tt.damaged)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzRead checks that no input makes Read panic, loop or return text
// with a property it could not read.
func FuzzRead(f *testing.F) {
	f.Add(set(summaryInformation, 936, uint32(2), lpstr(gbk("关于"+mark))))
	f.Add(set(docSummary, 936, uint32(0x0D), cat(u32(0x101E, 2, 5), gbk("机密"), u32(3), gbk("甲"), []byte{0, 0, 0})))
	f.Add(set(fmtid{}, 1200, uint32(0), pad(cat(u32(1, 2, 3), wide("密级"))), uint32(2), pad(cat(u32(0x1F, 3), wide("绝密")))))
	f.Fuzz(func(t *testing.T, b []byte) {
		props, err := Read(b)
		if err == nil {
			for _, p := range props {
				if p.Text == "" {
					t.Fatalf("empty property %q", p.Name)
				}
			}
		}
	})
}
