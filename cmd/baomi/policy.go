package main

import (
	"bytes"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/match"
)

// policyFlags choose the policy a command matches with.
type policyFlags struct {
	files     []string
	noDefault bool
}

func (pf *policyFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&pf.files, "policy", nil, "policy `FILE` to add to the default policy (repeatable)")
	cmd.Flags().BoolVar(&pf.noDefault, "no-default-policy", false, "do not use the embedded default policy")
}

// load reads, merges and compiles the policies; every problem is an exit-3
// error listing file:line.
func (pf *policyFlags) load() (*match.Matcher, error) {
	var ps []*policies.Policy
	var errs policies.Errors
	if !pf.noDefault {
		d, err := policies.Default()
		if err != nil {
			return nil, usageErr("embedded default policy is broken:\n%v", err)
		}
		ps = append(ps, d)
	}
	for _, f := range pf.files {
		p, err := policies.LoadFile(f)
		if err != nil {
			errs = append(errs, asProblems(err)...)
			continue
		}
		ps = append(ps, p)
	}
	if len(errs) > 0 {
		return nil, usageErr("policy errors:\n%v", errs)
	}
	if len(ps) == 0 {
		return nil, usageErr("no policy: --no-default-policy needs at least one --policy FILE")
	}
	p, err := policies.Merge(ps...)
	if err != nil {
		return nil, usageErr("policy errors:\n%v", err)
	}
	m, err := match.Compile(p)
	if err != nil {
		return nil, usageErr("policy errors:\n%v", err)
	}
	return m, nil
}

func asProblems(err error) policies.Errors {
	if e, ok := err.(policies.Errors); ok {
		return e
	}
	return policies.Errors{{Msg: err.Error()}}
}

func newPolicyCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "policy",
		Short: "Work with policy files",
	}
	validate := &cobra.Command{
		Use:   "validate FILE...",
		Short: "Check policy files: syntax, rules, and each rule's examples and counterexamples",
		Long: `validate loads each policy file, reports every problem with file:line, and then
checks that every rule finds its examples and none of its counterexamples.
With no FILE it validates the embedded default policy. Exit code 0 when all is
well, 3 otherwise.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			pf := policyFlags{files: args, noDefault: len(args) > 0}
			m, err := pf.load()
			if err != nil {
				return err
			}
			if err := m.CheckExamples(); err != nil {
				return usageErr("policy examples fail:\n%v", err)
			}
			if n := len(m.Policy().Rules); n == 1 {
				g.printf(g.stdout, "ok: 1 rule in %v\n", m.Policy().Sources)
			} else {
				g.printf(g.stdout, "ok: %d rules in %v\n", n, m.Policy().Sources)
			}
			return nil
		},
	}
	cmd.AddCommand(validate, newPolicyHashCmd(g))
	return cmd
}

func newPolicyHashCmd(g *globals) *cobra.Command {
	var keyFile, out string
	cmd := &cobra.Command{
		Use:   "hash --key-file K [-o FILE] TERMS.txt",
		Short: "Turn a list of secret terms into keyed hashes for terms_hashed",
		Long: `hash reads TERMS.txt (one term a line, '#' starts a comment line), normalizes
each term as matching does, and writes its keyed hash (SipHash-2-4 under a key
derived from K) and its length in characters: a rule {terms_hashed: FILE, key_file: K} then finds
the terms while the policy reveals none of them. Keep K apart from the policy,
readable only by those who scan: whoever holds it can test guesses.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(keyFile)
			if err != nil {
				return usageErr("--key-file: %v", unwrapPath(err))
			}
			key, err := policies.ParseKey(data)
			if err != nil {
				return usageErr("--key-file: %v", err)
			}
			data, err = os.ReadFile(args[0])
			if err != nil {
				return usageErr("%s: %v", args[0], unwrapPath(err))
			}
			var terms []policies.HashedTerm
			for i, line := range strings.Split(string(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))), "\n") {
				t := strings.TrimSpace(line)
				if t == "" || strings.HasPrefix(t, "#") {
					continue
				}
				h, err := match.HashTerm(key, t)
				if err != nil {
					return usageErr("%s:%d: %v", args[0], i+1, err)
				}
				terms = append(terms, h)
			}
			if len(terms) == 0 {
				return usageErr("%s has no terms", args[0])
			}
			w := g.stdout
			if out != "" {
				f, err := os.Create(out)
				if err != nil {
					return usageErr("-o: %v", err)
				}
				if err := policies.WriteHashed(f, key, terms); err != nil {
					f.Close()
					return usageErr("-o: %v", err)
				}
				if err := f.Close(); err != nil {
					return usageErr("-o: %v", err)
				}
				return nil
			}
			return policies.WriteHashed(w, key, terms)
		},
	}
	cmd.Flags().StringVar(&keyFile, "key-file", "", "file holding the secret `KEY` (at least 16 bytes)")
	cmd.Flags().StringVarP(&out, "output", "o", "", "write to `FILE` instead of standard output")
	_ = cmd.MarkFlagRequired("key-file")
	return cmd
}
