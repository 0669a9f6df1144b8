// Package cache is the SQLite store behind incremental audits and the audit
// history: content hashes of files keyed by path and stamp (size, mtime,
// ctime, inode); scan
// results keyed by content hash and policy hash; and a hash-chained record
// of each audit.
//
// The store never holds document text (DESIGN.md, promise 5): findings keep
// their rule, title, severity, location and fingerprint, never Text,
// Context, Before or After.
package cache

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // registers the pure-Go driver "sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// schemaVersion is the schema this code writes; migrations[v-1] brings a
// database from version v-1 to v.
const schemaVersion = 2

// appID marks the file as a baomi cache ("baom") so that Open refuses to add
// tables to some other program's SQLite database given by mistake.
const appID = 0x62616f6d

var migrations = []string{
	// 1: the first schema. WITHOUT ROWID keeps the text keys in one b-tree.
	`CREATE TABLE schema_version (version INTEGER NOT NULL);
	INSERT INTO schema_version (version) VALUES (0);
	CREATE TABLE files (
		path  TEXT PRIMARY KEY,
		size  INTEGER NOT NULL,
		mtime INTEGER NOT NULL, -- Unix nanoseconds
		hash  TEXT NOT NULL
	) WITHOUT ROWID;
	CREATE TABLE results (
		hash     TEXT NOT NULL,
		policy   TEXT NOT NULL,
		format   TEXT NOT NULL,
		verdict  TEXT NOT NULL,
		reason   TEXT NOT NULL,
		findings BLOB, -- JSON array of storedFinding, NULL when none
		PRIMARY KEY (hash, policy)
	) WITHOUT ROWID;
	CREATE TABLE audits (
		id          INTEGER PRIMARY KEY,
		user        TEXT NOT NULL,
		host        TEXT NOT NULL,
		started     TEXT NOT NULL, -- RFC 3339, UTC, nanoseconds
		finished    TEXT NOT NULL,
		policy_hash TEXT NOT NULL,
		paths       TEXT NOT NULL, -- JSON array
		summary     TEXT NOT NULL, -- JSON object, scanner.Summary
		findings    INTEGER NOT NULL,
		prev        TEXT NOT NULL,
		hash        TEXT NOT NULL
	);
	-- One row: the id and hash of the newest audit, written with it, so that
	-- deleting the newest record is noticed (see Verify).
	CREATE TABLE audit_head (
		one     INTEGER PRIMARY KEY CHECK (one = 1),
		last_id INTEGER NOT NULL,
		hash    TEXT NOT NULL
	);`,
	// 2: a file is unchanged only with its change time and inode too. Rows
	// of version 1 have neither (-1 matches no file): they are hashed again
	// once.
	`ALTER TABLE files ADD COLUMN ctime INTEGER NOT NULL DEFAULT -1; -- Unix nanoseconds, 0 where unknown
	ALTER TABLE files ADD COLUMN inode INTEGER NOT NULL DEFAULT -1; -- 0 where unknown`,
}

// Store is an open cache database. Its methods are safe for concurrent use.
type Store struct {
	path string
	// SQLite lets one connection write at a time; a one-connection writer
	// pool queues writers in Go instead of in SQLite's sleeping busy
	// handler, while WAL lets the reader pool run beside it.
	w, r *sql.DB

	putFile, getFile, putResult, getResult *sql.Stmt

	pre atomic.Pointer[preloaded] // what Preload read, if anything
}

// preloaded is what one Preload read: the file rows of the paths asked
// about (nil for a path the database does not know) and the results of
// their contents under one policy.
type preloaded struct {
	files   map[string]*fileRow
	results map[string]resultRow
	policy  string
}

type fileRow struct {
	stamp scanner.FileStamp
	hash  string
}

type resultRow struct {
	format, verdict, reason string
	blob                    []byte
}

// Preload reads in one query what FileHash and Result will be asked about
// paths under policyKey, so that an audit of a large unchanged tree does
// not make two queries per file. It replaces what an earlier Preload read.
func (s *Store) Preload(paths []string, policyKey string) error {
	ctx := context.Background()
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return s.wrap(err)
	}
	defer conn.Close()
	// The temporary table lives and dies with the transaction.
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(`CREATE TEMP TABLE want (path TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		return s.wrap(err)
	}
	ins, err := tx.Prepare(`INSERT OR IGNORE INTO want (path) VALUES (?)`)
	if err != nil {
		return s.wrap(err)
	}
	p := &preloaded{files: make(map[string]*fileRow, len(paths)), results: map[string]resultRow{}, policy: policyKey}
	for _, path := range paths {
		if _, err := ins.Exec(path); err != nil {
			return s.wrap(err)
		}
		p.files[path] = nil
	}
	rows, err := tx.Query(`SELECT f.path, f.size, f.mtime, f.ctime, f.inode, f.hash, r.format, r.verdict, r.reason, r.findings
		FROM want w JOIN files f ON f.path = w.path
		LEFT JOIN results r ON r.hash = f.hash AND r.policy = ?`, policyKey)
	if err != nil {
		return s.wrap(err)
	}
	defer rows.Close()
	for rows.Next() {
		var f fileRow
		var path string
		var inode int64
		var format, verdict, reason sql.NullString
		var blob []byte
		if err := rows.Scan(&path, &f.stamp.Size, &f.stamp.MTime, &f.stamp.CTime, &inode, &f.hash, &format, &verdict, &reason, &blob); err != nil {
			return s.wrap(err)
		}
		f.stamp.Inode = uint64(inode)
		p.files[path] = &f
		if verdict.Valid {
			p.results[f.hash] = resultRow{format: format.String, verdict: verdict.String, reason: reason.String, blob: blob}
		}
	}
	if err := rows.Err(); err != nil {
		return s.wrap(err)
	}
	s.pre.Store(p)
	return nil
}

// DefaultPath is os.UserCacheDir()/baomi/cache.db.
func DefaultPath() (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		return "", fmt.Errorf("no cache folder for the audit database: %w", err)
	}
	return filepath.Join(dir, "baomi", "cache.db"), nil
}

// Open creates the folder (0700) and database (0600) if needed, sets WAL,
// busy_timeout, synchronous=NORMAL and foreign keys, and creates or migrates
// the schema. A database of a newer schema, of another program, or a file
// that is not SQLite or is corrupt gives an error naming the file.
func Open(path string) (*Store, error) {
	return openDB(path, false)
}

// OpenOrReplace opens the database at path as Open does, after checking
// all of it (PRAGMA quick_check: it reads the whole file once). A damaged
// database is moved aside, with its -wal and -shm files, to
// path.corrupt-TIMESTAMP, and a new database is started at path: the cache
// only saves time, and an audit must not stop for it. So is a file that is
// not SQLite at all when its name ends in .db; another file (a document
// given as --db by mistake) gives an error, as do a database of another
// program or of a newer baomi: they are not ours to move. moved is where
// the damaged file went, "" when nothing was moved.
func OpenOrReplace(path string) (s *Store, moved string, err error) {
	s, err = openDB(path, true)
	var ce corruptError
	if !errors.As(err, &ce) || ce.notSQLite && !strings.EqualFold(filepath.Ext(path), ".db") {
		return s, "", err
	}
	if moved, err = moveAside(path, time.Now()); err != nil {
		return nil, "", fmt.Errorf("cache %s is damaged and could not be moved aside: %w", path, err)
	}
	s, err = Open(path)
	return s, moved, err
}

// moveAside renames the database at path and its -wal and -shm files to
// path.corrupt-TIMESTAMP (UTC), and returns that name. No connection may be
// open on it (Windows does not rename open files).
func moveAside(path string, now time.Time) (string, error) {
	to := path + ".corrupt-" + now.UTC().Format("20060102T150405.000Z")
	if err := os.Rename(path, to); err != nil {
		return "", err
	}
	// A WAL left beside a new database would be replayed into it.
	for _, suffix := range []string{"-wal", "-shm"} {
		if err := os.Rename(path+suffix, to+suffix); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return "", err
		}
	}
	return to, nil
}

// corruptError is an error about a file that is damaged or not a SQLite
// database at all (notSQLite).
type corruptError struct {
	error
	notSQLite bool
}

func (e corruptError) Unwrap() error { return e.error }

func openDB(path string, check bool) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	if err := os.MkdirAll(filepath.Dir(abs), 0o700); err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	if err := prepareFile(abs); err != nil {
		return nil, fmt.Errorf("cache %s: %w", path, err)
	}
	s := &Store{path: path}
	const pragmas = "_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_pragma=foreign_keys(1)"
	if s.w, err = sql.Open("sqlite", uri(abs)+"?"+pragmas+"&_txlock=immediate"); err != nil {
		return nil, s.wrap(err)
	}
	s.w.SetMaxOpenConns(1)
	if err := s.migrate(); err != nil {
		s.w.Close()
		return nil, err
	}
	if check {
		if err := s.check(); err != nil {
			s.w.Close()
			return nil, err
		}
	}
	if s.r, err = sql.Open("sqlite", uri(abs)+"?"+pragmas+"&_pragma=query_only(1)"); err != nil {
		s.w.Close()
		return nil, s.wrap(err)
	}
	n := max(4, runtime.GOMAXPROCS(0))
	s.r.SetMaxOpenConns(n)
	s.r.SetMaxIdleConns(n)
	if err := s.prepare(); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// prepareFile creates the database file with mode 0600 (SQLite would use
// 0644; its -wal and -shm files copy the database's mode) and checks that an
// existing non-empty file starts with SQLite's header, so that a stray file
// given as --db is reported rather than opened.
func prepareFile(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	const magic = "SQLite format 3\x00"
	head := make([]byte, len(magic))
	n, err := io.ReadFull(f, head)
	switch {
	case n == 0 && (err == io.EOF || err == nil):
		return nil // new or empty: SQLite treats it as an empty database
	case err != nil && !errors.Is(err, io.ErrUnexpectedEOF):
		return err
	case !bytes.Equal(head[:n], []byte(magic)):
		return corruptError{errors.New("not a SQLite database (wrong header); remove it or choose another --db"), true}
	}
	return nil
}

// uri makes an SQLite file: URI of an absolute path. The driver splits its
// DSN at the first '?', so '?', '#' and '%' in the path are escaped.
func uri(abs string) string {
	p := filepath.ToSlash(abs)
	switch {
	case strings.HasPrefix(p, "//"): // Windows UNC path: empty authority
		p = "//" + p
	case !strings.HasPrefix(p, "/"): // Windows drive letter
		p = "/" + p
	}
	r := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23")
	return "file:" + r.Replace(p)
}

// wrap names the database in an error and explains SQLite's codes for a
// file that is not a database or is damaged.
func (s *Store) wrap(err error) error {
	if err == nil {
		return nil
	}
	var se *sqlite.Error
	// Extended result codes keep the primary code in the low byte.
	if errors.As(err, &se) && (se.Code()&0xff == sqlite3.SQLITE_CORRUPT || se.Code()&0xff == sqlite3.SQLITE_NOTADB) {
		return corruptError{error: fmt.Errorf("cache %s is corrupt or not a baomi cache (remove it or choose another --db): %w", s.path, err)}
	}
	return fmt.Errorf("cache %s: %w", s.path, err)
}

// migrate checks the file is ours and brings its schema up to date, inside
// one immediate transaction so that two processes opening a new database at
// once do not both create it.
func (s *Store) migrate() error {
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return s.wrap(err)
	}
	defer tx.Rollback()
	var id int64
	var tables int
	if err := tx.QueryRow(`PRAGMA application_id`).Scan(&id); err != nil {
		return s.wrap(err)
	}
	if err := tx.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`).Scan(&tables); err != nil {
		return s.wrap(err)
	}
	if tables > 0 && id != appID {
		return fmt.Errorf("cache %s is a SQLite database of another program, not a baomi cache; choose another --db", s.path)
	}
	version := 0
	if tables > 0 {
		if err := tx.QueryRow(`SELECT version FROM schema_version`).Scan(&version); err != nil {
			return s.wrap(fmt.Errorf("reading schema version: %w", err))
		}
	}
	if version > schemaVersion {
		return fmt.Errorf("cache %s has schema version %d, newer than this baomi knows (%d): upgrade baomi or choose another --db", s.path, version, schemaVersion)
	}
	if version == schemaVersion {
		return nil
	}
	for v := version; v < schemaVersion; v++ {
		if _, err := tx.Exec(migrations[v]); err != nil {
			return s.wrap(fmt.Errorf("migrating to schema version %d: %w", v+1, err))
		}
	}
	if _, err := tx.Exec(`UPDATE schema_version SET version = ?`, schemaVersion); err != nil {
		return s.wrap(err)
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA application_id = %d`, appID)); err != nil {
		return s.wrap(err)
	}
	return s.wrap(tx.Commit())
}

// check reads the whole database for damage that opening does not see: a
// truncated file opens, then fails on the first row past its end.
func (s *Store) check() error {
	var res string
	if err := s.w.QueryRow(`PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return s.wrap(err)
	}
	if res != "ok" {
		return corruptError{error: fmt.Errorf("cache %s is corrupt (remove it or choose another --db)", s.path)}
	}
	return nil
}

func (s *Store) prepare() error {
	for _, p := range []struct {
		db   *sql.DB
		stmt **sql.Stmt
		q    string
	}{
		{s.w, &s.putFile, `INSERT INTO files (path, size, mtime, ctime, inode, hash) VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime,
				ctime = excluded.ctime, inode = excluded.inode, hash = excluded.hash`},
		{s.r, &s.getFile, `SELECT hash FROM files WHERE path = ? AND size = ? AND mtime = ? AND ctime = ? AND inode = ?`},
		{s.w, &s.putResult, `INSERT OR REPLACE INTO results (hash, policy, format, verdict, reason, findings) VALUES (?, ?, ?, ?, ?, ?)`},
		{s.r, &s.getResult, `SELECT format, verdict, reason, findings FROM results WHERE hash = ? AND policy = ?`},
	} {
		st, err := p.db.Prepare(p.q)
		if err != nil {
			return s.wrap(err)
		}
		*p.stmt = st
	}
	return nil
}

// Close closes the database. SQLite checkpoints the WAL into the database
// file when the last connection closes.
func (s *Store) Close() error {
	var errs []error
	for _, st := range []*sql.Stmt{s.putFile, s.getFile, s.putResult, s.getResult} {
		if st != nil {
			errs = append(errs, st.Close())
		}
	}
	// Readers first, so that the writer's close is the last and checkpoints.
	for _, db := range []*sql.DB{s.r, s.w} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return s.wrap(errors.Join(errs...))
}

// FileHash returns the content hash recorded for path with exactly this
// stamp.
func (s *Store) FileHash(path string, st scanner.FileStamp) (hash string, ok bool, err error) {
	if p := s.pre.Load(); p != nil {
		if row, asked := p.files[path]; asked {
			if row != nil && row.stamp == st {
				return row.hash, true, nil
			}
			return "", false, nil
		}
	}
	err = s.getFile.QueryRow(path, st.Size, st.MTime, st.CTime, int64(st.Inode)).Scan(&hash)
	if errors.Is(err, sql.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, s.wrap(err)
	}
	return hash, true, nil
}

// PutFileHash records the content hash of path with this stamp, replacing
// what was recorded for path before.
func (s *Store) PutFileHash(path string, st scanner.FileStamp, hash string) error {
	_, err := s.putFile.Exec(path, st.Size, st.MTime, st.CTime, int64(st.Inode), hash)
	return s.wrap(err)
}

// storedFinding is what the store keeps of a scanner.Finding: no document
// text. Short keys keep the blob small over tens of thousands of rows.
type storedFinding struct {
	Rule        string `json:"r"`
	Title       string `json:"t,omitempty"`
	Severity    int    `json:"s"`
	Part        string `json:"p,omitempty"`
	Page        int    `json:"pg,omitempty"`
	Line        int    `json:"l,omitempty"`
	Offset      int    `json:"o,omitempty"`
	Inner       string `json:"i,omitempty"`
	Fingerprint string `json:"f,omitempty"`
}

// Result returns the stored result for content hash + policy hash. The
// returned scanner.Result has Path "" and findings without Text, Context,
// Before and After (only rule, title, severity, location, fingerprint).
func (s *Store) Result(hash, policyHash string) (scanner.Result, bool, error) {
	var r scanner.Result
	var verdict string
	var blob []byte
	if row, ok := s.preloadedResult(hash, policyHash); ok {
		r.Format, verdict, r.Reason, blob = row.format, row.verdict, row.reason, row.blob
	} else {
		err := s.getResult.QueryRow(hash, policyHash).Scan(&r.Format, &verdict, &r.Reason, &blob)
		if errors.Is(err, sql.ErrNoRows) {
			return scanner.Result{}, false, nil
		}
		if err != nil {
			return scanner.Result{}, false, s.wrap(err)
		}
	}
	r.Verdict = scanner.Verdict(verdict)
	var stored []storedFinding
	if len(blob) > 0 {
		if err := json.Unmarshal(blob, &stored); err != nil {
			return scanner.Result{}, false, s.wrap(fmt.Errorf("result %s: %w", hash, err))
		}
	}
	// Like the scanner, an empty non-nil slice, so reports print [].
	r.Findings = make([]scanner.Finding, len(stored))
	for i, f := range stored {
		r.Findings[i] = scanner.Finding{
			Rule:        f.Rule,
			Title:       f.Title,
			Severity:    policies.Severity(f.Severity),
			Location:    scanner.Location{Part: f.Part, Page: f.Page, Line: f.Line, Offset: f.Offset, Inner: f.Inner},
			Fingerprint: f.Fingerprint,
		}
	}
	return r, true, nil
}

// preloadedResult returns the row Preload read for hash under policy.
func (s *Store) preloadedResult(hash, policy string) (resultRow, bool) {
	p := s.pre.Load()
	if p == nil || p.policy != policy {
		return resultRow{}, false
	}
	row, ok := p.results[hash]
	return row, ok
}

// PutResult stores r for hash+policy, dropping Text, Context, Before and
// After of every finding, and r.Path (a result is keyed by content, which
// many paths may share).
func (s *Store) PutResult(hash, policyHash string, r scanner.Result) error {
	var blob []byte
	if len(r.Findings) > 0 {
		stored := make([]storedFinding, len(r.Findings))
		for i, f := range r.Findings {
			l := f.Location
			stored[i] = storedFinding{
				Rule: f.Rule, Title: f.Title, Severity: int(f.Severity),
				Part: l.Part, Page: l.Page, Line: l.Line, Offset: l.Offset, Inner: l.Inner,
				Fingerprint: f.Fingerprint,
			}
		}
		var err error
		if blob, err = json.Marshal(stored); err != nil {
			return s.wrap(err)
		}
	}
	_, err := s.putResult.Exec(hash, policyHash, r.Format, string(r.Verdict), r.Reason, blob)
	return s.wrap(err)
}
