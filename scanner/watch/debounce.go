package watch

import (
	"container/heap"
	"errors"
	"time"
)

// errGone is what a debouncer's stat function returns for a path that no
// longer exists or is not a regular file: it is dropped, not scanned.
var errGone = errors.New("gone or not a regular file")

// job is a file to scan: its path, the queue seq it was taken with, and its
// stamp when it was found stable.
type job struct {
	path string
	seq  int64
	st   stamp
}

// debouncer holds the files with events until they stop changing: a file
// is ready once its size and modification time have stayed the same, and
// no event came for it, for quiet. It is not safe for concurrent use; the
// daemon's loop owns it.
type debouncer struct {
	quiet time.Duration
	stat  func(path string) (stamp, error)
	items map[string]*entry
	h     dueHeap
}

type entry struct {
	job
	due   time.Time
	index int
}

func newDebouncer(quiet time.Duration, stat func(string) (stamp, error)) *debouncer {
	return &debouncer{quiet: quiet, stat: stat, items: map[string]*entry{}}
}

// touch records an event for path, taken into the queue as seq, at now:
// the file's quiet period starts again.
func (d *debouncer) touch(path string, seq int64, now time.Time) {
	st, _ := d.stat(path) // an error shows at the next check
	e := d.items[path]
	if e == nil {
		e = &entry{job: job{path: path}}
		d.items[path] = e
		e.seq, e.st, e.due = seq, st, now.Add(d.quiet)
		heap.Push(&d.h, e)
		return
	}
	e.seq, e.st, e.due = seq, st, now.Add(d.quiet)
	heap.Fix(&d.h, e.index)
}

// len returns the number of files waiting.
func (d *debouncer) len() int { return len(d.items) }

// next returns when the earliest file is due, if any is waiting.
func (d *debouncer) next() (time.Time, bool) {
	if len(d.h) == 0 {
		return time.Time{}, false
	}
	return d.h[0].due, true
}

// due checks the files due at now. It returns those that stayed unchanged
// (ready to scan) and those that vanished (to drop from the queue); files
// that changed wait another quiet period.
func (d *debouncer) due(now time.Time) (ready, gone []job) {
	for len(d.h) > 0 && !d.h[0].due.After(now) {
		e := d.h[0]
		st, err := d.stat(e.path)
		switch {
		case errors.Is(err, errGone):
			gone = append(gone, e.job)
		case err == nil && st != e.st:
			e.st, e.due = st, now.Add(d.quiet)
			heap.Fix(&d.h, 0)
			continue
		default:
			// Unchanged, or unreadable: the scan gives an unreadable
			// file its error verdict.
			ready = append(ready, e.job)
		}
		heap.Pop(&d.h)
		delete(d.items, e.path)
	}
	return ready, gone
}

// dueHeap orders entries by due time.
type dueHeap []*entry

func (h dueHeap) Len() int           { return len(h) }
func (h dueHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h dueHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *dueHeap) Push(x any) {
	e := x.(*entry)
	e.index = len(*h)
	*h = append(*h, e)
}
func (h *dueHeap) Pop() any {
	old := *h
	e := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return e
}
