package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/fingerprint"
	"github.com/baomi/baomi/scanner/match"
	"github.com/baomi/baomi/scanner/report"
)

func newFingerprintCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fingerprint",
		Short: "Register documents whose passages must not reappear elsewhere",
	}
	var out, label string
	var refs []string
	var isolate isolationFlags
	build := &cobra.Command{
		Use:   "build -o INDEX [--label NAME] [--reference DOC]... DOC...",
		Short: "Make a fingerprint index of registered documents (hashes and labels, never text)",
		Long: `build reads each DOC (any format baomi reads; folders are walked) as scan does,
normalizes its text and keeps a sample of the hashes of its character
k-grams with its label: the index never holds the text. A policy rule
{id: ..., detector: fingerprint, index: INDEX, min_chars: 50} then flags
documents that share passages with a registered one.

Each DOC is registered under its file name, or, with --label, all of them
together as one document named NAME. Text of the --reference documents
(ordinary notices, forms, published documents) is boilerplate: their hashes
are left out of the index, so formulae every document shares match nothing.

A DOC that cannot be read is an error and no index is written (exit 2); one
read only in part (review) is registered with what was read; one with too
little text to fingerprint (no sampled k-gram: under 12 letters and digits,
sometimes a few dozen) and a file that
carries no document text (a program, a font) are left out. Each is said on
standard error.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if out == "" {
				return usageErr("-o INDEX is required")
			}
			x, stop, err := isolate.extractor(g, 1)
			if err != nil {
				return err
			}
			defer stop()
			b := fingerprint.NewBuilder()
			var texts []string
			read := func(path string) ([]string, error) {
				doc, err := x.Extract(context.Background(), path)
				_, v, reason := scanner.ReadVerdict(doc, err)
				switch v {
				case scanner.Error:
					return nil, &exitError{code: exitIncomplete, msg: fmt.Sprintf("%s: cannot register: %s", report.Safe(path), reason)}
				case scanner.Skipped:
					fmt.Fprintf(g.stderr, "baomi: %s: not registered: %s\n", report.Safe(path), reason)
					return nil, nil
				case scanner.Review:
					fmt.Fprintf(g.stderr, "baomi: %s: registered with the text that could be read (%s)\n", report.Safe(path), reason)
				}
				ts := make([]string, 0, len(doc.Segments)) // not nil: read
				for _, s := range doc.Segments {
					if scanner.Fingerprinted(s.Part) {
						ts = append(ts, match.Normalize(s.Text).Text)
					}
				}
				return ts, nil
			}
			docs, err := walkFiles(args)
			if err != nil {
				return err
			}
			n := 0 // documents registered
			for _, path := range docs {
				ts, err := read(path)
				if err != nil {
					return err
				}
				if ts == nil {
					continue // skipped: no document text
				}
				if label != "" {
					texts = append(texts, ts...)
					continue
				}
				if err := b.Add(filepath.Base(path), ts...); err != nil {
					// Too little text to fingerprint, or a bad name: said,
					// not fatal, so one odd file does not stop a folder.
					fmt.Fprintf(g.stderr, "baomi: %s: not registered: %v\n", report.Safe(path), err)
					continue
				}
				n++
			}
			if label != "" {
				if err := b.Add(label, texts...); err != nil {
					return usageErr("--label: %v", err)
				}
				n = 1
			}
			if n == 0 {
				return &exitError{code: exitIncomplete, msg: "no document registered: nothing to write"}
			}
			refFiles, err := walkFiles(refs)
			if err != nil {
				return err
			}
			for _, path := range refFiles {
				ts, err := read(path)
				if err != nil {
					return err
				}
				b.AddCommon(ts...)
			}
			if err := writeIndex(b, out); err != nil {
				return err
			}
			fmt.Fprintf(g.stdout, "%d documents registered in %s\n", n, report.Safe(out))
			return nil
		},
	}
	build.Flags().StringVarP(&out, "output", "o", "", "index `FILE` to write")
	build.Flags().StringVar(&label, "label", "", "register all DOCs as one document with this `NAME` (default: each under its file name)")
	build.Flags().StringArrayVar(&refs, "reference", nil, "boilerplate `DOC` or folder whose passages must not count (repeatable)")
	isolate.register(build)
	cmd.AddCommand(build)
	return cmd
}

// walkFiles lists the regular files under paths, as scan would find them;
// anything the walk cannot enter is an error.
func walkFiles(paths []string) ([]string, error) {
	var files []string
	var problem error
	scanner.Walk(context.Background(), paths, scanner.WalkOptions{}, func(p string) bool {
		files = append(files, p)
		return true
	}, func(p scanner.Problem) {
		if problem == nil {
			problem = &exitError{code: exitIncomplete, msg: fmt.Sprintf("%s: %s", report.Safe(p.Path), p.Reason)}
		}
	})
	return files, problem
}

// writeIndex writes the index beside out and renames it into place, so that
// a scan never loads half an index.
func writeIndex(b *fingerprint.Builder, out string) error {
	f, err := os.CreateTemp(filepath.Dir(out), ".baomi-index-*")
	if err != nil {
		return usageErr("-o: %v", err)
	}
	defer os.Remove(f.Name())
	if _, err := b.WriteTo(f); err != nil {
		f.Close()
		return usageErr("-o: %v", err)
	}
	if err := f.Close(); err != nil {
		return usageErr("-o: %v", err)
	}
	if err := os.Rename(f.Name(), out); err != nil {
		return usageErr("-o: %v", err)
	}
	return nil
}
