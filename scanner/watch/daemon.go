// Package watch is baomi's shared-folder daemon: it watches folders with
// fsnotify (or polls them), queues every changed file in an SQLite
// database before acting on it, scans each file once it has stopped
// changing, logs the result without document text, and quarantines,
// posts or runs a command for results an administrator configured.
//
// Nothing is lost: a queued path leaves the queue only when its result is
// recorded, and on start, on --poll ticks and when the kernel's event queue
// overflows, the folders are compared with the recorded state.
package watch

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/fsnotify/fsnotify"
	"github.com/rs/zerolog"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
)

// Options configure a Daemon.
type Options struct {
	// Roots are the folders watched, recursively.
	Roots []string
	// DB is the SQLite database holding the queue and the state.
	DB string
	// Poll, when positive, compares the folders with the recorded state
	// this often: for network file systems, whose remote writes the
	// kernel does not report.
	Poll time.Duration
	// NoNotify turns kernel notifications off (poll only).
	NoNotify bool
	// Workers is the number of files scanned at once (at least 1).
	Workers int
	// Log receives JSON lines; never document text.
	Log zerolog.Logger
	// Grace is how long a stopping daemon lets files being scanned finish
	// (default 10s); the others stay queued for the next start.
	Grace time.Duration
	// StallEvents, for tests, stops reading kernel events for this long
	// after start-up, so that the kernel's queue overflows for real.
	StallEvents time.Duration
}

// Daemon watches folders and scans what changes in them. Make one with
// New, start it with Run.
type Daemon struct {
	opt     Options
	st      *store
	w       *fsnotify.Watcher // nil with NoNotify
	m       *metrics
	act     *actor
	cur     atomic.Pointer[setup]
	reload  chan *setup
	wake    chan struct{} // a task entered the retry queue
	healthy atomic.Bool

	dirsMu sync.Mutex
	dirs   map[string]bool // folders with a kernel watch
}

// setup is what SIGHUP replaces: the scanner (with its policy) and the
// configuration.
type setup struct {
	sc  *scanner.Scanner
	cfg *Config
}

// New opens the database and sets up (but does not start) the watcher.
// Roots must be absolute folders; nested roots are folded into their
// parent.
func New(opt Options, sc *scanner.Scanner, cfg *Config) (*Daemon, error) {
	if opt.Workers < 1 {
		opt.Workers = 1
	}
	if opt.Grace <= 0 {
		opt.Grace = 10 * time.Second
	}
	opt.Roots = foldRoots(opt.Roots)
	d := &Daemon{opt: opt, reload: make(chan *setup), wake: make(chan struct{}, 1), dirs: map[string]bool{}}
	if _, err := d.outsideRoots("the database", opt.DB, false); err != nil {
		return nil, err
	}
	if err := d.check(cfg); err != nil {
		return nil, err
	}
	st, err := openStore(opt.DB)
	if err != nil {
		return nil, err
	}
	d.st = st
	if !opt.NoNotify {
		if d.w, err = fsnotify.NewWatcher(); err != nil {
			st.close()
			return nil, fmt.Errorf("kernel file notifications: %w (use --poll with --no-notify)", err)
		}
	}
	d.m = newMetrics(st)
	d.act = newActor(opt.Log, d.m, st)
	d.cur.Store(&setup{sc: sc, cfg: cfg})
	d.healthy.Store(true)
	return d, nil
}

// check refuses a config whose quarantine folder is, once links are
// resolved, inside a watched folder (files moved there would be scanned
// and moved again) or holds one. The folder is kept resolved, so that a
// link changed later does not redirect the moves.
func (d *Daemon) check(cfg *Config) error {
	if q := cfg.Quarantine; q != nil {
		real, err := d.outsideRoots("quarantine dir", q.Dir, true)
		if err != nil {
			return err
		}
		q.Dir = real
	}
	return nil
}

// Reload replaces the scanner and the configuration, for files scanned
// from now on; queued files are kept. A config that cannot be used returns
// an error and the old one stays.
func (d *Daemon) Reload(ctx context.Context, sc *scanner.Scanner, cfg *Config) error {
	if err := d.check(cfg); err != nil {
		return err
	}
	select {
	case d.reload <- &setup{sc: sc, cfg: cfg}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Handler serves /healthz and /metrics (Prometheus).
func (d *Daemon) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if _, err := d.st.depth(ctx); err != nil || !d.healthy.Load() {
			http.Error(w, "unhealthy: the queue database cannot be read", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	})
	mux.Handle("/metrics", d.m.handler())
	return mux
}

// Run watches until ctx is cancelled, then stops taking events, lets the
// files being scanned finish (within Options.Grace) and returns nil; what
// was not scanned stays queued for the next start. It returns an error
// only when the database fails: then nothing could be promised.
func (d *Daemon) Run(ctx context.Context) error {
	defer d.st.close()
	l := &loop{d: d, inflight: map[string]stamp{}, waiting: map[string]stamp{}}
	err := l.run(ctx)
	if err != nil {
		d.healthy.Store(false)
	}
	return err
}

// loop is the daemon's single owner of the debouncer and of the queue's
// writes of events: one goroutine, so no locks.
type loop struct {
	d        *Daemon
	deb      *debouncer
	ready    []job            // stable files waiting for a worker
	waiting  map[string]stamp // the paths in ready
	inflight map[string]stamp // files being scanned
	walkQ    []walkReq
	starting int // start-up walks not finished

	events   chan fsnotify.Event // nil while not reading events
	stallEnd <-chan time.Time    // see Options.StallEvents

	work, finished       chan job
	workers, walker      sync.WaitGroup // walker: the walker and the retrier
	stopScans, stopWalks context.CancelFunc
}

func (l *loop) run(ctx context.Context) error {
	d := l.d
	log := d.opt.Log
	cfg := d.cur.Load().cfg
	l.deb = newDebouncer(cfg.Debounce, statFile)

	// Events a previous run queued but did not finish.
	queued, err := d.st.queued()
	if err != nil {
		return fmt.Errorf("reading the queue: %w", err)
	}
	now := time.Now()
	for p, seq := range queued {
		l.deb.touch(p, seq, now)
	}

	// Scanning stops Grace after ctx, so that a stop finishes what it can.
	scanCtx, stopScans := context.WithCancel(context.Background())
	defer stopScans()
	l.stopScans = stopScans
	l.work, l.finished = make(chan job), make(chan job)
	for range d.opt.Workers {
		l.workers.Go(func() {
			for j := range l.work {
				d.scan(scanCtx, j)
				l.finished <- j
			}
		})
	}

	walkCtx, stopWalks := context.WithCancel(ctx)
	defer stopWalks()
	l.stopWalks = stopWalks
	walkCh := make(chan walkReq)
	found := make(chan walkOut)
	l.walker.Go(func() { d.walker(walkCtx, walkCh, found) })
	l.walker.Go(func() { d.retrier(walkCtx) })

	// Watches are set up by the start-up walk, folder by folder before
	// each is listed: nothing written during the walk is missed.
	for _, r := range d.opt.Roots {
		l.walkQ = append(l.walkQ, walkReq{dir: r, full: true, startup: true})
	}
	l.starting = len(d.opt.Roots)
	log.Info().Strs("roots", d.opt.Roots).Int("queued", len(queued)).Str("db", d.opt.DB).Msg("starting")
	l.checkWebhook(walkCtx, cfg)

	var errs chan error
	if d.w != nil {
		l.events, errs = d.w.Events, d.w.Errors
		defer d.w.Close()
	}
	var poll <-chan time.Time
	if d.opt.Poll > 0 {
		t := time.NewTicker(d.opt.Poll)
		defer t.Stop()
		poll = t.C
	}
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()

	var fatal error
	for fatal == nil {
		if next, ok := l.deb.next(); ok {
			timer.Reset(max(0, time.Until(next)))
		} else {
			timer.Reset(time.Hour)
		}
		var workOut chan job
		var nextJob job
		if len(l.ready) > 0 {
			workOut, nextJob = l.work, l.ready[0]
		}
		var walkOutCh chan walkReq
		var nextWalk walkReq
		if len(l.walkQ) > 0 {
			walkOutCh, nextWalk = walkCh, l.walkQ[0]
		}
		select {
		case <-ctx.Done():
			return l.stop()
		case ev, ok := <-l.events:
			if !ok {
				l.events = nil
				continue
			}
			fatal = l.batch(ev)
		case err, ok := <-errs:
			if !ok {
				errs = nil
				continue
			}
			l.watchError(err)
		case out := <-found:
			fatal = l.found(out)
		case <-timer.C:
			fatal = l.due()
		case workOut <- nextJob:
			l.ready = l.ready[1:]
			delete(l.waiting, nextJob.path)
			l.inflight[nextJob.path] = nextJob.st
		case j := <-l.finished:
			delete(l.inflight, j.path)
		case walkOutCh <- nextWalk:
			l.walkQ = l.walkQ[1:]
		case <-poll:
			l.rescan(false)
		case <-l.stallEnd:
			l.stallEnd, l.events = nil, d.w.Events
			log.Info().Msg("reading events again")
		case s := <-d.reload:
			d.cur.Store(s)
			l.deb.quiet = s.cfg.Debounce
			log.Info().Msg("reloaded policy and config")
			l.checkWebhook(walkCtx, s.cfg)
		}
	}
	log.Error().Err(fatal).Msg("the queue database failed; stopping so that a restart can recover")
	l.stop()
	return fatal
}

// checkWebhook checks, beside the loop, that cfg's webhook can be
// reached, and warns when it cannot. Not fatal: alerts wait in the retry
// queue until it can, and a webhook may well be down for a while.
func (l *loop) checkWebhook(ctx context.Context, cfg *Config) {
	w := cfg.Webhook
	if w == nil {
		return
	}
	log := l.d.opt.Log
	l.walker.Go(func() {
		err := w.probe(ctx, l.d.act.client)
		switch {
		case ctx.Err() != nil:
		case errors.Is(err, errProbeRefused):
			log.Warn().Str("error", err.Error()).Msg("the webhook refuses baomi: check its headers (refused alerts are not retried)")
		case err != nil:
			log.Warn().Str("error", err.Error()).Msg("the webhook cannot be reached: alerts wait in the retry queue until it can")
		default:
			log.Info().Msg("the webhook can be reached")
		}
	})
}

// stop ends the loop: no more events or walks, the files being scanned
// get Grace to finish, the rest stays queued.
func (l *loop) stop() error {
	d := l.d
	if d.w != nil {
		d.w.Close()
	}
	l.stopWalks()
	close(l.work)
	done := make(chan struct{})
	go func() { l.workers.Wait(); close(done) }()
	grace := time.After(d.opt.Grace)
	for {
		select {
		case <-l.finished:
		case <-grace:
			l.stopScans() // their queue rows stay: scanned again next start
			grace = nil
		case <-done:
			l.walker.Wait()
			n, _ := d.st.depth(context.Background())
			d.opt.Log.Info().Int("queued", n).Msg("stopped")
			return nil
		}
	}
}

// persist queues paths in the database and only then hands them to the
// debouncer.
func (l *loop) persist(paths []string) error {
	if len(paths) == 0 {
		return nil
	}
	seqs, err := l.d.st.enqueue(paths)
	if err != nil {
		l.d.m.errors.WithLabelValues("db").Inc()
		return fmt.Errorf("queueing events: %w", err)
	}
	now := time.Now()
	for i, p := range paths {
		l.deb.touch(p, seqs[i], now)
	}
	return nil
}

// due moves the files that stopped changing to the ready list and drops
// those that vanished.
func (l *loop) due() error {
	ready, gone := l.deb.due(time.Now())
	for _, j := range gone {
		if err := l.d.st.done(j.path, j.seq, nil, "", nil); err != nil {
			l.d.m.errors.WithLabelValues("db").Inc()
			return err
		}
	}
	now := time.Now()
	for _, j := range ready {
		if _, busy := l.inflight[j.path]; busy {
			// Changed while being scanned: scan again after this scan.
			l.deb.touch(j.path, j.seq, now)
			continue
		}
		l.ready = append(l.ready, j)
		l.waiting[j.path] = j.st
	}
	return nil
}

// rescan queues a full comparison of every root with the recorded state,
// unless one is already waiting.
func (l *loop) rescan(overflow bool) {
	for _, r := range l.d.opt.Roots {
		dup := false
		for _, q := range l.walkQ {
			if q.dir == r && q.full {
				dup = true
			}
		}
		if !dup {
			l.walkQ = append(l.walkQ, walkReq{dir: r, full: true})
		}
	}
	if overflow {
		l.d.opt.Log.Warn().Strs("roots", l.d.opt.Roots).Msg("the kernel's event queue overflowed: rescanning the folders")
	}
}

// scan scans one file, logs and acts on the result, and records it, which
// takes the file off the queue and puts the failed actions in the retry
// queue.
func (d *Daemon) scan(ctx context.Context, j job) {
	s := d.cur.Load()
	root := under(d.opt.Roots, j.path)
	// What the scan reads, reached beneath the root through no link: an
	// action moves this file or none (nil: the path is no longer one).
	id, _ := identify(root, j.path)
	if d.ownNote(root, j.path, id) {
		// Not scanned: its name holds the quarantined file's, which
		// would flag it, and the rest is ours.
		d.opt.Log.Info().Str("path", j.path).Msg("not scanned: a note left for a quarantined file")
		if err := d.st.done(j.path, j.seq, &j.st, "note", nil); err != nil {
			d.m.errors.WithLabelValues("db").Inc()
			d.opt.Log.Error().Err(err).Str("path", j.path).Msg("recording a result failed")
		}
		return
	}
	start := time.Now()
	r := s.sc.ScanFile(ctx, j.path)
	if !sameFile(id, r.File) && ctx.Err() == nil {
		// The name led to another file while it was read: replaced, or a
		// folder swapped for a link and back. Read it once more; a second
		// time is churn or an attempt to have a decoy read in its place.
		id, _ = identify(root, j.path)
		if r = s.sc.ScanFile(ctx, j.path); !sameFile(id, r.File) {
			r = scanner.Replaced(j.path)
		}
	}
	if ctx.Err() != nil {
		return // stopped mid-file: the result may be partial; it stays queued
	}
	took := time.Since(start)
	d.logResult(&r, j.st.size, took)
	d.m.observe(&r, took)
	moved, retry := d.act.run(ctx, s.cfg, root, &r, id)
	st := &j.st
	if moved {
		st = nil
	}
	if err := d.st.done(j.path, j.seq, st, string(r.Verdict), retry); err != nil {
		// The row stays queued: the file is scanned again next start.
		d.m.errors.WithLabelValues("db").Inc()
		d.opt.Log.Error().Err(err).Str("path", j.path).Msg("recording a result failed")
		return
	}
	if len(retry) > 0 {
		select {
		case d.wake <- struct{}{}:
		default:
		}
	}
}

// sameFile reports whether read, the file a scan read, is id, the file
// identified beneath the root before it; true when either is not known
// (there is nothing to compare, and no action moves a file then).
func sameFile(id *fileID, read extract.FileID) bool {
	return id == nil || !read.Known() || id.Dev == read.Dev && id.Ino == read.Ino
}

// logResult logs one line per file and one per finding, never document
// text (Result's and Finding's MarshalZerologObject leave it out).
func (d *Daemon) logResult(r *scanner.Result, size int64, took time.Duration) {
	log := d.opt.Log
	ev := log.Info()
	if r.Verdict == scanner.Review || r.Verdict == scanner.Error {
		ev = log.Warn() // not proven clean: visible at --log-level warn
	}
	ev = ev.EmbedObject(r).Int64("size", size).Int64("took_ms", took.Milliseconds())
	if r.Verdict == scanner.Flagged {
		ev = ev.Str("max_severity", r.MaxSeverity().String())
	}
	ev.Msg("scanned")
	for _, f := range r.Findings {
		log.Warn().Str("path", r.Path).EmbedObject(f).Str("fingerprint", f.Fingerprint).Msg("finding")
	}
}

// statFile reads a file's stamp for the debouncer.
func statFile(path string) (stamp, error) {
	fi, err := os.Lstat(path)
	if errors.Is(err, os.ErrNotExist) || (err == nil && !fi.Mode().IsRegular()) {
		return stamp{}, errGone
	}
	if err != nil {
		return stamp{}, err
	}
	return stampOf(fi), nil
}

// foldRoots cleans roots and drops duplicates and roots inside another.
func foldRoots(roots []string) []string {
	var out []string
	for _, r := range roots {
		r = filepath.Clean(r)
		if !slices.Contains(out, r) && !insideOther(roots, r) {
			out = append(out, r)
		}
	}
	return out
}

// insideOther reports whether r is strictly inside another of roots.
func insideOther(roots []string, r string) bool {
	for _, o := range roots {
		o = filepath.Clean(o)
		if o != r && strings.HasPrefix(r, o+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// under returns the root that path is (or is inside), or "".
func under(roots []string, path string) string {
	for _, r := range roots {
		r = filepath.Clean(r)
		if path == r || strings.HasPrefix(path, r+string(filepath.Separator)) {
			return r
		}
	}
	return ""
}
