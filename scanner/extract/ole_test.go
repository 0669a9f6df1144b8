package extract

import (
	"bytes"
	"context"
	"encoding/binary"
	"strings"
	"testing"
	"time"
)

type cfbStreamSpec struct {
	name string
	data []byte
}

// buildCFB writes a version 3 compound file (512-byte sectors) whose root
// holds the given streams: those shorter than 4096 bytes in the mini
// stream, the others in sectors of their own, as real writers do.
func buildCFB(streams ...cfbStreamSpec) []byte {
	const sec, free, end, fatSect = 512, 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
	var sectors [][]byte
	var fat []uint32
	alloc := func(data []byte) uint32 { // a chain of new sectors holding data
		if len(data) == 0 {
			return end
		}
		first := uint32(len(sectors))
		for off := 0; off < len(data); off += sec {
			s := make([]byte, sec)
			copy(s, data[off:])
			sectors = append(sectors, s)
			fat = append(fat, uint32(len(sectors)))
		}
		fat[len(fat)-1] = end
		return first
	}
	var mini []byte
	var minifat []uint32
	starts := make([]uint32, len(streams))
	for i, s := range streams {
		if len(s.data) >= 4096 {
			starts[i] = alloc(s.data)
			continue
		}
		starts[i] = uint32(len(mini) / 64)
		for off := 0; off < len(s.data); off += 64 {
			b := make([]byte, 64)
			copy(b, s.data[off:])
			mini = append(mini, b...)
			minifat = append(minifat, uint32(len(mini)/64))
		}
		minifat[len(minifat)-1] = end
	}
	miniStart := alloc(mini)
	var mf []byte
	for _, v := range minifat {
		mf = binary.LittleEndian.AppendUint32(mf, v)
	}
	mfStart := alloc(mf)
	dir := make([]byte, 128*(len(streams)+1))
	entry := func(i int, name string, typ byte, start uint32, size int, child, right uint32) {
		e := dir[128*i:]
		copy(e, utf16LE(name))
		binary.LittleEndian.PutUint16(e[64:], uint16(2*len(name)+2))
		e[66], e[67] = typ, 1
		binary.LittleEndian.PutUint32(e[68:], free)
		binary.LittleEndian.PutUint32(e[72:], right)
		binary.LittleEndian.PutUint32(e[76:], child)
		binary.LittleEndian.PutUint32(e[116:], start)
		binary.LittleEndian.PutUint32(e[120:], uint32(size))
	}
	entry(0, "Root Entry", cfbRoot, miniStart, len(mini), 1, free)
	for i, s := range streams {
		right := uint32(i + 2)
		if i == len(streams)-1 {
			right = free
		}
		entry(i+1, s.name, cfbStream, starts[i], len(s.data), free, right)
	}
	dirStart := alloc(dir)
	// The FAT covers itself: one FAT sector maps 128 sectors.
	nFAT := (len(sectors) + 127) / 128
	for (len(sectors)+nFAT+127)/128 > nFAT {
		nFAT++
	}
	fatStart := uint32(len(sectors))
	for range nFAT {
		sectors = append(sectors, nil)
		fat = append(fat, fatSect)
	}
	for len(fat)%128 != 0 {
		fat = append(fat, free)
	}
	for i := range nFAT {
		s := make([]byte, sec)
		for j := range 128 {
			binary.LittleEndian.PutUint32(s[4*j:], fat[128*i+j])
		}
		sectors[int(fatStart)+i] = s
	}
	hdr := make([]byte, sec)
	copy(hdr, cfbSignature)
	binary.LittleEndian.PutUint16(hdr[0x18:], 0x3E)
	binary.LittleEndian.PutUint16(hdr[0x1A:], 3)
	binary.LittleEndian.PutUint16(hdr[0x1C:], 0xFFFE)
	binary.LittleEndian.PutUint16(hdr[0x1E:], 9)
	binary.LittleEndian.PutUint16(hdr[0x20:], 6)
	binary.LittleEndian.PutUint32(hdr[0x2C:], uint32(nFAT))
	binary.LittleEndian.PutUint32(hdr[0x30:], dirStart)
	binary.LittleEndian.PutUint32(hdr[0x38:], 4096)
	binary.LittleEndian.PutUint32(hdr[0x3C:], mfStart)
	binary.LittleEndian.PutUint32(hdr[0x40:], uint32((len(mf)+sec-1)/sec))
	binary.LittleEndian.PutUint32(hdr[0x44:], end)
	for i := range cfbHeaderFAT {
		v := uint32(free)
		if i < nFAT {
			v = fatStart + uint32(i)
		}
		binary.LittleEndian.PutUint32(hdr[0x4C+4*i:], v)
	}
	out := hdr
	for _, s := range sectors {
		out = append(out, s...)
	}
	return out
}

func TestCFBStreams(t *testing.T) {
	small := []byte("小流：在迷你流里")
	big := bytes.Repeat([]byte("大流0123456789"), 600) // over the 4096-byte cutoff
	data := buildCFB(cfbStreamSpec{"Small", small}, cfbStreamSpec{"Big", big}, cfbStreamSpec{"Empty", nil})
	c, err := openCFB(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []cfbStreamSpec{{"small", small}, {"BIG", big}, {"Empty", nil}} {
		e := c.find(s.name)
		if e == nil {
			t.Fatalf("stream %s not found", s.name)
		}
		got, err := c.stream(e, 1<<20)
		if err != nil || !bytes.Equal(got, s.data) {
			t.Errorf("stream %s: %d bytes, err %v; want %d bytes", s.name, len(got), err, len(s.data))
		}
	}
	if _, err := c.stream(c.find("Big"), 100); KindOf(err) != KindLimit {
		t.Errorf("stream over max: err %v, want a limit error", err)
	}
}

// Damaged compound files are errors, quickly: a FAT chain that loops, a
// sector past the end, a truncated file.
func TestCFBDamaged(t *testing.T) {
	good := buildCFB(cfbStreamSpec{"Big", bytes.Repeat([]byte{'x'}, 5000)})
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
			c, err := openCFB(bytes.NewReader(data), int64(len(data)))
			if err == nil {
				_, err = c.stream(c.find("Big"), 1<<20)
			}
			if KindOf(err) != KindCorrupt {
				t.Errorf("err = %v, want a corrupt error", err)
			}
			if time.Since(start) > time.Second {
				t.Errorf("took %v", time.Since(start))
			}
		})
	}
}

// Legacy Office files are named by their streams in the verdict's reason
// and format.
func TestExtractOLE(t *testing.T) {
	cases := []struct {
		stream string
		format Format
		reason string
	}{
		{"WordDocument", FormatDOC, "Word 97-2003 or WPS Writer document (.doc/.wps): baomi cannot read this format yet"},
		{"Workbook", FormatXLS, "(.xls/.et)"},
		{"Book", FormatXLS, "(.xls/.et)"},
		{"PowerPoint Document", FormatPPT, "(.ppt/.dps)"},
		{"__properties_version1.0", FormatOLE, "Outlook message (.msg)"},
		{"Equation Native", FormatOLE, "OLE compound file"},
	}
	for _, c := range cases {
		t.Run(c.stream, func(t *testing.T) {
			data := buildCFB(cfbStreamSpec{"\x05SummaryInformation", []byte("x")}, cfbStreamSpec{c.stream, []byte("data")})
			doc, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{})
			if doc != nil || KindOf(err) != KindUnsupported || FormatOf(err) != c.format || !strings.Contains(err.Error(), c.reason) {
				t.Errorf("got %v (%s, %s), want %s %q", err, KindOf(err), FormatOf(err), c.format, c.reason)
			}
		})
	}
	data := buildCFB(cfbStreamSpec{"EncryptionInfo", []byte("x")}, cfbStreamSpec{"EncryptedPackage", []byte("y")})
	if _, err := Reader(context.Background(), bytes.NewReader(data), int64(len(data)), Options{}); KindOf(err) != KindEncrypted {
		t.Errorf("encrypted package: %v", err)
	}
}

func TestUnreadableNames(t *testing.T) {
	for f, want := range map[Format]string{FormatRAR: "RAR archive (.rar)", Format7Z: "7-Zip archive (.7z)", FormatRTF: "(.rtf)"} {
		if err := unreadable(f); KindOf(err) != KindUnsupported || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v", f, err)
		}
	}
}
