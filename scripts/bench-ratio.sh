#!/usr/bin/env bash
# Paired runs of BenchmarkValidateBasket10 and BenchmarkJSONRoundTrip10: each
# pair runs one right after the other, so a busy machine slows both alike.
# Prints both and their ratio per pair, then the median ratio (the goal: <= 5).
# Usage: scripts/bench-ratio.sh [pairs, default 6]
set -euo pipefail
cd "$(dirname "$0")/.."
pairs=${1:-6}
bin=$(mktemp -d)/basket.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./basket
ns() { "$bin" -test.run '^$' -test.bench "$1" | awk '/^Benchmark/ {print $3}'; }
ratios=()
for i in $(seq 1 "$pairs"); do
  v=$(ns 'ValidateBasket10$')
  r=$(ns 'JSONRoundTrip10$')
  ratio=$(awk -v a="$v" -v b="$r" 'BEGIN {printf "%.2f", a/b}')
  echo "pair $i: ValidateBasket10 $v ns/op, JSONRoundTrip10 $r ns/op, ratio $ratio"
  ratios+=("$ratio")
done
printf '%s\n' "${ratios[@]}" | sort -n | awk '{a[NR]=$1} END {m = NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2; printf "median ratio %.2f of %d pairs\n", m, NR}'
