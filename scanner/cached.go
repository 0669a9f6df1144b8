package scanner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"io/fs"
	"os"
	"sync"
	"sync/atomic"
)

// Cache keeps results between scans, keyed by file content and policy, so
// that a re-audit reads only what changed. The engine knows it only through
// this interface; cmd/baomi hands it the SQLite store (scanner/cache).
type Cache interface {
	// FileHash returns the content hash recorded for path when its stamp
	// is still the one recorded with it.
	FileHash(path string, st FileStamp) (hash string, ok bool, err error)
	// PutFileHash records path's content hash with its stamp.
	PutFileHash(path string, st FileStamp, hash string) error
	// Result returns the result stored for content hash under policyHash.
	// Findings come back without document text.
	Result(hash, policyHash string) (Result, bool, error)
	// PutResult stores r for content hash under policyHash; the store must
	// drop document text (Text, Context, Before, After).
	PutResult(hash, policyHash string, r Result) error
}

// Preloader is a Cache that can read at once what it will be asked about a
// list of files, so that an audit of a large unchanged tree makes one
// query, not two per file.
type Preloader interface {
	Preload(paths []string, policyKey string) error
}

// resultVersion is part of the key results are cached under: bump it when
// an extractor or the matcher changes what a file gives, so that results
// of an older baomi are not served.
const resultVersion = "3" // 3: pictures inside documents are read by OCR or make them review

// CacheStats counts how the files of the scans with a Cache were served.
type CacheStats struct {
	Served  int64 // unchanged files served from the cache without being read
	Hashed  int64 // files read to hash them: new, or changed size or mtime
	Known   int64 // of those, content whose result was stored: not scanned
	Shared  int64 // files with the content of another file of this scan
	Scanned int64 // files extracted and matched
	Errors  int64 // cache reads or writes that failed (the files were scanned)
}

type cacheCounters struct {
	served, hashed, known, shared, scanned, errors atomic.Int64
}

// CacheStats returns the counts so far.
func (s *Scanner) CacheStats() CacheStats {
	c := &s.stats
	return CacheStats{Served: c.served.Load(), Hashed: c.hashed.Load(), Known: c.known.Load(),
		Shared: c.shared.Load(), Scanned: c.scanned.Load(), Errors: c.errors.Load()}
}

// cacheKey is the policy and reading part of the key results are stored
// under.
func (s *Scanner) cacheKey() string {
	if s.opt.Reading == "" {
		return s.m.Policy().Hash + "/" + resultVersion
	}
	return s.m.Policy().Hash + "/" + resultVersion + "/" + s.opt.Reading
}

// cached gives path (whose stat is st) its result through the cache:
//
//   - stamp (size, mtime, ctime, inode) as recorded: the content hash is
//     known without reading the file; if that content's result is stored
//     it is served;
//   - otherwise the file is hashed (read once, streaming) and, if a result
//     for that content is stored, that is served;
//   - otherwise it is scanned and the result stored.
//
// A stored flagged result is never served: the store holds no document
// text (DESIGN.md, promise 5) and a report must show what was found, so
// flagged files are scanned again. Error results are not stored: a
// timeout or a permission problem may be gone next time. The result is
// the content's: the caller adds the findings of the file's name.
func (s *Scanner) cached(ctx context.Context, path string, st fs.FileInfo) Result {
	c := s.opt.Cache
	stamp := StampOf(st)
	hash, indexed, err := c.FileHash(path, stamp)
	if err != nil {
		s.stats.errors.Add(1)
		indexed = false
	}
	if !indexed {
		if hash, err = hashFile(path); err != nil {
			// Unreadable: the extractor gives the error verdict and reason.
			return s.scanContent(ctx, path)
		}
		s.stats.hashed.Add(1)
		// st was taken before reading: if the file changed meanwhile its
		// ctime moved on, and this record will not match it.
		if err := c.PutFileHash(path, stamp, hash); err != nil {
			s.stats.errors.Add(1)
		}
	}
	stored, ok, err := c.Result(hash, s.cacheKey())
	if err != nil {
		s.stats.errors.Add(1)
		ok = false
	}
	if ok && stored.Verdict != Flagged && stored.Verdict != Error {
		if indexed {
			s.stats.served.Add(1)
		} else {
			s.stats.known.Add(1)
		}
		r := withPath(stored, path)
		r.SHA256 = hash // the content key is the file's SHA-256
		return r
	}
	return s.once(ctx, hash, path, st, !ok)
}

// memo makes files with the same content scanned once per Scanner: the
// first scans, the others wait and take its result.
type memo struct {
	mu sync.Mutex
	m  map[string]*flight
}

type flight struct {
	done chan struct{}
	r    Result
}

// once scans path, whose content hash is hash, unless another file with
// that content is or was scanned in this scan; store says to keep the
// result in the cache.
func (s *Scanner) once(ctx context.Context, hash, path string, st fs.FileInfo, store bool) Result {
	s.memo.mu.Lock()
	if s.memo.m == nil {
		s.memo.m = map[string]*flight{}
	}
	if f, ok := s.memo.m[hash]; ok {
		s.memo.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return Result{Path: path, Verdict: Error, Reason: "interrupted", Findings: []Finding{}}
		}
		s.stats.shared.Add(1)
		return withPath(f.r, path)
	}
	f := &flight{done: make(chan struct{})}
	s.memo.m[hash] = f
	s.memo.mu.Unlock()

	f.r = s.scanContent(ctx, path)
	s.stats.scanned.Add(1)
	if store && f.r.Verdict != Error && ctx.Err() == nil && unchanged(path, st) {
		if err := s.opt.Cache.PutResult(hash, s.cacheKey(), f.r); err != nil {
			s.stats.errors.Add(1)
		}
	}
	close(f.done)
	if f.r.Verdict != Flagged {
		// Later copies find it in the cache; only flagged results, whose
		// text the cache does not keep, stay in memory for them.
		s.memo.mu.Lock()
		delete(s.memo.m, hash)
		s.memo.mu.Unlock()
	}
	return f.r
}

// withPath returns r for another file with the same content.
func withPath(r Result, path string) Result {
	r.Path = path
	r.Findings = append([]Finding{}, r.Findings...)
	return r
}

// unchanged reports whether path still has st's stamp, so that what was
// read is what was hashed.
func unchanged(path string, st fs.FileInfo) bool {
	now, err := os.Stat(path)
	return err == nil && StampOf(now) == StampOf(st)
}

// hashFile returns the hex SHA-256 of path's content, read streaming.
func hashFile(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
