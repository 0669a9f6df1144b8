package main

import (
	"errors"
	"os"
	"os/user"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/cache"
	"github.com/baomi/baomi/scanner/report"
)

// The SQLite store is the engine's cache as it is.
var _ scanner.Cache = (*cache.Store)(nil)

type auditFlags struct {
	commonFlags
	include []string
	exclude []string
	maxSize string
	reports []string
	format  string
	title   string
	db      string
	noCache bool
	quiet   bool
}

func newAuditCmd(g *globals) *cobra.Command {
	f := &auditFlags{}
	cmd := &cobra.Command{
		Use:   "audit DIR...",
		Short: "Audit whole folders: reports to hand on, progress, fast re-audits",
		Long: `audit walks folders (include/exclude globs, .baomiignore files, --max-size),
scans every file found, writes reports (--report, the format taken from the
file's extension: .html .csv .json .jsonl .sarif), and prints on standard
output the files that need attention and a summary.

Results are kept in a cache database (--db; default under the user's cache
folder): a re-audit reads only files whose size or modification time changed
and scans only content or policy that changed. Flagged files are always read
again, because the database keeps no document text. Each audit is recorded
in a hash-chained history ('baomi history').

Exit codes as for scan: 0 clean, 1 a finding at or above --fail-on, 2 a file
is review or error or a path could not be entered, 3 usage, policy or
configuration error, 130 interrupted.`,
		Example: `  baomi audit --report audit.html --report audit.csv /srv/share
  baomi audit --exclude '**/archive/**' --max-size 200MiB --baseline accepted.json /srv/share
  baomi audit --report - --format sarif docs/ > audit.sarif`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAudit(g, f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringArrayVar(&f.include, "include", nil, "scan only files whose path below the folder, or name, matches `GLOB` (repeatable; ** crosses folders)")
	fl.StringArrayVar(&f.exclude, "exclude", nil, "leave out files and folders whose path below the folder, or name, matches `GLOB` (repeatable)")
	fl.StringVar(&f.maxSize, "max-size", "", "files larger than `SIZE` (e.g. 200MiB) are not read and get verdict error")
	fl.StringArrayVar(&f.reports, "report", nil, "write a report to `FILE`, format from its extension (.html .csv .json .jsonl .sarif); - for standard output in --format (repeatable)")
	fl.StringVar(&f.format, "format", "text", "format of standard output: "+strings.Join(report.Formats, ", ")+" (text lists only files that need attention)")
	fl.StringVar(&f.title, "title", "", "title of the HTML report")
	fl.StringVar(&f.db, "db", "", "cache database `PATH` (default: the user's cache folder, baomi/cache.db)")
	fl.BoolVar(&f.noCache, "no-cache", false, "neither use nor update the cache database, and record no history")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar on standard error")
	f.commonFlags.register(cmd)
	return cmd
}

// reportFormats maps report file extensions to formats.
var reportFormats = map[string]string{
	".html": "html", ".htm": "html", ".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".sarif": "sarif",
}

func runAudit(g *globals, f *auditFlags, paths []string) error {
	started := time.Now()
	j, err := f.prepare()
	if err != nil {
		return err
	}
	walk := scanner.WalkOptions{FollowSymlinks: f.follow, Include: f.include, Exclude: f.exclude, IgnoreFile: ".baomiignore"}
	if err := walk.Validate(); err != nil {
		return usageErr("--include/--exclude: %v", err)
	}
	if f.maxSize != "" {
		if walk.MaxSize, err = parseBytes(f.maxSize); err != nil {
			return usageErr("--max-size: %v", err)
		}
	}
	var store *cache.Store
	if !f.noCache {
		if store, err = openStore(g, f.db); err != nil {
			return err
		}
		defer store.Close()
	}
	by := whoWhere(paths)
	opt := report.Options{Lang: g.lang, Mask: f.mask, Policy: j.m.Policy(), Title: f.title, Generated: started,
		Paths: paths, Host: by.host, User: by.user} // paths as given: the results' paths start with them
	rep, closeOut, err := f.openReports(g, opt)
	if err != nil {
		return err
	}
	x, stopX, err := f.isolate.extractor(g, f.workers)
	if err != nil {
		closeOut()
		return err
	}
	defer stopX()
	sopt := scanner.Options{Workers: f.workers, Extractor: x, Walk: walk, ShowPII: f.showPII, Reading: f.isolate.reading}
	if store != nil {
		sopt.Cache = store
	}
	sc := scanner.New(j.m, sopt)

	ctx, stop := interruptible()
	defer stop()
	t := j.tally(g, rep)
	// Walk first, so that the progress bar knows the total.
	var files []string
	sizes := map[string]int64{}
	var total int64
	scanner.Walk(ctx, paths, walk, func(p string) bool {
		files = append(files, p)
		if st, err := os.Stat(p); err == nil {
			sizes[p] = st.Size()
			total += st.Size()
		}
		return true
	}, t.Problem)
	var bar *progress
	if !f.quiet && isTerminal(g.stderr) {
		bar = newProgress(g.stderr, g.lang, len(files), total)
		t.after = func(r scanner.Result) { bar.add(sizes[r.Path], r.OCR) }
	}
	scanErr := ctx.Err()
	if scanErr == nil {
		scanErr = sc.ScanFiles(ctx, files, t)
	}
	if bar != nil {
		bar.finish()
	}
	s := sc.CacheStats()
	g.log.Info().Int("files", len(files)).Int("ocr_pictures", t.pictures).Int64("served", s.Served).Int64("hashed", s.Hashed).
		Int64("known", s.Known).Int64("shared", s.Shared).Int64("scanned", s.Scanned).
		Int64("cache_errors", s.Errors).Dur("took", time.Since(started)).Msg("audit")
	if store != nil && scanErr == nil {
		if err := record(store, j, t, by, started); err != nil {
			g.log.Warn().Err(err).Msg("the audit was not recorded in the history")
		}
	}
	return t.finish(scanErr, closeOut, f.format == "text")
}

// openStore opens the cache database at path, or at the default place. A
// damaged one is moved aside and replaced, with a warning naming where it
// went: the audit goes on.
func openStore(g *globals, path string) (*cache.Store, error) {
	if path == "" {
		var err error
		if path, err = cache.DefaultPath(); err != nil {
			return nil, usageErr("no cache folder (%v): use --db PATH or --no-cache", err)
		}
	}
	s, moved, err := cache.OpenOrReplace(path)
	if err != nil {
		return nil, usageErr("cache database: %v (use --db PATH or --no-cache)", err)
	}
	if moved != "" {
		g.log.Warn().Str("db", path).Str("moved_to", moved).Msg("the cache database was damaged: moved aside, a new one started")
	}
	return s, nil
}

// auditor says who audited what, where: for the history and the report.
type auditor struct {
	user, host string
	paths      []string // absolute
}

func whoWhere(paths []string) auditor {
	var a auditor
	if u, err := user.Current(); err == nil {
		a.user = u.Username
	}
	a.host, _ = os.Hostname()
	for _, p := range paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		a.paths = append(a.paths, p)
	}
	return a
}

// record adds the audit to the history in the cache database.
func record(store *cache.Store, j *job, t *tally, by auditor, started time.Time) error {
	a := cache.Audit{Started: started, Finished: time.Now(), PolicyHash: j.m.Policy().Hash,
		Summary: t.sum, Findings: t.findings, User: by.user, Host: by.host, Paths: by.paths}
	_, err := store.AddAudit(a)
	return err
}

// openReports opens standard output (in --format) and every --report file,
// and returns one Reporter writing to all, and a function that closes the
// files. A bad extension, a file named twice or one that cannot be created
// is a usage error, before anything is scanned.
func (f *auditFlags) openReports(g *globals, opt report.Options) (report.Reporter, func() error, error) {
	var reps fanout
	var files []*os.File
	closeAll := func() error {
		var first error
		for _, file := range files {
			if err := closeReport(file); err != nil && first == nil {
				first = err
			}
		}
		return first
	}
	fail := func(err error) (report.Reporter, func() error, error) {
		closeAll()
		return nil, nil, err
	}
	seen := map[string]bool{}
	for _, path := range f.reports {
		if path == "-" {
			continue // standard output, which always gets --format
		}
		format, ok := reportFormats[strings.ToLower(filepath.Ext(path))]
		if !ok {
			return fail(usageErr("--report %s: cannot tell the format from the extension (use .html, .csv, .json, .jsonl or .sarif)", path))
		}
		abs, _ := filepath.Abs(path)
		if seen[abs] {
			return fail(usageErr("--report %s: named twice", path))
		}
		seen[abs] = true
		file, err := os.Create(path)
		if err != nil {
			return fail(usageErr("--report: %v", err))
		}
		files = append(files, file)
		r, err := report.New(format, file, opt)
		if err != nil {
			return fail(usageErr("--report %s: %v", path, err))
		}
		reps = append(reps, r)
	}
	o := opt
	o.Color = isTerminal(g.stdout)
	r, err := report.New(f.format, g.stdout, o)
	if err != nil {
		return fail(usageErr("--format: %v", err))
	}
	if f.format == "text" {
		r = attention{r}
	}
	return append(reps, r), closeAll, nil
}

// fanout hands every result to several reporters.
type fanout []report.Reporter

func (rs fanout) File(r scanner.Result) error {
	var errs []error
	for _, x := range rs {
		errs = append(errs, x.File(r))
	}
	return errors.Join(errs...)
}

func (rs fanout) Problem(p scanner.Problem) error {
	var errs []error
	for _, x := range rs {
		errs = append(errs, x.Problem(p))
	}
	return errors.Join(errs...)
}

func (rs fanout) Close(s scanner.Summary) error {
	var errs []error
	for _, x := range rs {
		errs = append(errs, x.Close(s))
	}
	return errors.Join(errs...)
}

// attention is the text report of an audit: over thousands of files it
// lists only those that need a person (flagged, review, error), then the
// summary; the reports written with --report list every file.
type attention struct{ report.Reporter }

func (a attention) File(r scanner.Result) error {
	if r.Verdict == scanner.Clean || r.Verdict == scanner.Skipped {
		return nil
	}
	return a.Reporter.File(r)
}
