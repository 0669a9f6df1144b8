package scanner

import "io/fs"

// FileStamp is what tells, without reading a file, that it has not changed
// since it was hashed: its size and modification time, and where the system
// keeps them its change time and file number. The mtime alone can be set
// back (touch -d) after a rewrite of the same size; the change time cannot
// be set, and a file replaced by another has another number.
type FileStamp struct {
	Size  int64
	MTime int64  // Unix nanoseconds
	CTime int64  // Unix nanoseconds of the last change of content or metadata; 0 where unknown
	Inode uint64 // 0 where unknown
}

// StampOf returns the stamp of the file st describes.
func StampOf(st fs.FileInfo) FileStamp {
	s := FileStamp{Size: st.Size(), MTime: st.ModTime().UnixNano()}
	s.CTime, s.Inode = sysStamp(st)
	return s
}
