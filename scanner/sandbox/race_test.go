//go:build race

package sandbox

// raceEnabled: the race detector's shadow memory does not fit under a
// child's memory limit (its runtime exits with status 66), so the tests of
// that limit skip.
const raceEnabled = true
