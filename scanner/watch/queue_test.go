package watch

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestWatchStoreQueue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "watch.db")
	s, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	seqs, err := s.enqueue([]string{"/s/a", "/s/b", "/s/c"})
	if err != nil {
		t.Fatal(err)
	}
	// A newer event for /s/b while its first one is being scanned: the
	// first result must not take it off the queue.
	newer, err := s.enqueue([]string{"/s/b"})
	if err != nil {
		t.Fatal(err)
	}
	st := &stamp{size: 10, mtime: time.Now().UnixNano()}
	for _, d := range []struct {
		path string
		seq  int64
		st   *stamp
	}{{"/s/a", seqs[0], st}, {"/s/b", seqs[1], st}, {"/s/c", seqs[2], nil}} {
		if err := s.done(d.path, d.seq, d.st, "clean", nil); err != nil {
			t.Fatal(err)
		}
	}
	q, err := s.queued()
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(q, map[string]int64{"/s/b": newer[0]}) {
		t.Errorf("queue %v, want only /s/b with its newer seq %d", q, newer[0])
	}
	if err := s.close(); err != nil {
		t.Fatal(err)
	}

	// Reopened (as after a kill): the queue and the state are there, and
	// seqs keep growing.
	s, err = openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if q2, _ := s.queued(); !reflect.DeepEqual(q2, q) {
		t.Errorf("after reopening: queue %v, want %v", q2, q)
	}
	if next, _ := s.enqueue([]string{"/s/d"}); next[0] <= newer[0] {
		t.Errorf("seq %d after reopening, want more than %d", next[0], newer[0])
	}
	known, err := s.under("/s")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(known, map[string]stamp{"/s/a": *st, "/s/b": *st}) {
		t.Errorf("state %v", known)
	}
	if got, err := s.stamps([]string{"/s/a", "/s/c", "/s/x"}); err != nil || !reflect.DeepEqual(got, map[string]stamp{"/s/a": *st}) {
		t.Errorf("stamps: %v %v, want /s/a only", got, err)
	}
	// A first walk of a large share asks about more paths than SQLite
	// takes variables in one query.
	many := make([]string, 40000)
	for i := range many {
		many[i] = fmt.Sprintf("/s/new%05d", i)
	}
	many[len(many)-1] = "/s/b"
	if got, err := s.stamps(many); err != nil || !reflect.DeepEqual(got, map[string]stamp{"/s/b": *st}) {
		t.Errorf("stamps of 40,000 paths: %v %v, want /s/b only", got, err)
	}
	if n, _ := s.depth(t.Context()); n != 2 {
		t.Errorf("depth %d, want 2", n)
	}
}

func TestWatchStoreForget(t *testing.T) {
	s, err := openStore(filepath.Join(t.TempDir(), "watch.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	paths := []string{"/s/a", "/s/a/x", "/s/a/y/z", "/s/ab", "/s/a0", "/s/b"}
	seqs, _ := s.enqueue(paths)
	for i, p := range paths {
		if err := s.done(p, seqs[i], &stamp{size: 1}, "clean", nil); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.forgetUnder([]string{"/s/a"}); err != nil {
		t.Fatal(err)
	}
	if err := s.forget([]string{"/s/b"}); err != nil {
		t.Fatal(err)
	}
	known, _ := s.under("/s")
	var left []string
	for p := range known {
		left = append(left, p)
	}
	if len(left) != 2 || known["/s/ab"] == (stamp{}) || known["/s/a0"] == (stamp{}) {
		t.Errorf("left %v, want /s/ab and /s/a0 (siblings, not children, of /s/a)", left)
	}
}

func TestWatchStoreRefuses(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "watch.db")
	s, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	if _, err := openStore(path); err == nil || !strings.Contains(err.Error(), "in use by another baomi watch") {
		t.Errorf("second daemon on one database: %v, want in use", err)
	}

	other := filepath.Join(dir, "other.db")
	db, err := sql.Open("sqlite", other)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA application_id = 42; CREATE TABLE t (x)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, err := openStore(other); err == nil || !strings.Contains(err.Error(), "not a baomi watch database") {
		t.Errorf("another program's database: %v", err)
	}
}

func TestWatchStoreRetryQueue(t *testing.T) {
	path := filepath.Join(t.TempDir(), "watch.db")
	// A database of the first version (no retry queue) is upgraded.
	old, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.Exec(fmt.Sprintf("PRAGMA application_id = %d; CREATE TABLE pending (path TEXT PRIMARY KEY, seq INTEGER NOT NULL) WITHOUT ROWID; PRAGMA user_version = 1;", appID)); err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := openStore(path)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	task := func(action string) task {
		return task{Action: action, Payload: payload{Path: "/s/a", Root: "/s"}, File: &fileID{Dev: 1, Ino: 2, Size: 3, MTime: 4}}
	}
	seqs, _ := s.enqueue([]string{"/s/a"})
	err = s.done("/s/a", seqs[0], &stamp{size: 3}, "flagged", []queuedTask{
		{task: task(actQuarantine), attempts: 1, next: now.Add(-time.Second)},
		{task: task(actWebhook), attempts: 1, next: now.Add(time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec("INSERT INTO actions (path, attempts, next, task) VALUES ('/s/b', 1, 0, '{not json')"); err != nil {
		t.Fatal(err)
	}
	s.close()

	s, err = openStore(path) // kept across restarts
	if err != nil {
		t.Fatal(err)
	}
	defer s.close()
	due, _, err := s.dueTasks(now, 10)
	if err != nil || len(due) != 1 || due[0].task.Action != actQuarantine || *due[0].task.File != *task("").File || due[0].attempts != 1 {
		t.Fatalf("due %+v %v, want the quarantine with its file identity", due, err)
	}
	due[0].attempts, due[0].next = 2, now.Add(2*time.Hour)
	if err := s.reschedule(&due[0]); err != nil {
		t.Fatal(err)
	}
	due, next, err := s.dueTasks(now, 10)
	if err != nil || len(due) != 0 || !next.Equal(time.Unix(0, now.Add(time.Hour).UnixNano())) {
		t.Errorf("due %v next %v %v, want none until the webhook's hour", due, next, err)
	}
	if n, _ := s.tasks(t.Context()); n != 2 {
		t.Errorf("%d tasks queued, want 2 (the unreadable row dropped)", n)
	}
	due, _, _ = s.dueTasks(now.Add(3*time.Hour), 10)
	for _, q := range due {
		if err := s.dropTask(q.id); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := s.tasks(t.Context()); len(due) != 2 || n != 0 {
		t.Errorf("%d due after 3h, %d left after dropping them; want 2 and 0", len(due), n)
	}
}
