package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/sandbox"
)

// workerCommand is the hidden subcommand a child process runs.
const workerCommand = "__extract-worker"

// isolationFlags choose how files are read: in child processes (default) or
// in baomi's own process.
type isolationFlags struct {
	memory    string
	timeout   time.Duration
	inProcess bool
	passwords string // file of passwords for encrypted documents
	ocr       ocrFlags
	// reading is scanner.ReadingKey of the options extractor chose, for
	// the cache.
	reading string
}

func (f *isolationFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.memory, "file-memory", "1GiB", fmt.Sprintf("most resident memory reading one file may use (e.g. 512MiB, 2GiB; at least %dMiB); enforced by a cgroup where baomi may make one, else by a watchdog", sandbox.MinMemory>>20))
	cmd.Flags().DurationVar(&f.timeout, "file-timeout", 60*time.Second, "most time reading one file may take")
	cmd.Flags().BoolVar(&f.inProcess, "in-process", false, "read files in baomi's own process, without isolation (for debugging)")
	cmd.Flags().StringVar(&f.passwords, "password-file", "", "file of passwords to try on encrypted documents, one per line (never logged)")
	f.ocr.register(cmd)
}

// extractor returns the Extractor the flags ask for and a function that
// stops it and logs what happened to the children. idle is how many child
// processes to keep. It sets f.reading.
func (f *isolationFlags) extractor(g *globals, idle int) (scanner.Extractor, func(), error) {
	mem, err := parseBytes(f.memory)
	if err != nil {
		return nil, nil, usageErr("--file-memory: %v", err)
	}
	if mem < sandbox.MinMemory {
		return nil, nil, usageErr("--file-memory %s is too small: at least %dMiB", f.memory, sandbox.MinMemory>>20)
	}
	if f.timeout <= 0 {
		return nil, nil, usageErr("--file-timeout must be positive, got %v", f.timeout)
	}
	var opt extract.Options
	if f.passwords != "" {
		if opt.Passwords, err = readPasswords(f.passwords); err != nil {
			return nil, nil, usageErr("--password-file: %v", err)
		}
	}
	if opt.OCR, err = f.ocr.config(g); err != nil {
		return nil, nil, err
	}
	f.reading = scanner.ReadingKey(opt)
	if f.inProcess {
		return timed{scanner.InProcess{Options: opt}, f.timeout, opt}, func() {}, nil
	}
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, usageErr("cannot find baomi's own binary to start extraction processes: %v (use --in-process)", err)
	}
	pool := sandbox.New(sandbox.Options{
		Command: []string{exe, workerCommand},
		Memory:  mem,
		Timeout: f.timeout,
		Idle:    idle,
		Extract: opt,
	})
	return pool, func() {
		pool.Close()
		logStats(g, pool.Stats())
	}, nil
}

// readPasswords reads a password file: one password per line, UTF-8, a
// trailing CR stripped, empty lines skipped. Errors name the file, never its
// contents.
func readPasswords(path string) ([]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the file: %w", unwrapPath(err))
	}
	if !utf8.Valid(data) {
		return nil, fmt.Errorf("%s is not UTF-8 text", path)
	}
	var pws []string
	for _, line := range strings.Split(string(data), "\n") {
		if line = strings.TrimSuffix(line, "\r"); line != "" {
			pws = append(pws, line)
		}
	}
	return pws, nil
}

// unwrapPath drops the path from an *os.PathError: the caller names it.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// logStats logs, at info level, what happened to the extraction processes:
// counts and memory only, never paths or text.
func logStats(g *globals, s sandbox.Stats) {
	g.log.Info().
		Int("children", s.Started).
		Int("timed_out", s.TimedOut).
		Int("out_of_memory", s.OutOfMemory).
		Int("crashed", s.Crashed).
		Int64("max_child_rss_bytes", s.MaxRSS).
		Msg("extraction processes")
}

// timed bounds in-process extraction by a deadline, grown for each picture
// read by OCR as in the sandbox; extractors check it between pages, but a
// parser stuck in a loop cannot be stopped in-process.
type timed struct {
	x       scanner.Extractor
	timeout time.Duration
	opt     extract.Options // what x reads with: OCR's time per picture
}

func (t timed) Extract(ctx context.Context, path string) (*extract.Document, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	start := time.Now()
	deadline := time.AfterFunc(t.timeout, cancel)
	defer deadline.Stop()
	var mu sync.Mutex
	var pictures int64
	ctx = extract.OnPicture(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		pictures++
		deadline.Reset(time.Until(start.Add(sandbox.FileTime(t.timeout, pictures, t.opt))))
	})
	return t.x.Extract(ctx, path)
}

// parseBytes reads sizes such as 1GiB, 512MiB, 800M or 1073741824.
func parseBytes(s string) (int64, error) {
	units := []struct {
		suffix string
		mult   int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1e9}, {"MB", 1e6}, {"KB", 1e3}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}}
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, x := range units {
		if strings.HasSuffix(u, x.suffix) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, x.suffix)), x.mult
			break
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a size (e.g. 512MiB, 1GiB)", s)
	}
	return int64(n * float64(mult)), nil
}

func newWorkerCmd() *cobra.Command {
	return &cobra.Command{
		Use:    workerCommand,
		Short:  "Serve extraction requests from a parent baomi (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		// No logging set-up: stdout carries the protocol.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := sandbox.ServeChild(extract.File); err != nil {
				return &exitError{code: exitIncomplete, msg: "extraction worker: " + err.Error()}
			}
			return nil
		},
	}
}
