package sandbox

import (
	"os"
	"os/exec"
	"strconv"

	"github.com/baomi/baomi/scanner/extract"
)

// MinMemory is the smallest memory limit baomi accepts for a child: every
// benign file of the test corpus is read within it (docs/ROBUSTNESS.md).
const MinMemory = 64 << 20

// What enforces a child's memory limit, as reasons and `baomi version` say.
const (
	byCgroup   = "cgroup memory.max"
	byWatchdog = "baomi's watchdog"
)

// envCgroup tells a child that a cgroup of its own enforces its memory
// limit, so that it runs no watchdog.
const envCgroup = "BAOMI_SANDBOX_CGROUP"

// memoryLimit bounds one child's resident memory, seen from the parent: by
// a cgroup of the child's own where baomi may make one (cgroup_linux.go),
// else by the child's own watchdog (watchMemory).
type memoryLimit struct {
	bytes  int64
	cgroup string   // the child's cgroup directory; "" when the watchdog enforces the limit
	fd     *os.File // the cgroup directory, open for clone3 while the child runs
	killed bool     // the kernel killed the child at memory.max; set by release
}

// limitChild prepares cmd to run under a memory limit of mem bytes (0: no
// limit). Its release must be called once the child has exited, or if it
// did not start.
func limitChild(cmd *exec.Cmd, mem int64) *memoryLimit {
	m := &memoryLimit{bytes: mem}
	cmd.Env = append(cmd.Env, envMemory+"="+strconv.FormatInt(mem, 10))
	if mem > 0 && m.intoCgroup(cmd) == nil {
		cmd.Env = append(cmd.Env, envCgroup+"=1")
	}
	return m
}

// reason is the error of a file whose child ran out of memory.
func (m *memoryLimit) reason() error {
	if m.bytes <= 0 {
		return extract.Errorf(extract.KindLimit, "reading ran out of memory (no file memory limit was set): stopped")
	}
	by := byWatchdog
	if m.cgroup != "" {
		by = byCgroup
	}
	return extract.Errorf(extract.KindLimit, "reading needed more than %s of resident memory (file memory limit, enforced by %s): stopped", bytesString(m.bytes), by)
}

// dataBackstop is the data-segment limit (RLIMIT_DATA) of a child whose
// resident memory may reach mem: far enough above it that the address
// space the Go runtime reserves never reaches it (at 64 MiB it made a
// 12-byte file fail), close enough to stop one allocation too quick for
// the watchdog.
func dataBackstop(mem int64) int64 {
	const maxMem = 1 << 60 // above this the limit could overflow: none
	if mem >= maxMem {
		return 0
	}
	return max(4*mem, mem+1<<30)
}
