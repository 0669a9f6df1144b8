package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"time"
)

// Info is what Find learnt of an installed Tesseract.
type Info struct {
	// Command is the program's path.
	Command string
	// Version is its version, as it prints it (5.3.0).
	Version string
	// Langs are the models it has, as Tesseract names them.
	Langs []string
}

// findTimeout bounds each question Find asks the program.
const findTimeout = 10 * time.Second

// Find looks for Tesseract: command when given (a path, or a name looked up
// on PATH), else tesseract on PATH; and asks it its version and languages.
func Find(command string) (Info, error) {
	if command == "" {
		command = "tesseract"
	}
	path, err := exec.LookPath(command)
	if err != nil {
		return Info{}, fmt.Errorf("%s not found", command)
	}
	info := Info{Command: path}
	out, err := ask(path, "--version")
	if err != nil {
		return Info{}, err
	}
	if f := strings.Fields(string(out)); len(f) >= 2 && f[0] == "tesseract" {
		info.Version = strings.TrimPrefix(f[1], "v")
	} else {
		return Info{}, fmt.Errorf("%s is not Tesseract", path)
	}
	if out, err = ask(path, "--list-langs"); err != nil {
		return Info{}, err
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" && !strings.Contains(l, " ") {
			info.Langs = append(info.Langs, l)
		}
	}
	slices.Sort(info.Langs)
	return info, nil
}

// ask runs path with one argument and returns what it printed, on stdout
// or stderr (older versions print their version on stderr).
func ask(path, arg string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), findTimeout)
	defer cancel()
	out, err := exec.CommandContext(ctx, path, arg).CombinedOutput()
	if err != nil {
		return nil, fmt.Errorf("%s %s failed: %v", path, arg, err)
	}
	return out, nil
}

// DefaultLangs are the languages read with when none is asked for: those
// of chi_sim, chi_sim_vert and eng that are installed.
func DefaultLangs(installed []string) []string {
	var langs []string
	for _, l := range []string{"chi_sim", "chi_sim_vert", "eng"} {
		if slices.Contains(installed, l) {
			langs = append(langs, l)
		}
	}
	return langs
}
