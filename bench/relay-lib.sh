# Sourced by the relay benchmarks: a scratch directory, background processes killed on exit, and
# waiting for a process's ready line.
BIN=${BIN:-Release/net10.0}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/relay-bench.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
# LOADGEN_ENV: how the load generator is started (its JIT done before it measures).
. bench/loadgen-env.sh

wait_line() { # file regex
    for _ in $(seq 1 600); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}

# A relay node (a Release build) on a free port; its URL is in "$WORK/<name>.url" once it is ready.
# One token drives the whole load in a benchmark, so the per-token rate that protects real homes is lifted.
start_relay() { # name [relay options...]
    local name=$1; shift
    dotnet "Bridge.Relay/bin/$BIN/Bridge.Relay.dll" --Relay:Port=0 --Relay:TokenFramesPerSecond=1000000 --Relay:TokenBurst=1000000 \
        "$@" >"$WORK/$name.out" 2>"$WORK/$name.err" &
    PIDS+=($!)
    wait_line "$WORK/$name.out" '^Relay: ws://'
    sed -n 's/^Relay: //p' "$WORK/$name.out" >"$WORK/$name.url"
}

# The demo bridge with $LAMPS lamps, linked to the relay URL(s) given; sets LOCAL, TOKEN and ID.
start_bridge() { # relay url(s)
    dotnet "Bridge.Service/bin/$BIN/Bridge.Service.dll" --demo --Demo:Lamps="$LAMPS" --Api:Port=0 --Mqtt:Port=0 \
        --Data:Dir="$WORK/data" --Relay:Url="$1" >"$WORK/bridge.out" 2>"$WORK/bridge.err" &
    PIDS+=($!)
    wait_line "$WORK/bridge.out" '^Relay: connected'
    LOCAL=$(sed -n 's/^Local API: //p' "$WORK/bridge.out")
    TOKEN=$(sed -n 's/^Access token: //p' "$WORK/bridge.out")
    ID=$(sed -n 's/^Bridge id: //p' "$WORK/bridge.out")
}
