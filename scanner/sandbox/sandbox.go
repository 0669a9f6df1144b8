// Package sandbox runs extraction in child processes, so that a file that
// crashes a parser, loops forever or allocates gigabytes costs one error
// verdict and never the scanning process. The parent keeps a pool of
// children running baomi in worker mode, sends each a path, and reads back
// the extracted text in pieces. Each child runs under a memory limit (a
// cgroup where baomi may make one, else a watchdog of its resident memory),
// is killed when it runs over time, and dies with its parent.
package sandbox

import (
	"cmp"
	"context"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// envMemory passes the memory limit, in bytes, to a child.
const envMemory = "BAOMI_SANDBOX_MEMORY"

// request and response are the protocol between parent and child: gob
// values on the child's stdin and stdout. A request is answered by a
// response per piece of text, then one that ends the file with the
// document (its format and review sentences, no segments) or the error.
// Text crosses in pieces of at most pieceSize bytes, so the parent never
// holds more of a file's text than the piece it is matching. While it
// reads, the child announces each picture it starts to read by OCR
// (Picture), and the parent gives the file a picture's time more.
type request struct {
	Path    string
	Options extract.Options
}

type response struct {
	Piece   *piece
	Doc     *extract.Document
	Err     *extract.Error
	Picture bool
}

// piece is a segment or part of one: Text holds at most pieceSize bytes,
// and More says the segment continues in the next piece.
type piece struct {
	Seg  extract.Segment
	More bool
}

// pieceSize bounds the text of one response.
const pieceSize = 256 << 10

// Options configure a Pool.
type Options struct {
	// Command starts a child in worker mode: the program and its arguments.
	Command []string
	// Env is added to the child's environment.
	Env []string
	// Memory is the most memory a child may use, in bytes; 0 means no limit.
	Memory int64
	// Timeout is the most time one file may take; 0 means no limit. Each
	// picture the file has read by OCR adds Extract.OCR's PictureTimeout,
	// for at most Extract.MaxPages pictures: a scanned document takes
	// seconds a page.
	Timeout time.Duration
	// Extract are the options passed to the extractors in the child.
	Extract extract.Options
	// Idle is how many idle children are kept for reuse.
	Idle int
}

// Pool extracts files in child processes. It is safe for concurrent use;
// each call uses one child at a time, so concurrency is the caller's.
type Pool struct {
	opt    Options
	mu     sync.Mutex
	idle   []*child
	live   map[*child]bool
	closed bool

	statsMu sync.Mutex
	stats   Stats
}

// Stats count what happened to a Pool's children. They carry no paths and
// no document text, so they may be logged.
type Stats struct {
	Started     int   // children started
	TimedOut    int   // children killed for running over the timeout
	OutOfMemory int   // children that died at the memory limit
	Crashed     int   // children that died any other way (stack overflow, fatal error, exit)
	MaxRSS      int64 // the largest peak resident memory of a child, in bytes (Linux; 0 elsewhere)
}

// Stats returns the counts so far. MaxRSS is read from each child as it is
// stopped (the kernel's high-water mark covers every file the child read)
// and before a timeout kill, so it is complete after Close; a child that
// died at the memory limit is not in it. Reading it after every file cost
// more than reading a small file.
func (p *Pool) Stats() Stats {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	return p.stats
}

// count applies f to the stats under their lock.
func (p *Pool) count(f func(*Stats)) {
	p.statsMu.Lock()
	defer p.statsMu.Unlock()
	f(&p.stats)
}

// New returns a Pool; children start on first use.
func New(opt Options) *Pool {
	if opt.Idle <= 0 {
		opt.Idle = 1
	}
	return &Pool{opt: opt, live: map[*child]bool{}}
}

// child is one running worker process.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	enc    *gob.Encoder
	dec    *gob.Decoder
	stderr *deathNote
	exited chan struct{} // closed when the process has exited
	err    error         // Wait's result, set before exited is closed
	limit  *memoryLimit  // released before exited is closed
}

// Extract reads the file at path in a child process and returns its whole
// document.
func (p *Pool) Extract(ctx context.Context, path string) (*extract.Document, error) {
	var c extract.Collector
	doc, err := p.ExtractTo(ctx, path, c.Add)
	if doc != nil {
		doc.Segments = c.Segments()
	}
	return doc, err
}

// ExtractTo reads the file at path in a child process, handing its text to
// sink as it arrives. The document returned has no segments. An error of
// sink stops nothing in the child, whose answer is read to its end, and is
// returned.
func (p *Pool) ExtractTo(ctx context.Context, path string, sink extract.Sink) (*extract.Document, error) {
	c, err := p.get()
	if err != nil {
		return nil, err
	}
	doc, err, healthy := p.roundTrip(ctx, c, path, sink)
	if healthy {
		p.put(c)
	} else {
		p.discard(c)
		if ctx.Err() == nil {
			// The child was stopped before it could hash the file: a file
			// a policy knows by its hash must not escape by being too
			// slow or too big to read.
			err = extract.AddFileDigest(err, path, p.opt.Extract)
		}
	}
	return doc, err
}

// answer is the end of a child's answer to one request; broken means the
// child stopped answering.
type answer struct {
	doc     *extract.Document
	err     error
	healthy bool
	broken  bool
}

// roundTrip sends one request and reads its answer, until the answer ends,
// the timeout, or ctx. healthy is false when the child must not be reused.
func (p *Pool) roundTrip(ctx context.Context, c *child, path string, sink extract.Sink) (doc *extract.Document, err error, healthy bool) {
	if err := c.enc.Encode(request{Path: path, Options: p.opt.Extract}); err != nil {
		return nil, p.died(c), false
	}
	done := make(chan answer, 1)
	var pictures atomic.Int64 // announced by the child
	announced := make(chan struct{}, 1)
	go func() {
		done <- p.receive(c, sink, func() {
			pictures.Add(1)
			select {
			case announced <- struct{}{}:
			default: // one is waiting: roundTrip reads the count then
			}
		})
	}()
	var t *time.Timer
	var timeout <-chan time.Time
	start := time.Now()
	if p.opt.Timeout > 0 {
		t = time.NewTimer(p.opt.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	for {
		select {
		case <-announced:
			if t != nil {
				t.Reset(time.Until(start.Add(FileTime(p.opt.Timeout, pictures.Load(), p.opt.Extract))))
			}
		case a := <-done:
			if a.broken {
				return nil, p.died(c), false
			}
			return a.doc, a.err, a.healthy
		case <-timeout:
			p.notePeak(c)
			c.kill()
			<-done // sink is not called once roundTrip has returned
			p.count(func(s *Stats) { s.TimedOut++ })
			if n := pictures.Load(); n > 0 {
				return nil, extract.Errorf(extract.KindTimeout, "reading took longer than %v (file timeout, with time added for the pictures read by OCR): stopped", FileTime(p.opt.Timeout, n, p.opt.Extract)), false
			}
			return nil, extract.Errorf(extract.KindTimeout, "reading took longer than %v (file timeout): stopped", p.opt.Timeout), false
		case <-ctx.Done():
			c.kill()
			<-done
			return nil, extract.Errorf(extract.KindTimeout, "cancelled"), false
		}
	}
}

// FileTime is the time a file read with opt may take once it has started
// reading n pictures by OCR: timeout, and a picture's OCR time for each,
// for at most opt.MaxPages pictures.
func FileTime(timeout time.Duration, n int64, opt extract.Options) time.Duration {
	n = min(n, int64(cmp.Or(opt.MaxPages, extract.DefaultOptions().MaxPages)))
	return timeout + time.Duration(n)*opt.OCR.PictureTimeout()
}

// receive reads one answer of c, handing its pieces to sink and calling
// picture for each picture the child announces.
func (p *Pool) receive(c *child, sink extract.Sink, picture func()) answer {
	var sinkErr error
	for {
		var resp response // a fresh value: gob leaves absent fields as they were
		if err := c.dec.Decode(&resp); err != nil {
			return answer{broken: true}
		}
		switch {
		case resp.Picture:
			picture()
			continue
		case resp.Piece != nil:
			if sinkErr == nil {
				sinkErr = sink(resp.Piece.Seg, resp.Piece.More)
			}
			continue
		case sinkErr != nil:
			return answer{err: sinkErr, healthy: true}
		case resp.Err != nil:
			return answer{err: resp.Err, healthy: true}
		case resp.Doc == nil:
			return answer{err: extract.Errorf(extract.KindCrash, "the extractor returned no document")}
		}
		return answer{doc: resp.Doc, healthy: true}
	}
}

// notePeak records a live child's memory high-water mark in the stats.
func (p *Pool) notePeak(c *child) {
	if rss := peakRSS(c.cmd.Process.Pid); rss > 0 {
		p.count(func(s *Stats) { s.MaxRSS = max(s.MaxRSS, rss) })
	}
}

// died explains why a child stopped answering.
func (p *Pool) died(c *child) error {
	c.kill()
	<-c.exited
	oom, deep := c.stderr.cause()
	oom = oom || c.limit.killed
	p.count(func(s *Stats) {
		if oom {
			s.OutOfMemory++
		} else {
			s.Crashed++
		}
	})
	switch {
	case oom:
		return c.limit.reason()
	case deep:
		return extract.Errorf(extract.KindLimit, "the file nests too deeply (stack limit): stopped")
	}
	var ee *exec.ExitError
	if errors.As(c.err, &ee) {
		return extract.Errorf(extract.KindCrash, "the extractor crashed on this file (%s)", ee.ProcessState.String())
	}
	return extract.Errorf(extract.KindCrash, "the extractor stopped answering: %v", c.err)
}

// get returns an idle child or starts one.
func (p *Pool) get() (*child, error) {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return nil, extract.Errorf(extract.KindTimeout, "cancelled: the extraction pool is closed")
	}
	for len(p.idle) > 0 {
		c := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		select {
		case <-c.exited:
			delete(p.live, c)
			continue
		default:
		}
		p.mu.Unlock()
		return c, nil
	}
	p.mu.Unlock()
	c, err := p.start()
	if err != nil {
		return nil, extract.Errorf(extract.KindCrash, "cannot start an extraction process: %v", err)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		c.kill()
		return nil, extract.Errorf(extract.KindTimeout, "cancelled: the extraction pool is closed")
	}
	p.live[c] = true
	return c, nil
}

func (p *Pool) put(c *child) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= p.opt.Idle {
		delete(p.live, c)
		p.notePeak(c)
		c.stop()
		return
	}
	p.idle = append(p.idle, c)
}

func (p *Pool) discard(c *child) {
	c.kill()
	p.mu.Lock()
	delete(p.live, c)
	p.mu.Unlock()
}

// Close stops every child; Extract calls after Close fail.
func (p *Pool) Close() error {
	p.mu.Lock()
	p.closed = true
	live := p.live
	p.live, p.idle = map[*child]bool{}, nil
	p.mu.Unlock()
	for c := range live {
		p.notePeak(c)
		c.stop()
	}
	return nil
}

// start launches a child process.
func (p *Pool) start() (*child, error) {
	if len(p.opt.Command) == 0 {
		return nil, errors.New("no worker command")
	}
	cmd := exec.Command(p.opt.Command[0], p.opt.Command[1:]...)
	cmd.Env = append(os.Environ(), p.opt.Env...)
	setParentDeath(cmd)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	limit := limitChild(cmd, p.opt.Memory)
	c := &child{cmd: cmd, stdin: stdin, enc: gob.NewEncoder(stdin), dec: gob.NewDecoder(stdout), stderr: &deathNote{}, exited: make(chan struct{}), limit: limit}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		limit.release()
		return nil, err
	}
	p.count(func(s *Stats) { s.Started++ })
	go func() {
		c.err = cmd.Wait()
		limit.release()
		close(c.exited)
	}()
	return c, nil
}

// stop asks a child to exit by closing its input, kills it if it does not
// within a second, and returns once it has exited, so that Close leaves no
// process behind.
func (c *child) stop() {
	c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(time.Second):
		c.kill()
		<-c.exited
	}
}

func (c *child) kill() {
	select {
	case <-c.exited:
	default:
		c.cmd.Process.Kill()
	}
}

// deathNote watches a child's stderr for the runtime's words on how it died
// (out of memory, stack overflow), which come before a long stack trace.
// The text itself is never kept or logged: a parser's message may quote the
// file.
type deathNote struct {
	mu        sync.Mutex
	last      []byte // the end of what was written, so a phrase split between writes is seen
	oom, deep bool
}

var (
	oomPhrases  = []string{"out of memory", "cannot allocate memory"}
	deepPhrases = []string{"stack overflow", "stack exceeds"}
)

func (d *deathNote) Write(b []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	text := string(append(d.last, b...))
	d.oom = d.oom || containsAny(text, oomPhrases)
	d.deep = d.deep || containsAny(text, deepPhrases)
	const keep = 32
	if len(text) > keep {
		text = text[len(text)-keep:]
	}
	d.last = append(d.last[:0], text...)
	return len(b), nil
}

func (d *deathNote) cause() (oom, deep bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.oom, d.deep
}

func containsAny(s string, phrases []string) bool {
	for _, p := range phrases {
		if strings.Contains(s, p) {
			return true
		}
	}
	return false
}

// bytesString prints a byte count for a person.
func bytesString(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
