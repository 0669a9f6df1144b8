package scanner_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/fingerprint"
	"github.com/baomi/baomi/scanner/match"
)

// TestFingerprintCorpus registers the documents of ../shared/corpus/docx-zh
// and pdf-zh, builds from them copies as a leaker makes them (two passages
// pasted into another document in reverse order with spaces and punctuation
// changed, as DOCX; the text printed to PDF), and checks that every copy is
// found under its document's label while nothing of the rest of the corpus
// (edge/, and the corpus PDFs too short to register) is.
func TestFingerprintCorpus(t *testing.T) {
	corpus := filepath.Join("..", "..", "shared", "corpus")
	if _, err := os.Stat(filepath.Join(corpus, "docx-zh")); err != nil || testing.Short() {
		t.Skip("../shared/corpus is absent (or -short)")
	}
	files, _ := filepath.Glob(filepath.Join(corpus, "docx-zh", "*.docx"))
	pdfs, _ := filepath.Glob(filepath.Join(corpus, "pdf-zh", "*.pdf"))
	files = append(files, pdfs...)
	b := fingerprint.NewBuilder()
	b.AddCommon(match.Normalize(boilerplate).Text)
	type registered struct {
		label string
		body  []string // body segments of at least 240 characters
	}
	var regs []registered
	var rest []string
	for _, f := range files {
		doc, err := extract.File(context.Background(), f, extract.DefaultOptions())
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		var texts, long []string
		for _, s := range doc.Segments {
			if !scanner.Fingerprinted(s.Part) {
				continue
			}
			texts = append(texts, match.Normalize(s.Text).Text)
			if s.Part == extract.PartBody && len([]rune(s.Text)) >= 240 {
				long = append(long, s.Text)
			}
		}
		if b.Add(filepath.Base(f), texts...) != nil {
			rest = append(rest, f) // too little text to register
			continue
		}
		regs = append(regs, registered{filepath.Base(f), long})
	}
	edge, _ := filepath.Glob(filepath.Join(corpus, "edge", "*"))
	rest = append(rest, edge...)
	m := compileIndex(t, b, 50)
	s := scanner.New(m, scanner.Options{Workers: 1})
	dir := t.TempDir()
	host := paragraphs(40, 4, 90)
	var docxWant, docxFound, pdfWant, pdfFound int
	for i, r := range regs {
		if len(r.body) == 0 {
			continue
		}
		text := []rune(r.body[0])
		a, z := string(text[10:130]), string(text[len(text)-130:len(text)-10])
		docx := filepath.Join(dir, fmt.Sprintf("copy%d.docx", i))
		writeDOCX(t, docx, host[0], boilerplate, host[1]+respace.Replace(z), host[2], a+host[3])
		docxWant++
		if hasLabel(s.ScanFile(context.Background(), docx), r.label) {
			docxFound++
		} else {
			t.Errorf("DOCX with two passages of %s: not found", r.label)
		}
		pdf := filepath.Join(dir, fmt.Sprintf("copy%d.pdf", i))
		writePDF(t, pdf, string(text[:min(len(text), 400)]))
		pdfWant++
		if res := s.ScanFile(context.Background(), pdf); hasLabel(res, r.label) {
			pdfFound++
		} else {
			t.Errorf("PDF copy of %s: not found (%s %s)", r.label, res.Verdict, res.Reason)
		}
	}
	if docxWant < 5 {
		t.Errorf("only %d registered documents have a body long enough to copy from", docxWant)
	}
	flagged, read := 0, 0
	for _, f := range rest {
		res := s.ScanFile(context.Background(), f)
		if res.Verdict == scanner.Clean || res.Verdict == scanner.Review || res.Verdict == scanner.Flagged {
			read++
		}
		for _, fd := range res.Findings {
			if fd.Rule == "fp.secret" { // the marking rule beside it may find real labels
				flagged++
				t.Errorf("%s shares passages with registered documents: %v", f, fd)
				break
			}
		}
	}
	t.Logf("registered %d of %d documents; DOCX copies found %d/%d, PDF copies %d/%d; rest of the corpus flagged %d of %d (%d read)",
		len(regs), len(files), docxFound, docxWant, pdfFound, pdfWant, flagged, len(rest), read)
}

// compileIndex writes b as an index and compiles a fingerprint rule of
// minChars over it.
func compileIndex(t *testing.T, b *fingerprint.Builder, minChars int) *match.Matcher {
	t.Helper()
	dir := t.TempDir()
	var buf bytes.Buffer
	if _, err := b.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "registered.index"), buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	return compilePolicy(t, dir, minChars)
}

func hasLabel(r scanner.Result, label string) bool {
	for _, f := range r.Findings {
		if f.Rule == "fp.secret" && strings.Contains(f.Text, "《"+label+"》") {
			return true
		}
	}
	return false
}

// writeDOCX writes a minimal Word document of paragraphs.
func writeDOCX(t *testing.T, path string, paras ...string) {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<w:p><w:r><w:t xml:space=\"preserve\">")
		xml.EscapeText(&body, []byte(p))
		body.WriteString("</w:t></w:r></w:p>")
	}
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, data := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":         `<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/document.xml":   `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`,
	} {
		w, err := z.Create(name)
		if err == nil {
			_, err = w.Write([]byte(data))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}

// writePDF writes a one-page PDF (buildPDF) showing text in lines of 30
// characters, as a PDF printed from a Word document does.
func writePDF(t *testing.T, path, text string) {
	t.Helper()
	var lines strings.Builder
	n := 0 // characters shown
	for _, r := range text {
		if r == '\n' || r == '\r' {
			continue
		}
		if n > 0 && n%30 == 0 {
			lines.WriteByte('\n')
		}
		lines.WriteRune(r)
		n++
	}
	if err := os.WriteFile(path, buildPDF(lines.String()), 0o600); err != nil {
		t.Fatal(err)
	}
}
