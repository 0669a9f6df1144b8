package watch

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/report"
)

// Note is what a quarantine leaves in the share in place of the file it
// moved, for the person who dropped it: that the file was moved, when,
// why in general words and whom to ask. It never quotes the file's text
// nor a rule's title (a title can name what it looks for); {rules} gives
// the rule ids to an administrator who wants them.
//
// Name and Text are templates: {name} (the file's name), {time}, {verdict}
// (in words), {why} (a possible secrecy problem, or a file that could not
// be read completely), {contact} and {rules} (the rule ids); Name takes
// {name} only.
type Note struct {
	Enabled *bool  `yaml:"enabled"`
	Name    string `yaml:"name"`
	Lang    string `yaml:"lang"`
	Contact string `yaml:"contact"`
	Text    string `yaml:"text"`

	lang report.Lang
}

// noteDefaults are a note's name, text, contact and reasons in each
// language. Chinese is the default: the note is for the share's users.
var noteDefaults = map[report.Lang]struct {
	name, text, contact, flagged, unread, time string
}{
	report.Chinese: {
		name: "{name}.已隔离.txt",
		text: "关于文件“{name}”的说明\n\n" +
			"您放入本文件夹的文件“{name}”已于{time}被保密检查程序自动移出，暂由保密管理人员保管。\n\n" +
			"原因：检查结论为“{verdict}”，{why}，须经人工审查后决定如何处理。\n\n" +
			"请不要再次放入该文件或其副本。如有疑问，请联系{contact}。\n\n" +
			"本说明由程序自动生成，不含文件内容。\n",
		contact: "本单位保密管理部门",
		flagged: "文件可能存在泄密问题",
		unread:  "文件未能完整读取，无法确认是否存在泄密问题",
		time:    "2006年1月2日15:04",
	},
	report.English: {
		name: "{name}.quarantined.txt",
		text: "About the file \"{name}\"\n\n" +
			"The file \"{name}\" you put in this folder was moved out of it at {time} by the secrecy check, and is kept by the security officers.\n\n" +
			"Why: the check's verdict is \"{verdict}\": {why}. A person must review it before it is put back or otherwise handled.\n\n" +
			"Please do not put the file, or a copy of it, here again. For questions, ask {contact}.\n\n" +
			"This note was written by a program and holds nothing of the file's content.\n",
		contact: "your organisation's security office",
		flagged: "the file may hold a secrecy problem",
		unread:  "the file could not be read completely, so it is not known whether it holds a secrecy problem",
		time:    "2006-01-02 15:04 MST",
	},
}

// placeholder matches a {word} in a note's template.
var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// check fills in n's defaults and reports its problems.
func (n *Note) check(at func(int, string, ...any), line func(...string) int) {
	n.lang = report.Chinese
	if n.Lang != "" {
		l, err := report.ParseLang(n.Lang)
		if err != nil {
			at(line("quarantine", "note", "lang"), "quarantine: note: lang %q: expected zh or en", n.Lang)
		}
		n.lang = l
	}
	d := noteDefaults[n.lang]
	if n.Name == "" {
		n.Name = d.name
	}
	if n.Text == "" {
		n.Text = d.text
	}
	if n.Contact == "" {
		n.Contact = d.contact
	}
	for _, p := range placeholder.FindAllString(n.Name, -1) {
		if p != "{name}" {
			at(line("quarantine", "note", "name"), "quarantine: note: name: %s: only {name} may be used in the name", p)
		}
	}
	if strings.ContainsAny(n.Name, `/\`+"\x00") || n.Name == "." || n.Name == ".." {
		at(line("quarantine", "note", "name"), "quarantine: note: name %q: expected a file name, not a path", n.Name)
	}
	for _, p := range placeholder.FindAllString(n.Text, -1) {
		if !slices.Contains([]string{"{name}", "{time}", "{verdict}", "{why}", "{contact}", "{rules}"}, p) {
			at(line("quarantine", "note", "text"), "quarantine: note: text: unknown placeholder %s (known: {name} {time} {verdict} {why} {contact} {rules})", p)
		}
	}
}

// render returns the name and content of the note for the file name
// described by p, moved at t: UTF-8 with a byte order mark and CRLF line
// ends, so that Notepad on older Windows clients of the share shows the
// Chinese right.
func (n *Note) render(name string, p *payload, t time.Time) (string, []byte) {
	d := noteDefaults[n.lang]
	why := d.flagged
	if p.Verdict != scanner.Flagged {
		why = d.unread
	}
	verdict := n.lang.Verdict(p.Verdict)
	if n.lang == report.English {
		verdict = strings.ToLower(verdict)
	}
	var rules []string
	for _, f := range p.Findings {
		if !slices.Contains(rules, f.Rule) {
			rules = append(rules, f.Rule)
		}
	}
	text := strings.NewReplacer("{name}", name, "{time}", t.Local().Format(d.time), "{verdict}", verdict,
		"{why}", why, "{contact}", n.Contact, "{rules}", strings.Join(rules, ", ")).Replace(n.Text)
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\n", "\r\n")
	return strings.ReplaceAll(n.Name, "{name}", name), append([]byte("\uFEFF"), text...)
}

// leaveNote writes n's note for t's file, just moved, beside where it was:
// recorded in the database first (so that the daemon knows the note for
// its own and does not scan it, whatever its name holds), then created
// beneath the watched folder, through no link, never over an existing
// file (report.docx.已隔离.1.txt when the name is taken).
func leaveNote(n *Note, notes *store, t *task, rel string) error {
	name, body := n.render(filepath.Base(rel), &t.Payload, time.Now())
	sum := sha256.Sum256(body)
	dir := filepath.Dir(rel)
	for i := 0; i < 100; i++ {
		nm := numbered(name, i)
		if err := notes.addNote(filepath.Join(t.Payload.Root, dir, nm), sum[:]); err != nil {
			return fmt.Errorf("recording the note: %w", err)
		}
		err := createBeneath(t.Payload.Root, dir, nm, body)
		if !errors.Is(err, fs.ErrExist) {
			return err
		}
	}
	return errors.New("no free name for the note beside the file")
}

// maxNote bounds the size of a file read to tell whether it is a note the
// daemon left: notes are a few hundred bytes.
const maxNote = 64 << 10

// ownNote reports whether the file path (below root), identified as id,
// is a note the daemon left, unchanged: the database knows the path, and
// the content's hash is the note's. A note edited by anyone is scanned
// as any file.
func (d *Daemon) ownNote(root, path string, id *fileID) bool {
	if id == nil || id.Size > maxNote {
		return false
	}
	want, err := d.st.noteSum(path)
	if err != nil || want == nil {
		return false
	}
	rel, err := relBeneath(root, path)
	if err != nil {
		return false
	}
	data, err := readBeneath(root, rel, id, maxNote)
	if err != nil {
		return false
	}
	sum := sha256.Sum256(data)
	return string(sum[:]) == string(want)
}
