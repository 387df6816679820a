#!/usr/bin/env bash
# Alternating wrk rounds against two running servers, A and B: round by
# round, A then B, so a busy machine slows both alike. Prints one RESULT line
# per run; take the median of each side.
# Usage: scripts/wrk-rounds.sh URL_A URL_B [rounds, default 3] [lua script, default wrk-report.lua]
# Example (a 10-leg validate, servers started with `basketlink serve` on ports 8081 and 8082):
#   BASKET=scripts/basket10.json scripts/wrk-rounds.sh \
#     'http://127.0.0.1:8081/api/v1/validate?as_of=2022-11-20' \
#     'http://127.0.0.1:8082/api/v1/validate?as_of=2022-11-20' 3 scripts/wrk-validate.lua
set -euo pipefail
a=$1 b=$2 rounds=${3:-3} script=${4:-"$(dirname "$0")/wrk-report.lua"}
for round in $(seq 1 "$rounds"); do
  for side in A B; do
    url=$a
    [ "$side" = B ] && url=$b
    echo "round $round $side $(wrk -t2 -c32 -d10s -s "$script" "$url" | grep RESULT)"
  done
done
