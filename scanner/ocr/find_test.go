package ocr

import (
	"slices"
	"strings"
	"testing"
)

func TestParseVersion(t *testing.T) {
	tests := []struct {
		out, version string
		ok           bool
	}{
		{"tesseract 5.3.0\n leptonica-1.82.0\n", "5.3.0", true},
		{"tesseract v5.3.0.20221214\r\n leptonica-1.83.0\r\n", "v5.3.0.20221214", true},
		{"tesseract 4.1.1\n", "4.1.1", true},
		{"tesseract 3.05.02\n", "3.05.02", false},
		{"Usage: other [options]\n", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		v, ok := parseVersion(tt.out)
		if v != tt.version || ok != tt.ok {
			t.Errorf("parseVersion(%q) = %q, %v; want %q, %v", tt.out, v, ok, tt.version, tt.ok)
		}
	}
}

func TestParseLangs(t *testing.T) {
	tests := []struct {
		out  string
		want []string
	}{
		{"List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (4):\nchi_sim\nchi_sim_vert\neng\nosd\n", []string{"chi_sim", "chi_sim_vert", "eng", "osd"}},
		{"List of available languages (2):\r\neng\r\nosd\r\n", []string{"eng", "osd"}},
		{"Error opening data file\nList of available languages in \"x\" (0):\n", nil},
		{"eng\n", nil},
	}
	for _, tt := range tests {
		if got := parseLangs(tt.out); !slices.Equal(got, tt.want) {
			t.Errorf("parseLangs(%q) = %q, want %q", tt.out, got, tt.want)
		}
	}
}

func TestDefaultLangs(t *testing.T) {
	tests := []struct{ installed, want []string }{
		{[]string{"osd", "eng", "chi_sim_vert", "chi_sim"}, []string{"chi_sim"}},
		{[]string{"eng", "osd"}, []string{"eng"}},
		{[]string{"chi_sim"}, []string{"chi_sim"}},
		{[]string{"osd", "fra"}, nil},
		{nil, nil},
	}
	for _, tt := range tests {
		if got := DefaultLangs(tt.installed); !slices.Equal(got, tt.want) {
			t.Errorf("DefaultLangs(%q) = %q, want %q", tt.installed, got, tt.want)
		}
	}
}

func TestFind(t *testing.T) {
	five := fakeTesseract(t, `case "$1" in
--version) echo 'tesseract 5.3.0'; echo ' leptonica-1.82.0' ;;
--list-langs) echo 'List of available languages in "/x" (3):'; echo chi_sim; echo eng; echo osd ;;
esac`)
	three := fakeTesseract(t, `echo 'tesseract 3.05.02' >&2`)
	other := fakeTesseract(t, `echo 'usage: something else'; exit 2`)
	tests := []struct {
		command string
		want    Info
		err     string
	}{
		{five, Info{Command: five, Version: "5.3.0", Langs: []string{"chi_sim", "eng", "osd"}}, ""},
		{three, Info{}, "is not Tesseract 4 or later"},
		{other, Info{}, "is not Tesseract 4 or later"},
		{five + "-missing", Info{}, "tesseract not found"},
	}
	for _, tt := range tests {
		got, err := Find(tt.command)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Find(%q) = %v, want an error saying %q", tt.command, err, tt.err)
			}
			continue
		}
		if err != nil || got.Command != tt.want.Command || got.Version != tt.want.Version || !slices.Equal(got.Langs, tt.want.Langs) {
			t.Errorf("Find(%q) = %+v, %v; want %+v", tt.command, got, err, tt.want)
		}
	}
	t.Setenv("PATH", t.TempDir())
	if _, err := Find(""); err == nil || err.Error() != "tesseract not found on PATH" {
		t.Errorf(`Find("") with no tesseract on PATH = %v`, err)
	}
}
