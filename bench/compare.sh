#!/usr/bin/env bash
# Side by side: `credits balance`, `hledger bal` and `ledger bal` on the same generated book.
#
#   bench/compare.sh [N]        default N = 100000; writes bench/compare.md
#
# Generates a book of N entries, exports it with `credits export hledger|ledger`, checks
# that all three tools agree on every client's balance (in minutes), then times each with
# hyperfine (median of RUNS, default 5) and measures peak memory with /usr/bin/time, and
# writes a markdown table: time, events/s, peak memory, ratio to `credits`. `credits` runs as
# it does by default (one thread per core); `credits, 1 thread` is `CREDITS_THREADS=1`.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
dir=${BENCH_DIR:-target/bench-books}/compare-$n
runs=${RUNS:-5}
out=${OUT:-bench/compare.md}
cargo build --release --quiet --example generate
cargo build --release --quiet
target=${CARGO_TARGET_DIR:-target}
credits=$target/release/credits
for tool in hyperfine hledger ledger /usr/bin/time python3; do
  command -v "$tool" >/dev/null || { echo "error: $tool is not installed" >&2; exit 1; }
done
[ -f "$dir/journal.credits" ] || "$target/release/examples/generate" "$n" --out "$dir" >/dev/null
today=$(cat "$dir/TODAY")
c=("$credits" -f "$dir" --today "$today")

# 1. Export. Accounts are `assets:prepaid:<client>`, time in minutes (commodity `MIN`).
"${c[@]}" export hledger >"$dir/book.hledger"
"${c[@]}" export ledger >"$dir/book.ledger"

# 2. Agreement: every client's balance, in minutes, from all three.
"${c[@]}" balance --format json >"$dir/credits.json"
hledger -f "$dir/book.hledger" bal assets:prepaid -e "$(date -d "$today + 1 day" +%F)" -O csv >"$dir/hledger.csv"
ledger -f "$dir/book.ledger" bal assets:prepaid -e "$(date -d "$today + 1 day" +%F)" --flat --no-total \
  --balance-format '%(account)\t%(quantity(scrub(display_total)))\n' >"$dir/ledger.tsv"
python3 - "$dir" <<'PY'
import csv, json, sys
from decimal import Decimal
d = sys.argv[1]
want = {c["id"]: Decimal(c["balance_minutes"]) for c in json.load(open(f"{d}/credits.json"))["clients"]}
def minutes(text):
    # hledger prints the `MIN` amount (`1875.36 MIN`, `-30 MIN`, `0`), ledger's format above a
    # bare quantity (`1875.36`); other commodities, if any, come after a comma.
    total = Decimal(0)
    for part in text.replace("\\n", ",").replace("\n", ",").split(","):
        part = part.strip()
        if part.endswith("MIN"):
            part = part[:-3].strip()
        try:
            total += Decimal(part) if part else Decimal(0)
        except ArithmeticError:
            pass
    return total
got = {}
for row in csv.reader(open(f"{d}/hledger.csv")):
    if row and row[0].startswith("assets:prepaid:"):
        got.setdefault("hledger", {})[row[0].split(":")[-1]] = minutes(row[1])
for line in open(f"{d}/ledger.tsv"):
    acct, _, amt = line.rstrip("\n").partition("\t")
    if acct.startswith("assets:prepaid:"):
        got.setdefault("ledger", {})[acct.split(":")[-1]] = minutes(amt)
bad = 0
for tool, bals in got.items():
    for cid, m in want.items():
        if abs(bals.get(cid, Decimal(0)) - m) > Decimal("0.01"):
            bad += 1
            if bad <= 10:
                print(f"{tool}: {cid} has {bals.get(cid)} minutes, credits says {m}", file=sys.stderr)
if bad or len(got) < 2:
    sys.exit(f"the tools disagree on {bad} balances")
print(f"all three agree on {len(want)} clients' balances")
PY

# 3. Time and memory.
hyperfine --warmup 1 --runs "$runs" -N --export-json "$dir/hf.json" \
  -n credits "${c[*]} balance" \
  -n "credits, 1 thread" "env CREDITS_THREADS=1 ${c[*]} balance" \
  -n hledger "hledger -f $dir/book.hledger bal assets:prepaid" \
  -n ledger "ledger -f $dir/book.ledger bal assets:prepaid" >/dev/null
peak() { /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -1; }
kc=$(peak "${c[@]}" balance)
k1=$(peak env CREDITS_THREADS=1 "${c[@]}" balance)
kh=$(peak hledger -f "$dir/book.hledger" bal assets:prepaid)
kl=$(peak ledger -f "$dir/book.ledger" bal assets:prepaid)
python3 - "$dir/hf.json" "$n" "$kc" "$kh" "$kl" "$k1" >"$out" <<'PY'
import json, sys, platform, os, datetime
res = {r["command"]: r["median"] for r in json.load(open(sys.argv[1]))["results"]}
n = int(sys.argv[2])
kb = dict(zip(["credits", "hledger", "ledger", "credits, 1 thread"], map(int, sys.argv[3:7])))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), platform.machine())
print(f"{n:,} entries, {datetime.date.today()}, {cpu}, {os.cpu_count()} cores; medians of hyperfine runs.\n")
print("| tool | median s | events/s | peak memory MB | time / credits |")
print("|---|---:|---:|---:|---:|")
for t in ["credits", "credits, 1 thread", "hledger", "ledger"]:
    print(f"| {t} | {res[t]:.3f} | {n/res[t]:,.0f} | {kb[t]/1024:.0f} | {res[t]/res['credits']:.1f}× |")
PY
cat "$out"
