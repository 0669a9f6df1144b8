package watch

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the pure-Go driver "sqlite"
)

// appID marks the file as a baomi watch database ("baow"), so that a cache
// or another program's database given as --db is refused, not altered.
const appID = 0x62616f77

// schema is version 3 of the database. pending is the queue: a row per path
// with an event not yet answered by a recorded result; seq tells a newer
// event from the one a scan started with. files is the state: what each
// path looked like when its result was recorded, compared on start and by
// --poll to find what changed behind the daemon's back. actions (added in
// version 2; a version 1 database gains it) is the retry queue: a row per
// failed action, its task as JSON (the payload without text and the
// scanned file's identity), the attempts made and when the next is due.
// notes (version 3) holds the notes a quarantine left in the share, by
// path, with the hash of what was written: the daemon does not scan its
// own notes (their names hold the quarantined file's), unless someone
// changed them. No document text is ever stored.
const schema = `
CREATE TABLE IF NOT EXISTS pending (
	path TEXT PRIMARY KEY,
	seq  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS files (
	path    TEXT PRIMARY KEY,
	size    INTEGER NOT NULL,
	mtime   INTEGER NOT NULL, -- Unix nanoseconds
	verdict TEXT NOT NULL,
	scanned INTEGER NOT NULL  -- Unix nanoseconds
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS actions (
	id       INTEGER PRIMARY KEY,
	path     TEXT NOT NULL,
	attempts INTEGER NOT NULL,
	next     INTEGER NOT NULL, -- Unix nanoseconds
	task     TEXT NOT NULL     -- JSON, never document text
);
CREATE INDEX IF NOT EXISTS actions_next ON actions (next);
CREATE TABLE IF NOT EXISTS notes (
	path TEXT PRIMARY KEY,
	sum  BLOB NOT NULL -- SHA-256 of the note's bytes
) WITHOUT ROWID;
PRAGMA user_version = 3;`

// store is the daemon's SQLite database: the persisted event queue and the
// state of every file scanned. It holds an exclusive lock, so a second
// daemon on the same database fails to start instead of scanning twice.
type store struct {
	db  *sql.DB
	seq int64 // last seq given; only the event loop enqueues
}

// stamp is what a file looked like: size and modification time.
type stamp struct {
	size  int64
	mtime int64 // Unix nanoseconds
}

func stampOf(fi os.FileInfo) stamp { return stamp{fi.Size(), fi.ModTime().UnixNano()} }

// openStore opens or creates the database at path (folder 0700, file 0600).
func openStore(path string) (*store, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("watch database: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("watch database: %w", err)
	}
	f.Close()
	// locking_mode=EXCLUSIVE keeps the lock from the first write until
	// the connection closes; synchronous=NORMAL in WAL mode survives a
	// killed process (not a power cut, which FULL would).
	const pragmas = "?_pragma=busy_timeout(2000)&_pragma=locking_mode(EXCLUSIVE)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate"
	// The driver cuts its DSN at the first '?': escape the path.
	esc := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(filepath.ToSlash(path))
	db, err := sql.Open("sqlite", "file:"+esc+pragmas)
	if err != nil {
		return nil, fmt.Errorf("watch database %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	s := &store{db: db}
	if err := s.init(); err != nil {
		db.Close()
		return nil, fmt.Errorf("watch database %s: %w", path, err)
	}
	return s, nil
}

func (s *store) init() error {
	var id, version int64
	if err := s.db.QueryRow("PRAGMA application_id").Scan(&id); err != nil {
		return describe(err)
	}
	if err := s.db.QueryRow("PRAGMA user_version").Scan(&version); err != nil {
		return describe(err)
	}
	switch {
	case id != 0 && id != appID:
		return errors.New("not a baomi watch database (another program's SQLite file); choose another --db")
	case version > 3:
		return fmt.Errorf("written by a newer baomi (schema %d)", version)
	}
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA application_id = %d;", appID) + schema); err != nil {
		return describe(err)
	}
	return s.db.QueryRow("SELECT COALESCE(MAX(seq), 0) FROM pending").Scan(&s.seq)
}

// describe explains the error a database locked by another process gives.
func describe(err error) error {
	if strings.Contains(err.Error(), "locked") || strings.Contains(err.Error(), "SQLITE_BUSY") {
		return fmt.Errorf("in use by another baomi watch (%w)", err)
	}
	return err
}

func (s *store) close() error { return s.db.Close() }

// enqueue records paths in the queue, in one transaction, and returns the
// seq each was given. It returns only once the rows are committed: an event
// is acknowledged (handed to the debouncer) only after that.
func (s *store) enqueue(paths []string) ([]int64, error) {
	tx, err := s.db.Begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	st, err := tx.Prepare("INSERT INTO pending (path, seq) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET seq = excluded.seq")
	if err != nil {
		return nil, err
	}
	seqs := make([]int64, len(paths))
	next := s.seq
	for i, p := range paths {
		next++
		if _, err := st.Exec(p, next); err != nil {
			return nil, err
		}
		seqs[i] = next
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	s.seq = next
	return seqs, nil
}

// queued returns every path in the queue with its seq: the events a
// previous run took but did not finish.
func (s *store) queued() (map[string]int64, error) {
	rows, err := s.db.Query("SELECT path, seq FROM pending")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	q := map[string]int64{}
	for rows.Next() {
		var p string
		var seq int64
		if err := rows.Scan(&p, &seq); err != nil {
			return nil, err
		}
		q[p] = seq
	}
	return q, rows.Err()
}

// done records the outcome for path and takes it off the queue, in one
// transaction, unless a newer event (a seq other than seq) came meanwhile:
// then the row stays for the newer event. With st nil the file is
// forgotten (it vanished or was quarantined). The failed actions to try
// again go to the retry queue in the same transaction.
func (s *store) done(path string, seq int64, st *stamp, verdict string, retry []queuedTask) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range retry {
		b, err := json.Marshal(&q.task)
		if err != nil {
			return err
		}
		if _, err := tx.Exec("INSERT INTO actions (path, attempts, next, task) VALUES (?, ?, ?, ?)",
			q.task.Payload.Path, q.attempts, q.next.UnixNano(), string(b)); err != nil {
			return err
		}
	}
	if st != nil {
		_, err = tx.Exec(`INSERT INTO files (path, size, mtime, verdict, scanned) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, verdict = excluded.verdict, scanned = excluded.scanned`,
			path, st.size, st.mtime, verdict, time.Now().UnixNano())
	} else {
		_, err = tx.Exec("DELETE FROM files WHERE path = ?", path)
	}
	if err != nil {
		return err
	}
	if _, err := tx.Exec("DELETE FROM pending WHERE path = ? AND seq = ?", path, seq); err != nil {
		return err
	}
	return tx.Commit()
}

// addNote records that a note with the SHA-256 sum is about to be left
// at path. Rows are never removed: they are small, and one matches only
// a file holding exactly the note's bytes.
func (s *store) addNote(path string, sum []byte) error {
	_, err := s.db.Exec("INSERT INTO notes (path, sum) VALUES (?, ?) ON CONFLICT (path) DO UPDATE SET sum = excluded.sum", path, sum)
	return err
}

// noteSum returns the sum of the note left at path, nil if none was.
func (s *store) noteSum(path string) ([]byte, error) {
	var sum []byte
	err := s.db.QueryRow("SELECT sum FROM notes WHERE path = ?", path).Scan(&sum)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return sum, err
}

// under returns the recorded stamps of the files in dir and below.
func (s *store) under(dir string) (map[string]stamp, error) {
	lo, hi := subtree(dir)
	m := map[string]stamp{}
	return m, s.readStamps(m, "SELECT path, size, mtime FROM files WHERE path > ? AND path < ?", lo, hi)
}

// stampBatch bounds the variables of one query: SQLite refuses more than
// 32,766, and a first walk of a large share changes every file.
const stampBatch = 500

// stamps returns the recorded stamps of those of paths that have one.
func (s *store) stamps(paths []string) (map[string]stamp, error) {
	m := map[string]stamp{}
	for len(paths) > 0 {
		batch := paths[:min(len(paths), stampBatch)]
		paths = paths[len(batch):]
		args := make([]any, len(batch))
		for i, p := range batch {
			args[i] = p
		}
		q := "SELECT path, size, mtime FROM files WHERE path IN (?" + strings.Repeat(", ?", len(batch)-1) + ")"
		if err := s.readStamps(m, q, args...); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// readStamps adds the (path, size, mtime) rows of a query to m.
func (s *store) readStamps(m map[string]stamp, query string, args ...any) error {
	rows, err := s.db.Query(query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var p string
		var st stamp
		if err := rows.Scan(&p, &st.size, &st.mtime); err != nil {
			return err
		}
		m[p] = st
	}
	return rows.Err()
}

// forget drops the recorded state of paths.
func (s *store) forget(paths []string) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, p := range paths {
		if _, err := tx.Exec("DELETE FROM files WHERE path = ?", p); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// forgetUnder drops the recorded state of paths and everything below
// them: they were moved away or deleted.
func (s *store) forgetUnder(paths []string) error {
	tx, err := s.db.Begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, p := range paths {
		lo, hi := subtree(p)
		if _, err := tx.Exec("DELETE FROM files WHERE path = ? OR (path > ? AND path < ?)", p, lo, hi); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// queuedTask is a row of the retry queue.
type queuedTask struct {
	id       int64
	task     task
	attempts int       // made so far
	next     time.Time // when the next is due
}

// dueTasks returns up to limit tasks due at now, the earliest first, and,
// when there are none, when the next one is due (zero if none is queued).
// A row that cannot be read back is dropped: it could never run.
func (s *store) dueTasks(now time.Time, limit int) ([]queuedTask, time.Time, error) {
	rows, err := s.db.Query("SELECT id, attempts, next, task FROM actions WHERE next <= ? ORDER BY next LIMIT ?", now.UnixNano(), limit)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer rows.Close()
	var due []queuedTask
	var bad []int64
	for rows.Next() {
		var q queuedTask
		var next int64
		var b string
		if err := rows.Scan(&q.id, &q.attempts, &next, &b); err != nil {
			return nil, time.Time{}, err
		}
		if json.Unmarshal([]byte(b), &q.task) != nil {
			bad = append(bad, q.id)
			continue
		}
		q.next = time.Unix(0, next)
		due = append(due, q)
	}
	if err := rows.Err(); err != nil {
		return nil, time.Time{}, err
	}
	rows.Close()
	for _, id := range bad {
		if err := s.dropTask(id); err != nil {
			return nil, time.Time{}, err
		}
	}
	if len(due) > 0 {
		return due, time.Time{}, nil
	}
	var next sql.NullInt64
	if err := s.db.QueryRow("SELECT MIN(next) FROM actions").Scan(&next); err != nil || !next.Valid {
		return nil, time.Time{}, err
	}
	return nil, time.Unix(0, next.Int64), nil
}

// reschedule records another failed attempt of a queued task.
func (s *store) reschedule(q *queuedTask) error {
	_, err := s.db.Exec("UPDATE actions SET attempts = ?, next = ? WHERE id = ?", q.attempts, q.next.UnixNano(), q.id)
	return err
}

// dropTask takes a task off the retry queue: done, refused or given up.
func (s *store) dropTask(id int64) error {
	_, err := s.db.Exec("DELETE FROM actions WHERE id = ?", id)
	return err
}

// tasks returns the number of actions waiting in the retry queue.
func (s *store) tasks(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM actions").Scan(&n)
	return n, err
}

// depth returns the number of paths waiting in the queue.
func (s *store) depth(ctx context.Context) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM pending").Scan(&n)
	return n, err
}

// subtree returns the bounds (exclusive) of the paths below dir in byte
// order: dir+"/" sorts before all of them and dir+"0" ('/'+1) after.
func subtree(dir string) (lo, hi string) {
	dir = strings.TrimSuffix(dir, string(filepath.Separator))
	return dir + string(filepath.Separator), dir + string(rune(filepath.Separator+1))
}
