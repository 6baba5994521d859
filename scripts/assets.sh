#!/usr/bin/env bash
# Fetches the third-party browser code that the dashboards embed, from the npm
# registry, at build time (never committed):
#   - ECharts 5 (dist/echarts.min.js, with its LICENSE and NOTICE);
#   - the Liaoning map of the echarts 4.9.0 package (map/json/province/liaoning.json,
#     city names ending in 市); ECharts 5 no longer ships maps.
# The tarballs are cached in third_party/npm (gitignored); the needed files are
# copied into dashboards/assets/vendor (gitignored), which `go:embed` picks up.
# Idempotent: does nothing when the files of the pinned versions are in place.
set -euo pipefail
cd "$(dirname "$0")/.."

ECHARTS=5.6.0      # the chart library
ECHARTS_MAP=4.9.0  # the last echarts release that ships province maps
cache=third_party/npm
dest=dashboards/assets/vendor
stamp="$dest/.versions"
want="echarts=$ECHARTS map=echarts@$ECHARTS_MAP"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] &&
	[ -s "$dest/echarts.min.js" ] && [ -s "$dest/liaoning.json" ]; then
	exit 0
fi

if ! command -v npm >/dev/null 2>&1; then
	echo "assets: npm is needed to fetch ECharts from the npm registry; install it (apt-get install -y npm) and run again" >&2
	exit 1
fi

mkdir -p "$cache" "$dest"
for v in "$ECHARTS" "$ECHARTS_MAP"; do
	if [ ! -s "$cache/echarts-$v.tgz" ]; then
		echo "assets: fetching echarts@$v from the npm registry" >&2
		# npm checks the tarball against the registry's integrity hash.
		(cd "$cache" && npm pack --silent "echarts@$v" >/dev/null)
	fi
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -xzf "$cache/echarts-$ECHARTS.tgz" -C "$tmp" package/dist/echarts.min.js package/LICENSE package/NOTICE
mkdir -p "$tmp/map"
tar -xzf "$cache/echarts-$ECHARTS_MAP.tgz" -C "$tmp/map" package/map/json/province/liaoning.json

# Sanity checks, so that a wrong package never ends up in the binary.
grep -q "version=\"$ECHARTS\"\|\"$ECHARTS\"" "$tmp/package/dist/echarts.min.js" || {
	echo "assets: echarts.min.js of echarts@$ECHARTS does not carry its version" >&2; exit 1; }
grep -q '沈阳市' "$tmp/map/package/map/json/province/liaoning.json" || {
	echo "assets: liaoning.json of echarts@$ECHARTS_MAP has no 沈阳市" >&2; exit 1; }

cp "$tmp/package/dist/echarts.min.js" "$dest/echarts.min.js"
cp "$tmp/package/LICENSE" "$dest/ECHARTS-LICENSE.txt"
cp "$tmp/package/NOTICE" "$dest/ECHARTS-NOTICE.txt"
cp "$tmp/map/package/map/json/province/liaoning.json" "$dest/liaoning.json"
echo "$want" >"$stamp"
echo "assets: ECharts $ECHARTS and the Liaoning map (echarts@$ECHARTS_MAP) are in $dest" >&2
