#!/usr/bin/env bash
# Sets up the fresh network namespace made by `unshare -n` (root) or `unshare -rn` (non-root) and
# then runs its arguments in it:
#
#   unshare -n tools/in-netns.sh dotnet test ...
#
# Only loopback exists in such a namespace; it is brought up with multicast on and a route for
# 224.0.0.0/4, so mDNS and UDP-broadcast tests talk to each other without touching any real
# network. Refuses to run where any other interface exists, so it can never change the host's
# routing by mistake.
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "usage: unshare -n $0 COMMAND [ARGS...]" >&2
    exit 2
fi

others=$(ip -o link show | awk -F': ' '$2 != "lo" { print $2 }')
if [[ -n "$others" ]]; then
    echo "in-netns.sh: not in a fresh network namespace (found: ${others//$'\n'/ }); run it under 'unshare -n'" >&2
    exit 2
fi

ip link set lo up
ip link set lo multicast on
ip route add 224.0.0.0/4 dev lo 2>/dev/null || ip route replace 224.0.0.0/4 dev lo
# Broadcasts to 255.255.255.255 need a route too; on lo they come straight back.
ip route add 255.255.255.255/32 dev lo 2>/dev/null || true

export BRIDGE_TEST_NETNS=1
exec "$@"
