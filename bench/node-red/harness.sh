# Sourced by the benchmarks that drive Tasmota lamps through a private Mosquitto
# (bench/compare-node-red.sh, bench/cold-threads.sh): process bookkeeping, waiting for a log line,
# per-process and per-thread CPU from /proc, and the broker with its lamps.
# The caller sets WORK (a scratch directory), BENCH (bench/node-red), PIDS=() and log/die.

stop_pid() { # pid: TERM, up to 5 s, then KILL
    local pid=$1 i
    kill -0 "$pid" 2>/dev/null || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

cleanup() { # stops every process in PIDS, the last started first
    local i
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do stop_pid "${PIDS[i]}"; done
    PIDS=()
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_line() { # file pattern seconds pid: the first matching line, or fail
    local file=$1 pattern=$2 seconds=$3 pid=$4 i line
    for ((i = 0; i < seconds * 10; i++)); do
        if line=$(grep -m1 -E "$pattern" "$file" 2>/dev/null); then
            echo "$line"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || { log "process $pid exited; its log $file:"; tail -20 "$file" >&2; return 1; }
        sleep 0.1
    done
    log "no line matching '$pattern' in $file after $seconds s"
    tail -20 "$file" >&2
    return 1
}

jit_threads() { # pid file: "<tid> <utime+stime ticks>" of .NET's tiered-compilation thread(s)
    # The background tier-up worker only: the JIT's work on a calling thread (a method's first
    # compile) is not in it. It ends after 4 s without work and a new one starts with the next.
    local t stat f
    for t in /proc/"$1"/task/*; do
        [[ $(cat "$t/comm" 2>/dev/null) == ".NET Tiered Com"* ]] || continue
        stat=$(cat "$t/stat" 2>/dev/null) || continue
        stat=${stat##*) }
        read -r -a f <<<"$stat"
        echo "${t##*/} $((f[11] + f[12]))"
    done >"$2"
}

cpu_ticks() { # utime+stime of one process, in clock ticks
    # Fields after the ")" closing the command name: 3 state ... 14 utime 15 stime.
    local stat f
    stat=$(<"/proc/$1/stat")
    stat=${stat##*) }
    read -r -a f <<<"$stat"
    echo $((f[11] + f[12]))
}

start_broker_and_lamps() { # count: a private Mosquitto and that many lamps; sets MQTT_PORT, MOSQUITTO_PID, LAMPS_PID
    MQTT_PORT=$(free_port)
    printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\nset_tcp_nodelay true\nmax_queued_messages 100000\n' \
        "$MQTT_PORT" >"$WORK/mosquitto.conf"
    # mosquitto drops root and must still read its configuration.
    chmod 644 "$WORK/mosquitto.conf"
    chmod 755 "$WORK"
    /usr/sbin/mosquitto -c "$WORK/mosquitto.conf" >"$WORK/mosquitto.log" 2>&1 &
    MOSQUITTO_PID=$!
    PIDS+=("$MOSQUITTO_PID")
    wait_for_line "$WORK/mosquitto.log" "running" 10 "$MOSQUITTO_PID" >/dev/null || die "mosquitto did not start"
    log "mosquitto on 127.0.0.1:$MQTT_PORT (pid $MOSQUITTO_PID)"
    node "$BENCH/lamp.js" --url "mqtt://127.0.0.1:$MQTT_PORT" --count "$1" >"$WORK/lamps.log" 2>&1 &
    LAMPS_PID=$!
    PIDS+=("$LAMPS_PID")
    wait_for_line "$WORK/lamps.log" "^lamps ready: " 60 "$LAMPS_PID" >/dev/null || die "the lamps did not come up"
    log "$1 lamps up (pid $LAMPS_PID)"
}
