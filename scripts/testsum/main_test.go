package main

import (
	"strings"
	"testing"
)

func TestSummarize(t *testing.T) {
	in := strings.Join([]string{
		`{"Action":"run","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestCorpusScan"}`,
		`{"Action":"output","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestCorpusScan","Output":"=== RUN   TestCorpusScan\n"}`,
		`{"Action":"output","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestCorpusScan","Output":"    corpus_test.go:45: ../shared/corpus is absent\n"}`,
		`{"Action":"output","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestCorpusScan","Output":"--- SKIP: TestCorpusScan (0.00s)\n"}`,
		`{"Action":"skip","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestCorpusScan"}`,
		`{"Action":"output","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestBroken","Output":"    e2e_test.go:9: got 2, want 1\n"}`,
		`{"Action":"fail","Package":"github.com/baomi/baomi/cmd/baomi","Test":"TestBroken"}`,
		`{"Action":"fail","Package":"github.com/baomi/baomi/cmd/baomi","Elapsed":1.5}`,
		`{"Action":"pass","Package":"github.com/baomi/baomi/policies","Elapsed":0.01}`,
		`{"Action":"skip","Package":"github.com/baomi/baomi/scanner/scanmetrics"}`,
	}, "\n")
	var out strings.Builder
	failed, err := summarize(strings.NewReader(in), &out)
	if err != nil || !failed {
		t.Fatalf("failed %v, err %v", failed, err)
	}
	for _, want := range []string{
		"e2e_test.go:9: got 2, want 1",
		"FAIL\tgithub.com/baomi/baomi/cmd/baomi\t1.500s",
		"ok  \tgithub.com/baomi/baomi/policies\t0.010s",
		"?   \tgithub.com/baomi/baomi/scanner/scanmetrics\t[no test files]",
		"skipped: 1 test: ../shared/corpus is absent (cmd/baomi.TestCorpusScan)",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
