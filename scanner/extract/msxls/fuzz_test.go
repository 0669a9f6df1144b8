package msxls_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
	"github.com/baomi/baomi/scanner/extract/cfb"
	"github.com/baomi/baomi/scanner/extract/internal/legacytest"
)

// FuzzXLS reads any bytes as the workbook stream of a compound file: no
// panic, no hang, reasons of ours, text in UTF-8.
func FuzzXLS(f *testing.F) {
	body := bytes.Join([][]byte{
		rec(labelSST, u16(0, 0, 15), u32(0)), rec(label, u16(1, 0, 15), str16("标签")), rec(header, str16("&C秘密")),
		rec(obj, u16(0x15, 0x12, 0x19, 1), make([]byte, 14)), rec(txo, u16(0x0212, 0), make([]byte, 6), u16(3, 16), make([]byte, 4)), rec(cont, []byte{1}, wide("批注内")),
	}, nil)
	f.Add(workbook(rec(sst, u32(1), u32(1), u16(2), []byte{1}, wide("机密")), sheetDef{"S", 1, body}))
	f.Add(workbook(rec(filePass, u16(1, 1, 1), make([]byte, 48))))
	f.Fuzz(func(t *testing.T, stream []byte) {
		file := cfb.Build(cfb.Stream{Path: "Workbook", Data: stream})
		doc, err := extract.Reader(context.Background(), bytes.NewReader(file), int64(len(file)), extract.Options{MaxText: 1 << 20})
		legacytest.CheckReasons(t, doc, err)
	})
}
