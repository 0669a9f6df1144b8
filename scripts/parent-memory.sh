#!/usr/bin/env bash
# parent-memory.sh measures baomi's memory on files whose text is far larger
# than the files: the parent's peak resident memory (VmHWM, sampled every
# 0.1 s) and the largest child's (baomi's own stats line), for each case.
#
#   scripts/parent-memory.sh [WORKDIR]     (default: a temporary folder; needs ~1 GB)
#   BAOMI=/path/to/baomi scripts/parent-memory.sh WORKDIR   (measure another build)
#
# Cases: two ZIPs of about 37 MB, each holding a text file of 250 MB (the
# adversarial review's worst case, scanned together with -j 2); one text file
# of 250 MB; one DOCX of 60 MB text in one paragraph. Each text ends with
# 机密★5年, so a complete read is flagged.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-$(mktemp -d)}
mkdir -p "$work"
cd "$repo"
baomi=${BAOMI:-$work/baomi}
[ -n "${BAOMI:-}" ] || go build -trimpath -o "$baomi" ./cmd/baomi

cat > "$work/gen.go" <<'GO'
package main

import (
	"archive/zip"
	"bufio"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// text writes n bytes of Chinese text, sentences drawn at random from a
// few hundred (so that it compresses about 7:1, as in the review's case),
// then the marking.
func text(w io.Writer, n int) {
	chars := []rune("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府")
	r := rand.New(rand.NewPCG(1, 2))
	var sentences []string
	for range 400 {
		s := make([]rune, 12+r.IntN(30))
		for i := range s {
			s[i] = chars[r.IntN(len(chars))]
		}
		sentences = append(sentences, string(s)+"。")
	}
	b := bufio.NewWriterSize(w, 1<<20)
	for k, line := 0, 0; k < n; line++ {
		s := sentences[r.IntN(len(sentences))]
		if line%20 == 19 {
			s += "\n"
		}
		b.WriteString(s)
		k += len(s)
	}
	b.WriteString("\n机密★5年\n")
	b.Flush()
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

func zipOf(path, name string, n int, wrap func(io.Writer, func(io.Writer))) {
	f, err := os.Create(path)
	must(err)
	z := zip.NewWriter(f)
	w, err := z.Create(name)
	must(err)
	wrap(w, func(w io.Writer) { text(w, n) })
	must(z.Close())
	must(f.Close())
}

func plain(w io.Writer, body func(io.Writer)) { body(w) }

func main() {
	dir := os.Args[1]
	zipOf(filepath.Join(dir, "a.zip"), "a.txt", 250<<20, plain)
	zipOf(filepath.Join(dir, "b.zip"), "b.txt", 250<<20, plain)
	f, err := os.Create(filepath.Join(dir, "big.txt"))
	must(err)
	text(f, 250<<20)
	must(f.Close())
	// A DOCX of one long paragraph: the minimal parts Word needs.
	f, err = os.Create(filepath.Join(dir, "big.docx"))
	must(err)
	z := zip.NewWriter(f)
	for name, body := range map[string]string{
		"[Content_Types].xml":          `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels":                  `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`,
	} {
		w, err := z.Create(name)
		must(err)
		_, err = io.WriteString(w, body)
		must(err)
	}
	w, err := z.Create("word/document.xml")
	must(err)
	io.WriteString(w, `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>`)
	text(w, 60<<20)
	io.WriteString(w, `</w:t></w:r></w:p></w:body></w:document>`)
	must(z.Close())
	must(f.Close())
}
GO
[ -f "$work/big.docx" ] || (cd "$work" && go run gen.go "$work")

# measure NAME FILES...: one scan with -j 2; prints the case, the verdicts,
# wall time, the parent's and the largest child's peak memory in MiB.
measure() {
	local name=$1 hwm=0 k v pid start end
	shift
	start=$(date +%s.%N)
	"$baomi" scan -j 2 --log-level info --format json "$@" > "$work/out.json" 2> "$work/log" &
	pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		while read -r k v _; do
			if [ "$k" = VmHWM: ] && [ "$v" -gt "$hwm" ]; then hwm=$v; fi
		done < "/proc/$pid/status" 2>/dev/null || true
		sleep 0.1
	done
	wait "$pid" || true # exit 1: the files are flagged
	end=$(date +%s.%N)
	child=$(grep -o '"max_child_rss_bytes":[0-9]*' "$work/log" | tail -1 | cut -d: -f2)
	verdicts=$(grep -o '"verdict": *"[a-z]*"' "$work/out.json" | sed 's/.*"\([a-z]*\)"/\1/' | sort | uniq -c | tr -s ' ' | tr '\n' ' ')
	printf '%-28s %8.1f s %10d MiB %10d MiB   %s\n' "$name" "$(echo "$end - $start" | bc)" $((hwm / 1024)) $((${child:-0} >> 20)) "$verdicts"
}

printf '%-28s %10s %14s %14s   %s\n' case wall parent child verdicts
measure "2 ZIPs of 250 MB text" "$work/a.zip" "$work/b.zip"
measure "250 MB text file" "$work/big.txt"
measure "DOCX, 60 MB paragraph" "$work/big.docx"
ls -l "$work"/*.zip "$work"/big.* | awk '{printf "%s %d MB\n", $NF, $5 / 1e6}'
