package msdoc

import (
	"context"
	"fmt"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
)

// objects reads the embedded objects of the ObjectPool storage, each a
// storage of its own, as documents of their own: the file an object
// wraps (the Package stream of an Office file, CONTENTS of a PDF, the
// file in an Ole10Native stream) through extract.ReadInner. An object
// that is a legacy Office document kept as a storage, or another
// program's object, is noted: its text is not read.
func objects(ctx context.Context, c *cfb.File, doc *extract.Text, opt extract.Options) error {
	pool := c.Lookup("ObjectPool")
	if pool == nil || !pool.IsStorage() {
		return nil
	}
	ctx = extract.Container(ctx)
	for i, obj := range c.Children(pool) {
		if !obj.IsStorage() {
			continue
		}
		label := fmt.Sprintf("embedded object %d", i+1)
		found, other := false, false
		for _, s := range c.Children(obj) {
			if !s.IsStream() {
				continue
			}
			switch s.Name {
			case "Package", "CONTENTS", "\x01Ole10Native":
			case "WordDocument", "Workbook", "Book", "PowerPoint Document":
				other = true
				continue
			default:
				continue
			}
			b, err := c.ReadStream(s, opt.MaxInflated)
			if err != nil {
				if err := extract.CFBError(err); extract.KindOf(err) == extract.KindLimit {
					return err
				}
				doc.Review = append(doc.Review, label+": damaged, not read")
				found = true
				break
			}
			name := label
			if s.Name == "\x01Ole10Native" {
				var packaged string
				if b, packaged = extract.Ole10Native(b); packaged != "" {
					name = packaged
				}
			}
			if len(b) > 0 {
				if err := extract.ReadInner(ctx, doc, name, label, b, opt); err != nil {
					return err
				}
			}
			found = true
			break
		}
		if !found && other {
			doc.Review = append(doc.Review, label+": an Office 97-2003 document kept inside the file is not read")
		}
	}
	return nil
}
