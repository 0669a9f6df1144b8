// Package fuzzcheck runs a file through extract.Reader for the fuzz
// targets of the format packages that live outside extract, and checks
// the contract every extractor keeps (as extract's own fuzz targets do).
package fuzzcheck

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract"
)

// deadline is the time a fuzz input is given; hang is when it is called a
// hang (an extractor must notice its context).
const (
	deadline = 2 * time.Second
	hang     = 10 * time.Second
)

// Read reads data with extract.Reader and fails t when it hangs or
// breaks the contract: a Document or an *Error, never both; reasons and
// review notes of printable ASCII (ours, quoting nothing of the file);
// segments with a part, and no more text than MaxText. A panic fails the
// fuzz target by itself.
func Read(t *testing.T, data []byte) (*extract.Document, error) {
	t.Helper()
	type result struct {
		doc *extract.Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), deadline)
		defer cancel()
		doc, err := extract.Reader(ctx, bytes.NewReader(data), int64(len(data)), extract.DefaultOptions())
		done <- result{doc, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(hang):
		t.Fatalf("still running after %v: hang", hang)
	}
	var e *extract.Error
	switch {
	case r.err != nil && r.doc != nil:
		t.Fatalf("a Document together with error %q", r.err)
	case r.err != nil && !errors.As(r.err, &e):
		t.Fatalf("error %T %q is not an *Error", r.err, r.err)
	case r.err != nil:
		check(t, e.Reason)
		return nil, r.err
	case r.doc == nil:
		t.Fatal("neither a Document nor an error")
	}
	for _, s := range r.doc.Review {
		check(t, s)
	}
	var text int64
	for i, s := range r.doc.Segments {
		if s.Part == "" {
			t.Fatalf("segment %d has no part", i)
		}
		text += int64(len(s.Text))
	}
	if text > extract.DefaultOptions().MaxText {
		t.Fatalf("%d bytes of text, over MaxText", text)
	}
	return r.doc, nil
}

// check fails t when s is not fit for a reason: our sentences are English,
// so a byte that is not printable ASCII came from the file.
func check(t *testing.T, s string) {
	t.Helper()
	if s == "" {
		t.Fatal("an empty reason")
	}
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			t.Fatalf("reason %q: %s", s, fmt.Sprintf("byte %#02x at %d is not printable ASCII", s[i], i))
		}
	}
}
