#!/usr/bin/env bash
# Builds DeviceBridge and runs every test; what .ci/run calls.
#
#  1. Installs the OS packages the tests use (mosquitto socat python3 python3-zeroconf iproute2
#     python3-pymodbus python3-serial-asyncio redis-server)
#     if any is missing - apt-get only runs then - and leaves no system-wide mosquitto or redis
#     running (tests start their own brokers and Redis servers on free loopback ports).
#  2. dotnet restore + dotnet build -c Release of DeviceBridge.sln.
#  3. dotnet test Bridge.Tests inside a fresh network namespace (unshare -n as root, unshare -rn
#     otherwise) where only loopback exists, with multicast on (tools/in-netns.sh), so mDNS and
#     broadcast tests never reach a real network.
#  4. The JavaScript tests (clients/miniprogram: SDK, sample mini-program) with node's test runner,
#     after `npm ci` from the committed lock files, in another such namespace; their counts join
#     the .NET ones.
#
# The last line of output is always "<N> passed, <N> failed" (", <N> skipped" when some were);
# the exit status is non-zero when a test failed, the build failed or the run broke down.
set -uo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE=1
# Debian's python3-zeroconf is installed for the system python, not for a pyenv or venv python
# that may come first on PATH.
export BRIDGE_TEST_PYTHON=/usr/bin/python3

# python3-serial-asyncio is only a Recommends of python3-pymodbus, but its serial server needs it.
PACKAGES=(mosquitto socat python3 python3-zeroconf iproute2 python3-pymodbus python3-serial-asyncio redis-server)
# The web console's tests drive Debian's Chromium through Playwright (no browser download).
PACKAGES+=(chromium)
# lanproto: python3-miio (a miIO client nobody here wrote) talks to the simulated Xiaomi devices.
PACKAGES+=(python3-miio)
# household: timers run in IANA time zones, read from the system's zone files.
PACKAGES+=(tzdata)
# Broker accounts (issue 15): the real mosquitto_pub/mosquitto_sub against the embedded broker.
PACKAGES+=(mosquitto-clients)
TEST_TIMEOUT=50m        # the whole dotnet test run
HANG_TIMEOUT=${BRIDGE_TEST_HANG_TIMEOUT:-10m}  # one test that long: blame-hang kills the test host, the run fails

summary() { # passed failed skipped
    local line="$1 passed, $2 failed"
    if (( $3 > 0 )); then line+=", $3 skipped"; fi
    echo "$line"
}

give_up() {
    echo "test.sh: $*" >&2
    summary 0 1 0
    exit 1
}

as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        return 1
    fi
}

installed() {
    dpkg -s "$1" 2>/dev/null | grep -q '^Status: install ok installed'
}

# Installing mosquitto starts the packaged broker on 1883 on most machines. Stop it - by its
# service, then by its pid file or its system config path; never by process name alone, which
# would also hit brokers that other test runs started.
stop_system_mosquitto() {
    as_root systemctl stop mosquitto >/dev/null 2>&1 || true
    as_root service mosquitto stop >/dev/null 2>&1 || true
    local pid
    for pid in $(cat /run/mosquitto/mosquitto.pid 2>/dev/null) $(pgrep -x mosquitto 2>/dev/null); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- '/etc/mosquitto/mosquitto.conf'; then
            as_root kill "$pid" 2>/dev/null || true
        fi
    done
    return 0
}

# Installing redis-server starts the packaged server on 6379. Stop it the same way: by its service,
# then by its pid file; a process-title match only for the packaged default address (redis rewrites
# its title to "redis-server <bind>:<port>"; test servers use free ephemeral ports, never 6379).
stop_system_redis() {
    as_root systemctl stop redis-server >/dev/null 2>&1 || true
    as_root service redis-server stop >/dev/null 2>&1 || true
    local pid
    for pid in $(cat /run/redis/redis-server.pid 2>/dev/null) $(pgrep -x redis-server 2>/dev/null); do
        if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- ':6379\b'; then
            as_root kill "$pid" 2>/dev/null || true
        fi
    done
    return 0
}

# --- 1. OS packages ----------------------------------------------------------------------------
if command -v dpkg >/dev/null 2>&1; then
    missing=()
    for package in "${PACKAGES[@]}"; do
        installed "$package" || missing+=("$package")
    done
    if (( ${#missing[@]} > 0 )); then
        echo "test.sh: installing ${missing[*]}"
        as_root true || give_up "packages missing (${missing[*]}) and not root (nor passwordless sudo) to install them"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q || give_up "apt-get update failed"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" \
            || give_up "apt-get install ${missing[*]} failed"
        stop_system_mosquitto
        stop_system_redis
    fi
else
    echo "test.sh: no dpkg here; assuming ${PACKAGES[*]} are installed" >&2
fi

# --- 2. Build ----------------------------------------------------------------------------------
dotnet restore DeviceBridge.sln || give_up "dotnet restore failed"
dotnet build DeviceBridge.sln -c Release --no-restore || give_up "build failed"

# --- 2b. JavaScript packages (sdk: the mini-program SDK's tests, and Node peers of .NET tests) -----
# npm ci needs the registry, so it runs here, outside the network namespace, from committed lock files.
NPM_DIRS=()
[[ -f clients/package-lock.json ]] && NPM_DIRS+=(clients)
for lock in Bridge.Tests/Peers/*/package-lock.json; do
    [[ -f $lock ]] && NPM_DIRS+=("$(dirname "$lock")")
done
for dir in "${NPM_DIRS[@]}"; do
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) || give_up "npm ci in $dir failed"
done

# --- 3. Tests, in a network namespace of their own -----------------------------------------------
if [[ $(id -u) -eq 0 ]]; then
    NETNS=(unshare -n)
else
    NETNS=(unshare -rn)
fi
if ! "${NETNS[@]}" true 2>/dev/null; then
    if unshare -rn true 2>/dev/null; then
        NETNS=(unshare -rn)
    else
        give_up "cannot create a network namespace ('${NETNS[*]}' failed); the tests must not run outside one"
    fi
fi

RESULTS=$(mktemp -d "${TMPDIR:-/tmp}/devicebridge-tests.XXXXXX")
trap 'rm -rf "$RESULTS"' EXIT
CONSOLE_LOG="$RESULTS/console.log"

timeout --kill-after=1m "$TEST_TIMEOUT" \
    "${NETNS[@]}" "$ROOT/tools/in-netns.sh" \
    dotnet test Bridge.Tests -c Release --no-build \
        --blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none \
        --logger "console;verbosity=normal" \
        --logger "trx;LogFileName=results.trx" \
        --results-directory "$RESULTS/trx" \
    2>&1 | tee "$CONSOLE_LOG"
test_status=${PIPESTATUS[0]}

FAILURES="$RESULTS/failures.txt"
read -r passed failed skipped < <(/usr/bin/python3 "$ROOT/tools/test-summary.py" "$RESULTS/trx" "$CONSOLE_LOG" "$FAILURES" \
    || echo "0 0 0")
passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}

if (( test_status != 0 && failed == 0 )); then
    case $test_status in
        124|137) why="the test run exceeded $TEST_TIMEOUT" ;;
        *) why="dotnet test exited with status $test_status (test host crash, hang timeout or a run error)" ;;
    esac
    echo "test.sh: $why; counted as one failure"
    failed=1
fi
# --- 4. JavaScript tests (sdk), in a fresh network namespace of the same kind ----------------------
# node's test runner; the TAP copy gives the counts that join the .NET ones in the last line.
JS_TIMEOUT=15m
if [[ -d clients/node_modules ]]; then
    js_tests=(clients/miniprogram/test/*.test.js)
    timeout --kill-after=1m "$JS_TIMEOUT" \
        "${NETNS[@]}" "$ROOT/tools/in-netns.sh" \
        node --test --test-reporter=spec --test-reporter-destination=stdout \
            --test-reporter=tap --test-reporter-destination="$RESULTS/js.tap" "${js_tests[@]}" \
        2>&1 | tee -a "$CONSOLE_LOG"
    js_status=${PIPESTATUS[0]}
    js_passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$RESULTS/js.tap" | tail -1)
    js_failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$RESULTS/js.tap" | tail -1)
    js_skipped=$(sed -n 's/^# skipped \([0-9]*\)$/\1/p' "$RESULTS/js.tap" | tail -1)
    js_passed=${js_passed:-0} js_failed=${js_failed:-0} js_skipped=${js_skipped:-0}
    if (( js_status != 0 && js_failed == 0 )); then
        echo "test.sh: the JavaScript tests exited with status $js_status (timeout after $JS_TIMEOUT or a crash); counted as one failure"
        js_failed=1
    fi
    passed=$((passed + js_passed)) failed=$((failed + js_failed)) skipped=$((skipped + js_skipped))
    # TAP's failed tests: "not ok N - name" (subtests are indented; their parents fail with them).
    [[ -f $RESULTS/js.tap ]] && sed -n 's/^not ok [0-9]* - \(.*\)$/\1 (JavaScript)/p' "$RESULTS/js.tap" >>"$FAILURES"
fi

# The failed tests again, just above the last line, where a CI log's tail shows them.
if [[ -s $FAILURES ]]; then
    echo "test.sh: failed tests:"
    sed 's/^/  /' "$FAILURES"
fi

if (( passed + failed == 0 )); then
    echo "test.sh: no test ran; counted as one failure"
    failed=1
fi

summary "$passed" "$failed" "$skipped"
(( failed == 0 ))
