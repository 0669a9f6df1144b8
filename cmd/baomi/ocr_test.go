package main

import (
	"context"
	"image"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/ocr"
	"github.com/baomi/baomi/scanner/report"
)

// fakeTesseract puts on PATH, alone, a tesseract that answers --version
// and --list-langs with langs, and returns its path; with langs nil, PATH
// holds no tesseract and "" is returned.
func fakeTesseract(t *testing.T, langs []string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake tesseract is a shell script")
	}
	dir := t.TempDir()
	t.Setenv("PATH", dir)
	if langs == nil {
		return ""
	}
	path := filepath.Join(dir, "tesseract")
	script := "#!/bin/sh\ncase \"$1\" in\n--version) echo 'tesseract 5.3.0'; echo ' leptonica-1.82.0' ;;\n" +
		"--list-langs) echo 'List of available languages in \"/usr/share/tesseract-ocr/5/tessdata/\" (" + string(rune('0'+len(langs))) + "):'; printf '%s\\n' " + strings.Join(langs, " ") + " ;;\n*) exit 1 ;;\nesac\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// The OCR flags resolve to Tesseract and its languages, or to OCR off;
// what cannot be honoured is a usage error naming the flag and what to do.
func TestOCRFlags(t *testing.T) {
	installed := []string{"chi_sim", "eng", "osd"}
	tests := []struct {
		name    string
		langs   []string // installed; nil: no tesseract on PATH
		flags   ocrFlags
		want    ocr.Config // Command "found" stands for the fake's path
		wantErr string
	}{
		{"auto", installed, ocrFlags{mode: "auto", timeout: time.Minute}, ocr.Config{Command: "found", Langs: []string{"chi_sim"}, Timeout: time.Minute}, ""},
		{"auto without tesseract", nil, ocrFlags{mode: "auto", timeout: time.Minute}, ocr.Config{}, ""},
		{"auto without a default language", []string{"osd"}, ocrFlags{mode: "auto", timeout: time.Minute}, ocr.Config{}, ""},
		{"off", nil, ocrFlags{mode: "off", langs: []string{"fra"}}, ocr.Config{}, ""},
		{"on", installed, ocrFlags{mode: "on", langs: []string{"chi_sim+osd"}, timeout: 5 * time.Second}, ocr.Config{Command: "found", Langs: []string{"chi_sim", "osd"}, Timeout: 5 * time.Second}, ""},
		{"on without tesseract", nil, ocrFlags{mode: "on", timeout: time.Minute}, ocr.Config{},
			"--ocr on: Tesseract was not found (tesseract not found on PATH): install it (Debian, Kylin, UOS: apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert. Windows: the installer from https://github.com/UB-Mannheim/tesseract/wiki"},
		{"on without a default language", []string{"osd"}, ocrFlags{mode: "on", timeout: time.Minute}, ocr.Config{},
			"--ocr on: Tesseract has none of chi_sim, chi_sim_vert, eng (installed: osd): install it"},
		{"a language not installed", installed, ocrFlags{mode: "auto", langs: []string{"chi_sim", "fra"}, timeout: time.Minute}, ocr.Config{},
			"--ocr-lang: fra is not installed in Tesseract (installed: chi_sim, eng, osd)"},
		{"a command not there", installed, ocrFlags{mode: "auto", command: "/nowhere/tesseract", timeout: time.Minute}, ocr.Config{},
			"--ocr-command: tesseract not found: exec: \"/nowhere/tesseract\""},
		{"a bad mode", installed, ocrFlags{mode: "yes", timeout: time.Minute}, ocr.Config{}, `--ocr "yes": expected auto, on or off`},
		{"no time", installed, ocrFlags{mode: "on"}, ocr.Config{}, "--ocr-timeout must be positive, got 0s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := fakeTesseract(t, tt.langs)
			g := &globals{log: zerolog.Nop()}
			got, err := tt.flags.config(g)
			if tt.wantErr != "" {
				if ee, ok := err.(*exitError); !ok || ee.code != exitUsage || !strings.HasPrefix(ee.msg, tt.wantErr) {
					t.Fatalf("got %+v, %v; want exit 3 with %q", got, err, tt.wantErr)
				}
				return
			}
			if tt.want.Command == "found" {
				tt.want.Command = path
			}
			if err != nil || !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
			}
		})
	}
}

// --ocr on without Tesseract stops a scan before it starts (exit 3), set
// on the command line or in a config file, which the message names; in
// Chinese too.
func TestOCROnWithoutTesseract(t *testing.T) {
	file := filepath.Join(t.TempDir(), "notice.txt")
	if err := os.WriteFile(file, []byte("会议通知"), 0o644); err != nil {
		t.Fatal(err)
	}
	sys, _ := withConfig(t, "ocr: on\n", "")
	fakeTesseract(t, nil)
	for _, tt := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"scan", "--in-process", file}, exitUsage, "baomi: " + sys + ":1: --ocr on: Tesseract was not found"},
		{[]string{"scan", "--in-process", "--lang", "zh", file}, exitUsage, "baomi: " + sys + ":1：--ocr on：未找到Tesseract（PATH中找不到tesseract）：请安装Tesseract（Debian、麒麟、统信UOS：apt-get install tesseract-ocr"},
		{[]string{"audit", "--no-cache", "--ocr", "on", "--in-process", file}, exitUsage, "baomi: --ocr on: Tesseract was not found"},
		{[]string{"scan", "--in-process", "--ocr", "auto", file}, exitClean, ""},
	} {
		_, errOut, code := runIn(tt.args...)
		if code != tt.code || !strings.HasPrefix(errOut, tt.want) {
			t.Errorf("baomi %q: exit %d, %q; want %d, %q", tt.args, code, errOut, tt.code, tt.want)
		}
	}
}

// baomi version says whether pictures are read, with which Tesseract and
// languages, or how to install it.
func TestVersionOCR(t *testing.T) {
	withConfig(t, "", "")
	for _, tt := range []struct {
		langs []string
		lang  report.Lang
		want  string
	}{
		{[]string{"chi_sim", "chi_sim_vert", "eng", "osd"}, report.English, "OCR: Tesseract 5.3.0 at %s, languages chi_sim, chi_sim_vert, eng, osd, reading with chi_sim\n"},
		{[]string{"osd"}, report.English, "OCR: Tesseract 5.3.0 at %s has none of chi_sim, chi_sim_vert, eng (languages: osd): pictures are not read\n"},
		{nil, report.English, "OCR: not available (tesseract not found on PATH): pictures are not read and files with pictures stay review. To read them, install it (Debian, Kylin, UOS: apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert."},
		{nil, report.Chinese, "文字识别（OCR）：不可用（PATH中找不到tesseract）：不识别图片，含图片的文件需人工复核。如需识别，请安装Tesseract（Debian、麒麟、统信UOS：apt-get install"},
	} {
		path := fakeTesseract(t, tt.langs)
		out, errOut, code := runIn("version", "--lang", string(tt.lang))
		want := strings.Replace(tt.want, "%s", path, 1)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("version with %v (%s): exit %d, stderr %q, output\n%s\nwant %q", tt.langs, tt.lang, code, errOut, out, want)
		}
	}
}

// audit keeps results per OCR setting: the same setting is served from the
// cache, turning OCR on or changing its languages reads the files again.
func TestAuditCacheOCR(t *testing.T) {
	withConfig(t, "", "")
	fakeTesseract(t, []string{"chi_sim", "eng"})
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "notice.txt"), []byte("会议通知"), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(t.TempDir(), "cache.db")
	for i, step := range []struct {
		ocr             []string
		served, scanned int
	}{
		{[]string{"--ocr", "off"}, 0, 1},
		{[]string{"--ocr", "off"}, 1, 0},
		{[]string{"--ocr", "on"}, 0, 1},
		{[]string{"--ocr", "on"}, 1, 0},
		{[]string{"--ocr", "on", "--ocr-lang", "chi_sim+eng"}, 0, 1},
		{[]string{"--ocr", "off"}, 1, 0},
	} {
		args := append([]string{"audit", "--db", db, "--in-process", "--log-level", "info"}, step.ocr...)
		_, stderr, code := runIn(append(args, dir)...)
		st := statsOf(t, stderr)
		if code != 0 || st.Served != step.served || st.Scanned != step.scanned {
			t.Errorf("audit %d (%q): exit %d, served %d, scanned %d; want 0, %d, %d", i+1, step.ocr, code, st.Served, st.Scanned, step.served, step.scanned)
		}
	}
}

// slowOCR is an Engine that takes 300 ms a picture and reads a marking.
type slowOCR struct{}

func (slowOCR) Recognize(ctx context.Context, img image.Image) (ocr.Result, error) {
	select {
	case <-time.After(300 * time.Millisecond):
	case <-ctx.Done():
		return ocr.Result{}, ctx.Err()
	}
	return ocr.Result{Lines: []ocr.Line{{Text: "机密★5年", Conf: 90}}, Conf: 90}, nil
}

// scan6 is an Extractor that reads 6 pictures with slowOCR: 1.8 s.
type scan6 struct{ opt extract.Options }

func (x scan6) Extract(ctx context.Context, path string) (*extract.Document, error) {
	d := extract.NewText(extract.FormatPDF, x.opt)
	ctx = extract.WithEngine(ctx, slowOCR{})
	for page := 1; page <= 6; page++ {
		if _, err := d.ReadPicture(ctx, extract.Picture{Page: page, Image: image.NewGray(image.Rect(0, 0, 8, 8))}); err != nil {
			return nil, err
		}
	}
	d.ReviewPictures()
	return d.Document, nil
}

// In process (--in-process), as in the sandbox, each picture grows the
// file's time by a picture's, for at most MaxPages pictures.
func TestInProcessPictureTime(t *testing.T) {
	for _, tt := range []struct {
		maxPages int
		read     bool
	}{{0, true}, {1, false}} {
		opt := extract.DefaultOptions()
		opt.OCR.Timeout = time.Second
		if tt.maxPages > 0 {
			opt.MaxPages = tt.maxPages
		}
		// 0.5 s, and 1 s a picture: 6.5 s, or 1.5 s when one counts.
		doc, err := timed{scan6{opt}, 500 * time.Millisecond, opt}.Extract(context.Background(), "scan.pdf")
		if tt.read && (err != nil || doc.Pictures.Read != 6) {
			t.Errorf("MaxPages %d: got %v, %v; want the 6 pictures read", tt.maxPages, doc, err)
		}
		if !tt.read && extract.KindOf(err) != extract.KindTimeout {
			t.Errorf("MaxPages %d: got %v, %v; want a timeout", tt.maxPages, doc, err)
		}
	}
}
