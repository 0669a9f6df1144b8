package scanner

import (
	"io/fs"
	"syscall"
)

// sysStamp returns the inode change time and the inode number of st.
func sysStamp(st fs.FileInfo) (ctime int64, inode uint64) {
	if s, ok := st.Sys().(*syscall.Stat_t); ok {
		return s.Ctim.Nano(), s.Ino
	}
	return 0, 0
}
