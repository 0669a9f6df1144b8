package ocrtest

import (
	"errors"
	"testing"
)

func TestRender(t *testing.T) {
	one, err := Render([]string{"机密★5年"}, Body)
	if errors.Is(err, ErrNoFont) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	two, err := Render([]string{"机密★5年", "内部资料 注意保存"}, Body)
	if err != nil {
		t.Fatal(err)
	}
	// Margins of 2 Body, lines 1.5 Body apart; the longer line is wider.
	if one.Bounds().Dy() != 4*Body+Body*3/2 || two.Bounds().Dy() != 4*Body+2*(Body*3/2) || two.Bounds().Dx() <= one.Bounds().Dx() {
		t.Fatalf("sizes %v and %v", one.Bounds(), two.Bounds())
	}
	ink := 0
	for _, v := range one.Pix {
		if v < 128 {
			ink++
		}
	}
	if ink == 0 {
		t.Fatal("nothing drawn")
	}
	if turned := Turn(one, 90); turned.Bounds().Dx() != one.Bounds().Dy() || turned.Bounds().Dy() != one.Bounds().Dx() {
		t.Fatalf("turned 90: %v", turned.Bounds())
	}
}
