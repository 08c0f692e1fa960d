#!/usr/bin/env bash
# Whole-process timings of `credits` on generated books: hyperfine medians and peak memory.
#
#   bench/run.sh [SIZES...]          default: 10000 100000 1000000
#   CREDITS=path/to/credits bench/run.sh 100000     time another build (e.g. an older one)
#
# Books are generated once into ${BENCH_DIR:-target/bench-books}/N (deterministic, seed 1).
# Needs hyperfine and GNU time (`apt-get install -y hyperfine time`).
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("${@:-10000 100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
dir=${BENCH_DIR:-target/bench-books}
runs=${RUNS:-10}
cargo build --release --quiet --example generate
[ -n "${CREDITS:-}" ] || { cargo build --release --quiet; }
credits=${CREDITS:-${CARGO_TARGET_DIR:-target}/release/credits}
gen=${CARGO_TARGET_DIR:-target}/release/examples/generate
for tool in hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done

echo "| command | entries | journal MB | median s | events/s | peak RSS MB | RSS / file |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for n in "${sizes[@]}"; do
  book="$dir/$n"
  [ -f "$book/journal.credits" ] || "$gen" "$n" --out "$book" >/dev/null 2>&1
  today=$(cat "$book/TODAY")
  bytes=$(stat -c %s "$book/journal.credits")
  measure() { # name, then the command
    local name=$1; shift
    hyperfine --warmup 2 --runs "$runs" --export-json "$dir/hf.json" -N "$*" >/dev/null 2>&1
    local median
    median=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$dir/hf.json")
    local kb
    kb=$(/usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1)
    python3 - "$name" "$n" "$bytes" "$median" "$kb" <<'PY'
import sys
name, n, b, med, kb = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
print(f"| {name} | {n:,} | {b/1e6:.1f} | {med:.3f} | {n/med:,.0f} | {kb/1024:.0f} | {kb*1024/b:.2f} |")
PY
  }
  measure "credits balance" "$credits" -f "$book" --today "$today" balance
  # The same on one thread: the baseline the threads are measured against.
  measure "credits balance, 1 thread" env CREDITS_THREADS=1 "$credits" -f "$book" --today "$today" balance
  measure "credits check" "$credits" -f "$book" --today "$today" check
  measure "wc -l (floor)" wc -l "$book/journal.credits"
  if [ "$n" = 100000 ] && "$credits" log --help >/dev/null 2>&1; then
    # A writing command: validates the new line against the whole book, then appends it.
    cp -r "$book" "$dir/log-$n"
    measure "credits log" "$credits" -f "$dir/log-$n" --today "$today" log c000 15m bench
    measure "credits log, 1 thread" env CREDITS_THREADS=1 "$credits" -f "$dir/log-$n" --today "$today" log c000 15m bench
    rm -rf "$dir/log-$n"
  fi
done
