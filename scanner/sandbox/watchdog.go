//go:build linux || windows

package sandbox

import (
	"fmt"
	"os"
	"time"
)

// watchMemory ends the process with the runtime's out-of-memory words once
// its resident memory passes high, looking every 20 ms; if it can no longer
// look, it ends the process too, rather than leave it unbounded.
func watchMemory(high int64) {
	for range time.Tick(20 * time.Millisecond) {
		rss, err := resident()
		if err != nil {
			fmt.Fprintln(os.Stderr, "fatal error: cannot read resident memory")
			os.Exit(2)
		}
		if rss > high {
			outOfMemory()
		}
	}
}
