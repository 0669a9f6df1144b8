package mtef

import (
	"encoding/binary"
	"errors"
	"strings"
	"testing"
	"unicode/utf16"
)

// stream wraps MTEF data in the EQNOLEFILEHDR of an Equation Native
// stream.
func stream(mtef []byte) []byte {
	h := make([]byte, hdrSize)
	binary.LittleEndian.PutUint16(h, hdrSize)
	binary.LittleEndian.PutUint32(h[2:], 0x00020000)
	binary.LittleEndian.PutUint32(h[8:], uint32(len(mtef)))
	return append(h, mtef...)
}

// v3 and v5 build the records of a formula of each version.
type builder struct {
	v byte
	b []byte
}

func v3() *builder { return &builder{v: 3, b: []byte{3, 1, 1, 3, 0}} }

func v5() *builder {
	b := &builder{v: 5, b: append([]byte{5, 1, 1, 6, 0}, "DSMT6\x00\x00"...)}
	// The definitions MathType 6 writes first: preferences (two
	// dimensions: inches 0.5 and points 12, and a style), an encoding, a
	// font, a font style, a color.
	b.b = append(b.b, recEqnPrefs, 0, 2, 0x00, 0x5F, 0x21, 0x2F, 0, 1, 1, 0)
	b.b = append(b.b, recEncodingDef, 'U', 'n', 'i', 0)
	b.b = append(b.b, recFontDef, 1, 'S', 'i', 'm', 0)
	b.b = append(b.b, recFont, 1, 0, recColorDef, optColorName, 0, 0, 0, 0, 0, 0, 'r', 0, recColor, 1)
	return b
}

func (b *builder) tag(typ, opt byte) *builder {
	if b.v == 3 {
		b.b = append(b.b, opt<<4|typ)
	} else if typ >= recLine && typ <= recEmbell {
		b.b = append(b.b, typ, opt)
	} else {
		b.b = append(b.b, typ)
	}
	return b
}

// text writes s as characters of typeface 1 (text), the first nudged.
func (b *builder) text(s string) *builder {
	for i, c := range utf16.Encode([]rune(s)) {
		var opt byte
		if i == 0 {
			opt = optNudge
		}
		b.tag(recChar, opt)
		if opt != 0 {
			b.b = append(b.b, 0x80, 0x80, 1, 0, 2, 0)
		}
		b.b = append(b.b, 0x81)
		b.b = binary.LittleEndian.AppendUint16(b.b, c)
	}
	return b
}

func (b *builder) raw(p ...byte) *builder { b.b = append(b.b, p...); return b }

func (b *builder) end() *builder { return b.tag(recEnd, 0) }

// formula: size, a line "x=" then a fraction of two lines and a text
// run, then a pile of two lines.
func formula(b *builder, run string) []byte {
	b.tag(recFull, 0).tag(recSize, 0).raw(101, 12, 0)
	b.tag(recLine, 0).text("x=")
	b.tag(recTmpl, optNudge).raw(1, 1, 11, 0, 0)
	b.tag(recLine, 0).text("a").end().tag(recLine, 0).text("b").end().tag(recLine, optLineNull).end()
	b.tag(recChar, embell(b.v)).raw(0x83).raw(binary.LittleEndian.AppendUint16(nil, 'y')...)
	b.tag(recEmbell, 0).raw(5)
	if b.v == 3 {
		b.raw(0)
	}
	b.end()
	b.text(run).end()
	b.tag(recPile, 0).raw(1, 1).tag(recRuler, 0).raw(1, 0, 10, 0)
	b.tag(recLine, optLineSpace).raw(4, 0).text("甲").end().tag(recLine, 0).text("乙").end().end()
	b.tag(recMatrix, 0).raw(0, 1, 1, 1, 2, 0, 0).tag(recLine, 0).text("m").end().tag(recLine, 0).text("n").end().end()
	return stream(b.end().b)
}

func embell(v byte) byte {
	if v == 3 {
		return optEmbell3
	}
	return optEmbell5
}

func TestText(t *testing.T) {
	want := "x=a b y机密★5年\n甲\n乙\nm\nn"
	for _, b := range []*builder{v3(), v5()} {
		got, err := Text(formula(b, "机密★5年"))
		if err != nil || got != want {
			t.Errorf("v%d: %q, %v; want %q", b.v, got, err, want)
		}
	}
}

func TestTextDamaged(t *testing.T) {
	good := formula(v5(), "机密★5年")
	deep := v3()
	for range maxDepth + 2 {
		deep.tag(recTmpl, 0).raw(1, 0, 0).tag(recLine, 0)
	}
	deep3 := v3().text("机密").raw(0x0F) // type 15 is not v3's
	cases := []struct {
		name string
		data []byte
		want error
		text string
	}{
		{"no header", []byte("eq"), ErrVersion, ""},
		{"version 2", stream([]byte{2, 1, 1, 3, 0, 0}), ErrVersion, ""},
		{"version 4", stream([]byte{4, 1, 1, 3, 0, 0}), ErrVersion, ""},
		{"no MTEF", stream(nil), ErrVersion, ""},
		{"truncated", good[:len(good)-30], ErrDamaged, "x=a b y机密★5年\n甲\n乙"},
		{"no end", stream(v3().tag(recLine, 0).text("机密").b), ErrDamaged, "机密"},
		{"unknown v3 record", stream(deep3.b), ErrDamaged, "机密"},
		{"unknown v5 record", stream(v5().tag(recLine, 0).text("机密").raw(42).b), ErrDamaged, "机密"},
		{"no MTCode", stream(v5().tag(recLine, 0).text("机密").tag(recChar, optNoMTCode|optChar8).raw(0x81, 'a').end().end().b), ErrDamaged, "机密"},
		{"too deep", stream(deep.b), ErrDamaged, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Text(c.data)
			if !errors.Is(err, c.want) || got != c.text {
				t.Errorf("%q, %v; want %q, %v", got, err, c.text, c.want)
			}
		})
	}
}

// The header's size of the MTEF data bounds it: what follows is not read.
func TestTextObjectSize(t *testing.T) {
	data := stream(v3().tag(recLine, 0).text("甲").end().end().b)
	data = append(data, "\x02\x81\x59\x4e"...)
	if got, err := Text(data); err != nil || got != "甲" {
		t.Errorf("%q, %v", got, err)
	}
}

func FuzzMTEF(f *testing.F) {
	f.Add(formula(v3(), "机密★5年"))
	f.Add(formula(v5(), "机密★5年"))
	f.Add(stream([]byte{3, 1, 1, 3, 0, 0x13, 0x80, 0x80}))
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Text(b)
		if err != nil && !errors.Is(err, ErrDamaged) && !errors.Is(err, ErrVersion) {
			t.Fatalf("error of its own: %v", err)
		}
		if errors.Is(err, ErrVersion) && s != "" {
			t.Fatalf("text %q from an unread version", s)
		}
		if strings.HasPrefix(s, " ") {
			t.Fatalf("untrimmed %q", s)
		}
	})
}
