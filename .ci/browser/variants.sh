#!/usr/bin/env bash
# Browser check of sites built from folders that lack datasets: only the
# agreements, then each of freedoms, events and codings missing in turn. Each
# must build, and pass the browser check with no broken link or missing asset
# (see docs/browser-check.md).
#
#   .ci/browser/variants.sh EVALSITE_BINARY
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
if [ "$#" -ne 1 ]; then
	echo "usage: $0 EVALSITE_BINARY" >&2
	exit 2
fi
evalsite="$1"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

"$evalsite" example --format csv --out "$work/full" >/dev/null
declare -A keep=(
	[agreements-only]="agreements"
	[no-freedoms]="agreements events codings codebook"
	[no-events]="agreements freedoms codings codebook"
	[no-codings]="agreements freedoms events"
)
status=0
for v in agreements-only no-freedoms no-events no-codings; do
	mkdir -p "$work/$v/data"
	for d in ${keep[$v]}; do cp "$work/full/$d.csv" "$work/$v/data/"; done
	echo "== browser-check: a folder with $v"
	"$evalsite" --root "$work/$v" --out "$work/$v/public"
	# The probe text lives in the example's interview excerpts: not every
	# variant has them. The check's own tests ran with the full example.
	EVALSITE_XSS_PROBE= EVALSITE_SHOTS= EVALSITE_BROWSER_SELFTEST=0 \
		"$here/run.sh" "$work/$v/public" || status=1
done
exit "$status"
