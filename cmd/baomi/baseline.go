package main

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner/baseline"
)

func newBaselineCmd(g *globals) *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "baseline REPORT.json",
		Short: "Accept the findings of a JSON report, so that later scans hide them",
		Long: `baseline reads a JSON report (scan --format json, or audit --report x.json) and
writes every finding in it to a baseline file: path, rule and fingerprint, no
document text. 'scan --baseline FILE' and 'audit --baseline FILE' then hide
those findings and count them in the summary; a new finding, or the same
words with other surroundings, still shows. Review the report before
accepting it: the baseline accepts everything the report lists.

REPORT.json may be - for standard input. Exit codes: 0 written, 3 the
report cannot be read or the baseline cannot be written.`,
		Example: `  baomi audit --report review.json /srv/share
  baomi baseline review.json -o accepted.json
  baomi audit --baseline accepted.json /srv/share`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBaseline(g, args[0], output)
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "write the baseline to `FILE` instead of standard output")
	cmd.AddCommand(newAcceptCmd(g))
	return cmd
}

func newAcceptCmd(g *globals) *cobra.Command {
	var file, why, by string
	cmd := &cobra.Command{
		Use:   "accept --baseline FILE --why TEXT PATH...",
		Short: "Accept files a person checked by hand (review, error) as their content is now",
		Long: `accept records in a baseline file each PATH a person opened and checked by
hand (a file that is review or error: pictures, scanned pages, an encrypted
attachment): its content hash, who accepted it, when and why. Scans and audits
with --baseline FILE then still list the file, with the note, but it no longer
makes the exit code 2. A changed file shows as before until it is accepted
again. Name each PATH as scans name it (the same folder argument).

FILE is created when it does not exist. Exit codes: 0 written, 3 a PATH or the
baseline cannot be read, or the baseline cannot be written.`,
		Example: `  baomi baseline accept --baseline accepted.json --why "扫描页已人工核对，无密级标志" share/通知.pdf
  baomi audit --baseline accepted.json share`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runAccept(g, file, by, why, args)
		},
	}
	cmd.Flags().StringVarP(&file, "baseline", "b", "", "baseline `FILE` to add to (created if missing)")
	cmd.Flags().StringVar(&why, "why", "", "why the files may be released as they are (required)")
	cmd.Flags().StringVar(&by, "by", "", "who checked them (default: the user running baomi)")
	return cmd
}

func runAccept(g *globals, file, by, why string, paths []string) error {
	if file == "" || strings.TrimSpace(why) == "" {
		return usageErr("accept needs --baseline FILE and --why TEXT")
	}
	if by == "" {
		by = whoWhere(nil).user
	}
	b, err := baseline.Load(file)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = baseline.New(nil, time.Now()), nil
	}
	if err != nil {
		return usageErr("--baseline: %v", err)
	}
	now := time.Now()
	for _, p := range paths {
		if _, err := b.AcceptFile(p, by, why, now); err != nil {
			return usageErr("%v", err)
		}
	}
	// Written beside and renamed: a baseline is never left half written.
	tmp, err := os.CreateTemp(filepath.Dir(file), ".baseline-*")
	if err != nil {
		return usageErr("writing the baseline: %v", err)
	}
	defer os.Remove(tmp.Name())
	err = tmp.Chmod(0o644)
	if err == nil {
		err = b.Write(tmp)
	}
	if cerr := closeReport(tmp); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		return usageErr("writing the baseline: %v", err)
	}
	if len(paths) == 1 {
		g.printf(g.stderr, "baomi: 1 file accepted in %s\n", file)
	} else {
		g.printf(g.stderr, "baomi: %d files accepted in %s\n", len(paths), file)
	}
	return nil
}

func runBaseline(g *globals, in, output string) error {
	var r io.Reader = os.Stdin
	if in != "-" {
		f, err := os.Open(in)
		if err != nil {
			return usageErr("%v", err)
		}
		defer f.Close()
		r = f
	}
	b, err := baseline.FromReport(r, time.Now())
	if err != nil {
		return usageErr("%s: %v", in, err)
	}
	out, closeOut, err := openOutput(g, output)
	if err != nil {
		return err
	}
	err = b.Write(out)
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	if err != nil {
		return usageErr("writing the baseline: %v", err)
	}
	if n := len(b.Entries); n == 1 {
		g.printf(g.stderr, "baomi: 1 finding accepted\n")
	} else {
		g.printf(g.stderr, "baomi: %d findings accepted\n", n)
	}
	return nil
}
