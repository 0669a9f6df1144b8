package watch

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// realPath returns path, made absolute, with every symbolic link resolved.
// A path that does not exist yet (a quarantine folder or a database created
// on first start) is resolved through its longest existing prefix, so that
// a link anywhere on the way is seen. A link that leads nowhere is an
// error: what it would create cannot be known.
func realPath(path string) (string, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return "", err
	}
	rest := ""
	for {
		if _, err := os.Lstat(p); err == nil {
			real, err := filepath.EvalSymlinks(p)
			if err != nil {
				return "", fmt.Errorf("%s: a link that cannot be resolved: %w", p, err)
			}
			return filepath.Join(real, rest), nil
		} else if !errors.Is(err, os.ErrNotExist) {
			return "", err
		}
		parent := filepath.Dir(p)
		if parent == p {
			return filepath.Join(p, rest), nil
		}
		rest = filepath.Join(filepath.Base(p), rest)
		p = parent
	}
}

// outsideRoots returns path with its links resolved, or refuses a path
// the daemon writes to (what, e.g. "the database") when it is then inside
// a watched folder: its files would be scanned and acted on again,
// forever. With contains, a watched folder inside the path is refused too
// (a quarantine folder holding a share would put files back into it).
func (d *Daemon) outsideRoots(what, path string, contains bool) (string, error) {
	real, err := realPath(path)
	if err != nil {
		return "", fmt.Errorf("%s %s: %w", what, path, err)
	}
	via := ""
	if real != filepath.Clean(path) {
		via = " (" + real + " once links are resolved)"
	}
	for _, r := range d.opt.Roots {
		rr, err := realPath(r)
		if err != nil {
			return "", fmt.Errorf("watched folder %s: %w", r, err)
		}
		if under([]string{rr}, real) != "" {
			return "", fmt.Errorf("%s %s%s must not be inside the watched folder %s", what, path, via, r)
		}
		if contains && under([]string{real}, rr) != "" {
			return "", fmt.Errorf("%s %s%s must not contain the watched folder %s", what, path, via, r)
		}
	}
	return real, nil
}
