// Package pdftest builds small PDFs by hand for baomi's tests: the PDF
// reader's, sniffing's, and the end-to-end tests of the scanner and the
// commands.
package pdftest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode/utf16"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Builder writes a small PDF by hand: objects numbered from 1 in the
// order added, a classic xref table and a trailer.
type Builder struct {
	Objs []string
}

// Add appends an object and returns its number.
func (b *Builder) Add(body string) int {
	b.Objs = append(b.Objs, body)
	return len(b.Objs)
}

// Stream formats a stream object with the given extra dictionary entries.
func Stream(dict, data string) string {
	return fmt.Sprintf("<< %s /Length %d >>\nstream\n%s\nendstream", dict, len(data), data)
}

// Bytes renders the file; trailer holds extra trailer entries.
func (b *Builder) Bytes(trailer string) []byte {
	var out bytes.Buffer
	out.WriteString("%PDF-1.7\n")
	offs := make([]int, len(b.Objs))
	for i, o := range b.Objs {
		offs[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(b.Objs)+1)
	for _, off := range offs {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(b.Objs)+1, trailer, xref)
	return out.Bytes()
}

// CJKFont adds a Type0 Identity-H font whose ToUnicode maps the codes
// 0001..0005 to 机 密 ★ 5 年, and returns its number.
func CJKFont(b *Builder) int {
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n" +
		"1 begincodespacerange <0000> <FFFF> endcodespacerange\n" +
		"5 beginbfchar <0001> <673A> <0002> <5BC6> <0003> <2605> <0004> <0035> <0005> <5E74> endbfchar\n" +
		"endcmap CMapName currentdict /CMap defineresource pop end end"
	tu := b.Add(Stream("", cmap))
	return b.Add(fmt.Sprintf("<< /Type /Font /Subtype /Type0 /BaseFont /SimSun /Encoding /Identity-H /ToUnicode %d 0 R >>", tu))
}

// OnePage builds a one-page PDF: content is the page's content stream,
// resources its resource dictionary and extra more page entries; pre, when
// set, adds objects and returns more resource entries.
func OnePage(content, resources, extra string, pre func(b *Builder) string) []byte {
	b := &Builder{}
	b.Add("<< /Type /Catalog /Pages 2 0 R >>")
	b.Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.Add("") // the page, filled in below
	c := b.Add(Stream("", content))
	if pre != nil {
		resources += " " + pre(b)
	}
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << %s >> %s >>", c, resources, extra)
	return b.Bytes("")
}

// UTF16Hex is s as a PDF hex string in UTF-16BE with a byte order mark.
func UTF16Hex(s string) string {
	var b strings.Builder
	b.WriteString("<FEFF")
	for _, u := range utf16.Encode([]rune(s)) {
		fmt.Fprintf(&b, "%04X", u)
	}
	b.WriteString(">")
	return b.String()
}

// Zlib compresses data for a /FlateDecode stream.
func Zlib(data []byte) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	w.Write(data)
	w.Close()
	return b.String()
}

// Parts describes the document-level parts of a test PDF.
type Parts struct {
	Info     string // the information dictionary, "" for none
	XMP      string // the XMP packet, "" for none
	Outline  func(b *Builder) int
	Files    map[string][]byte // embedded files by name (name tree)
	AnnotFS  bool              // also attach the first file by a FileAttachment annotation
	RawFiles string            // extra /Names entries, written as is
	XFA      []string          // an XFA form's packets, name and XML in turn
}

// BuildParts builds a one-page PDF (body 机密★5年) with the given parts.
func BuildParts(p Parts) []byte {
	b := &Builder{}
	b.Add("") // catalog
	b.Add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	b.Add("") // page
	c := b.Add(Stream("", "BT /F1 12 Tf 10 100 Td <0001000200030004> Tj ET"))
	font := CJKFont(b)
	cat := "/Type /Catalog /Pages 2 0 R"
	if p.XMP != "" {
		cat += fmt.Sprintf(" /Metadata %d 0 R", b.Add(Stream("/Type /Metadata /Subtype /XML", p.XMP)))
	}
	if p.Outline != nil {
		cat += fmt.Sprintf(" /Outlines %d 0 R", p.Outline(b))
	}
	if len(p.XFA) > 0 {
		var xfa string
		for i := 0; i+1 < len(p.XFA); i += 2 {
			xfa += fmt.Sprintf(" (%s) %d 0 R", p.XFA[i], b.Add(Stream("", p.XFA[i+1])))
		}
		cat += " /AcroForm << /Fields [] /XFA [" + xfa + "] >>"
	}
	names := p.RawFiles
	first := 0
	for _, name := range slices.Sorted(maps.Keys(p.Files)) {
		ef := b.Add(Stream("/Type /EmbeddedFile /Filter /FlateDecode", Zlib(p.Files[name])))
		fs := b.Add(fmt.Sprintf("<< /Type /Filespec /F (%s) /UF %s /Desc (about %s) /EF << /F %d 0 R >> >>", name, UTF16Hex(name), name, ef))
		if first == 0 {
			first = fs
		}
		names += fmt.Sprintf(" (%s) %d 0 R", name, fs)
	}
	if names != "" {
		cat += " /Names << /EmbeddedFiles << /Names [" + names + "] >> >>"
	}
	annots := ""
	if p.AnnotFS && first != 0 {
		annots = fmt.Sprintf("/Annots [<< /Type /Annot /Subtype /FileAttachment /Rect [0 0 10 10] /FS %d 0 R >>]", first)
	}
	b.Objs[0] = "<< " + cat + " >>"
	b.Objs[2] = fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Contents %d 0 R /Resources << /Font << /F1 %d 0 R >> >> %s >>", c, font, annots)
	trailer := ""
	if p.Info != "" {
		trailer = fmt.Sprintf("/Info %d 0 R", b.Add(p.Info))
	}
	return b.Bytes(trailer)
}

// Outlines returns the content stream operators that fill text drawn with
// font f, size points high, its baseline from (x, y): each glyph's outline
// as a path filled with f, as text converted to curves is (a quadratic
// curve of a TrueType font written as the cubic it is). It also returns
// where the text ends on its baseline.
func Outlines(f *sfnt.Font, text string, size, x, y float64) (string, float64, error) {
	var buf sfnt.Buffer
	var b strings.Builder
	ppem := fixed.Int26_6(size * 64)
	pt := func(p fixed.Point26_6) (float64, float64) {
		return x + float64(p.X)/64, y - float64(p.Y)/64 // sfnt's y grows downwards
	}
	for _, r := range text {
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil {
			return "", 0, err
		}
		segs, err := f.LoadGlyph(&buf, gi, ppem, nil)
		if err != nil {
			return "", 0, err
		}
		var cx, cy float64 // the current point
		for _, s := range segs {
			switch s.Op {
			case sfnt.SegmentOpMoveTo:
				cx, cy = pt(s.Args[0])
				fmt.Fprintf(&b, "%.3f %.3f m\n", cx, cy)
			case sfnt.SegmentOpLineTo:
				cx, cy = pt(s.Args[0])
				fmt.Fprintf(&b, "%.3f %.3f l\n", cx, cy)
			case sfnt.SegmentOpQuadTo:
				qx, qy := pt(s.Args[0])
				ex, ey := pt(s.Args[1])
				fmt.Fprintf(&b, "%.3f %.3f %.3f %.3f %.3f %.3f c\n", cx+2*(qx-cx)/3, cy+2*(qy-cy)/3, ex+2*(qx-ex)/3, ey+2*(qy-ey)/3, ex, ey)
				cx, cy = ex, ey
			case sfnt.SegmentOpCubeTo:
				ax, ay := pt(s.Args[0])
				bx, by := pt(s.Args[1])
				cx, cy = pt(s.Args[2])
				fmt.Fprintf(&b, "%.3f %.3f %.3f %.3f %.3f %.3f c\n", ax, ay, bx, by, cx, cy)
			}
		}
		if len(segs) > 0 {
			b.WriteString("f\n")
		}
		adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
		if err != nil {
			return "", 0, err
		}
		x += float64(adv) / 64
	}
	return b.String(), x, nil
}
