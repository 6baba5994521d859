#!/usr/bin/env bash
# make release: the full ufa (cgo, with DuckDB linked in) for the Linux
# servers that exist, x86-64 and ARM64 (Kunpeng, Phytium), into
# bin/ufa-linux-amd64 and bin/ufa-linux-arm64. The architecture that is not
# the host's is cross-compiled with Debian's cross compiler
# (g++-aarch64-linux-gnu or g++-x86-64-linux-gnu, which `scripts/deps.sh
# release` installs) against duckdb-go's prebuilt static bindings for that
# target (github.com/duckdb/duckdb-go-bindings/lib/linux-<arch>, at the
# version go.mod pins, fetched through the Go module proxy). The binaries
# link glibc dynamically (DuckDB is C++): any glibc Linux of the last years.
# The portable validator builds are `make validator` (the Makefile's
# release target runs both). docs/scale.md (Targets) says what runs where.
set -euo pipefail
cd "$(dirname "$0")/.."
go=${GO:-go}
export GOFLAGS=${GOFLAGS:--tags=duckdb_arrow}
host=$($go env GOHOSTARCH)
mkdir -p bin
for arch in amd64 arm64; do
	cc=
	if [ "$arch" != "$host" ]; then
		case $arch in
		amd64) cc=x86_64-linux-gnu ;;
		arm64) cc=aarch64-linux-gnu ;;
		esac
		if ! command -v "$cc-g++" >/dev/null 2>&1; then
			echo "release: no cross compiler $cc-g++ for linux/$arch; run: bash scripts/deps.sh release" >&2
			exit 2
		fi
	fi
	out=bin/ufa-linux-$arch
	echo "release: $out (full ufa, cgo, DuckDB)" >&2
	if [ -n "$cc" ]; then
		CGO_ENABLED=1 GOOS=linux GOARCH=$arch CC=$cc-gcc CXX=$cc-g++ \
			$go build -trimpath -ldflags='-s -w' -o "$out" ./cmd/ufa
	else
		CGO_ENABLED=1 GOOS=linux GOARCH=$arch \
			$go build -trimpath -ldflags='-s -w' -o "$out" ./cmd/ufa
	fi
done
