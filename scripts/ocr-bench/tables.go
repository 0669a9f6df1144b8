package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// printTables prints, per variant and for all of them, the figures of the
// engine read through baomi's matcher, then what OCR made of the stars.
func printTables(w io.Writer, pages []page, results []result) {
	marked := 0
	for _, p := range pages {
		if p.rule != "" {
			marked++
		}
	}
	fmt.Fprintf(w, "%d pages (%d marked, %d public) per variant, A4 at 300 dpi unless the variant says otherwise.\n\n", len(pages), marked, len(pages)-marked)
	fmt.Fprintln(w, "| variant | CER median | CER pooled | marking recall | public pages with a high finding | read with confidence | read turned | s/page median | s/page p90 | CPU s/page median | CPU s/page p90 |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	row := func(name string, rs []result) {
		var cers, secs, cpu []float64
		var edits, chars, found, marked, high, public, read, turned int
		for _, r := range rs {
			cers = append(cers, r.cer)
			secs = append(secs, r.secs)
			cpu = append(cpu, r.cpu)
			edits += r.edits
			chars += r.chars
			if r.read {
				read++
			}
			if r.turned != 0 {
				turned++
			}
			if r.page.rule != "" {
				marked++
				if r.found {
					found++
				}
			} else {
				public++
				if r.high {
					high++
				}
			}
		}
		fmt.Fprintf(w, "| %s | %.1f %% | %.1f %% | %d/%d | %d/%d | %d/%d | %d | %.1f | %.1f | %.1f | %.1f |\n", name,
			100*median(cers), 100*float64(edits)/float64(max(chars, 1)), found, marked, high, public, read, len(rs), turned, median(secs), quantile(secs, 0.9), median(cpu), quantile(cpu, 0.9))
	}
	var names []string
	by := map[string][]result{}
	for _, r := range results {
		if by[r.variant] == nil {
			names = append(names, r.variant)
		}
		by[r.variant] = append(by[r.variant], r)
	}
	for _, n := range names {
		row(n, by[n])
	}
	if len(names) > 1 {
		row("**all**", results)
	}

	// What stood for the star in the markings read.
	stars := map[string]int{}
	for _, r := range results {
		switch {
		case r.page.rule != "marking.classified":
		case !r.starAt:
			stars["(no level and period read)"]++
		case r.star == "":
			stars["(nothing)"]++
		default:
			stars[r.star]++
		}
	}
	keys := slices.SortedFunc(maps.Keys(stars), func(a, b string) int { return stars[b] - stars[a] })
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, stars[k]))
	}
	fmt.Fprintf(w, "\nThe star of the markings (level★period) read as: %s\n", strings.Join(parts, ", "))
}

// scanned is the part of `baomi scan --format json` read here.
type scanned struct {
	Files []struct {
		Path     string    `json:"path"`
		Verdict  string    `json:"verdict"`
		Reason   string    `json:"reason"`
		Findings []finding `json:"findings"`
	} `json:"files"`
}

// finding is the part of a finding read here.
type finding struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
}

// endToEnd scans the files made with a baomi binary, one call per variant
// and kind of file, and counts their verdicts.
func endToEnd(w io.Writer, baomi, args, out string, pages []page) error {
	rule := map[string]string{}
	for _, p := range pages {
		rule[p.name] = p.rule
	}
	fmt.Fprintln(w, "\nEnd to end: `baomi scan --format json "+args+"` on the files made.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| variant | file | files | clean | flagged | review | error | marked pages found | public pages with a high finding | s/file | CPU s/file |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	reasons := map[string]int{}
	for _, v := range variants {
		dir := filepath.Join(out, v.name)
		entries, err := os.ReadDir(dir)
		if err != nil {
			continue // a variant not made
		}
		byExt := map[string][]string{}
		for _, e := range entries {
			ext := strings.TrimPrefix(filepath.Ext(e.Name()), ".")
			byExt[ext] = append(byExt[ext], filepath.Join(dir, e.Name()))
		}
		for _, ext := range slices.Sorted(maps.Keys(byExt)) {
			s, took, cpu, err := scan(baomi, args, byExt[ext])
			if err != nil {
				return err
			}
			t := tally{verdicts: map[string]int{}}
			for _, f := range s.Files {
				t.add(f.Verdict, f.Reason, f.Findings, rule[strings.TrimSuffix(filepath.Base(f.Path), "."+ext)], reasons)
			}
			n := float64(max(t.files, 1))
			fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %d | %d/%d | %d/%d | %.1f | %.1f |\n", v.name, ext, t.files,
				t.verdicts["clean"], t.verdicts["flagged"], t.verdicts["review"], t.verdicts["error"], t.found, t.marked, t.high, t.public, took/n, cpu/n)
		}
	}
	fmt.Fprintln(w, "\nReasons given:")
	for _, k := range slices.Sorted(maps.Keys(reasons)) {
		fmt.Fprintf(w, "- %s (%d files)\n", k, reasons[k])
	}
	return nil
}

// scan runs `baomi scan --format json` on files and returns its report,
// its wall time and its CPU time in seconds (baomi's, with that of the
// extraction children and tesseract runs it waited for).
func scan(baomi, args string, files []string) (s scanned, wall, cpu float64, err error) {
	cmd := exec.Command(baomi, append(append([]string{"scan", "--format", "json"}, strings.Fields(args)...), files...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err = cmd.Run()
	wall = time.Since(start).Seconds()
	if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 && code != 2 {
		return s, 0, 0, fmt.Errorf("baomi scan: %v: %s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
		return s, 0, 0, fmt.Errorf("baomi scan: %v", err)
	}
	cpu = (cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()).Seconds()
	return s, wall, cpu, nil
}

// tally counts the verdicts of one kind of file in one variant.
type tally struct {
	files, found, marked, high, public int
	verdicts                           map[string]int
}

// add counts one file, whose page must be found by rule ("" for a public
// page), and its reason in reasons.
func (t *tally) add(verdict, reason string, findings []finding, rule string, reasons map[string]int) {
	t.files++
	t.verdicts[verdict]++
	if reason != "" {
		reasons[verdict+": "+reason]++
	}
	found, high := false, false
	for _, x := range findings {
		found = found || x.Rule == rule
		high = high || x.Severity == "high"
	}
	if rule != "" {
		t.marked++
		if found {
			t.found++
		}
	} else {
		t.public++
		if high {
			t.high++
		}
	}
}
