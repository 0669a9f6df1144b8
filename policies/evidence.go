package policies

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxWithin bounds Near.Within, in characters: the matcher decides a hit
// from a bounded stretch of text around it (match.Reach, 64 KiB), and a
// thousand characters of at most four bytes stay well inside it.
const MaxWithin = 1000

// maxHashes bounds the entries of one hashes file.
const maxHashes = 1_000_000

// Near asks for supporting evidence: a hit of the rule counts only when
// one of Terms (matched after normalization, like terms) is found within
// Within characters of normalized text before or after it.
type Near struct {
	Terms  []string
	Within int
}

// KnownFile is one entry of a hashes file: the digest of a file known to be
// classified, and the label a finding names it by.
type KnownFile struct {
	Algo  string // "sha256" or "sm3"
	Sum   string // lower-case hex, 64 digits
	Label string
}

// near reads a rule's near: {terms: [...], within: N}.
func (ps *parser) near(v *yaml.Node) *Near {
	if v.Kind != yaml.MappingNode {
		ps.errf(v.Line, "near must be a mapping: {terms: [...], within: N}")
		return nil
	}
	n := &Near{}
	for i := 0; i+1 < len(v.Content); i += 2 {
		k, x := v.Content[i], v.Content[i+1]
		switch k.Value {
		case "terms":
			for _, t := range ps.strs(x, "near terms") {
				n.Terms = append(n.Terms, ps.term(x.Line, t))
			}
		case "within":
			w, err := strconv.Atoi(ps.str(x, "within"))
			if err != nil || w < 1 || w > MaxWithin {
				ps.errf(x.Line, "within must be a whole number of characters from 1 to %d", MaxWithin)
			}
			n.Within = w
		default:
			ps.errf(k.Line, "unknown key %q in near (expected terms, within)", k.Value)
		}
	}
	if len(n.Terms) == 0 {
		ps.errf(v.Line, "near has no terms")
	}
	if n.Within == 0 {
		ps.errf(v.Line, "near has no within (a number of characters)")
	}
	return n
}

// hashesFile reads a file-hash rule's list: one digest a line, as
// sha256:HEX or sm3:HEX, then optionally whitespace and a label; blank
// lines and lines starting with '#' are skipped. A bad line is a problem
// at that line of the list.
func (ps *parser) hashesFile(v *yaml.Node) []KnownFile {
	name := ps.str(v, "hashes")
	if name == "" {
		return nil
	}
	data, err := ps.readFile(name)
	if err != nil {
		ps.errf(v.Line, "hashes %q: %s", name, unwrap(err))
		return nil
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var out []KnownFile
	bad := func(ln int, format string, args ...any) {
		ps.problems = append(ps.problems, Problem{File: name, Line: ln, Msg: fmt.Sprintf(format, args...)})
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		digest := strings.Fields(line)[0]
		label := strings.TrimSpace(line[len(digest):])
		algo, sum, ok := strings.Cut(digest, ":")
		algo, sum = strings.ToLower(algo), strings.ToLower(sum)
		switch {
		case !ok || (algo != "sha256" && algo != "sm3"):
			bad(ln, "expected sha256:HEX or sm3:HEX, then an optional label")
			continue
		case len(sum) != 64 || !isHex(sum):
			bad(ln, "the %s digest must be 64 hexadecimal digits", algo)
			continue
		}
		if len(out) == maxHashes {
			bad(ln, "more than %d digests", maxHashes)
			break
		}
		out = append(out, KnownFile{Algo: algo, Sum: sum, Label: label})
	}
	if err := sc.Err(); err != nil {
		ps.errf(v.Line, "hashes %q: %v", name, err)
	}
	if len(out) == 0 && err == nil {
		ps.errf(v.Line, "hashes %q has no digests", name)
	}
	return out
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// checkEvidence checks what only some rules may carry: a file-hash rule
// needs hashes and finds nothing in text (so no terms, regexes or near);
// hashes and near belong to the rules that use them.
func (ps *parser) checkEvidence(r *Rule, line int) {
	fileHash := r.Detector == "file-hash"
	switch {
	case fileHash && len(r.Hashes) == 0:
		ps.errf(line, "rule %q: detector file-hash needs hashes: FILE", r.ID)
	case !fileHash && r.Hashes != nil:
		ps.errf(line, "rule %q: hashes is only for detector file-hash", r.ID)
	case fileHash && (len(r.Terms) > 0 || len(r.Regexes) > 0 || r.Near != nil || len(r.Exclude) > 0):
		ps.errf(line, "rule %q: detector file-hash matches whole files: it takes no terms, regexes, exclude or near", r.ID)
	}
}
