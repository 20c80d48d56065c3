#!/usr/bin/env python3
"""Prints "<passed> <failed> <skipped>" for a dotnet test run.

Usage: test-summary.py RESULTS_DIR CONSOLE_LOG [FAILURES_FILE]

Counts the UnitTestResult outcomes of every .trx file under RESULTS_DIR. If there is none (the
run died before the logger wrote it), falls back to the VSTest console summaries in CONSOLE_LOG:
"Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..." (minimal verbosity) or the
"Total tests: / Passed: / Failed: / Skipped:" block (normal verbosity).

With FAILURES_FILE, also writes there one line per failed test - its name and the first line of
its message - so test.sh can repeat them just above its last line, where a CI log's tail shows
them.
"""
import glob
import os
import re
import sys
import xml.etree.ElementTree as ET

PASSED = {"Passed", "PassedButRunAborted"}
SKIPPED = {"NotExecuted", "Inconclusive", "NotRunnable"}


def from_trx(results_dir, failures):
    files = sorted(glob.glob(os.path.join(results_dir, "**", "*.trx"), recursive=True))
    if not files:
        return None
    passed = failed = skipped = 0
    for path in files:
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as e:
            print(f"test-summary: cannot read {path}: {e}", file=sys.stderr)
            return None
        for element in root.iter():
            if element.tag.rsplit("}", 1)[-1] != "UnitTestResult":
                continue
            outcome = element.get("outcome", "")
            if outcome in PASSED:
                passed += 1
            elif outcome in SKIPPED:
                skipped += 1
            else:  # Failed, Error, Timeout, Aborted, ...
                failed += 1
                failures.append(f"{element.get('testName', '?')} ({outcome}): {first_message_line(element)}")
    return passed, failed, skipped


def first_message_line(result):
    for element in result.iter():
        if element.tag.rsplit("}", 1)[-1] == "Message" and element.text:
            return element.text.strip().splitlines()[0][:300]
    return "no message"


SUMMARY = re.compile(r"(?:Passed|Failed)!\s+-\s+Failed:\s*(\d+),\s*Passed:\s*(\d+),\s*Skipped:\s*(\d+)")


BLOCK = re.compile(r"^Total tests:\s*\d+\s*$((?:\n^\s+\w+:\s*\d+\s*$)*)", re.MULTILINE)
LINE = re.compile(r"^\s+(\w+):\s*(\d+)\s*$", re.MULTILINE)


def from_console(log_path):
    try:
        with open(log_path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    matches = SUMMARY.findall(text)
    if matches:
        failed = sum(int(m[0]) for m in matches)
        passed = sum(int(m[1]) for m in matches)
        skipped = sum(int(m[2]) for m in matches)
        return passed, failed, skipped
    blocks = BLOCK.findall(text)
    if not blocks:
        return None
    passed = failed = skipped = 0
    for block in blocks:
        counts = {name: int(value) for name, value in LINE.findall(block)}
        passed += counts.get("Passed", 0)
        failed += counts.get("Failed", 0)
        skipped += counts.get("Skipped", 0)
    return passed, failed, skipped


def main():
    results_dir, console_log = sys.argv[1], sys.argv[2]
    failures = []
    counts = from_trx(results_dir, failures) or from_console(console_log) or (0, 0, 0)
    if len(sys.argv) > 3:
        with open(sys.argv[3], "w", encoding="utf-8") as f:
            f.writelines(line + "\n" for line in failures)
    print(*counts)


if __name__ == "__main__":
    main()
