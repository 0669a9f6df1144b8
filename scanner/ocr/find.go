package ocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Info is what Find learnt of a Tesseract program.
type Info struct {
	// Command is the program's path.
	Command string
	// Version is as the program gives it ("5.3.0").
	Version string
	// Langs are its installed models, as it lists them (osd included).
	Langs []string
}

// findTimeout bounds each of Find's runs of the program.
const findTimeout = 10 * time.Second

// Find looks for the Tesseract program command ("" looks for tesseract on
// PATH and, on Windows, where its installer puts it), and asks it its
// version and languages. It fails when there is none or it is not
// Tesseract 4 or later (the LSTM models chi_sim and chi_sim_vert need 4).
func Find(command string) (Info, error) {
	path, err := lookPath(command)
	if err != nil {
		return Info{}, err
	}
	out, err := query(path, "--version")
	if err != nil {
		return Info{}, fmt.Errorf("%s is not Tesseract 4 or later: %v", path, err)
	}
	version, ok := parseVersion(out)
	if !ok {
		return Info{}, fmt.Errorf("%s is not Tesseract 4 or later", path)
	}
	out, err = query(path, "--list-langs")
	if err != nil {
		return Info{}, fmt.Errorf("%s: listing its languages: %v", path, err)
	}
	return Info{Command: path, Version: version, Langs: parseLangs(out)}, nil
}

// lookPath finds command, or tesseract when command is "".
func lookPath(command string) (string, error) {
	if command != "" {
		p, err := exec.LookPath(command)
		if err != nil {
			return "", fmt.Errorf("tesseract not found: %v", err)
		}
		return p, nil
	}
	if p, err := exec.LookPath("tesseract"); err == nil {
		return p, nil
	}
	if runtime.GOOS == "windows" {
		// The installer (UB Mannheim's) does not add itself to PATH.
		p := filepath.Join(os.Getenv("ProgramFiles"), "Tesseract-OCR", "tesseract.exe")
		if st, err := os.Stat(p); err == nil && !st.IsDir() {
			return p, nil
		}
	}
	return "", errors.New("tesseract not found on PATH")
}

// query runs path with one argument and returns what it printed: Tesseract
// 4 prints its version and languages on stderr, 5 on stdout.
func query(path, arg string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), findTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, arg)
	cmd.WaitDelay = time.Second
	var out capped
	out.max = 1 << 16
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", err
	}
	return out.String(), nil
}

// parseVersion takes the version from the first line of tesseract
// --version ("tesseract 5.3.0", "tesseract v5.3.0.20221214" on Windows),
// and reports whether it is 4 or later.
func parseVersion(out string) (string, bool) {
	first, _, _ := strings.Cut(strings.TrimSpace(out), "\n")
	f := strings.Fields(first)
	if len(f) < 2 || f[0] != "tesseract" {
		return "", false
	}
	major, _, _ := strings.Cut(strings.TrimPrefix(f[1], "v"), ".")
	n, err := strconv.Atoi(major)
	return f[1], err == nil && n >= 4
}

// parseLangs takes the names from tesseract --list-langs, which follow a
// line "List of available languages in ...".
func parseLangs(out string) []string {
	var langs []string
	listed := false
	for l := range strings.Lines(out) {
		l = strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(l, "List of available languages"):
			listed = true
		case listed && l != "" && !strings.ContainsAny(l, " \t:"):
			langs = append(langs, l)
		}
	}
	return langs
}

// Models baomi reads with, in the order DefaultLangs gives them.
const (
	langChinese  = "chi_sim"
	langVertical = "chi_sim_vert"
	langEnglish  = "eng"
)

// DefaultLangs are the languages to read with when none are configured:
// chi_sim alone when it is installed, else eng. chi_sim reads Latin letters
// and digits well (CONFIDENTIAL, 2024-06-03); eng beside it makes
// Tesseract read whole Chinese lines as Latin gibberish (各科室 as "SAE",
// 机密★5年 as "NL ke SE": 66 of 264 rendered marking lines lost that way,
// docs/DETECTION.md). chi_sim_vert is left out: it reads horizontal text
// no better and costs a third more time (BENCHMARKS.md); the engine tries
// it on its own for a picture taller than wide that chi_sim reads little
// of.
func DefaultLangs(installed []string) []string {
	for _, l := range []string{langChinese, langEnglish} {
		if slices.Contains(installed, l) {
			return []string{l}
		}
	}
	return nil
}

// installed caches the languages of each program run, so that an engine
// made for each picture asks once per process.
var installed sync.Map // command → []string

// installedLangs returns the languages command lists, nil when it cannot
// say.
func installedLangs(command string) []string {
	if v, ok := installed.Load(command); ok {
		return v.([]string)
	}
	out, err := query(command, "--list-langs")
	var langs []string
	if err == nil {
		langs = parseLangs(out)
	}
	installed.Store(command, langs)
	return langs
}
