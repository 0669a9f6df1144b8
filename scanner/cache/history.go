package cache

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/baomi/baomi/scanner"
)

// Audit is one audit's record. AddAudit sets ID, Prev (the previous
// record's Hash, "" for the first) and Hash, the SHA-256 of a canonical
// encoding of every other field including Prev.
type Audit struct {
	ID         int64
	User, Host string
	Started    time.Time
	Finished   time.Time
	PolicyHash string
	Paths      []string
	Summary    scanner.Summary
	Findings   int
	Prev, Hash string
}

// ErrTampered is wrapped by Verify's error when the history was changed
// other than by AddAudit.
var ErrTampered = errors.New("audit history was tampered with")

// auditRow is an audit as stored: Hash covers these columns exactly as
// written, so that Verify need not re-encode, and a field added to
// scanner.Summary later does not change the hash of older records.
type auditRow struct {
	id                int64
	user, host        string
	started, finished string
	policy            string
	paths, summary    string
	findings          int64
	prev, hash        string
}

// sum is the record's hash: SHA-256 over the JSON array of its columns in
// table order, hash excluded, prefixed by a version tag.
func (r *auditRow) sum() string {
	enc, _ := json.Marshal([]any{r.id, r.user, r.host, r.started, r.finished,
		r.policy, r.paths, r.summary, r.findings, r.prev}) // strings and ints cannot fail
	h := sha256.New()
	h.Write([]byte("baomi audit v1\n"))
	h.Write(enc)
	return hex.EncodeToString(h.Sum(nil))
}

func formatTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// AddAudit appends a to the history and returns it with ID, Prev and Hash
// set. IDs count up from 1 and are never reused, so a deleted record leaves
// a gap.
func (s *Store) AddAudit(a Audit) (Audit, error) {
	paths := a.Paths
	if paths == nil {
		paths = []string{}
	}
	pj, err := json.Marshal(paths)
	if err != nil {
		return Audit{}, err
	}
	sj, err := json.Marshal(a.Summary)
	if err != nil {
		return Audit{}, err
	}
	row := auditRow{user: a.User, host: a.Host, started: formatTime(a.Started), finished: formatTime(a.Finished),
		policy: a.PolicyHash, paths: string(pj), summary: string(sj), findings: int64(a.Findings)}

	// The writer pool's transactions are BEGIN IMMEDIATE: no other writer,
	// in this process or another, can append between the read and the insert.
	tx, err := s.w.Begin()
	if err != nil {
		return Audit{}, s.wrap(err)
	}
	defer tx.Rollback()
	var lastID, headID int64
	err = tx.QueryRow(`SELECT id, hash FROM audits ORDER BY id DESC LIMIT 1`).Scan(&lastID, &row.prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Audit{}, s.wrap(err)
	}
	err = tx.QueryRow(`SELECT last_id FROM audit_head`).Scan(&headID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return Audit{}, s.wrap(err)
	}
	row.id = max(lastID, headID) + 1
	row.hash = row.sum()
	if _, err := tx.Exec(`INSERT INTO audits (id, user, host, started, finished, policy_hash, paths, summary, findings, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		row.id, row.user, row.host, row.started, row.finished, row.policy, row.paths, row.summary, row.findings, row.prev, row.hash); err != nil {
		return Audit{}, s.wrap(err)
	}
	if _, err := tx.Exec(`INSERT INTO audit_head (one, last_id, hash) VALUES (1, ?, ?)
		ON CONFLICT (one) DO UPDATE SET last_id = excluded.last_id, hash = excluded.hash`, row.id, row.hash); err != nil {
		return Audit{}, s.wrap(err)
	}
	if err := tx.Commit(); err != nil {
		return Audit{}, s.wrap(err)
	}
	a.ID, a.Prev, a.Hash = row.id, row.prev, row.hash
	return a, nil
}

// rows reads the stored audits, oldest first, and the head anchor (ok
// false when there is none), in one read transaction.
func (s *Store) rows() (rows []auditRow, headID int64, headHash string, ok bool, err error) {
	tx, err := s.r.Begin()
	if err != nil {
		return nil, 0, "", false, s.wrap(err)
	}
	defer tx.Rollback()
	q, err := tx.Query(`SELECT id, user, host, started, finished, policy_hash, paths, summary, findings, prev, hash
		FROM audits ORDER BY id`)
	if err != nil {
		return nil, 0, "", false, s.wrap(err)
	}
	defer q.Close()
	for q.Next() {
		var r auditRow
		if err := q.Scan(&r.id, &r.user, &r.host, &r.started, &r.finished, &r.policy,
			&r.paths, &r.summary, &r.findings, &r.prev, &r.hash); err != nil {
			return nil, 0, "", false, s.wrap(err)
		}
		rows = append(rows, r)
	}
	if err := q.Err(); err != nil {
		return nil, 0, "", false, s.wrap(err)
	}
	err = tx.QueryRow(`SELECT last_id, hash FROM audit_head`).Scan(&headID, &headHash)
	if errors.Is(err, sql.ErrNoRows) {
		return rows, 0, "", false, nil
	}
	if err != nil {
		return nil, 0, "", false, s.wrap(err)
	}
	return rows, headID, headHash, true, nil
}

// Audits returns the history, oldest first.
func (s *Store) Audits() ([]Audit, error) {
	rows, _, _, _, err := s.rows()
	if err != nil {
		return nil, err
	}
	out := make([]Audit, 0, len(rows))
	for _, r := range rows {
		a := Audit{ID: r.id, User: r.user, Host: r.host, PolicyHash: r.policy,
			Findings: int(r.findings), Prev: r.prev, Hash: r.hash}
		var errs [4]error
		a.Started, errs[0] = time.Parse(time.RFC3339Nano, r.started)
		a.Finished, errs[1] = time.Parse(time.RFC3339Nano, r.finished)
		errs[2] = json.Unmarshal([]byte(r.paths), &a.Paths)
		errs[3] = json.Unmarshal([]byte(r.summary), &a.Summary)
		if err := errors.Join(errs[:]...); err != nil {
			return nil, s.wrap(fmt.Errorf("audit record %d: %w", r.id, err))
		}
		out = append(out, a)
	}
	return out, nil
}

// Verify recomputes the chain. It returns nil if the history is intact,
// else an error wrapping ErrTampered that names the first record that was
// edited, deleted (a gap in the IDs) or inserted.
//
// Besides the chain, the store keeps an anchor row with the newest record's
// ID and hash, written with it: a chain alone cannot show that its newest
// records were deleted, the anchor can. What neither can show: the hashes
// are not keyed, so someone who can write the file and recomputes the
// hashes (and the anchor) can rewrite the history unnoticed. To guard
// against that, keep the newest Hash somewhere else (a printed report, a
// ticket) and compare it later.
func (s *Store) Verify() error {
	rows, headID, headHash, hasHead, err := s.rows()
	if err != nil {
		return err
	}
	tampered := func(format string, args ...any) error {
		return fmt.Errorf("cache %s: %w: %s", s.path, ErrTampered, fmt.Sprintf(format, args...))
	}
	prev, want := "", int64(1)
	for _, r := range rows {
		switch {
		case r.id < want:
			return tampered("audit record %d was inserted (records are numbered from 1)", r.id)
		case hasHead && r.id > headID:
			return tampered("audit record %d was inserted after the newest audit (%d)", r.id, headID)
		case r.id == want+1:
			return tampered("audit record %d was deleted (the records go from %d to %d)", want, want-1, r.id)
		case r.id > want:
			return tampered("audit records %d to %d were deleted (the records go from %d to %d)", want, r.id-1, want-1, r.id)
		case r.sum() != r.hash:
			return tampered("audit record %d was edited: its contents no longer match its hash", r.id)
		case r.prev != prev:
			return tampered("audit record %d was edited or replaced: record %d no longer links to it", r.id-1, r.id)
		}
		prev, want = r.hash, want+1
	}
	last := want - 1
	switch {
	case !hasHead && last > 0:
		return tampered("the anchor naming the newest audit record (%d) was deleted", last)
	case !hasHead:
		return nil
	case headID == last+1:
		return tampered("audit record %d (the newest) was deleted", headID)
	case headID > last:
		return tampered("audit records %d to %d (the newest) were deleted", last+1, headID)
	case headHash != prev:
		return tampered("audit record %d (the newest) was edited or replaced", last)
	}
	return nil
}
