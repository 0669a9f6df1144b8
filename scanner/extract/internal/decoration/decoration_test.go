package decoration

import (
	"fmt"
	"testing"
)

func TestDecoration(t *testing.T) {
	for _, c := range []struct {
		name string
		size Size
		want bool
	}{
		{"260x50 px drawn 69x8 mm: a line of text", Size{PxW: 260, PxH: 50, Drawn: true, MmW: 69, MmH: 8}, false},
		{"16x16 px bullet", Size{PxW: 16, PxH: 16}, true},
		{"rule 600x10 px", Size{PxW: 600, PxH: 10}, true},
		{"vertical line of text 50x400 px", Size{PxW: 50, PxH: 400}, false},
		{"thin column 20x400 px", Size{PxW: 20, PxH: 400}, true},
		{"large picture drawn 2 mm high", Size{PxW: 2000, PxH: 100, Drawn: true, MmW: 150, MmH: 2}, true},
		{"size unknown", Size{}, false},
		{"pixels unknown, drawn 100x100 mm", Size{Drawn: true, MmW: 100, MmH: 100}, false},
		{"24 px is enough", Size{PxW: 24, PxH: 24}, false},
		{"drawn 3 mm is enough", Size{Drawn: true, MmW: 3, MmH: 3}, false},
	} {
		if got := c.size.Decoration(); got != c.want {
			t.Errorf("%s: decoration = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestJoinedPictures(t *testing.T) {
	strip := func(y float64) Box { return Box{10, y, 80, y + 1.5} }
	for _, c := range []struct {
		name  string
		boxes []Box
		want  int
	}{
		{"none", nil, 0},
		{"one rule", []Box{strip(10)}, 0},
		{"strips stacked edge to edge", []Box{strip(10), strip(11.5), strip(13), strip(14.5)}, 1},
		{"strips 0.4 mm apart", []Box{strip(10), strip(11.9), strip(13.8)}, 1},
		{"two rules 1 mm apart: 4 mm high, kept apart", []Box{strip(10), strip(12.5)}, 0},
		{"two rules touching: 3 mm high", []Box{strip(10), strip(11.5)}, 1},
		{"two groups of strips", []Box{strip(10), strip(11.5), strip(13), strip(50), strip(51.5), strip(53)}, 2},
		{"a row of touching 2 mm icons stays under 3 mm high", []Box{{0, 0, 2, 2}, {2, 0, 4, 2}, {4, 0, 6, 2}}, 0},
		{"too many to join", make([]Box, Max+1), 1},
	} {
		if got := Joined(c.boxes); got != c.want {
			t.Errorf("%s: Joined = %d, want %d", c.name, got, c.want)
		}
	}
}

// Groups names the pieces of each picture, in order.
func TestGroups(t *testing.T) {
	strip := func(y float64) Box { return Box{10, y, 80, y + 1.5} }
	rule := Box{10, 30, 80, 30.5}
	got := Groups([]Box{strip(10), rule, strip(50), strip(11.5), strip(51.5), strip(53)})
	want := [][]int{{0, 3}, {2, 4, 5}}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("Groups = %v, want %v", got, want)
	}
	if g := Groups(make([]Box, Max+1)); g != nil {
		t.Errorf("Groups of too many = %v, want nil", g)
	}
}
