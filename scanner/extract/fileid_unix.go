//go:build unix

package extract

import (
	"os"
	"syscall"
)

// devIno returns the device and inode of the file fi describes.
func devIno(fi os.FileInfo) (dev, ino uint64) {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Dev), uint64(st.Ino) // Dev is int32 on some systems
	}
	return 0, 0
}
