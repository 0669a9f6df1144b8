package cfb_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"testing"
	"time"

	"github.com/baomi/baomi/scanner/extract/cfb"
)

func open(t *testing.T, data []byte) *cfb.File {
	t.Helper()
	f, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func kindOf(err error) cfb.Kind {
	var e *cfb.Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return -1
}

func TestStreams(t *testing.T) {
	small := []byte("小流：在迷你流里")
	big := bytes.Repeat([]byte("大流0123456789"), 600) // over the 4096-byte cutoff
	f := open(t, cfb.Build(cfb.Stream{Path: "Small", Data: small}, cfb.Stream{Path: "Big", Data: big}, cfb.Stream{Path: "Empty"}))
	for _, s := range []cfb.Stream{{Path: "small", Data: small}, {Path: "BIG", Data: big}, {Path: "Empty"}} {
		e := f.Lookup(s.Path)
		if e == nil || !e.IsStream() {
			t.Fatalf("stream %s not found", s.Path)
		}
		got, err := f.ReadStream(e, 1<<20)
		if err != nil || !bytes.Equal(got, s.Data) {
			t.Errorf("stream %s: %d bytes, err %v; want %d bytes", s.Path, len(got), err, len(s.Data))
		}
	}
	if _, err := f.ReadStream(f.Lookup("Big"), 100); kindOf(err) != cfb.TooLarge {
		t.Errorf("stream over max: err %v, want TooLarge", err)
	}
}

// Streams are found by their path in the storage tree, not by their name
// anywhere in the directory: an embedded document's WordDocument is not
// the file's own.
func TestTree(t *testing.T) {
	f := open(t, cfb.Build(
		cfb.Stream{Path: "1Table", Data: []byte("table")},
		cfb.Stream{Path: "ObjectPool/_1/WordDocument", Data: []byte("inner doc")},
		cfb.Stream{Path: "ObjectPool/_2/\x01Ole10Native", Data: []byte("packaged")},
		cfb.Stream{Path: "WordDocument", Data: []byte("outer doc")},
	))
	var names []string
	for _, e := range f.Children(f.Root()) {
		names = append(names, e.Name)
	}
	if got := names; len(got) != 3 || got[0] != "1Table" || got[1] != "ObjectPool" || got[2] != "WordDocument" {
		t.Errorf("root holds %q", got)
	}
	pool := f.Lookup("ObjectPool")
	if pool == nil || !pool.IsStorage() || len(f.Children(pool)) != 2 {
		t.Fatalf("ObjectPool = %+v", pool)
	}
	cases := []struct {
		path []string
		want string
	}{
		{[]string{"WordDocument"}, "outer doc"},
		{[]string{"objectpool", "_1", "WordDocument"}, "inner doc"},
		{[]string{"ObjectPool", "_2", "\x01Ole10Native"}, "packaged"},
	}
	for _, c := range cases {
		b, err := f.ReadStream(f.Lookup(c.path...), 1<<20)
		if err != nil || string(b) != c.want {
			t.Errorf("%q = %q, %v; want %q", c.path, b, err, c.want)
		}
	}
	for _, missing := range [][]string{{"_1"}, {"ObjectPool", "WordDocument"}, {"WordDocument", "x"}} {
		if e := f.Lookup(missing...); e != nil {
			t.Errorf("%q found: %+v", missing, e)
		}
	}
}

// Damaged compound files are errors, quickly: a FAT chain that loops, a
// sector past the end, a truncated file, a sibling tree that loops.
func TestDamaged(t *testing.T) {
	good := cfb.Build(cfb.Stream{Path: "Big", Data: bytes.Repeat([]byte{'x'}, 5000)})
	loop := bytes.Clone(good)
	// The stream's chain starts at sector 0; make sector 1 point back to 0.
	fatOff := 512 * (1 + int(binary.LittleEndian.Uint32(loop[0x4C:])))
	binary.LittleEndian.PutUint32(loop[fatOff+4:], 0)
	far := bytes.Clone(good)
	binary.LittleEndian.PutUint32(far[fatOff+4:], 1<<20)
	cases := map[string][]byte{"loop": loop, "sector outside the file": far, "truncated": good[:700]}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			f, err := cfb.Open(bytes.NewReader(data), int64(len(data)))
			if err == nil {
				_, err = f.ReadStream(f.Lookup("Big"), 1<<20)
			}
			if kindOf(err) != cfb.Damaged {
				t.Errorf("err = %v, want Damaged", err)
			}
			if time.Since(start) > time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

// A sibling or child id that points back into the tree is ignored: the
// tree is built, each entry once.
func TestTreeLoops(t *testing.T) {
	data := cfb.Build(cfb.Stream{Path: "A", Data: []byte("a")}, cfb.Stream{Path: "S/B", Data: []byte("b")})
	// Entries: 0 root, 1 A, 2 S, 3 B. Point B's right sibling at S and
	// its left at the root, S's left at A.
	dirOff := 512 * (1 + int(binary.LittleEndian.Uint32(data[0x30:])))
	binary.LittleEndian.PutUint32(data[dirOff+3*128+72:], 2)
	binary.LittleEndian.PutUint32(data[dirOff+3*128+68:], 0)
	binary.LittleEndian.PutUint32(data[dirOff+2*128+68:], 1)
	f := open(t, data)
	if n := len(f.Children(f.Root())); n != 2 {
		t.Errorf("root has %d children, want 2", n)
	}
	if s := f.Lookup("S"); s == nil || len(f.Children(s)) != 1 || f.Lookup("S", "B") == nil {
		t.Errorf("storage S = %+v", s)
	}
}

func TestAllocatedEnd(t *testing.T) {
	data := cfb.Build(cfb.Stream{Path: "Big", Data: bytes.Repeat([]byte{'x'}, 5000)})
	f := open(t, data)
	if got := f.AllocatedEnd(); got != int64(len(data)) {
		t.Errorf("AllocatedEnd = %d, want the file's %d bytes", got, len(data))
	}
}

// Recover reads a damaged file as far as it goes, as LibreOffice does, and
// says so; Open still refuses it. Each case damages a file of one stream
// of 5000 bytes (sectors 0 to 9) and gives the bytes Recover must read.
func TestRecover(t *testing.T) {
	big := bytes.Repeat([]byte("机密★5年"), 500)[:5000]
	good := cfb.Build(cfb.Stream{Path: "Big", Data: big})
	le := binary.LittleEndian
	fatOff := 512 * (1 + int(le.Uint32(good[0x4C:])))
	dirOff := 512 * (1 + int(le.Uint32(good[0x30:])))
	damage := func(f func(b []byte)) []byte {
		b := bytes.Clone(good)
		f(b)
		return b
	}
	cases := []struct {
		name string
		data []byte
		want []byte // what Recover reads: the stream's bytes, then zeros
	}{
		{"stream larger than the file", damage(func(b []byte) { le.PutUint32(b[dirOff+128+120:], 1<<30) }), append(bytes.Clone(big), make([]byte, 120)...)},
		{"chain out of the FAT", damage(func(b []byte) { le.PutUint32(b[fatOff+4*4:], 1<<20) }), big[:5*512]},
		{"loop", damage(func(b []byte) { le.PutUint32(b[fatOff+4*4:], 2) }), big[:5*512]},
		{"sector outside the file", damage(func(b []byte) { le.PutUint32(b[fatOff+4*4:], 100); le.PutUint32(b[fatOff+4*100:], 0xFFFFFFFE) }), append(bytes.Clone(big[:5*512]), make([]byte, 512)...)},
		{"bad sector size", damage(func(b []byte) { b[0x1E] = 7 }), big},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, err := cfb.Open(bytes.NewReader(c.data), int64(len(c.data)))
			if err == nil {
				_, err = f.ReadStream(f.Lookup("Big"), 1<<20)
			}
			if kindOf(err) != cfb.Damaged {
				t.Errorf("Open: err = %v, want Damaged", err)
			}
			f, err = cfb.Recover(bytes.NewReader(c.data), int64(len(c.data)))
			if err != nil {
				t.Fatal(err)
			}
			got, err := f.ReadStream(f.Lookup("Big"), 1<<20)
			if err != nil {
				t.Fatal(err)
			}
			if c.want != nil && !bytes.Equal(got, c.want) {
				t.Errorf("read %d bytes, want %d", len(got), len(c.want))
			}
			if !f.Damaged() || len(f.Review()) != 1 || f.Review()[0] != cfb.DamagedReview {
				t.Errorf("Damaged = %v, Review = %q", f.Damaged(), f.Review())
			}
		})
	}
	f, err := cfb.Recover(bytes.NewReader(good), int64(len(good)))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := f.ReadStream(f.Lookup("Big"), 1<<20); err != nil || !bytes.Equal(got, big) || f.Damaged() || f.Review() != nil {
		t.Errorf("intact file: %d bytes, %v, damaged %v", len(got), err, f.Damaged())
	}
}
