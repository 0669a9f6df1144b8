//go:build unix

package main

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time used so far by this process and by its children
// that have ended (each tesseract run): unlike the wall time, what the
// other tenants of a shared machine take does not count in it.
func cpuTime() time.Duration {
	var self, kids syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &kids) != nil {
		return 0
	}
	var d time.Duration
	for _, t := range []syscall.Timeval{self.Utime, self.Stime, kids.Utime, kids.Stime} {
		d += time.Duration(t.Nano())
	}
	return d
}
