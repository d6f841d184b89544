#!/usr/bin/env bash
# Reruns every benchmark of the kit and summarises it. It runs go test -bench over each package
# and the router load runs (routerbench driving loadgen in a separate process). Then benchstat
# prints the median and its 95% confidence interval, and benchtable the ratios and targets
# of BENCHMARKS.md. Raw output goes to scripts/out/ (git-ignored):
#   raw/LABEL.txt    go test -bench output, or routerbench output for "load"
#   stat/LABEL.txt   benchstat's table; stat/LABEL.csv the same as CSV
#   tables.md        the tables of BENCHMARKS.md
#   prof/            CPU profiles and test binaries, with --profile
#   machine.txt      cores, CPU, Go version, load average and commit of the run
#
# Usage: scripts/bench.sh [--quick] [--profile]
#   --quick    each benchmark once (-count=1 -benchtime=1x) and short load runs: checks that
#              everything compiles and runs, in under a minute; the numbers mean nothing,
#              and they replace any earlier run's output in scripts/out/
#   --profile  also write a CPU profile of each package and of the router load runs
# Environment: BENCH_COUNT (default 10) runs of each benchmark, BENCH_TIME (default 1s)
# go test -benchtime, LOAD_REQUESTS (default 20000) requests of each load run.
set -euo pipefail
cd "$(dirname "$0")/.."

readonly BENCHSTAT=golang.org/x/perf/cmd/benchstat@v0.0.0-20260908200009-22c9c6c9d4da
readonly OUT=scripts/out

# LABEL=PACKAGE: the label names the output files and the rows of benchtable.
readonly PACKAGES=(
	client=./client/
	middleware=./middleware/
	spacetest=./spacetest/
	router=./internal/router/
	spacedev=./cmd/spacedev/
	spacefile=./spacefile/
)

quick=false
profile=false
for arg in "$@"; do
	case "$arg" in
	--quick) quick=true ;;
	--profile) profile=true ;;
	-h | --help)
		awk 'NR > 1 && !/^#/ { exit } NR > 1 { sub(/^# ?/, ""); print }' "$0"
		exit 0
		;;
	*)
		echo "bench.sh: unknown argument $arg: use --quick, --profile or --help" >&2
		exit 2
		;;
	esac
done

if $quick; then
	go_flags=(-count=1 -benchtime=1x)
	load_flags=(-count 1 -n 200 -warmup 20)
else
	go_flags=(-count="${BENCH_COUNT:-10}" -benchtime="${BENCH_TIME:-1s}")
	load_flags=(-count "${BENCH_COUNT:-10}" -n "${LOAD_REQUESTS:-20000}")
fi

rm -rf "$OUT"
mkdir -p "$OUT/raw" "$OUT/stat" "$OUT/bin" "$OUT/prof"
failed=()

write_machine() {
	{
		echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
		echo "cores: $(nproc)"
		echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
		echo "go: $(go version)"
		echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
		echo "go test flags: -run '^\$' -bench . -benchmem ${go_flags[*]}"
		echo "routerbench flags: ${load_flags[*]}"
	} >"$OUT/machine.txt"
}

# bench_package runs the benchmarks of one package into raw/LABEL.txt.
bench_package() {
	local label=$1 pkg=$2
	local flags=(-run '^$' -bench . -benchmem "${go_flags[@]}")
	if $profile; then
		flags+=(-cpuprofile "$OUT/prof/$label.cpu.prof" -o "$OUT/prof/$label.test")
	fi
	echo "== go test ${flags[*]} $pkg"
	if ! go test "${flags[@]}" "$pkg" >"$OUT/raw/$label.txt" 2>&1; then
		tail -n 20 "$OUT/raw/$label.txt" >&2
		failed+=("$label")
	fi
}

# bench_load builds loadgen and routerbench and runs the router load runs into raw/load.txt.
bench_load() {
	local flags=("${load_flags[@]}" -loadgen "$OUT/bin/loadgen")
	if $profile; then
		flags+=(-cpuprofile "$OUT/prof/load.cpu.prof")
	fi
	echo "== routerbench ${flags[*]}"
	if ! go build -o "$OUT/bin/loadgen" ./scripts/loadgen ||
		! go build -o "$OUT/bin/routerbench" ./scripts/routerbench ||
		! "$OUT/bin/routerbench" "${flags[@]}" >"$OUT/raw/load.txt"; then
		failed+=(load)
	fi
}

# summarise runs benchstat on every raw file that has benchmark lines, then benchtable.
summarise() {
	local raw label
	for raw in "$OUT"/raw/*.txt; do
		label=$(basename "$raw" .txt)
		if ! grep -q '^Benchmark' "$raw"; then
			echo "bench.sh: $raw has no benchmark lines" >&2
			failed+=("$label")
			continue
		fi
		go run "$BENCHSTAT" "$raw" >"$OUT/stat/$label.txt"
		go run "$BENCHSTAT" -format csv "$raw" >"$OUT/stat/$label.csv" 2>/dev/null
	done
	if [ -s "$OUT/raw/load.txt" ]; then
		go run "$BENCHSTAT" -col /proxy -row /conns "$OUT/raw/load.txt" \
			>"$OUT/stat/load-by-proxy.txt"
	fi
	go run ./scripts/benchtable -dir "$OUT/stat" >"$OUT/tables.md"
}

write_machine
for entry in "${PACKAGES[@]}"; do
	bench_package "${entry%%=*}" "${entry#*=}"
done
bench_load
echo "== benchstat"
summarise
echo "== done: $OUT/tables.md"

if [ ${#failed[@]} -gt 0 ]; then
	echo "bench.sh: failed: ${failed[*]}; see $OUT/raw/" >&2
	exit 1
fi
