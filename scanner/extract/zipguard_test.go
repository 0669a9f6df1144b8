package extract

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// rawEntry is a zip entry written as is, with sizes it declares.
type rawEntry struct {
	name         string
	data         []byte // stored bytes (deflated unless method is Store)
	method       uint16
	uncompressed uint64 // declared inflated size
	crc          uint32
}

func buildRawZip(t testing.TB, entries ...rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		f, err := w.CreateRaw(&zip.FileHeader{
			Name:               e.name,
			Method:             e.method,
			CRC32:              e.crc,
			CompressedSize64:   uint64(len(e.data)),
			UncompressedSize64: e.uncompressed,
		})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func deflate(t testing.TB, b []byte) []byte {
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// garbage is not a deflate stream: inflating it fails, so a limit error on an
// entry holding it shows the limit was checked before inflating.
var garbage = []byte("\xFF\xFF\xFF\xFF not deflate")

func TestOpenZipLimits(t *testing.T) {
	many := make([]zipEntry, 10000)
	for i := range many {
		many[i] = zipEntry{fmt.Sprintf("word/media/%d.xml", i), "x"}
	}
	zeros := make([]byte, 8<<20)
	cases := []struct {
		name string
		data []byte
		lim  Limits
		kind Kind
		msg  string
	}{
		{
			name: "huge declared size",
			data: buildRawZip(t, rawEntry{name: "word/document.xml", data: garbage, method: zip.Deflate, uncompressed: 4 << 30}),
			kind: KindLimit,
			msg:  "zip entry 1: declared inflated size 4.0 GB exceeds the limit of 1.0 GB: possible decompression bomb",
		},
		{
			name: "sum of declared sizes",
			data: buildRawZip(t,
				rawEntry{name: "a", data: garbage, method: zip.Deflate, uncompressed: 600 << 20},
				rawEntry{name: "b", data: garbage, method: zip.Deflate, uncompressed: 600 << 20}),
			lim:  Limits{MaxRatio: 1 << 40},
			kind: KindLimit,
			msg:  "declared inflated size 1.2 GB exceeds the limit of 1.0 GB: possible decompression bomb",
		},
		{
			name: "ratio",
			data: buildRawZip(t, rawEntry{name: "word/document.xml", data: deflate(t, zeros), method: zip.Deflate, uncompressed: uint64(len(zeros)), crc: crc32.ChecksumIEEE(zeros)}),
			lim:  Limits{MaxRatio: 100},
			kind: KindLimit,
			msg:  "exceeds the limit of 100:1: possible decompression bomb",
		},
		{
			name: "10,000 entries",
			data: buildZip(t, many...),
			lim:  Limits{MaxEntries: 1000},
			kind: KindLimit,
			msg:  "zip has 10000 entries, over the limit of 1000 (max entries)",
		},
		{
			name: "duplicate entry",
			data: buildZip(t, zipEntry{"word/document.xml", "<decoy/>"}, zipEntry{"word/document.xml", "<real/>"}),
			kind: KindCorrupt,
			msg:  "duplicate zip entry: entry 2 has the name of an earlier one",
		},
		{
			name: "duplicate part name in another case",
			data: buildZip(t, zipEntry{"word/document.xml", "<decoy/>"}, zipEntry{"Word/Document.XML", "<real/>"}),
			kind: KindCorrupt,
			msg:  "duplicate zip entry: entry 2 has the name of an earlier one",
		},
		{
			name: "entry name with escapes is not quoted",
			data: buildZip(t, zipEntry{"a\x1b[31m", ""}, zipEntry{"a\x1b[31m", ""}),
			kind: KindCorrupt,
			msg:  "duplicate zip entry: entry 2 has the name of an earlier one",
		},
		{
			name: "not a zip",
			data: []byte("PK\x03\x04 truncated"),
			kind: KindCorrupt,
			msg:  "damaged zip container",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := openZip(bytes.NewReader(c.data), int64(len(c.data)), c.lim.withDefaults(), true)
			if err == nil || KindOf(err) != c.kind || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("openZip error = %v (%s), want %s containing %q", err, KindOf(err), c.kind, c.msg)
			}
		})
	}
}

func TestOpenZipAcceptsOrdinary(t *testing.T) {
	// A small entry compresses far beyond the ratio limit and is still fine.
	data := buildZip(t, zipEntry{"word/document.xml", strings.Repeat(" ", 100000)}, zipEntry{"Word/other.xml", "x"})
	p, err := openZip(bytes.NewReader(data), int64(len(data)), DefaultLimits(), true)
	if err != nil {
		t.Fatal(err)
	}
	if p.file("WORD/DOCUMENT.xml") == nil {
		t.Error("OPC lookup is not case-insensitive")
	}
	p, err = openZip(bytes.NewReader(data), int64(len(data)), DefaultLimits(), false)
	if err != nil {
		t.Fatal(err)
	}
	if p.file("WORD/DOCUMENT.xml") != nil || p.file("word/document.xml") == nil {
		t.Error("plain zip lookup is not exact")
	}
}

// archive/zip refuses to inflate past an entry's declared size; the guard's
// reader gives that failure a Kind.
func TestEntryPastDeclaredSize(t *testing.T) {
	body := []byte(strings.Repeat("机密", 5000))
	data := buildRawZip(t, rawEntry{name: "word/document.xml", data: deflate(t, body), method: zip.Deflate, uncompressed: 10, crc: crc32.ChecksumIEEE(body)})

	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, rc); err == nil || n > 10 {
		t.Errorf("archive/zip read %d bytes, err %v; want an error within the declared 10 bytes", n, err)
	}

	p, err := openZip(bytes.NewReader(data), int64(len(data)), DefaultLimits(), true)
	if err != nil {
		t.Fatal(err)
	}
	rc, err = p.open(p.file("word/document.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(io.Discard, rc); KindOf(err) != KindCorrupt || n > 10 {
		t.Errorf("guarded read %d bytes, err %v; want a corrupt error within the declared 10 bytes", n, err)
	}
}

// The bounded reader does not rely on archive/zip's check.
func TestBoundedReader(t *testing.T) {
	b := &boundedReader{rc: io.NopCloser(strings.NewReader("0123456789")), label: "entry 1", left: 4}
	n, err := io.Copy(io.Discard, b)
	if KindOf(err) != KindLimit || n > 4 {
		t.Errorf("read %d bytes, err %v; want a limit error within 4 bytes", n, err)
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1000: "1000 B", 1536: "1.5 KB", 1 << 30: "1.0 GB", 4 << 30: "4.0 GB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q, want %q", n, got, want)
		}
	}
}
