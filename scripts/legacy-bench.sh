#!/usr/bin/env bash
# legacy-bench.sh times `baomi scan` over the 97-2003, WPS, RTF and
# OpenDocument files under DIR... against two references at the same
# parallelism (JOBS, default 2):
#   - LibreOffice: JOBS `soffice --headless --convert-to` processes side by
#     side, each with its own profile, each given its share of the files in
#     one call per application (Writer files to txt, Calc files to csv,
#     Impress files to odp, the cheapest save each has), so that soffice
#     starts 3 times per worker and round, not once per file: the most
#     generous way to run it;
#   - catdoc & co (.doc and .rtf: catdoc, .xls: xls2csv, .ppt: catppt), one
#     process per file under `xargs -P JOBS`, on the files they read (no
#     OpenDocument), against `baomi scan` over the same files.
# baomi runs as `baomi scan -j JOBS FILES`: one call, as a user runs it (each
# file still read in a child process of its own).
# It prints, per tool, the median wall time of ROUNDS rounds (default 3; odd
# rounds run baomi first, even rounds last), files/s, and the ratios (median
# of the rounds' ratios; above 1: baomi faster).
#
#   scripts/legacy-bench.sh DIR...     (e.g. ../shared/corpus/legacy ../shared/corpus/legacy-zh)
#
# Every reference run is bounded by TIMEOUT seconds (default 1200 for a
# soffice call, 60 for one catdoc file): a file that hangs a reference costs
# it that time, as it would cost a user.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: legacy-bench.sh DIR..." >&2; exit 3; }
jobs=${JOBS:-2}
rounds=${ROUNDS:-3}
repo=$(cd "$(dirname "$0")/.." && pwd)

missing=()
command -v soffice >/dev/null || missing+=("soffice: apt-get install -y --no-install-recommends libreoffice-writer libreoffice-calc libreoffice-impress")
command -v catdoc >/dev/null || missing+=("catdoc, xls2csv, catppt: apt-get install -y catdoc")
command -v go >/dev/null || missing+=("go: https://go.dev/dl/ (1.26 or later)")
if [ ${#missing[@]} -gt 0 ]; then
	printf 'missing %s\n' "${missing[@]}" >&2
	exit 3
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -trimpath -o "$work/baomi" "$repo/cmd/baomi"

# list NAME PATTERN...: the files under the arguments whose name ends in one
# of the extensions, NUL-separated and sorted, into $work/NAME.
list() {
	local name=$1 args=() ext
	shift
	for ext in "$@"; do args+=(-o -iname "*.$ext"); done
	find -L "${dirs[@]}" -type f \( "${args[@]:1}" \) -print0 | sort -z > "$work/$name"
}
dirs=("$@")
list writer doc wps rtf odt
list calc xls et ods
list impress ppt dps odp
cat "$work/writer" "$work/calc" "$work/impress" > "$work/all"
list cat doc rtf xls ppt
count() { tr -cd '\0' < "$1" | wc -c; }
nall=$(count "$work/all")
ncat=$(count "$work/cat")
[ "$nall" -gt 0 ] || { echo "no legacy office files under $*" >&2; exit 3; }

# deal LIST: LIST dealt into $jobs parts, LIST.0 ... LIST.(jobs-1).
deal() {
	local k
	for k in $(seq 0 $((jobs - 1))); do
		awk -v RS='\0' -v ORS='\0' -v n="$jobs" -v k="$k" '(NR - 1) % n == k' "$1" > "$1.$k"
	done
}
for l in writer calc impress; do deal "$work/$l"; done

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

# run_baomi LIST: wall seconds of one `baomi scan -j $jobs` over LIST.
run_baomi() {
	local t0
	t0=$(now)
	xargs -0 -a "$1" "$work/baomi" scan --ocr off -j "$jobs" >/dev/null 2>&1 || true # exit 1 or 2 expected
	since "$t0"
}

# soffice_part K: worker K's three soffice calls, each in its own profile.
soffice_part() {
	local k=$1 l target
	for l in writer calc impress; do
		[ -s "$work/$l.$k" ] || continue
		case $l in
		writer) target=txt:Text ;;
		calc) target=csv ;;
		impress) target=odp ;;
		esac
		xargs -0 -a "$work/$l.$k" timeout "${TIMEOUT:-1200}" soffice \
			-env:UserInstallation="file://$work/profile$k" --headless \
			--convert-to "$target" --outdir "$work/out$k" >/dev/null 2>&1 || true
	done
}
run_soffice() {
	local t0 k
	rm -rf "$work"/out*
	t0=$(now)
	for k in $(seq 0 $((jobs - 1))); do soffice_part "$k" & done
	wait
	since "$t0"
	# What soffice wrote: a file it crashed or gave up on has no output.
	find "$work"/out* -type f 2>/dev/null | wc -l > "$work/n.soffice"
}

cat > "$work/cat1.sh" <<'SH'
#!/bin/sh
# One file to UTF-8 text with the catdoc tool for its type.
case "$2" in
*.[xX][lL][sS]) timeout "$1" xls2csv -d utf-8 "$2" ;;
*.[pP][pP][tT]) timeout "$1" catppt -d utf-8 "$2" ;;
*) timeout "$1" catdoc -d utf-8 "$2" ;;
esac >/dev/null 2>&1 || true
SH
chmod +x "$work/cat1.sh"
run_catdoc() {
	local t0
	t0=$(now)
	xargs -0 -a "$work/cat" -P "$jobs" -n 1 "$work/cat1.sh" "${TIMEOUT:-60}"
	since "$t0"
}

echo "files: $nall ($(count "$work/writer") Writer, $(count "$work/calc") Calc, $(count "$work/impress") Impress), of which $ncat .doc/.rtf/.xls/.ppt for catdoc & co; jobs: $jobs; rounds: $rounds"
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "soffice: $(soffice --version 2>/dev/null | head -1)"

# Warm the page cache and the soffice profiles (their first start is slow).
xargs -0 -a "$work/all" cat > /dev/null
for k in $(seq 0 $((jobs - 1))); do
	soffice -env:UserInstallation="file://$work/profile$k" --headless --terminate_after_init >/dev/null 2>&1 || true
done

for t in baomi soffice baomicat catdoc; do : > "$work/t.$t"; done
step() {
	case $1 in
	baomi) run_baomi "$work/all" >> "$work/t.baomi" ;;
	soffice) run_soffice >> "$work/t.soffice" ;;
	baomicat) run_baomi "$work/cat" >> "$work/t.baomicat" ;;
	catdoc) run_catdoc >> "$work/t.catdoc" ;;
	esac
}
for r in $(seq "$rounds"); do
	order="baomi soffice baomicat catdoc"
	[ $((r % 2)) -eq 1 ] || order="catdoc baomicat soffice baomi"
	for s in $order; do step "$s"; done
done

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
ratio() { paste "$1" "$2" | awk '{printf "%.4f\n", $1/$2}' | median; }
row() { # label, times file, number of files
	local t
	t=$(median < "$2")
	printf '%-44s %8.2f %9.1f   (%s)\n' "$1" "$t" "$(echo "$3/$t" | bc -l)" "$(tr '\n' ' ' < "$2" | xargs printf '%.2f ')"
}
printf '%-44s %8s %9s   %s\n' "" "time s" "files/s" "(all rounds)"
row "baomi scan -j $jobs (all files)" "$work/t.baomi" "$nall"
row "soffice --convert-to, $jobs side by side" "$work/t.soffice" "$nall"
row "baomi scan -j $jobs (.doc .rtf .xls .ppt)" "$work/t.baomicat" "$ncat"
row "catdoc/xls2csv/catppt, xargs -P $jobs" "$work/t.catdoc" "$ncat"
echo "soffice wrote $(cat "$work/n.soffice") outputs for the $nall files (last round; no output: a file it could not open, or the rest of a call it crashed in)"
echo "soffice/baomi: $(printf '%.1f' "$(ratio "$work/t.soffice" "$work/t.baomi")")x (target: 20x or more)"
echo "catdoc & co/baomi: $(printf '%.2f' "$(ratio "$work/t.catdoc" "$work/t.baomicat")")x (target: 1 or more)"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
