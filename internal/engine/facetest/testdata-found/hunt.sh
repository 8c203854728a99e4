#!/usr/bin/env bash
# hunt.sh FACE_DIR NAME DURATION: fuzz FuzzFaceInvariants, skipping the
# failures FACETEST_SKIP names; each failing input is moved to internal/engine/facetest/testdata-found/NAME/
# with its description in internal/engine/facetest/testdata-found/NAME/FINDINGS.txt.
set -u
dir=$1 name=$2 dur=$3
cd /work/wt-gen/$dir
mkdir -p /work/wt-gen/internal/engine/facetest/testdata-found/$name
out=$(mktemp)
go test -run '^$' -fuzz '^FuzzFaceInvariants$' -fuzztime "$dur" -parallel 1 . >"$out" 2>&1
rc=$?
grep -E 'execs: [0-9]' "$out" | tail -2
for f in $(grep -o 'testdata/fuzz/FuzzFaceInvariants/[0-9a-f]*' "$out" | sort -u); do
	h=$(basename $f)
	mv "$f" /work/wt-gen/internal/engine/facetest/testdata-found/$name/$h
	{ echo "== $h"; grep -E 'invariant [0-9]|^\s+(app|route|request):|panic:' "$out" | head -8 | cut -c1-400; } >> /work/wt-gen/internal/engine/facetest/testdata-found/$name/FINDINGS.txt
	echo "FOUND $h"; grep -E 'invariant [0-9]|^\s+(app|route|request):' "$out" | head -5 | cut -c1-300
done
if [ $rc -ne 0 ] && ! grep -q 'Failing input written' "$out"; then tail -30 "$out"; fi
rm -f "$out"
