package extract

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// TestReaderKeepsExtractorFormat: a compound file is sniffed as ole; its
// extractor finds a .doc by the streams at its root and hands it to the
// .doc extractor when one is registered, whose format Reader keeps.
func TestReaderKeepsExtractorFormat(t *testing.T) {
	// The real one (package msdoc) is linked into this test binary: it
	// is set aside for the test's own.
	saved := extractors[FormatDOC]
	extractors[FormatDOC] = func(context.Context, io.ReaderAt, int64, Options) (*Document, error) {
		return &Document{Format: FormatDOC, Segments: []Segment{{Part: PartBody, Text: "机密"}}}, nil
	}
	defer func() { extractors[FormatDOC] = saved }()
	data := cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")})
	doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil || doc.Format != FormatDOC || len(doc.Segments) != 1 {
		t.Fatalf("Reader = %+v, %v; want the .doc extractor's document", doc, err)
	}
}

// TestEveryFormatIsHandled: every Format constant declared in format.go
// has an extractor, or a verdict of its own from unreadable (no text,
// encrypted, unknown), or a name users know it by: from unreadableNames,
// or from legacyFormats for the formats found inside a compound file. A
// format added without any of them fails here.
func TestEveryFormatIsHandled(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "format.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	legacy := map[Format]bool{}
	for _, l := range legacyFormats {
		legacy[l.format] = true
	}
	n := 0
	for _, decl := range file.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			v := spec.(*ast.ValueSpec)
			if id, ok := v.Type.(*ast.Ident); !ok || id.Name != "Format" {
				continue
			}
			lit := v.Values[0].(*ast.BasicLit)
			f := Format(strings.Trim(lit.Value, `"`))
			n++
			_, readable := extractors[f]
			_, named := unreadableNames[f]
			if !readable && !named && !legacy[f] && KindOf(unreadable(f)) == KindUnsupported {
				t.Errorf("format %q (%s) has no extractor and no name for its reason", f, v.Names[0].Name)
			}
		}
	}
	if n < 20 {
		t.Errorf("found %d formats in format.go: the test no longer reads it right", n)
	}
}

// TestMissingReaderPanics: reading a format baomi must read without its
// extractor registered (package formats not imported) is a build mistake
// that fails loudly, never a quiet "cannot read this format".
func TestMissingReaderPanics(t *testing.T) {
	saved := extractors[FormatImage]
	delete(extractors, FormatImage)
	defer func() { extractors[FormatImage] = saved }()
	if m := Missing(); len(m) != 1 || m[0] != FormatImage {
		t.Errorf("Missing = %q, want image", m)
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic")
		}
	}()
	data := pngBytes(t)
	Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
}
