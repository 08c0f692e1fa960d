#!/usr/bin/env bash
# Times `credits balance` on the benchmark shapes (`examples/shapes.rs`): the books that stress
# one part of the replay each (many open lots, many expiries, grants that never lapse, many
# plans through 9999, lines recorded late, journals listed newest first, every client with lines recorded a month late). Prints a Markdown table: median wall seconds and peak RSS.
#
#   bench/shapes.sh                               this worktree's release build
#   CREDITS=path/to/credits bench/shapes.sh       another build (e.g. an older one)
#
# Shapes are generated once into ${SHAPES_DIR:-target/bench-shapes}. Uses farm-bench when
# installed, else hyperfine (`apt-get install -y hyperfine time`); GNU time for the memory.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${SHAPES_DIR:-target/bench-shapes}
runs=${RUNS:-5}
cargo build --release --quiet --example shapes
[ -n "${CREDITS:-}" ] || { cargo build --release --quiet; }
credits=${CREDITS:-${CARGO_TARGET_DIR:-target}/release/credits}
"${CARGO_TARGET_DIR:-target}/release/examples/shapes" --out "$dir" >/dev/null
command -v /usr/bin/time >/dev/null || { echo "error: GNU time is not installed" >&2; exit 1; }

median() { # the command; prints its median wall seconds
  if command -v farm-bench >/dev/null; then
    farm-bench -n "$runs" --timeout 3600 -- "$@" 2>&1 | awk '/^A wall s/ { print $4 }'
  elif command -v hyperfine >/dev/null; then
    hyperfine --warmup 1 --runs "$runs" --export-json "$dir/hf.json" -N "$*" >/dev/null 2>&1
    python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["results"][0]["median"])' "$dir/hf.json"
  else
    echo "error: neither farm-bench nor hyperfine is installed" >&2
    exit 1
  fi
}

echo "| shape | entries | median s | peak RSS MB |"
echo "|---|---:|---:|---:|"
for shape in a-5000 a-50000 b-5000 b-50000 c-5000 c-50000 d e f-5000 f-50000 g-5000 g-50000 h-50000 h-1000000; do
  book="$dir/$shape"
  today=$(cat "$book/TODAY")
  entries=$(cat "$book/journal.credits" "$book"/archive/*.credits 2>/dev/null | grep -c .)
  s=$(median "$credits" -f "$book" --today "$today" balance)
  kb=$(/usr/bin/time -f %M "$credits" -f "$book" --today "$today" balance 2>&1 >/dev/null | tail -1)
  printf '| %s | %s | %s | %s |\n' "$shape" "$entries" "$s" "$((kb / 1024))"
done
