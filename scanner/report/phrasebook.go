package report

import (
	"maps"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Phrasebook translates English sentences made from patterns, each a
// format with %d and %s slots ("page %d: %s"): the text in a %s slot is
// translated in turn, so sentences nest ("entry 3: page 2: ..."); a slot
// no pattern knows stays as it is. A translation takes the slots in order,
// or by index (%[2]d) where the other language orders words differently.
type Phrasebook struct {
	phrases []phrase
}

type phrase struct {
	prefix, suffix string // literal text before the first slot, after the last
	re             *regexp.Regexp
	slots          string // 'd' or 's' per slot
	joined         bool   // the pattern holds "; ", as Translate joins sentences
	to             string
}

// slot matches a slot or an escaped % in a pattern.
var slot = regexp.MustCompile(`%%|%d|%s`)

// NewPhrasebook compiles tables: English pattern → translation.
func NewPhrasebook(tables ...map[string]string) *Phrasebook {
	b := &Phrasebook{}
	table := map[string]string{}
	for _, t := range tables {
		maps.Copy(table, t)
	}
	for from, to := range table {
		var re, slots strings.Builder
		re.WriteString("(?s)^") // a slot may span lines
		lits := slot.Split(from, -1)
		marks := slot.FindAllString(from, -1)
		for i, lit := range lits {
			re.WriteString(regexp.QuoteMeta(lit))
			if i == len(marks) {
				break
			}
			switch marks[i] {
			case "%%":
				re.WriteString("%")
			case "%d":
				re.WriteString(`(\d+)`)
				slots.WriteByte('d')
			case "%s":
				re.WriteString(`(.+?)`)
				slots.WriteByte('s')
			}
		}
		re.WriteString("$")
		p := phrase{re: regexp.MustCompile(re.String()), slots: slots.String(), to: to, joined: strings.Contains(from, "; ")}
		if slots.Len() == 0 {
			p.prefix = strings.ReplaceAll(from, "%%", "%")
		} else {
			p.prefix = strings.ReplaceAll(from[:strings.IndexAny(from, "%")], "%%", "%")
			p.suffix = strings.ReplaceAll(lits[len(lits)-1], "%%", "%")
		}
		b.phrases = append(b.phrases, p)
	}
	// The most specific pattern first: "damaged zip %s: checksum mismatch"
	// before "damaged zip %s: %s".
	weight := func(p phrase) int { return len(p.re.String()) - 8*len(p.slots) }
	sort.Slice(b.phrases, func(i, j int) bool {
		a, c := b.phrases[i], b.phrases[j]
		if weight(a) != weight(c) {
			return weight(a) > weight(c)
		}
		return a.re.String() < c.re.String()
	})
	return b
}

// Translate translates s, sentences joined by "; " each on their own, and
// reports whether every sentence was translated whole; what no pattern
// matches stays as it is.
func (b *Phrasebook) Translate(s string) (string, bool) {
	parts := strings.Split(s, "; ")
	out := make([]string, 0, len(parts))
	all := true
	for i := 0; i < len(parts); i++ {
		// A pattern holding "; " may take several sentences.
		j := len(parts)
		for ; j > i+1; j-- {
			if t, q := b.sentence(strings.Join(parts[i:j], "; "), true); q == whole {
				out = append(out, t)
				break
			}
		}
		if j > i+1 {
			i = j - 1
			continue
		}
		t, q := b.sentence(parts[i], false)
		if q == none {
			t = parts[i]
		}
		out = append(out, t)
		all = all && q == whole
	}
	return strings.Join(out, "；"), all
}

// How well a sentence was translated.
const (
	none   = iota // no pattern matched
	partly        // a slot that reads as English stayed English
	whole
)

// english tells a slot that stayed English because no pattern knows it
// ("not a directory") from one that needs none ("512 MiB", "1-3").
var english = regexp.MustCompile(`[a-z]{2,} [a-z]`)

// sentence translates s when a pattern matches it whole: the first pattern
// whose slots translate too, else the first that matches. joined says to
// try only the patterns that hold "; ".
func (b *Phrasebook) sentence(s string, joined bool) (string, int) {
	best, q := "", none
	for _, p := range b.phrases {
		if joined != p.joined || len(s) < len(p.prefix)+len(p.suffix) || !strings.HasPrefix(s, p.prefix) || !strings.HasSuffix(s, p.suffix) {
			continue
		}
		m := p.re.FindStringSubmatch(s)
		if m == nil {
			continue
		}
		args, pq := m[1:], whole
		for i, k := range p.slots {
			if k != 's' {
				continue
			}
			t, ok := b.Translate(args[i])
			if !ok && english.MatchString(args[i]) {
				pq = partly
			}
			args[i] = t
		}
		if pq == whole {
			return fill(p.to, args), whole
		}
		if q == none {
			best, q = fill(p.to, args), partly
		}
	}
	return best, q
}

// index matches a slot of a translation: %d, %s, %[n]d, %[n]s, or %%.
var index = regexp.MustCompile(`%%|%(?:\[(\d+)\])?[ds]`)

// fill puts args into the slots of a translation.
func fill(to string, args []string) string {
	next := 0
	return index.ReplaceAllStringFunc(to, func(m string) string {
		if m == "%%" {
			return "%"
		}
		i := next
		if sub := index.FindStringSubmatch(m); sub[1] != "" {
			i, _ = strconv.Atoi(sub[1])
			i--
		}
		next = i + 1
		if i < 0 || i >= len(args) {
			return m
		}
		return args[i]
	})
}
