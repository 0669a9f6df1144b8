package main

import (
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
	cmd.AddCommand(validate)
	return cmd
}
