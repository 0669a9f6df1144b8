package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/report"
)

type scanFlags struct {
	policy  policyFlags
	isolate isolationFlags
	format  string
	output  string
	mask    bool
	failOn  string
	workers int
	follow  bool
}

func newScanCmd(g *globals) *cobra.Command {
	f := &scanFlags{}
	cmd := &cobra.Command{
		Use:   "scan FILE|DIR...",
		Short: "Check files before release and say whether each is safe",
		Long: `scan checks each file (folders are walked recursively) against the policy and
prints one verdict per file: clean, flagged, review (text may be incomplete),
error (could not be read) or skipped (no document text).

Exit codes: 0 clean (or findings only below --fail-on), 1 a finding at or above
--fail-on, 2 a file is review or error or a path does not exist, 3 usage or
policy error, 130 interrupted.`,
		Example: `  baomi scan 通知.docx 附件.pdf
  baomi scan --format json --output report.json outgoing/
  baomi scan --policy office.yaml --fail-on medium draft.docx`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	fl.BoolVar(&f.mask, "mask", false, "show matched text as its first character and ＊")
	fl.StringVar(&f.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: low, medium or high")
	fl.IntVarP(&f.workers, "workers", "j", runtime.NumCPU(), "files scanned at once")
	fl.BoolVar(&f.follow, "follow", false, "follow symbolic links to folders (loops are detected)")
	f.policy.register(cmd)
	f.isolate.register(cmd)
	return cmd
}

func runScan(g *globals, f *scanFlags, paths []string) error {
	failOn, err := policies.ParseSeverity(f.failOn)
	if err != nil {
		return usageErr("--fail-on: %v", err)
	}
	if f.workers < 1 {
		return usageErr("--workers must be at least 1, got %d", f.workers)
	}
	m, err := f.policy.load()
	if err != nil {
		return err
	}
	out, closeOut, err := openOutput(g, f.output)
	if err != nil {
		return err
	}
	rep, err := report.New(f.format, out, report.Options{Lang: g.lang, Mask: f.mask, Color: f.output == "" && isTerminal(g.stdout), Policy: m.Policy()})
	if err != nil {
		return usageErr("--format: %v", err)
	}
	x, stopX, err := f.isolate.extractor(g, f.workers)
	if err != nil {
		return err
	}
	defer stopX()
	sc := scanner.New(m, scanner.Options{Workers: f.workers, Extractor: x, Walk: scanner.WalkOptions{FollowSymlinks: f.follow}})

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() { <-ctx.Done(); stop() }() // a second Ctrl-C ends baomi at once

	t := &tally{g: g, rep: rep, failOn: failOn}
	scanErr := sc.Scan(ctx, paths, t)
	if err := rep.Close(t.sum); err != nil && t.err == nil {
		t.err = err
	}
	if err := closeOut(); err != nil && t.err == nil {
		t.err = err
	}
	if t.err != nil {
		return &exitError{code: exitIncomplete, msg: "writing the report: " + t.err.Error()}
	}
	if scanErr != nil {
		return &exitError{code: exitInterrupt, msg: "interrupted: the report lists only the files finished"}
	}
	return t.exit()
}

// tally hands results to the reporter and remembers what decides the exit code.
type tally struct {
	g          *globals
	rep        report.Reporter
	failOn     policies.Severity
	sum        scanner.Summary
	fail       bool // a finding at or above failOn
	incomplete bool // review, error, or a problem
	err        error
}

func (t *tally) Result(r scanner.Result) {
	t.sum.Add(&r)
	t.g.log.Debug().Object("file", r).Msg("scanned")
	if r.MaxSeverity() >= t.failOn {
		t.fail = true
	}
	if r.Verdict == scanner.Review || r.Verdict == scanner.Error {
		t.incomplete = true
	}
	if err := t.rep.File(r); err != nil && t.err == nil {
		t.err = err
	}
}

func (t *tally) Problem(p scanner.Problem) {
	t.incomplete = true
	t.g.log.Debug().Str("path", p.Path).Str("reason", p.Reason).Msg("not read")
	if err := t.rep.Problem(p); err != nil && t.err == nil {
		t.err = err
	}
}

// exit applies DESIGN.md's exit-code table (130 and 3 are handled before).
func (t *tally) exit() error {
	switch {
	case t.fail:
		return &exitError{code: exitFindings}
	case t.incomplete:
		return &exitError{code: exitIncomplete}
	}
	return nil
}

// openOutput returns where the report goes and a function that finishes it.
func openOutput(g *globals, path string) (io.Writer, func() error, error) {
	if path == "" || path == "-" {
		return g.stdout, func() error { return nil }, nil
	}
	file, err := os.Create(path)
	if err != nil {
		return nil, nil, usageErr("--output: %v", err)
	}
	return file, func() error {
		if err := file.Sync(); err != nil {
			file.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
		return file.Close()
	}, nil
}
