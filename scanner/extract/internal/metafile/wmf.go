package metafile

// WMF record functions read ([MS-WMF] 2.1.1.1).
const (
	metaEOF                  = 0x0000
	metaSelectObject         = 0x012D
	metaDeleteObject         = 0x01F0
	metaTextOut              = 0x0521
	metaExtTextOut           = 0x0A32
	metaCreateFontIndirect   = 0x02FB
	metaDIBBitBlt            = 0x0940
	metaDIBStretchBlt        = 0x0B41
	metaStretchDIB           = 0x0F43
	metaSetDIBToDev          = 0x0D33
	placeableKey             = 0x9AC6CDD7
	etoOpaque, etoClipped    = 0x0002, 0x0004
	maxObjects               = 1 << 16 // object indexes are 16-bit
	wmfHeader, placeableSize = 18, 22
)

// wmfCreates are the records that create an object: each takes the first
// free place of the object table, which META_SELECTOBJECT names.
var wmfCreates = map[uint16]bool{
	0x02FA: true, metaCreateFontIndirect: true, 0x02FC: true, 0x00F7: true,
	0x01F9: true, 0x0142: true, 0x06FF: true,
}

// wmf is the state of the walk of a WMF.
type wmf struct {
	text    lines
	objects []int // the character set of each object (-1 for one that is no font), -2 for a free place
	charset byte
	bitmaps [][]byte
}

// readWMF walks the records of a WMF, with or without its placeable
// header: text and bitmaps.
func readWMF(data []byte) (Metafile, error) {
	w := wmf{charset: 1}
	off := 0
	if le.Uint32(data) == placeableKey {
		off = placeableSize
	}
	if len(data)-off < wmfHeader {
		return Metafile{}, damaged("WMF")
	}
	off += int(le.Uint16(data[off+2:])) * 2 // HeaderSize, in 16-bit words
	var err error
	for n := 0; ; n++ {
		if n == maxRecords || off > len(data) || len(data)-off < 6 {
			err = damaged("WMF")
			break
		}
		size := 2 * uint64(le.Uint32(data[off:])) // RecordSize, in words
		fn := le.Uint16(data[off+4:])
		if size < 6 || size > uint64(len(data)-off) {
			err = damaged("WMF")
			break
		}
		rec := data[off : off+int(size)]
		off += int(size)
		if fn == metaEOF {
			break
		}
		w.record(fn, rec)
	}
	return Metafile{Text: w.text.String(), Bitmaps: w.bitmaps}, err
}

// u16 returns the 16-bit number at off in rec, 0 when it is not in it.
func u16(rec []byte, off int) uint16 {
	if off+2 > len(rec) {
		return 0
	}
	return le.Uint16(rec[off:])
}

// record reads one WMF record; its parameters start at 6.
func (w *wmf) record(fn uint16, rec []byte) {
	switch {
	case wmfCreates[fn]:
		cs := -1
		if fn == metaCreateFontIndirect && len(rec) > 19 {
			cs = int(rec[19]) // the Font object's CharSet
		}
		w.create(cs)
	case fn == metaSelectObject:
		if i := int(u16(rec, 6)); i < len(w.objects) && w.objects[i] >= 0 {
			w.charset = byte(w.objects[i])
		}
	case fn == metaDeleteObject:
		if i := int(u16(rec, 6)); i < len(w.objects) {
			w.objects[i] = -2
		}
	case fn == metaTextOut:
		// StringLength, the string (padded to a word), YStart, XStart.
		n := uint64(u16(rec, 6))
		if b, ok := field(rec, 8, n); ok {
			w.text.add(ansi(w.charset, b), int32(int16(u16(rec, 8+int(n+n&1)))))
		}
	case fn == metaExtTextOut:
		// Y, X, StringLength, fwOpts, a rectangle when clipped or
		// opaque, the string.
		n, at := uint64(u16(rec, 10)), uint64(14)
		if u16(rec, 12)&(etoOpaque|etoClipped) != 0 {
			at += 8
		}
		if b, ok := field(rec, at, n); ok {
			w.text.add(ansi(w.charset, b), int32(int16(u16(rec, 6))))
		}
	case fn == metaDIBBitBlt:
		w.dib(rec, 22)
	case fn == metaDIBStretchBlt:
		w.dib(rec, 26)
	case fn == metaStretchDIB:
		w.dib(rec, 28)
	case fn == metaSetDIBToDev:
		w.dib(rec, 24)
	}
}

// create puts an object in the first free place of the table.
func (w *wmf) create(charset int) {
	for i, o := range w.objects {
		if o == -2 {
			w.objects[i] = charset
			return
		}
	}
	if len(w.objects) < maxObjects {
		w.objects = append(w.objects, charset)
	}
}

// dib keeps the device-independent bitmap at off in rec (its header,
// color table and bits, to the record's end); a record that draws none is
// shorter.
func (w *wmf) dib(rec []byte, off int) {
	if off+12 > len(rec) {
		return
	}
	d := rec[off:]
	info := uint64(le.Uint32(d))
	if info < 12 || info >= uint64(len(d)) {
		return
	}
	if b := bitmap(d[:info], d[info:]); b != nil {
		w.bitmaps = append(w.bitmaps, b)
	}
}
