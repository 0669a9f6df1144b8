package main

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"gopkg.in/yaml.v3"

	"github.com/baomi/baomi/scanner/report"
)

// A config file sets defaults once for every run: the system's
// (/etc/baomi/config.yaml), then the user's ($XDG_CONFIG_HOME/baomi/
// config.yaml, or ~/.config), then the command line, each overriding the
// one before. Its keys are named as the flags (fail-on: high, lang: zh,
// policy: [a.yaml, b.yaml]); a key applies to every command that has that
// flag. An unknown key is an error with file:line, as for policies.

// systemConfig is the system's config file.
var systemConfig = func() string {
	if runtime.GOOS == "windows" {
		return filepath.Join(os.Getenv("ProgramData"), "baomi", "config.yaml")
	}
	return "/etc/baomi/config.yaml"
}()

// configPaths lists the config files in the order they apply.
func configPaths() []string {
	paths := []string{systemConfig}
	if dir, err := os.UserConfigDir(); err == nil {
		paths = append(paths, filepath.Join(dir, "baomi", "config.yaml"))
	}
	return paths
}

// setting is one key of a config file.
type setting struct {
	values []string // one for a scalar, the items of a list
	at     string   // file:line
	list   bool
}

// config is what the config files set, key by key; read lists the files
// that exist.
type config struct {
	settings map[string]setting
	read     []string
	applied  map[string]string // flag name → file:line, of the settings apply used
}

// loadConfig reads the config files at paths, those that exist; a later
// file's key overrides an earlier one's.
func loadConfig(paths []string) (*config, error) {
	c := &config{settings: map[string]setting{}}
	var errs []string
	for _, path := range paths {
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("config file: %w", err)
		}
		c.read = append(c.read, path)
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return nil, fmt.Errorf("%s: %v", path, err)
		}
		if len(doc.Content) == 0 {
			continue // empty
		}
		m := doc.Content[0]
		if m.Kind != yaml.MappingNode {
			return nil, fmt.Errorf("%s:%d: expected keys and values (fail-on: high)", path, m.Line)
		}
		seen := map[string]int{}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			at := fmt.Sprintf("%s:%d", path, k.Line)
			if first, ok := seen[k.Value]; ok {
				errs = append(errs, fmt.Sprintf("%s: %s is set twice (first on line %d)", at, k.Value, first))
				continue
			}
			seen[k.Value] = k.Line
			s := setting{at: at}
			switch v.Kind {
			case yaml.ScalarNode:
				s.values = []string{v.Value}
			case yaml.SequenceNode:
				s.list = true
				for _, item := range v.Content {
					if item.Kind != yaml.ScalarNode {
						errs = append(errs, fmt.Sprintf("%s:%d: %s: expected a list of values", path, item.Line, k.Value))
					}
					s.values = append(s.values, item.Value)
				}
			default:
				errs = append(errs, fmt.Sprintf("%s: %s: expected a value or a list of values", at, k.Value))
				continue
			}
			c.settings[k.Value] = s
		}
	}
	if len(errs) > 0 {
		return nil, errors.New(strings.Join(errs, "\n"))
	}
	return c, nil
}

// flagsOf returns every flag a person may set, by name, across root's
// commands (help and the hidden worker's left out): the keys a config file
// may hold.
func flagsOf(root *cobra.Command) map[string]*pflag.Flag {
	flags := map[string]*pflag.Flag{}
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden || c.Name() == "completion" {
			return
		}
		add := func(f *pflag.Flag) {
			if _, ok := flags[f.Name]; !ok && f.Name != "help" {
				flags[f.Name] = f
			}
		}
		c.LocalFlags().VisitAll(add)
		c.PersistentFlags().VisitAll(add)
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return flags
}

// check reports the keys no command has as a flag, with file:line.
func (c *config) check(known map[string]*pflag.Flag) error {
	var errs []string
	for key, s := range c.settings {
		if known[key] == nil {
			errs = append(errs, fmt.Sprintf("%s: unknown key %q (keys are named as the flags: fail-on, lang, workers …; see 'baomi config')", s.at, key))
		}
	}
	sort.Strings(errs)
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// apply sets cmd's flags from the config where the command line did not
// set them.
func (c *config) apply(cmd *cobra.Command) error {
	var errs []string
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		s, ok := c.settings[f.Name]
		if !ok || f.Changed {
			return
		}
		if err := setFlag(f, s.values); err != nil {
			errs = append(errs, fmt.Sprintf("%s: %s: %v", s.at, f.Name, err))
		}
		if c.applied == nil {
			c.applied = map[string]string{}
		}
		c.applied[f.Name] = s.at
	})
	if len(errs) > 0 {
		return errors.New(strings.Join(errs, "\n"))
	}
	return nil
}

// blame prefixes msg, an error about a flag ("--fail-on: ..."), with the
// file:line that set the flag, when a config file did.
func (c *config) blame(msg string) string {
	for name, at := range c.applied {
		if rest, ok := strings.CutPrefix(msg, "--"+name); ok && (rest == "" || rest[0] == ' ' || rest[0] == ':') {
			return at + ": " + msg
		}
	}
	return msg
}

// setFlag gives f values: a list flag all of them, another flag one.
func setFlag(f *pflag.Flag, values []string) error {
	if sv, ok := f.Value.(pflag.SliceValue); ok {
		return sv.Replace(values)
	}
	if len(values) != 1 {
		return fmt.Errorf("takes one value, not a list")
	}
	return f.Value.Set(values[0])
}

func newConfigCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "config",
		Short: "Print the effective settings and where each comes from",
		Long: `config prints every setting a config file may hold, its value and where the
value comes from: the system's config file (/etc/baomi/config.yaml), the
user's ($XDG_CONFIG_HOME/baomi/config.yaml, or ~/.config/baomi/config.yaml),
or the flag's default. The command line overrides both files, the user's file
overrides the system's. Keys are named as the flags:

  lang: zh
  fail-on: high
  workers: 4
  policy: [/etc/baomi/office.yaml]
  title: 保密检查报告

An unknown key is an error (exit 3) naming the file and line.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			g.printf(g.stdout, "# config files, in the order they apply: %s\n", strings.Join(configPaths(), ", "))
			flags := flagsOf(cmd.Root())
			names := make([]string, 0, len(flags))
			for name := range flags {
				names = append(names, name)
			}
			sort.Strings(names)
			var rows [][]string
			for _, name := range names {
				f := flags[name]
				value, from := f.DefValue, say(g.lang, "default")
				if s, ok := g.config.settings[name]; ok {
					value, from = strings.Join(s.values, ", "), s.at
					if s.list {
						value = "[" + value + "]"
					}
				}
				if f := cmd.Flags().Lookup(name); f != nil && f.Changed {
					value, from = f.Value.String(), say(g.lang, "command line")
				}
				rows = append(rows, []string{name + ": " + value, "# " + from})
			}
			return report.Table(g.stdout, rows)
		},
	}
}
