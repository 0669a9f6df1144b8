//go:build !linux && !windows

package sandbox

import (
	"errors"
	"os/exec"
)

// setParentDeath has no kernel support here; the child polls for its
// parent instead (exitWithParent).
func setParentDeath(*exec.Cmd) {}

// limitData has no kernel limit here; the garbage collector's soft limit
// (set by ServeChild) and the parent's timeout still apply.
func limitData(int64) error { return nil }

// intoCgroup: there are no cgroups here.
func (m *memoryLimit) intoCgroup(*exec.Cmd) error { return errors.New("no cgroups") }

// release has no group to remove.
func (m *memoryLimit) release() {}

// MemoryEnforcement says what enforces the children's memory limit: here
// only the garbage collector's soft limit.
func MemoryEnforcement() string {
	return "the garbage collector's soft limit only (no kernel limit here)"
}

// peakRSS is not measured here; Stats.MaxRSS stays 0.
func peakRSS(int) int64 { return 0 }

// resident is not measured here.
func resident() (int64, error) { return 0, nil }

// watchMemory has nothing to read here.
func watchMemory(int64) {}
