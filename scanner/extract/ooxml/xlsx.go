package ooxml

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/numfmt"
	"github.com/baomi/baomi/scanner/extract/internal/xmlpkg"
)

// xlsxMain is the workbook part of a SpreadsheetML package.
const xlsxMain = "xl/workbook.xml"

// extractXLSX reads an Excel workbook. Page is the sheet's 1-based position
// in the workbook (hidden sheets count) for everything read from a sheet:
// its name (Part sheet-name), its cells (body: one line per row, cells
// apart by tabs; cells of hidden sheets, rows and columns in Part hidden),
// its print header and footer, its comments and the text boxes drawn on it.
// Then come the other parts of the package (charts, SmartArt, custom XML:
// see otherParts), document properties and embedded objects
// (xl/embeddings). Worksheets, comments and drawings that no sheet of the
// workbook names are read too, with Page 0, and so are the strings of a
// second shared string table of the same name, which no cell can show.
func extractXLSX(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	o, wb, err := openPackage(ctx, r, size, opt, extract.FormatXLSX, xlsxMain,
		extract.Errorf(extract.KindCorrupt, "not a workbook: %s is missing", xlsxMain))
	if err != nil {
		return nil, err
	}
	x := &xlsxReader{ooxml: o}
	rels, err := x.rels(xlsxMain)
	if err != nil {
		return nil, err
	}
	sst, styles := "xl/sharedStrings.xml", "xl/styles.xml"
	for _, r := range rels {
		switch r.typ {
		case "sharedStrings":
			sst = r.target
		case "styles":
			styles = r.target
		}
	}
	if f := x.Zip.File(sst); f != nil {
		x.read[f] = true
		if err := x.sharedStrings(f); err != nil {
			return nil, err
		}
	}
	sheets, err := x.sheets(wb, rels)
	if err != nil {
		return nil, err
	}
	doc := x.Doc
	pages := map[*zip.File]int{}
	for i, s := range sheets {
		page := i + 1
		if f := x.Zip.File(s.part); f != nil {
			pages[f] = page
		}
		if s.name != "" {
			if err := doc.Add(extract.Segment{Part: extract.PartSheetName, Page: page, Text: s.name}); err != nil {
				return nil, err
			}
		}
		if err := x.sheetParts(doc, x.Zip.File(s.part), page, s.hidden); err != nil {
			return nil, err
		}
	}
	for _, f := range x.Zip.Files() {
		if x.Zip.Later(f) {
			continue // read with the first entry of its name
		}
		if err := x.sheetParts(doc, f, 0, false); err != nil {
			return nil, err
		}
	}
	if x.sstLater > 0 {
		var b strings.Builder
		for _, v := range x.sst[x.sstLater:] {
			if err := x.Emit(&b, v+"\n"); err != nil {
				return nil, err
			}
		}
		if text := xmlpkg.TrimText(b.String()); text != "" {
			if err := doc.Add(extract.Segment{Part: extract.PartBody, Text: text}); err != nil {
				return nil, err
			}
		}
	}
	if f := x.Zip.File(styles); f != nil {
		// The custom number formats write their text into every cell of
		// their style: "机密★5年 "0.00.
		if err := x.formatText(f, "numFmt", "formatCode", numfmt.Text); err != nil {
			return nil, err
		}
	}
	if err := x.rest("xl/embeddings/", pages); err != nil {
		return nil, err
	}
	if err := x.pictures(pages); err != nil {
		return nil, err
	}
	return doc.Document, nil
}

// xlsxReader holds what the parts of one workbook share.
type xlsxReader struct {
	ooxml
	sst []string
	// sstLater is where in sst the strings of a later entry of the shared
	// strings' name begin (open reads all entries of a name), 0 when
	// there is none: cells index the first table only.
	sstLater int
}

type xlsxSheet struct {
	name, part string
	hidden     bool
}

// sheets lists the sheets of the workbook in order, with their parts.
func (x *xlsxReader) sheets(wb *zip.File, rels []relationship) ([]xlsxSheet, error) {
	target := map[string]string{}
	for _, r := range rels {
		target[r.id] = r.target
	}
	var out []xlsxSheet
	// A defined name's formula may hold strings no cell shows
	// (密级 = "机密"): read as a formula's are.
	var names, formula strings.Builder
	inName := false
	err := x.WalkFile(wb, func(tok xml.Token, _ int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "sheet":
				state := xmlpkg.Attr(t, "state")
				out = append(out, xlsxSheet{name: xmlpkg.Attr(t, "name"), part: target[relID(t)], hidden: state == "hidden" || state == "veryHidden"})
			case "definedName":
				inName = true
				formula.Reset()
			}
		case xml.CharData:
			if inName {
				if err := x.Emit(&formula, string(t)); err != nil {
					return err
				}
			}
		case xml.EndElement:
			if t.Name.Local == "definedName" {
				inName = false
				if lits := formulaStrings(formula.String()); len(lits) > 0 {
					return x.Emit(&names, strings.Join(lits, " ")+"\n")
				}
			}
		}
		return nil
	})
	if text := xmlpkg.TrimText(names.String()); err == nil && text != "" {
		err = x.Doc.Add(extract.Segment{Part: extract.PartField, Text: text})
	}
	return out, err
}

// sharedStrings reads the shared string table: each item's text, its
// rich-text runs joined, without phonetic guides (rPh), which would split
// the words they annotate.
func (x *xlsxReader) sharedStrings(f *zip.File) error {
	var cur strings.Builder
	total := 0 // bytes of the table's text, held for the cells that use it
	in, rph, tables := false, 0, 0
	return x.WalkFile(f, func(tok xml.Token, depth int) error {
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 1 {
				if tables++; tables == 2 {
					x.sstLater = len(x.sst)
				}
			}
			switch t.Name.Local {
			case "si":
				cur.Reset()
			case "rPh":
				rph++
			case "t":
				in = rph == 0
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "si":
				x.sst = append(x.sst, cur.String())
			case "rPh":
				rph--
			case "t":
				in = false
			}
		case xml.CharData:
			if in {
				total += len(t)
				if err := x.Doc.Fits(total); err != nil {
					return err
				}
				cur.Write(t)
			}
		}
		return nil
	})
}

// sheetParts reads a worksheet and the parts it refers to (comments,
// drawings), unless read already. f may be nil (a sheet without its part)
// or any part of the package, of which it reads only worksheets and
// comments.
func (x *xlsxReader) sheetParts(doc *extract.Text, f *zip.File, page int, hidden bool) error {
	if f == nil || x.read[f] {
		return nil
	}
	dir := path.Dir(strings.ToLower(f.Name))
	switch {
	case dir == "xl/worksheets":
		x.read[f] = true
		segs, err := x.sheet(f, page, hidden)
		if err != nil {
			return err
		}
		if err := doc.AddAll(segs); err != nil {
			return err
		}
		rels, err := x.rels(f.Name)
		if err != nil {
			return err
		}
		for _, r := range rels {
			if r.typ == "comments" || r.typ == "drawing" {
				if err := x.sheetParts(doc, x.Zip.File(r.target), page, false); err != nil {
					return err
				}
			}
		}
	case dir == "xl" && strings.HasPrefix(path.Base(strings.ToLower(f.Name)), "comments"):
		x.read[f] = true
		// Legacy comments hold the text of threaded comments too.
		text, err := x.PartText(f, map[string]bool{"t": true}, map[string]bool{"comment": true})
		if err != nil || text == "" {
			return err
		}
		if err := doc.Add(extract.Segment{Part: extract.PartComment, Page: page, Text: text}); err != nil {
			return err
		}
	case dir == "xl/drawings" && strings.HasSuffix(strings.ToLower(f.Name), ".xml"):
		// A drawing no sheet shows (a chart sheet's) is read with page 0;
		// legacy VML drawings are left to otherParts.
		x.read[f] = true
		segs, err := x.shapesText(f, extract.PartTextbox, page, true)
		if err != nil {
			return err
		}
		if err := doc.AddAll(segs); err != nil {
			return err
		}
	}
	return nil
}

// xlsxSheetState is the state of the walk over one worksheet.
type xlsxSheetState struct {
	x          *xlsxReader
	hidden     bool     // the whole sheet is hidden
	cols       [][2]int // ranges of hidden columns
	rowHidden  bool
	col        int // column of the current cell, 1-based
	typ        string
	val        []byte // the cell's value so far; reused from cell to cell
	in         string // element whose text is the cell's value: "v" or "t"
	inline     bool   // inside an inline string (is)
	rph        int
	line, hide strings.Builder // the current row's visible and hidden cells
	body, hid  strings.Builder
	head, foot strings.Builder
	hf         *strings.Builder // header or footer being read
	// notes are the input prompts and error messages of data validation
	// and the tooltips of hyperlinks: text a cell shows when it is chosen
	// or pointed at. literals are the strings written in formulas, which
	// a cell does not show when its formula does not choose them.
	notes, literals strings.Builder
	formula         []byte // the formula being read
	inF             bool
}

// sheet reads the cells, header and footer of one worksheet.
func (x *xlsxReader) sheet(f *zip.File, page int, hidden bool) ([]extract.Segment, error) {
	s := &xlsxSheetState{x: x, hidden: hidden}
	if err := x.WalkFile(f, s.token); err != nil {
		return nil, err
	}
	var segs []extract.Segment
	for _, p := range []struct {
		part extract.Part
		b    *strings.Builder
	}{{extract.PartBody, &s.body}, {extract.PartHidden, &s.hid}, {extract.PartHeader, &s.head}, {extract.PartFooter, &s.foot}, {extract.PartComment, &s.notes}, {extract.PartField, &s.literals}} {
		if text := xmlpkg.TrimText(p.b.String()); text != "" {
			segs = append(segs, extract.Segment{Part: p.part, Page: page, Text: text})
		}
	}
	return segs, nil
}

func (s *xlsxSheetState) token(tok xml.Token, _ int) error {
	switch t := tok.(type) {
	case xml.StartElement:
		switch t.Name.Local {
		case "col":
			if isTrue(xmlpkg.Attr(t, "hidden")) {
				lo, _ := strconv.Atoi(xmlpkg.Attr(t, "min"))
				hi, _ := strconv.Atoi(xmlpkg.Attr(t, "max"))
				s.cols = append(s.cols, [2]int{lo, hi})
			}
		case "row":
			s.rowHidden = isTrue(xmlpkg.Attr(t, "hidden"))
			s.col = 0
		case "c":
			s.typ = xmlpkg.Attr(t, "t")
			s.col = columnOf(xmlpkg.Attr(t, "r"), s.col+1)
			s.val = s.val[:0]
		case "v":
			s.in = "v"
		case "is":
			s.inline = true
		case "rPh":
			s.rph++
		case "t":
			if s.inline && s.rph == 0 {
				s.in = "t"
			}
		case "oddHeader", "evenHeader", "firstHeader":
			s.hf = &s.head
		case "oddFooter", "evenFooter", "firstFooter":
			s.hf = &s.foot
		case "f":
			s.inF, s.formula = true, s.formula[:0]
		case "dataValidation", "hyperlink":
			for _, a := range []string{"promptTitle", "prompt", "errorTitle", "error", "tooltip"} {
				if v := strings.TrimSpace(xmlpkg.Attr(t, a)); v != "" {
					if err := s.x.Emit(&s.notes, v+"\n"); err != nil {
						return err
					}
				}
			}
		}
	case xml.EndElement:
		switch t.Name.Local {
		case "f":
			s.inF = false
			if lits := formulaStrings(string(s.formula)); len(lits) > 0 {
				return s.x.Emit(&s.literals, strings.Join(lits, " ")+"\n")
			}
		case "v", "t":
			s.in = ""
		case "is":
			s.inline = false
		case "rPh":
			s.rph--
		case "c":
			return s.cell()
		case "row":
			s.rowEnd()
		case "oddHeader", "evenHeader", "firstHeader", "oddFooter", "evenFooter", "firstFooter":
			text := headerFooterText(string(s.val))
			s.val = s.val[:0]
			b := s.hf
			s.hf = nil
			if strings.TrimSpace(text) != "" {
				return s.x.Emit(b, text+"\n")
			}
		}
	case xml.CharData:
		if s.inF {
			if err := s.x.Doc.Fits(len(s.formula) + len(t)); err != nil {
				return err
			}
			s.formula = append(s.formula, t...)
		}
		if s.in != "" || s.hf != nil {
			if err := s.x.Doc.Fits(len(s.val) + len(t)); err != nil {
				return err
			}
			s.val = append(s.val, t...)
		}
	}
	return nil
}

// cell adds the value of the cell that ends to its row's line.
func (s *xlsxSheetState) cell() error {
	raw := s.val
	s.val = s.val[:0]
	var v string
	if s.typ == "s" {
		i, err := strconv.Atoi(string(bytes.TrimSpace(raw)))
		if err != nil || i < 0 || i >= len(s.x.sst) {
			return nil
		}
		v = s.x.sst[i]
	} else {
		v = string(raw)
	}
	if v == "" {
		return nil
	}
	b := &s.line
	if s.hidden || s.rowHidden || s.colHidden() {
		b = &s.hide
	}
	if b.Len() > 0 {
		if err := s.x.Emit(b, "\t"); err != nil {
			return err
		}
	}
	return s.x.Emit(b, v)
}

func (s *xlsxSheetState) colHidden() bool {
	for _, r := range s.cols {
		if s.col >= r[0] && s.col <= r[1] {
			return true
		}
	}
	return false
}

// rowEnd ends the row's lines in the sheet's text.
func (s *xlsxSheetState) rowEnd() {
	for _, p := range [][2]*strings.Builder{{&s.line, &s.body}, {&s.hide, &s.hid}} {
		if p[0].Len() > 0 {
			p[1].WriteString(p[0].String())
			p[1].WriteByte('\n')
			p[0].Reset()
		}
	}
}

func isTrue(v string) bool { return v == "1" || v == "true" }

// columnOf returns the 1-based column of a cell reference ("B7" is 2), or
// def when the reference has none.
func columnOf(ref string, def int) int {
	col := 0
	for _, c := range ref {
		if c < 'A' || c > 'Z' || col > 1<<20 {
			break
		}
		col = col*26 + int(c-'A'+1)
	}
	if col == 0 {
		return def
	}
	return col
}

// hfCode matches the formatting codes of a print header or footer: fonts
// (&"Arial,Bold"), sizes (&12), colours (&KFF0000) and one-letter codes
// (&P page number, &D date …). The section codes &L, &C and &R start a new
// line; && is an ampersand.
var hfCode = regexp.MustCompile(`&(?:"[^"]*"|\d+|K[0-9A-Fa-f]{6}|[LCR]|[^&]|&)`)

func headerFooterText(s string) string {
	return strings.TrimSpace(hfCode.ReplaceAllStringFunc(s, func(c string) string {
		switch c {
		case "&&":
			return "&"
		case "&L", "&C", "&R":
			return "\n"
		}
		return ""
	}))
}

// formulaStrings returns the string constants of a formula, "" inside one
// standing for a quote; empty ones are left out.
func formulaStrings(f string) []string {
	var out []string
	for {
		i := strings.IndexByte(f, '"')
		if i < 0 {
			return out
		}
		var lit strings.Builder
		j := i + 1
		for ; j < len(f); j++ {
			if f[j] == '"' {
				if j+1 >= len(f) || f[j+1] != '"' {
					break
				}
				j++ // "" is a quote
			}
			lit.WriteByte(f[j])
		}
		if v := strings.TrimSpace(lit.String()); v != "" {
			out = append(out, v)
		}
		if j >= len(f) {
			return out
		}
		f = f[j+1:]
	}
}
