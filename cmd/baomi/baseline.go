package main

import (
	"io"
	"os"
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
	return cmd
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
