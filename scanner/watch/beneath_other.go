//go:build !linux

package watch

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The portable fallback of beneath_linux.go: without openat2 and
// renameat2, each component of the path is checked with Lstat (a plain
// folder, not a link) and the file's identity compared just before it is
// moved by path. A swap in the instant between the check and the move is
// not caught here, as it is on Linux.

// identify records the file at path, reached beneath root through no
// link, as the scan is about to read it.
func identify(root, path string) (*fileID, error) {
	rel, err := relBeneath(root, path)
	if err != nil {
		return nil, err
	}
	dir, err := dirBeneath(root, filepath.Dir(rel))
	if err != nil {
		return nil, err
	}
	p := filepath.Join(dir, filepath.Base(rel))
	fi, err := os.Lstat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, refused("the path leads nowhere", err)
	}
	if err != nil {
		return nil, err
	}
	if !fi.Mode().IsRegular() {
		return nil, refused("not a regular file", nil)
	}
	dev, ino, err := devIno(p, fi)
	if err != nil {
		return nil, err
	}
	return &fileID{Dev: dev, Ino: ino, Size: fi.Size(), MTime: fi.ModTime().UnixNano()}, nil
}

// dirBeneath returns the folder relDir below root, each component checked
// to be a plain folder, not a link.
func dirBeneath(root, relDir string) (string, error) {
	p := root
	for c := range strings.SplitSeq(relDir, string(filepath.Separator)) {
		if c == "." {
			continue
		}
		p = filepath.Join(p, c)
		fi, err := os.Lstat(p)
		if errors.Is(err, fs.ErrNotExist) {
			return "", refused("the path leads nowhere", err)
		}
		if err != nil {
			return "", err
		}
		if fi.Mode().Type() != fs.ModeDir {
			return "", refused("the path leads through a link or a file", nil)
		}
	}
	return p, nil
}

// createBeneath creates the file name, which must not exist, in the
// folder relDir below root, reached through no link, and writes data to
// it. It returns an fs.ErrExist error when the name is taken.
func createBeneath(root, relDir, name string, data []byte) error {
	dir, err := dirBeneath(root, relDir)
	if err != nil {
		return err
	}
	return writeNew(filepath.Join(dir, name), data, 0o644)
}

// readBeneath reads the file rel below root, reached through no link, if
// it is the file id and holds at most limit bytes.
func readBeneath(root, rel string, id *fileID, limit int64) ([]byte, error) {
	p := filepath.Join(root, rel)
	got, err := identify(root, p)
	if err != nil {
		return nil, err
	}
	if *got != *id {
		return nil, errChanged
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readLimited(f, limit)
}

// moveBeneath moves the file rel (below root) to dest, if it is still the
// file id. It returns an fs.ErrExist error when dest exists, an
// errRefused error when the file is not the one scanned.
func moveBeneath(root, rel string, id *fileID, dest string) error {
	src := filepath.Join(root, rel)
	got, err := identify(root, src)
	if err != nil {
		return err
	}
	if *got != *id {
		return errChanged
	}
	return move(src, dest)
}

// move moves src to dst without ever replacing dst: a hard link then an
// unlink on one file system, an exclusive copy then an unlink across file
// systems. It returns an fs.ErrExist error when dst exists.
func move(src, dst string) error {
	err := os.Link(src, dst)
	if err == nil {
		return os.Remove(src)
	}
	if errors.Is(err, fs.ErrExist) {
		return err
	}
	// Another file system, or one without hard links.
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(dst)
		return err
	}
	if fi, err := in.Stat(); err == nil {
		_ = os.Chtimes(dst, fi.ModTime(), fi.ModTime()) // keep the date for the investigation
	}
	return os.Remove(src)
}
