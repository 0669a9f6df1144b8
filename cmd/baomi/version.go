package main

import (
	"fmt"
	"runtime"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/sandbox"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = ""

func newVersionCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print baomi's version and the default policy's hash",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			fmt.Fprintf(g.stdout, "baomi %s %s %s/%s\n", versionString(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
			if p, err := policies.Default(); err == nil {
				g.printf(g.stdout, "default policy: %d rules, hash %s\n", len(p.Rules), p.Hash[:16])
			}
			g.printf(g.stdout, "file memory limit enforced by %s\n", sandbox.MemoryEnforcement())
			return nil
		},
	}
}

// versionString is baomi's version: set at build time, else the module's,
// else "(devel)".
func versionString() string {
	if version != "" {
		return version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
