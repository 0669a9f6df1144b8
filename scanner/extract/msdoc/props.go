package msdoc

import (
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/olepropset"
)

// properties adds the document properties (title, subject, author,
// keywords, comments, company … and the user-defined ones, as "name:
// value") as one metadata segment, as the DOCX reader does. A damaged
// property set is noted, and the document is still read.
func properties(c *cfb.File, doc *extract.Text, opt extract.Options) error {
	var out strings.Builder
	for _, name := range []string{"\x05SummaryInformation", "\x05DocumentSummaryInformation"} {
		e := c.Lookup(name)
		if e == nil || !e.IsStream() {
			continue
		}
		b, err := c.ReadStream(e, opt.MaxInflated)
		if err != nil {
			if err := extract.CFBError(err); extract.KindOf(err) == extract.KindLimit {
				return err
			}
			doc.Review = append(doc.Review, "damaged document properties: they are not read")
			continue
		}
		props, err := olepropset.Read(b)
		if err != nil {
			doc.Review = append(doc.Review, "damaged document properties: they are not read")
		}
		for _, p := range props {
			if p.Name != "" {
				out.WriteString(p.Name + ": ")
			}
			out.WriteString(p.Text + "\n")
		}
	}
	if out.Len() == 0 {
		return nil
	}
	return doc.Add(extract.Segment{Part: extract.PartMetadata, Text: strings.TrimRight(out.String(), "\n")})
}
