#!/usr/bin/env bash
# bench.sh times `baomi scan` over the PDF and DOCX files under DIR... and,
# in the same run with the same parallelism, a baseline pipeline on the same
# files: pdftotext (PDF) or `unzip -p FILE 'word/*.xml'` (DOCX) piped into
# `rg -F -f terms.txt` with the default policy's literal terms, one file per
# process under `xargs -P`. It prints both times (median of ROUNDS runs,
# interleaved so that load on a shared machine hits both alike), files/s,
# MB/s, the ratio, peak memory, and baomi's throughput with 1 and 2 workers.
# baomi runs with --ocr off: the pipeline it is compared with reads no
# pictures either.
#
#   scripts/bench.sh DIR...          (e.g. /tmp/benchcorpus ../shared/corpus)
#
# Environment: JOBS (parallelism, default nproc), ROUNDS (default 5).
# The baseline reads only the body XML of a DOCX and the text layer of a PDF;
# baomi also reads headers, comments, metadata, annotations, checks hits
# against word segmentation and isolates each file in a child process, so
# the comparison is generous to the baseline.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: bench.sh DIR..." >&2; exit 3; }
jobs=${JOBS:-$(nproc)}
rounds=${ROUNDS:-5}
repo=$(cd "$(dirname "$0")/.." && pwd)

missing=()
command -v pdftotext >/dev/null || missing+=("pdftotext: apt-get install -y poppler-utils")
command -v unzip >/dev/null || missing+=("unzip: apt-get install -y unzip")
command -v rg >/dev/null || missing+=("rg: apt-get install -y ripgrep")
[ -x /usr/bin/time ] || missing+=("/usr/bin/time: apt-get install -y time")
command -v go >/dev/null || missing+=("go: https://go.dev/dl/ (1.26 or later)")
if [ ${#missing[@]} -gt 0 ]; then
	printf 'missing %s\n' "${missing[@]}" >&2
	exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -trimpath -o "$work/baomi" "$repo/cmd/baomi"

# The same file list for both; names may hold any character.
find "$@" -type f \( -iname '*.pdf' -o -iname '*.docx' \) -print0 | sort -z > "$work/files"
mapfile -d '' files < "$work/files"
nfiles=${#files[@]}
[ "$nfiles" -gt 0 ] || { echo "no PDF or DOCX under $*" >&2; exit 3; }
bytes=$(du -cb "${files[@]}" | tail -1 | cut -f1)

# The literal terms of the default policy (its `terms: [...]` lines).
sed -n 's/^ *terms: \[\(.*\)\]$/\1/p' "$repo/policies/default.yaml" | tr ',' '\n' | sed 's/^ *//; s/ *$//' | grep . > "$work/terms.txt"

cat > "$work/baseline1.sh" <<'SH'
#!/bin/sh
# One file: its text into rg; a file rg finds nothing in is not an error.
case "$2" in
*.[pP][dD][fF]) pdftotext -q "$2" - 2>/dev/null ;;
*) unzip -p "$2" 'word/*.xml' 2>/dev/null ;;
esac | rg -F -c -f "$1" >/dev/null || true
SH
chmod +x "$work/baseline1.sh"

# elapsed FILE: the wall seconds /usr/bin/time -v measured (h:mm:ss or m:ss):
# the waiting loop below would round baomi's time up to its 0.2 s sleeps.
elapsed() {
	awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; print s}' "$1"
}

# run_baseline: wall seconds on stdout; /usr/bin/time's report in $work/base.time.
run_baseline() {
	/usr/bin/time -v -o "$work/base.time" \
		xargs -0 -P "$jobs" -n 1 "$work/baseline1.sh" "$work/terms.txt" < "$work/files"
	elapsed "$work/base.time"
}

# run_baomi WORKERS: wall seconds on stdout; the parent's peak resident
# memory (VmHWM, sampled every 0.2 s with shell builtins so as not to take
# CPU from the run: it only grows) in $work/baomi.hwm.
run_baomi() {
	local tpid pid hwm=0 k v
	/usr/bin/time -v -o "$work/baomi.time" \
		"$work/baomi" scan --ocr off -j "$1" "${files[@]}" >/dev/null &
	tpid=$!
	pid=""
	while kill -0 "$tpid" 2>/dev/null; do
		[ -n "$pid" ] || pid=$(pgrep -P "$tpid" || true)
		if [ -n "$pid" ]; then
			while read -r k v _; do
				[ "$k" != VmHWM: ] || hwm=$v
			done < "/proc/$pid/status" 2>/dev/null || true
		fi
		sleep 0.2
	done
	wait "$tpid" || true # exit 1 or 2: marked or unreadable files, expected
	echo "$hwm" > "$work/baomi.hwm"
	elapsed "$work/baomi.time"
}

# The file list dealt into $jobs parts, for run_apart.
for k in $(seq 0 $((jobs - 1))); do
	awk -v RS='\0' -v ORS='\0' -v n="$jobs" -v k="$k" '(NR - 1) % n == k' "$work/files" > "$work/part$k"
done

# run_apart: wall seconds of $jobs processes of `baomi scan -j 1` side by
# side, one per part of the files. They share nothing, not even a parent,
# so the gain of -j 1 over them is the most that $jobs workers can gain on
# this machine (what its cores give when all are busy); -j N is measured
# against it too.
run_apart() {
	local t0 t1 k
	t0=$(date +%s.%N)
	for k in $(seq 0 $((jobs - 1))); do
		xargs -0 -a "$work/part$k" "$work/baomi" scan --ocr off -j 1 >/dev/null 2>&1 &
	done
	wait
	t1=$(date +%s.%N)
	echo "$t1 - $t0" | bc -l
}

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
maxrss() { awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$1"; }

echo "files: $nfiles ($(ls "${files[@]}" | grep -ci '\.pdf$') PDF), $(echo "scale=1; $bytes/1048576" | bc) MB; jobs: $jobs; rounds: $rounds"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"

"$work/baomi" scan --ocr off -j "$jobs" "${files[@]}" >/dev/null || true # warm the page cache
: > "$work/t.base"
: > "$work/t.baomi"
: > "$work/t.baomi1"
: > "$work/t.apart"
: > "$work/hwm"
: > "$work/rss.base"
: > "$work/rss.baomi"
# Odd rounds run baseline, baomi -j N, baomi -j 1, N baomi -j 1 side by
# side; even rounds the reverse,
# so that neither side always follows the other (the CPU clock of a shared
# machine drifts under sustained load).
one_round() {
	case $1 in
	base)
		run_baseline >> "$work/t.base"
		maxrss "$work/base.time" >> "$work/rss.base"; echo >> "$work/rss.base" ;;
	baomi)
		run_baomi "$jobs" >> "$work/t.baomi"
		cat "$work/baomi.hwm" >> "$work/hwm"
		maxrss "$work/baomi.time" >> "$work/rss.baomi"; echo >> "$work/rss.baomi" ;;
	baomi1)
		[ "$jobs" -eq 1 ] || run_baomi 1 >> "$work/t.baomi1" ;;
	apart)
		[ "$jobs" -eq 1 ] || run_apart >> "$work/t.apart" ;;
	esac
}
for r in $(seq "$rounds"); do
	order="base baomi baomi1 apart"
	[ $((r % 2)) -eq 1 ] || order="apart baomi1 baomi base"
	for step in $order; do one_round "$step"; done
done

tb=$(median < "$work/t.base")
ts=$(median < "$work/t.baomi")
# ratio A B: the median over rounds of A's time over B's, each round's pair
# run back to back: steadier than a ratio of medians on a shared machine.
ratio() { paste "$1" "$2" | awk '{printf "%.4f\n", $1/$2}' | median; }
rate() { echo "scale=1; $nfiles/$1" | bc -l; }
mbs() { echo "scale=1; $bytes/1048576/$1" | bc -l; }
printf '%-34s %8s %9s %8s %14s\n' "" "time s" "files/s" "MB/s" "peak RSS MB"
printf '%-34s %8.2f %9s %8s %14s\n' "baseline (pdftotext|unzip | rg -F)" "$tb" "$(rate "$tb")" "$(mbs "$tb")" "$(sort -n "$work/rss.base" | tail -1) (largest process)"
printf '%-34s %8.2f %9s %8s %14s\n' "baomi scan -j $jobs" "$ts" "$(rate "$ts")" "$(mbs "$ts")" "$(( $(sort -n "$work/hwm" | tail -1) / 1024 )) (parent), $(sort -n "$work/rss.baomi" | tail -1) (largest process)"
echo "ratio baseline/baomi: $(printf '%.2f' "$(ratio "$work/t.base" "$work/t.baomi")") (median of the rounds' ratios; above 1: baomi faster)"
if [ "$jobs" -ne 1 ]; then
	t1=$(median < "$work/t.baomi1")
	echo "baomi scan -j 1: $(printf '%.2f' "$t1") s, $(rate "$t1") files/s; -j $jobs / -j 1 throughput: $(printf '%.2f' "$(ratio "$work/t.baomi1" "$work/t.baomi")") (median of the rounds' ratios)"
	ta=$(median < "$work/t.apart")
	echo "$jobs × baomi scan -j 1 side by side on 1/$jobs of the files each: $(printf '%.2f' "$ta") s; -j 1 / that: $(printf '%.2f' "$(ratio "$work/t.baomi1" "$work/t.apart")") (the most $jobs workers can gain here); -j $jobs / that: $(printf '%.2f' "$(ratio "$work/t.apart" "$work/t.baomi")")"
fi
echo "all times: baseline $(tr '\n' ' ' < "$work/t.base" | xargs printf '%.2f ')| baomi $(tr '\n' ' ' < "$work/t.baomi" | xargs printf '%.2f ')"
[ "$jobs" -eq 1 ] || echo "           baomi -j 1 $(tr '\n' ' ' < "$work/t.baomi1" | xargs printf '%.2f ')| side by side $(tr '\n' ' ' < "$work/t.apart" | xargs printf '%.2f ')"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
