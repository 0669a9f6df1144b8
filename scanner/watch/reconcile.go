package watch

import (
	"context"
	"io/fs"
	"path/filepath"
	"strings"
	"time"
)

// walkReq asks the walker to walk dir: watch every folder (before listing
// it) and queue every file whose size or modification time differs from
// the recorded state. full also forgets the recorded files that are gone;
// startup marks the walks the daemon starts with.
type walkReq struct {
	dir           string
	full, startup bool
}

// walkOut is what a walk sends to the loop: files found changed (with
// their stamps) as it goes, then, with done, the recorded files that are
// gone.
type walkOut struct {
	req     walkReq
	changed []found
	done    bool
	gone    []string
	files   int // files seen, with done
}

type found struct {
	path string
	st   stamp
}

// walkBatch is how many changed files a walk sends at once.
const walkBatch = 256

// walker walks folders one request at a time until ctx ends.
func (d *Daemon) walker(ctx context.Context, in <-chan walkReq, out chan<- walkOut) {
	for {
		select {
		case req := <-in:
			d.walk(ctx, req, out)
		case <-ctx.Done():
			return
		}
	}
}

// walk does one walkReq. Files under a folder it could not read are not
// taken as gone.
func (d *Daemon) walk(ctx context.Context, req walkReq, out chan<- walkOut) {
	send := func(o walkOut) bool {
		select {
		case out <- o:
			return true
		case <-ctx.Done():
			return false
		}
	}
	known, err := d.st.under(req.dir)
	if err != nil {
		// Without the state every file counts as changed: more scans,
		// nothing missed.
		d.m.errors.WithLabelValues("db").Inc()
		d.opt.Log.Error().Err(err).Str("path", req.dir).Msg("reading the recorded state")
		known = map[string]stamp{}
	}
	root := under(d.opt.Roots, req.dir)
	globs := d.cur.Load().cfg.Ignore
	var batch []found
	var unreadable []string
	files := 0
	err = filepath.WalkDir(req.dir, func(p string, de fs.DirEntry, err error) error {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			if p != req.dir || de != nil {
				d.opt.Log.Warn().Err(err).Str("path", p).Msg("cannot read folder")
			}
			unreadable = append(unreadable, p)
			return nil
		}
		if p != root && ignored(globs, root, p) {
			if de.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if de.IsDir() {
			d.watch(p) // before WalkDir lists it
			return nil
		}
		if !de.Type().IsRegular() {
			return nil
		}
		fi, err := de.Info()
		if err != nil {
			return nil // vanished since listed
		}
		files++
		st := stampOf(fi)
		old, ok := known[p]
		delete(known, p)
		if ok && old == st {
			return nil
		}
		batch = append(batch, found{p, st})
		if len(batch) == walkBatch {
			if !send(walkOut{req: req, changed: batch}) {
				return ctx.Err()
			}
			batch = nil
		}
		return nil
	})
	if err != nil {
		return // stopping
	}
	var gone []string
	if req.full {
		for p := range known {
			if !inAny(unreadable, p) {
				gone = append(gone, p)
			}
		}
	}
	send(walkOut{req: req, changed: batch, done: true, gone: gone, files: files})
}

// inAny reports whether p is one of dirs or inside one.
func inAny(dirs []string, p string) bool {
	for _, d := range dirs {
		if p == d || strings.HasPrefix(p, d+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// found takes a walk's output: changed files not already waiting or being
// scanned with the same stamp are queued; recorded files that are gone are
// forgotten.
func (l *loop) found(out walkOut) error {
	d := l.d
	// The walk compared with the state as it was when the walk began;
	// files scanned since then are compared again with the state now.
	var check []string
	for _, f := range out.changed {
		check = append(check, f.path)
	}
	now, err := d.st.stamps(check)
	if err != nil {
		d.m.errors.WithLabelValues("db").Inc()
		return err
	}
	var paths []string
	for _, f := range out.changed {
		if st, ok := now[f.path]; ok && st == f.st {
			continue
		}
		if _, waiting := l.deb.items[f.path]; waiting {
			continue // the debouncer sees any change itself
		}
		if st, ok := l.inflight[f.path]; ok && st == f.st {
			continue
		}
		if st, ok := l.waiting[f.path]; ok && st == f.st {
			continue
		}
		paths = append(paths, f.path)
	}
	if err := l.persist(paths); err != nil {
		return err
	}
	if len(out.gone) > 0 {
		if err := d.st.forget(out.gone); err != nil {
			d.m.errors.WithLabelValues("db").Inc()
			return err
		}
	}
	if !out.done {
		return nil
	}
	if !out.req.startup {
		if out.req.full {
			d.opt.Log.Info().Str("root", out.req.dir).Int("files", out.files).Int("gone", len(out.gone)).Msg("rescanned")
		}
		return nil
	}
	if l.starting--; l.starting == 0 {
		d.dirsMu.Lock()
		watches := len(d.dirs)
		d.dirsMu.Unlock()
		d.opt.Log.Info().Strs("roots", d.opt.Roots).Int("watches", watches).Int("queued", l.deb.len()+len(l.ready)).Msg("watching")
		if d.opt.StallEvents > 0 && d.w != nil {
			l.events, l.stallEnd = nil, time.After(d.opt.StallEvents)
			d.opt.Log.Info().Dur("for", d.opt.StallEvents).Msg("not reading events (test)")
		}
	}
	return nil
}
