package fingerprint

import "unsafe"

// prefetchMarks reads a Mark as 32 bytes with its Hash first.
const _ = uint(unsafe.Sizeof(Mark{})-32) + uint(32-unsafe.Sizeof(Mark{})) + uint(unsafe.Offsetof(Mark{}.Hash))

// prefetchMarks asks the processor to bring filter[m.Hash&mask] into its
// caches for each mark, without waiting for it (prefetch_amd64.s).
//
//go:noescape
func prefetchMarks(filter *uint64, mask uint64, ms []Mark)
