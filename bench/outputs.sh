#!/usr/bin/env bash
# Hashes of what every reading command prints, in every format, on the demo books and on
# generated books: run it before and after a change that must not change any output, then
# `diff` the two files.
#
#   bench/outputs.sh OUT.txt [SIZES...]        default sizes: 100000 1000000
#   CREDITS=path/to/credits bench/outputs.sh old.txt       hash another build's output
#
# Each line is `sha256  exit-code  book  command`. Books are generated once into
# ${BENCH_DIR:-target/bench-books}/N (deterministic, seed 1).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$1; shift
sizes=("${@:-100000 1000000}")
read -r -a sizes <<<"${sizes[*]}"
dir=${BENCH_DIR:-target/bench-books}
[ -n "${CREDITS:-}" ] || cargo build --release --quiet
credits=${CREDITS:-${CARGO_TARGET_DIR:-target}/release/credits}
cargo build --release --quiet --example generate
gen=${CARGO_TARGET_DIR:-target}/release/examples/generate

: >"$out"
run() { # book, today, then the command's words
  local book=$1 today=$2; shift 2
  local sum code
  set +e
  sum=$("$credits" -f "$book" --today "$today" "$@" 2>&1 | sha256sum | cut -d' ' -f1; exit "${PIPESTATUS[0]}")
  code=$?
  set -e
  printf '%s  %s  %s  %s\n' "$sum" "$code" "$(basename "$book")" "$*" >>"$out"
}
every_command() { # book, today, a client, a month
  local book=$1 today=$2 client=$3 month=$4
  for f in text json csv md; do
    run "$book" "$today" --format "$f" balance
    run "$book" "$today" --format "$f" balance "$client"
    run "$book" "$today" --format "$f" clients
    run "$book" "$today" --format "$f" expiring
    run "$book" "$today" --format "$f" usage
    run "$book" "$today" --format "$f" usage "$client" --by week
    run "$book" "$today" --format "$f" quotes
    run "$book" "$today" --format "$f" statement "$client" --month "$month"
    run "$book" "$today" --format "$f" statement --all --month "$month"
    run "$book" "$today" --format "$f" check
    run "$book" "$today" --format "$f" register
    run "$book" "$today" --format "$f" register "$client" --month "$month"
    run "$book" "$today" --format "$f" register --kind log --month "$month"
    run "$book" "$today" --format "$f" projects
  done
  run "$book" "$today" --format html statement "$client" --month "$month"
  for to in hledger ledger beancount csv json; do
    run "$book" "$today" export "$to"
  done
}
every_command journals/anytime 2026-11-22 bakery 2026-03
every_command journals/support 2026-11-22 sakura 2026-10
every_command journals/blockhours 2026-11-22 greenleaf 2026-07
for n in "${sizes[@]}"; do
  book="$dir/$n"
  [ -f "$book/journal.credits" ] || "$gen" "$n" --out "$book" >/dev/null 2>&1
  today=$(cat "$book/TODAY")
  client=$(sed -n 's/^\[clients\.\([a-z0-9_-]*\)\].*/\1/p' "$book/credits.toml" | head -1)
  every_command "$book" "$today" "$client" "${today:0:7}"
done
echo "$(wc -l <"$out") outputs hashed into $out"
