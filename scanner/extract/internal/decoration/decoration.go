// Package decoration holds the rule that tells a picture too small to hold
// a line of text (a decoration) from one that may carry text, which the
// readers of every format with pictures share (extract, extract/pdf,
// extract/ofd; see docs/PICTURES.md).
//
// A line needs some height across it and some length along it, so a
// picture is a decoration when its SMALLER side is under either threshold:
//   - under minPixels pixels: a glyph of a line of text needs about that
//     many pixels to be legible (a 12 pt line scanned at 150 dpi is 25
//     pixels high);
//   - or drawn under minMM millimetres: 3 mm (8.5 pt) is about the smallest
//     print a person reads.
//
// Using the smaller side exempts rules and lines (thin one way), bullets and
// small icons (small both ways), and keeps a banner of text drawn across the
// page or a column of vertical text down it. Either threshold alone is
// enough; a size that is not known (no pixel size in the header, no drawn
// size in the format) exempts nothing.
package decoration

const (
	minPixels = 24
	minMM     = 3.0
)

// PointsPerMM converts PDF points (1/72 inch) to millimetres.
const PointsPerMM = 72 / 25.4

// Size is what is known of one picture's size: its pixels (0 when
// unknown) and, when Drawn is set, the size it is drawn at in millimetres.
type Size struct {
	PxW, PxH int
	Drawn    bool
	MmW, MmH float64
}

// Decoration reports whether the picture is too small to hold a line of
// text, by the rule above.
func (s Size) Decoration() bool {
	if s.PxW > 0 && s.PxH > 0 && min(s.PxW, s.PxH) < minPixels {
		return true
	}
	return s.Drawn && min(s.MmW, s.MmH) < minMM
}

// Decorations that touch one another can be one picture cut in pieces: a
// scan stored as strips a few pixels high, or a banner cut up so that each
// piece passes for a rule. So the boxes of the decorations drawn on a page
// are joined where they touch (within joinGapMM) and a group whose box is no
// decoration by its drawn size counts as a picture. Beyond Max on a page,
// the page counts as having a picture.
const (
	joinGapMM = 0.5
	// Max is how many decorations of a page are joined at most.
	Max = 2000
)

// Box is where a picture is drawn on its page, in millimetres.
type Box struct{ X0, Y0, X1, Y1 float64 }

// touches reports whether b and c overlap or are within joinGapMM.
func (b Box) touches(c Box) bool {
	return b.X0 <= c.X1+joinGapMM && c.X0 <= b.X1+joinGapMM && b.Y0 <= c.Y1+joinGapMM && c.Y0 <= b.Y1+joinGapMM
}

// Joined counts the groups of two or more touching decorations whose
// joined box is no decoration by its drawn size (see Box); beyond Max
// decorations, one.
func Joined(boxes []Box) int {
	if len(boxes) > Max {
		return 1
	}
	return len(Groups(boxes))
}

// Groups returns those groups, each as the indexes of its boxes in order,
// the groups in the order of their first box: the pictures cut in pieces,
// for a reader that puts them together. Beyond Max decorations it returns
// nil.
func Groups(boxes []Box) [][]int {
	if len(boxes) > Max {
		return nil
	}
	// Union-find over the boxes, quadratic in their count: decorations are
	// few on real pages, and bounded above.
	group := make([]int, len(boxes))
	for i := range group {
		group[i] = i
	}
	find := func(i int) int {
		for group[i] != i {
			group[i] = group[group[i]]
			i = group[i]
		}
		return i
	}
	for i := range boxes {
		for j := i + 1; j < len(boxes); j++ {
			if boxes[i].touches(boxes[j]) {
				group[find(i)] = find(j)
			}
		}
	}
	joined := map[int]Box{}
	members := map[int][]int{}
	var roots []int
	for i, b := range boxes {
		g := find(i)
		if j, ok := joined[g]; ok {
			b = Box{min(b.X0, j.X0), min(b.Y0, j.Y0), max(b.X1, j.X1), max(b.Y1, j.Y1)}
		} else {
			roots = append(roots, g)
		}
		joined[g] = b
		members[g] = append(members[g], i)
	}
	var groups [][]int
	for _, g := range roots {
		b := joined[g]
		s := Size{Drawn: true, MmW: b.X1 - b.X0, MmH: b.Y1 - b.Y0}
		if len(members[g]) > 1 && !s.Decoration() {
			groups = append(groups, members[g])
		}
	}
	return groups
}
