package scanner

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"github.com/go-git/go-git/v5/plumbing/format/gitignore"
)

// WalkOptions configure how folders are walked.
type WalkOptions struct {
	// FollowSymlinks makes the walk enter symbolic links to folders; loops
	// are detected and reported. Links to files are always scanned.
	FollowSymlinks bool
	// Include, when not empty, keeps only files whose path relative to the
	// walked folder, or whose name, matches one of these globs (doublestar
	// syntax: ** crosses folders).
	Include []string
	// Exclude drops files and folders whose relative path or name matches
	// one of these globs; a dropped folder is not entered.
	Exclude []string
	// IgnoreFile names a file (such as .baomiignore) that, in any walked
	// folder, lists in gitignore syntax what to leave out below it.
	IgnoreFile string
	// MaxSize, when positive, is the largest file the Scanner reads; a
	// larger one gets verdict error, never a silent skip.
	MaxSize int64
}

// Validate reports a malformed glob.
func (o WalkOptions) Validate() error {
	for _, g := range append(append([]string{}, o.Include...), o.Exclude...) {
		if !doublestar.ValidatePattern(filepath.ToSlash(g)) {
			return fmt.Errorf("%q is not a valid glob", g)
		}
	}
	return nil
}

// skip reports whether the entry at rel (relative to the walked folder,
// split into names) is left out by Exclude, Include (files only) or the
// ignore patterns in force.
func (o WalkOptions) skip(rel []string, isDir bool, ignore []gitignore.Pattern) bool {
	if len(rel) == 0 {
		return false // a path the user named
	}
	p, base := path.Join(rel...), rel[len(rel)-1]
	globs := func(gs []string) bool {
		for _, g := range gs {
			g = filepath.ToSlash(g)
			if ok, _ := doublestar.Match(g, p); ok {
				return true
			}
			if ok, _ := doublestar.Match(g, base); ok {
				return true
			}
		}
		return false
	}
	if globs(o.Exclude) || gitignore.NewMatcher(ignore).Match(rel, isDir) {
		return true
	}
	return !isDir && len(o.Include) > 0 && !globs(o.Include)
}

// readIgnore reads the gitignore patterns of the ignore file in dir, whose
// path below the walked folder is domain. A missing file gives none; an
// unreadable one is a problem for the caller to report.
func readIgnore(dir, name string, domain []string) ([]gitignore.Pattern, error) {
	f, err := os.Open(filepath.Join(dir, name))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ps []gitignore.Pattern
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		ps = append(ps, gitignore.ParsePattern(line, domain))
	}
	return ps, sc.Err()
}

// Walk visits paths in order: a file is handed to file; a folder is walked
// recursively, in lexical order. What cannot be entered or read is handed to
// problem, never fatal. Walk stops early when file returns false or ctx is
// done.
func Walk(ctx context.Context, paths []string, opt WalkOptions, file func(path string) bool, problem func(Problem)) {
	w := walker{ctx: ctx, opt: opt, file: file, problem: problem}
	for _, p := range paths {
		if !w.visit(p, nil, nil, nil) {
			return
		}
	}
}

type walker struct {
	ctx     context.Context
	opt     WalkOptions
	file    func(string) bool
	problem func(Problem)
}

// visit handles one path; rel is its path below the folder the user named
// (empty for a path the user named, which is followed even when it is a
// symbolic link). ancestors are the folders above path, for loop detection;
// ignore are the ignore-file patterns in force. It returns false to stop
// the walk.
func (w *walker) visit(path string, rel []string, ancestors []fs.FileInfo, ignore []gitignore.Pattern) bool {
	if w.ctx.Err() != nil {
		return false
	}
	top := len(rel) == 0
	lst, err := os.Lstat(path)
	if err != nil {
		w.problem(Problem{Path: path, Reason: reason(err)})
		return true
	}
	st := lst
	if lst.Mode()&fs.ModeSymlink != 0 {
		st, err = os.Stat(path)
		if err != nil {
			w.problem(Problem{Path: path, Reason: "broken symbolic link: " + reason(err)})
			return true
		}
		if st.IsDir() && !top && !w.opt.FollowSymlinks {
			w.problem(Problem{Path: path, Reason: "symbolic link to a folder, not followed (use --follow to enter it)"})
			return true
		}
	}
	if w.opt.skip(rel, st.IsDir(), ignore) {
		return true // left out on purpose: neither a file nor a problem
	}
	switch {
	case st.Mode().IsRegular():
		return w.file(path)
	case st.IsDir():
		for _, a := range ancestors {
			if os.SameFile(a, st) {
				w.problem(Problem{Path: path, Reason: "symbolic link loop"})
				return true
			}
		}
		entries, err := os.ReadDir(path)
		if err != nil {
			w.problem(Problem{Path: path, Reason: "cannot read folder: " + reason(err)})
			if len(entries) == 0 {
				return true
			}
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
		if w.opt.IgnoreFile != "" {
			ps, err := readIgnore(path, w.opt.IgnoreFile, rel)
			if err != nil {
				w.problem(Problem{Path: filepath.Join(path, w.opt.IgnoreFile), Reason: "cannot read ignore file: " + reason(err)})
			}
			// A full slice expression: sibling folders must not share
			// appended patterns.
			ignore = append(ignore[:len(ignore):len(ignore)], ps...)
		}
		ancestors = append(ancestors, st)
		for _, e := range entries {
			sub := append(rel[:len(rel):len(rel)], e.Name())
			if !w.visit(filepath.Join(path, e.Name()), sub, ancestors, ignore) {
				return false
			}
		}
		return true
	default:
		w.problem(Problem{Path: path, Reason: "not a regular file (device, pipe or socket): not read"})
		return true
	}
}

// reason turns a file-system error into a short sentence without the path.
func reason(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file or folder"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
