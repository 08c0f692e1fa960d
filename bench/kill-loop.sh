#!/usr/bin/env bash
# Kill loop: start a writing command with a long line, SIGKILL it at a random moment, and check
# that the journal is either exactly as it was or has the whole line. Repeats ROUNDS times.
#
#   bench/kill-loop.sh [ROUNDS]          default: 200
#   CREDITS=path/to/credits bench/kill-loop.sh 1000
#
# Builds the debug binary unless CREDITS names one. Exits 1 at the first torn journal and
# leaves the book in the folder it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-200}
[ -n "${CREDITS:-}" ] || cargo build --quiet
credits=${CREDITS:-${CARGO_TARGET_DIR:-target}/debug/credits}
credits=$(realpath "$credits")
book=$(mktemp -d)
cat >"$book/credits.toml" <<'TOML'
[book]
name = "Kill loop"
currency = "USD"
journals = ["journal.credits"]

[clients.acme]
name = "Acme Corp"
TOML
printf '2026-01-05 buy acme 100000h @ 120 USD\n' >"$book/journal.credits"
cd "$book"
# A description that makes the line about 4,000 bytes long.
long=$(printf 'word%.0s ' $(seq 1 790))
long=${long% }
kept=0
written=0
for ((round = 1; round <= rounds; round++)); do
  cp journal.credits before
  desc="round $round $long"
  "$credits" --today 2026-01-06 log acme 1m -- "$desc" >/dev/null 2>&1 &
  pid=$!
  sleep "0.$(printf '%03d' $((RANDOM % 40)))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if cmp -s before journal.credits; then
    kept=$((kept + 1))
    continue
  fi
  { cat before; printf '2026-01-06 log acme 1m %s\n' "$desc"; } >expected
  if ! cmp -s expected journal.credits; then
    echo "round $round: the journal is neither as it was nor with the whole line; see $book" >&2
    exit 1
  fi
  written=$((written + 1))
done
"$credits" --today 2026-01-06 check -q
echo "ok: $rounds rounds, $written lines written whole, $kept journals left as they were"
rm -rf "$book"
