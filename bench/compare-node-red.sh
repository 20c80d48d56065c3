#!/usr/bin/env bash
# Head-to-head: DeviceBridge against a Node-RED flow doing the same job (issue #2), on the same
# private Mosquitto and the same crowd of Node.js Tasmota lamps. See bench/README.md.
#
#   bench/compare-node-red.sh [--no-build] [--systems "node-red bridge"] [--lamps 100]
#                             [--single-count 5000] [--multi-count 50000] [--repeat 1]
#                             [--prime-count 20000] [--cold] [--breakdown]
#
# For each system in turn it primes it (unmeasured: 10×100 × --prime-count commands in 8 runs, so
# 80 connections, then 1×1 × a tenth of that), then runs the project's load generator twice:
#   single: --connections 1  --inflight 1   --count 5000
#   multi:  --connections 10 --inflight 100 --count 50000 --per-device ceil(1000/lamps)
#           (several sets to one lamp in flight at once: 10 lamps get 100 each)
# Every reply must carry the power value its set asked for (else it counts as wrong_state).
# Systems: node-red, bridge (runtime defaults), bridge-tc0 (DOTNET_TieredCompilation=0: no
# background re-JIT competing for the cores), bridge-r2r (the bridge as installed: published for
# linux-x64, which compiles it ReadyToRun with quick JIT off, and started with the DOTNET_
# environment of configs/systemd/devicebridge.service; hot methods still tier up).
# A bridge system followed by "+NAME=VALUE" (repeatable) runs with that extra environment;
# "bridge@DIR" runs the build in DIR (another commit's output, for an A/B in one run).
# --cold (bridge only): first, on the freshly started bridge, multi then single with only the
# load generator's 500 warm-up commands each and no priming; then the primed runs as usual.
# and reads the system's CPU time (utime+stime of its one process, /proc/<pid>/stat) before
# and after each run: CPU µs per command = CPU time / (measured + warm-up commands).
# --breakdown: during each measured 1×1 run, half a second of the machine's socket system calls
# (perf, tracepoints) split into the links of one command's path (bench/node-red/breakdown.py):
# load generator → system → broker → lamp → broker → system → load generator, medians in µs.
# Prints a table; the raw JSON lines go to results.jsonl in a temporary directory (printed).
# Every process it starts is stopped on exit.
set -euo pipefail
SCRIPT=$(readlink -f "$0")
cd "$(dirname "$SCRIPT")/.."
ROOT=$PWD
BENCH=$ROOT/bench/node-red

BUILD=1
SYSTEMS="node-red bridge bridge-tc0"
LAMPS=100
SINGLE_COUNT=5000
MULTI_COUNT=50000
REPEAT=1
PRIME_COUNT=20000
COLD=0
BREAKDOWN=0
while (($#)); do
    case "$1" in
        --no-build) BUILD=0 ;;
        --systems) SYSTEMS=$2; shift ;;
        --lamps) LAMPS=$2; shift ;;
        --single-count) SINGLE_COUNT=$2; shift ;;
        --multi-count) MULTI_COUNT=$2; shift ;;
        --repeat) REPEAT=$2; shift ;;
        --prime-count) PRIME_COUNT=$2; shift ;;
        --cold) COLD=1 ;;
        --breakdown) BREAKDOWN=1 ;;
        -h|--help) sed -n '2,26p' "$SCRIPT" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "compare-node-red: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 MSBUILDDISABLENODEREUSE=1
SERVICE_DLL=$ROOT/Bridge.Service/bin/Release/net10.0/Bridge.Service.dll
SIM_DLL=$ROOT/Bridge.Simulator/bin/Release/net10.0/Bridge.Simulator.dll
NODE_RED_TOKEN=node-red-bench
LOADGEN_TIMEOUT=300     # seconds for one whole load-generator run
COMMAND_TIMEOUT=10      # seconds the load generator waits for one reply before counting an error
CLK_TCK=$(getconf CLK_TCK)
# Sets to one lamp in flight at once in the 10×100 runs: all 1,000 fit on the lamps (at most the
# bridge's Commands:MaxQueuedPerDevice, 256).
PER_DEVICE=$(( (1000 + LAMPS - 1) / LAMPS ))
((PER_DEVICE <= 256)) || PER_DEVICE=256

WORK=$(mktemp -d /tmp/devicebridge-vs-node-red.XXXXXX)
RESULTS=$WORK/results.jsonl
PIDS=()

log() { echo "compare-node-red: $*" >&2; }
die() { log "$*"; exit 1; }

# shellcheck source=bench/node-red/harness.sh
. "$BENCH/harness.sh"
# shellcheck source=bench/loadgen-env.sh
. "$ROOT/bench/loadgen-env.sh"
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- prerequisites ---------------------------------------------------------------------------

if [[ ! -x /usr/sbin/mosquitto ]]; then
    log "installing mosquitto"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq mosquitto >/dev/null
    # The package may start a system broker on 1883; we use our own.
    systemctl stop mosquitto >/dev/null 2>&1 || true
fi
command -v node >/dev/null || die "node is needed (Debian: apt-get install nodejs npm)"
command -v python3 >/dev/null || die "python3 is needed"
if ((BREAKDOWN)) && ! command -v perf >/dev/null; then
    log "installing perf (for --breakdown)"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq linux-perf >/dev/null || die "--breakdown needs perf"
fi
if [[ ! -d $BENCH/node_modules/node-red || ! -d $BENCH/node_modules/mqtt ]]; then
    log "installing node-red and mqtt (npm ci in bench/node-red)"
    (cd "$BENCH" && npm ci --no-audit --no-fund >"$WORK/npm.log" 2>&1) || { tail -20 "$WORK/npm.log" >&2; die "npm ci failed"; }
fi

if ((BUILD)); then
    for attempt in 1 2 3 4 5; do
        if dotnet build -c Release DeviceBridge.sln >"$WORK/build.log" 2>&1; then break; fi
        ((attempt < 5)) || { tail -30 "$WORK/build.log" >&2; die "build failed 5 times"; }
        log "build failed (attempt $attempt; maybe someone is mid-edit), retrying in 60 s"
        sleep 60
    done
fi
[[ -f $SERVICE_DLL && -f $SIM_DLL ]] || die "no Release build of Bridge.Service / Bridge.Simulator"

# --- broker and lamps ------------------------------------------------------------------------

start_broker_and_lamps "$LAMPS"

# --- the systems -----------------------------------------------------------------------------

start_node_red() { # sets SYS_PID, SYS_URL, SYS_TOKEN
    local port dir=$WORK/node-red
    port=$(free_port)
    mkdir -p "$dir"
    cp "$BENCH/flow.json" "$dir/flow.json"
    MQTT_HOST=127.0.0.1 MQTT_PORT=$MQTT_PORT NODE_RED_PORT=$port NODE_RED_BENCH_TOKEN=$NODE_RED_TOKEN \
        node "$BENCH/node_modules/node-red/red.js" -u "$dir" -s "$BENCH/settings.js" "$dir/flow.json" \
        >"$WORK/node-red.log" 2>&1 &
    SYS_PID=$!
    PIDS+=("$SYS_PID")
    wait_for_line "$WORK/node-red.log" "Connected to broker" 60 "$SYS_PID" >/dev/null || return 1
    SYS_URL="ws://127.0.0.1:$port/api/v1/ws"
    SYS_TOKEN=$NODE_RED_TOKEN
    grep -m1 "Node-RED version" "$WORK/node-red.log" | sed 's/.*\] //' >&2
}

publish_r2r() { # the bridge published ReadyToRun into $WORK/r2r (a RID-specific publish: crossgen2)
    [[ -f $WORK/r2r/Bridge.Service.dll ]] && return 0
    log "publishing the bridge ReadyToRun"
    # No vulnerability audit: it needs nuget.org, and the harness runs inside a network namespace.
    dotnet publish "$ROOT/Bridge.Service" -c Release -r linux-x64 --self-contained false -p:PublishReadyToRun=true -p:NuGetAudit=false \
        -o "$WORK/r2r" >"$WORK/publish-r2r.log" 2>&1 || { tail -20 "$WORK/publish-r2r.log" >&2; return 1; }
}

installed_env() { # the runtime knobs the systemd unit sets: its Environment=DOTNET_… lines
    sed -n 's/^Environment=\(DOTNET_[A-Za-z0-9_]*=[^[:space:]]*\)$/\1/p' "$ROOT/configs/systemd/devicebridge.service"
}

start_bridge() { # dll [env...] sets SYS_PID, SYS_URL, SYS_TOKEN
    local dll=$1 data=$WORK/bridge-data-$RANDOM line
    shift
    mkdir -p "$data"
    SYS_TOKEN=$(timeout 60 dotnet "$dll" token --name bench --Data:Dir="$data") || { log "token command failed"; return 1; }
    env "$@" dotnet "$dll" --Mqtt:Url="mqtt://127.0.0.1:$MQTT_PORT" --Api:Bind=127.0.0.1 --Api:Port=0 --Data:Dir="$data" \
        >"$WORK/bridge.log" 2>&1 &
    SYS_PID=$!
    PIDS+=("$SYS_PID")
    line=$(wait_for_line "$WORK/bridge.log" "^Local API: ws://" 60 "$SYS_PID") || return 1
    SYS_URL=${line#Local API: }
    SYS_URL=${SYS_URL%%[[:space:]]*}
    echo "DeviceBridge $(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- Bridge.Service Bridge.Protocols || echo '+uncommitted changes')" >&2
}

machine_busy_ticks() { # all CPUs' non-idle time since boot, in clock ticks (/proc/stat)
    local cpu user nice system idle iowait irq softirq steal rest
    read -r cpu user nice system idle iowait irq softirq steal rest </proc/stat
    echo $((user + nice + system + irq + softirq + steal))
}

context_switches() { # voluntary + involuntary, all threads of one process
    local n=0 t v
    for t in /proc/"$1"/task/*/status; do
        v=$(awk '/ctxt_switches/ {n += $2} END {print n + 0}' "$t" 2>/dev/null) && n=$((n + v))
    done
    echo "$n"
}

thread_switches() { # pid file: "<thread name>\t<voluntary + involuntary>" per thread, to see which threads wake
    local t name
    for t in /proc/"$1"/task/*; do
        # A thread may end between the listing and the read: skip it.
        name=$(tr ' ' '_' 2>/dev/null <"$t/comm") || continue
        awk -v name="$name" '/ctxt_switches/ {n += $2} END {print name "\t" n + 0}' "$t/status" 2>/dev/null || true
    done >"$2"
}

trace_single() { # system: a second into a 1×1 run, half a second of socket calls, split by link
    local system=$1 n data loadgen
    sleep 1
    loadgen=$(pgrep -f -n "loadgen --url $SYS_URL") || return 1
    n=$(find "$WORK" -maxdepth 1 -name "breakdown-*.txt" | wc -l)
    data=$WORK/breakdown-$n.data
    perf record -q -o "$data" -a -e 'syscalls:sys_enter_sendto,syscalls:sys_enter_sendmsg,syscalls:sys_enter_write,syscalls:sys_enter_writev,syscalls:sys_exit_recvfrom,syscalls:sys_exit_recvmsg,syscalls:sys_exit_read,syscalls:sys_exit_readv' \
        --exclude-perf -- sleep 0.5 >/dev/null 2>>"$WORK/breakdown.err" || return 1
    perf script -i "$data" -F comm,pid,tid,cpu,time,event,trace 2>>"$WORK/breakdown.err" |
        python3 "$BENCH/breakdown.py" "$SYS_PID" "$MOSQUITTO_PID" "$loadgen" >"$WORK/breakdown-$n.txt" 2>>"$WORK/breakdown.err" || return 1
    rm -f "$data"
    { echo "  $system 1×1, one command's path:"; sed 's/^/    /' "$WORK/breakdown-$n.txt"; } >&2
}

run_scenario() { # system scenario connections inflight count [loadgen args...]
    local system=$1 scenario=$2 k=$3 c=$4 n=$5 sys0 sys1 mq0 mq1 lamps0 lamps1 all0 all1 ctx0 ctx1 t0 t1 rc out
    sys0=$(cpu_ticks "$SYS_PID"); jit_threads "$SYS_PID" "$WORK/jit0"; mq0=$(cpu_ticks "$MOSQUITTO_PID"); lamps0=$(cpu_ticks "$LAMPS_PID")
    ctx0=$(context_switches "$SYS_PID")
    thread_switches "$SYS_PID" "$WORK/threads0"
    all0=$(machine_busy_ticks); t0=$(date +%s.%N)
    shift 5
    local extra=("$@") load
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    ((k * c > 1)) && extra+=(--per-device "$PER_DEVICE")
    local tracing=
    if ((BREAKDOWN)) && [[ $scenario == single ]]; then
        trace_single "$system" &
        tracing=$!
    fi
    set +e
    # The wrapper writes the load generator's own CPU time (its rusage) to loadgen.cpu.
    out=$(python3 -c '
import resource, subprocess, sys
r = subprocess.run(sys.argv[2:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
open(sys.argv[1], "w").write("%.3f\n" % (u.ru_utime + u.ru_stime))
sys.exit(r.returncode)' "$WORK/loadgen.cpu" timeout "$LOADGEN_TIMEOUT" env "${LOADGEN_ENV[@]}" dotnet "$SIM_DLL" loadgen --url "$SYS_URL" --token "$SYS_TOKEN" \
        --connections "$k" --inflight "$c" --count "$n" --timeout "$COMMAND_TIMEOUT" "${extra[@]}" 2>>"$WORK/loadgen.err")
    rc=$?
    set -e
    [[ -n $tracing ]] && { wait "$tracing" || log "$system: no breakdown (see $WORK/breakdown.err)"; }
    t1=$(date +%s.%N); all1=$(machine_busy_ticks)
    sys1=$(cpu_ticks "$SYS_PID"); jit_threads "$SYS_PID" "$WORK/jit1"; mq1=$(cpu_ticks "$MOSQUITTO_PID"); lamps1=$(cpu_ticks "$LAMPS_PID")
    ctx1=$(context_switches "$SYS_PID")
    thread_switches "$SYS_PID" "$WORK/threads1"
    if [[ $rc -ne 0 || -z $out ]]; then
        log "$system $scenario: load generator exit $rc"
        tail -5 "$WORK/loadgen.err" >&2
        out='{}'
    fi
    python3 - "$system" "$scenario" "$k" "$c" "$CLK_TCK" "$rc" "$out" "$((sys1 - sys0))" "$((mq1 - mq0))" \
        "$((lamps1 - lamps0))" "$(cat "$WORK/loadgen.cpu" 2>/dev/null || echo 0)" "$((all1 - all0))" \
        "$(echo "$t1 - $t0" | bc)" "$((ctx1 - ctx0))" "$load" "$WORK/threads0" "$WORK/threads1" "$WORK/jit0" "$WORK/jit1" >>"$RESULTS" <<'EOF'
import collections, json, sys
system, scenario, k, c, clk, rc, line, sys_t, mq_t, lamps_t, loadgen_s, all_t, wall, ctx, load, threads0, threads1, jit0, jit1 = sys.argv[1:]
def by_name(path):
    # Threads that ended or began during the run count from zero; names group the pool's workers.
    n = collections.Counter()
    for row in open(path):
        name, _, count = row.rstrip("\n").partition("\t")
        if count: n[name] += int(count)
    return n
switches = by_name(threads1)
switches.subtract(by_name(threads0))
clk = int(clk)
# The JIT's background worker ends after 4 s idle and a new one starts with the next burst: one new
# in the run counts from zero; one that ended during it is missing with all its CPU in the run. So
# cpu_s_jit is a lower bound of the tier-up work, and leaves out first compiles on calling threads.
jit_before = dict(l.split() for l in open(jit0) if l.strip())
jit_t = sum(int(t) - int(jit_before.get(tid, 0)) for tid, t in (l.split() for l in open(jit1) if l.strip()))
r = json.loads(line.strip().splitlines()[-1]) if line.strip() else {}
cpu_s = int(sys_t) / clk
commands = r.get("count", 0) + r.get("warmup", 0)
ours = cpu_s + int(mq_t) / clk + int(lamps_t) / clk + float(loadgen_s)
out = {"system": system, "scenario": scenario, "connections": int(k), "inflight": int(c),
       "cpu_s": round(cpu_s, 3),
       # Of that, .NET's background tier-up worker (a lower bound, see above): near 0 once warm.
       "cpu_s_jit": round(int(jit_t) / clk, 3),
       "cpu_us_per_command": round(cpu_s * 1e6 / commands, 1) if commands else None,
       "context_switches_per_command": round(int(ctx) / commands, 2) if commands else None,
       "context_switches_per_command_by_thread": {k: round(v / commands, 2) for k, v in switches.most_common() if v > 0} if commands else None,
       # Where the machine's CPU went during the run, in seconds: the broker, the lamps, the load
       # generator, and everything else on the machine (someone else's work skews a run).
       "cpu_s_broker": round(int(mq_t) / clk, 3), "cpu_s_lamps": round(int(lamps_t) / clk, 3),
       "cpu_s_loadgen": round(float(loadgen_s), 3),
       "cpu_s_outside": round(max(0.0, int(all_t) / clk - ours), 3),
       "wall_s": round(float(wall), 3), "loadavg_at_start": load,
       "loadgen_exit": int(rc), "loadgen": r}
print(json.dumps(out))
EOF
    tail -1 "$RESULTS" | python3 -c '
import json, sys
r = json.load(sys.stdin)
g = r["loadgen"]
print("  %s %s: %s/s p50 %s us p99 %s us, %s us CPU/command, errors %s | CPU s: system %s (JIT %s), broker %s, lamps %s, loadgen %s, outside %s; wall %s s" % (
      r["system"], r["scenario"], g.get("commands_per_s"), g.get("p50_us"), g.get("p99_us"), r["cpu_us_per_command"],
      g.get("errors"), r["cpu_s"], r["cpu_s_jit"], r["cpu_s_broker"], r["cpu_s_lamps"], r["cpu_s_loadgen"], r["cpu_s_outside"], r["wall_s"]))' >&2
}

for system in $SYSTEMS; do
    # "bridge-r2r+NAME=VALUE+…": the same system with extra environment (runtime knobs to compare).
    IFS=+ read -r -a parts <<<"$system"
    base=${parts[0]}
    extra_env=("${parts[@]:1}")
    case $base in
        node-red) start_node_red || die "Node-RED did not start" ;;
        bridge) start_bridge "$SERVICE_DLL" "${extra_env[@]}" || die "the bridge did not start" ;;
        bridge-tc0) start_bridge "$SERVICE_DLL" DOTNET_TieredCompilation=0 "${extra_env[@]}" || die "the bridge did not start" ;;
        bridge@*) start_bridge "${base#bridge@}/Bridge.Service.dll" "${extra_env[@]}" || die "the bridge in ${base#bridge@} did not start" ;;
        bridge-r2r) { publish_r2r && mapfile -t unit_env < <(installed_env) \
                && start_bridge "$WORK/r2r/Bridge.Service.dll" "${unit_env[@]}" "${extra_env[@]}"; } || die "the ReadyToRun bridge did not start" ;;
        *) die "unknown system $system (node-red, bridge, bridge-tc0, bridge-r2r, each optionally +NAME=VALUE…)" ;;
    esac
    node "$BENCH/wait-devices.js" --url "$SYS_URL" --token "$SYS_TOKEN" --count "$LAMPS" --timeout 60 >&2 \
        || die "$system does not list $LAMPS online lamps"
    log "$system ready at $SYS_URL (pid $SYS_PID)"
    # Unmeasured passes first (both patterns), so both runtimes have compiled and tuned their hot
    # paths (V8; .NET's tiered JIT with PGO, which a 5,000-command pass did not finish: the
    # bridge's first 1×1 run after it cost ~650 µs CPU/command, a later one ~380).
    if ((COLD)) && [[ $system == bridge* ]]; then
        log "$system: cold runs (no priming, 500 warm-up commands each)"
        run_scenario "$system" multi-cold 10 100 "$MULTI_COUNT" --warmup 500
        run_scenario "$system" single-cold 1 1 "$SINGLE_COUNT" --warmup 500
    fi
    # The 10×100 priming in 8 runs of 10 connections: code that runs once per connection (the
    # upgrade, the token check) reaches .NET's tiering thresholds (30 calls, then 30 more with
    # PGO) only at the 30th and 60th connection, and the JIT's burst then (0.25–0.55 s of CPU)
    # fell into a measured run (docs/benchmarks.md, "Warm means the JIT is done").
    prime_runs=()
    for ((p = 0; p < 8; p++)); do prime_runs+=("10 100 $((PRIME_COUNT / 8)) --per-device $PER_DEVICE"); done
    for prime in "${prime_runs[@]}" "1 1 $((PRIME_COUNT / 10))"; do
        read -r pk pc pn pextra <<<"$prime"
        # shellcheck disable=SC2086 # pextra is empty or "--per-device N"
        timeout "$LOADGEN_TIMEOUT" env "${LOADGEN_ENV[@]}" dotnet "$SIM_DLL" loadgen --url "$SYS_URL" --token "$SYS_TOKEN" \
            --connections "$pk" --inflight "$pc" --count "$pn" --timeout "$COMMAND_TIMEOUT" $pextra >>"$WORK/prime.jsonl" 2>>"$WORK/loadgen.err" \
            || log "$system: priming run failed (exit $?)"
    done
    for ((r = 1; r <= REPEAT; r++)); do
        run_scenario "$system" single 1 1 "$SINGLE_COUNT"
        run_scenario "$system" multi 10 100 "$MULTI_COUNT"
    done
    stop_pid "$SYS_PID"
done

echo
echo "lamps: $LAMPS (node lamp.js, $PER_DEVICE sets per lamp in flight at 10×100, one MQTT connection each) · broker: mosquitto $(/usr/sbin/mosquitto -h 2>/dev/null | head -1 | awk '{print $3}') · node $(node --version) · $(nproc) cores"
python3 - "$RESULTS" <<'EOF'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
head = ("system", "scenario", "commands/s", "p50 µs", "p99 µs", "CPU µs/cmd", "of it JIT", "errors", "outside load", "loadavg")
table = [head]
for r in rows:
    g = r["loadgen"]
    name = {"single": "1×1 ×%s", "multi": "10×100 ×%s", "single-cold": "1×1 ×%s cold", "multi-cold": "10×100 ×%s cold"}[r["scenario"]] % g.get("count", "?")
    table.append((r["system"], name, "%.0f" % g["commands_per_s"] if "commands_per_s" in g else "-",
                  str(g.get("p50_us", "-")), str(g.get("p99_us", "-")),
                  "%.1f" % r["cpu_us_per_command"] if r["cpu_us_per_command"] is not None else "-",
                  "%.0f %%" % (100 * r["cpu_s_jit"] / r["cpu_s"]) if r.get("cpu_s") and "cpu_s_jit" in r and r["system"].startswith("bridge") else "-",
                  str(g.get("errors", "-")),
                  "%.2f cores" % (r["cpu_s_outside"] / r["wall_s"]) if r.get("wall_s") else "-",
                  r.get("loadavg_at_start", "-")))
w = [max(len(row[i]) for row in table) for i in range(len(head))]
for i, row in enumerate(table):
    print("  ".join(c.ljust(w[j]) if j < 2 else c.rjust(w[j]) for j, c in enumerate(row)))
    if i == 0:
        print("  ".join("-" * x for x in w))
EOF
echo "(outside load: CPU used by processes other than the system, broker, lamps and load generator during the run, e.g. someone else's build; near 0 for a clean run)"
echo "raw results: $RESULTS"
