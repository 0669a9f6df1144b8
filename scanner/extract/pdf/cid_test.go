package pdf

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerateCIDTables writes cid.bin from Adobe's Adobe-*-UCS2
// CMaps when PDF_CMAP_DIR names their folder (poppler-data's
// share/poppler/cMap); otherwise it checks a few entries of the table.
func TestGenerateCIDTables(t *testing.T) {
	dir := os.Getenv("PDF_CMAP_DIR")
	if dir == "" {
		cases := []struct {
			ord  string
			cid  uint32
			want rune
		}{
			{"GB1", 0x080f, '机'}, {"GB1", 0x0ae1, '密'}, {"Japan1", 0x0cd4, '日'}, {"Korea1", 0x0989, '안'},
			{"CNS1", 0x0295, '中'}, {"GB1", 1, ' '}, {"GB1", 1 << 20, 0}, {"X", 1, 0},
		}
		for _, c := range cases {
			if got := cidToUnicode(c.ord, c.cid); got != c.want {
				t.Errorf("cidToUnicode(%s, %d) = %q, want %q", c.ord, c.cid, got, c.want)
			}
		}
		return
	}
	var raw bytes.Buffer
	put := func(v uint64) { raw.Write(binary.AppendUvarint(nil, v)) }
	for _, ord := range cidOrderings {
		data, err := os.ReadFile(filepath.Join(dir, "Adobe-"+ord, "Adobe-"+ord+"-UCS2"))
		if err != nil {
			t.Fatal(err)
		}
		c := parseCMap(data)
		var m []rune
		for cid := uint32(0); cid < 1<<16; cid++ {
			s, ok := c.lookup(cid)
			r := []rune(s)
			if !ok || len(r) != 1 || r[0] == 0xfffd {
				r = []rune{0}
			}
			m = append(m, r[0])
		}
		for len(m) > 0 && m[len(m)-1] == 0 {
			m = m[:len(m)-1]
		}
		type run struct{ gap, n, r uint64 }
		var runs []run
		next := uint64(0)
		for i := 0; i < len(m); {
			if m[i] == 0 {
				i++
				continue
			}
			j := i + 1
			for j < len(m) && m[j] == m[j-1]+1 {
				j++
			}
			runs = append(runs, run{uint64(i) - next, uint64(j - i), uint64(m[i])})
			next = uint64(j)
			i = j
		}
		put(uint64(len(runs)))
		for _, r := range runs {
			put(r.gap)
			put(r.n)
			put(r.r)
		}
	}
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, gzip.BestCompression)
	zw.Write(raw.Bytes())
	zw.Close()
	if err := os.WriteFile("cid.bin", out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("cid.bin: %d bytes (%d raw)", out.Len(), raw.Len())
}
