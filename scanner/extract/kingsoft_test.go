package extract

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// A file of unknown bytes named as WPS Office names its files is from WPS
// 2000 or older: its error says so, and stays an error.
func TestKingsoftNamed(t *testing.T) {
	dir := t.TempDir()
	old := []byte("\x0b\x00Kingsoft WPS 2000 binary header\x00\x01\x02\x03\xff\xfe\x00")
	for name, want := range map[string]Kind{"通知.wps": KindUnsupported, "表.ET": KindUnsupported, "演示.dps": KindUnsupported, "通知.bin": KindUnknown} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, old, 0o644); err != nil {
			t.Fatal(err)
		}
		_, err := File(context.Background(), path, DefaultOptions())
		if KindOf(err) != want {
			t.Errorf("%s: got %v (kind %v), want kind %v", name, err, KindOf(err), want)
		}
		if want == KindUnsupported && FormatOf(err) != FormatUnknown {
			t.Errorf("%s: format %q, want unknown", name, FormatOf(err))
		}
	}
}
