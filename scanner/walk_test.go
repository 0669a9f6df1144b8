//go:build unix

// The walk tests make symbolic links, FIFOs and unreadable folders, which
// need a Unix file system.

package scanner_test

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"

	"github.com/baomi/baomi/scanner"
)

// walked records what Walk hands on, with paths relative to root.
type walked struct {
	files    []string
	problems []string // "path: reason"
}

func walk(t *testing.T, root string, paths []string, opt scanner.WalkOptions) walked {
	t.Helper()
	var w walked
	rel := func(p string) string {
		r, err := filepath.Rel(root, p)
		if err != nil {
			t.Fatal(err)
		}
		return filepath.ToSlash(r)
	}
	scanner.Walk(context.Background(), paths, opt,
		func(p string) bool { w.files = append(w.files, rel(p)); return true },
		func(p scanner.Problem) { w.problems = append(w.problems, rel(p.Path)+": "+p.Reason) })
	return w
}

// tree creates files (names ending in /) are folders) under a new folder.
func tree(t *testing.T, names ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, n := range names {
		p := filepath.Join(root, filepath.FromSlash(n))
		var err error
		if strings.HasSuffix(n, "/") {
			err = os.MkdirAll(p, 0o755)
		} else if err = os.MkdirAll(filepath.Dir(p), 0o755); err == nil {
			err = os.WriteFile(p, []byte("x"), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

func TestWalkOrder(t *testing.T) {
	root := tree(t, "b/2.txt", "a/z.txt", "a/b/c.txt", "B.txt", "10.txt", "9.txt", "empty/", "通知.docx")
	got := walk(t, root, []string{root}, scanner.WalkOptions{})
	want := []string{"10.txt", "9.txt", "B.txt", "a/b/c.txt", "a/z.txt", "b/2.txt", "通知.docx"}
	if !reflect.DeepEqual(got.files, want) || len(got.problems) != 0 {
		t.Errorf("files %q problems %q, want %q and none", got.files, got.problems, want)
	}
	// Paths given by the user keep their order; a file given is visited.
	got = walk(t, root, []string{filepath.Join(root, "b"), filepath.Join(root, "a", "z.txt"), filepath.Join(root, "a")}, scanner.WalkOptions{})
	want = []string{"b/2.txt", "a/z.txt", "a/b/c.txt", "a/z.txt"}
	if !reflect.DeepEqual(got.files, want) {
		t.Errorf("files %q, want %q", got.files, want)
	}
}

func TestWalkProblems(t *testing.T) {
	root := tree(t, "d/a.txt", "sub/in.txt", "file.txt")
	symlink(t, "../file.txt", filepath.Join(root, "d", "link-to-file"))
	symlink(t, "../sub", filepath.Join(root, "d", "link-to-dir"))
	symlink(t, "nowhere", filepath.Join(root, "d", "broken"))
	symlink(t, "..", filepath.Join(root, "d", "loop"))
	symlink(t, "self", filepath.Join(root, "d", "self"))
	if err := syscall.Mkfifo(filepath.Join(root, "d", "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		paths    []string
		opt      scanner.WalkOptions
		files    []string
		problems []string
	}{
		{"missing", []string{"missing.pdf"}, scanner.WalkOptions{}, nil,
			[]string{"missing.pdf: no such file or folder"}},
		{"default", []string{"d"}, scanner.WalkOptions{}, []string{"d/a.txt", "d/link-to-file"}, []string{
			"d/broken: broken symbolic link: no such file or folder",
			"d/fifo: not a regular file (device, pipe or socket): not read",
			"d/link-to-dir: symbolic link to a folder, not followed (use --follow to enter it)",
			"d/loop: symbolic link to a folder, not followed (use --follow to enter it)",
			"d/self: broken symbolic link: too many levels of symbolic links",
		}},
		// Followed, d/loop leads back to the top folder, whose d is then
		// one of its own ancestors.
		{"follow", []string{"d"}, scanner.WalkOptions{FollowSymlinks: true},
			[]string{"d/a.txt", "d/link-to-dir/in.txt", "d/link-to-file", "d/loop/file.txt", "d/loop/sub/in.txt"},
			[]string{
				"d/broken: broken symbolic link: no such file or folder",
				"d/fifo: not a regular file (device, pipe or socket): not read",
				"d/loop/d: symbolic link loop",
				"d/self: broken symbolic link: too many levels of symbolic links",
			}},
		// Two links to one folder that is not an ancestor are no loop.
		{"diamond", []string{"d/link-to-dir", "sub"}, scanner.WalkOptions{FollowSymlinks: true},
			[]string{"d/link-to-dir/in.txt", "sub/in.txt"}, nil},
		// A link the user names is followed, whatever the options.
		{"named link to a folder", []string{"d/link-to-dir"}, scanner.WalkOptions{}, []string{"d/link-to-dir/in.txt"}, nil},
		{"named link to a file", []string{"d/link-to-file"}, scanner.WalkOptions{}, []string{"d/link-to-file"}, nil},
		{"named fifo", []string{"d/fifo"}, scanner.WalkOptions{}, nil,
			[]string{"d/fifo: not a regular file (device, pipe or socket): not read"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var paths []string
			for _, p := range tt.paths {
				paths = append(paths, filepath.Join(root, p))
			}
			got := walk(t, root, paths, tt.opt)
			if !reflect.DeepEqual(got.files, tt.files) || !reflect.DeepEqual(got.problems, tt.problems) {
				t.Errorf("files    %q\nproblems %q\nwant     %q\nand      %q", got.files, got.problems, tt.files, tt.problems)
			}
		})
	}
}

func TestWalkUnreadableFolder(t *testing.T) {
	root := tree(t, "a.txt", "locked/secret.txt", "z.txt")
	locked := filepath.Join(root, "locked")
	if err := os.Chmod(locked, 0); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(locked, 0o755) })
	if _, err := os.ReadDir(locked); err == nil {
		t.Skip("the folder is still readable after chmod 000 (running as root?)")
	}
	got := walk(t, root, []string{root}, scanner.WalkOptions{})
	want := walked{files: []string{"a.txt", "z.txt"}, problems: []string{"locked: cannot read folder: permission denied"}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWalkStops(t *testing.T) {
	root := tree(t, "a/1.txt", "a/2.txt", "b/3.txt")
	var files []string
	scanner.Walk(context.Background(), []string{filepath.Join(root, "a"), filepath.Join(root, "b")}, scanner.WalkOptions{},
		func(p string) bool { files = append(files, filepath.Base(p)); return false },
		func(p scanner.Problem) { t.Errorf("problem %v", p) })
	if !reflect.DeepEqual(files, []string{"1.txt"}) {
		t.Errorf("file returned false but the walk went on: %q", files)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	scanner.Walk(ctx, []string{root}, scanner.WalkOptions{},
		func(p string) bool { t.Errorf("file %s after cancel", p); return true },
		func(p scanner.Problem) { t.Errorf("problem %v after cancel", p) })
}

func TestWalkFilters(t *testing.T) {
	root := tree(t, "a.pdf", "a.txt", "keep/b.docx", "keep/b.tmp", "keep/deep/c.pdf",
		"archive/old.pdf", "drafts/d.pdf", "drafts/sub/e.pdf", "drafts/sub/keep.pdf", "x/node_modules/m.txt")
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(".baomiignore", "# comment\n*.tmp\n/archive/\nnode_modules\n")
	write("drafts/.baomiignore", "sub/*\n!sub/keep.pdf\n")
	tests := []struct {
		name  string
		opt   scanner.WalkOptions
		files []string
	}{
		{"no filters", scanner.WalkOptions{}, []string{".baomiignore", "a.pdf", "a.txt", "archive/old.pdf", "drafts/.baomiignore",
			"drafts/d.pdf", "drafts/sub/e.pdf", "drafts/sub/keep.pdf", "keep/b.docx", "keep/b.tmp", "keep/deep/c.pdf", "x/node_modules/m.txt"}},
		{"ignore file", scanner.WalkOptions{IgnoreFile: ".baomiignore"}, []string{".baomiignore", "a.pdf", "a.txt", "drafts/.baomiignore",
			"drafts/d.pdf", "drafts/sub/keep.pdf", "keep/b.docx", "keep/deep/c.pdf"}},
		{"include by name", scanner.WalkOptions{Include: []string{"*.pdf"}, IgnoreFile: ".baomiignore"},
			[]string{"a.pdf", "drafts/d.pdf", "drafts/sub/keep.pdf", "keep/deep/c.pdf"}},
		{"include by path", scanner.WalkOptions{Include: []string{"keep/**"}}, []string{"keep/b.docx", "keep/b.tmp", "keep/deep/c.pdf"}},
		{"exclude a folder", scanner.WalkOptions{Exclude: []string{"drafts", "x", ".baomiignore"}},
			[]string{"a.pdf", "a.txt", "archive/old.pdf", "keep/b.docx", "keep/b.tmp", "keep/deep/c.pdf"}},
		{"exclude by glob", scanner.WalkOptions{Exclude: []string{"**/*.pdf", "*.tmp"}, Include: []string{"keep/**"}}, []string{"keep/b.docx"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := walk(t, root, []string{root}, tt.opt)
			if !reflect.DeepEqual(got.files, tt.files) || len(got.problems) > 0 {
				t.Errorf("files %q problems %q, want files %q", got.files, got.problems, tt.files)
			}
		})
	}
	if err := (scanner.WalkOptions{Exclude: []string{"[a-"}}).Validate(); err == nil {
		t.Error("a malformed glob passed Validate")
	}
	// A file the user names is scanned whatever the filters say.
	got := walk(t, root, []string{filepath.Join(root, "keep", "b.tmp")}, scanner.WalkOptions{Exclude: []string{"*.tmp"}, IgnoreFile: ".baomiignore"})
	if !reflect.DeepEqual(got.files, []string{"keep/b.tmp"}) {
		t.Errorf("named file: %q", got.files)
	}
}
