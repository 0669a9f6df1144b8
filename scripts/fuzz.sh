#!/bin/sh
# fuzz.sh — run every fuzz target of baomi, one after the other.
#
#   scripts/fuzz.sh [SECONDS]        each target for SECONDS (default 5)
#
# CI runs it short (the default); for a local campaign give more time, e.g.
# `scripts/fuzz.sh 600`. It stops at the first target that fails, names the
# target and the file the go tool wrote the failing input to (under the
# package's testdata/fuzz/<Target>/); that file then runs with every plain
# `go test` as a regression seed: keep it once the bug is fixed.
#
# Environment:
#   FUZZ_PARALLEL  fuzzing workers per target (default 1: the machine is shared)
#   FUZZ_MINIMIZE  -fuzzminimizetime (default 100x). The go tool minimizes
#                  every input that adds coverage, not only failing ones; with
#                  a time bound (its default is 60s) the slower targets spent
#                  nearly all their time minimizing (FuzzDOCX: 857 executions
#                  in 30 s with 2s, 120,000 with 100x). 0 turns it off, which
#                  helps when a failing input hangs (10 s per attempt).
#
# Each target first runs its seeds and the corpus the go tool cached from
# earlier runs; FuzzMatch also loads the segmentation dictionary, so give it
# 15 s or more before it fuzzes at all.
#
# Exit status: 0 when no target failed, 1 on the first failure, 2 on usage
# errors.
set -eu

seconds=${1:-5}
case $seconds in
'' | *[!0-9]* | 0)
	echo "usage: scripts/fuzz.sh [SECONDS]   (a positive whole number)" >&2
	exit 2
	;;
esac
parallel=${FUZZ_PARALLEL:-1}
minimize=${FUZZ_MINIMIZE:-100x}

cd "$(dirname "$0")/.."

# package target, in the order they run: the cheap ones first.
targets='
./policies FuzzParse
./scanner/match FuzzAutomaton
./scanner/match FuzzNormalize
./scanner/match FuzzFastNormalize
./scanner/match FuzzMarking
./scanner/match FuzzMatch
./scanner/match FuzzMatchDetectors
./scanner/fingerprint FuzzLoad
./scanner/fingerprint FuzzMarks
./scanner/extract/cfb FuzzCFB
./scanner/extract/internal/picture FuzzPictures
./scanner/extract/internal/picture FuzzMeta
./scanner/extract/internal/metafile FuzzMetafile
./scanner/extract FuzzSniff
./scanner/extract FuzzSniffPrefixed
./scanner/extract FuzzText
./scanner/extract FuzzDOCX
./scanner/extract FuzzXLSX
./scanner/extract FuzzPPTX
./scanner/extract FuzzOFD
./scanner/extract/rtf FuzzRTF
./scanner/extract/odf FuzzODF
./scanner/extract/msxls FuzzXLS
./scanner/extract/msppt FuzzPPT
./scanner/extract FuzzArchive
./scanner/extract FuzzZipDeclaredSize
./scanner/extract FuzzArchiveDeclaredSizes
./scanner/extract FuzzAlternateContent
./scanner/extract FuzzPDF
./scanner/extract FuzzReader
./scanner/extract/html FuzzHTML
./scanner/extract/eml FuzzEML
./scanner/extract/internal/olepropset FuzzRead
./scanner/extract/internal/pdfimage FuzzDecode
./scanner/extract/pdf FuzzInlineImages
./scanner/extract/pdf FuzzPDFPictures
./scanner/extract/pdf FuzzPDFShapes
./scanner/extract/ooxml FuzzOtherParts
./scanner/extract/msg FuzzMSG
./scanner/extract/msg FuzzTNEF
./scanner/ocr FuzzParseTSV
./scanner/ocr FuzzPrepare
./scanner/extract/msdoc FuzzDOC
'

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "$targets" | while read -r pkg name; do
	[ -n "$pkg" ] || continue
	echo "== $name ($pkg, ${seconds}s)"
	if go test -run '^$' -fuzz "^$name\$" -fuzztime "${seconds}s" \
		-fuzzminimizetime "$minimize" -parallel "$parallel" "$pkg" >"$log" 2>&1; then
		# The last progress line has the executions and the corpus size;
		# its own rate is that of the last few seconds only. A target whose
		# baseline (seeds and cached corpus) takes longer than SECONDS has
		# not fuzzed at all: say so.
		grep '^fuzz: elapsed' "$log" | tail -n 1 | awk -v s="$seconds" '
			$4 == "execs:" {
				sub(/,$/, "", $5); n = $5 + 0
				printf "ok: %d execs (%d/s), new interesting: %s %s %s\n", n, n / s, $9, $10, $11
				next
			}
			{ print "ok, but only gathered baseline coverage: give it more than " s "s" }' || true
		continue
	fi
	crasher=$(sed -n 's/.*Failing input written to \(testdata[^ ]*\).*/\1/p' "$log" | tail -n 1)
	# The go tool itself sometimes fails a run whose time ran out while it
	# was minimizing a new input: "context deadline exceeded", with no
	# failing input and no line of the target's. That is not a finding.
	if [ -z "$crasher" ] && grep -q '^    context deadline exceeded$' "$log" && ! grep -q '_test.go:[0-9]' "$log"; then
		echo "ok: time ran out while the go tool was minimizing an input (not a failure of the target)"
		continue
	fi
	cat "$log"
	echo
	if [ -n "$crasher" ]; then
		echo "FAIL: $name: failing input written to ${pkg#./}/$crasher" >&2
		echo "re-run: go test -run '$name/${crasher##*/}' $pkg" >&2
	else
		echo "FAIL: $name ($pkg): see the output above (no failing input was written)" >&2
	fi
	exit 1
done
