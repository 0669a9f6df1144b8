package sandbox

import (
	"os/exec"
	"syscall"
)

// setParentDeath makes the kernel kill the child when the parent dies, so
// that a kill -9 of baomi leaves no orphan.
func setParentDeath(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// limitMemory caps the process's data segment (RLIMIT_DATA), which on Linux
// 4.7 and later counts every private writable mapping: the Go heap included,
// but not the address space the runtime reserves without using.
func limitMemory(bytes int64) error {
	lim := &syscall.Rlimit{Cur: uint64(bytes), Max: uint64(bytes)}
	return syscall.Setrlimit(syscall.RLIMIT_DATA, lim)
}
