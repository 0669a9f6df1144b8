package cputime

import "golang.org/x/sys/unix"

// thread returns the calling thread's processor time in nanoseconds.
func thread() (int64, bool) {
	var ts unix.Timespec
	if unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts) != nil {
		return 0, false
	}
	return ts.Nano(), true
}
