#!/usr/bin/env bash
# make bench: the whole pipeline against its peer and its floor, in one table.
#
# Two data sets, both from `ufa gen`:
#   100k      one workbook of Shenyang at --scale 17.3 (about 100,000 organizations);
#   province  the 14 workbooks of one month (BENCH_MONTH, default 2026-12) at scale 1,
#             ingested into a warehouse that already holds the earlier months of the
#             year with their indicators computed, as the monthly job leaves it (so the
#             3-month and year-to-date windows have data).
# For each: ufa validate, ufa ingest (into a fresh copy of the warehouse every run),
# ufa metrics and ufa dashboards for the month; openpyxl reading the same workbooks in
# read-only mode, every cell of every sheet; and the floor (inflate the worksheet XML
# and count the cells with a byte scan, scripts/bench/floor.go). Each is its own
# process, timed by /usr/bin/time (wall, user+sys CPU, peak RSS); the table gives the
# median of BENCH_RUNS runs (default 3), the runs of all stages interleaved so that a
# change in the machine's load falls on every stage alike.
#
# Then the curve (issue 16): one month (BENCH_CURVE_MONTH, default 2026-01) of the 14
# cities made by `ufa gen --scale S` for each S of BENCH_SCALES (default "1 10"; add 30,
# about 894,000 organizations, with BENCH_SCALES="1 10 30": generating it takes about
# 2 minutes on 2 idle cores). Per scale: the floor, ufa validate, ufa ingest (into a new
# warehouse), ufa metrics and ufa dashboards for the month, and ufa run (the monthly
# job, ingest to report, into another new warehouse), each with its ratio to the floor.
#
# Environment: BENCH_RUNS (runs per stage), BENCH_MONTH (the province month),
# BENCH_SCALES, BENCH_CURVE_MONTH, BENCH_CURVE_ONLY=1 (the curve alone, without the 100k
# and province sets and openpyxl), BENCH_UFA (the ufa binary to measure, by default
# bin/ufa, e.g. an earlier build to compare with), BENCH_DIR (keep the generated data and warehouses
# there and reuse them on the next run if bin/ufa has not changed; by default a
# temporary folder, removed at the end). The tables go to stdout; progress to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
ufa=${BENCH_UFA:-$root/bin/ufa} # another build to compare with, e.g. BENCH_UFA=/tmp/ufa-before
runs=${BENCH_RUNS:-3}
month=${BENCH_MONTH:-2026-12}
py=/usr/bin/python3 # Debian's, with python3-openpyxl; not whatever python3 is first on PATH

log() { printf 'bench: %s\n' "$*" >&2; }
die() {
	log "$*"
	exit 1
}

scales=${BENCH_SCALES:-1 10}
cmonth=${BENCH_CURVE_MONTH:-2026-01}
curve_only=${BENCH_CURVE_ONLY:-}
[[ $runs =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive whole number, not '$runs'"
[[ $month =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]] || die "BENCH_MONTH must be YYYY-MM, not '$month'"
[[ $cmonth =~ ^[0-9]{4}-(0[1-9]|1[0-2])$ ]] || die "BENCH_CURVE_MONTH must be YYYY-MM, not '$cmonth'"
for s in $scales; do
	[[ $s =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "BENCH_SCALES must be numbers such as \"1 10 30\", not '$scales'"
done
year=${month%-*}
mm=$((10#${month#*-}))
[ -x "$ufa" ] || die "$ufa is missing: run make bench (it builds it first)"

# The peers' packages, from Debian (the same check as scripts/deps.sh).
need=()
[ -x /usr/bin/time ] || need+=(time)
$py -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
if [ ${#need[@]} -gt 0 ]; then
	[ "$(id -u)" = 0 ] || die "missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}"
	log "installing ${need[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -n "${BENCH_DIR:-}" ]; then
	dir=$BENCH_DIR
	mkdir -p "$dir"
else
	dir=$(mktemp -d "${TMPDIR:-/tmp}/ufa-bench.XXXXXX")
	trap 'rm -rf "$dir"' EXIT
fi
load_start=$(cut -d' ' -f1-3 /proc/loadavg)
t_start=$(date +%s)

# ---- preparation (not timed) -------------------------------------------------
go build -o "$dir/floor" scripts/bench/floor.go
ustamp=$(sha256sum "$ufa" | cut -c1-16)
stamp="$ustamp $month"
big=$dir/big/$year-01/沈阳市_$year-01.xlsx
base=$dir/base.duckdb # the province warehouse before the month
if [ -n "$curve_only" ]; then
	: # the curve alone
elif [ "$(cat "$dir/stamp" 2>/dev/null)" != "$stamp" ]; then
	rm -rf "$dir/big" "$dir/prov" "$base" "$base".* "$dir/stamp"
	log "generating the 100k-organization workbook"
	"$ufa" gen --out "$dir/big" --city 沈阳市 --scale 17.3 --from "$year-01" --to "$year-01" >/dev/null
	log "generating the province's workbooks, $year-01 to $month"
	"$ufa" gen --out "$dir/prov" --from "$year-01" --to "$month" >/dev/null
	if [ "$mm" -gt 1 ]; then
		earlier=()
		for ((i = 1; i < mm; i++)); do earlier+=("$dir/prov/$(printf '%s-%02d' "$year" "$i")"); done
		log "ingesting $year-01 to the month before $month and computing their indicators"
		"$ufa" ingest --db "$base" "${earlier[@]}" >/dev/null
		for e in "${earlier[@]}"; do "$ufa" metrics --db "$base" --month "$(basename "$e")" >/dev/null; done
	fi
	echo "$stamp" >"$dir/stamp"
else
	log "reusing the data prepared in $dir"
fi
if [ -z "$curve_only" ]; then
	[ -f "$big" ] || die "ufa gen did not write $big"
	prov=("$dir/prov/$month"/*.xlsx)
	[ ${#prov[@]} -eq 14 ] || die "expected the 14 workbooks of $month in $dir/prov/$month, found ${#prov[@]}"
fi
# The curve's months, one folder per scale, kept while bin/ufa is unchanged.
for s in $scales; do
	sd=$dir/scale$s
	if [ "$(cat "$sd/stamp" 2>/dev/null)" != "$ustamp $cmonth" ]; then
		rm -rf "$sd"
		log "generating the 14 workbooks of $cmonth at scale $s"
		mkdir -p "$sd"
		"$ufa" gen --out "$sd/data" --scale "$s" --from "$cmonth" --to "$cmonth" >"$sd/gen.txt"
		echo "$ustamp $cmonth" >"$sd/stamp"
	else
		log "reusing the scale $s month prepared in $sd"
	fi
	n=$(find "$sd/data/$cmonth" -name '*.xlsx' | wc -l)
	[ "$n" -eq 14 ] || die "expected the 14 workbooks of $cmonth in $sd/data/$cmonth, found $n"
done
t_prep=$(($(date +%s) - t_start))

# ---- timed runs ---------------------------------------------------------------
results=$dir/results.tsv
metaf=$dir/meta.tsv
: >"$results"
tf=$dir/time.out
out=$dir/cmd.out

# measure DATASET STAGE RUN COMMAND...: runs COMMAND once under /usr/bin/time.
measure() {
	local ds=$1 stage=$2 run=$3
	shift 3
	if ! /usr/bin/time -f '%e	%U	%S	%M' -o "$tf" "$@" >"$out" 2>&1; then
		tail -n 20 "$out" >&2
		die "$ds $stage (run $run) failed: $*"
	fi
	local t
	t=$(tail -n 1 "$tf")
	printf '%s\t%s\t%s\t%s\n' "$ds" "$stage" "$run" "$t" >>"$results"
	log "run $run/$runs $ds $stage: $(cut -f1 <<<"$t") s"
}

# fresh WAREHOUSE [BASE]: a new warehouse path, a copy of BASE (and its key) if given.
fresh() {
	rm -f "$1" "$1".*
	if [ -n "${2:-}" ] && [ -f "$2" ]; then
		cp "$2" "$1"
		cp "$2.key" "$1.key"
		if [ -f "$2.wal" ]; then cp "$2.wal" "$1.wal"; fi
	fi
}

for ((r = 1; r <= runs; r++)); do
	[ -z "$curve_only" ] || break
	# The 100k workbook goes into a new warehouse: it is a city's first load.
	wh=$dir/run-big.duckdb
	measure big validate "$r" "$ufa" validate "$big"
	fresh "$wh"
	measure big ingest "$r" "$ufa" ingest --db "$wh" "$big"
	measure big metrics "$r" "$ufa" metrics --db "$wh" --month "$year-01"
	rm -rf "$dir/dash-big"
	measure big dashboards "$r" "$ufa" dashboards --db "$wh" --month "$year-01" --out "$dir/dash-big"
	measure big openpyxl "$r" "$py" scripts/bench/openpyxl_read.py "$big"
	[ "$r" -gt 1 ] || head -n 1 "$out" >"$dir/big-openpyxl.txt"
	measure big floor "$r" "$dir/floor" "$big"
	[ "$r" -gt 1 ] || head -n 1 "$out" >"$dir/big-floor.txt"

	wh=$dir/run-prov.duckdb
	measure prov validate "$r" "$ufa" validate "${prov[@]}"
	fresh "$wh" "$base"
	measure prov ingest "$r" "$ufa" ingest --db "$wh" "${prov[@]}"
	measure prov metrics "$r" "$ufa" metrics --db "$wh" --month "$month"
	rm -rf "$dir/dash-prov"
	measure prov dashboards "$r" "$ufa" dashboards --db "$wh" --month "$month" --out "$dir/dash-prov"
	measure prov openpyxl "$r" "$py" scripts/bench/openpyxl_read.py "${prov[@]}"
	[ "$r" -gt 1 ] || head -n 1 "$out" >"$dir/prov-openpyxl.txt"
	measure prov floor "$r" "$dir/floor" "${prov[@]}"
	[ "$r" -gt 1 ] || head -n 1 "$out" >"$dir/prov-floor.txt"
done

# The curve: every stage of a scale, then the next scale, run after run.
for ((r = 1; r <= runs; r++)); do
	for s in $scales; do
		sd=$dir/scale$s
		ds=s$s
		files=("$sd/data/$cmonth"/*.xlsx)
		measure "$ds" floor "$r" "$dir/floor" "${files[@]}"
		[ "$r" -gt 1 ] || head -n 1 "$out" >"$sd/floor.txt"
		measure "$ds" validate "$r" "$ufa" validate "${files[@]}"
		wh=$sd/run.duckdb
		fresh "$wh"
		measure "$ds" ingest "$r" "$ufa" ingest --db "$wh" "${files[@]}"
		measure "$ds" metrics "$r" "$ufa" metrics --db "$wh" --month "$cmonth"
		rm -rf "$sd/dash"
		measure "$ds" dashboards "$r" "$ufa" dashboards --db "$wh" --month "$cmonth" --out "$sd/dash"
		wh=$sd/job.duckdb
		fresh "$wh"
		rm -rf "$sd/out"
		measure "$ds" run "$r" "$ufa" run --db "$wh" --month "$cmonth" --inbox "$sd/data/$cmonth" --out "$sd/out"
		rm -f "$wh" "$wh".*
	done
done
t_end=$(date +%s)

# ---- the table ----------------------------------------------------------------
mib() { du -cb "$@" | tail -n 1 | awk '{printf "%.1f MB", $1/1e6}'; }
{
	printf 'curve_only\t%s\n' "$curve_only"
	printf 'scales\t%s\n' "$scales"
	printf 'curve_month\t%s\n' "$cmonth"
	for s in $scales; do
		sd=$dir/scale$s
		printf 'orgs_s%s\t%s\n' "$s" "$(grep -o '社会组织 [0-9]*' "$sd/gen.txt" | grep -o '[0-9]*' || true)"
		printf 'desc_s%s\t%s on disk; floor: %s\n' "$s" "$(mib "$sd/data/$cmonth")" "$(cat "$sd/floor.txt")"
	done
	printf 'runs\t%s\n' "$runs"
	printf 'month\t%s\n' "$month"
	printf 'big_month\t%s\n' "$year-01"
	if [ -z "$curve_only" ]; then
		printf 'big_desc\t%s, %s on disk; floor: %s; openpyxl: %s\n' "$(basename "$big")" "$(mib "$big")" \
			"$(cat "$dir/big-floor.txt")" "$(cat "$dir/big-openpyxl.txt")"
		printf 'prov_desc\tthe 14 workbooks at scale 1, %s on disk, after %s earlier months ingested with their indicators; floor: %s; openpyxl: %s\n' \
			"$(mib "${prov[@]}")" "$((mm - 1))" "$(cat "$dir/prov-floor.txt")" "$(cat "$dir/prov-openpyxl.txt")"
	fi
	printf 'nproc\t%s\n' "$(nproc)"
	printf 'cpu\t%s\n' "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
	printf 'mem\t%s\n' "$(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)"
	printf 'go\t%s\n' "$(go version | cut -d' ' -f3-)"
	printf 'python\t%s\n' "$($py --version 2>&1)"
	printf 'openpyxl\t%s\n' "$($py -c 'import openpyxl; print(openpyxl.__version__)')"
	printf 'load_start\t%s\n' "$load_start"
	printf 'load_end\t%s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
	printf 'commit\t%s\n' "$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
	printf 'date\t%s\n' "$(date '+%Y-%m-%d %H:%M')"
	printf 'prep\t%s s\n' "$t_prep"
	printf 'elapsed\t%s s\n' "$((t_end - t_start - t_prep))"
} >"$metaf"
echo
$py scripts/bench/report.py "$results" "$metaf"
