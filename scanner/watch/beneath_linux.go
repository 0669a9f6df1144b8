//go:build linux

package watch

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/sys/unix"
)

// identify records the file at path, reached beneath root through no
// link, as the scan is about to read it.
func identify(root, path string) (*fileID, error) {
	rel, err := relBeneath(root, path)
	if err != nil {
		return nil, err
	}
	dir, err := openDirBeneath(root, filepath.Dir(rel))
	if err != nil {
		return nil, err
	}
	defer unix.Close(dir)
	return statAt(dir, filepath.Base(rel))
}

// moveBeneath moves the file rel (below root) to dest, if it is still the
// file id: its folder is opened beneath root without following a link,
// the file is checked and renamed relative to that folder, and the moved
// file is checked again (the name could have been swapped in between).
// It returns an fs.ErrExist error when dest exists, an errRefused error
// when the file is not the one scanned.
func moveBeneath(root, rel string, id *fileID, dest string) error {
	dir, err := openDirBeneath(root, filepath.Dir(rel))
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	name := filepath.Base(rel)
	if err := sameAt(dir, name, id); err != nil {
		return err
	}
	qdir, err := unix.Open(filepath.Dir(dest), dirFlags, 0)
	if err != nil {
		return &os.PathError{Op: "open", Path: filepath.Dir(dest), Err: err}
	}
	defer unix.Close(qdir)
	qname := filepath.Base(dest)

	err = unix.Renameat2(dir, name, qdir, qname, unix.RENAME_NOREPLACE)
	switch {
	case errors.Is(err, unix.EINVAL), errors.Is(err, unix.ENOSYS):
		// A file system without RENAME_NOREPLACE.
		return linkOut(dir, name, id, qdir, qname, dest)
	case errors.Is(err, unix.EEXIST):
		return &os.PathError{Op: "move", Path: dest, Err: fs.ErrExist}
	case errors.Is(err, unix.EXDEV):
		return copyOut(dir, name, id, qdir, qname, dest)
	case err != nil:
		return &os.PathError{Op: "move", Path: dest, Err: err}
	}
	if err := sameAt(qdir, qname, id); err != nil {
		// Swapped between the check and the rename: put it back.
		unix.Renameat2(qdir, qname, dir, name, unix.RENAME_NOREPLACE)
		return err
	}
	return nil
}

// linkOut moves by a hard link, which never replaces dest, then an unlink;
// by a copy where hard links are not possible.
func linkOut(dir int, name string, id *fileID, qdir int, qname, dest string) error {
	err := unix.Linkat(dir, name, qdir, qname, 0)
	switch {
	case errors.Is(err, unix.EEXIST):
		return &os.PathError{Op: "move", Path: dest, Err: fs.ErrExist}
	case errors.Is(err, unix.EXDEV), errors.Is(err, unix.EPERM):
		return copyOut(dir, name, id, qdir, qname, dest)
	case err != nil:
		return &os.PathError{Op: "move", Path: dest, Err: err}
	}
	if err := sameAt(qdir, qname, id); err != nil {
		unix.Unlinkat(qdir, qname, 0)
		return err
	}
	return unlinkAt(dir, name)
}

// copyOut copies the file name in dir to a new file qname in qdir, keeps
// its modification time for the investigation, then removes the original,
// checking before and after the copy that it is the file id.
func copyOut(dir int, name string, id *fileID, qdir int, qname, dest string) error {
	fd, err := unix.Openat(dir, name, unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return beneathErr(err)
	}
	in := os.NewFile(uintptr(fd), name)
	defer in.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return err
	}
	if idOf(&st) != *id {
		return errChanged
	}
	ofd, err := unix.Openat(qdir, qname, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o600)
	if errors.Is(err, unix.EEXIST) {
		return &os.PathError{Op: "move", Path: dest, Err: fs.ErrExist}
	}
	if err != nil {
		return &os.PathError{Op: "create", Path: dest, Err: err}
	}
	out := os.NewFile(uintptr(ofd), dest)
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		mt := unix.NsecToTimespec(id.MTime)
		err = unix.UtimesNanoAt(qdir, qname, []unix.Timespec{mt, mt}, unix.AT_SYMLINK_NOFOLLOW)
	}
	if err == nil {
		err = sameAt(dir, name, id) // not replaced while copying
	}
	if err == nil {
		err = unlinkAt(dir, name)
	}
	if err != nil {
		unix.Unlinkat(qdir, qname, 0)
	}
	return err
}

// openDirBeneath opens the folder rel below root without following a
// link or leaving root: openat2 with RESOLVE_BENEATH|RESOLVE_NO_SYMLINKS
// (Linux 5.6+), else one component at a time (openDirStepwise).
func openDirBeneath(root, rel string) (int, error) {
	rootFD, err := unix.Open(root, dirFlags, 0)
	if err != nil {
		return -1, &os.PathError{Op: "open", Path: root, Err: err}
	}
	fd, err := unix.Openat2(rootFD, rel, &unix.OpenHow{Flags: dirFlags,
		Resolve: unix.RESOLVE_BENEATH | unix.RESOLVE_NO_SYMLINKS | unix.RESOLVE_NO_MAGICLINKS})
	if errors.Is(err, unix.ENOSYS) || errors.Is(err, unix.EPERM) {
		// An older kernel, or a seccomp filter that refuses openat2.
		return openDirStepwise(rootFD, rel)
	}
	unix.Close(rootFD)
	if err != nil {
		return -1, beneathErr(err)
	}
	return fd, nil
}

const dirFlags = unix.O_DIRECTORY | unix.O_RDONLY | unix.O_CLOEXEC

// openDirStepwise opens the folder rel (clean, relative, without "..")
// below the folder fd, one component at a time with O_NOFOLLOW. It takes
// over fd (closes it).
func openDirStepwise(fd int, rel string) (int, error) {
	for c := range strings.SplitSeq(rel, string(filepath.Separator)) {
		if c == "." {
			continue
		}
		next, err := unix.Openat(fd, c, dirFlags|unix.O_NOFOLLOW, 0)
		unix.Close(fd)
		if err != nil {
			return -1, beneathErr(err)
		}
		fd = next
	}
	return fd, nil
}

// beneathErr turns the errors of a path that no longer leads, beneath the
// watched folder and through no link, to a file into a refusal; others
// (too many open files, permissions) may pass and are returned as they are.
func beneathErr(err error) error {
	for _, e := range []error{unix.ELOOP, unix.EXDEV, unix.ENOENT, unix.ENOTDIR} {
		if errors.Is(err, e) {
			return refused("the path leads through a link, out of the watched folder, or nowhere", err)
		}
	}
	return err
}

// statAt identifies the file name in dir, not following a link.
func statAt(dir int, name string) (*fileID, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(dir, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return nil, beneathErr(err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG {
		return nil, refused("not a regular file", nil)
	}
	id := idOf(&st)
	return &id, nil
}

func idOf(st *unix.Stat_t) fileID {
	return fileID{Dev: uint64(st.Dev), Ino: st.Ino, Size: st.Size, MTime: st.Mtim.Nano()}
}

// sameAt checks that name in dir is the file id.
func sameAt(dir int, name string, id *fileID) error {
	got, err := statAt(dir, name)
	if err != nil {
		return err
	}
	if *got != *id {
		return errChanged
	}
	return nil
}

func unlinkAt(dir int, name string) error {
	if err := unix.Unlinkat(dir, name, 0); err != nil {
		return fmt.Errorf("removing the file from the share: %w", err)
	}
	return nil
}

// createBeneath creates the file name, which must not exist, in the
// folder relDir below root, reached through no link, and writes data to
// it: a quarantine's note. It returns an fs.ErrExist error when the name
// is taken (by anything, a link included).
func createBeneath(root, relDir, name string, data []byte) error {
	dir, err := openDirBeneath(root, relDir)
	if err != nil {
		return err
	}
	defer unix.Close(dir)
	fd, err := unix.Openat(dir, name, unix.O_WRONLY|unix.O_CREAT|unix.O_EXCL|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0o644)
	if errors.Is(err, unix.EEXIST) {
		return &os.PathError{Op: "create", Path: name, Err: fs.ErrExist}
	}
	if err != nil {
		return &os.PathError{Op: "create", Path: name, Err: err}
	}
	return writeClose(os.NewFile(uintptr(fd), name), data)
}

// readBeneath reads the file rel below root, reached through no link, if
// it is the file id and holds at most limit bytes.
func readBeneath(root, rel string, id *fileID, limit int64) ([]byte, error) {
	dir, err := openDirBeneath(root, filepath.Dir(rel))
	if err != nil {
		return nil, err
	}
	defer unix.Close(dir)
	fd, err := unix.Openat(dir, filepath.Base(rel), unix.O_RDONLY|unix.O_NOFOLLOW|unix.O_NONBLOCK|unix.O_CLOEXEC|unix.O_NOCTTY, 0)
	if err != nil {
		return nil, beneathErr(err)
	}
	f := os.NewFile(uintptr(fd), rel)
	defer f.Close()
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return nil, err
	}
	if st.Mode&unix.S_IFMT != unix.S_IFREG || idOf(&st) != *id {
		return nil, errChanged
	}
	return readLimited(f, limit)
}
