#!/usr/bin/env bash
# make demo: the whole pipeline on generated data, from a fresh machine.
# Grows with the pipeline; `ufa demo` takes over once the monthly job exists.
set -euo pipefail
dir=${1:-demo}
ufa=bin/ufa
mkdir -p "$dir"
if $ufa demo --help >/dev/null 2>&1; then
	exec $ufa demo --dir "$dir"
fi
$ufa template --city 沈阳市 --month 2026-10 -o "$dir/模板_沈阳市_2026-10.xlsx" >/dev/null
$ufa template -o "$dir/报送模板.xlsx"
$ufa gen --out "$dir/inbox" --from 2026-01 --to 2026-12 --faults
mkdir -p "$dir/reports"
status=0
for m in "$dir"/inbox/2026-*; do
	name=$(basename "$m")
	$ufa validate --json "$m"/*.xlsx >"$dir/reports/$name.jsonl" || status=$?
	$ufa validate "$m"/*.xlsx >"$dir/reports/$name.txt" || true
done
$ufa validate --annotate "$dir/reports/faults" "$dir"/inbox/faults/*.xlsx >"$dir/reports/faults.txt" || true
echo
echo "模板:          $dir/报送模板.xlsx"
echo "模拟报送工作簿: $dir/inbox/<月份>/（有缺陷的样例在 $dir/inbox/faults/）"
echo "校验报告:      $dir/reports/<月份>.txt 与 .jsonl；缺陷样例的批注工作簿在 $dir/reports/faults/"
