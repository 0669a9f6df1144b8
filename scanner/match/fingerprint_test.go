package match

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/baomi/baomi/internal/cputime"
	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner/fingerprint"
)

// hanText returns n pseudo-random common Han characters with a full stop
// every 20 or so: text no two seeds share.
func hanText(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 2))
	var b strings.Builder
	for i := range n {
		b.WriteRune(rune(0x4e00 + rng.IntN(3000)))
		if i%20 == 19 {
			b.WriteString("。")
		}
	}
	return b.String()
}

// fpIndex writes an index of docs (label, text) and returns its path.
func fpIndex(t testing.TB, dir string, docs ...[2]string) string {
	t.Helper()
	b := fingerprint.NewBuilder()
	for _, d := range docs {
		if err := b.Add(d[0], Normalize(d[1]).Text); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(dir, "index")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.WriteTo(f); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func compileYAML(t testing.TB, y string) *Matcher {
	t.Helper()
	p, err := policies.Parse("test.yaml", []byte(y), os.ReadFile)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestFingerprintPassages(t *testing.T) {
	dir := t.TempDir()
	reg := hanText(1, 600)
	idx := fpIndex(t, dir, [2]string{"甲", reg}, [2]string{"乙", hanText(2, 600)})
	m := compileYAML(t, fmt.Sprintf("version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n    index: %s\n  - id: mark\n    severity: high\n    detector: marking\n", idx))
	r := []rune(reg)
	passage := string(r[100:300])
	text := hanText(3, 100) + "机密★5年" + strings.ReplaceAll(passage, "。", "， ") + hanText(4, 100)
	hits, err := m.Match(text)
	if err != nil {
		t.Fatal(err)
	}
	var marking bool
	var covered []bool
	hashes := map[uint64]bool{}
	for i, h := range hits {
		if i > 0 && h.Start < hits[i-1].Start {
			t.Errorf("hits out of order")
		}
		if h.Passage == nil {
			marking = marking || h.Rule.ID == "mark"
			continue
		}
		if h.Rule.ID != "fp" || h.Passage.Index.Docs()[h.Passage.Doc].Label != "甲" {
			t.Errorf("passage of %s / doc %d", h.Rule.ID, h.Passage.Doc)
		}
		if !strings.Contains(passage, strings.ReplaceAll(text[h.Start:h.End], "， ", "。")) {
			t.Errorf("passage hit %q is not registered text", text[h.Start:h.End])
		}
		for _, x := range h.Passage.Hashes {
			hashes[x] = true
		}
		covered = append(covered, true)
	}
	if !marking {
		t.Error("the marking before the passage was lost")
	}
	if len(covered) == 0 || len(hashes) < 10 {
		t.Fatalf("passage not found: %d hits, %d fingerprints", len(covered), len(hashes))
	}
	// Boilerplate-length coincidences and unrelated text find nothing.
	for _, s := range []string{hanText(5, 2000), string(r[50:60])} {
		if hits, _ := m.Match(s); len(hits) != 0 {
			t.Errorf("unrelated text: %d hits", len(hits))
		}
	}
}

// Every fingerprint of a registered text scanned whole is found, over a
// small index and over one whose filter is large enough to be tested a
// round late (see fingerprint.Find).
func TestFingerprintBatches(t *testing.T) {
	reg := hanText(9, 5000)
	want := map[uint64]bool{}
	for _, mk := range fingerprint.Marks(Normalize(reg).Text) {
		want[mk.Hash] = true
	}
	if len(want) < 3*64 {
		t.Fatalf("%d fingerprints: too few to fill batches", len(want))
	}
	for _, tt := range []struct {
		name string
		docs [][2]string
	}{
		{"small index", [][2]string{{"甲", reg}}},
		{"large index", [][2]string{{"甲", reg}, {"乙", hanText(10, 5_000_000)}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m := compileYAML(t, fmt.Sprintf("version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n    index: %s\n", fpIndex(t, t.TempDir(), tt.docs...)))
			hits, err := m.Match(reg)
			if err != nil {
				t.Fatal(err)
			}
			got := map[uint64]bool{}
			for _, h := range hits {
				if h.Passage.Index.Docs()[h.Passage.Doc].Label != "甲" {
					t.Errorf("passage of %s", h.Passage.Index.Docs()[h.Passage.Doc].Label)
				}
				for _, x := range h.Passage.Hashes {
					got[x] = true
				}
			}
			if len(got) != len(want) {
				t.Errorf("found %d of the %d fingerprints", len(got), len(want))
			}
		})
	}
}

// A long passage is cut at places that depend on its text only, so that
// windows starting anywhere before it cut it alike (check.go relies on it).
func TestFingerprintCutsStable(t *testing.T) {
	reg := hanText(7, 20000)
	m := compileYAML(t, fmt.Sprintf("version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n    index: %s\n", fpIndex(t, t.TempDir(), [2]string{"甲", reg})))
	// cuts returns the pieces of text past its first 3000 bytes, at their
	// offsets in reg (text starts at base).
	cuts := func(text string, base int) map[string]bool {
		hits, err := m.Match(text)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]bool{}
		for _, h := range hits {
			if h.Start > 3000 { // well past where the window starts
				out[fmt.Sprint(h.Start+base, h.End+base)] = true
			}
		}
		return out
	}
	whole := cuts(reg, 0)
	if len(whole) < 20 {
		t.Fatalf("%d pieces", len(whole))
	}
	for _, skip := range []int{1, 500, 1234} {
		sub := reg[skip*3:] // whole characters: 3 bytes each, no full stop before 20
		got := cuts(sub, skip*3)
		for k := range got {
			if !whole[k] {
				t.Errorf("window from %d: piece %s not in the one-pass pieces", skip, k)
			}
		}
	}
}

// BenchmarkMatchFingerprint is the matcher's cost with a fingerprint rule
// over an index of 100 and of 10,000 registered documents of 3,000
// characters, against the marking detector alone, on text that shares
// nothing and on text made of registered documents.
func BenchmarkMatchFingerprint(b *testing.B) {
	text := matchText(b, 4<<20)
	marking := "version: 1\nrules:\n  - id: mark\n    severity: high\n    detector: marking\n"
	b.Run("marking-only", func(b *testing.B) { benchMatch(b, compileYAML(b, marking), text) })
	b.Run("marking-only-4KiB", func(b *testing.B) { benchMatch(b, compileYAML(b, marking), text, 4<<10) })
	// Fingerprinting alone, what a rule adds before its lookups, and the
	// automaton of 10,000 rare terms (BenchmarkAutomatonRare's) on the same
	// normalized text: the cost a fingerprint rule is held to.
	nt := Normalize(text).Text
	b.Run("marks-only", func(b *testing.B) {
		cputime.PerByte(b, len(text), func() { fingerprint.Each(nt, func([]fingerprint.Mark) {}) })
	})
	rng := rand.New(rand.NewPCG(3, 4))
	terms := randomTerms(rng, func() rune { return rune(0x4e00 + rng.IntN(0x9fa5-0x4e00)) }, 10000)
	b.Run("automaton-10000terms", func(b *testing.B) {
		a := NewAutomaton(terms)
		cputime.PerByte(b, len(text), func() { a.Find(nt, func(int, int, int) {}) })
	})
	// A term rule of the same 10,000 terms, what it adds to Match as a
	// fingerprint rule does.
	b.Run("terms-10000", func(b *testing.B) {
		benchMatch(b, compileYAML(b, fmt.Sprintf("%s  - id: terms\n    severity: low\n    terms: [%s]\n", marking, strings.Join(terms, ", "))), text)
	})
	for _, n := range []int{100, 10000} {
		bl := fingerprint.NewBuilder()
		var some []string
		for i := range n {
			d := hanText(uint64(i)+100, 3000)
			if i%(n/10) == 0 {
				some = append(some, d)
			}
			if err := bl.Add(fmt.Sprintf("文件%d", i), Normalize(d).Text); err != nil {
				b.Fatal(err)
			}
		}
		path := filepath.Join(b.TempDir(), "index")
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := bl.WriteTo(f); err != nil {
			b.Fatal(err)
		}
		f.Close()
		m := compileYAML(b, fmt.Sprintf("%s  - id: fp\n    severity: high\n    detector: fingerprint\n    index: %s\n", marking, path))
		copied := strings.Repeat(strings.Join(some, ""), (4<<20)/len(strings.Join(some, ""))+1)[:4<<20]
		// The rule's own work, on the same text as the automaton above.
		for _, size := range []int{len(nt), 4 << 10} {
			name := fmt.Sprintf("%ddocs-rule-alone", n)
			if size < len(nt) {
				name += "-4KiB"
			}
			b.Run(name, func(b *testing.B) {
				docs := split(nt, size)
				cputime.PerByte(b, len(text), func() {
					for _, d := range docs {
						m.passages(d)
					}
				})
			})
		}
		b.Run(fmt.Sprintf("%ddocs-unrelated", n), func(b *testing.B) { benchMatch(b, m, text) })
		b.Run(fmt.Sprintf("%ddocs-unrelated-4KiB", n), func(b *testing.B) { benchMatch(b, m, text, 4<<10) })
		b.Run(fmt.Sprintf("%ddocs-copied", n), func(b *testing.B) { benchMatch(b, m, copied) })
	}
}

// benchMatch measures m matching text, whole or as documents of the
// sizes given.
func benchMatch(b *testing.B, m *Matcher, text string, size ...int) {
	docs := []string{text}
	if len(size) > 0 {
		docs = split(text, size[0])
	}
	cputime.PerByte(b, len(text), func() {
		for _, d := range docs {
			if _, err := m.Match(d); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// split cuts text into documents of size bytes, give or take a character.
func split(text string, size int) []string {
	var docs []string
	for len(text) > 0 {
		n := min(size, len(text))
		for n < len(text) && !utf8.RuneStart(text[n]) {
			n++
		}
		docs, text = append(docs, text[:n]), text[n:]
	}
	return docs
}

// Rebuilding an index under the same name changes the policy's hash, so
// that results cached under the old one are not served.
func TestFingerprintIndexInPolicyHash(t *testing.T) {
	dir := t.TempDir()
	y := fmt.Sprintf("version: 1\nrules:\n  - id: fp\n    severity: high\n    detector: fingerprint\n    index: %s\n", filepath.Join(dir, "index"))
	fpIndex(t, dir, [2]string{"甲", hanText(1, 300)})
	a := compileYAML(t, y)
	fpIndex(t, dir, [2]string{"甲", hanText(1, 300)}, [2]string{"乙", hanText(2, 300)})
	b := compileYAML(t, y)
	if a.Policy().Hash == b.Policy().Hash {
		t.Error("the policy hash does not change with the index")
	}
	if c := compileYAML(t, y); c.Policy().Hash != b.Policy().Hash {
		t.Error("the policy hash changes without a change")
	}
}
