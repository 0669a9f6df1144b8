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
