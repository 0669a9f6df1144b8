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
		Path     string `json:"path"`
		Verdict  string `json:"verdict"`
		Reason   string `json:"reason"`
		Findings []struct {
			Rule     string `json:"rule"`
			Severity string `json:"severity"`
		} `json:"findings"`
	} `json:"files"`
}

// endToEnd scans the files made with a baomi binary, one variant folder at
// a time, and counts verdicts per variant and kind of file.
func endToEnd(w io.Writer, baomi, args, out string, pages []page) error {
	rule := map[string]string{}
	for _, p := range pages {
		rule[p.name] = p.rule
	}
	fmt.Fprintln(w, "\nEnd to end: `baomi scan --format json "+args+"` on the files made.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| variant | file | files | clean | flagged | review | error | marked pages found | public pages with a high finding | s/file |")
	fmt.Fprintln(w, "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
	reasons := map[string]int{}
	for _, v := range variants {
		dir := filepath.Join(out, v.name)
		if _, err := os.Stat(dir); err != nil {
			continue
		}
		cmd := exec.Command(baomi, append(append([]string{"scan", "--format", "json"}, strings.Fields(args)...), dir)...)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		start := time.Now()
		err := cmd.Run()
		took := time.Since(start).Seconds()
		if code := cmd.ProcessState.ExitCode(); err != nil && code != 1 && code != 2 {
			return fmt.Errorf("baomi scan %s: %v: %s", dir, err, stderr.String())
		}
		var s scanned
		if err := json.Unmarshal(stdout.Bytes(), &s); err != nil {
			return fmt.Errorf("baomi scan %s: %v", dir, err)
		}
		type tally struct {
			files, found, marked, high, public int
			verdicts                           map[string]int
		}
		byExt := map[string]*tally{}
		var exts []string
		for _, f := range s.Files {
			ext := strings.TrimPrefix(filepath.Ext(f.Path), ".")
			name := strings.TrimSuffix(filepath.Base(f.Path), "."+ext)
			t := byExt[ext]
			if t == nil {
				t = &tally{verdicts: map[string]int{}}
				byExt[ext] = t
				exts = append(exts, ext)
			}
			t.files++
			t.verdicts[f.Verdict]++
			if f.Reason != "" {
				reasons[f.Verdict+": "+f.Reason]++
			}
			found, high := false, false
			for _, x := range f.Findings {
				found = found || x.Rule == rule[name]
				high = high || x.Severity == "high"
			}
			if rule[name] != "" {
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
		slices.Sort(exts)
		for _, e := range exts {
			t := byExt[e]
			fmt.Fprintf(w, "| %s | %s | %d | %d | %d | %d | %d | %d/%d | %d/%d | %.1f |\n", v.name, e, t.files,
				t.verdicts["clean"], t.verdicts["flagged"], t.verdicts["review"], t.verdicts["error"], t.found, t.marked, t.high, t.public, took/float64(len(s.Files)))
		}
	}
	fmt.Fprintln(w, "\nReasons given:")
	for _, k := range slices.Sorted(maps.Keys(reasons)) {
		fmt.Fprintf(w, "- %s (%d files)\n", k, reasons[k])
	}
	return nil
}
