package main

import (
	"os"
	"path/filepath"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"

	"github.com/baomi/baomi/scanner/report"
)

// docsCommand is the hidden command scripts/package.sh runs to write what
// the packages install besides the binary: man pages made from the
// commands' help, in English and in Chinese, and shell completions.
const docsCommand = "__docs"

func newDocsCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:    docsCommand + " DIR",
		Short:  "Write man pages and shell completions into DIR (for packaging)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return writeDocs(g, args[0])
		},
	}
}

// writeDocs writes DIR/man/man1/baomi*.1, DIR/man/zh_CN/man1/baomi*.1 and
// DIR/completions/{baomi.bash,_baomi,baomi.fish,baomi.ps1}. Man pages are
// dated by SOURCE_DATE_EPOCH when it is set, so that builds repeat.
func writeDocs(g *globals, dir string) error {
	for lang, sub := range map[report.Lang]string{report.English: "man/man1", report.Chinese: "man/zh_CN/man1"} {
		out := filepath.Join(dir, sub)
		if err := os.MkdirAll(out, 0o755); err != nil {
			return err
		}
		root := newRoot(&globals{stdout: g.stdout, stderr: g.stderr, lang: lang, config: &config{}})
		root.DisableAutoGenTag = true
		for _, c := range root.Commands() {
			if c.Name() == "completion" { // cobra's: no page of its own
				root.RemoveCommand(c)
			}
		}
		if err := doc.GenManTree(root, &doc.GenManHeader{Title: "BAOMI", Section: "1", Source: "baomi " + versionString(), Manual: say(lang, "baomi manual")}, out); err != nil {
			return err
		}
	}
	out := filepath.Join(dir, "completions")
	if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	root := newRoot(&globals{stdout: g.stdout, stderr: g.stderr, lang: report.English, config: &config{}})
	for name, write := range map[string]func(string) error{
		"baomi.bash": func(p string) error { return root.GenBashCompletionFileV2(p, true) },
		"_baomi":     root.GenZshCompletionFile,
		"baomi.fish": func(p string) error { return root.GenFishCompletionFile(p, true) },
		"baomi.ps1":  root.GenPowerShellCompletionFileWithDesc,
	} {
		if err := write(filepath.Join(out, name)); err != nil {
			return err
		}
	}
	return nil
}
