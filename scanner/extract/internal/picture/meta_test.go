package picture

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"slices"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	pt "github.com/baomi/baomi/scanner/extract/internal/picture/picturetest"
)

const marking = "机密★5年"

// gbk is s in GBK, as Chinese Windows writes 8-bit text.
func gbk(t testing.TB, s string) string {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().String(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// deflated is b compressed with zlib, as PNG's zTXt and iTXt hold text.
func deflated(b []byte) []byte {
	var buf bytes.Buffer
	w := zlib.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

// xmpPacket is an XMP packet with a title, a description in attributes'
// shape (a property written as an attribute) and a creation date.
const xmpPacket = `<?xpacket begin="` + "\uFEFF" + `" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/"
 photoshop:Headline="会议纪要" xmp:CreateDate="2026-12-01T10:00:00">
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + marking + `</rdf:li></rdf:Alt></dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>`

// xmpThumb is an XMP packet with a thumbnail (a JPEG in base64) beside
// its title.
const xmpThumb = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:xmpGImg="http://ns.adobe.com/xap/1.0/g/img/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<xmp:Thumbnails><rdf:Alt><rdf:li rdf:parseType="Resource"><xmpGImg:format>JPEG</xmpGImg:format>
<xmpGImg:image>/9j/4AAQSkZJRgABAgEASABIAAD/7QAsUGhvdG9zaG9w</xmpGImg:image></rdf:li></rdf:Alt></xmp:Thumbnails>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">` + marking + `</rdf:li></rdf:Alt></dc:title>
</rdf:Description></rdf:RDF></x:xmpmeta>`

// iptc is an IPTC-NAA dataset holding v, then the bytes of more.
func iptc(record, dataset byte, v string, more ...[]byte) []byte {
	b := append([]byte{0x1C, record, dataset}, byte(len(v)>>8), byte(len(v)))
	b = append(b, v...)
	for _, m := range more {
		b = append(b, m...)
	}
	return b
}

// photoshopIPTC is a JPEG APP13 segment's data: Photoshop's resources, a
// resolution one then the IPTC one holding datasets.
func photoshopIPTC(datasets ...[]byte) []byte {
	b := []byte("Photoshop 3.0\x008BIM\x03\xED\x00\x00\x00\x00\x00\x02\x00\x48")
	var data []byte
	for _, d := range datasets {
		data = append(data, d...)
	}
	b = append(b, "8BIM\x04\x04\x03abc"...) // named "abc": a padded name
	b = binary.BigEndian.AppendUint32(b, uint32(len(data)))
	b = append(b, data...)
	if len(data)%2 == 1 {
		b = append(b, 0)
	}
	return b
}

// exifAPP1 is a JPEG APP1 segment holding the EXIF block b.
func exifAPP1(b []byte) []byte { return pt.Segment(0xE1, append([]byte("Exif\x00\x00"), b...)) }

// gifXMP is a GIF holding packet as Adobe writes it: raw after the
// application's name, then the "magic trailer".
func gifXMP(t testing.TB, packet string) []byte {
	g := pt.GIFWith(t, 8, 8)
	ext := append([]byte{0x21, 0xFF, 0x0B}, "XMP DataXMP"+packet...)
	ext = append(ext, 0x01)
	for c := 0xFF; c >= 0; c-- {
		ext = append(ext, byte(c))
	}
	ext = append(ext, 0)
	return append(append(g[:len(g)-1:len(g)-1], ext...), 0x3B)
}

// Each kind of metadata text comes out, decoded; camera data does not.
func TestMeta(t *testing.T) {
	le, be := binary.LittleEndian, binary.BigEndian
	camera := []pt.Tag{pt.ASCII(0x010F, "Canon"), pt.ASCII(0x0110, "Canon EOS 5D"), pt.ASCII(0x0132, "2026:12:01 10:00:00")}
	utf16be := []byte("UNICODE\x00")
	for _, r := range marking {
		utf16be = binary.BigEndian.AppendUint16(utf16be, uint16(r))
	}
	inHeader := pt.EXIF(le, []pt.Tag{pt.ASCII(0x010E, marking), pt.XP(0x9C9C, "备注")}, nil)
	le.PutUint32(inHeader[8+2+12+8:], 0) // the XP tag's value: at 0, where the header is
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"JPEG COM", pt.JPEG(t, 8, 8, pt.Segment(0xFE, []byte(marking))), []string{marking}},
		{"JPEG COM GBK", pt.JPEG(t, 8, 8, pt.Segment(0xFE, []byte(gbk(t, marking)))), []string{marking}},
		{"EXIF XP tags", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(le, []pt.Tag{
			pt.XP(0x9C9B, marking), pt.XP(0x9C9C, "备注"), pt.XP(0x9C9D, "张三"), pt.XP(0x9C9E, "关键词"), pt.XP(0x9C9F, "主题")}, nil))),
			[]string{marking, "备注", "张三", "关键词", "主题"}},
		{"EXIF ASCII tags", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(be, append(camera,
			pt.ASCII(0x010D, "文件名"), pt.ASCII(0x010E, gbk(t, marking)), pt.ASCII(0x013B, "李四"),
			pt.Tag{ID: 0x8298, Type: 2, Value: []byte("摄影\x00编辑\x00")}), nil))),
			[]string{"文件名", marking, "李四", "摄影", "编辑"}},
		{"UserComment ASCII", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(le, camera, []pt.Tag{{ID: 0x9286, Type: 7, Value: []byte("ASCII\x00\x00\x00" + gbk(t, marking))}}))),
			[]string{marking}},
		{"UserComment UNICODE", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(be, nil, []pt.Tag{{ID: 0x9286, Type: 7, Value: utf16be}}))), []string{marking}},
		{"UserComment JIS", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(le, nil, []pt.Tag{{ID: 0x9286, Type: 7, Value: []byte("JIS\x00\x00\x00\x00\x00\x1b$B5!L)\x1b(B")}}))),
			[]string{"機密"}},
		{"UserComment blank", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(le, nil, []pt.Tag{{ID: 0x9286, Type: 7, Value: []byte("\x00\x00\x00\x00\x00\x00\x00\x00        ")}}))), nil},
		{"camera only", pt.JPEG(t, 8, 8, exifAPP1(pt.EXIF(le, camera, []pt.Tag{{ID: 0x9286, Type: 7, Value: []byte("ASCII\x00\x00\x00123")}}))), nil},
		{"JPEG XMP", pt.JPEG(t, 8, 8, pt.Segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+xmpPacket+"\x00\x00"))), []string{"会议纪要", marking}},
		{"PNG tEXt", pt.PNGWith(t, 8, 8, pt.Chunk("tEXt", []byte("Title\x00"+marking)), pt.Chunk("tEXt", []byte("Creation Time\x002026-12-01"))),
			[]string{"Title: " + marking}},
		{"PNG tEXt GBK", pt.PNGWith(t, 8, 8, pt.Chunk("tEXt", []byte("Comment\x00"+gbk(t, marking)))), []string{"Comment: " + marking}},
		{"PNG zTXt", pt.PNGWith(t, 8, 8, pt.Chunk("zTXt", append([]byte("Description\x00\x00"), deflated([]byte(marking))...))),
			[]string{"Description: " + marking}},
		{"PNG iTXt compressed", pt.PNGWith(t, 8, 8, pt.Chunk("iTXt", append([]byte("Title\x00\x01\x00zh-CN\x00标题\x00"), deflated([]byte(marking))...))),
			[]string{"标题", "Title: " + marking}},
		{"PNG iTXt XMP", pt.PNGWith(t, 8, 8, pt.Chunk("iTXt", []byte("XML:com.adobe.xmp\x00\x00\x00\x00\x00"+xmpPacket))), []string{"会议纪要", marking}},
		{"PNG eXIf", pt.PNGWith(t, 8, 8, pt.Chunk("eXIf", pt.EXIF(le, []pt.Tag{pt.XP(0x9C9B, marking)}, nil))), []string{marking}},
		{"GIF comment", pt.GIFWith(t, 8, 8, append([]byte{0xFE}, marking...)), []string{marking}},
		{"GIF XMP", gifXMP(t, xmpPacket), []string{"会议纪要", marking}},
		{"WebP", pt.WebP([2]string{"VP8X", "\x2c\x00\x00\x00\x07\x00\x00\x07\x00\x00"}, [2]string{"EXIF", string(pt.EXIF(le, []pt.Tag{pt.ASCII(0x010E, "图说")}, nil))},
			[2]string{"XMP ", xmpPacket}), []string{"图说", "会议纪要", marking}},
		{"TIFF", pt.EXIF(be, []pt.Tag{pt.ASCII(0x010E, marking), pt.XP(0x9C9B, marking)}, []pt.Tag{{ID: 0x9286, Type: 7, Value: []byte("ASCII\x00\x00\x00abc")}}),
			[]string{marking, "abc"}},
		{"value in the header", pt.JPEG(t, 8, 8, exifAPP1(inHeader)), []string{marking}},
		{"JPEG IPTC", pt.JPEG(t, 8, 8, pt.Segment(0xED, photoshopIPTC(iptc(2, 5, marking), iptc(2, 55, "20261201"), iptc(2, 120, gbk(t, "说明"))))),
			[]string{marking, "说明"}},
		{"TIFF IPTC", pt.EXIF(le, []pt.Tag{{ID: 0x83BB, Type: 7, Value: iptc(1, 90, "\x1b%G", iptc(2, 25, marking))}}, nil), []string{marking}},
		{"XMP thumbnail", pt.JPEG(t, 8, 8, pt.Segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+xmpThumb))), []string{marking}},
		{"trailing NUL", pt.PNGWith(t, 8, 8, pt.Chunk("tEXt", []byte("Software\x00QuickTime\x00"))), []string{"Software: QuickTime"}},
		{"TIFF XMP", pt.EXIF(le, []pt.Tag{{ID: 0x02BC, Type: 1, Value: []byte(xmpPacket)}}, nil), []string{"会议纪要", marking}},
		{"BMP", pt.BMP(t, 8, 8), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, damaged := Meta(tt.data)
			if !slices.Equal(lines, tt.want) || damaged {
				t.Errorf("Meta = %q, damaged %v; want %q", lines, damaged, tt.want)
			}
		})
	}
}

// Damaged metadata: what can be read is, the damage is said, and nothing
// loops or panics.
func TestMetaDamaged(t *testing.T) {
	le := binary.LittleEndian
	good := pt.EXIF(le, []pt.Tag{pt.ASCII(0x010E, marking)}, nil)
	loop := bytes.Clone(good)
	le.PutUint32(loop[8+2+12:], 8) // IFD0's next IFD: itself
	past := pt.EXIF(le, []pt.Tag{pt.ASCII(0x010E, marking), pt.XP(0x9C9B, "标题")}, nil)
	le.PutUint32(past[8+2+12+8:], 1<<30) // the XP tag's value: far past the end
	huge := pt.EXIF(le, []pt.Tag{pt.ASCII(0x010E, marking)}, nil)
	le.PutUint16(huge[8:], 0xFFFF) // 65535 entries
	badSub := pt.EXIF(le, []pt.Tag{pt.ASCII(0x010E, marking)}, []pt.Tag{})
	le.PutUint32(badSub[8+2+12+8:], 1<<31) // the Exif sub-IFD: past the end
	cutAPP1 := exifAPP1(good)
	gifCut := pt.GIFWith(t, 8, 8, append([]byte{0xFE}, marking...))
	gifCut = gifCut[:len(gifCut)-5] // in the comment
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"IFD loop", pt.JPEG(t, 8, 8, exifAPP1(loop)), []string{marking}},
		{"value past the end", pt.JPEG(t, 8, 8, exifAPP1(past)), []string{marking}},
		{"huge count", pt.JPEG(t, 8, 8, exifAPP1(huge)), nil},
		{"sub-IFD past the end", pt.JPEG(t, 8, 8, exifAPP1(badSub)), []string{marking}},
		{"EXIF cut", pt.JPEG(t, 8, 8, exifAPP1(good[:20])), nil},
		{"APP1 cut", append([]byte{0xFF, 0xD8}, cutAPP1[:len(cutAPP1)-10]...), nil},
		{"not TIFF", pt.JPEG(t, 8, 8, pt.Segment(0xE1, []byte("Exif\x00\x00garbage!"))), nil},
		{"zTXt bad", pt.PNGWith(t, 8, 8, pt.Chunk("tEXt", []byte("Title\x00"+marking)), pt.Chunk("zTXt", []byte("Title\x00\x00not zlib"))), []string{"Title: " + marking}},
		{"PNG cut", pt.PNGWith(t, 8, 8, pt.Chunk("tEXt", []byte("Title\x00"+marking)))[:55], nil},
		{"XMP cut", pt.JPEG(t, 8, 8, pt.Segment(0xE1, []byte("http://ns.adobe.com/xap/1.0/\x00"+xmpPacket[:len(xmpPacket)-60]))), []string{"会议纪要", marking}},
		{"GIF cut", gifCut, nil},
		{"IPTC cut", pt.JPEG(t, 8, 8, pt.Segment(0xED, photoshopIPTC(iptc(2, 5, marking))[:40])), nil},
		{"WebP cut", pt.WebP([2]string{"XMP ", xmpPacket})[:100], nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines, damaged := Meta(tt.data)
			if !slices.Equal(lines, tt.want) || !damaged {
				t.Errorf("Meta = %q, damaged %v; want %q, damaged", lines, damaged, tt.want)
			}
		})
	}
}

// The bounds: at most maxMetaValues values are kept, and reaching it is
// damage.
func TestMetaBound(t *testing.T) {
	var chunks [][]byte
	for i := range maxMetaValues + 10 {
		chunks = append(chunks, pt.Chunk("tEXt", []byte("K\x00v"+string(rune('一'+i)))))
	}
	lines, damaged := Meta(pt.PNGWith(t, 8, 8, chunks...))
	if len(lines) != maxMetaValues || !damaged {
		t.Errorf("%d lines, damaged %v; want %d, damaged", len(lines), damaged, maxMetaValues)
	}
}

// A picture cut short outside its metadata, or a TIFF file whose chain of
// pages is broken, is no damaged metadata: decoding it says the picture
// is damaged, once.
func TestMetaNotDamaged(t *testing.T) {
	jpg := pt.JPEG(t, 8, 8, pt.Segment(0xFE, []byte(marking)))
	png := pt.PNGWith(t, 8, 8, pt.Chunk("tEXt", []byte("Title\x00"+marking)))
	tiff := pt.EXIF(binary.LittleEndian, []pt.Tag{pt.ASCII(0x010E, marking)}, nil)
	binary.LittleEndian.PutUint32(tiff[8+2+12:], 8) // the next page: itself
	tests := []struct {
		name string
		data []byte
		want []string
	}{
		{"JPEG cut in its pixels", jpg[:len(jpg)-100], []string{marking}},
		{"PNG without IEND", png[:len(png)-12], []string{"Title: " + marking}},
		{"PNG cut in its pixels", png[:len(png)-20], []string{"Title: " + marking}},
		{"GIF header cut", []byte("GIF89a"), nil},
		{"GIF without trailer", pt.GIFWith(t, 8, 8, append([]byte{0xFE}, marking...))[:20], nil},
		{"TIFF loop", tiff, []string{marking}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if lines, damaged := Meta(tt.data); !slices.Equal(lines, tt.want) || damaged {
				t.Errorf("Meta = %q, damaged %v; want %q", lines, damaged, tt.want)
			}
		})
	}
}

// BenchmarkMeta reads the metadata of an A4 page scanned at 300 dpi: a
// PNG (its chunks walked past the pixels) and a JPEG (its segments, up to
// the scan).
func BenchmarkMeta(b *testing.B) {
	exif := exifAPP1(pt.EXIF(binary.LittleEndian, []pt.Tag{pt.XP(0x9C9B, marking)}, nil))
	for _, c := range []struct {
		name string
		data []byte
	}{
		{"PNG", pt.PNGWith(b, 2480, 3508, pt.Chunk("tEXt", []byte("Title\x00"+marking)))},
		{"JPEG", pt.JPEG(b, 2480, 3508, exif)},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if lines, _ := Meta(c.data); len(lines) != 1 {
					b.Fatal(lines)
				}
			}
		})
	}
}
