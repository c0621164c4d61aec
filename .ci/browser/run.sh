#!/usr/bin/env bash
# Browser check of a built evalsite site (issue 6, item 10); see docs/browser-check.md.
#
#   .ci/browser/run.sh SITE_DIR
#
# Installs what it needs when missing (Debian's chromium and fonts-liberation
# when run as root; npm ci from the committed package-lock.json), runs the
# check's own tests on testdata/ (so a check that has stopped catching faults
# fails here), then checks SITE_DIR. Exit status: 0 passed, 1 a check failed,
# 2 bad usage or a broken setup.
#
# Environment: EVALSITE_SHOTS (screenshot folder, default /tmp/evalsite-shots),
# EVALSITE_CHROMIUM (default /usr/bin/chromium), EVALSITE_BROWSER_SELFTEST=0 to
# skip the check's own tests, EVALSITE_XSS_PROBE (see docs/browser-check.md).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$#" -ne 1 ]; then
	echo "usage: $0 SITE_DIR" >&2
	exit 2
fi
site="$1"
if [ ! -f "$site/index.html" ]; then
	echo "browser-check: no $site/index.html: build the site first (go run ./cmd/evalsite --out $site)" >&2
	exit 2
fi
site="$(cd "$site" && pwd)"

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'; }

chromium="${EVALSITE_CHROMIUM:-/usr/bin/chromium}"
need=()
if [ ! -x "$chromium" ]; then need+=(chromium); fi
# Arial, which the theme asks for first, is Liberation Sans on Debian: without
# it text falls back to the wider DejaVu Sans and the A4 check measures another layout.
if command -v dpkg-query >/dev/null && ! installed fonts-liberation; then need+=(fonts-liberation); fi
if [ "${#need[@]}" -gt 0 ]; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
		echo "== browser-check: installing ${need[*]} from Debian"
		export DEBIAN_FRONTEND=noninteractive
		apt-get update -qq
		apt-get install -y -qq "${need[@]}" >/dev/null
	elif [ ! -x "$chromium" ]; then
		echo "browser-check: no Chromium at $chromium: run as root, or sudo apt-get install ${need[*]}" >&2
		exit 2
	else
		echo "browser-check: warning: fonts-liberation is not installed; the print check may differ from CI's" >&2
	fi
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
	echo "browser-check: node and npm (Node.js 20 or later) are needed" >&2
	exit 2
fi
if ! node -e 'process.exit(+process.versions.node.split(".")[0] >= 20 ? 0 : 1)'; then
	echo "browser-check: Node.js $(node --version) is too old: playwright-core needs 20 or later" >&2
	exit 2
fi

cd "$here"
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/axe-core ] ||
	[ package-lock.json -nt node_modules/.package-lock.json ]; then
	echo "== browser-check: npm ci"
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
fi

if [ "${EVALSITE_BROWSER_SELFTEST:-1}" != 0 ]; then
	echo "== browser-check: the check's own tests"
	node --test --test-reporter=spec
fi

echo "== browser-check: $site"
exec node "$here/check.js" "$site"
