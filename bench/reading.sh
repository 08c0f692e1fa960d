#!/usr/bin/env bash
# Times every reading command on a generated book, beside `balance`: median wall seconds, peak
# RSS, and both as ratios (time to `balance`'s, memory to the journal's size). Markdown table.
#
#   bench/reading.sh [SIZE]                       default 1000000; this worktree's release build
#   CREDITS=path/to/credits bench/reading.sh      another build (e.g. an older one)
#
# Books are generated once into ${BENCH_DIR:-target/bench-books}/N (deterministic, seed 1),
# as `bench/run.sh` does. Uses farm-bench when installed, else hyperfine; GNU time for memory.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000000}
dir=${BENCH_DIR:-target/bench-books}
runs=${RUNS:-3}
cargo build --release --quiet --example generate
[ -n "${CREDITS:-}" ] || { cargo build --release --quiet; }
credits=${CREDITS:-${CARGO_TARGET_DIR:-target}/release/credits}
book="$dir/$n"
[ -f "$book/journal.credits" ] || "${CARGO_TARGET_DIR:-target}/release/examples/generate" "$n" --out "$book" >/dev/null 2>&1
today=$(cat "$book/TODAY")
client=$(sed -n 's/^\[clients\.\([a-z0-9_-]*\)\].*/\1/p' "$book/credits.toml" | head -1)
month=${today:0:7}
bytes=$(stat -c %s "$book/journal.credits")

median() { # the command; prints its median wall seconds
  if command -v farm-bench >/dev/null; then
    farm-bench -n "$runs" --timeout 3600 -- "$@" 2>&1 | awk '/^A wall s/ { print $4 }'
  else
    hyperfine --warmup 1 --runs "$runs" --export-json "$dir/hf.json" -N "$*" >/dev/null 2>&1
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$dir/hf.json"
  fi
}

echo "| command ($n entries, journal $((bytes / 1000000)) MB) | median s | × balance | peak RSS MB | RSS / journal |"
echo "|---|---:|---:|---:|---:|"
base=""
measure() { # label, then the command's words after the book
  local label=$1; shift
  local s kb
  s=$(median "$credits" -f "$book" --today "$today" "$@")
  kb=$(/usr/bin/time -f %M "$credits" -f "$book" --today "$today" "$@" 2>&1 >/dev/null | tail -1)
  [ -n "$base" ] || base=$s
  python3 - "$label" "$s" "$base" "$kb" "$bytes" <<'PY'
import sys
label, s, base, kb, b = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"| {label} | {s:.2f} | {s/base:.1f} | {kb/1024:.0f} | {kb*1024/b:.2f} |")
PY
}
measure "balance" balance
measure "statement CLIENT --month" statement "$client" --month "$month"
measure "statement --all --month" statement --all --month "$month"
measure "expiring" expiring
measure "usage" usage
measure "clients" clients
measure "quotes" quotes
measure "register --month" register --month "$month"
measure "projects" projects
for to in hledger ledger beancount csv json; do
  measure "export $to" export "$to"
done
