#!/bin/sh
# bench.sh runs every stage benchmark of evalsite, Hugo's own floor, the
# preview's latency under serve and the end-to-end build, and prints the
# medians, then the table of targets beside them. Run it from the
# repository root:
#
#	scripts/bench.sh            # 20 and 1,000 agreements, 5 runs each
#	scripts/bench.sh -large     # also 10,000 agreements
#	scripts/bench.sh -e2e       # only the end-to-end builds, 20, 1,000 and 10,000
#
# COUNT overrides the number of runs of each benchmark (default 5; with
# -large, 3, since one 10,000-agreement build takes a minute). OUT names the
# folder for the raw results (default $TMPDIR/evalsite-bench). The machine is described first, since every figure
# depends on it. Benchmarks run one package at a time (-p 1): on two cores,
# packages benchmarked side by side would measure each other.
set -eu

large=
e2e_only=
case "${1:-}" in
-large)
	large=1
	export EVALSITE_BENCH_LARGE=1
	;;
-e2e)
	large=1
	e2e_only=1
	;;
"") ;;
*)
	echo "usage: scripts/bench.sh [-large | -e2e]" >&2
	exit 2
	;;
esac
count=${COUNT:-5}
if [ -n "$large" ] && [ -z "${COUNT:-}" ]; then
	count=3
fi
out=${OUT:-${TMPDIR:-/tmp}/evalsite-bench}
mkdir -p "$out"
out=$(cd "$out" && pwd)
raw="$out/bench.txt"

{
	echo "# machine"
	echo "cores: $(nproc)"
	echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
	echo "memory: $(awk '/MemTotal/ {printf "%.1f GB", $2/1024/1024}' /proc/meminfo)"
	echo "go: $(go version)"
	echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "date: $(date -u +%Y-%m-%dT%H:%MZ)"
	echo "commit: $(git rev-parse --short HEAD)$(git status --porcelain | grep -q . && echo ', work tree modified')"
} | tee "$out/machine.txt"

if [ -z "$e2e_only" ]; then
	# The stage benchmarks: ingest (CSV, XLSX and excelize's raw iterator over
	# the same workbooks), metrics, the chart set, the downloads, and the whole
	# build with each stage's seconds (read, metrics, charts, downloads, pages,
	# hugo) from the build's own log.
	# The XLSX sheet reader against excelize's raw iterator on one file
	# (ReadSheet), and Hugo alone writing as many pages as the example makes
	# (HugoFloor), the floor a whole build is a multiple of.
	go test -p 1 -run '^$' -timeout 0 -benchmem -count "$count" \
		-bench '^Benchmark(ReadStage|ReadSheet|Compute|ChartSetStages|WriteExample|Build|HugoFloor)$' \
		./internal/ingest ./internal/metrics ./charts ./internal/publish ./internal/site |
		tee "$raw"

	# The preview: evalsite serve on a free loopback port, an HTTP client
	# polling the edited page from the save of a chapter or of a workbook to
	# the new text. Five edits of each kind in one run, their median
	# reported (median-s/edit); the first build of the site is not timed.
	go test -run '^$' -timeout 0 -count 1 -benchtime 5x \
		-bench '^BenchmarkServeEdit$' ./internal/site | tee -a "$raw"

	echo
	echo "# medians of $count runs (benchstat)"
	if go run golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da "$raw" >"$out/benchstat.txt" 2>"$out/benchstat.err"; then
		cat "$out/benchstat.txt"
	else
		echo "benchstat is not available (it needs the Go module proxy): see $raw"
		cat "$out/benchstat.err"
	fi
fi

# End to end: the evalsite command on the example, wall clock and peak
# memory (maximum resident set size). Each size and format is built once to warm the file cache,
# then three times under /usr/bin/time -v; the -v log of each build, with
# the time of each stage, is kept beside the figures.
echo
echo "# end to end: /usr/bin/time -v evalsite build"
bin="$out/evalsite"
go build -o "$bin" ./cmd/evalsite
sizes="20 1000"
if [ -n "$large" ]; then
	sizes="20 1000 10000"
fi
for n in $sizes; do
	for format in csv xlsx; do
		site="$out/site-$n-$format"
		rm -rf "$site"
		mkdir -p "$site"
		cp -r content hugo.toml "$site/"
		"$bin" example --agreements "$n" --format "$format" --out "$site/data" >/dev/null
		(cd "$site" && "$bin" build >/dev/null 2>&1) || true
		for run in 1 2 3; do
			log="$out/e2e-$n-$format-$run.log"
			(cd "$site" && /usr/bin/time -v "$bin" build -v) >"$log" 2>&1 || echo "build failed: see $log"
			wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log")
			rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")
			echo "agreements=$n format=$format run=$run wall=$wall max_rss=$((${rss:-0} / 1024)) MB"
		done
	done
done | tee "$out/e2e.txt"

echo
echo "# targets (medians of the runs above; load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
bench_in=$raw
if [ -n "$e2e_only" ]; then
	bench_in=/dev/null # not the results of an earlier run
fi
go run ./scripts/benchtable "$bench_in" "$out/e2e.txt" | tee "$out/targets.md"
