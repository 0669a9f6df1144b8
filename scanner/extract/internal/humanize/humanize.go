// Package humanize writes quantities for the reasons a person reads.
package humanize

import "fmt"

// Bytes formats a byte count for a person, in units of 1024: "512 B",
// "4.0 GB".
func Bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit && exp < 5; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %cB", float64(n)/float64(div), "KMGTPE"[exp])
}
