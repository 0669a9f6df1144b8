package msxls

import (
	"context"
	"fmt"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
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
		data, err := c.Storage(e, opt.MaxInflated)
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
