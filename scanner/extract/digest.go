package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"os"

	"github.com/emmansun/gmsm/sm3"
)

// Digest is what the bytes of a file, or of a document inside it, hash to:
// SHA-256 and SM3 (GB/T 32905), as lower-case hex. A policy's file-hash
// rules look them up; the digest of the file itself is reported with its
// result.
type Digest struct {
	// Inner is the path of the document inside the file (an archive entry,
	// an embedded object; nested ones joined with !), "" for the file.
	Inner  string
	SHA256 string
	SM3    string
}

// digester hashes bytes with both algorithms at once.
type digester struct{ sha, sm hash.Hash }

func newDigester() digester { return digester{sha256.New(), sm3.New()} }

func (d digester) Write(p []byte) (int, error) {
	d.sha.Write(p)
	return d.sm.Write(p)
}

func (d digester) digest(inner string) Digest {
	return Digest{Inner: inner, SHA256: hex.EncodeToString(d.sha.Sum(nil)), SM3: hex.EncodeToString(d.sm.Sum(nil))}
}

// digestOf hashes data, a document at inner inside a container.
func digestOf(inner string, data []byte) Digest {
	d := newDigester()
	d.Write(data)
	return d.digest(inner)
}

// digestFile hashes the size bytes of r in one streaming pass.
func digestFile(r io.ReaderAt, size int64) (Digest, error) {
	d := newDigester()
	if _, err := io.Copy(d, io.NewSectionReader(r, 0, size)); err != nil {
		return Digest{}, err
	}
	return d.digest(""), nil
}

// AddFileDigest records the digest of the file at path among what err
// carries, when it carries none: for a caller whose reading of the file was
// stopped before File could hash it (a child process killed at a limit or
// crashed), so that a file a policy knows by its hash is still recognised.
// A file over opt's MaxFileSize, or that cannot be read, is left unhashed.
func AddFileDigest(err error, path string, opt Options) error {
	var e *Error
	if !errors.As(err, &e) || len(e.Digests) > 0 {
		return err
	}
	f, oerr := os.Open(path)
	if oerr != nil {
		return err
	}
	defer f.Close()
	st, serr := f.Stat()
	if serr != nil || !st.Mode().IsRegular() || st.Size() > opt.WithDefaults().MaxFileSize {
		return err
	}
	if d, herr := digestFile(f, st.Size()); herr == nil {
		withDigest(nil, err, d)
	}
	return err
}

// withDigest records the file's digest first among what doc or err
// carries: a file that could not be read (encrypted, damaged) can still be
// one a policy knows.
func withDigest(doc *Document, err error, d Digest) {
	var e *Error
	switch {
	case doc != nil:
		doc.Digests = append([]Digest{d}, doc.Digests...)
	case errors.As(err, &e):
		e.Digests = append([]Digest{d}, e.Digests...)
	}
}

// DigestsOf returns the digests an extraction result carries: those of the
// Document, or of the *Error when the file could not be read.
func DigestsOf(doc *Document, err error) []Digest {
	var e *Error
	switch {
	case doc != nil:
		return doc.Digests
	case errors.As(err, &e):
		return e.Digests
	}
	return nil
}
