//go:build !amd64

package fingerprint

// prefetchMarks does nothing where Go has no prefetch instruction of ours:
// Find then waits for the filter's words as it tests them.
func prefetchMarks(filter *uint64, mask uint64, ms []Mark) {}
