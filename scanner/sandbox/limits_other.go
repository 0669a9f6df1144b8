//go:build !linux

package sandbox

import "os/exec"

// setParentDeath has no kernel support here; the child polls for its
// parent instead (exitWithParent).
func setParentDeath(*exec.Cmd) {}

// limitMemory has no kernel limit here; the garbage collector's soft limit
// (set by ServeChild) and the parent's timeout still apply.
func limitMemory(int64) error { return nil }
