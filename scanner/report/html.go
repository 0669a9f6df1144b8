package report

import (
	"crypto/sha256"
	_ "embed" // the page template
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
)

// htmlWords are the HTML report's texts in one language (lang.go holds
// them). Fields are exported for the template.
type htmlWords struct {
	Title, Generated, Policy, Masked                       string
	Audited, Host, User, Took, Contents                    string
	Summary, ByVerdict, BySeverity, ByRule, ByFolder       string
	Flagged, Unread, Problems, Others                      string
	Verdict, Severity, Findings, FilesTop, Files, Total    string
	Path, Reason, Rule, Where, Context, Filter, Show, None string
	MoreFiles, MoreFindings, MoreFolders                   string // take one %d
}

// Caps on what the page lists: an audit may flag tens of thousands of
// files, and a browser chokes on a page that big. The CSV and JSON reports
// list everything.
const (
	htmlMaxFiles    = 5000 // per list
	htmlMaxFindings = 200  // per file
	htmlMaxFolders  = 15   // bars in the folder chart
	htmlMaxContents = 100  // flagged files named in the table of contents
)

//go:embed html_template.html
var htmlSource string

var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// htmlCSP forbids the page to load anything and to run any script but its
// own filter box (named by hash), so that even text that escaped escaping
// could neither run nor reach the network.
var htmlCSP = func() template.HTML {
	script := htmlSource[strings.Index(htmlSource, "<script>")+len("<script>") : strings.Index(htmlSource, "</script>")]
	sum := sha256.Sum256([]byte(script))
	return template.HTML(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-` +
		base64.StdEncoding.EncodeToString(sum[:]) + `'">`)
}()

// htmlReport writes one self-contained page at Close for a security
// officer: summary, charts, each flagged file with its findings, the files
// that could not be read, problems, and a collapsed list of the rest.
type htmlReport struct {
	w        io.Writer
	opt      Options
	t        *words
	flagged  []scanner.Result
	unread   []scanner.Result // review and error
	others   []scanner.Result // clean and skipped, without findings
	problems []scanner.Problem
}

func newHTML(w io.Writer, opt Options) *htmlReport {
	t := wordsFor(opt.Lang)
	return &htmlReport{w: w, opt: opt, t: t}
}

func (h *htmlReport) File(r scanner.Result) error {
	switch {
	case len(r.Findings) > 0 || r.Verdict == scanner.Flagged:
		h.flagged = append(h.flagged, h.opt.maskedResult(r))
	case r.Verdict == scanner.Review || r.Verdict == scanner.Error:
		h.unread = append(h.unread, r)
	default:
		r.Findings = nil
		h.others = append(h.others, r)
	}
	return nil
}

func (h *htmlReport) Problem(p scanner.Problem) error {
	h.problems = append(h.problems, p)
	return nil
}

// The page's data. Every string is shown through html/template, which
// escapes it: paths and document text are untrusted.
type (
	htmlPage struct {
		Lang, Title, Generated, PolicyHash string
		Took, Host, User                   string
		Paths                              []string
		CSP                                template.HTML
		W                                  *htmlWords
		PolicySources                      []string
		Masked                             bool
		Files, Clean, Skipped              int
		NFlagged, NUnread, NProblems       int // before the lists' caps
		Verdicts                           []htmlCount
		Severities                         []htmlCount
		ByRule, ByFolder                   []htmlBar
		Flagged                            []htmlFile
		Contents                           []htmlFile // the first flagged files
		Unread                             []htmlGroup
		Others                             []htmlFile
		Problems                           []htmlGroup
		MoreFolders, MoreFlagged           string
		MoreUnread, MoreProblems           string
		MoreOthers, MoreContents           string
	}
	htmlCount struct {
		Label, Class string
		N, Files     int
	}
	htmlBar struct {
		Label, Class string
		N, Pct       int
	}
	htmlFile struct {
		ID, Path, Format, Verdict, Class, Reason, Count, More string
		Severity, SeverityClass                               string // highest
		Findings                                              []htmlFinding
	}
	htmlFinding struct {
		Severity, Class, Title, Rule, Where, Before, Text, After string
	}
	// htmlGroup is the files (or paths) not read for one reason; Head
	// says the reason and how many.
	htmlGroup struct {
		Head  string
		Files []htmlFile
	}
)

func (h *htmlReport) Close(s scanner.Summary) error {
	sortFlagged(h.flagged)
	for _, l := range [][]scanner.Result{h.unread, h.others} {
		sortFiles(l)
	}
	sort.Slice(h.problems, func(i, j int) bool { return h.problems[i].Path < h.problems[j].Path })
	w := &h.t.html
	p := htmlPage{
		Lang: "en", Title: w.Title, CSP: htmlCSP, W: w, Masked: h.opt.Mask,
		Files: s.Files, Clean: s.Clean, Skipped: s.Skipped,
		NFlagged: len(h.flagged), NUnread: len(h.unread), NProblems: len(h.problems),
		Host: Safe(h.opt.Host), User: Safe(h.opt.User),
	}
	if h.opt.Lang == Chinese {
		p.Lang = "zh-CN"
	}
	if h.opt.Title != "" {
		p.Title = h.opt.Title
	}
	for _, path := range h.opt.Paths {
		p.Paths = append(p.Paths, Safe(path))
	}
	gen := h.opt.Generated
	if gen.IsZero() {
		gen = time.Now()
	}
	p.Generated = gen.Format("2006-01-02 15:04:05 -0700")
	if !h.opt.Generated.IsZero() {
		end := h.opt.Finished
		if end.IsZero() {
			end = time.Now()
		}
		p.Took = h.opt.Lang.Duration(end.Sub(gen))
	}
	if pol := h.opt.Policy; pol != nil {
		p.PolicyHash, p.PolicySources = pol.Hash, pol.Sources
	}
	for _, c := range []struct {
		v scanner.Verdict
		n int
	}{{scanner.Flagged, s.Flagged}, {scanner.Review, s.Review}, {scanner.Error, s.Error}, {scanner.Clean, s.Clean}, {scanner.Skipped, s.Skipped}} {
		p.Verdicts = append(p.Verdicts, htmlCount{Label: h.t.verdict[c.v], Class: "v-" + string(c.v), N: c.n})
	}
	p.Severities, p.ByRule, p.ByFolder, p.MoreFolders = h.charts()

	p.Flagged, p.MoreFlagged = h.files(h.flagged)
	p.Contents = p.Flagged[:min(len(p.Flagged), htmlMaxContents)]
	p.MoreContents = h.more(len(h.flagged) - len(p.Contents))
	unread, more := h.files(h.unread)
	p.Unread, p.MoreUnread = h.groupByReason(unread), more
	p.Others, p.MoreOthers = h.files(h.others)
	var probs []htmlFile
	for _, pr := range h.problems[:min(len(h.problems), htmlMaxFiles)] {
		probs = append(probs, htmlFile{Path: Safe(pr.Path), Reason: Safe(h.opt.Lang.Reason(pr.Reason))})
	}
	p.Problems = h.groupByReason(probs)
	p.MoreProblems = h.more(len(h.problems) - len(probs))
	return htmlTemplate.Execute(h.w, p)
}

// sortFlagged puts the files an officer must act on first: by highest
// severity, then by number of findings, then by path.
func sortFlagged(files []scanner.Result) {
	sort.SliceStable(files, func(i, j int) bool {
		a, b := &files[i], &files[j]
		if sa, sb := a.MaxSeverity(), b.MaxSeverity(); sa != sb {
			return sa > sb
		}
		if len(a.Findings) != len(b.Findings) {
			return len(a.Findings) > len(b.Findings)
		}
		return a.Path < b.Path
	})
}

// groupByReason groups files by their reason, the largest group first
// (99 encrypted PDFs are one group), paths in order within a group.
func (h *htmlReport) groupByReason(files []htmlFile) []htmlGroup {
	var groups []htmlGroup
	var reasons []string
	at := map[string]int{}
	for _, f := range files {
		i, ok := at[f.Reason]
		if !ok {
			i = len(groups)
			at[f.Reason] = i
			groups = append(groups, htmlGroup{})
			reasons = append(reasons, f.Reason)
		}
		groups[i].Files = append(groups[i].Files, f)
	}
	for i := range groups {
		groups[i].Head = h.t.titled(reasons[i], h.t.files(len(groups[i].Files)))
	}
	sort.SliceStable(groups, func(i, j int) bool {
		if len(groups[i].Files) != len(groups[j].Files) {
			return len(groups[i].Files) > len(groups[j].Files)
		}
		return groups[i].Head < groups[j].Head
	})
	return groups
}

// more is the note for n files left off a list, or "".
func (h *htmlReport) more(n int) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(h.t.html.MoreFiles, n)
}

// files prepares up to htmlMaxFiles results for the page. Text is made
// safe for display: control and bidirectional characters could otherwise
// make a path or a context read differently from what it is.
func (h *htmlReport) files(rs []scanner.Result) ([]htmlFile, string) {
	shown := rs[:min(len(rs), htmlMaxFiles)]
	out := make([]htmlFile, 0, len(shown))
	for i, r := range shown {
		f := htmlFile{
			ID:   "f" + strconv.Itoa(i+1),
			Path: Safe(r.Path), Format: Safe(r.Format), Verdict: h.t.verdict[r.Verdict], Class: "v-" + string(r.Verdict),
			Reason: Safe(h.opt.Lang.Reason(r.Reason)),
		}
		if len(r.Findings) > 0 {
			f.Count = h.t.findings(len(r.Findings))
			f.Severity, f.SeverityClass = h.t.severity[r.MaxSeverity()], r.MaxSeverity().String()
		}
		for i, fd := range r.Findings {
			if i == htmlMaxFindings {
				f.More = fmt.Sprintf(h.t.html.MoreFindings, len(r.Findings)-i)
				break
			}
			f.Findings = append(f.Findings, htmlFinding{
				Severity: h.t.severity[fd.Severity], Class: fd.Severity.String(),
				Title: Safe(h.title(fd)), Rule: Safe(fd.Rule), Where: where(h.t, r.Format, fd.Location),
				Before: Safe(oneLine(fd.Before)), Text: Safe(oneLine(fd.Text)), After: Safe(oneLine(fd.After)),
			})
		}
		out = append(out, f)
	}
	return out, h.more(len(rs) - len(shown))
}

// title is the finding's rule title, from the policy when the finding
// has none.
func (h *htmlReport) title(f scanner.Finding) string {
	if f.Title == "" && h.opt.Policy != nil {
		if r := h.opt.Policy.Rule(f.Rule); r != nil {
			return r.Title
		}
	}
	return f.Title
}

// charts counts findings by severity (and flagged files by their highest
// severity), by rule and by top-level folder, over all flagged files,
// listed or not.
func (h *htmlReport) charts() (sev []htmlCount, byRule, byFolder []htmlBar, moreFolders string) {
	levels := []policies.Severity{policies.High, policies.Medium, policies.Low}
	sev = make([]htmlCount, len(levels))
	bySev := map[policies.Severity]*htmlCount{}
	for i, s := range levels {
		sev[i] = htmlCount{Label: h.t.severity[s], Class: s.String()}
		bySev[s] = &sev[i]
	}
	type ruleCount struct {
		label string
		sev   policies.Severity
		n     int
	}
	rules := map[string]*ruleCount{}
	folders := map[string]int{}
	roots := h.opt.Paths
	if len(roots) == 0 {
		roots = []string{commonDir(h.flagged)}
	}
	for i := range h.flagged {
		r := &h.flagged[i]
		if c := bySev[r.MaxSeverity()]; c != nil {
			c.Files++
		}
		folders[topFolder(r.Path, roots)] += len(r.Findings)
		for _, f := range r.Findings {
			if c := bySev[f.Severity]; c != nil {
				c.N++
			}
			rc := rules[f.Rule]
			if rc == nil {
				label := f.Rule
				if t := h.title(f); t != "" {
					label = h.t.titled(t, f.Rule)
				}
				rc = &ruleCount{label: Safe(label), sev: f.Severity}
				rules[f.Rule] = rc
			}
			rc.n++
		}
	}
	for _, rc := range rules {
		byRule = append(byRule, htmlBar{Label: rc.label, Class: rc.sev.String(), N: rc.n})
	}
	for dir, n := range folders {
		byFolder = append(byFolder, htmlBar{Label: Safe(dir), N: n})
	}
	byRule = bars(byRule)
	byFolder = bars(byFolder)
	if len(byFolder) > htmlMaxFolders {
		moreFolders = fmt.Sprintf(h.t.html.MoreFolders, len(byFolder)-htmlMaxFolders)
		byFolder = byFolder[:htmlMaxFolders]
	}
	return sev, byRule, byFolder, moreFolders
}

// slashed is p with Windows separators as '/', without a trailing one.
func slashed(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	if len(p) > 1 {
		p = strings.TrimSuffix(p, "/")
	}
	return p
}

// topFolder is the folder directly below the audited root that holds
// file (a department's folder), or the root itself for a file directly in
// it; roots are the audited paths, the longest that holds file counts.
func topFolder(file string, roots []string) string {
	file = slashed(file)
	best := ""
	for _, root := range roots {
		root = slashed(root)
		if file == root {
			return root // a file named on the command line
		}
		if (root == "." || root == "") && !strings.HasPrefix(file, "/") || strings.HasPrefix(file, root+"/") || root == "/" && strings.HasPrefix(file, "/") {
			if len(root) >= len(best) {
				best = root
			}
		}
	}
	rest := file
	switch best {
	case "", ".":
		best, rest = ".", strings.TrimPrefix(file, "./")
	case "/":
		rest = file[1:]
	default:
		rest = file[len(best)+1:]
	}
	dir, _, ok := strings.Cut(rest, "/")
	switch {
	case !ok:
		return best
	case best == ".":
		return dir
	case best == "/":
		return "/" + dir
	}
	return best + "/" + dir
}

// commonDir is the deepest folder that holds every file, "." when none
// does: the audited root, when the report was not told it.
func commonDir(files []scanner.Result) string {
	var common []string
	for i, r := range files {
		dir := strings.Split(path.Dir(slashed(r.Path)), "/")
		if i == 0 {
			common = dir
			continue
		}
		n := 0
		for n < len(common) && n < len(dir) && common[n] == dir[n] {
			n++
		}
		common = common[:n]
	}
	if len(common) == 0 {
		return "."
	}
	if len(common) == 1 && common[0] == "" {
		return "/"
	}
	return strings.Join(common, "/")
}

// bars sorts bars by count, largest first, and sets their lengths in
// percent of the largest (at least 1, so that a count shows).
func bars(b []htmlBar) []htmlBar {
	sort.Slice(b, func(i, j int) bool {
		if b[i].N != b[j].N {
			return b[i].N > b[j].N
		}
		return b[i].Label < b[j].Label
	})
	for i := range b {
		b[i].Pct = max(b[i].N*100/max(b[0].N, 1), 1)
	}
	return b
}
