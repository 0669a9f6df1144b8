package serve

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// upload is one received file: the name the client gave (data, never used
// as a path), where baomi stored it, and its digest.
type upload struct {
	name   string
	path   string
	size   int64
	sha256 string
}

// uploads are the files of one request, in a private folder of their own.
type uploads struct {
	dir   string
	files []upload
}

// remove deletes the folder and every upload in it.
func (u *uploads) remove() { os.RemoveAll(u.dir) }

// reqError is a bad request's status and message.
type reqError struct {
	status int
	msg    message
}

// maxName bounds an uploaded name, which is only data (a report's path).
const maxName = 1024

// receive stores the request's files (multipart field "file", repeatable,
// or a raw body named by ?name=) in a new 0700 folder under TempDir, under
// names baomi makes, hashing them on the way. The caller removes the
// folder, which is returned whenever it was made, error or not.
func (s *Server) receive(w http.ResponseWriter, r *http.Request) (*uploads, *reqError) {
	if r.ContentLength > s.opt.MaxUpload {
		return nil, &reqError{http.StatusRequestEntityTooLarge, msgTooLarge}
	}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	name := r.URL.Query().Get("name")
	if mt != "multipart/form-data" && name == "" {
		return nil, &reqError{http.StatusBadRequest, msgNoName}
	}
	dir, err := os.MkdirTemp(s.opt.TempDir, "baomi-serve-") // mode 0700
	if err != nil {
		s.opt.Log.Error().Str("error", err.Error()).Msg("cannot make a folder for uploads")
		return nil, &reqError{http.StatusInternalServerError, msgStorage}
	}
	up := &uploads{dir: dir}
	rc := http.NewResponseController(w)
	body := &slowGuard{r: http.MaxBytesReader(w, r.Body, s.opt.MaxUpload), rc: rc, d: s.opt.ClientTimeout}
	e := s.receiveInto(up, body, mt, params, name)
	if e == nil {
		// The deadline must not outlive the upload: the server's read
		// that notices a client going away would time out during a long
		// scan. After a bad upload it stays, so that draining what is
		// left of the body cannot wait for a stalled client for ever.
		rc.SetReadDeadline(time.Time{})
	} else {
		w.Header().Set("Connection", "close")
	}
	return up, e
}

// receiveInto reads the body's files into up.
func (s *Server) receiveInto(up *uploads, body io.Reader, mt string, params map[string]string, name string) *reqError {
	if mt != "multipart/form-data" {
		return s.save(up, body, name)
	}
	mr := multipart.NewReader(body, params["boundary"])
	for {
		p, err := mr.NextRawPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			return classify(err)
		}
		if p.FormName() != "file" {
			return &reqError{http.StatusBadRequest, msgField}
		}
		if len(up.files) == maxFiles {
			return &reqError{http.StatusBadRequest, msgTooMany}
		}
		if e := s.save(up, p, fileName(p, len(up.files))); e != nil {
			return e
		}
	}
	if len(up.files) == 0 {
		return &reqError{http.StatusBadRequest, msgNoFile}
	}
	return nil
}

// fileName is the name the client gave a part, as it gave it: ../ and
// folders are kept as data (Part.FileName would drop them).
func fileName(p *multipart.Part, i int) string {
	_, params, _ := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	name := strings.ToValidUTF8(params["filename"], "\uFFFD")
	if name == "" {
		return "file-" + strconv.Itoa(i+1)
	}
	if len(name) > maxName {
		name = strings.ToValidUTF8(name[:maxName], "")
	}
	return name
}

// save copies one file into the request's folder and records it.
func (s *Server) save(up *uploads, src io.Reader, name string) *reqError {
	path := filepath.Join(up.dir, strconv.Itoa(len(up.files)))
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		s.opt.Log.Error().Str("error", err.Error()).Msg("cannot store an upload")
		return &reqError{http.StatusInternalServerError, msgStorage}
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, h), src)
	if cerr := f.Close(); err == nil && cerr != nil {
		s.opt.Log.Error().Str("error", cerr.Error()).Msg("cannot store an upload")
		return &reqError{http.StatusInternalServerError, msgStorage}
	}
	if err != nil {
		return classify(err)
	}
	up.files = append(up.files, upload{name: name, path: path, size: n, sha256: hex.EncodeToString(h.Sum(nil))})
	return nil
}

// classify turns an error reading the request into its answer.
func classify(err error) *reqError {
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return &reqError{http.StatusRequestEntityTooLarge, msgTooLarge}
	case errors.Is(err, os.ErrDeadlineExceeded):
		return &reqError{http.StatusRequestTimeout, msgSlow}
	}
	return &reqError{http.StatusBadRequest, msgBroken}
}

// slowGuard gives a client d to send each next piece of its upload, so
// that a stalled client cannot hold a request slot for ever while a slow
// but moving one can still send a large file.
type slowGuard struct {
	r  io.Reader
	rc *http.ResponseController
	d  time.Duration
}

func (g *slowGuard) Read(p []byte) (int, error) {
	g.rc.SetReadDeadline(time.Now().Add(g.d)) // unsupported (a recorder): no guard
	return g.r.Read(p)
}
