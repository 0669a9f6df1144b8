package extract

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// Legacy Office files are named by their streams in the verdict's reason
// and format.
func TestExtractOLE(t *testing.T) {
	cases := []struct {
		stream string
		format Format
		reason string
	}{
		{"Equation Native", FormatOLE, "Equation Editor or MathType formula: baomi cannot read this format yet"},
		{"VisioDocument", FormatOLE, "Visio drawing"},
		{"CorelDRAW", FormatOLE, "CorelDRAW drawing"},
		{"MN0", FormatOLE, "Microsoft Works document (.wps)"},
		{"Contents", FormatOLE, "OLE compound file"},
		// Streams count at the root only: this is an object holding a
		// .doc, not a .doc.
		{"ObjectPool/_1/WordDocument", FormatOLE, "OLE compound file"},
	}
	for _, c := range cases {
		t.Run(c.stream, func(t *testing.T) {
			data := cfb.Build(cfb.Stream{Path: "\x05SummaryInformation", Data: []byte("x")}, cfb.Stream{Path: c.stream, Data: []byte("data")})
			doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
			if doc != nil || KindOf(err) != KindUnsupported || FormatOf(err) != c.format || !strings.Contains(err.Error(), c.reason) {
				t.Errorf("got %v (%s, %s), want %s %q", err, KindOf(err), FormatOf(err), c.format, c.reason)
			}
		})
	}
	// A format that has its reader is handed to it: a workbook or a
	// presentation that is none is damaged, and says what it is.
	for s, f := range map[string]Format{"Workbook": FormatXLS, "Book": FormatXLS, "PowerPoint Document": FormatPPT} {
		data := cfb.Build(cfb.Stream{Path: s, Data: []byte("data")})
		if _, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); KindOf(err) != KindCorrupt || FormatOf(err) != f {
			t.Errorf("%s: %v (%s, %s)", s, err, KindOf(err), FormatOf(err))
		}
	}
	// An Outlook message goes to its reader: this one is damaged.
	data := cfb.Build(cfb.Stream{Path: "\x05SummaryInformation", Data: []byte("x")}, cfb.Stream{Path: "__properties_version1.0", Data: []byte("data")})
	if doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); err != nil || doc.Format != FormatMSG || len(doc.Review) == 0 {
		t.Errorf("msg: %v, %+v", err, doc)
	}
	// A .doc goes to its reader, which names its format.
	data = cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("data")})
	if _, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); FormatOf(err) != FormatDOC || KindOf(err) != KindCorrupt {
		t.Errorf("doc: %v (%s)", err, FormatOf(err))
	}
	data = cfb.Build(cfb.Stream{Path: "EncryptionInfo", Data: []byte("x")}, cfb.Stream{Path: "EncryptedPackage", Data: []byte("y")})
	if _, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); KindOf(err) != KindEncrypted {
		t.Errorf("encrypted package: %v", err)
	}
	// An encrypted package embedded in a storage does not make the file
	// an encrypted package.
	data = cfb.Build(cfb.Stream{Path: "WordDocument", Data: []byte("x")}, cfb.Stream{Path: "ObjectPool/_1/EncryptedPackage", Data: []byte("y")})
	if _, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); FormatOf(err) != FormatDOC {
		t.Errorf("doc holding an encrypted package: %v (%s)", err, FormatOf(err))
	}
}

func TestUnreadableNames(t *testing.T) {
	for f, want := range map[Format]string{FormatRAR: "RAR archive (.rar)", Format7Z: "7-Zip archive (.7z)"} {
		if err := unreadable(f); KindOf(err) != KindUnsupported || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", f, err)
		}
	}
}
