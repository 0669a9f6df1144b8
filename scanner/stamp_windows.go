package scanner

import (
	"io/fs"
	"syscall"
)

// sysStamp returns the creation time of st in place of a change time:
// Windows keeps no change time in what os.Stat reads, and no file number
// without opening the file. A file replaced by another (saved through a
// temporary file, copied over) has a new creation time.
func sysStamp(st fs.FileInfo) (ctime int64, inode uint64) {
	if d, ok := st.Sys().(*syscall.Win32FileAttributeData); ok {
		return d.CreationTime.Nanoseconds(), 0
	}
	return 0, 0
}
