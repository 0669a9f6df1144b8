// Package html reads web pages for extract: the text a browser shows, and
// what a copy of the page carries that a reader does not see (comments,
// hidden elements, scripts, title and meta, alt and title attributes,
// documents inlined as data: URIs). Importing it registers the reader.
package html

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"mime"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/internal/charset"
)

func init() { extract.Register(extract.FormatHTML, read) }

// read is the extractor of extract.FormatHTML.
func read(ctx context.Context, r io.ReaderAt, size int64, opt extract.Options) (*extract.Document, error) {
	data := make([]byte, size)
	if _, err := r.ReadAt(data, 0); err != nil && err != io.EOF {
		return nil, extract.Errorf(extract.KindIO, "cannot read file: %v", err)
	}
	doc := extract.NewText(extract.FormatHTML, opt)
	if err := Read(extract.Container(ctx), doc, data, "", opt); err != nil {
		return nil, err
	}
	return doc.Document, nil
}

// Read adds the text of the page in data to doc, each part a segment of
// its own: what a browser shows as body, and the rest as metadata
// (title, meta), comment, hidden (hidden elements, scripts and styles,
// other attributes that hold non-ASCII text), alttext (alt, title,
// aria-label, placeholder), form (input values), deleted and inserted
// (del and ins). Documents inlined as data: URIs are read as inner
// documents. label is the charset the page came with (a mail part's
// Content-Type), "" when none: the page's byte order mark, then that
// label, then its meta charset decide, and without any the bytes are
// decoded as UTF-8 or GB18030. ctx comes from extract.Container.
func Read(ctx context.Context, doc *extract.Text, data []byte, label string, opt extract.Options) error {
	var text string
	var ok bool
	if hasBOM(data) {
		text, ok = extract.DecodeText(data)
	} else {
		if label == "" {
			label = metaCharset(data)
		}
		text, ok = charset.Decode(data, label)
	}
	if !ok {
		doc.Review = append(doc.Review, "web page has bytes that are not of its character set: some characters may be missing")
	}
	p := &page{doc: doc, depthMax: opt.MaxXMLDepth}
	if err := p.walk(text); err != nil {
		return err
	}
	for _, part := range partOrder {
		if s := strings.TrimSpace(p.text[part].String()); s != "" {
			if err := doc.Add(extract.Segment{Part: part, Text: s}); err != nil {
				return err
			}
		}
	}
	for i, u := range p.inlined {
		if err := readDataURI(ctx, doc, u, i+1, opt); err != nil {
			return err
		}
	}
	return nil
}

func hasBOM(b []byte) bool {
	return bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) || bytes.HasPrefix(b, []byte("\xFF\xFE")) || bytes.HasPrefix(b, []byte("\xFE\xFF"))
}

// metaScan is how much of a page is searched for its meta charset.
// Browsers look at the first kilobyte first, and re-read the page when
// the parser meets one later in the head.
const metaScan = 64 << 10

// metaCharset returns the charset a page's head declares in a meta
// element (charset, or http-equiv Content-Type), or "".
func metaCharset(data []byte) string {
	z := html.NewTokenizer(bytes.NewReader(data[:min(len(data), metaScan)]))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			switch t.DataAtom {
			case atom.Body:
				return ""
			case atom.Meta:
				if cs := attr(t, "charset"); cs != "" {
					return cs
				}
				if strings.EqualFold(attr(t, "http-equiv"), "content-type") {
					if _, params, err := mime.ParseMediaType(attr(t, "content")); err == nil && params["charset"] != "" {
						return params["charset"]
					}
				}
			}
		}
	}
}

func attr(t html.Token, key string) string {
	for _, a := range t.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// partOrder is the order the parts of a page become segments in.
var partOrder = []extract.Part{
	extract.PartMetadata, extract.PartBody, extract.PartDeleted, extract.PartInserted,
	extract.PartHidden, extract.PartComment, extract.PartAltText, extract.PartForm,
}

// page is a page being read: the text of each part, gathered in one
// pass over its tokens, and the open elements that decide which part
// text belongs to.
type page struct {
	doc      *extract.Text
	text     map[extract.Part]*strings.Builder
	space    map[extract.Part]bool // white space is pending at the end of a part's text
	held     int                   // bytes held in text, charged to doc's budget before they are added
	open     []element
	depthMax int
	pre      int      // open pre elements: white space kept
	inlined  []string // data: URIs of documents inlined in the page
}

// element is an open element and the part its text goes to.
type element struct {
	name string
	part extract.Part
}

// part is where text at the current place goes.
func (p *page) part() extract.Part {
	if len(p.open) == 0 {
		return extract.PartBody
	}
	return p.open[len(p.open)-1].part
}

func (p *page) walk(text string) error {
	p.text = map[extract.Part]*strings.Builder{}
	p.space = map[extract.Part]bool{}
	for _, part := range partOrder {
		p.text[part] = &strings.Builder{}
	}
	z := html.NewTokenizer(strings.NewReader(text))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if z.Err() == io.EOF {
				return nil
			}
			return extract.Errorf(extract.KindCorrupt, "damaged web page: it could not be read")
		case html.TextToken:
			text := string(z.Text())
			if len(p.open) > 0 && p.open[len(p.open)-1].name == "style" {
				p.inlined = append(p.inlined, cssDataURIs(text)...)
			}
			if err := p.add(p.part(), text, p.pre > 0); err != nil {
				return err
			}
		case html.CommentToken:
			if err := p.add(extract.PartComment, string(z.Text()), true); err != nil {
				return err
			}
			if err := p.brk(extract.PartComment); err != nil {
				return err
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			t := z.Token()
			if err := p.start(t, tt == html.SelfClosingTagToken); err != nil {
				return err
			}
			// Fallback content a browser shows when it does not run
			// scripts or frames is markup, not raw text.
			switch t.DataAtom {
			case atom.Noscript, atom.Noframes, atom.Noembed, atom.Iframe:
				z.NextIsNotRawText()
			}
		case html.EndTagToken:
			t := z.Token()
			if err := p.end(t.Data); err != nil {
				return err
			}
		}
	}
}

// start opens an element: its attributes are read, and its text goes to
// the part it says.
func (p *page) start(t html.Token, selfClosing bool) error {
	if err := p.attrs(t); err != nil {
		return err
	}
	if block[t.DataAtom] {
		if err := p.brk(p.part()); err != nil {
			return err
		}
	}
	if void[t.DataAtom] || selfClosing {
		return nil
	}
	// An element whose end tag may be left out ends where the next of
	// its kind starts (<p>, <li>, <td> …).
	if optionalEnd[t.DataAtom] && len(p.open) > 0 && p.open[len(p.open)-1].name == t.Data {
		p.open = p.open[:len(p.open)-1]
	}
	if len(p.open) >= p.depthMax {
		// Deeper elements say nothing of where their text goes: it goes
		// where their parent's does, and is read all the same.
		return nil
	}
	part := p.part()
	switch {
	case t.DataAtom == atom.Title:
		part = extract.PartMetadata
	case t.DataAtom == atom.Script, t.DataAtom == atom.Style, t.DataAtom == atom.Template, hidden(t):
		part = extract.PartHidden
	case t.DataAtom == atom.Del && part == extract.PartBody:
		part = extract.PartDeleted
	case t.DataAtom == atom.Ins && part == extract.PartBody:
		part = extract.PartInserted
	}
	if t.DataAtom == atom.Pre {
		p.pre++
	}
	p.open = append(p.open, element{name: t.Data, part: part})
	return nil
}

// end closes the innermost open element of the name, and those opened in
// it; an end tag with no such element open is ignored, as browsers do.
func (p *page) end(name string) error {
	for i := len(p.open) - 1; i >= 0; i-- {
		if p.open[i].name != name {
			continue
		}
		for _, e := range p.open[i:] {
			if e.name == "pre" {
				p.pre--
			}
		}
		part := p.part()
		p.open = p.open[:i]
		if a := atom.Lookup([]byte(name)); block[a] || a == atom.Title || a == atom.Script || a == atom.Style {
			return p.brk(part)
		}
		return nil
	}
	return nil
}

// hidden says an element is not shown: the hidden attribute, a style that
// hides it (Word writes hidden text as display:none and mso-hide:all), a
// hidden input.
func hidden(t html.Token) bool {
	for _, a := range t.Attr {
		switch a.Key {
		case "hidden":
			return true
		case "type":
			if t.DataAtom == atom.Input && strings.EqualFold(strings.TrimSpace(a.Val), "hidden") {
				return true
			}
		case "style":
			s := strings.Map(dropSpace, strings.ToLower(a.Val))
			for _, h := range []string{"display:none", "visibility:hidden", "visibility:collapse", "mso-hide:all"} {
				if strings.Contains(s, h) {
					return true
				}
			}
		}
	}
	return false
}

// attrs reads the attributes of an element that carry text.
func (p *page) attrs(t html.Token) error {
	hid := hidden(t) || p.part() == extract.PartHidden
	metaName := t.DataAtom == atom.Meta && attr(t, "http-equiv") == "" && attr(t, "charset") == ""
	for _, a := range t.Attr {
		var part extract.Part
		switch {
		case a.Key == "alt", a.Key == "title", a.Key == "aria-label", a.Key == "placeholder":
			part = extract.PartAltText
		case a.Key == "content" && metaName:
			part = extract.PartMetadata
		case a.Key == "value" && t.DataAtom == atom.Input:
			part = extract.PartForm
			if hid {
				part = extract.PartHidden
			}
		case strings.HasPrefix(strings.TrimSpace(strings.ToLower(a.Val)), "data:"):
			p.inlined = append(p.inlined, a.Val)
			continue
		case a.Key == "style":
			p.inlined = append(p.inlined, cssDataURIs(a.Val)...)
		case !ascii(a.Val):
			part = extract.PartHidden
		}
		if part != "" {
			if err := p.line(part, a.Val); err != nil {
				return err
			}
		}
		// An attribute's name is text of the file too.
		if !ascii(a.Key) {
			if err := p.line(extract.PartHidden, a.Key); err != nil {
				return err
			}
		}
	}
	return nil
}

// line adds s to part as a line of its own.
func (p *page) line(part extract.Part, s string) error {
	if err := p.brk(part); err != nil {
		return err
	}
	if err := p.add(part, s, false); err != nil {
		return err
	}
	return p.brk(part)
}

func ascii(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// add appends s to the text of part, its runs of white space made one
// space as a browser shows them (unless keep): text split by inline
// markup (机<b>密</b>) stays one word.
func (p *page) add(part extract.Part, s string, keep bool) error {
	if !keep {
		words := strings.Join(strings.Fields(s), " ")
		lead := len(s) > 0 && isSpace(rune(s[0]))
		trail := len(s) > 0 && isSpace(rune(s[len(s)-1]))
		if words == "" {
			p.space[part] = p.space[part] || lead
			return nil
		}
		if (lead || p.space[part]) && !p.lineStart(part) {
			words = " " + words
		}
		s, p.space[part] = words, trail
	}
	return p.write(part, s)
}

// lineStart says part's text is empty or ends a line.
func (p *page) lineStart(part extract.Part) bool {
	b := p.text[part]
	return b.Len() == 0 || strings.HasSuffix(b.String(), "\n")
}

// brk ends a line of part's text.
func (p *page) brk(part extract.Part) error {
	p.space[part] = false
	if p.lineStart(part) {
		return nil
	}
	return p.write(part, "\n")
}

func (p *page) write(part extract.Part, s string) error {
	if err := p.doc.Fits(p.held + len(s)); err != nil {
		return err
	}
	p.held += len(s)
	p.text[part].WriteString(s)
	return nil
}

// cssURL finds the data: URIs of a style sheet (a background picture).
var cssURL = regexp.MustCompile(`(?i)url\(\s*['"]?(data:[^'")\s]+)`)

// cssDataURIs returns the data: URIs in the style sheet s.
func cssDataURIs(s string) []string {
	var out []string
	for _, m := range cssURL.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// readDataURI reads a document inlined in the page as a data: URI (a
// picture, a PDF) as the inner document "data-uri-N". How many a page may
// inline is bounded by the container's entries (Options.MaxEntries).
func readDataURI(ctx context.Context, doc *extract.Text, uri string, n int, opt extract.Options) error {
	label := fmt.Sprintf("inlined document %d", n)
	meta, payload, found := strings.Cut(uri[strings.Index(uri, ":")+1:], ",")
	if !found {
		doc.Review = append(doc.Review, label+": damaged data URI, not read")
		return nil
	}
	var data []byte
	if strings.HasSuffix(strings.ToLower(strings.TrimSpace(meta)), ";base64") {
		b, err := base64.StdEncoding.DecodeString(strings.Map(dropSpace, payload))
		if err != nil {
			doc.Review = append(doc.Review, label+": damaged base64 in a data URI, not read")
			return nil
		}
		data = b
	} else {
		s, err := url.PathUnescape(payload)
		if err != nil {
			s = payload
		}
		data = []byte(s)
	}
	if len(data) == 0 {
		return nil
	}
	return extract.ReadInner(ctx, doc, "data-uri-"+strconv.Itoa(n), label, data, opt)
}

func dropSpace(r rune) rune {
	if isSpace(r) {
		return -1
	}
	return r
}

// isSpace says r is white space to HTML.
func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\f'
}

// set makes a set of elements.
func set(as ...atom.Atom) map[atom.Atom]bool {
	m := make(map[atom.Atom]bool, len(as))
	for _, a := range as {
		m[a] = true
	}
	return m
}

// block elements start and end a line of text.
var block = set(atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Br, atom.Caption,
	atom.Dd, atom.Details, atom.Dialog, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption,
	atom.Figure, atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
	atom.Header, atom.Hr, atom.Li, atom.Main, atom.Nav, atom.Ol, atom.Option, atom.P, atom.Pre,
	atom.Section, atom.Summary, atom.Table, atom.Tbody, atom.Td, atom.Tfoot, atom.Th, atom.Thead,
	atom.Tr, atom.Ul, atom.Body, atom.Head, atom.Html, atom.Textarea)

// void elements have no content and no end tag.
var void = set(atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
	atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr)

// optionalEnd elements may be left open: the next of their kind ends them.
var optionalEnd = set(atom.P, atom.Li, atom.Dt, atom.Dd, atom.Tr, atom.Td, atom.Th, atom.Option,
	atom.Thead, atom.Tbody, atom.Tfoot, atom.Rt, atom.Rp)
