//go:build !linux

package sandbox

import "os/exec"

// setParentDeath has no kernel support here; the child polls for its
// parent instead (exitWithParent).
func setParentDeath(*exec.Cmd) {}

// limitMemory has no kernel limit here; the garbage collector's soft limit
// (set by ServeChild) and the parent's timeout still apply.
func limitMemory(int64) error { return nil }

// peakRSS is not measured here; Stats.MaxRSS stays 0.
func peakRSS(int) int64 { return 0 }

// watchMemory has nothing to read here.
func watchMemory(int64) {}
