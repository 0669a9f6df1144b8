package scanner_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rs/zerolog"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/fingerprint"
	"github.com/baomi/baomi/scanner/match"
)

// paragraphs returns n paragraphs of about size pseudo-random common Han
// characters with Chinese punctuation: text no two seeds share.
func paragraphs(seed uint64, n, size int) []string {
	rng := rand.New(rand.NewPCG(seed, 5))
	out := make([]string, n)
	for i := range out {
		var b strings.Builder
		for j := range size {
			b.WriteRune(rune(0x4e00 + rng.IntN(3000)))
			if j%17 == 16 {
				b.WriteString("，")
			}
		}
		b.WriteString("。")
		out[i] = b.String()
	}
	return out
}

// boilerplate is a 公文 formula longer than min_chars: only the reference
// set keeps it from matching.
const boilerplate = "各有关单位：现将《关于进一步加强保密管理工作的若干规定》印发给你们，请结合本地区本部门实际认真贯彻执行。执行中遇到的问题，请及时报告。特此通知。"

// fingerprintMatcher registers docs (label → paragraphs), each with the
// boilerplate, and, if reference, the boilerplate as reference text; it
// returns a matcher with a fingerprint rule of minChars over them, plus the
// marking detector.
func fingerprintMatcher(t *testing.T, minChars int, reference bool, docs map[string][]string) *match.Matcher {
	t.Helper()
	b := fingerprint.NewBuilder()
	for label, paras := range docs {
		texts := []string{match.Normalize(boilerplate).Text}
		for _, p := range paras {
			texts = append(texts, match.Normalize(p).Text)
		}
		if err := b.Add(label, texts...); err != nil {
			t.Fatal(err)
		}
	}
	if reference {
		b.AddCommon(match.Normalize("关于开展检查的通知 " + boilerplate).Text)
	}
	return compileIndex(t, b, minChars)
}

// compilePolicy compiles a fingerprint rule of minChars over the index
// dir/registered.index, plus the marking detector.
func compilePolicy(t *testing.T, dir string, minChars int) *match.Matcher {
	t.Helper()
	y := fmt.Sprintf("version: 1\nrules:\n  - id: fp.secret\n    title: registered secret document\n    severity: high\n    detector: fingerprint\n    index: registered.index\n    min_chars: %d\n  - id: marking\n    severity: high\n    detector: marking\n", minChars)
	if err := os.WriteFile(filepath.Join(dir, "p.yaml"), []byte(y), 0o600); err != nil {
		t.Fatal(err)
	}
	p, err := policies.LoadFile(filepath.Join(dir, "p.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// repeated returns n lines, each phrase followed by other text: a field
// of HYPERLINK "http://… lines, say.
func repeated(phrase string, n int) string {
	var b strings.Builder
	for i, p := range paragraphs(99, n, 16) {
		fmt.Fprintf(&b, "%s %d %s\n", phrase, i, p)
	}
	return b.String()
}

// respace changes what a copyist changes: spaces added, punctuation swapped.
var respace = strings.NewReplacer("，", ", ", "。", ". ")

func TestFingerprintFindings(t *testing.T) {
	secret := paragraphs(1, 10, 100) // 10 paragraphs of ~106 characters
	docs := map[string][]string{"绝密项目甲": secret, "乙": paragraphs(2, 10, 100)}
	m := fingerprintMatcher(t, 50, true, docs)
	other := paragraphs(3, 6, 80)
	cases := []struct {
		name     string
		segs     []string
		want     string // text of the one finding, "" for clean
		passages int
	}{
		{"two paragraphs pasted, reordered, respaced", []string{other[0], other[1] + respace.Replace(secret[7]), other[2], secret[2] + other[3]}, "与《绝密项目甲》重合 23%", 2},
		{"the whole document", []string{boilerplate + strings.Join(secret, "\n")}, "与《绝密项目甲》重合 100%", 1},
		{"boilerplate only", []string{other[0], boilerplate, other[1]}, "", 0},
		{"shared passage under min_chars", []string{other[0] + string([]rune(secret[4])[10:50]) + other[1]}, "", 0},
		{"unrelated", other, "", 0},
		{"a short phrase repeated on every line", []string{repeated(string([]rune(secret[6])[:24]), 10)}, "", 0},
	}
	for _, c := range cases {
		doc := &extract.Document{Format: extract.FormatText}
		for _, s := range c.segs {
			doc.Segments = append(doc.Segments, extract.Segment{Part: extract.PartBody, Text: s})
		}
		r := scanner.New(m, scanner.Options{}).Check("x.txt", doc, nil)
		if c.want == "" {
			if r.Verdict != scanner.Clean {
				t.Errorf("%s: %s %+v", c.name, r.Verdict, r.Findings)
			}
			continue
		}
		if r.Verdict != scanner.Flagged || len(r.Findings) != 1 {
			t.Errorf("%s: %s %+v", c.name, r.Verdict, r.Findings)
			continue
		}
		f := r.Findings[0]
		if f.Rule != "fp.secret" || f.Text != c.want || len(f.Passages) != c.passages || f.Location != f.Passages[0] {
			t.Errorf("%s: %q %d passages %+v", c.name, f.Text, len(f.Passages), f)
		}
		// The label is in the report's text only: the rule, title,
		// location and fingerprint that logs and the cache keep do not
		// carry it.
		var log bytes.Buffer
		logger := zerolog.New(&log)
		logger.Info().Object("finding", f).Msg("")
		if strings.Contains(log.String(), "绝密项目甲") || strings.Contains(f.Title+f.Fingerprint+fmt.Sprint(f.Location, f.Passages), "绝密项目甲") {
			t.Errorf("%s: label outside the finding's text: %s", c.name, log.String())
		}
	}
	// Without the reference set, the formula every registered document
	// holds would match both.
	bare := fingerprintMatcher(t, 50, false, docs)
	doc := &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: other[0] + boilerplate}}}
	if r := scanner.New(bare, scanner.Options{}).Check("x.txt", doc, nil); len(r.Findings) != 2 {
		t.Errorf("boilerplate without reference: %+v", r.Findings)
	}
	// The passages' locations point at the pasted paragraphs.
	doc = &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: other[0] + "\n" + secret[5] + "\n" + other[1]}}}
	r := scanner.New(m, scanner.Options{}).Check("x.txt", doc, nil)
	if len(r.Findings) != 1 || r.Findings[0].Location.Line != 2 || r.Findings[0].Location.Offset > 20 {
		t.Errorf("location: %+v", r.Findings)
	}
}

// Only a document's own text is fingerprinted: a registered document's
// passages in a file's properties, a picture's metadata, its other XML
// parts or its field codes (what documents of one template or one program
// share) are no finding; the same text in the body is.
func TestFingerprintedParts(t *testing.T) {
	secret := paragraphs(1, 10, 100)
	m := fingerprintMatcher(t, 50, true, map[string][]string{"绝密项目甲": secret})
	text := strings.Join(secret[:3], "\n")
	for _, c := range []struct {
		part extract.Part
		want scanner.Verdict
	}{{extract.PartMetadata, scanner.Clean}, {extract.PartField, scanner.Clean}, {extract.PartBody, scanner.Flagged}, {extract.PartPicture, scanner.Flagged}} {
		doc := &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: c.part, Text: text}}}
		if r := scanner.New(m, scanner.Options{}).Check("x.txt", doc, nil); r.Verdict != c.want {
			t.Errorf("%s: %s %+v, want %s", c.part, r.Verdict, r.Findings, c.want)
		}
	}
}

// A segment longer than a window, handed over in pieces, gives the same
// share as the passage in a short segment: passages that straddle the
// windows' cuts are neither lost nor counted twice.
func TestFingerprintAcrossWindows(t *testing.T) {
	secret := paragraphs(11, 40, 100)
	m := fingerprintMatcher(t, 50, true, map[string][]string{"甲": secret})
	whole := strings.Join(secret, "")
	// Text on either side, as in the long segment: a passage is taken to
	// extend a little beyond its first and last fingerprints where the
	// segment allows.
	around := paragraphs(13, 2, 20)
	small := scanner.New(m, scanner.Options{}).Check("x", &extract.Document{Format: extract.FormatText,
		Segments: []extract.Segment{{Part: extract.PartBody, Text: around[0] + whole + around[1]}}}, nil)
	if len(small.Findings) != 1 {
		t.Fatalf("alone: %+v", small.Findings)
	}
	filler := strings.Join(paragraphs(12, 12000, 100), "\n")
	for _, at := range []int{1<<20 - 64<<10 - 5000, 1<<20 - 2000, 2<<20 - 128<<10 - 100} {
		at -= at % 3
		at = min(at, len(filler))
		text := filler[:at] + whole + filler[at:]
		doc := &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: text}}}
		p := &pieces{doc: doc, rnd: rand.New(rand.NewPCG(uint64(at), 1)), max: 300 << 10}
		r := scanner.New(m, scanner.Options{Extractor: p}).ScanFile(context.Background(), "x")
		if len(r.Findings) != 1 || r.Findings[0].Text != small.Findings[0].Text || r.Findings[0].Context != small.Findings[0].Context {
			t.Errorf("passage at %d: %+v, want %q", at, r.Findings, small.Findings[0].Context)
		}
	}
}

// A passage's length is measured fairly: its first and last fingerprints
// lie a few characters inside it, so it is taken to extend a little beyond
// them. A passage well over min_chars is always found, one just over it
// mostly, and one well under it never, wherever it is cut from.
func TestFingerprintPassageLength(t *testing.T) {
	secret := paragraphs(21, 1, 3000)[0]
	m := fingerprintMatcher(t, 50, true, map[string][]string{"甲": {secret}})
	s := scanner.New(m, scanner.Options{})
	other := paragraphs(22, 200, 60)
	runes := []rune(secret)
	for _, c := range []struct{ chars, least, most int }{
		{40, 0, 0},      // under min_chars - 2*reach: never counted
		{70, 90, 100},   // just over: mostly (97; winnowing's measure found 81)
		{100, 100, 100}, // well over: always
	} {
		found := 0
		for k := range 100 {
			at := k * 29 % (len(runes) - c.chars)
			text := other[k] + string(runes[at:at+c.chars]) + other[k+100]
			r := s.Check("x.txt", &extract.Document{Format: extract.FormatText, Segments: []extract.Segment{{Part: extract.PartBody, Text: text}}}, nil)
			if len(r.Findings) > 0 {
				found++
			}
		}
		if found < c.least || found > c.most {
			t.Errorf("passages of %d characters: %d of 100 found, want %d to %d", c.chars, found, c.least, c.most)
		}
	}
}
