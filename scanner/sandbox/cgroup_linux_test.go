package sandbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// TestMemoryLimit has a child allocate past the smallest limit, under each
// enforcer this machine has: the file gets the reason that names what was
// exceeded and what enforced it, the death counts as out of memory, and no
// cgroup is left behind.
func TestMemoryLimit(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's memory does not fit under the memory limit")
	}
	const (
		byCgroup   = "reading needed more than 64 MiB of resident memory (file memory limit, enforced by cgroup memory.max): stopped"
		byWatchdog = "reading needed more than 64 MiB of resident memory (file memory limit, enforced by baomi's watchdog): stopped"
	)
	tests := []struct {
		name   string
		parent func(t *testing.T) (string, error) // replaces cgroupParent; nil: this machine's
		reason string
	}{
		{"cgroup", nil, byCgroup},
		{"watchdog", func(*testing.T) (string, error) { return "", errors.New("off for this test") }, byWatchdog},
		// A directory that is no cgroup: making the child's group fails
		// half-way (no memory.max), so the watchdog takes over.
		{"cgroup refused", func(t *testing.T) (string, error) { return t.TempDir(), nil }, byWatchdog},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if tc.parent != nil {
				saved := cgroupParent
				dir, err := tc.parent(t)
				cgroupParent = func() (string, error) { return dir, err }
				t.Cleanup(func() { cgroupParent = saved })
			}
			parent, err := cgroupParent()
			if tc.reason == byCgroup && err != nil {
				t.Skipf("no cgroup for the children here: %v", err)
			}
			p := newPool(t, Options{Memory: MinMemory, Timeout: time.Minute})
			_, err = p.Extract(context.Background(), "oom")
			if extract.KindOf(err) != extract.KindLimit || fmt.Sprint(err) != tc.reason {
				t.Errorf("got %v (%s), want limit %q", err, extract.KindOf(err), tc.reason)
			}
			good := textFile(t, "机密★5年")
			if doc, err := p.Extract(context.Background(), good); err != nil || doc.Segments[0].Text != "机密★5年" {
				t.Errorf("the next file: %v", err)
			}
			p.Close()
			if s := p.Stats(); s.OutOfMemory != 1 || s.Crashed != 0 {
				t.Errorf("stats %+v, want one child out of memory", s)
			}
			if err == nil {
				left, _ := filepath.Glob(filepath.Join(parent, fmt.Sprintf("baomi-extract-%d-*", os.Getpid())))
				if len(left) > 0 {
					t.Errorf("cgroups left behind: %v", left)
				}
			}
		})
	}
}

func TestOwnCgroup(t *testing.T) {
	const (
		hybrid = "25 24 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n" +
			"26 25 0:23 / /sys/fs/cgroup/unified rw,relatime shared:5 - cgroup2 cgroup2 rw\n" +
			"27 25 0:24 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n"
		unified = "30 1 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n"
		bound   = "40 38 0:26 /system.slice/app.service /mnt/cg\\040x rw - cgroup2 cgroup2 rw\n"
	)
	tests := []struct {
		name, mountinfo, membership string
		want                        string // "" for an error
		top                         bool
	}{
		{"hybrid, at the top", hybrid, "4:memory:/x\n0::/\n", "/sys/fs/cgroup/unified", true},
		{"delegated subgroup", unified, "0::/system.slice/baomi-watch.service/main\n", "/sys/fs/cgroup/system.slice/baomi-watch.service/main", false},
		{"top of a namespace", unified, "0::/\n", "/sys/fs/cgroup", true},
		{"bind-mounted subtree", bound, "0::/system.slice/app.service/worker\n", "/mnt/cg x/worker", false},
		{"mount shows another subtree", bound, "0::/system.slice/app.serviceX/worker\n", "", false},
		{"cgroup v1 only", "27 25 0:24 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n", "4:memory:/x\n", "", false},
		{"no v2 mount", "25 24 0:22 / /sys/fs/cgroup ro - tmpfs tmpfs ro\n", "0::/a\n", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, top, err := ownCgroup([]byte(tc.mountinfo), []byte(tc.membership))
			if got != tc.want || top != tc.top || (err == nil) != (tc.want != "") {
				t.Errorf("got %q, %v, %v; want %q, %v", got, top, err, tc.want, tc.top)
			}
		})
	}
}

func TestEventCount(t *testing.T) {
	events := []byte("low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n")
	for name, want := range map[string]int64{"oom_kill": 1, "max": 12, "oom_group_kill": 0, "absent": 0} {
		if got := eventCount(events, name); got != want {
			t.Errorf("%s: %d, want %d", name, got, want)
		}
	}
}

// TestMemoryBlame checks that a child's memory is charged to the file that
// used it: a file that ends over the limit is stopped (the watchdog might
// look only after the next file started), and a file that left garbage
// behind does not leave the next one starting at half the limit.
func TestMemoryBlame(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's memory does not fit under the memory limit")
	}
	p := newPool(t, Options{Memory: MinMemory, Timeout: time.Minute})
	good := textFile(t, "机密★5年")
	if _, err := p.Extract(context.Background(), "big"); extract.KindOf(err) != extract.KindLimit {
		t.Errorf("a file that held 96 MiB: %v, want a memory limit error", err)
	}
	if doc, err := p.Extract(context.Background(), good); err != nil || doc.Segments[0].Text != "机密★5年" {
		t.Errorf("the file after it: %v", err)
	}
	if _, err := p.Extract(context.Background(), "garbage"); extract.KindOf(err) != extract.KindIO {
		t.Errorf("a file that left 40 MiB of garbage: %v", err)
	}
	doc, err := p.Extract(context.Background(), "rss")
	if err != nil {
		t.Fatal(err)
	}
	if rss, _ := strconv.ParseInt(doc.Segments[0].Text, 10, 64); rss <= 0 || rss > MinMemory/2 {
		t.Errorf("the next file started at %d MiB resident, want at most %d MiB", rss>>20, MinMemory>>21)
	}
}
