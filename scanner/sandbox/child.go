package sandbox

import (
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
)

// ExtractFunc reads one file; extract.File is the one baomi uses.
type ExtractFunc func(ctx context.Context, path string, opt extract.Options) (*extract.Document, error)

// childGCPercent is a child's garbage collection goal (GOGC).
const childGCPercent = 400

// ServeChild is the body of a child process: it applies the memory limit
// the parent asked for, exits when the parent dies, and serves requests on
// stdin/stdout until stdin closes.
func ServeChild(fn ExtractFunc) error {
	if mem, _ := strconv.ParseInt(os.Getenv(envMemory), 10, 64); mem > 0 {
		// The limit is on resident memory: the cgroup the parent started
		// this child in enforces it, or else the watchdog. The data segment
		// limit is a far backstop only: it counts what the runtime reserves.
		if err := limitData(dataBackstop(mem)); err != nil {
			return fmt.Errorf("setting the memory limit: %w", err)
		}
		// Let the garbage collector work hard before the limit hits.
		debug.SetMemoryLimit(mem / 4 * 3)
		watchdog := os.Getenv(envCgroup) == ""
		if watchdog {
			if _, err := resident(); err != nil {
				return fmt.Errorf("cannot watch the memory limit: %w", err)
			}
			go watchMemory(mem)
		}
		fn = withinMemory(fn, mem, watchdog)
	}
	// A child reads one file at a time on one goroutine. One P keeps its
	// garbage collector on the child's own share of the CPUs, so that -j N
	// children and the parent fit N cores; a larger heap goal makes
	// collections four times rarer: most files leave little live data, and at
	// the default goal the runtime's 4 MB minimum heap made the child collect
	// every few megabytes read (a third of its CPU time over the bench corpus,
	// BENCHMARKS.md). The memory limit above still bounds the heap.
	runtime.GOMAXPROCS(1)
	debug.SetGCPercent(childGCPercent)
	go exitWithParent(os.Getppid())
	proto := os.Stdout
	// Anything a library prints must not corrupt the protocol.
	os.Stdout = os.Stderr
	return Serve(os.Stdin, proto, fn)
}

// withinMemory wraps fn so that the file that took a child over its
// memory limit is the one blamed, not the next. Each file starts with the
// memory the last one freed given back to the system (the collector keeps
// it for reuse: at 48 MiB, small files read after large ones were killed);
// with the watchdog, a file that ends over the limit is stopped at once,
// not the next one when the watchdog next looks.
func withinMemory(fn ExtractFunc, mem int64, watchdog bool) ExtractFunc {
	return func(ctx context.Context, path string, opt extract.Options) (*extract.Document, error) {
		if rss, _ := resident(); rss > mem/2 {
			debug.FreeOSMemory()
		}
		doc, err := fn(ctx, path, opt)
		if watchdog {
			if rss, _ := resident(); rss > mem {
				outOfMemory()
			}
		}
		return doc, err
	}
}

// outOfMemory ends the process with the words the parent reads as a death
// at the memory limit.
func outOfMemory() {
	fmt.Fprintln(os.Stderr, "fatal error: out of memory (resident memory over the limit)")
	os.Exit(2)
}

// exitWithParent ends the child when its parent is gone, for systems
// without a parent-death signal and as a second line on those with one.
func exitWithParent(parent int) {
	for range time.Tick(500 * time.Millisecond) {
		if os.Getppid() != parent {
			os.Exit(3)
		}
	}
}

// Serve answers requests read from in with responses written to out, one
// file at a time, until in is closed. A panic while reading a file becomes
// that file's error.
func Serve(in io.Reader, out io.Writer, fn ExtractFunc) error {
	dec, enc := gob.NewDecoder(in), gob.NewEncoder(out)
	// Pictures may be read on goroutines of the extraction's own, all
	// ended when fn returns: only announcements can overlap.
	var mu sync.Mutex
	ctx := extract.OnPicture(context.Background(), func() {
		mu.Lock()
		defer mu.Unlock()
		// A parent that cannot be told is gone: the answer's own write
		// fails and ends Serve.
		_ = enc.Encode(response{Picture: true})
	})
	for {
		var req request
		if err := dec.Decode(&req); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		doc, err := safely(ctx, fn, req)
		if err != nil {
			var e *extract.Error
			if !errors.As(err, &e) {
				e = &extract.Error{Kind: extract.KindCorrupt, Reason: err.Error()}
			}
			if err := enc.Encode(response{Err: e}); err != nil {
				return err
			}
			continue
		}
		if err := send(enc, doc); err != nil {
			return err
		}
	}
}

// send writes doc as the answer to one request: its segments in pieces of
// at most pieceSize bytes, cut between characters, then the document
// without them.
func send(enc *gob.Encoder, doc *extract.Document) error {
	if doc == nil {
		return enc.Encode(response{}) // the parent calls that a crash
	}
	for _, seg := range doc.Segments {
		text := seg.Text
		for {
			n := len(text)
			if n > pieceSize {
				n = pieceSize
				for k := 0; k < utf8.UTFMax && !utf8.RuneStart(text[n]); k++ {
					n--
				}
			}
			seg.Text = text[:n]
			text = text[n:]
			if err := enc.Encode(response{Piece: &piece{Seg: seg, More: text != ""}}); err != nil {
				return err
			}
			if text == "" {
				break
			}
		}
	}
	return enc.Encode(response{Doc: &extract.Document{Format: doc.Format, Review: doc.Review, Digests: doc.Digests, Pictures: doc.Pictures, File: doc.File}})
}

func safely(ctx context.Context, fn ExtractFunc, req request) (doc *extract.Document, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, extract.Errorf(extract.KindCrash, "the parser crashed on this file") // p may quote the file
		}
	}()
	return fn(ctx, req.Path, req.Options)
}
