package watch

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/fsnotify/fsnotify"
)

// maxBatch is how many waiting events are taken into one transaction.
const maxBatch = 1024

// batch handles ev and the events already waiting behind it (up to
// maxBatch), then queues the changed files in one transaction.
func (l *loop) batch(ev fsnotify.Event) error {
	var changed, removed []string
	seen := map[string]bool{}
	l.event(ev, seen, &changed, &removed)
more:
	for range maxBatch {
		select {
		case ev, ok := <-l.events:
			if !ok {
				break more
			}
			l.event(ev, seen, &changed, &removed)
		default:
			break more
		}
	}
	if len(removed) > 0 {
		if err := l.d.st.forgetUnder(removed); err != nil {
			l.d.m.errors.WithLabelValues("db").Inc()
			return err
		}
	}
	return l.persist(changed)
}

// event sorts one event: a changed file goes to changed, a new folder is
// walked (watched, then listed), a removed or renamed path goes to removed
// and its watches are dropped.
func (l *loop) event(ev fsnotify.Event, seen map[string]bool, changed, removed *[]string) {
	d := l.d
	d.m.events.Inc()
	root := under(d.opt.Roots, ev.Name)
	if root == "" || ignored(d.cur.Load().cfg.Ignore, root, ev.Name) {
		return
	}
	switch {
	case ev.Has(fsnotify.Remove) || ev.Has(fsnotify.Rename):
		// Renamed: the new name comes as a Create of its own.
		d.unwatch(ev.Name)
		*removed = append(*removed, ev.Name)
		delete(seen, ev.Name)
	case ev.Has(fsnotify.Create) || ev.Has(fsnotify.Write):
		if seen[ev.Name] {
			return
		}
		fi, err := os.Lstat(ev.Name)
		if err != nil {
			return // already gone; its Remove follows
		}
		if fi.IsDir() {
			if ev.Has(fsnotify.Create) {
				l.walkQ = append(l.walkQ, walkReq{dir: ev.Name})
			}
			return
		}
		if fi.Mode().IsRegular() {
			seen[ev.Name] = true
			*changed = append(*changed, ev.Name)
		}
	}
	// Chmod alone (chmod, touch) does not change what a file says.
}

// watchError handles an error from fsnotify: an overflow means events
// were lost, so the folders are compared with the recorded state.
func (l *loop) watchError(err error) {
	if errors.Is(err, fsnotify.ErrEventOverflow) {
		l.d.m.overflows.Inc()
		l.rescan(true)
		return
	}
	l.d.m.errors.WithLabelValues("watch").Inc()
	l.d.opt.Log.Error().Err(err).Msg("file notifications")
}

// watch adds a kernel watch on dir; without one, changes in dir are seen
// only on start, after an overflow, or by --poll.
func (d *Daemon) watch(dir string) {
	if d.w == nil {
		return
	}
	if err := d.w.Add(dir); err != nil {
		d.m.errors.WithLabelValues("watch").Inc()
		ev := d.opt.Log.Error().Err(err).Str("path", dir)
		if errors.Is(err, syscall.ENOSPC) {
			ev = ev.Str("hint", "raise fs.inotify.max_user_watches, or use --poll")
		}
		ev.Msg("cannot watch folder")
		return
	}
	d.dirsMu.Lock()
	d.dirs[dir] = true
	d.dirsMu.Unlock()
}

// unwatch drops the watches on path and the folders below it, if path was
// a watched folder: after a rename the kernel keeps reporting them under
// the old name, and a new watch on the same folder would reuse the old one.
func (d *Daemon) unwatch(path string) {
	if d.w == nil {
		return
	}
	d.dirsMu.Lock()
	defer d.dirsMu.Unlock()
	if !d.dirs[path] {
		return
	}
	prefix := path + string(filepath.Separator)
	for dir := range d.dirs {
		if dir == path || strings.HasPrefix(dir, prefix) {
			delete(d.dirs, dir)
			_ = d.w.Remove(dir) // the kernel may have dropped it already
		}
	}
}

// ignored reports whether path (inside root) matches one of globs: a glob
// with a '/' is matched against the path relative to root, the others
// against the name.
func ignored(globs []string, root, path string) bool {
	name := filepath.Base(path)
	var rel string
	for _, g := range globs {
		target := name
		if strings.Contains(g, "/") {
			if rel == "" {
				r, err := filepath.Rel(root, path)
				if err != nil {
					continue
				}
				rel = filepath.ToSlash(r)
			}
			target = rel
		}
		if ok, _ := doublestar.Match(g, target); ok {
			return true
		}
	}
	return false
}
