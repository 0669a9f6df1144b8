package cfb_test

import (
	"bytes"
	"testing"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

// TestBuildLarge: a file whose FAT needs more than the 109 sectors the
// header names (over 7 MB) is written with DIFAT sectors, and reads back.
func TestBuildLarge(t *testing.T) {
	for _, size := range []int{1 << 10, 8 << 20, 20 << 20} {
		data := bytes.Repeat([]byte("机密★5年"), size/11+1)[:size]
		file := cfb.Build(cfb.Stream{Path: "ObjectPool/_1/Workbook", Data: data}, cfb.Stream{Path: "WordDocument", Data: []byte("x")})
		c, err := cfb.Open(bytes.NewReader(file), int64(len(file)))
		if err != nil {
			t.Fatalf("%d bytes: %v", size, err)
		}
		got, err := c.ReadStream(c.Lookup("ObjectPool", "_1", "Workbook"), 1<<30)
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: read back %d bytes, %v", size, len(got), err)
		}
	}
}

// An embedded object's storage written out as a file of its own keeps its
// class id at the root: it names the program the object is of.
func TestStorageClassID(t *testing.T) {
	data := cfb.Build(cfb.Stream{Path: "ObjectPool/_1/CONTENTS", Data: []byte("x")})
	id := [16]byte{0x40, 0x39, 0x94, 0x11, 0xDE, 0x36, 0xCF, 0x11, 0x95, 0x3E, 0x00, 0xC0, 0xA8, 0x40, 0x29, 0xE9}
	name := []byte("_\x001\x00\x00\x00") // the object's directory entry
	copy(data[bytes.Index(data, name)+80:], id[:])
	f, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	obj := f.Lookup("ObjectPool", "_1")
	if obj == nil || obj.CLSID != id {
		t.Fatalf("entry %+v, want class id % x", obj, id)
	}
	out, err := f.Storage(obj, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	g, err := cfb.Open(bytes.NewReader(out), int64(len(out)))
	if err != nil {
		t.Fatal(err)
	}
	if g.Root().CLSID != id || g.Lookup("CONTENTS") == nil {
		t.Errorf("root class id % x, want % x", g.Root().CLSID, id)
	}
}
