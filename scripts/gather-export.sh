#!/usr/bin/env bash
# Gathers one province's `ufa export` folder into a national dataset laid
# out table first, which is what Spark and Trino's Hive connector want (a
# table is one folder, its partitions folders below it):
#   NATIONAL/<table>/province=<code>/month=YYYY-MM/city=CODE/*.parquet  (sheet tables)
#   NATIONAL/<table>/province=<code>/<table>.parquet                    (the others)
# The files are copied unchanged. Running it again for a province replaces
# that province's files and nothing else. DuckDB needs none of this: it
# reads NATIONAL/province=<code>/<the export, as is> (docs/scale.md).
# Usage: bash scripts/gather-export.sh NATIONAL PROVINCE_CODE EXPORT_DIR
set -euo pipefail
if [ $# -ne 3 ]; then
	echo "usage: $0 NATIONAL PROVINCE_CODE EXPORT_DIR" >&2
	exit 2
fi
national=$1 code=$2 export=$3
if ! [[ $code =~ ^[0-9]{2}$ ]]; then
	echo "gather-export: the province code is the two first digits of its division code (21 for 辽宁), not '$code'" >&2
	exit 2
fi
if [ ! -d "$export" ]; then
	echo "gather-export: no export folder $export" >&2
	exit 2
fi
shopt -s nullglob
n=0
for src in "$export"/*; do
	name=$(basename "$src")
	# Only tables: not the export's manifest, hidden or staging files.
	if [ -d "$src" ]; then
		table=$name
	elif [[ $name == *.parquet ]]; then
		table=${name%.parquet}
	else
		continue
	fi
	case $table in .* | _*) continue ;; esac
	dst=$national/$table/province=$code
	rm -rf "$dst"
	mkdir -p "$dst"
	if [ -d "$src" ]; then
		cp -R "$src"/. "$dst"/
	else
		cp "$src" "$dst"/
	fi
	n=$((n + 1))
done
if [ $n -eq 0 ]; then
	echo "gather-export: no table in $export (is it a ufa export --out folder?)" >&2
	exit 1
fi
echo "gather-export: $n tables of province $code into $national"
