package watch

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
)

// fileID is the file a scan read: its device and inode (zero where the
// system does not give them) and its size and modification time. An
// action on the file first checks that the path still leads, beneath the
// watched folder and through no link, to this very file, unchanged.
type fileID struct {
	Dev   uint64 `json:"dev"`
	Ino   uint64 `json:"ino"`
	Size  int64  `json:"size"`
	MTime int64  `json:"mtime"` // Unix nanoseconds
}

// errRefused marks an action refused because the path no longer leads to
// the file that was scanned (a folder swapped for a link, the file
// replaced or changed). It is not retried: whatever is there now is
// scanned on its own event.
var errRefused = errors.New("refused")

// refused returns an errRefused error saying why, in our words only.
func refused(why string, err error) error {
	if err != nil {
		return fmt.Errorf("%w: %s (%v)", errRefused, why, err)
	}
	return fmt.Errorf("%w: %s", errRefused, why)
}

// errChanged is the refusal for a file that is not the one scanned.
var errChanged = refused("the file is not the one scanned: replaced, changed or moved since", nil)

// relBeneath returns path relative to root, refusing a path outside it.
func relBeneath(root, path string) (string, error) {
	rel, err := filepath.Rel(root, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", refused("the path is not inside the watched folder", nil)
	}
	return rel, nil
}
