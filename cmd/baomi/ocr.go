package main

import (
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner/ocr"
)

// ocrFlags choose whether and how text in pictures is read: scans, photos,
// pictures inside documents. They belong to every command that reads files
// (isolationFlags).
type ocrFlags struct {
	mode    string // auto, on, off
	langs   []string
	timeout time.Duration
	command string
	found   func() (ocr.Info, error) // set by prefetch
}

func (f *ocrFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.mode, "ocr", "auto", "read text in pictures (scans, photos, pictures inside documents) with Tesseract: auto (when it is installed), on (exit 3 without it) or off")
	fl.StringSliceVar(&f.langs, "ocr-lang", nil, "Tesseract languages to read pictures with, e.g. chi_sim,eng (default: those of chi_sim, chi_sim_vert and eng installed)")
	fl.DurationVar(&f.timeout, "ocr-timeout", ocr.DefaultTimeout, "most time reading one picture may take; a file's time limit grows by as much for each picture it has read")
	fl.StringVar(&f.command, "ocr-command", "", "the Tesseract `PROGRAM` to run, a path or a name on PATH (default: tesseract)")
}

// prefetch starts looking for Tesseract in the background, while the
// policy loads: that runs it twice, tens of milliseconds a scan of one file
// would otherwise wait for.
func (f *ocrFlags) prefetch() {
	if f.found != nil || f.mode == "off" {
		return
	}
	done := make(chan struct{})
	var info ocr.Info
	var err error
	go func() {
		defer close(done)
		info, err = ocr.Find(f.command)
	}()
	f.found = func() (ocr.Info, error) {
		<-done
		return info, err
	}
}

// installTesseract says how to get Tesseract, for the messages that miss it.
const installTesseract = "install it (Debian, Kylin, UOS: apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-sim-vert. Windows: the installer from https://github.com/UB-Mannheim/tesseract/wiki, with the Chinese languages) or give its path with --ocr-command"

// config resolves the flags into the OCR settings the readers are given:
// off, or Tesseract found with the languages to read with. --ocr auto
// without Tesseract reads no pictures (files with pictures stay review);
// --ocr on without it, a program --ocr-command names that is not
// Tesseract, or a language not installed are usage errors.
func (f *ocrFlags) config(g *globals) (ocr.Config, error) {
	switch f.mode {
	case "off":
		return ocr.Config{}, nil
	case "auto", "on":
	default:
		return ocr.Config{}, usageErr("--ocr %q: expected auto, on or off", f.mode)
	}
	if f.timeout <= 0 {
		return ocr.Config{}, usageErr("--ocr-timeout must be positive, got %v", f.timeout)
	}
	f.prefetch()
	info, err := f.found()
	switch {
	case err == nil:
	case f.command != "":
		return ocr.Config{}, usageErr("--ocr-command: %v: %s", err, installTesseract)
	case f.mode == "on":
		return ocr.Config{}, usageErr("--ocr on: Tesseract was not found (%v): %s", err, installTesseract)
	default:
		g.log.Info().Str("error", err.Error()).Msg("OCR off: Tesseract was not found, pictures are not read")
		return ocr.Config{}, nil
	}
	var langs []string
	for _, l := range f.langs {
		langs = append(langs, strings.Split(l, "+")...) // chi_sim+eng, as Tesseract writes it
	}
	for _, l := range langs {
		if !slices.Contains(info.Langs, l) {
			return ocr.Config{}, usageErr("--ocr-lang: %s is not installed in Tesseract (installed: %s)", l, strings.Join(info.Langs, ", "))
		}
	}
	if len(langs) == 0 {
		if langs = ocr.DefaultLangs(info.Langs); len(langs) == 0 {
			if f.mode == "on" {
				return ocr.Config{}, usageErr("--ocr on: Tesseract has none of chi_sim, chi_sim_vert, eng (installed: %s): %s", strings.Join(info.Langs, ", "), installTesseract)
			}
			g.log.Warn().Strs("installed", info.Langs).Msg("OCR off: Tesseract has none of chi_sim, chi_sim_vert, eng")
			return ocr.Config{}, nil
		}
	}
	g.log.Info().Str("command", info.Command).Str("version", info.Version).Strs("langs", langs).Msg("OCR on")
	return ocr.Config{Command: info.Command, Langs: langs, Timeout: f.timeout}, nil
}
