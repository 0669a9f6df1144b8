package sandbox

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// cgroupParent is the cgroup v2 directory in which each child gets a group
// of its own, found once; with an error saying why there is none, the
// watchdog enforces the limit instead.
//
// The kernel allows no processes in a group whose children have the
// memory controller, so the children's groups go beside baomi's own, in
// its parent: the unit's group when systemd runs baomi with Delegate= and
// DelegateSubgroup=, or wherever root runs it (at the top of the hierarchy,
// the top group itself). In a group delegated to baomi itself (Delegate= without
// DelegateSubgroup=, systemd before 254) baomi first moves into a subgroup
// of its own, as systemd asks of a delegate.
var cgroupParent = sync.OnceValues(func() (string, error) {
	if !kernelAtLeast(5, 7) {
		return "", errors.New("the kernel is older than 5.7, the first to start a process in a cgroup (CLONE_INTO_CGROUP)")
	}
	mountinfo, err := os.ReadFile("/proc/self/mountinfo")
	if err != nil {
		return "", err
	}
	membership, err := os.ReadFile("/proc/self/cgroup")
	if err != nil {
		return "", err
	}
	own, top, err := ownCgroup(mountinfo, membership)
	if err != nil {
		return "", err
	}
	switch {
	case delegatedToUs(own):
		if err := memoryController(own); err != nil {
			return "", err
		}
		sub := filepath.Join(own, "baomi")
		if err := os.Mkdir(sub, 0o755); err != nil && !errors.Is(err, os.ErrExist) {
			return "", fmt.Errorf("cannot make a subgroup in baomi's delegated cgroup: %w", err)
		}
		if err := writeCgroup(sub, "cgroup.procs", strconv.Itoa(os.Getpid())); err != nil {
			return "", fmt.Errorf("cannot move into a subgroup of baomi's delegated cgroup: %w", err)
		}
	case !top:
		own = filepath.Dir(own)
	}
	return own, prepareCgroupParent(own)
})

// cgroupSeq numbers the groups of this process's children.
var cgroupSeq atomic.Int64

// ownCgroup is the directory of baomi's own cgroup v2 group, and whether it
// is the top of the hierarchy as mounted. mountinfo and membership are
// /proc/self/mountinfo and /proc/self/cgroup.
func ownCgroup(mountinfo, membership []byte) (dir string, top bool, err error) {
	var rel string
	found := false
	for line := range strings.Lines(string(membership)) {
		if p, ok := strings.CutPrefix(strings.TrimSpace(line), "0::"); ok {
			rel, found = p, true
		}
	}
	if !found || !strings.HasPrefix(rel, "/") {
		return "", false, errors.New("baomi is in no cgroup v2 group")
	}
	sc := bufio.NewScanner(bytes.NewReader(mountinfo))
	for sc.Scan() {
		// "36 25 0:31 / /sys/fs/cgroup rw,relatime shared:9 - cgroup2 cgroup2 rw"
		pre, post, ok := strings.Cut(sc.Text(), " - ")
		f, g := strings.Fields(pre), strings.Fields(post)
		if !ok || len(f) < 5 || len(g) < 1 || g[0] != "cgroup2" {
			continue
		}
		root, point := unescapeMount(f[3]), unescapeMount(f[4])
		inside, ok := strings.CutPrefix(rel, root)
		if !ok || (root != "/" && inside != "" && !strings.HasPrefix(inside, "/")) {
			continue // this mount does not show baomi's group
		}
		inside = path.Clean("/" + inside)
		return filepath.Join(point, inside), inside == "/", nil
	}
	return "", false, errors.New("no cgroup v2 hierarchy is mounted")
}

// delegatedToUs reports whether systemd delegated the group dir to baomi:
// it marks such a group with an extended attribute, and hands it to the
// unit's user (a user other than root owns no group otherwise).
func delegatedToUs(dir string) bool {
	buf := make([]byte, 8)
	for _, name := range []string{"trusted.delegate", "user.delegate"} {
		if n, err := syscall.Getxattr(dir, name, buf); err == nil && string(buf[:n]) == "1" {
			return true
		}
	}
	var st syscall.Stat_t
	euid := os.Geteuid()
	return euid != 0 && syscall.Stat(dir, &st) == nil && int(st.Uid) == euid
}

// unescapeMount undoes mountinfo's octal escapes (\040 for a space).
func unescapeMount(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+3 < len(s) {
			if n, err := strconv.ParseUint(s[i+1:i+4], 8, 8); err == nil {
				b.WriteByte(byte(n))
				i += 3
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// prepareCgroupParent turns the memory controller on for dir's children
// and checks that baomi may make a group there and start a child in it.
func prepareCgroupParent(dir string) error {
	if err := memoryController(dir); err != nil {
		return err
	}
	subtree, err := os.ReadFile(filepath.Join(dir, "cgroup.subtree_control"))
	if err != nil {
		return fmt.Errorf("cannot read the cgroup's subtree controllers: %w", err)
	}
	if !hasWord(subtree, "memory") {
		if err := writeCgroup(dir, "cgroup.subtree_control", "+memory"); err != nil {
			return fmt.Errorf("cannot turn on the memory controller for baomi's groups: %w", err)
		}
	}
	probe := filepath.Join(dir, fmt.Sprintf("baomi-probe-%d", os.Getpid()))
	if err := os.Mkdir(probe, 0o755); err != nil {
		return fmt.Errorf("cannot make a cgroup: %w", err)
	}
	defer removeCgroup(probe)
	if err := writeCgroup(probe, "memory.max", "max"); err != nil {
		return fmt.Errorf("cannot set a cgroup's memory.max: %w", err)
	}
	return nil
}

// memoryController checks that the group dir may use the memory
// controller.
func memoryController(dir string) error {
	controllers, err := os.ReadFile(filepath.Join(dir, "cgroup.controllers"))
	if err != nil {
		return fmt.Errorf("cannot read the cgroup's controllers: %w", err)
	}
	if !hasWord(controllers, "memory") {
		return errors.New("cgroup v2 has no memory controller here (cgroup v1 holds it)")
	}
	return nil
}

// intoCgroup makes a group for the child of cmd with memory.max at the
// limit and no swap, and has the child start in it (clone3
// CLONE_INTO_CGROUP: no moment outside the limit).
func (m *memoryLimit) intoCgroup(cmd *exec.Cmd) error {
	parent, err := cgroupParent()
	if err != nil {
		return err
	}
	dir := filepath.Join(parent, fmt.Sprintf("baomi-extract-%d-%d", os.Getpid(), cgroupSeq.Add(1)))
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	err = writeCgroup(dir, "memory.max", strconv.FormatInt(m.bytes, 10))
	if err == nil {
		// Without swap accounting the file is missing and swap is not
		// counted; memory.max still bounds resident memory.
		if err = writeCgroup(dir, "memory.swap.max", "0"); errors.Is(err, os.ErrNotExist) {
			err = nil
		}
	}
	var fd *os.File
	if err == nil {
		fd, err = os.Open(dir)
	}
	if err != nil {
		removeCgroup(dir)
		return err
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.UseCgroupFD, cmd.SysProcAttr.CgroupFD = true, int(fd.Fd())
	m.cgroup, m.fd = dir, fd
	return nil
}

// release notes whether the kernel killed the child at memory.max and
// removes its group.
func (m *memoryLimit) release() {
	if m.cgroup == "" {
		return
	}
	m.fd.Close()
	if events, err := os.ReadFile(filepath.Join(m.cgroup, "memory.events")); err == nil {
		m.killed = eventCount(events, "oom_kill") > 0
	}
	removeCgroup(m.cgroup)
}

// writeCgroup writes a value to an interface file of the group dir, which
// must exist (cgroupfs makes them; creating one fails).
func writeCgroup(dir, name, value string) error {
	f, err := os.OpenFile(filepath.Join(dir, name), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, err = f.WriteString(value)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// removeCgroup removes an empty group; a child just reaped may hold it for
// a moment.
func removeCgroup(dir string) {
	for range 100 {
		if err := syscall.Rmdir(dir); !errors.Is(err, syscall.EBUSY) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// eventCount reads one counter of a cgroup's memory.events.
func eventCount(events []byte, name string) int64 {
	for line := range strings.Lines(string(events)) {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), " "); ok && k == name {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// hasWord reports whether a space-separated cgroup list holds w.
func hasWord(list []byte, w string) bool {
	for _, f := range strings.Fields(string(list)) {
		if f == w {
			return true
		}
	}
	return false
}

// kernelAtLeast compares the running kernel's release with major.minor.
func kernelAtLeast(major, minor int) bool {
	var u syscall.Utsname
	if syscall.Uname(&u) != nil {
		return false
	}
	var rel []byte
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		rel = append(rel, byte(c))
	}
	var a, b int
	if n, _ := fmt.Sscanf(string(rel), "%d.%d", &a, &b); n != 2 {
		return false
	}
	return a > major || a == major && b >= minor
}

// MemoryEnforcement says what enforces the children's memory limit on
// this machine, and if it is the watchdog, why no cgroup does.
func MemoryEnforcement() string {
	if _, err := cgroupParent(); err != nil {
		return byWatchdog + " (no cgroup: " + err.Error() + ")"
	}
	return byCgroup
}
