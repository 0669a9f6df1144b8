package extract

import "testing"

// TestDocTextBudget: add charges every segment against MaxText, fits
// checks what a reader holds without charging it, and past the limit the
// error is KindLimit naming "max text".
func TestDocTextBudget(t *testing.T) {
	cases := []struct {
		name  string
		adds  []string
		held  int
		fails bool // the last add, or fits(held) when held > 0
	}{
		{"within", []string{"机密", "ab"}, 0, false},
		{"exactly the limit", []string{"机密", "abcd"}, 0, false},
		{"one byte over", []string{"机密", "abcde"}, 0, true},
		{"held text fits", []string{"机密"}, 4, false},
		{"held text over", []string{"机密"}, 5, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := NewText(FormatText, Options{MaxText: 10})
			var err error
			for _, s := range c.adds {
				if err = d.Add(Segment{Part: PartBody, Text: s}); err != nil {
					break
				}
			}
			if err == nil && c.held > 0 {
				err = d.Fits(c.held)
			}
			if got := err != nil; got != c.fails {
				t.Fatalf("error = %v, want failure %v", err, c.fails)
			}
			if err != nil && (KindOf(err) != KindLimit || err.Error() != "document text exceeds the limit of 10 B (max text)") {
				t.Errorf("error = %v, want the max text limit", err)
			}
			if c.held > 0 && len(d.Segments) != len(c.adds) {
				t.Errorf("fits added text: %d segments", len(d.Segments))
			}
		})
	}
}
