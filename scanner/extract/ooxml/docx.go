package ooxml

import (
	"archive/zip"
	"context"
	"encoding/xml"
	"io"
	"path"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/nguyenthenguyen/docx"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

// docxLibraryMax bounds what the docx library may load: it reads
// word/document.xml and every entry whose name contains "header" or "footer"
// into memory whole. Larger packages are streamed.
const docxLibraryMax = 64 << 20

// xmlpkg.CtxCheckEvery is how many XML tokens pass between checks for cancellation.

// docxMain is the main document part of a WordprocessingML package, and
// docxGlossary the usual name of its glossary document.
const (
	docxMain     = "word/document.xml"
	docxGlossary = "word/glossary/document.xml"
)

// Namespaces of the elements the DOCX reader acts on, transitional and
// strict OOXML, mapped to the prefixes used in this file.
var wmlPrefixes = map[string]string{
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main":           "w",
	"http://purl.oclc.org/ooxml/wordprocessingml/main":                       "w",
	"http://schemas.openxmlformats.org/officeDocument/2006/math":             "m",
	"http://purl.oclc.org/ooxml/officeDocument/math":                         "m",
	"http://schemas.openxmlformats.org/markup-compatibility/2006":            "mc",
	"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing": "wp",
	"http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing":             "wp",
	"urn:schemas-microsoft-com:vml":                                          "v",
	// encoding/xml leaves an undeclared prefix as the space: lenient
	// readers still show such text, so it is read too.
	"w": "w", "m": "m", "mc": "mc", "wp": "wp", "v": "v",
}

// extractDOCX reads a Word document: body, headers, footers, footnotes,
// endnotes, comments, the glossary and document properties, each text in
// its own Part (deleted, hidden, field codes, text boxes, phonetic guides and
// alt text apart from the text around them), the other parts of the
// package (charts, SmartArt, custom XML: see otherParts), then the objects
// embedded in it (word/embeddings), each read as a document of its own.
func extractDOCX(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	o, _, err := openPackage(ctx, r, size, opt, extract.FormatDOCX, docxMain,
		extract.Errorf(extract.KindCorrupt, "not a Word document: %s is missing", docxMain))
	if err != nil {
		return nil, err
	}
	x := &docxReader{ooxml: o}
	doc := x.Doc

	body, err := x.body(r, size)
	if err != nil {
		return nil, err
	}
	segs, err := x.story(body, docxMain, extract.PartBody)
	if err != nil {
		return nil, err
	}
	if err := doc.AddAll(segs); err != nil {
		return nil, err
	}

	stories, err := x.stories()
	if err != nil {
		return nil, err
	}
	for _, s := range stories {
		x.read[s.file] = true
		rc, err := x.Zip.Open(s.file)
		if err != nil {
			return nil, err
		}
		segs, err := x.story(rc, s.file.Name, s.part)
		if err != nil {
			return nil, err
		}
		if err := doc.AddAll(segs); err != nil {
			return nil, err
		}
	}

	segs, err = x.glossary()
	if err != nil {
		return nil, err
	}
	if err := doc.AddAll(segs); err != nil {
		return nil, err
	}

	if err := x.numbering(); err != nil {
		return nil, err
	}
	if err := x.chunks(); err != nil {
		return nil, err
	}
	if err := x.rest("word/embeddings/", map[*zip.File]int{}); err != nil {
		return nil, err
	}
	if x.altChunk {
		doc.Review = append(doc.Review, "document imports content from another file (altChunk) that is not read")
	}
	if err := x.pictures(map[*zip.File]int{}); err != nil { // a document has no pages
		return nil, err
	}
	return doc.Document, nil
}

// numbering reads the text the list levels of the numbering part write
// before each item of their lists: a level numbered "机密%1." shows the
// marking on every item, though no paragraph holds it.
func (x *docxReader) numbering() error {
	name := "word/numbering.xml"
	rels, err := x.rels(docxMain)
	if err != nil {
		return err
	}
	for _, r := range rels {
		if r.typ == "numbering" {
			name = r.target
		}
	}
	f := x.Zip.File(name)
	if f == nil {
		return nil
	}
	return x.formatText(f, "lvlText", "val", levelText)
}

// levelText is the text of a list level's number format: without the
// numbers it stands for (%1 … %9), and none when no letter is left
// ("%1.", "(%2)") or one character is all there is (a bullet: •, o, §).
func levelText(v string) string {
	for d := '1'; d <= '9'; d++ {
		v = strings.ReplaceAll(v, "%"+string(d), "")
	}
	if v = strings.TrimSpace(v); utf8.RuneCountInString(v) < 2 || !strings.ContainsFunc(v, unicode.IsLetter) {
		return ""
	}
	return v
}

// docxReader holds what the parts of one DOCX share.
type docxReader struct {
	ooxml
	// altChunk is set when a story imports a file (HTML, RTF, another
	// DOCX) whose text Word shows inline but this reader does not read.
	altChunk bool
}

// body returns the XML of the main document part. Packages small enough to
// hold in memory are read through the docx library; larger ones, and those
// it would reject (it requires word/_rels/document.xml.rels), are streamed
// from the zip, which keeps memory flat.
func (x *docxReader) body(r io.ReaderAt, size int64) (io.ReadCloser, error) {
	if x.libraryFits() {
		if content, ok := libraryContent(r, size); ok {
			return io.NopCloser(strings.NewReader(content)), nil
		}
	}
	return x.Zip.Open(x.Zip.File(docxMain))
}

// libraryFits reports whether the docx library can read the package (it
// looks for its two parts under their exact names) within docxLibraryMax.
// When the main part has more than one entry, the library would show only
// the last: open reads them all.
func (x *docxReader) libraryFits() bool {
	if x.Zip.Copies(docxMain) > 1 {
		return false
	}
	const rels = "word/_rels/document.xml.rels"
	var load uint64
	found := 0
	for _, f := range x.Zip.Files() {
		if f.Name == docxMain || f.Name == rels {
			found++
		}
		if f.Name == docxMain || f.Name == rels || strings.Contains(f.Name, "header") || strings.Contains(f.Name, "footer") {
			load += f.UncompressedSize64
		}
	}
	return found == 2 && load <= docxLibraryMax
}

// libraryContent returns word/document.xml as read by the docx library, ok
// false when the library fails or panics.
func libraryContent(r io.ReaderAt, size int64) (content string, ok bool) {
	defer func() {
		if recover() != nil {
			content, ok = "", false
		}
	}()
	d, err := docx.ReadDocxFromMemory(r, size)
	if err != nil {
		return "", false
	}
	defer d.Close()
	return d.Editable().GetContent(), true
}

// chunks marks the files the document imports (altChunk: HTML, RTF,
// another DOCX) as handled when the body imports one: they are not XML
// parts of the package, and the document says they are not read.
func (x *docxReader) chunks() error {
	if !x.altChunk {
		return nil
	}
	rels, err := x.rels(docxMain)
	if err != nil {
		return err
	}
	for _, r := range rels {
		if f := x.Zip.File(r.target); f != nil && r.typ == "aFChunk" {
			x.read[f] = true
		}
	}
	return nil
}

// docxStory is a part with text besides the body.
type docxStory struct {
	file *zip.File
	part extract.Part
}

// storyParts maps relationship types (the last element of the type URI) and
// usual part names to Parts, in the order they are reported.
var storyParts = []struct {
	relType string
	part    extract.Part
}{
	{"header", extract.PartHeader},
	{"footer", extract.PartFooter},
	{"footnotes", extract.PartFootnote},
	{"endnotes", extract.PartEndnote},
	{"comments", extract.PartComment},
}

// stories lists the headers, footers, footnotes, endnotes and comments: the
// targets of word/_rels/document.xml.rels, and the parts with the usual
// names (word/header1.xml …) even when no relationship names them, so that
// a package without the rels file, or with a part it does not reference, is
// still read whole.
func (x *docxReader) stories() ([]docxStory, error) {
	found := map[*zip.File]extract.Part{}
	if rels := x.Zip.File("word/_rels/document.xml.rels"); rels != nil {
		if err := x.relTargets(rels, found); err != nil {
			return nil, err
		}
	}
	for _, f := range x.Zip.Files() {
		name := strings.ToLower(f.Name)
		dir, base := path.Split(name)
		if dir != "word/" || !strings.HasSuffix(base, ".xml") || x.Zip.Later(f) {
			continue
		}
		for _, s := range storyParts {
			if strings.HasPrefix(base, s.relType) && (s.part == extract.PartHeader || s.part == extract.PartFooter || base == s.relType+".xml") {
				if _, ok := found[f]; !ok {
					found[f] = s.part
				}
			}
		}
	}
	rank := map[extract.Part]int{}
	for i, s := range storyParts {
		rank[s.part] = i
	}
	out := make([]docxStory, 0, len(found))
	for f, p := range found {
		out = append(out, docxStory{file: f, part: p})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].part != out[j].part {
			return rank[out[i].part] < rank[out[j].part]
		}
		return out[i].file.Name < out[j].file.Name
	})
	return out, nil
}

// relTargets adds to found the story parts named by the relationships of the
// main document.
func (x *docxReader) relTargets(rels *zip.File, found map[*zip.File]extract.Part) error {
	rc, err := x.Zip.Open(rels)
	if err != nil {
		return err
	}
	return x.Walk(rc, rels.Name, func(tok xml.Token, _ int) error {
		e, ok := tok.(xml.StartElement)
		if !ok || e.Name.Local != "Relationship" {
			return nil
		}
		typ, target, mode := xmlpkg.Attr(e, "Type"), xmlpkg.Attr(e, "Target"), xmlpkg.Attr(e, "TargetMode")
		if mode == "External" || target == "" {
			return nil
		}
		typ = typ[strings.LastIndex(typ, "/")+1:]
		for _, s := range storyParts {
			if typ != s.relType {
				continue
			}
			name := path.Join("word", target)
			if strings.HasPrefix(target, "/") {
				name = path.Clean(target[1:])
			}
			if f := x.Zip.File(name); f != nil {
				found[f] = s.part
			}
		}
		return nil
	})
}

// glossary reads the glossary document (building blocks: AutoText, Quick
// Parts, cover pages), the target of the main part's glossaryDocument
// relationship or word/glossary/document.xml. Its text is in the file
// although Word shows it only once inserted. The Part set has no name for
// it, so its segments keep the Parts its paragraphs give (body, deleted,
// field …) and Inner names the glossary part: Inner is a path inside the
// file, and this one tells the reader the text is not in the document's
// own body.
func (x *docxReader) glossary() ([]extract.Segment, error) {
	rels, err := x.rels(docxMain)
	if err != nil {
		return nil, err
	}
	f := x.Zip.File(docxGlossary)
	for _, r := range rels {
		if g := x.Zip.File(r.target); r.typ == "glossaryDocument" && g != nil {
			f = g
			break
		}
	}
	if f == nil {
		return nil, nil
	}
	x.read[f] = true
	rc, err := x.Zip.Open(f)
	if err != nil {
		return nil, err
	}
	segs, err := x.story(rc, f.Name, extract.PartBody)
	for i := range segs {
		segs[i].Inner = f.Name
	}
	return segs, err
}

// story reads one WordprocessingML part (body, header, footnotes …) into
// one Segment per Part found in it, base being the Part of its ordinary text.
func (x *docxReader) story(rc io.ReadCloser, name string, base extract.Part) ([]extract.Segment, error) {
	s := &wmlStory{x: x, base: base, root: newWMLText()}
	s.buf(base)
	if err := x.Walk(rc, name, s.token); err != nil {
		return nil, err
	}
	var segs []extract.Segment
	for _, p := range s.root.order {
		text := strings.TrimRight(s.root.bufs[p].String(), "\n")
		if strings.TrimSpace(text) != "" {
			segs = append(segs, extract.Segment{Part: p, Text: text})
		}
	}
	return segs, nil
}

// wmlStory is the state of the walk over one WordprocessingML part.
type wmlStory struct {
	x     *docxReader
	base  extract.Part
	root  *wmlText
	stack []string     // keys (prefix:local) of the open elements
	ac    []*acFrame   // open mc:AlternateContent, innermost last
	txbx  int          // open text boxes
	del   int          // open deletions (w:del, w:moveFrom)
	ruby  int          // open phonetic guides (w:rt) over ruby base text
	hide  bool         // the current run is hidden (w:vanish)
	text  extract.Part // Part of the open text element, "" outside one
}

// wmlText is text by Part, the parts in order of first appearance.
type wmlText struct {
	bufs  map[extract.Part]*strings.Builder
	order []extract.Part
}

func newWMLText() *wmlText { return &wmlText{bufs: map[extract.Part]*strings.Builder{}} }

func (t *wmlText) buf(p extract.Part) *strings.Builder {
	b, ok := t.bufs[p]
	if !ok {
		b = &strings.Builder{}
		t.bufs[p] = b
		t.order = append(t.order, p)
	}
	return b
}

// acFrame is an open mc:AlternateContent. Word shows the first Choice whose
// namespaces it knows, LibreOffice the Fallback, and a crafted file can put
// different text in each: so every branch (each Choice and the Fallback) is
// read, each into a text of its own. When a branch ends, the text it holds
// for a Part is kept unless an earlier branch held the same: a text box
// whose Fallback repeats the Choice is read once.
type acFrame struct {
	kept   map[extract.Part][]string // texts the branches read so far kept, by Part
	branch *wmlText                  // the open branch, nil between branches
}

// sink is where text goes: the innermost open branch, or the story.
func (s *wmlStory) sink() *wmlText {
	for i := len(s.ac) - 1; i >= 0; i-- {
		if b := s.ac[i].branch; b != nil {
			return b
		}
	}
	return s.root
}

// branchEnd adds the text of the branch that ends to the text around its
// AlternateContent, less what repeats an earlier branch.
func (s *wmlStory) branchEnd() {
	f := s.ac[len(s.ac)-1]
	b := f.branch
	f.branch = nil
	dst := s.sink()
	for _, p := range b.order {
		text := b.bufs[p].String()
		if slices.Contains(f.kept[p], text) {
			continue
		}
		f.kept[p] = append(f.kept[p], text)
		dst.buf(p).WriteString(text)
	}
}

func (s *wmlStory) buf(p extract.Part) *strings.Builder {
	return s.sink().buf(p)
}

func (s *wmlStory) emit(p extract.Part, text string) error {
	return s.x.Emit(s.buf(p), text)
}

// current is the Part of text in the current run.
func (s *wmlStory) current() extract.Part {
	switch {
	case s.del > 0:
		return extract.PartDeleted
	case s.hide:
		return extract.PartHidden
	case s.ruby > 0:
		// Kept apart: pinyin interleaved with the characters it annotates
		// would split every word.
		return extract.PartAnnotation
	case s.txbx > 0:
		return extract.PartTextbox
	}
	return s.base
}

// parent returns the key of the n-th enclosing open element (1 = parent).
func (s *wmlStory) parent(n int) string {
	if len(s.stack) < n {
		return ""
	}
	return s.stack[len(s.stack)-n]
}

func (s *wmlStory) inRun() bool {
	p := s.parent(1)
	return p == "w:r" || p == "m:r"
}

func (s *wmlStory) token(tok xml.Token, _ int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		return s.start(t)
	case xml.EndElement:
		return s.end()
	case xml.CharData:
		if s.text != "" {
			return s.emit(s.text, string(t))
		}
	}
	return nil
}

func (s *wmlStory) start(e xml.StartElement) error {
	key := wmlPrefixes[e.Name.Space] + ":" + e.Name.Local
	switch key {
	case "mc:AlternateContent":
		s.ac = append(s.ac, &acFrame{kept: map[extract.Part][]string{}})
	case "mc:Choice", "mc:Fallback":
		if s.parent(1) == "mc:AlternateContent" {
			s.ac[len(s.ac)-1].branch = newWMLText()
		}
	case "w:txbxContent":
		s.txbx++
	case "w:altChunk":
		s.x.altChunk = true
	case "w:del", "w:moveFrom":
		s.del++
	case "w:rt":
		s.ruby++
	case "w:r", "m:r":
		s.hide = false
	case "w:vanish":
		if s.parent(1) == "w:rPr" && (s.parent(2) == "w:r" || s.parent(2) == "m:r") {
			switch xmlpkg.Attr(e, "val") {
			case "0", "false", "off":
			default:
				s.hide = true
			}
		}
	case "w:t", "m:t":
		s.text = s.current()
	case "w:delText", "w:delInstrText":
		s.text = extract.PartDeleted
	case "w:instrText":
		s.text = extract.PartField
		if s.del > 0 {
			s.text = extract.PartDeleted
		}
	case "w:tab", "w:ptab":
		if s.inRun() {
			if err := s.emit(s.current(), "\t"); err != nil {
				return err
			}
		}
	case "w:br", "w:cr":
		if s.inRun() {
			if err := s.emit(s.current(), "\n"); err != nil {
				return err
			}
		}
	case "w:noBreakHyphen":
		if s.inRun() {
			if err := s.emit(s.current(), "-"); err != nil {
				return err
			}
		}
	case "w:fldSimple":
		if v := xmlpkg.Attr(e, "instr"); v != "" {
			if err := s.emit(extract.PartField, v+"\n"); err != nil {
				return err
			}
		}
	case "v:textpath":
		// WordArt drawn in VML, as Word draws its watermarks (内部资料
		// across every page, from the header): the text is an attribute.
		if v := strings.TrimSpace(xmlpkg.Attr(e, "string")); v != "" {
			if err := s.emit(extract.PartTextbox, v+"\n"); err != nil {
				return err
			}
		}
	case "v:shape", "v:rect", "v:roundrect", "v:oval", "v:line", "v:polyline", "v:image":
		if v := strings.TrimSpace(xmlpkg.Attr(e, "alt")); v != "" {
			if err := s.emit(extract.PartAltText, v+"\n"); err != nil {
				return err
			}
		}
	case "wp:docPr":
		for _, a := range []string{"title", "descr"} {
			if v := xmlpkg.Attr(e, a); v != "" {
				if err := s.emit(extract.PartAltText, v+"\n"); err != nil {
					return err
				}
			}
		}
	}
	s.stack = append(s.stack, key)
	return nil
}

func (s *wmlStory) end() error {
	key := s.stack[len(s.stack)-1]
	s.stack = s.stack[:len(s.stack)-1]
	switch key {
	case "w:t", "m:t", "w:delText", "w:delInstrText", "w:instrText":
		s.text = ""
	case "w:r", "m:r":
		s.hide = false
	case "w:txbxContent":
		s.txbx--
	case "w:del", "w:moveFrom":
		s.del--
	case "w:rt":
		s.ruby--
	case "mc:AlternateContent":
		s.ac = s.ac[:len(s.ac)-1]
	case "mc:Choice", "mc:Fallback":
		if s.parent(1) == "mc:AlternateContent" {
			s.branchEnd()
		}
	case "w:p":
		return s.paragraphEnd()
	}
	return nil
}

// paragraphEnd ends the line of the paragraph's own part (its story's, or
// the text box's), and the line of every aside part (deleted, hidden, field
// …) that received text since its last line end, so that text from two
// paragraphs never runs together. The end of a paragraph in a text box does
// not break the line of the paragraph the box is anchored in.
func (s *wmlStory) paragraphEnd() error {
	own := s.base
	if s.txbx > 0 {
		own = extract.PartTextbox
	}
	t := s.sink()
	for _, p := range t.order {
		b := t.bufs[p]
		aside := p != s.base && p != extract.PartTextbox
		if p == own || (aside && b.Len() > 0 && !strings.HasSuffix(b.String(), "\n")) {
			if err := s.x.Emit(b, "\n"); err != nil {
				return err
			}
		}
	}
	if _, ok := t.bufs[own]; !ok {
		return s.emit(own, "\n")
	}
	return nil
}
