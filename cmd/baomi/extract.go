package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/report"
)

func newExtractCmd(g *globals) *cobra.Command {
	var format string
	var isolate isolationFlags
	cmd := &cobra.Command{
		Use:   "extract FILE",
		Short: "Print the text baomi reads from a file, before matching",
		Long: `extract shows what baomi read from a file: each segment of text with the part
of the document it came from (body, header, footer …) and its page, so that you
can compare it with what you see. Its verdict says whether the file was read
completely (clean here means "read", nothing is matched).

Exit codes: 0 the file was opened (even if some pages need review), 2 it could
not be read, 3 usage error.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "text" && format != "json" {
				return usageErr("--format %q: expected text or json", format)
			}
			path := args[0]
			x, stopX, err := isolate.extractor(g, 1)
			if err != nil {
				return err
			}
			defer stopX()
			doc, err := x.Extract(context.Background(), path)
			out := struct {
				Path     string            `json:"path"`
				Format   string            `json:"format"`
				Verdict  scanner.Verdict   `json:"verdict"`
				Reason   string            `json:"reason"`
				Segments []extract.Segment `json:"segments"`
			}{Path: path, Segments: []extract.Segment{}}
			if doc != nil {
				out.Segments = doc.Segments
			}
			out.Format, out.Verdict, out.Reason = scanner.ReadVerdict(doc, err)
			if format == "json" {
				enc := json.NewEncoder(g.stdout)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(out); err != nil {
					return err
				}
			} else {
				// Names, reasons and text may come from the file: no
				// control character reaches the terminal (an inner name
				// keeps no line break either).
				verdict := string(out.Verdict)
				if g.lang == report.Chinese {
					verdict = g.lang.Verdict(out.Verdict)
				}
				fmt.Fprintf(g.stdout, "%s  [%s] %s", report.Safe(path), out.Format, verdict)
				if out.Reason != "" {
					fmt.Fprintf(g.stdout, "  %s", report.Safe(g.lang.Reason(out.Reason)))
				}
				fmt.Fprintln(g.stdout)
				for _, s := range out.Segments {
					if g.lang == report.Chinese {
						fmt.Fprintf(g.stdout, "\n=== %s ===\n%s\n", g.lang.Where(out.Format, scanner.Location{Part: string(s.Part), Page: s.Page, Inner: s.Inner}), report.SafeText(s.Text))
						continue
					}
					fmt.Fprintf(g.stdout, "\n=== %s page=%d", s.Part, s.Page)
					if s.Inner != "" {
						fmt.Fprintf(g.stdout, " inner=%s", report.Safe(s.Inner))
					}
					fmt.Fprintf(g.stdout, " ===\n%s\n", report.SafeText(s.Text))
				}
			}
			if out.Verdict == scanner.Error {
				return &exitError{code: exitIncomplete}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&format, "format", "text", "output format: text or json")
	isolate.register(cmd)
	return cmd
}
