package main

import (
	"archive/zip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baomi extract prints names and text from the file without the control
// characters that would drive the terminal: ESC (title, clear screen), BEL,
// C1 CSI, a carriage return that overwrites the line; text keeps its line
// breaks and tabs, an inner name keeps none.
func TestExtractTextEscapes(t *testing.T) {
	const name = "a\x1b]0;pwned\a\x1b[2J\r\nb\u009b.txt"
	path := filepath.Join(t.TempDir(), "x.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := zip.NewWriter(f)
	e, err := w.Create(name)
	if err == nil {
		_, err = e.Write([]byte("机密\x1b[8m★5年\r\n第二行\t\u009b1m完"))
	}
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runBaomi(t, "extract", path)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	const r = "\uFFFD"
	for _, want := range []string{
		" inner=a" + r + "]0;pwned" + r + r + "[2J" + r + r + "b" + r + ".txt ===\n",
		"\n机密" + r + "[8m★5年" + r + "\n第二行\t" + r + "1m完\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%q", want, out)
		}
	}
	for _, c := range []string{"\x1b", "\a", "\r", "\u009b"} {
		if strings.Contains(out, c) {
			t.Errorf("output holds control %q:\n%q", c, out)
		}
	}
}
