package extract

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"

	"github.com/baomi/baomi/scanner/extract/internal/humanize"
)

func TestOpenZipLimits(t *testing.T) {
	many := make([]zipEntry, 10000)
	for i := range many {
		many[i] = zipEntry{fmt.Sprintf("word/media/%d.xml", i), "x"}
	}
	zeros := make([]byte, 8<<20)
	cases := []struct {
		name string
		data []byte
		opt  Options
		kind Kind
		msg  string
	}{
		{
			name: "huge declared size",
			data: buildRawZip(t, rawEntry{Name: "word/document.xml", Data: garbage, Method: zip.Deflate, Uncompressed: 4 << 30}),
			kind: KindLimit,
			msg:  "zip entry 1: declared inflated size 4.0 GB exceeds the limit of 1.0 GB: possible decompression bomb",
		},
		{
			name: "sum of declared sizes",
			data: buildRawZip(t,
				rawEntry{Name: "a", Data: garbage, Method: zip.Deflate, Uncompressed: 600 << 20},
				rawEntry{Name: "b", Data: garbage, Method: zip.Deflate, Uncompressed: 600 << 20}),
			opt:  Options{MaxRatio: 1 << 40},
			kind: KindLimit,
			msg:  "declared inflated size 1.2 GB exceeds the limit of 1.0 GB: possible decompression bomb",
		},
		{
			name: "ratio",
			data: buildRawZip(t, rawEntry{Name: "word/document.xml", Data: deflate(t, zeros), Method: zip.Deflate, Uncompressed: uint64(len(zeros)), CRC: crc32.ChecksumIEEE(zeros)}),
			opt:  Options{MaxRatio: 100},
			kind: KindLimit,
			msg:  "exceeds the limit of 100:1: possible decompression bomb",
		},
		{
			name: "10,000 entries",
			data: buildZip(t, many...),
			opt:  Options{MaxEntries: 1000},
			kind: KindLimit,
			msg:  "zip has 10000 entries, over the limit of 1000 (max entries)",
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
			_, err := openZip(bytes.NewReader(c.data), int64(len(c.data)), c.opt.WithDefaults(), true)
			if err == nil || KindOf(err) != c.kind || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("openZip error = %v (%s), want %s containing %q", err, KindOf(err), c.kind, c.msg)
			}
		})
	}
}

func TestOpenZipAcceptsOrdinary(t *testing.T) {
	// A small entry compresses far beyond the ratio limit and is still fine.
	data := buildZip(t, zipEntry{"word/document.xml", strings.Repeat(" ", 100000)}, zipEntry{"Word/other.xml", "x"})
	p, err := openZip(bytes.NewReader(data), int64(len(data)), DefaultOptions(), true)
	if err != nil {
		t.Fatal(err)
	}
	if p.file("WORD/DOCUMENT.xml") == nil {
		t.Error("OPC lookup is not case-insensitive")
	}
	p, err = openZip(bytes.NewReader(data), int64(len(data)), DefaultOptions(), false)
	if err != nil {
		t.Fatal(err)
	}
	if p.file("WORD/DOCUMENT.xml") != nil || p.file("word/document.xml") == nil {
		t.Error("plain zip lookup is not exact")
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[uint64]string{0: "0 B", 1000: "1000 B", 1536: "1.5 KB", 1 << 30: "1.0 GB", 4 << 30: "4.0 GB"} {
		if got := humanize.Bytes(n); got != want {
			t.Errorf("humanize.Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

// readAll opens the entry called name through the guard and reads it.
func readAll(t *testing.T, data []byte, opt Options, name string) ([]byte, error) {
	t.Helper()
	p, err := openZip(bytes.NewReader(data), int64(len(data)), opt.WithDefaults(), false)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := p.open(p.file(name))
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// Entries are read whole whatever inflated size they declare: archive/zip's
// Open fails on each of these.
func TestOpenEntryDeclaredSizes(t *testing.T) {
	body := strings.Repeat("机密★5年。", 3000)
	for _, method := range []uint16{zip.Store, zip.Deflate} {
		for _, declared := range []uint64{0, 10, uint64(len(body)) - 1, uint64(len(body)) + 1, 3 * uint64(len(body))} {
			t.Run(fmt.Sprintf("method %d declares %d", method, declared), func(t *testing.T) {
				data := buildRawZip(t, lying(t, zipEntry{"a.txt", body}, method, declared))
				got, err := readAll(t, data, Options{}, "a.txt")
				if err != nil || string(got) != body {
					t.Errorf("read %d bytes, err %v; want the %d bytes of the entry", len(got), err, len(body))
				}
			})
		}
	}
}

// The limits count the bytes that come out, not the sizes entries declare.
func TestOpenEntryLimits(t *testing.T) {
	zeros := strings.Repeat("\x00", 8<<20)
	text := strings.Repeat("机密", 300000) // 1.8 MB, compresses about 1000:1
	cases := []struct {
		name string
		data []byte
		opt  Options
		kind Kind
		msg  string
	}{
		{
			name: "bomb declaring 0 bytes",
			data: buildRawZip(t, lying(t, zipEntry{"a.txt", zeros}, zip.Deflate, 0)),
			opt:  Options{MaxInflated: 4 << 20, MaxRatio: 1 << 40},
			kind: KindLimit,
			msg:  "zip entries inflate past the limit of 4.0 MB: possible decompression bomb",
		},
		{
			name: "bomb declaring a small size",
			data: buildRawZip(t, lying(t, zipEntry{"a.txt", zeros}, zip.Deflate, 1000)),
			opt:  Options{MaxInflated: 4 << 20, MaxRatio: 1 << 40},
			kind: KindLimit,
			msg:  "zip entries inflate past the limit of 4.0 MB: possible decompression bomb",
		},
		{
			name: "ratio of the real bytes",
			data: buildRawZip(t, lying(t, zipEntry{"a.txt", text}, zip.Deflate, 0)),
			opt:  Options{MaxRatio: 100},
			kind: KindLimit,
			msg:  "a zip entry inflates at a ratio over 100:1, the limit: possible decompression bomb",
		},
		{
			name: "checksum",
			data: buildRawZip(t, rawEntry{Name: "a.txt", Data: deflate(t, []byte("机密")), Method: zip.Deflate, CRC: 1}),
			kind: KindCorrupt,
			msg:  "damaged zip entry 1: checksum mismatch",
		},
		{
			name: "stored size cut short",
			data: buildRawZip(t, rawEntry{Name: "a.txt", Data: []byte("机密"), Method: zip.Store, Uncompressed: 6, CRC: crc32.ChecksumIEEE([]byte("机密★"))}),
			kind: KindCorrupt,
			msg:  "damaged zip entry 1: checksum mismatch",
		},
		{
			name: "not deflate",
			data: buildRawZip(t, rawEntry{Name: "a.txt", Data: garbage, Method: zip.Deflate}),
			kind: KindCorrupt,
			msg:  "damaged zip entry 1: corrupt compressed data",
		},
		{
			name: "other method",
			data: buildRawZip(t, rawEntry{Name: "a.txt", Data: garbage, Method: 14}),
			kind: KindUnsupported,
			msg:  "zip entry 1 is compressed with method 14, which baomi cannot read",
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := readAll(t, c.data, c.opt, "a.txt")
			if KindOf(err) != c.kind || err == nil || !strings.Contains(err.Error(), c.msg) {
				t.Errorf("read %d bytes, err %v (%s); want %s containing %q", len(got), err, KindOf(err), c.kind, c.msg)
			}
		})
	}
	t.Run("total over entries", func(t *testing.T) {
		half := zipEntry{"a.txt", zeros[:3<<20]}
		data := buildRawZip(t, lying(t, half, zip.Deflate, 0), lying(t, zipEntry{"b.txt", half.Body()}, zip.Deflate, 0))
		p, err := openZip(bytes.NewReader(data), int64(len(data)), Options{MaxInflated: 4 << 20, MaxRatio: 1 << 40}.WithDefaults(), false)
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range p.zr.File {
			_, err := readEntry(p, f)
			if want := i == 1; (KindOf(err) == KindLimit && err != nil) != want {
				t.Errorf("entry %d: err %v, want a limit error: %v", i, err, want)
			}
		}
	})
}

// A name that the package holds twice reads as both entries, in order.
func TestOpenDuplicateNames(t *testing.T) {
	data := buildZip(t, zipEntry{"word/document.xml", "<decoy/>"}, zipEntry{"x", "-"}, zipEntry{"Word/Document.XML", "<real/>"})
	p, err := openZip(bytes.NewReader(data), int64(len(data)), DefaultOptions(), true)
	if err != nil {
		t.Fatal(err)
	}
	if p.copies("word/document.xml") != 2 || p.later(p.zr.File[0]) || !p.later(p.zr.File[2]) {
		t.Errorf("copies %d, later %v %v", p.copies("word/document.xml"), p.later(p.zr.File[0]), p.later(p.zr.File[2]))
	}
	for _, c := range []struct {
		f    *zip.File
		want string
	}{{p.file("WORD/document.xml"), "<decoy/><real/>"}, {p.zr.File[2], "<real/>"}} {
		rc, err := p.open(c.f)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		if err != nil || string(got) != c.want {
			t.Errorf("open(%s) read %q, err %v; want %q", c.f.Name, got, err, c.want)
		}
	}
}
