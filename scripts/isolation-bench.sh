#!/usr/bin/env bash
# isolation-bench.sh: what reading files in child processes costs. Scans a
# corpus N times with child processes (the default) and N times with
# --in-process, interleaved so that both see the same machine, and prints
# the median wall time, files per second, their ratio and peak memory.
#
# usage: scripts/isolation-bench.sh [RUNS] [CORPUS]
#   RUNS    runs of each mode (default 3)
#   CORPUS  folder to scan (default ../shared/corpus)
#   EXCLUDE (environment) file-name globs, space-separated, to leave out:
#           the scan then runs over a folder of symbolic links to the rest.
#           For a file that one mode does not survive, or one that dominates
#           the wall time (e.g. EXCLUDE=pdfjs__bug1978317.pdf).
#
# Peak memory needs GNU time (/usr/bin/time); without it the column is "-"
# (on Debian/Ubuntu: apt-get install time). baomi's own figures go to
# docs/ROBUSTNESS.md.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=${1:-3}
corpus=${2:-../shared/corpus}
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
case $runs in '' | *[!0-9]* | 0) echo "RUNS must be a positive number, got $runs" >&2; exit 2 ;; esac

if [ ! -x /usr/bin/time ] && command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
  apt-get install -y -qq time >/dev/null 2>&1 || true
fi
timer=()
[ -x /usr/bin/time ] && timer=(/usr/bin/time -v -o)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
CGO_ENABLED=0 go build -trimpath -o "$tmp/baomi" ./cmd/baomi

if [ -n "${EXCLUDE:-}" ]; then
  read -ra patterns <<<"$EXCLUDE"
  root=$(cd "$corpus" && pwd)
  while IFS= read -r rel; do
    leave=
    for p in "${patterns[@]}"; do
      # shellcheck disable=SC2053 # p is a glob on purpose
      [[ ${rel##*/} == $p ]] && leave=1
    done
    if [ -n "$leave" ]; then
      echo "left out: $rel"
    else
      mkdir -p "$tmp/corpus/$(dirname "$rel")"
      ln -s "$root/$rel" "$tmp/corpus/$rel"
    fi
  done < <(cd "$root" && find . -type f | sed 's|^\./||' | sort)
  corpus=$tmp/corpus
fi
files=$(find "$corpus" -type f -o -type l | wc -l)

# run MODE I: one scan; appends "wall_ms peak_kib child_bytes cpu_s" to
# $tmp/MODE ("-" where unknown).
run() {
  local mode=$1 i=$2 flags=() rc=0 start end
  [ "$mode" = in-process ] && flags=(--in-process)
  start=$(date +%s%N)
  if [ ${#timer[@]} -gt 0 ]; then
    timeout 900 "${timer[@]}" "$tmp/time" "$tmp/baomi" scan --format json --log-level info --file-timeout 20s --ocr off "${flags[@]}" "$corpus" >"$tmp/out" 2>"$tmp/err" || rc=$?
  else
    timeout 900 "$tmp/baomi" scan --format json --log-level info --file-timeout 20s --ocr off "${flags[@]}" "$corpus" >"$tmp/out" 2>"$tmp/err" || rc=$?
  fi
  end=$(date +%s%N)
  # 0, 1 and 2 are verdicts; anything else (124 timeout, 137 killed, a
  # crash) means this mode did not survive the corpus.
  if [ "$rc" -gt 2 ]; then
    echo "$mode run $i: exit $rc: $mode does not survive $corpus" >&2
    tail -5 "$tmp/err" >&2
    echo "Measure on a copy of the corpus without the file(s) that stop it, and say so." >&2
    exit 1
  fi
  local kib=- child=- cpu=-
  if [ -f "$tmp/time" ]; then
    kib=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/time")
    cpu=$(awk -F': ' '/User time|System time/ {s += $2} END {print s}' "$tmp/time")
  fi
  child=$(grep -o '"max_child_rss_bytes":[0-9]*' "$tmp/err" | cut -d: -f2 || true)
  echo "$(( (end - start) / 1000000 )) ${kib:--} ${child:--} ${cpu:--}" >>"$tmp/$mode"
}

# median FILE COLUMN: the median of a numeric column ("-" if none).
median() {
  awk -v c="$2" '$c != "-" {print $c}' "$1" | sort -n | awk '
    {v[NR] = $1}
    END {
      if (NR == 0) { print "-"; exit }
      if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2
    }'
}

run children warmup && run in-process warmup
: >"$tmp/children" && : >"$tmp/in-process"
for i in $(seq "$runs"); do
  run children "$i"
  run in-process "$i"
done

printf 'corpus %s: %d files; %d runs of each mode after a warm-up; %d CPUs\n' "$corpus" "$files" "$runs" "$(nproc)"
printf '%-11s %9s %8s %8s %15s %12s   %s\n' mode 'wall (s)' 'files/s' 'CPU (s)' 'peak RSS (MiB)' 'child (MiB)' 'each run (ms)'
for mode in children in-process; do
  awk -v m="$mode" -v ms="$(median "$tmp/$mode" 1)" -v f="$files" -v kib="$(median "$tmp/$mode" 2)" \
    -v child="$(median "$tmp/$mode" 3)" -v cpu="$(median "$tmp/$mode" 4)" -v all="$(cut -d' ' -f1 "$tmp/$mode" | paste -sd' ')" 'BEGIN {
    printf "%-11s %9.2f %8.1f %8s %15s %12s   %s\n", m, ms / 1000, f / (ms / 1000), cpu,
      kib == "-" ? "-" : sprintf("%.1f", kib / 1024), child == "-" ? "-" : sprintf("%.1f", child / 1048576), all
  }'
done
awk -v a="$(median "$tmp/children" 1)" -v b="$(median "$tmp/in-process" 1)" \
  -v ca="$(median "$tmp/children" 4)" -v cb="$(median "$tmp/in-process" 4)" 'BEGIN {
  printf "children / in-process: wall %.3f (%+.1f%%; aim: within 15%%)", a / b, (a / b - 1) * 100
  if (ca != "-" && cb != "-") printf ", CPU %.3f (%+.1f%%)", ca / cb, (ca / cb - 1) * 100
  print ""
}'
echo "medians; peak RSS: the largest of baomi and its children (GNU time); child: the largest child (baomi's stats line)"
