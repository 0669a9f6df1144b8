package msxls

import (
	"context"
	"fmt"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/cfbtest"
)

// objects reads the embedded objects of a workbook, each a storage at the
// root named MBD and eight hex digits, as documents of their own: the
// storage is written out as a compound file, and the file it wraps (an
// OOXML package, a PDF, a Packager file) or the object itself (a Word or
// Excel 97-2003 document) is read through extract.ReadInner, its segments
// naming the storage in Inner. One that cannot be read makes the file
// review (Reader names what it is).
func objects(ctx context.Context, c *cfb.File, doc *extract.Text, opt extract.Options) error {
	ctx = extract.Container(ctx)
	n := 0
	for _, e := range c.Children(c.Root()) {
		if !e.IsStorage() || !strings.HasPrefix(strings.ToUpper(e.Name), "MBD") {
			continue
		}
		n++
		label := fmt.Sprintf("OLE object %d", n)
		data, err := storage(c, e, opt.MaxInflated)
		if err != nil {
			if err := extract.CFBError(err); extract.KindOf(err) == extract.KindLimit {
				return err
			}
			doc.Review = append(doc.Review, label+": damaged, not read")
			continue
		}
		inner, wrapped, err := extract.OLEObject(data, opt)
		if err != nil {
			return err
		}
		if wrapped != "" {
			if err := doc.Add(extract.Segment{Part: extract.PartEmbedded, Inner: e.Name, Text: wrapped}); err != nil {
				return err
			}
		}
		if inner != nil {
			data = inner
		}
		if err := extract.ReadInner(ctx, doc, e.Name, label, data, opt); err != nil {
			return err
		}
	}
	return nil
}

// storage writes the storage e of c out as a compound file of its own,
// its streams read within max bytes in all.
func storage(c *cfb.File, e *cfb.Entry, max int64) ([]byte, error) {
	var streams []cfbtest.Stream
	var walk func(e *cfb.Entry, path string) error
	walk = func(e *cfb.Entry, path string) error {
		for _, k := range c.Children(e) {
			p := path + strings.ReplaceAll(k.Name, "/", "_")
			if k.IsStorage() {
				if err := walk(k, p+"/"); err != nil {
					return err
				}
				continue
			}
			b, err := c.ReadStream(k, max)
			if err != nil {
				return err
			}
			max -= int64(len(b))
			streams = append(streams, cfbtest.Stream{Path: p, Data: b})
		}
		return nil
	}
	if err := walk(e, ""); err != nil {
		return nil, err
	}
	return cfbtest.Build(streams...), nil
}
