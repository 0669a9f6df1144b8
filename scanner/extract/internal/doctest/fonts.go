package doctest

import (
	"os"
	"testing"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
)

// NotoCJK returns the Simplified Chinese font of the Noto Sans CJK
// collection, skipping t when it is not installed: tests draw Chinese text
// as outlines with it.
func NotoCJK(t testing.TB) *sfnt.Font {
	t.Helper()
	const path = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
	b, err := os.ReadFile(path)
	if err != nil {
		t.Skipf("no Noto Sans CJK (fonts-noto-cjk): %v", err)
	}
	c, err := sfnt.ParseCollection(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range c.NumFonts() {
		f, err := c.Font(i)
		if err != nil {
			t.Fatal(err)
		}
		if name, _ := f.Name(nil, sfnt.NameIDFamily); name == "Noto Sans CJK SC" {
			return f
		}
	}
	t.Skipf("%s has no Noto Sans CJK SC", path)
	return nil
}

// GoRegular returns the Go Regular font, which needs no installed font.
func GoRegular(t testing.TB) *sfnt.Font {
	t.Helper()
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	return f
}
