package sandbox

import (
	"fmt"
	"testing"

	"github.com/baomi/baomi/scanner/extract"
)

func TestMemoryReason(t *testing.T) {
	tests := []struct {
		limit memoryLimit
		want  string
	}{
		{memoryLimit{bytes: 64 << 20, cgroup: "/sys/fs/cgroup/x/baomi-extract-1-1"}, "reading needed more than 64 MiB of resident memory (file memory limit, enforced by cgroup memory.max): stopped"},
		{memoryLimit{bytes: 1 << 30}, "reading needed more than 1 GiB of resident memory (file memory limit, enforced by baomi's watchdog): stopped"},
		{memoryLimit{}, "reading ran out of memory (no file memory limit was set): stopped"},
	}
	for _, tc := range tests {
		err := tc.limit.reason()
		if extract.KindOf(err) != extract.KindLimit || fmt.Sprint(err) != tc.want {
			t.Errorf("%+v: %v (%s), want %q", tc.limit, err, extract.KindOf(err), tc.want)
		}
	}
}

func TestDataBackstop(t *testing.T) {
	for mem, want := range map[int64]int64{
		64 << 20: 64<<20 + 1<<30, // at least 1 GiB above the limit
		1 << 30:  4 << 30,        // 4 × the limit
		1 << 62:  0,              // no cap rather than an overflow
	} {
		if got := dataBackstop(mem); got != want {
			t.Errorf("dataBackstop(%d) = %d, want %d", mem, got, want)
		}
	}
}
