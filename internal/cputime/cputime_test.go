package cputime

import (
	"testing"
)

// The metric is reported, and grows with the work done.
func TestPerByte(t *testing.T) {
	spin := func(n int) func() {
		return func() {
			x := 1
			for i := range n {
				x = x*31 + i
			}
			sink = x
		}
	}
	small := testing.Benchmark(func(b *testing.B) { PerByte(b, 1000, spin(1e4)) })
	large := testing.Benchmark(func(b *testing.B) { PerByte(b, 1000, spin(1e6)) })
	s, l := small.Extra["cpu-ns/B"], large.Extra["cpu-ns/B"]
	if _, ok := thread(); !ok {
		t.Skip("the thread's processor time cannot be read here")
	}
	if s <= 0 || l <= s {
		t.Errorf("cpu-ns/B: %v for 10^4 steps, %v for 10^6", s, l)
	}
}

var sink int
