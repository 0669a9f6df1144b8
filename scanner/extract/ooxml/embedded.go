package ooxml

import (
	"bytes"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
)

// embedded reads the files under dir (word/embeddings/, xl/embeddings/ …):
// other Office files, PDFs, and OLE objects wrapping either. Each is read as
// a document of its own (see ReadInner): its segments keep their own part
// (body, comment …) and page, and Inner names the entry, so a finding says
// both where in the embedded file it is and which embedded file.
func (x *ooxml) embedded(dir string) error {
	ctx := extract.Container(x.Ctx)
	// Every entry under dir is read, whatever sizes it declares, even one
	// named like a folder or sharing its name with another: only what
	// turns out empty is passed over.
	for _, f := range x.Zip.Files() {
		if !strings.HasPrefix(strings.ToLower(f.Name), dir) {
			continue
		}
		data, err := x.Zip.ReadAll(f)
		if err != nil {
			return err
		}
		if len(data) == 0 {
			continue
		}
		if bytes.HasPrefix(data, []byte(cfb.Signature)) {
			inner, label, err := extract.OLEObject(data, x.Opt)
			if err != nil {
				return err
			}
			if label != "" {
				if err := x.Doc.Add(extract.Segment{Part: extract.PartEmbedded, Inner: f.Name, Text: label}); err != nil {
					return err
				}
			}
			if inner != nil {
				data = inner
			}
		}
		if err := extract.ReadInner(ctx, x.Doc, f.Name, x.Zip.Label(f), data, x.Opt); err != nil {
			return err
		}
	}
	return nil
}
