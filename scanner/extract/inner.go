package extract

import (
	"bytes"
	"context"

	"github.com/baomi/baomi/scanner/extract/internal/humanize"
)

// maxNesting is how deep containers may nest: in x.zip, the document
// a.zip!b.zip!c.docx!word/embeddings/d.pdf is at depth 4.
const maxNesting = 5

// Documents inside containers (archive entries, embedded objects) are read
// as documents of their own through Reader, so that each is sniffed and
// handed to its format's extractor with its guards. What they share with the
// file that holds them travels in the context: the nesting depth, and one
// budget of inflated bytes and entries for the whole file, so that nested
// containers cannot multiply the limits.
//
// Verdicts: a limit, a timeout or a crash inside makes the whole file
// `error` (the limits are the file's). An entry that cannot be read for any
// other reason (encrypted, corrupt, a format baomi cannot read) adds a
// Review note naming its inner path, and the other entries are still read:
// the file is then `review`, or `flagged` with the note as its reason when
// something was found. Entries that carry no text (programs, fonts …) are
// left out silently, like such files on disk.

type nestKey struct{}

// nesting is the state of one level of containers.
type nesting struct {
	depth  int
	budget *nestBudget
}

type nestBudget struct {
	inflated int64 // bytes of inner documents taken out so far
	entries  int   // inner documents read so far
}

// Container returns the context that the inner documents of a container
// at ctx's level are read with; it starts the budget at the outermost file.
func Container(ctx context.Context) context.Context {
	if _, ok := ctx.Value(nestKey{}).(nesting); ok {
		return ctx
	}
	return context.WithValue(ctx, nestKey{}, nesting{budget: &nestBudget{}})
}

// innerPath joins the path of a document inside a container with a path
// inside that document.
func innerPath(outer, inner string) string {
	if inner == "" {
		return outer
	}
	return outer + "!" + inner
}

// ReadInner reads data, the document at name inside a container, and adds
// what it holds to dst, charged to dst's text budget. label names it in
// Reasons and Review notes ("entry 3", "attachment 2"): name comes from the
// file, and they quote nothing of it. ctx comes from container.
func ReadInner(ctx context.Context, dst *Text, name, label string, data []byte, opt Options) error {
	n := ctx.Value(nestKey{}).(nesting)
	if n.depth >= maxNesting {
		return Errorf(KindLimit, "%s: containers nested more than %d deep (max nesting)", label, maxNesting)
	}
	n.budget.inflated += int64(len(data))
	if n.budget.inflated > opt.MaxInflated {
		return Errorf(KindLimit, "documents inside the file inflate past the limit of %s: possible decompression bomb", humanize.Bytes(uint64(opt.MaxInflated)))
	}
	n.budget.entries++
	if n.budget.entries > opt.MaxEntries {
		return Errorf(KindLimit, "the file holds more than %d documents inside it (max entries)", opt.MaxEntries)
	}
	if dst.Left() <= 0 {
		return dst.limit()
	}
	in := opt
	in.MaxInflated = max(opt.MaxInflated-n.budget.inflated, 1)
	in.MaxEntries = max(opt.MaxEntries-n.budget.entries, 1)
	in.MaxText = dst.Left()
	inner := context.WithValue(ctx, nestKey{}, nesting{depth: n.depth + 1, budget: n.budget})
	// Every inner document is hashed, whether or not it can be read, so a
	// known file is found inside an archive or another document too.
	dst.Digests = append(dst.Digests, digestOf(name, data))
	doc, err := Reader(inner, bytes.NewReader(data), int64(len(data)), in)
	if err != nil {
		switch k := KindOf(err); k {
		case KindNoText:
			return nil
		case KindLimit, KindTimeout, KindCrash, KindIO:
			return Errorf(k, "%s: %v", label, err)
		}
		dst.Review = append(dst.Review, label+": "+err.Error())
		return nil
	}
	for _, s := range doc.Segments {
		s.Inner = innerPath(name, s.Inner)
		if err := dst.Add(s); err != nil {
			return err
		}
	}
	for _, r := range doc.Review {
		dst.Review = append(dst.Review, label+": "+r)
	}
	// Its pictures are the file's: a scan inside a zip read by OCR too.
	dst.Pictures.Read += doc.Pictures.Read
	dst.Pictures.Unread += doc.Pictures.Unread
	for _, d := range doc.Digests {
		d.Inner = innerPath(name, d.Inner)
		dst.Digests = append(dst.Digests, d)
	}
	return nil
}
