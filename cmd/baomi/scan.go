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
	"github.com/baomi/baomi/scanner/baseline"
	"github.com/baomi/baomi/scanner/match"
	"github.com/baomi/baomi/scanner/report"
)

// commonFlags are the flags scan and audit share.
type commonFlags struct {
	policy   policyFlags
	isolate  isolationFlags
	mask     bool
	showPII  bool
	failOn   string
	workers  int
	follow   bool
	baseline string
}

func (f *commonFlags) register(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.BoolVar(&f.mask, "mask", false, "show matched text as its first character and ＊")
	fl.BoolVar(&f.showPII, "show-pii", false, "show personal identifiers (identity, bank card, mobile numbers) in full; by default their middle digits are masked: 110105********002X")
	fl.StringVar(&f.failOn, "fail-on", "low", "lowest severity that makes the exit code 1: low, medium or high")
	fl.IntVarP(&f.workers, "workers", "j", runtime.NumCPU(), "files scanned at once")
	fl.BoolVar(&f.follow, "follow", false, "follow symbolic links to folders (loops are detected)")
	fl.StringVar(&f.baseline, "baseline", "", "hide the findings accepted in baseline `FILE` (made by 'baomi baseline'); new findings still show")
	f.policy.register(cmd)
	f.isolate.register(cmd)
}

// job is what a scan or an audit needs, made from commonFlags.
type job struct {
	m        *match.Matcher
	failOn   policies.Severity
	baseline *baseline.Baseline
}

// prepare checks the flags and loads the policy and the baseline; every
// problem is a usage error (exit 3), found before anything is scanned.
func (f *commonFlags) prepare() (*job, error) {
	f.isolate.ocr.prefetch()
	failOn, err := policies.ParseSeverity(f.failOn)
	if err != nil {
		return nil, usageErr("--fail-on: %v", err)
	}
	if f.workers < 1 {
		return nil, usageErr("--workers must be at least 1, got %d", f.workers)
	}
	j := &job{failOn: failOn}
	if f.baseline != "" {
		if j.baseline, err = baseline.Load(f.baseline); err != nil {
			return nil, usageErr("--baseline: %v", err)
		}
	}
	if j.m, err = f.policy.load(); err != nil {
		return nil, err
	}
	return j, nil
}

// tally returns the handler that counts results for this job and hands
// them to rep.
func (j *job) tally(g *globals, rep report.Reporter) *tally {
	return &tally{g: g, rep: rep, failOn: j.failOn, baseline: j.baseline}
}

// interruptible returns a context cancelled by Ctrl-C or SIGTERM; a second
// Ctrl-C ends baomi at once.
func interruptible() (context.Context, func()) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() { <-ctx.Done(); stop() }()
	return ctx, stop
}

type scanFlags struct {
	commonFlags
	format string
	output string
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
  baomi scan --policy office.yaml --fail-on medium draft.docx
  baomi scan --baseline accepted.json outgoing/`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runScan(g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.format, "format", "text", "output format: "+strings.Join(report.Formats, ", "))
	fl.StringVarP(&f.output, "output", "o", "", "write the report to `FILE` instead of standard output")
	f.commonFlags.register(cmd)
	return cmd
}

func runScan(g *globals, f *scanFlags, paths []string) error {
	j, err := f.prepare()
	if err != nil {
		return err
	}
	out, closeOut, err := openOutput(g, f.output)
	if err != nil {
		return err
	}
	rep, err := report.New(f.format, out, report.Options{Lang: g.lang, Mask: f.mask, Color: f.output == "" && isTerminal(g.stdout), Policy: j.m.Policy()})
	if err != nil {
		return usageErr("--format: %v", err)
	}
	x, stopX, err := f.isolate.extractor(g, f.workers)
	if err != nil {
		return err
	}
	defer stopX()
	sc := scanner.New(j.m, scanner.Options{Workers: f.workers, Extractor: x, Walk: scanner.WalkOptions{FollowSymlinks: f.follow}, ShowPII: f.showPII})

	ctx, stop := interruptible()
	defer stop()
	t := j.tally(g, rep)
	scanErr := sc.Scan(ctx, paths, t)
	return t.finish(scanErr, closeOut, f.format == "text" && (f.output == "" || f.output == "-"))
}

// tally hands results to the reporter and remembers what decides the exit code.
type tally struct {
	g          *globals
	rep        report.Reporter
	failOn     policies.Severity
	baseline   *baseline.Baseline     // nil: hide nothing
	after      func(r scanner.Result) // nil, or called after each result (progress)
	sum        scanner.Summary
	findings   int  // shown, after the baseline
	accepted   int  // review and error files the baseline accepted
	pictures   int  // read by OCR
	fail       bool // a finding at or above failOn
	incomplete bool // review, error, or a problem
	err        error
}

func (t *tally) Result(r scanner.Result) {
	accepted := false
	if t.baseline != nil {
		var hidden int
		r, hidden = t.baseline.Filter(r)
		t.sum.Baselined += hidden
		// A file a person checked stays review or error, says so, and
		// does not make the exit code 2 while its content is the same.
		if f, ok := t.baseline.Accepted(r); ok {
			accepted = true
			t.accepted++
			r.Reason = strings.TrimPrefix(r.Reason+"; "+f.Note(), "; ")
		}
	}
	t.findings += len(r.Findings)
	t.pictures += r.OCR
	t.sum.Add(&r)
	if t.after != nil {
		defer t.after(r)
	}
	t.g.log.Debug().Object("file", r).Msg("scanned")
	if r.MaxSeverity() >= t.failOn {
		t.fail = true
	}
	if (r.Verdict == scanner.Review || r.Verdict == scanner.Error) && !accepted {
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

// finish closes the report and its output, and returns the exit code for
// the scan's error and what was found; note says to tell on the report's
// text output how many findings the baseline hid.
func (t *tally) finish(scanErr error, closeOut func() error, note bool) error {
	if err := t.rep.Close(t.sum); err != nil && t.err == nil {
		t.err = err
	}
	if note && t.sum.Baselined > 0 && t.err == nil {
		msg := fmt.Sprintf("%d findings accepted in the baseline are not shown.", t.sum.Baselined)
		if t.sum.Baselined == 1 {
			msg = "1 finding accepted in the baseline is not shown."
		}
		_, t.err = fmt.Fprintln(t.g.stdout, say(t.g.lang, msg))
	}
	if note && t.accepted > 0 && t.err == nil {
		msg := fmt.Sprintf("%d files accepted after review in the baseline do not count as incomplete.", t.accepted)
		if t.accepted == 1 {
			msg = "1 file accepted after review in the baseline does not count as incomplete."
		}
		_, t.err = fmt.Fprintln(t.g.stdout, say(t.g.lang, msg))
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
	return file, func() error { return closeReport(file) }, nil
}

// closeReport syncs a report written to a regular file, so that it
// survives a crash (a device such as /dev/null cannot be synced, and need
// not be), and closes it.
func closeReport(file *os.File) error {
	if st, err := file.Stat(); err == nil && st.Mode().IsRegular() {
		if err := file.Sync(); err != nil {
			file.Close()
			return fmt.Errorf("%s: %w", file.Name(), err)
		}
	}
	return file.Close()
}
