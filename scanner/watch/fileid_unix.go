//go:build unix && !linux

package watch

import (
	"os"
	"syscall"
)

// devIno returns the device and inode of a file Lstat described.
func devIno(_ string, fi os.FileInfo) (dev, ino uint64, err error) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), uint64(st.Ino), nil
	}
	return 0, 0, nil
}
