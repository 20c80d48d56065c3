#!/usr/bin/env python3
"""Where one command's time goes at 1 x 1, from a system-wide trace of socket system calls.

    perf script -F comm,pid,tid,cpu,time,event,trace | breakdown.py SYSTEM BROKER LOADGEN

The pids are the system under test, Mosquitto and the load generator.
The trace must hold sys_enter of the send calls (sendto, sendmsg, write, writev) and sys_exit of
the receive calls (recvfrom, recvmsg, read, readv). One command at a time makes the trace a chain:
the load generator sends, the system reads and publishes, the broker and a lamp answer, the broker
writes the answer to the system, the system reads it and replies, the load generator reads. Each
link of the chain is timed from the first call of one process to the first of the next; the table
gives their medians and means in microseconds.
"""
import re
import statistics
import sys

LINE = re.compile(r'^\s*(.+?)\s+(\d+)/(\d+)\s+\[(\d+)\]\s+([\d.]+):\s+(\S+):\s*(.*)$')
STAGES = [
    ("load generator send -> system read", "A"),
    ("system read -> publish sent", "B"),
    ("publish sent -> broker writes the answer", "C"),
    ("broker write -> system read", "D"),
    ("system read -> reply sent", "E"),
    ("reply sent -> load generator read", "F"),
]


def events(lines):
    """(time s, pid, 'r' or 'w') for successful reads and attempted writes."""
    for line in lines:
        m = LINE.match(line)
        if not m:
            continue
        _, pid, _, _, t, name, rest = m.groups()
        if name.startswith("syscalls:sys_exit_"):
            try:
                ret = int(rest.strip().split()[0], 16)
            except (ValueError, IndexError):
                continue
            if ret == 0 or ret >= 1 << 63:  # EOF or an error (EAGAIN)
                continue
            yield float(t), int(pid), "r"
        elif name.startswith("syscalls:sys_enter_"):
            yield float(t), int(pid), "w"


def chains(evs, system, broker, loadgen):
    """Each whole command as its seven timestamps t0..t6."""
    state, t = 0, [0.0] * 7
    for when, pid, kind in evs:
        if state == 0 and pid == loadgen and kind == "w":
            t[0], state = when, 1
        elif state == 1 and pid == system and kind == "r":
            t[1], state = when, 2
        elif state == 2 and pid == system and kind == "w":
            t[2], t[3], state = when, 0.0, 3
        elif state == 3:
            if pid == broker and kind == "w":
                t[3] = when  # the broker's last write before the system reads: the answer
            elif pid == system and kind == "r" and t[3]:
                t[4], state = when, 4
        elif state == 4 and pid == system and kind == "w":
            t[5], state = when, 5
        elif state == 5 and pid == loadgen and kind == "r":
            t[6], state = when, 0
            yield list(t)


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    system, broker, loadgen = map(int, sys.argv[1:])
    found = list(chains(events(sys.stdin), system, broker, loadgen))
    if not found:
        sys.exit("breakdown: no whole command in the trace (wrong pids, or nothing ran while it recorded)")
    print("%d commands traced" % len(found))
    print("%-42s %8s %8s" % ("link", "p50 µs", "mean µs"))
    for i, (name, _) in enumerate(STAGES):
        span = [(c[i + 1] - c[i]) * 1e6 for c in found]
        print("%-42s %8.1f %8.1f" % (name, statistics.median(span), statistics.mean(span)))
    total = [(c[6] - c[0]) * 1e6 for c in found]
    print("%-42s %8.1f %8.1f" % ("whole command (traced)", statistics.median(total), statistics.mean(total)))


if __name__ == "__main__":
    main()
