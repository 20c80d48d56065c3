# Sourced by the relay benchmarks: a scratch directory, background processes killed on exit, and
# waiting for a process's ready line.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/relay-bench.XXXXXX")
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

wait_line() { # file regex
    for _ in $(seq 1 600); do grep -qE "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1" >&2; cat "$1" >&2; return 1
}
