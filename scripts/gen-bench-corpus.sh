#!/usr/bin/env bash
# gen-bench-corpus.sh writes the generated part of the bench corpus
# (BENCHMARKS.md): N Chinese documents of varied length, each as DOCX and as
# PDF, made by LibreOffice from the paragraphs of samples/src/*.fodt.
#
#   scripts/gen-bench-corpus.sh OUTDIR [N]      (N documents, default 150: 2N files)
#
# Each document takes the clean notice as its frame and a shuffled draw of
# the samples' body paragraphs that baomi finds clean (repeated as needed),
# from 3 to 400 paragraphs, log-uniform, so most are a page or two and a few
# run to sixty pages. Some of those paragraphs hold traps that only the word
# check or an exclusion clears (有机密封, 保守国家秘密). One document in five
# gets a marking or label (机密★5年, 秘密★1年, 内部资料，注意保存) near the
# top, so about a fifth are flagged, as in a share of real documents.
# The files are not meant for the repository: write them outside it.
#
# Needs LibreOffice (apt-get install -y libreoffice-writer) and Go.
set -euo pipefail
out=${1:?usage: gen-bench-corpus.sh OUTDIR [N]}
n=${2:-150}
repo=$(cd "$(dirname "$0")/.." && pwd)
command -v soffice >/dev/null || { echo "soffice missing: apt-get install -y libreoffice-writer" >&2; exit 1; }
mkdir -p "$out/fodt" "$out/docx" "$out/pdf"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cat > "$work/main.go" <<'GO'
package main

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	src, out, baomi := os.Args[1], os.Args[2], os.Args[4]
	n, _ := strconv.Atoi(os.Args[3])
	frame, err := os.ReadFile(filepath.Join(src, "关于举办春季运动会的通知.fodt"))
	if err != nil {
		panic(err)
	}
	para := regexp.MustCompile(`(?s)<text:p text:style-name="Standard">.*?</text:p>`)
	tag := regexp.MustCompile(`<[^>]+>`)
	files, _ := filepath.Glob(filepath.Join(src, "*.fodt"))
	var pool []string
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			panic(err)
		}
		for _, p := range para.FindAllString(string(b), -1) {
			inner := strings.TrimSuffix(strings.TrimPrefix(p, `<text:p text:style-name="Standard">`), "</text:p>")
			pool = append(pool, tag.ReplaceAllString(inner, ""))
		}
	}
	pool = clean(pool, baomi, out)
	// The frame's body paragraphs are replaced as one block.
	body := para.FindAllStringIndex(string(frame), -1)
	head, tail := string(frame[:body[0][0]]), string(frame[body[len(body)-1][1]:])
	markings := []string{"机密★5年", "秘密★1年", "内部资料，注意保存"}
	rng := rand.New(rand.NewPCG(20261127, uint64(n)))
	for i := range n {
		count := int(math.Exp(math.Log(3) + rng.Float64()*(math.Log(400)-math.Log(3))))
		ps := make([]string, count)
		for k := range ps {
			ps[k] = pool[rng.IntN(len(pool))]
		}
		if rng.IntN(5) == 0 {
			m := markings[rng.IntN(len(markings))]
			ps[rng.IntN(1+len(ps)/10)] = m // mostly near the top, as a marking is
		}
		var b strings.Builder
		b.WriteString(head)
		for _, p := range ps {
			fmt.Fprintf(&b, "<text:p text:style-name=\"Standard\">%s</text:p>\n", p)
		}
		b.WriteString(tail)
		name := filepath.Join(out, fmt.Sprintf("bench-%04d.fodt", i))
		if err := os.WriteFile(name, []byte(b.String()), 0o644); err != nil {
			panic(err)
		}
	}
}

// clean keeps the paragraphs baomi finds nothing in.
func clean(pool []string, baomi, tmp string) []string {
	dir, err := os.MkdirTemp(tmp, "paras")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	for i, p := range pool {
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("%03d.txt", i)), []byte(html.UnescapeString(p)), 0o644); err != nil {
			panic(err)
		}
	}
	raw, _ := exec.Command(baomi, "scan", "--format", "json", "--ocr", "off", dir).Output() // exit 1: some flagged
	var report struct {
		Files []struct{ Path, Verdict string }
	}
	if err := json.Unmarshal(raw, &report); err != nil {
		panic(err)
	}
	var kept []string
	for _, f := range report.Files {
		if f.Verdict == "clean" {
			i, _ := strconv.Atoi(strings.TrimSuffix(filepath.Base(f.Path), ".txt"))
			kept = append(kept, pool[i])
		}
	}
	return kept
}
GO
go build -trimpath -o "$work/baomi" "$repo/cmd/baomi"
(cd "$work" && go mod init gen >/dev/null 2>&1 && go run . "$repo/samples/src" "$out/fodt" "$n" "$work/baomi")

# One LibreOffice process per format converts every file; a private profile
# keeps it from clashing with another running soffice.
for fmt in docx pdf; do
	soffice -env:UserInstallation="file://$work/profile" --headless \
		--convert-to "$fmt" --outdir "$out/$fmt" "$out"/fodt/*.fodt >/dev/null 2>&1
done
rm -rf "$out/fodt"
echo "$(ls "$out/docx" | wc -l) DOCX and $(ls "$out/pdf" | wc -l) PDF in $out ($(du -sh "$out" | cut -f1))"
