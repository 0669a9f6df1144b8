package extract

import (
	"errors"
	"os"
)

// FileID identifies the file File read by its device and inode, where the
// system has them (zero elsewhere), so that a caller can tell whether the
// file it meant is the one that was read: a name can lead elsewhere while
// a file is read (a folder swapped for a link and back).
type FileID struct{ Dev, Ino uint64 }

// Known reports whether id identifies a file.
func (id FileID) Known() bool { return id != FileID{} }

// fileIDOf returns the identity of the open file fi describes.
func fileIDOf(fi os.FileInfo) FileID {
	dev, ino := devIno(fi)
	return FileID{dev, ino}
}

// withFileID records id on doc or err, as withDigest does the digest.
func withFileID(doc *Document, err error, id FileID) {
	var e *Error
	switch {
	case doc != nil:
		doc.File = id
	case errors.As(err, &e):
		e.File = id
	}
}

// FileOf returns the identity of the file an extraction result was read
// from; zero when it is not known.
func FileOf(doc *Document, err error) FileID {
	var e *Error
	switch {
	case doc != nil:
		return doc.File
	case errors.As(err, &e):
		return e.File
	}
	return FileID{}
}
