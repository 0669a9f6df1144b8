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

// Objects that no stream names are named by the class id of their root:
// the reason says what program made them, and a format baomi reads whose
// stream is missing is damaged. An empty object says so.
func TestObjectClasses(t *testing.T) {
	for _, o := range objectClasses {
		if classID(o.clsid) == ([16]byte{}) {
			t.Errorf("class id %s does not parse", o.clsid)
		}
	}
	withClass := func(id string, streams ...cfb.Stream) []byte {
		data := cfb.Build(streams...)
		root := bytes.Index(data, []byte("R\x00o\x00o\x00t\x00 \x00E\x00n\x00t\x00r\x00y\x00"))
		c := classID(id)
		copy(data[root+80:], c[:])
		return data
	}
	contents := cfb.Stream{Path: "CONTENTS", Data: []byte("\x00data")}
	cases := []struct {
		name string
		data []byte
		kind Kind
		want string
	}{
		{"Photo Editor", withClass("11943940-36DE-11CF-953E-00C0A84029E9", contents), KindUnsupported, "Microsoft Photo Editor picture: baomi cannot read this format yet"},
		{"OrgPlus", withClass("E4C18D40-1CD5-101C-B325-00AA001F3168", contents), KindUnsupported, "OrgPlus organization chart: baomi cannot read this format yet"},
		{"Photoshop", withClass("3FD07B5F-B17A-4243-949B-94C5A9D2E465", contents), KindUnsupported, "Adobe Photoshop image: baomi cannot read this format yet"},
		{"PowerPoint without its stream", withClass("64818D10-4F9B-11CF-86EA-00AA00B929E8", cfb.Stream{Path: "Current User", Data: []byte("x")}), KindCorrupt, "damaged PowerPoint 97-2003 presentation: the stream that holds its text is missing"},
		{"unknown class", withClass("01234567-89AB-CDEF-0123-456789ABCDEF", contents), KindUnsupported, "OLE compound file (a legacy Office file or another program's object): baomi cannot read this format yet"},
		{"empty", withClass("00000000-0000-0000-0000-000000000000"), KindUnsupported, "empty OLE object: it holds no data (perhaps only a link to a file elsewhere)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := Reader(context.Background(), bytes.NewReader(c.data), int64(len(c.data)), Options{})
			if doc != nil || KindOf(err) != c.kind || FormatOf(err) != FormatOLE || err.Error() != c.want {
				t.Errorf("got %v, %v (%s, %s); want %s %q", doc, err, KindOf(err), FormatOf(err), c.kind, c.want)
			}
		})
	}
}
