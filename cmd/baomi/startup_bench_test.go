package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/baomi/baomi/policies"
	"github.com/baomi/baomi/scanner"
	"github.com/baomi/baomi/scanner/match"
)

// BenchmarkStartup runs the built binary (TestMain) from process start to
// exit: `baomi version`, and `baomi scan` of one small sample that is
// clean, one that is marked, and one whose hits need the word check (the
// segmentation dictionary is loaded). Besides the mean it reports the
// median, which a shared machine's spikes move less (the targets:
// 150 ms, 150 ms, 500 ms).
func BenchmarkStartup(b *testing.B) {
	docs := filepath.Join("..", "..", "samples", "docs")
	cases := []struct {
		name string
		args []string
	}{
		{"version", []string{"version"}},
		{"scan-clean-docx", []string{"scan", filepath.Join(docs, "关于举办春季运动会的通知.docx")}},
		{"scan-clean-pdf", []string{"scan", filepath.Join(docs, "关于举办春季运动会的通知.pdf")}},
		{"scan-marked-docx", []string{"scan", filepath.Join(docs, "机密通知.docx")}},
		{"scan-marked-pdf", []string{"scan", filepath.Join(docs, "秘密文件.pdf")}},
		{"scan-wordcheck-docx", []string{"scan", filepath.Join(docs, "保密宣传.docx")}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				t0 := time.Now()
				err := exec.Command(binary, c.args...).Run()
				times = append(times, time.Since(t0))
				// Exit codes 1 (finding) and 2 (review) are verdicts, not failures.
				if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() > 2) {
					b.Fatalf("baomi %v: %v", c.args, err)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}

// countResults is a scanner.Handler that counts verdicts.
type countResults map[scanner.Verdict]int

func (c countResults) Result(r scanner.Result)   { c[r.Verdict]++ }
func (c countResults) Problem(p scanner.Problem) {}

// BenchmarkCorpusScan scans the PDF and DOCX files of the folders in
// $BAOMI_BENCH_CORPUS (separated by colons; default: the shared corpus's
// docx-zh and pdf-zh) in this process, with the default policy and one
// worker per CPU, for CPU profiles of the whole pipeline:
//
//	BAOMI_BENCH_CORPUS=/tmp/benchcorpus go test ./cmd/baomi -run XXX \
//	    -bench CorpusScan -benchtime 3x -cpuprofile cpu.out
//	go tool pprof -top cpu.out
//
// Extraction runs in process (as with --in-process) so that the profile
// sees it; the isolation of `baomi scan` adds a process start per file.
func BenchmarkCorpusScan(b *testing.B) {
	dirs := os.Getenv("BAOMI_BENCH_CORPUS")
	if dirs == "" {
		corpus := filepath.Join("..", "..", "..", "shared", "corpus")
		dirs = filepath.Join(corpus, "docx-zh") + ":" + filepath.Join(corpus, "pdf-zh")
	}
	var files []string
	var size int64
	for _, dir := range strings.Split(dirs, ":") {
		filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			ext := strings.ToLower(filepath.Ext(path))
			if err == nil && d.Type().IsRegular() && (ext == ".pdf" || ext == ".docx") {
				if info, err := d.Info(); err == nil {
					files = append(files, path)
					size += info.Size()
				}
			}
			return nil
		})
	}
	if len(files) == 0 {
		b.Skipf("no PDF or DOCX in %s", dirs)
	}
	p, err := policies.Default()
	if err != nil {
		b.Fatal(err)
	}
	m, err := match.Compile(p)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(size)
	for b.Loop() {
		sc := scanner.New(m, scanner.Options{})
		c := countResults{}
		if err := sc.ScanFiles(context.Background(), files, c); err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(c[scanner.Flagged]), "flagged/op")
	}
	b.ReportMetric(float64(len(files)), "files")
}
