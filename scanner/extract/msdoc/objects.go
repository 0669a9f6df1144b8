package msdoc

import (
	"context"
	"fmt"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
)

// objects reads the embedded objects of the ObjectPool storage, each a
// storage of its own, as documents of their own through
// extract.ReadInner: the file an object wraps (the Package stream of an
// Office file, LibreOffice's package_stream of an ODF file, CONTENTS of a
// PDF, the file in an Ole10Native stream), or
// the object's storage itself written out as a compound file of its own,
// which is how Word keeps an embedded Word 97-2003 document or Excel
// workbook. Their segments name the object in Inner.
func objects(ctx context.Context, c *cfb.File, doc *extract.Text, opt extract.Options) error {
	pool := c.Lookup("ObjectPool")
	if pool == nil || !pool.IsStorage() {
		return nil
	}
	ctx = extract.Container(ctx)
	n := 0
	for _, obj := range c.Children(pool) {
		if !obj.IsStorage() {
			continue
		}
		n++
		label, name := fmt.Sprintf("embedded object %d", n), "ObjectPool/"+obj.Name
		data, packaged, err := object(c, obj, opt)
		if err != nil {
			if err := extract.CFBError(err); extract.KindOf(err) == extract.KindLimit {
				return err
			}
			doc.Review = append(doc.Review, label+": damaged, not read")
			continue
		}
		if packaged != "" {
			name += "/" + packaged
		}
		if len(data) > 0 {
			if err := extract.ReadInner(ctx, doc, name, label, data, opt); err != nil {
				return err
			}
		}
	}
	return nil
}

// object returns the document an object's storage holds, and the name a
// Packager object gives its file.
func object(c *cfb.File, obj *cfb.Entry, opt extract.Options) (data []byte, packaged string, err error) {
	for _, name := range []string{"Package", "package_stream", "CONTENTS", "\x01Ole10Native"} {
		s := c.Lookup("ObjectPool", obj.Name, name)
		if s == nil || !s.IsStream() {
			continue
		}
		b, err := c.ReadStream(s, opt.MaxInflated)
		if err != nil || name != "\x01Ole10Native" {
			return b, "", err
		}
		b, packaged = extract.Ole10Native(b)
		return b, packaged, nil
	}
	// Another program's object, or a legacy Office document kept as a
	// storage: its streams, written out as a compound file, are read as
	// one (Reader names what it cannot read).
	b, err := c.Storage(obj, opt.MaxInflated)
	return b, "", err
}
