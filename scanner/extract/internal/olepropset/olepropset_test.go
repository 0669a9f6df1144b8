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

// sec is a section in code page cp holding the given (id, value)
// properties, the code page first.
func sec(cp uint32, props ...any) []byte {
	vals := [][]byte{u32(2, cp)}
	ids := []uint32{1}
	for i := 0; i < len(props); i += 2 {
		ids, vals = append(ids, props[i].(uint32)), append(vals, props[i+1].([]byte))
	}
	s := make([]byte, 8+8*len(vals))
	for i, v := range vals {
		binary.LittleEndian.PutUint32(s[8+8*i:], ids[i])
		binary.LittleEndian.PutUint32(s[12+8*i:], uint32(len(s)))
		s = append(s, v...)
	}
	binary.LittleEndian.PutUint32(s, uint32(len(s)))
	binary.LittleEndian.PutUint32(s[4:], uint32(len(vals)))
	return s
}

// stream is a property set of the given (format id, section) pairs.
func stream(secs ...any) []byte {
	n := len(secs) / 2
	b := cat([]byte{0xFE, 0xFF, 0, 0, 5, 1, 2, 0}, make([]byte, 16), u32(uint32(n)))
	off := 28 + 20*n
	for i := 0; i < len(secs); i += 2 {
		id := secs[i].(fmtid)
		b = cat(b, id[:], u32(uint32(off)))
		off += len(secs[i+1].([]byte))
	}
	for i := 1; i < len(secs); i += 2 {
		b = append(b, secs[i].([]byte)...)
	}
	return b
}

// set is a property set of one section of format id id, holding the
// given (id, value) properties, the code page first.
func set(id fmtid, cp uint32, props ...any) []byte { return stream(id, sec(cp, props...)) }

// put returns a copy of b with the 4 bytes at off set to v.
func put(b []byte, off int, v uint32) []byte {
	b = append([]byte(nil), b...)
	binary.LittleEndian.PutUint32(b[off:], v)
	return b
}

func TestRead(t *testing.T) {
	user := fmtid{0x05, 0xD5, 0xCD, 0xD5, 0x9C, 0x2E, 0x1B, 0x10, 0x93, 0x97, 0x08, 0x00, 0x2B, 0x2C, 0xF9, 0xAE}
	name := wide("密级")
	title := lpstr(gbk("关于" + mark))
	twoSections := stream(docSummary, sec(936, uint32(0x0F), lpstr([]byte("A\x00"))), user, sec(936, uint32(2), title))
	// The header is 68 bytes, the first section 8+16+8+12 = 44: the
	// second starts at 112.
	tests := []struct {
		name    string
		data    []byte
		want    []Property
		damage  Damage
		damaged bool
	}{
		{"GBK title, app name left out", set(summaryInformation, 936, uint32(2), title, uint32(0x12), lpstr([]byte("WPS Office\x00"))),
			[]Property{{Text: "关于" + mark}}, Damage{}, false},
		{"unicode string", set(summaryInformation, 1252, uint32(4), pad(cat(u32(0x1F, 4), wide("张三")))),
			[]Property{{Text: "张三"}}, Damage{}, false},
		{"vector of 8-bit strings, unpadded", set(docSummary, 936, uint32(0x0D), cat(u32(0x101E, 2, 5), gbk("机密"), u32(3), gbk("甲"), []byte{0, 0, 0})),
			[]Property{{Text: "机密"}, {Text: "甲"}}, Damage{}, false},
		{"user-defined, unicode dictionary", set(user, 1200,
			uint32(0), pad(cat(u32(1, 2, uint32(len(name)/2)), name)),
			uint32(2), pad(cat(u32(0x1F, 3), wide("绝密")))),
			[]Property{{Name: "密级", Text: "绝密"}}, Damage{}, false},
		{"empty stream", nil, nil, Damage{}, false},
		{"not a property set", []byte("机密★5年 not a property set at all"), nil, Damage{}, true},
		// The title's offset points outside: the author is still read.
		{"property offset outside", put(set(summaryInformation, 936, uint32(2), title, uint32(4), lpstr(gbk("张三"))), 48+20, 1<<20),
			[]Property{{Text: "张三"}}, Damage{Properties: 1}, false},
		{"section offset outside", put(twoSections, 28+20+16, 1<<20),
			[]Property{{Text: "A"}}, Damage{Sections: 1}, false},
		// POI bug 55505: a section's size larger than the stream.
		{"section size overstates", put(set(summaryInformation, 936, uint32(2), title), 48, 1<<20),
			[]Property{{Text: "关于" + mark}}, Damage{}, false},
		// POI bug 42726: a section's size short of its properties.
		{"section size understates", put(set(summaryInformation, 936, uint32(2), title), 48, 16),
			[]Property{{Text: "关于" + mark}}, Damage{}, false},
		// POI bug 52372: a section's offset 3 bytes short, on the zero
		// bytes that end the section before it.
		{"section offset short", put(twoSections, 28+20+16, 112-3),
			[]Property{{Text: "A"}, {Text: "关于" + mark}}, Damage{}, false},
		// POI bug 44375: property 0 holds a string, not a dictionary.
		{"property 0 a value", set(summaryInformation, 936, uint32(0), lpstr(gbk("关于"+mark)), uint32(8), lpstr([]byte("lpoublan\x00"))),
			[]Property{{Text: "关于" + mark}, {Text: "lpoublan"}}, Damage{}, false},
		{"damaged dictionary", set(user, 936, uint32(0), u32(5, 2, 1<<20), uint32(2), title),
			[]Property{{Text: "关于" + mark}}, Damage{Properties: 1}, false},
		{"code page 65001 as a 4-byte integer", func() []byte {
			b := set(summaryInformation, 65001, uint32(2), lpstr([]byte(mark+"\x00")))
			return put(b, 48+8+16, 3) // the code page's type: VT_I4
		}(), []Property{{Text: mark}}, Damage{}, false},
		{"variants: numbers skipped by their size", set(user, 936, uint32(2), cat(u32(0x100C, 4, 3, 7, 0x40, 1, 2, 0x0B), u32(0xFFFF), u32(0x1E), lpstr(gbk(mark))[4:])),
			[]Property{{Text: mark}}, Damage{}, false},
		{"variants: an unknown type stops the value", set(user, 936, uint32(2), cat(u32(0x100C, 2, 0x49, 1, 0x1E), lpstr(gbk(mark))[4:]), uint32(3), title),
			[]Property{{Text: "关于" + mark}}, Damage{Properties: 1}, false},
		{"vector of numbers: no text", set(user, 936, uint32(2), u32(0x1003, 2, 1, 2)),
			nil, Damage{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, dmg, err := Read(tt.data)
			if (err != nil) != tt.damaged {
				t.Fatalf("err %v, want damaged %v", err, tt.damaged)
			}
			if !reflect.DeepEqual(got, tt.want) || dmg != tt.damage {
				t.Errorf("got %q %+v, want %q %+v", got, dmg, tt.want, tt.damage)
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
	f.Add(put(stream(docSummary, sec(936, uint32(0x0F), lpstr([]byte("A\x00"))), fmtid{}, sec(936, uint32(2), lpstr(gbk(mark)))), 28+20+16, 112-3))
	f.Add(set(summaryInformation, 936, uint32(0), lpstr(gbk(mark)), uint32(2), cat(u32(0x100C, 2, 3, 7, 0x1E), lpstr(gbk(mark))[4:])))
	f.Fuzz(func(t *testing.T, b []byte) {
		props, _, err := Read(b)
		if err == nil {
			for _, p := range props {
				if p.Text == "" {
					t.Fatalf("empty property %q", p.Name)
				}
			}
		}
	})
}
