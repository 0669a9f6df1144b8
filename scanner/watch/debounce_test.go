package watch

import (
	"reflect"
	"testing"
	"time"
)

func TestWatchDebouncer(t *testing.T) {
	files := map[string]stamp{}
	stat := func(p string) (stamp, error) {
		st, ok := files[p]
		if !ok {
			return stamp{}, errGone
		}
		return st, nil
	}
	const q = time.Second
	t0 := time.Unix(1000, 0)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	paths := func(js []job) []string {
		var out []string
		for _, j := range js {
			out = append(out, j.path)
		}
		return out
	}

	d := newDebouncer(q, stat)
	files["a"], files["b"], files["c"] = stamp{1, 1}, stamp{1, 1}, stamp{1, 1}
	d.touch("a", 1, at(0))
	d.touch("b", 2, at(0))
	d.touch("c", 3, at(0))
	if next, ok := d.next(); !ok || !next.Equal(at(q)) {
		t.Fatalf("next %v %v, want %v", next, ok, at(q))
	}
	if r, g := d.due(at(q - time.Millisecond)); len(r)+len(g) != 0 {
		t.Fatalf("ready %v gone %v before the quiet period", r, g)
	}

	// b gets another event (and grows), c grows without an event (poll
	// mode, or a write the kernel merged), and a stays still.
	files["b"] = stamp{2, 2}
	d.touch("b", 4, at(q/2))
	files["c"] = stamp{2, 2}
	ready, gone := d.due(at(q))
	if !reflect.DeepEqual(paths(ready), []string{"a"}) || len(gone) != 0 || ready[0].seq != 1 || ready[0].st != (stamp{1, 1}) {
		t.Fatalf("at q: ready %+v gone %+v, want a only", ready, gone)
	}
	// b's quiet period restarted with its event; c's when it was seen
	// changed.
	if ready, _ := d.due(at(q + q/2)); !reflect.DeepEqual(paths(ready), []string{"b"}) || ready[0].seq != 4 {
		t.Fatalf("at 1.5q: ready %+v, want b with seq 4", ready)
	}
	delete(files, "c")
	ready, gone = d.due(at(2 * q))
	if len(ready) != 0 || !reflect.DeepEqual(paths(gone), []string{"c"}) || gone[0].seq != 3 {
		t.Fatalf("at 2q: ready %+v gone %+v, want c gone", ready, gone)
	}
	if d.len() != 0 {
		t.Errorf("%d files still waiting", d.len())
	}
	if _, ok := d.next(); ok {
		t.Error("next reports a file when none waits")
	}
}

// TestDebouncerManyFiles checks the heap keeps files in due order.
func TestWatchDebouncerManyFiles(t *testing.T) {
	stat := func(string) (stamp, error) { return stamp{1, 1}, nil }
	d := newDebouncer(time.Second, stat)
	t0 := time.Unix(0, 0)
	const n = 1000
	for i := range n {
		// Touched in a scrambled order of times.
		d.touch(string(rune('a'+i%26))+string(rune(i)), int64(i), t0.Add(time.Duration((i*7919)%n)*time.Millisecond))
	}
	var total int
	for ms := 0; ms <= 2*n; ms += 100 {
		ready, _ := d.due(t0.Add(time.Second + time.Duration(ms)*time.Millisecond))
		total += len(ready)
		if want := min(n, ms+1); total != want {
			t.Fatalf("after %dms: %d ready, want %d", ms, total, want)
		}
	}
}
