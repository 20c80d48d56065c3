#!/usr/bin/env bash
# The console's first load, builds side by side (docs/benchmarks.md, "Issue #12"):
#
#   unshare -n bench/console/first-load.sh [--apart] ROUNDS NAME=PATH/Bridge.Service.dll [NAME=…]
#
# --apart: the servers (bridges, floor.js) on CPU 0 and the browser on CPU 1 (taskset), as at home,
# where the browser runs on a phone or a laptop and the bridge on a box of its own. Without it
# Chromium's processes spread over both cores, and waking each other across them costs every page
# more on a paravirtualised guest than the page's own work (docs/benchmarks.md, "Issue #12").
#
# Each round starts every build's demo bridge once, in turn (the order reversed every other
# round, so neither build always follows the other), navigates a fresh Chromium to its `Console:`
# address as soon as it is printed (console-bench.js with SECONDS 0: bytes, first card inserted
# and painted), stops that bridge, then measures floor.js's two trivial pages the same way.
# One tab-separated line per measurement, with the 1-minute load average at its start:
#   round  name  load  card_ms  painted_ms  bytes
# and at the end each name's medians.
# Run it inside a network namespace of its own (`unshare -n`): it brings up lo itself.
set -euo pipefail
cd "$(dirname "$0")"
server_cpu=() browser_cpu=()
if [[ ${1:-} == --apart ]]; then server_cpu=(taskset -c 0) browser_cpu=(taskset -c 1); shift; fi
if [[ $# -lt 2 ]]; then echo "usage: unshare -n $0 [--apart] ROUNDS NAME=BRIDGE_DLL [NAME=BRIDGE_DLL ...]" >&2; exit 2; fi
rounds=$1; shift
builds=("$@")
ip link set lo up

work=$(mktemp -d)
floor_pid=""
bridge_pid=""
cleanup() {
  [[ -n "$bridge_pid" ]] && kill "$bridge_pid" 2>/dev/null || true
  [[ -n "$floor_pid" ]] && kill "$floor_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

"${server_cpu[@]}" node floor.js > "$work/floor.out" &
floor_pid=$!
until grep -q Floor: "$work/floor.out"; do sleep 0.1; done
floor=$(grep -o 'http://[^ ]*' "$work/floor.out")

load() { cut -d' ' -f1 /proc/loadavg; }

# measure ROUND NAME URL
measure() {
  local at result
  at=$(load)
  result=$("${browser_cpu[@]}" node console-bench.js "$3" 0)
  node -e 'const r = JSON.parse(process.argv[1]); console.log([process.argv[2], process.argv[3], process.argv[4], r.interactiveMs, r.firstCardPaintedMs, r.firstLoadBytes].join("\t"))' \
    "$result" "$1" "$2" "$at" | tee -a "$work/lines"
}

printf 'round\tname\tload\tcard_ms\tpainted_ms\tbytes\n'
for ((round = 1; round <= rounds; round++)); do
  order=("${builds[@]}")
  if ((round % 2 == 0)); then
    order=()
    for ((i = ${#builds[@]} - 1; i >= 0; i--)); do order+=("${builds[i]}"); done
  fi
  for build in "${order[@]}"; do
    name=${build%%=*}
    dll=${build#*=}
    data="$work/data-$name-$round"
    mkdir -p "$data"
    "${server_cpu[@]}" dotnet "$dll" --demo --Api:Port=0 --Mqtt:Port=0 --Data:Dir="$data" > "$data/out" 2>&1 &
    bridge_pid=$!
    until grep -q Console: "$data/out"; do
      kill -0 "$bridge_pid" 2>/dev/null || { echo "bridge $name exited:" >&2; cat "$data/out" >&2; exit 1; }
      sleep 0.1
    done
    measure "$round" "$name" "$(grep -o 'http://[^ ]*#token=[^ ]*' "$data/out")"
    kill "$bridge_pid"; wait "$bridge_pid" 2>/dev/null || true
    bridge_pid=""
  done
  measure "$round" floor-static "${floor}static.html"
  measure "$round" floor-module "${floor}module.html"
done

node -e '
  const lines = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(l => l.split("\t"))
  const median = xs => { const s = xs.map(Number).sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2 }
  for (const name of [...new Set(lines.map(l => l[1]))]) {
    const mine = lines.filter(l => l[1] === name)
    console.log(["median", name, median(mine.map(l => l[2])), median(mine.map(l => l[3])), median(mine.map(l => l[4])), median(mine.map(l => l[5]))].join("\t"))
  }' "$work/lines"
