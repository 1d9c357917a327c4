#!/usr/bin/env bash
# Byte-identity of the screen's output before and after a change (issue 19's check).
#
#   benchmarks/byte_identity.sh BEFORE_REV [LIMIT]
#
# Screens the first LIMIT (default 100000) molecules of MOSES train (../shared/bench) and the
# reference set (data/smiles.csv) with the code of BEFORE_REV (a temporary git worktree, on
# PYTHONPATH) and with this checkout (--drop-input: imidchem's columns only, every column),
# 2 workers each, and compares the CSV files byte for byte (cmp; sha256 printed).
set -euo pipefail
cd "$(dirname "$0")/.."
before_rev=${1:?usage: benchmarks/byte_identity.sh BEFORE_REV [LIMIT]}
limit=${2:-100000}
python=${PYTHON:-.venv/bin/python}
work=$(mktemp -d /tmp/byte_identity.XXXXXX)
trap 'git worktree remove --force "$work/before" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
git worktree add --detach "$work/before" "$before_rev" >/dev/null 2>&1
"$python" - "$limit" "$work/moses.csv" <<'PY'
import gzip, itertools, sys
limit, target = int(sys.argv[1]), sys.argv[2]
with gzip.open("../shared/bench/moses_train.csv.gz", "rt") as lines, open(target, "w") as out:
    out.writelines(itertools.islice(lines, limit + 1))  # the header and LIMIT molecules
PY
cp data/smiles.csv "$work/reference.csv"
status=0
for name in moses reference; do
    PYTHONPATH="$work/before/src" "$python" -m imidchem screen "$work/$name.csv" \
        -o "$work/$name.before.csv" --workers 2 --quiet
    "$python" -m imidchem screen "$work/$name.csv" -o "$work/$name.after.csv" --workers 2 \
        --quiet --drop-input
    rows=$(($(wc -l < "$work/$name.after.csv") - 1))
    if cmp -s "$work/$name.before.csv" "$work/$name.after.csv"; then
        echo "$name: $rows rows, byte-identical ($(sha256sum < "$work/$name.after.csv" | cut -c1-16))"
    else
        echo "$name: $rows rows, DIFFERENT"; cmp "$work/$name.before.csv" "$work/$name.after.csv" || true
        status=1
    fi
done
exit $status
