// Command ocr-bench measures how well baomi reads scanned pages. It makes a
// set of scanned Chinese pages from baomi's own samples (four marked as GB/T
// 9704 places a marking, four public), each in eleven variants (clean 300
// dpi, noise, skew, JPEG 80 and 60, CCITT G4, a phone photo, 200 and 150
// dpi, turned 90° and 180°), reads every one with the OCR engine and the
// default policy's matcher as baomi reads a picture, and prints per
// variant the character error rate against the true text, the marking
// recall, the false alarms on public pages and the seconds per page.
//
//	nice -n 10 go run ./scripts/ocr-bench [-out DIR] [-baomi BIN]
//
// With -baomi it also scans the files it made (PNG, JPEG, TIFF, PDF, DOCX)
// with that baomi binary, end to end, and counts verdicts. It needs
// tesseract with chi_sim, pdftoppm and pdftotext (poppler-utils),
// ImageMagick's convert and the Noto CJK fonts; it runs one tesseract at a
// time.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	_ "image/jpeg" // decode the variants' files as the engine reads them
	_ "image/png"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	_ "golang.org/x/image/tiff"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
	"github.com/baomi/baomi/scanner/ocr"
)

// options are the command's flags.
type options struct {
	out, repo, tess, langs, only string
	baomi, scanArgs              string
	makeOnly                     bool
	rematch                      string
}

func main() {
	var o options
	flag.StringVar(&o.out, "out", "", "folder to write the scanned pages to (default: a temporary folder, removed at the end)")
	flag.StringVar(&o.repo, "repo", ".", "the baomi repository, whose samples the pages are made from")
	flag.StringVar(&o.tess, "tesseract", "", "the tesseract program (default: found on PATH)")
	flag.StringVar(&o.langs, "langs", "", "the models to read with, comma-separated (default: the engine's choice)")
	flag.StringVar(&o.only, "variants", "", "comma-separated variants to run (default: all)")
	flag.StringVar(&o.baomi, "baomi", "", "a baomi binary to scan the files with, end to end")
	flag.StringVar(&o.scanArgs, "scan-args", "-j 1", "arguments added to `baomi scan --format json`")
	flag.BoolVar(&o.makeOnly, "make-only", false, "make the files (with -out, or for -baomi) without reading them with the engine here")
	flag.StringVar(&o.rematch, "rematch", "", "match again what a previous run (its -out `DIR`) read, with this tree's matcher, instead of reading the pages again")
	flag.Parse()
	if err := run(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "ocr-bench:", err)
		os.Exit(1)
	}
}

// need checks the programs the bench runs, saying how to install them.
func need(tess string) (string, error) {
	for _, t := range [][2]string{{"pdftoppm", "poppler-utils"}, {"pdftotext", "poppler-utils"}} {
		if _, err := exec.LookPath(t[0]); err != nil {
			return "", fmt.Errorf("%s not found; install it: apt-get install -y %s", t[0], t[1])
		}
	}
	// Some machines put a stand-in called convert first on PATH.
	if v, _ := exec.Command("convert", "-version").Output(); !bytes.Contains(v, []byte("ImageMagick")) {
		return "", fmt.Errorf("ImageMagick's convert not found; install it: apt-get install -y imagemagick")
	}
	if tess == "" {
		var err error
		if tess, err = exec.LookPath("tesseract"); err != nil {
			return "", fmt.Errorf("tesseract not found; install it: apt-get install -y tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert")
		}
	}
	return tess, nil
}

// timed is the engine that times each picture, in wall and CPU time, and
// keeps what it read.
type timed struct {
	e         ocr.Engine
	took, cpu time.Duration
	last      ocr.Result
}

func (t *timed) Recognize(ctx context.Context, img image.Image) (ocr.Result, error) {
	start, cpu := time.Now(), cpuTime()
	r, err := t.e.Recognize(ctx, img)
	t.took, t.cpu, t.last = time.Since(start), cpuTime()-cpu, r
	return r, err
}

// result is one page in one variant, read.
type result struct {
	page    *page
	variant string
	secs    float64
	cpu     float64 // CPU seconds: the engine's and tesseract's
	conf    float64
	read    bool // with confidence: the picture counts as read
	turned  int  // degrees the engine turned the picture to read it
	cer     float64
	chars   int // counted characters of the truth
	edits   int
	verdict scanner.Verdict
	found   bool // the page's rule was found (marked pages)
	high    bool // a high finding (public pages: a false alarm)
	rules   []string
	text    string // what was read, as baomi matches it
	star    string // what OCR made of the star
	starAt  bool   // a marking was found in the text to read the star from
}

func run(w io.Writer, o options) error {
	tess, err := need(o.tess)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "ocr-bench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := o.out
	if out == "" {
		out = filepath.Join(tmp, "pages")
	}
	pages, err := sourcePages(o.repo, tmp)
	if err != nil {
		return err
	}
	pol, err := policies.Default()
	if err != nil {
		return err
	}
	m, err := match.Compile(pol)
	if err != nil {
		return err
	}
	sc := scanner.New(m, scanner.Options{})
	if err := checkTruth(sc, pages); err != nil {
		return err
	}
	if o.rematch != "" {
		results, err := rematch(sc, pages, o.rematch)
		if err != nil {
			return err
		}
		printTables(w, pages, results)
		return nil
	}
	cfg := ocr.Config{Command: tess}
	if o.langs != "" {
		cfg.Langs = strings.Split(o.langs, ",")
	}
	eng := &timed{e: ocr.NewTesseract(cfg)}
	var results []result
	for vi, v := range variants {
		if o.only != "" && !slices.Contains(strings.Split(o.only, ","), v.name) {
			continue
		}
		dir := filepath.Join(out, v.name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		for pi := range pages {
			p := &pages[pi]
			rng := rand.New(rand.NewPCG(uint64(pi), uint64(vi)))
			data, err := v.make(p.img, rng, tmp)
			if err != nil {
				return fmt.Errorf("%s %s: %v", v.name, p.name, err)
			}
			if err := writeFiles(dir, p.name, v, data); err != nil {
				return fmt.Errorf("%s %s: %v", v.name, p.name, err)
			}
			if o.makeOnly {
				continue
			}
			img, _, err := image.Decode(bytes.NewReader(data))
			if err != nil {
				return fmt.Errorf("%s %s: decoding what was made: %v", v.name, p.name, err)
			}
			r, err := readPage(sc, eng, p, img)
			if err != nil {
				return fmt.Errorf("%s %s: %v", v.name, p.name, err)
			}
			r.variant = v.name
			if err := writeText(filepath.Join(out, "ocr-text", v.name, p.name+".txt"), r.text); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "%-7s %-13s %5.1fs %5.1fs CPU conf %4.1f CER %5.3f %s %s\n", v.name, p.name, r.secs, r.cpu, r.conf, r.cer, r.verdict, strings.Join(r.rules, ","))
			results = append(results, r)
		}
	}
	if !o.makeOnly {
		if err := writeTSV(filepath.Join(out, "results.tsv"), results); err != nil {
			return err
		}
		printTables(w, pages, results)
	}
	if o.baomi != "" {
		return endToEnd(w, o.baomi, o.scanArgs, out, pages)
	}
	return nil
}

// readPage reads one picture as baomi reads a picture file: Text.ReadPicture
// with the engine, then the scanner's check of the document.
func readPage(sc *scanner.Scanner, eng *timed, p *page, img image.Image) (result, error) {
	t := extract.NewText(extract.FormatImage, extract.DefaultOptions())
	why, err := t.ReadPicture(extract.WithEngine(context.Background(), eng), extract.Picture{Image: img})
	if err != nil {
		return result{}, err
	}
	read := why == ""
	t.ReviewPictures()
	r := judge(sc, p, t.Document)
	r.secs, r.cpu, r.conf, r.turned, r.read = eng.took.Seconds(), eng.cpu.Seconds(), eng.last.Conf, eng.last.Rotation, read
	return r, nil
}

// judge matches what was read of p, as the scanner checks a document, and
// measures it against p's truth.
func judge(sc *scanner.Scanner, p *page, doc *extract.Document) result {
	var lines []string
	for _, s := range doc.Segments {
		lines = append(lines, s.Text)
	}
	text := strings.Join(lines, "\n")
	res := sc.Check(p.name, doc, nil)
	r := result{page: p, text: text, verdict: res.Verdict}
	truth := counted(p.truth)
	r.chars = len(truth)
	r.edits = editDistance(counted(text), truth)
	r.cer = cer(text, p.truth)
	for _, f := range res.Findings {
		r.rules = append(r.rules, fmt.Sprintf("%s:%s", f.Rule, f.Severity))
		r.found = r.found || f.Rule == p.rule
		r.high = r.high || f.Severity == policies.High
	}
	if p.rule != "" {
		r.star, r.starAt = starRead(text)
	}
	return r
}

// pictureDoc is the document baomi makes of a picture file from which OCR
// read text, with the Review sentence of a picture read without confidence.
func pictureDoc(text string, read bool) *extract.Document {
	doc := &extract.Document{Format: extract.FormatImage}
	if text != "" {
		doc.Segments = []extract.Segment{{Part: extract.PartPicture, Text: text}}
	}
	if !read {
		doc.Review = extract.PicturesReview(1, extract.WhyNotConfident)
	}
	return doc
}

// rematch matches again what the run that wrote dir read, with the
// figures it measured (seconds, confidence): a matcher's change measured
// on the same OCR output.
func rematch(sc *scanner.Scanner, pages []page, dir string) ([]result, error) {
	b, err := os.ReadFile(filepath.Join(dir, "results.tsv"))
	if err != nil {
		return nil, err
	}
	byName := map[string]*page{}
	for i := range pages {
		byName[pages[i].name] = &pages[i]
	}
	var results []result
	for _, row := range strings.Split(strings.TrimSpace(string(b)), "\n")[1:] {
		f := strings.Split(row, "\t")
		p := byName[f[1]]
		if len(f) < 8 || p == nil {
			return nil, fmt.Errorf("%s: a row not written by this bench: %q", dir, row)
		}
		text, err := os.ReadFile(filepath.Join(dir, "ocr-text", f[0], f[1]+".txt"))
		if err != nil {
			return nil, err
		}
		r := judge(sc, p, pictureDoc(string(text), f[5] == "true"))
		r.variant, r.read = f[0], f[5] == "true"
		fmt.Sscan(f[3], &r.secs)
		fmt.Sscan(f[4], &r.conf)
		fmt.Sscan(f[6], &r.turned)
		fmt.Sscan(f[7], &r.cpu)
		results = append(results, r)
	}
	return results, nil
}

// checkTruth makes sure the set measures what it says: the true text of
// each marked page, read as a picture's text, is found by its rule, and
// that of each public page has no high finding.
func checkTruth(sc *scanner.Scanner, pages []page) error {
	for i := range pages {
		p := &pages[i]
		switch r := judge(sc, p, pictureDoc(p.truth, true)); {
		case p.rule != "" && !r.found:
			return fmt.Errorf("page %s: its true text is not found by %s", p.name, p.rule)
		case p.rule == "" && r.high:
			return fmt.Errorf("public page %s: its true text has a high finding", p.name)
		}
	}
	return nil
}

// writeFiles writes a page's file in a variant and, for the end-to-end
// scan, the same picture in the containers it also comes in: a G4 or JPEG
// scan as a scanner's PDF, the clean page inside a DOCX.
func writeFiles(dir, name string, v variant, data []byte) error {
	base := filepath.Join(dir, name)
	if err := os.WriteFile(base+"."+v.ext, data, 0o644); err != nil {
		return err
	}
	switch v.name {
	case "g4":
		w, h, g4, err := tiffStrip(data)
		if err != nil {
			return err
		}
		return os.WriteFile(base+".pdf", imagePDF(g4, w, h, "CCITTFaxDecode", 1, "DeviceGray"), 0o644)
	case "jpeg80", "photo":
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return err
		}
		space := "DeviceGray"
		if v.name == "photo" {
			space = "DeviceRGB"
		}
		return os.WriteFile(base+".pdf", imagePDF(data, cfg.Width, cfg.Height, "DCTDecode", 8, space), 0o644)
	case "clean":
		d, err := pictureDOCX(data)
		if err != nil {
			return err
		}
		return os.WriteFile(base+".docx", d, 0o644)
	}
	return nil
}

// writeText keeps what was read from a page, to look at (outside the
// variants' folders, which the end-to-end scan reads).
func writeText(path, text string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, []byte(text), 0o644)
}

// writeTSV keeps every page's figures beside the pictures.
func writeTSV(path string, results []result) error {
	var b strings.Builder
	b.WriteString("variant\tpage\trule\tseconds\tconf\tread\tturned\tcpu\tcer\tverdict\tfound\thigh\tstar\tfindings\n")
	for _, r := range results {
		fmt.Fprintf(&b, "%s\t%s\t%s\t%.2f\t%.1f\t%v\t%d\t%.2f\t%.4f\t%s\t%v\t%v\t%q\t%s\n", r.variant, r.page.name, r.page.rule,
			r.secs, r.conf, r.read, r.turned, r.cpu, r.cer, r.verdict, r.found, r.high, r.star, strings.Join(r.rules, ","))
	}
	return writeText(path, b.String())
}
