//go:build unix

package watch

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/match"
)

// decoyReader reads files as they are, but says it read another file the
// first n times it reads a file named decoy-n.txt: what a reader sees when
// a folder is swapped for a link to a decoy and back while it reads.
type decoyReader struct {
	mu    sync.Mutex
	reads map[string]int
}

func (x *decoyReader) Extract(ctx context.Context, path string) (*extract.Document, error) {
	doc, err := scanner.InProcess{}.Extract(ctx, path)
	x.mu.Lock()
	defer x.mu.Unlock()
	x.reads[path]++
	if strings.HasPrefix(filepath.Base(path), "decoy-") && doc != nil {
		n := int(filepath.Base(path)[len("decoy-")] - '0')
		if x.reads[path] <= n {
			doc.File = extract.FileID{Dev: 1, Ino: 1} // not the file meant
		}
	}
	return doc, err
}

// A file whose name led to another file while it was read is read again;
// when that happens twice in a row it is review, never the decoy's clean.
func TestWatchReadsTheFileItMeant(t *testing.T) {
	base, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	root := filepath.Join(base, "share")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{"decoy-1.txt": "flagged", "decoy-2.txt": "review", "plain.txt": "flagged"}
	for name := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte("机密★5年\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, err := policies.Default()
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	reader := &decoyReader{reads: map[string]int{}}
	sc := scanner.New(m, scanner.Options{Workers: 1, Extractor: reader})
	logs := &syncBuffer{}
	cfg := DefaultConfig()
	cfg.Debounce = 50 * time.Millisecond
	_, stop := startDaemon(t, Options{Roots: []string{root}, DB: filepath.Join(base, "watch.db"), Workers: 1, Log: zerolog.New(logs)}, sc, cfg)
	deadline := time.Now().Add(20 * time.Second)
	for len(logs.scanned()) < len(files) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	stop()
	got := logs.scanned()
	for name, want := range files {
		path := filepath.Join(root, name)
		if v := got[path]; len(v) != 1 || v[0] != want {
			t.Errorf("%s: verdicts %v, want %s", name, v, want)
		}
	}
	reader.mu.Lock()
	defer reader.mu.Unlock()
	for name, want := range map[string]int{"decoy-1.txt": 2, "decoy-2.txt": 2, "plain.txt": 1} {
		if n := reader.reads[filepath.Join(root, name)]; n != want {
			t.Errorf("%s read %d times, want %d", name, n, want)
		}
	}
	// The reason says why, without quoting anything read.
	for _, line := range strings.Split(logs.buf.String(), "\n") {
		var l struct{ Message, Path, Reason string }
		if json.Unmarshal([]byte(line), &l) == nil && l.Message == "scanned" && strings.HasSuffix(l.Path, "decoy-2.txt") && !strings.Contains(l.Reason, "replaced while it was read") {
			t.Errorf("reason %q", l.Reason)
		}
	}
}
