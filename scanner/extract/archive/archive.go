// Package archive reads zip archives: each entry is a document of its
// own, read through extract.ReadInner (so nested archives and the limits
// of the whole file hold), and each entry's name is text too. The safe
// reading of entries (extract.Zip) is extract's, shared with every
// zip-based format.
package archive

import (
	"archive/zip"
	"context"
	"io"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/baomi/baomi/scanner/extract"
)

func init() { extract.Register(extract.FormatZIP, extractZIP) }

// extractZIP reads a zip archive: each entry is a document of its own,
// whose segments keep their part and page and name the entry in Inner.
func extractZIP(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	z, err := extract.OpenZip(r, size, opt)
	if err != nil {
		return nil, err
	}
	ctx = extract.Container(ctx)
	doc := extract.NewText(extract.FormatZIP, opt)
	// Every entry is read, whatever sizes it declares and even when it is
	// named like a folder: only what turns out empty is passed over. Two
	// entries of one name are two documents.
	for _, f := range z.Files() {
		name := entryName(f)
		// The name is text too, whether or not the entry can be read.
		if name != "" {
			if err := doc.Add(extract.Segment{Part: extract.PartFileName, Inner: name, Text: name}); err != nil {
				return nil, err
			}
		}
		if f.Flags&1 != 0 {
			doc.Review = append(doc.Review, z.Label(f)+": encrypted entry, cannot be read without the archive's password")
			continue
		}
		data, err := z.ReadAll(f)
		if err != nil {
			if k := extract.KindOf(err); k == extract.KindLimit || k == extract.KindTimeout {
				return nil, err
			}
			doc.Review = append(doc.Review, err.Error())
			continue
		}
		if len(data) == 0 {
			continue
		}
		if err := extract.ReadInner(ctx, doc, name, z.Label(f), data, opt); err != nil {
			return nil, err
		}
	}
	return doc.Document, nil
}

// entryName is an entry's name as its author saw it: archives made on
// Chinese Windows store names in GBK without saying so.
func entryName(f *zip.File) string {
	if utf8.ValidString(f.Name) {
		return f.Name
	}
	if s, err := simplifiedchinese.GB18030.NewDecoder().String(f.Name); err == nil {
		return s
	}
	return f.Name
}
