package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"

	"github.com/rs/zerolog"
	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/match"
	"github.com/baomi/baomi/scanner/watch"
)

type watchFlags struct {
	policy   policyFlags
	isolate  isolationFlags
	workers  int
	db       string
	config   string
	debounce time.Duration
	poll     time.Duration
	noNotify bool
	listen   string
	stall    time.Duration // hidden: tests force a real event-queue overflow
}

func newWatchCmd(g *globals) *cobra.Command {
	f := &watchFlags{}
	cmd := &cobra.Command{
		Use:   "watch DIR...",
		Short: "Watch shared folders and check every file created or changed in them",
		Long: `watch is a daemon: it watches folders (recursively) and scans every file created
or changed there once it has stopped changing, logging one JSON line per file
(and one per finding, never the matched text) on stderr. A config file (--config)
can quarantine flagged files, post results to a webhook or run a command.

Every change is queued in an SQLite database (--db) before it is handled, and on
start the folders are compared with it, so a restart or a crash loses nothing.
SIGHUP reloads the policies and the config; SIGTERM or Ctrl-C stops after the
files being scanned (exit 0). Exit code 3 on usage, policy or config errors.`,
		Example: `  baomi watch /srv/share
  baomi watch --config /etc/baomi/watch.yaml --listen 127.0.0.1:9464 /srv/share /srv/outgoing
  baomi watch --poll 1m --no-notify /mnt/nfs/share`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runWatch(g, cmd, f, args)
		},
	}
	fl := cmd.Flags()
	fl.IntVarP(&f.workers, "workers", "j", runtime.NumCPU(), "files scanned at once")
	fl.StringVar(&f.db, "db", "", "queue and state database `FILE` (default $STATE_DIRECTORY/watch.db under systemd, else in the user's cache folder)")
	fl.StringVar(&f.config, "config", "", "YAML config `FILE`: debounce, ignore, quarantine, webhook, command")
	fl.DurationVar(&f.debounce, "debounce", 0, "scan a file once its size and time stayed unchanged this long (default 2s, or the config's)")
	fl.DurationVar(&f.poll, "poll", 0, "also compare the folders with the database this often (e.g. 1m), for SMB/NFS mounts")
	fl.BoolVar(&f.noNotify, "no-notify", false, "do not use kernel file notifications (with --poll)")
	fl.StringVar(&f.listen, "listen", "", "serve /healthz and /metrics on `ADDR` (e.g. 127.0.0.1:9464); off by default")
	fl.DurationVar(&f.stall, "debug-stall-events", 0, "")
	_ = fl.MarkHidden("debug-stall-events")
	f.policy.register(cmd)
	f.isolate.register(cmd)
	return cmd
}

func runWatch(g *globals, cmd *cobra.Command, f *watchFlags, dirs []string) error {
	// Caught from the start: a reload sent while starting must not kill
	// the daemon (SIGHUP's default); it is applied once running.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)

	// A daemon logs JSON lines at info level unless told otherwise.
	lvl := zerolog.InfoLevel
	if cmd.Flags().Changed("log-level") {
		lvl = g.log.GetLevel()
	}
	// Milliseconds matter when reading a daemon's log; this process runs
	// only this command, so setting zerolog's global is harmless.
	zerolog.TimeFieldFormat = "2006-01-02T15:04:05.000Z07:00"
	log := zerolog.New(g.stderr).Level(lvl).With().Timestamp().Logger()
	g.log = log

	if f.workers < 1 {
		return usageErr("--workers must be at least 1, got %d", f.workers)
	}
	if f.poll < 0 || f.debounce < 0 {
		return usageErr("--poll and --debounce must not be negative")
	}
	if f.noNotify && f.poll == 0 {
		return usageErr("--no-notify needs --poll: otherwise nothing would be noticed")
	}
	cfg, err := f.loadConfig()
	if err != nil {
		return err
	}
	m, err := f.policy.load()
	if err != nil {
		return err
	}
	roots, err := watchRoots(dirs)
	if err != nil {
		return err
	}
	db, err := watchDB(f.db)
	if err != nil {
		return err
	}
	x, stopX, err := f.isolate.extractor(g, f.workers)
	if err != nil {
		return err
	}
	defer stopX()
	newScanner := func(mm *match.Matcher) *scanner.Scanner {
		return scanner.New(mm, scanner.Options{Workers: f.workers, Extractor: x})
	}
	d, err := watch.New(watch.Options{
		Roots: roots, DB: db, Poll: f.poll, NoNotify: f.noNotify, Workers: f.workers,
		Log: log, StallEvents: f.stall,
	}, newScanner(m), cfg)
	if err != nil {
		return usageErr("%v", err)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if f.listen != "" {
		ln, err := net.Listen("tcp", f.listen)
		if err != nil {
			return usageErr("--listen: %v", err)
		}
		srv := &http.Server{Handler: d.Handler(), ReadHeaderTimeout: 10 * time.Second}
		go func() {
			if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
				log.Error().Err(err).Msg("http listener")
			}
		}()
		defer srv.Close()
		log.Info().Str("addr", ln.Addr().String()).Msg("serving /healthz and /metrics")
	}

	go func() {
		for {
			select {
			case <-hup:
				reloadWatch(ctx, f, d, newScanner, log)
			case <-ctx.Done():
				return
			}
		}
	}()

	if err := d.Run(ctx); err != nil {
		return &exitError{code: exitIncomplete, msg: "watch: " + err.Error()}
	}
	return nil
}

// reloadWatch loads the policies and the config again and hands them to
// the daemon; on any problem the old ones stay and the error is logged.
func reloadWatch(ctx context.Context, f *watchFlags, d *watch.Daemon, newScanner func(*match.Matcher) *scanner.Scanner, log zerolog.Logger) {
	cfg, err := f.loadConfig()
	if err == nil {
		var m *match.Matcher
		if m, err = f.policy.load(); err == nil {
			err = d.Reload(ctx, newScanner(m), cfg)
		}
	}
	if err != nil {
		log.Error().Str("error", err.Error()).Msg("reload failed: keeping the old policy and config")
	}
}

// loadConfig reads --config (or takes the defaults) and applies --debounce.
func (f *watchFlags) loadConfig() (*watch.Config, error) {
	cfg := watch.DefaultConfig()
	if f.config != "" {
		c, err := watch.LoadConfig(f.config)
		if err != nil {
			return nil, usageErr("config errors:\n%v", err)
		}
		cfg = c
	}
	if f.debounce > 0 {
		cfg.Debounce = f.debounce
	}
	return cfg, nil
}

// watchRoots makes the folders absolute, with symbolic links resolved so
// that event paths and recorded paths agree.
func watchRoots(dirs []string) ([]string, error) {
	var roots []string
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err == nil {
			abs, err = filepath.EvalSymlinks(abs)
		}
		if err != nil {
			return nil, usageErr("%s: %v", d, err)
		}
		fi, err := os.Stat(abs)
		if err != nil {
			return nil, usageErr("%s: %v", d, err)
		}
		if !fi.IsDir() {
			return nil, usageErr("%s is not a folder: watch takes folders", d)
		}
		roots = append(roots, abs)
	}
	return roots, nil
}

// watchDB returns the database path: --db, else systemd's state folder,
// else the user's cache folder.
func watchDB(flag string) (string, error) {
	if flag != "" {
		abs, err := filepath.Abs(flag)
		if err != nil {
			return "", usageErr("--db: %v", err)
		}
		return abs, nil
	}
	if dir, _, _ := strings.Cut(os.Getenv("STATE_DIRECTORY"), ":"); dir != "" {
		return filepath.Join(dir, "watch.db"), nil
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", usageErr("no cache folder for the watch database: %v (use --db)", err)
	}
	return filepath.Join(dir, "baomi", "watch.db"), nil
}
