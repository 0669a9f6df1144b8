package main

import (
	"errors"
	"io/fs"
	"os"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner/cache"
	"github.com/baomi/baomi/scanner/report"
)

type historyFlags struct {
	db     string
	verify bool
}

func newHistoryCmd(g *globals) *cobra.Command {
	f := &historyFlags{}
	cmd := &cobra.Command{
		Use:   "history",
		Short: "List the audits recorded in the cache database, or verify their chain",
		Long: `history lists the audits recorded by 'baomi audit': number, time, who ran it,
the policy hash and the counts. Each record holds the hash of the one before,
so --verify detects a record that was edited, deleted or inserted.

Exit codes: 0 listed, or the chain is intact; 2 the chain was tampered with;
3 the database cannot be opened.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runHistory(g, f)
		},
	}
	cmd.Flags().StringVar(&f.db, "db", "", "cache database `PATH` (default: the user's cache folder, baomi/cache.db)")
	cmd.Flags().BoolVar(&f.verify, "verify", false, "check the hash chain of the records")
	return cmd
}

func runHistory(g *globals, f *historyFlags) error {
	path := f.db
	if path == "" {
		var err error
		if path, err = cache.DefaultPath(); err != nil {
			return usageErr("no cache folder (%v): use --db PATH", err)
		}
	}
	// Listing must not create a database where there was none.
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		g.printf(g.stdout, "no audits recorded (%s does not exist)\n", report.Safe(path))
		return nil
	}
	store, err := cache.Open(path)
	if err != nil {
		return usageErr("cache database: %v", err)
	}
	defer store.Close()
	if f.verify {
		if err := store.Verify(); err != nil {
			if errors.Is(err, cache.ErrTampered) {
				return &exitError{code: exitIncomplete, msg: err.Error()}
			}
			return usageErr("%v", err)
		}
	}
	audits, err := store.Audits()
	if err != nil {
		return usageErr("%v", err)
	}
	if f.verify {
		if n := len(audits); n == 1 {
			g.printf(g.stdout, "1 audit record, chain intact\n")
		} else {
			g.printf(g.stdout, "%d audit records, chain intact\n", n)
		}
		if n := len(audits); n > 0 {
			g.printf(g.stdout, "newest: #%d %s (keep this hash elsewhere to detect a rewritten history)\n", audits[n-1].ID, audits[n-1].Hash)
		}
		return nil
	}
	if len(audits) == 0 {
		g.printf(g.stdout, "no audits recorded\n")
		return nil
	}
	rows := [][]string{strings.Split(say(g.lang, "#\tstarted\ttook\tuser@host\tpolicy\tfiles\tflagged\treview\terror\tfindings\tbaselined\tpaths"), "\t")}
	for _, a := range audits {
		policy := a.PolicyHash
		if len(policy) > 12 {
			policy = policy[:12]
		}
		s := a.Summary
		rows = append(rows, []string{strconv.FormatInt(a.ID, 10),
			a.Started.Local().Format("2006-01-02 15:04:05"), g.lang.Duration(a.Finished.Sub(a.Started)),
			report.Safe(a.User + "@" + a.Host), policy, strconv.Itoa(s.Files), strconv.Itoa(s.Flagged), strconv.Itoa(s.Review),
			strconv.Itoa(s.Error), strconv.Itoa(a.Findings), strconv.Itoa(s.Baselined), report.Safe(strings.Join(a.Paths, " "))})
	}
	return report.Table(g.stdout, rows)
}
