#!/usr/bin/env bash
# audit-bench.sh builds a tree of N files of distinct content (default
# 10000) in a temporary folder, audits it twice with a fresh cache database,
# and prints both times and their ratio (docs/AUDIT.md quotes the figures).
#
#   scripts/audit-bench.sh [N]
#
# FLAGGED=0 makes every file clean (no marked files), KEEP=1 keeps the
# temporary folder.
#
# The tree is mostly clean, as a real share is: 1 file in 100 carries a
# marking, and flagged files are read again on every audit (the database
# keeps no document text), so the ratio falls as that share grows.
set -euo pipefail
n=${1:-10000}
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT

go build -trimpath -o "$work/baomi" "$repo/cmd/baomi"

# The generator: text files varied one by one, and copies of the sample
# DOCX and PDF files made distinct (a paragraph added to word/document.xml,
# the PDF's /ID changed).
mkdir -p "$work/gen"
cat > "$work/gen/main.go" <<'GO'
package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// docx returns src with a paragraph holding line added to the body.
func docx(src []byte, line string) []byte {
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	must(err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		must(err)
		data, err := io.ReadAll(rc)
		must(err)
		rc.Close()
		if f.Name == "word/document.xml" {
			data = bytes.Replace(data, []byte("</w:body>"), []byte("<w:p><w:r><w:t>"+line+"</w:t></w:r></w:p></w:body>"), 1)
		}
		w, err := zw.Create(f.Name)
		must(err)
		_, err = w.Write(data)
		must(err)
	}
	must(zw.Close())
	return out.Bytes()
}

func main() {
	root, samples := os.Args[1], os.Args[2]
	n, err := strconv.Atoi(os.Args[3])
	must(err)
	marked := os.Args[4] != "0"
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join(samples, name))
		must(err)
		return b
	}
	cleanDocx, flaggedDocx := read("关于举办春季运动会的通知.docx"), read("机密通知.docx")
	cleanPDF := read("关于举办春季运动会的通知.pdf")
	for i := range n {
		dir := filepath.Join(root, fmt.Sprintf("dept%02d", i%20), fmt.Sprintf("y%d", 2015+i%10))
		must(os.MkdirAll(dir, 0o755))
		line := fmt.Sprintf("归档编号 %06d", i)
		var name string
		var data []byte
		switch {
		case i%10 < 6:
			name = fmt.Sprintf("note%06d.txt", i)
			text := strings.Repeat(fmt.Sprintf("第%d号：关于做好第%d季度工作的通知，请各处室按时报送材料。\n", i, i%4+1), 20)
			if marked && i%100 == 3 {
				text += "本通知为机密★5年。\n"
			}
			data = []byte(text + line + "\n")
		case i%10 < 9:
			name = fmt.Sprintf("doc%06d.docx", i)
			src := cleanDocx
			if marked && i%100 == 8 {
				src = flaggedDocx
			}
			data = docx(src, line)
		default:
			// Bytes appended after %%EOF make a PDF an error (fail
			// closed), so the trailer's /ID, of fixed length, is varied.
			name = fmt.Sprintf("pdf%06d.pdf", i)
			data = append([]byte{}, cleanPDF...)
			at := bytes.Index(data, []byte("/ID [ <")) + len("/ID [ <")
			copy(data[at:at+32], fmt.Sprintf("%032X", i))
		}
		must(os.WriteFile(filepath.Join(dir, name), data, 0o644))
	}
}
GO
(cd "$work/gen" && go mod init gen >/dev/null 2>&1 && go run . "$work/tree" "$repo/samples/docs" "$n" "${FLAGGED:-1}")
files=$(find "$work/tree" -type f | wc -l)
distinct=$(find "$work/tree" -type f -exec sha256sum {} + | cut -d' ' -f1 | sort -u | wc -l)

audit() {
	local start end
	start=$(date +%s.%N)
	"$work/baomi" audit --ocr off --quiet --db "$work/cache.db" --log-level info --report "$work/report.json" "$work/tree" \
		>/dev/null 2>"$work/log" || true
	end=$(date +%s.%N)
	grep '"message":"audit"' "$work/log" >&2
	echo "$end - $start" | bc
}
first=$(audit)
# The machine may be shared: the re-audit, short, is run three times and
# the median taken.
again=$(for _ in 1 2 3; do audit; done | sort -n)
second=$(echo "$again" | sed -n 2p)
echo "files: $files ($distinct distinct contents)"
echo "first audit:  ${first}s"
echo "re-audits:    $(echo $again)s (median ${second}s)"
echo "ratio:        $(echo "scale=1; $first / $second" | bc)x"
echo "machine:      $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)"
