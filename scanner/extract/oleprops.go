package extract

import (
	"fmt"
	"strings"

	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/olepropset"
)

// Properties adds the document properties of c, an Office 97-2003 file
// (title, subject, author, keywords, comments, company … and the
// user-defined ones, as "name: value"), as one metadata segment, as the
// OOXML readers do. A damaged property set is noted (per section and per
// property whose value is lost), and the document is still read.
func (d *Text) Properties(c *cfb.File, opt Options) error {
	var out strings.Builder
	var dmg olepropset.Damage
	for _, name := range []string{"\x05SummaryInformation", "\x05DocumentSummaryInformation"} {
		e := c.Lookup(name)
		if e == nil || !e.IsStream() {
			continue
		}
		b, err := c.ReadStream(e, opt.MaxInflated)
		if err != nil {
			if err := cfbError(err); KindOf(err) == KindLimit {
				return err
			}
			d.Review = append(d.Review, "damaged document properties: they are not read")
			continue
		}
		props, bad, err := olepropset.Read(b)
		if err != nil {
			d.Review = append(d.Review, "damaged document properties: they are not read")
		}
		dmg.Sections += bad.Sections
		dmg.Properties += bad.Properties
		for _, p := range props {
			if p.Name != "" {
				out.WriteString(p.Name + ": ")
			}
			out.WriteString(p.Text + "\n")
		}
	}
	// What could not be read is said per section and per property: the
	// others are read.
	switch {
	case dmg.Sections == 1:
		d.Review = append(d.Review, "damaged document properties: 1 section is not read")
	case dmg.Sections > 1:
		d.Review = append(d.Review, fmt.Sprintf("damaged document properties: %d sections are not read", dmg.Sections))
	}
	switch {
	case dmg.Properties == 1:
		d.Review = append(d.Review, "damaged document properties: 1 property is not read")
	case dmg.Properties > 1:
		d.Review = append(d.Review, fmt.Sprintf("damaged document properties: %d properties are not read", dmg.Properties))
	}
	if out.Len() == 0 {
		return nil
	}
	return d.Add(Segment{Part: PartMetadata, Text: strings.TrimRight(out.String(), "\n")})
}
