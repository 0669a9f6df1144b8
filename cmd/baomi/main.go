// Command baomi checks documents for possible secrecy breaches (保密审查)
// before they are released: classification markings, release-blocking labels
// and terms an office defines, in PDF, DOCX and text files.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/mattn/go-isatty"
	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner/report"
)

// Exit codes (DESIGN.md).
const (
	exitClean      = 0
	exitFindings   = 1
	exitIncomplete = 2
	exitUsage      = 3
	exitInterrupt  = 130
)

// exitError carries an exit code out of a command; msg, if set, is printed.
type exitError struct {
	code int
	msg  string
}

func (e *exitError) Error() string { return e.msg }

// usageErr is an error that exits with code 3: nothing was scanned.
func usageErr(format string, args ...any) error {
	return &exitError{code: exitUsage, msg: fmt.Sprintf(format, args...)}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes baomi with args and returns the exit code.
func run(args []string, stdout, stderr io.Writer) int {
	g := &globals{stdout: stdout, stderr: stderr, lang: report.LangFromLocale(locale()), config: &config{}}
	fail := func(err error) int {
		fmt.Fprintln(stderr, "baomi: "+say(g.lang, err.Error()))
		return exitUsage
	}
	if len(args) == 0 || args[0] != workerCommand { // a worker takes no settings
		cfg, err := loadConfig(configPaths())
		if err != nil {
			return fail(err)
		}
		g.config = cfg
	}
	// The help is built in the language first: --lang, else the config
	// file's, else the locale's. A bad value is reported once cobra has
	// parsed the flags.
	if s, ok := g.config.settings["lang"]; ok && len(s.values) == 1 {
		if l, err := report.ParseLang(s.values[0]); err == nil {
			g.lang = l
		}
	}
	if l, err := report.ParseLang(langFromArgs(args)); err == nil {
		g.lang = l
	}
	root := newRoot(g)
	if err := g.config.check(flagsOf(root)); err != nil {
		return fail(err)
	}
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitClean
	}
	var ee *exitError
	if errors.As(err, &ee) {
		if ee.msg != "" {
			fmt.Fprintln(stderr, "baomi: "+say(g.lang, g.config.blame(ee.msg)))
		}
		return ee.code
	}
	// cobra's own errors: unknown command or flag, wrong number of arguments.
	fmt.Fprintln(stderr, "baomi: "+say(g.lang, err.Error()))
	fmt.Fprintln(stderr, say(g.lang, "Run 'baomi --help' for usage."))
	return exitUsage
}

// globals are the flags every command shares.
type globals struct {
	logLevel string
	langFlag string
	stdout   io.Writer
	stderr   io.Writer
	log      zerolog.Logger
	lang     report.Lang
	config   *config // what the config files set
}

// newRoot builds the commands, their help in g's language.
func newRoot(g *globals) *cobra.Command {
	stdout, stderr := g.stdout, g.stderr
	root := &cobra.Command{
		Use:   "baomi",
		Short: "Check documents for secrecy breaches before release (保密审查)",
		Long: `baomi checks documents for possible secrecy breaches before they leave the office
(保密审查, 信息公开前审查): classification markings (密级标志 such as 机密★5年),
release-blocking labels (内部资料，注意保存) and terms an office defines, in the
files offices keep (PDF, OFD, Word, Excel and PowerPoint old and new, WPS, ODF,
RTF, HTML, e-mail, archives, and pictures and scans read by OCR), wherever they
hide.

Exit codes of scan: 0 clean, 1 findings at or above --fail-on, 2 a file could not
be read completely (review, error) or a path does not exist, 3 usage, policy or
configuration error, 130 interrupted.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, args []string) error {
			if err := g.config.apply(cmd); err != nil {
				return usageErr("%v", err)
			}
			if g.langFlag != "" {
				l, err := report.ParseLang(g.langFlag)
				if err != nil {
					return usageErr("--lang %q: expected zh or en", g.langFlag)
				}
				g.lang = l
			}
			return g.setupLog()
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.PersistentFlags().StringVar(&g.logLevel, "log-level", "warn", "log level: debug, info, warn, error (logs go to stderr and never contain document text)")
	root.PersistentFlags().StringVar(&g.langFlag, "lang", "", "language of messages and reports: zh or en (default: the config file's lang, else the locale)")
	root.AddCommand(newScanCmd(g), newAuditCmd(g), newBaselineCmd(g), newHistoryCmd(g), newWatchCmd(g), newServeCmd(g), newExtractCmd(g), newPolicyCmd(g), newFingerprintCmd(g), newConfigCmd(g), newVersionCmd(g), newWorkerCmd(), newDocsCmd(g))
	localize(root, g.lang)
	return root
}

// setupLog configures zerolog on stderr: console form on a terminal, JSON
// lines otherwise.
func (g *globals) setupLog() error {
	lvl, err := zerolog.ParseLevel(strings.ToLower(g.logLevel))
	if err != nil || g.logLevel == "" {
		return usageErr("--log-level %q: expected debug, info, warn or error", g.logLevel)
	}
	var w io.Writer = g.stderr
	if isTerminal(g.stderr) {
		w = zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: "15:04:05"}
	}
	g.log = zerolog.New(w).Level(lvl).With().Timestamp().Logger()
	return nil
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}
