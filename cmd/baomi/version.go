package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/ocr"
	"github.com/baomi/baomi/scanner/sandbox"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print baomi's version, the default policy's hash and whether OCR is available",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(g.stdout, "baomi %s %s %s/%s\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			if p, err := policies.Default(); err == nil {
				g.printf(g.stdout, "default policy: %d rules, hash %s\n", len(p.Rules), p.Hash[:16])
			}
			g.printf(g.stdout, "file memory limit enforced by %s\n", sandbox.MemoryEnforcement())
			printOCR(g)
			return nil
		},
	}
}

// printOCR says whether pictures are read by OCR under --ocr auto: which
// Tesseract (the config file's ocr-command, else tesseract on PATH), its
// languages and those read with, or how to install it.
func printOCR(g *globals) {
	var command string
	if s, ok := g.config.settings["ocr-command"]; ok && len(s.values) == 1 {
		command = s.values[0]
	}
	info, err := ocr.Find(command)
	if err != nil {
		g.printf(g.stdout, "OCR: not available (%s): pictures are not read and files with pictures stay review. To read them, %s\n", err, installTesseract)
		return
	}
	langs := ocr.DefaultLangs(info.Langs)
	if len(langs) == 0 {
		g.printf(g.stdout, "OCR: Tesseract %s at %s has none of chi_sim, chi_sim_vert, eng (languages: %s): pictures are not read\n", info.Version, info.Command, strings.Join(info.Langs, ", "))
		return
	}
	g.printf(g.stdout, "OCR: Tesseract %s at %s, languages %s, reading with %s\n", info.Version, info.Command, strings.Join(info.Langs, ", "), strings.Join(langs, "+"))
}

// versionString is baomi's version: set at build time, else the module's,
// else "(devel)".
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
