#!/usr/bin/env bash
# make demo: the whole pipeline on generated data, on a fresh machine.
# Builds bin/ufa (make build also fetches the dashboards' browser code) and
# runs `ufa demo`, which generates a year of workbooks of the 14 cities (with
# rejected first attempts, corrections, a late and a skipped month), runs the
# monthly job for every month and prints where the dashboards, the reports
# and the annotated workbooks are. Running it again regenerates DIR.
# Usage: bash scripts/demo.sh [DIR]   (DIR relative to the repository; default demo)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-demo}
make -s build
exec bin/ufa demo --dir "$dir"
