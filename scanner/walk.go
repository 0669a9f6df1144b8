package scanner

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// WalkOptions configure how folders are walked.
type WalkOptions struct {
	// FollowSymlinks makes the walk enter symbolic links to folders; loops
	// are detected and reported. Links to files are always scanned.
	FollowSymlinks bool
}

// Walk visits paths in order: a file is handed to file; a folder is walked
// recursively, in lexical order. What cannot be entered or read is handed to
// problem, never fatal. Walk stops early when file returns false or ctx is
// done.
func Walk(ctx context.Context, paths []string, opt WalkOptions, file func(path string) bool, problem func(Problem)) {
	w := walker{ctx: ctx, opt: opt, file: file, problem: problem}
	for _, p := range paths {
		if !w.visit(p, nil, true) {
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

// visit handles one path; top is true for paths the user named, which are
// followed even when they are symbolic links. ancestors are the folders
// above path, for loop detection. It returns false to stop the walk.
func (w *walker) visit(path string, ancestors []fs.FileInfo, top bool) bool {
	if w.ctx.Err() != nil {
		return false
	}
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
		ancestors = append(ancestors, st)
		for _, e := range entries {
			if !w.visit(filepath.Join(path, e.Name()), ancestors, false) {
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
