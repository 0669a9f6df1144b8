package extract

import (
	"context"
	"errors"

	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/mtef"
)

// equationNative is the stream that holds the MTEF data of an Equation
// Editor 3.0 or MathType formula.
const equationNative = "Equation Native"

// readFormula reads the text of a formula object from its MTEF data. A
// formula in a version of MTEF that package mtef does not read is read as
// the objects of other programs are (readPresentations, unread says why);
// a damaged one gives the text read before the damage, for review.
func readFormula(ctx context.Context, c *cfb.File, opt Options, unread *Error) (*Document, error) {
	b, err := c.ReadStream(c.Lookup(equationNative), opt.MaxInflated)
	if err != nil {
		if err := cfbError(err); KindOf(err) == KindLimit {
			return nil, err
		}
		return readPresentations(ctx, c, opt, unread)
	}
	text, err := mtef.Text(b)
	if errors.Is(err, mtef.ErrVersion) {
		return readPresentations(ctx, c, opt, unread)
	}
	doc := NewText(FormatOLE, opt)
	if text != "" {
		if err := doc.Add(Segment{Part: PartBody, Text: text}); err != nil {
			return nil, err
		}
	}
	if err != nil {
		doc.Review = append(doc.Review, "Equation Editor or MathType formula damaged: its text may be incomplete")
	}
	return doc.Document, nil
}
