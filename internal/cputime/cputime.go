// Package cputime measures the processor time of the calling thread, for
// benchmarks on shared machines: other processes' load changes wall-clock
// time by much more than a benchmark's differences, its own thread's
// processor time much less.
package cputime

import (
	"runtime"
	"testing"
)

// PerByte runs fn b.N times on a goroutine locked to its thread and
// reports, as the metric "cpu-ns/B", the thread's processor time per call
// divided by bytes. Garbage collection on other threads is not counted.
// Where the thread's time cannot be read, it reports nothing more than the
// benchmark's own figures.
func PerByte(b *testing.B, bytes int, fn func()) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	b.SetBytes(int64(bytes))
	start, ok := thread()
	for b.Loop() {
		fn()
	}
	if end, ok2 := thread(); ok && ok2 {
		b.ReportMetric(float64(end-start)/float64(b.N)/float64(bytes), "cpu-ns/B")
	}
}
