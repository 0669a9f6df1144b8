package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// setParentDeath makes the kernel kill the child when the parent dies, so
// that a kill -9 of baomi leaves no orphan.
func setParentDeath(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
}

// limitData caps the process's data segment (RLIMIT_DATA) at n bytes (0:
// no cap), which on Linux 4.7 and later counts every private writable
// mapping: the Go heap, and the address space the runtime reserves.
func limitData(n int64) error {
	if n <= 0 {
		return nil
	}
	lim := &syscall.Rlimit{Cur: uint64(n), Max: uint64(n)}
	return syscall.Setrlimit(syscall.RLIMIT_DATA, lim)
}

// peakRSS is the most resident memory the live process pid has used so far,
// in bytes: VmHWM from /proc, the high-water mark of its own address space.
// (ru_maxrss after exit would not do: a child started with vfork and exec
// inherits its parent's high-water mark.) 0 when it cannot be read.
func peakRSS(pid int) int64 {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		// The line reads "VmHWM:	  123456 kB".
		if rest, ok := bytes.CutPrefix(sc.Bytes(), []byte("VmHWM:")); ok {
			kib, err := strconv.ParseInt(string(bytes.TrimSpace(bytes.TrimSuffix(bytes.TrimSpace(rest), []byte("kB")))), 10, 64)
			if err != nil {
				return 0
			}
			return kib << 10
		}
	}
	return 0
}

// resident is the process's resident memory in bytes, from
// /proc/self/statm.
func resident() (int64, error) {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		return 0, err
	}
	f := bytes.Fields(data)
	if len(f) < 2 {
		return 0, errors.New("/proc/self/statm has no resident size")
	}
	pages, err := strconv.ParseInt(string(f[1]), 10, 64)
	return pages * int64(os.Getpagesize()), err
}
