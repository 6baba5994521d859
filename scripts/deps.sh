#!/usr/bin/env bash
# Installs what a new machine lacks for the tests and the demo: Debian's
# Chromium (dashboard tests run in a real headless browser), CJK fonts (so
# screenshots show Chinese) and openpyxl (the peer tool of `make bench`);
# with an argument, what make release or make release-test needs (below).
# Idempotent and quiet when everything is there.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || need+=(fonts-noto-cjk)
/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need+=(python3-openpyxl)
# `deps.sh release`: the C/C++ cross compiler for the Linux architecture
# that is not the host's (make release); `deps.sh release-test` also
# qemu-user, to run that build (make release-test). Heavy, so only then.
case ${1:-} in
release | release-test)
	if [ "$(uname -m)" = aarch64 ]; then cross=x86_64-linux-gnu pkg=g++-x86-64-linux-gnu; else cross=aarch64-linux-gnu pkg=g++-aarch64-linux-gnu; fi
	command -v "$cross-g++" >/dev/null 2>&1 || need+=("$pkg")
	;;
esac
if [ "${1:-}" = release-test ]; then
	command -v qemu-aarch64 >/dev/null 2>&1 || need+=(qemu-user)
	command -v git >/dev/null 2>&1 || need+=(git)
fi
if [ ${#need[@]} -gt 0 ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing ${need[*]}; install them with: sudo apt-get install -y ${need[*]}" >&2
		exit 1
	fi
	echo "deps: installing ${need[*]}" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >/dev/null
	apt-get install -y -qq "${need[@]}" >/dev/null
fi
