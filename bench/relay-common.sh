# Shared by the relay benchmarks (sourced, not run): a scratch directory and process list that are
# cleaned up on exit, and waiting for a process's ready line.
BIN=Release/net10.0
WORK=$(mktemp -d "${TMPDIR:-/tmp}/relay-bench.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

wait_line() { # file regex
    for _ in $(seq 1 600); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}
