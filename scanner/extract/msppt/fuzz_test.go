package msppt_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/legacytest"
)

// FuzzPPT reads any bytes as the presentation stream of a compound file,
// with a Current User stream pointing at its end as a real one would: no
// panic, no hang, reasons of ours, text in UTF-8.
func FuzzPPT(f *testing.F) {
	doc := record(0x03E8, 0, true, record(0x0FF0, 0, true, slidePersist(2, 256), chars("机密")), record(0x0FF0, 2, true, slidePersist(3, 300)))
	slide := record(0x03EE, 0, true, drawing(chars("正文")), record(0x2EE0, 0, true, cstring(1, "批注")))
	notes := record(0x03F0, 0, true, record(0x03F1, 0, false, u32(256, 0)), drawing(chars("备注")))
	stream, current := presentation(doc, slide, notes)
	f.Add(stream, current)
	f.Fuzz(func(t *testing.T, stream, current []byte) {
		file := cfb.Build(cfb.Stream{Path: "Current User", Data: current}, cfb.Stream{Path: "PowerPoint Document", Data: stream})
		doc, err := extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{MaxText: 1 << 20})
		legacytest.CheckReasons(t, doc, err)
	})
}
