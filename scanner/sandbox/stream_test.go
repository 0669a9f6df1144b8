package sandbox

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/baomi/baomi/scanner/extract"
)

// longDoc has a segment several pieces long whose piece boundaries fall
// inside three-byte characters, an empty segment, and a short one.
func longDoc() *extract.Document {
	return &extract.Document{
		Format: extract.FormatDOCX,
		Segments: []extract.Segment{
			{Part: extract.PartBody, Page: 2, Inner: "a.zip!b.docx", Text: "a" + strings.Repeat("机密文件，", 3*pieceSize/15+7)},
			{Part: extract.PartHeader},
			{Part: extract.PartFooter, Text: "第1页"},
		},
		Review:   []string{"page 3 has images but no text layer"},
		Digests:  []extract.Digest{{SHA256: "aa", SM3: "bb"}, {Inner: "a.zip", SHA256: "cc", SM3: "dd"}},
		Pictures: extract.Pictures{Read: 2, Unread: 1},
	}
}

// TestPieces checks that a long document crosses from the child in pieces
// no larger than pieceSize, cut between characters, that put back together
// give the document the child read.
func TestPieces(t *testing.T) {
	p := newPool(t, Options{Timeout: time.Minute})
	var c extract.Collector
	pieces := 0
	doc, err := p.ExtractTo(context.Background(), "long", func(seg extract.Segment, more bool) error {
		pieces++
		if len(seg.Text) > pieceSize || !utf8.ValidString(seg.Text) {
			t.Errorf("piece %d: %d bytes, valid UTF-8 %v", pieces, len(seg.Text), utf8.ValidString(seg.Text))
		}
		return c.Add(seg, more)
	})
	if err != nil {
		t.Fatal(err)
	}
	want := longDoc()
	if pieces < 5 {
		t.Errorf("%d pieces, want the first segment cut in at least 3", pieces)
	}
	if doc.Segments != nil || doc.Format != want.Format || !reflect.DeepEqual(doc.Review, want.Review) || !reflect.DeepEqual(doc.Digests, want.Digests) || doc.Pictures != want.Pictures {
		t.Errorf("document %+v", doc)
	}
	if !reflect.DeepEqual(c.Segments(), want.Segments) {
		t.Errorf("segments put back together differ from the child's")
	}
	whole, err := p.Extract(context.Background(), "long")
	if err != nil || !reflect.DeepEqual(whole.Segments, want.Segments) {
		t.Errorf("Extract: %v, segments equal %v", err, err == nil && reflect.DeepEqual(whole.Segments, want.Segments))
	}
}

// TestSinkError checks that an error of the sink is returned and that the
// child, whose answer is read to its end, serves the next file.
func TestSinkError(t *testing.T) {
	p := newPool(t, Options{Timeout: time.Minute})
	stop := errors.New("matching failed")
	calls := 0
	_, err := p.ExtractTo(context.Background(), "long", func(extract.Segment, bool) error { calls++; return stop })
	if !errors.Is(err, stop) || calls != 1 {
		t.Fatalf("got %v after %d calls, want the sink's error after 1", err, calls)
	}
	doc, err := p.Extract(context.Background(), textFile(t, "机密★5年"))
	if err != nil || len(doc.Segments) != 1 || doc.Segments[0].Text != "机密★5年" {
		t.Errorf("next file: %v %+v", err, doc)
	}
	if s := p.Stats(); s.Started != 1 {
		t.Errorf("%d children started, want the first one reused", s.Started)
	}
}
