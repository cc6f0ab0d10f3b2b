"""Prints the telling lines of the node logs kept by failed multi-process tests.

ClusterFixture keeps each test's node logs in modules/*/target/cluster-logs/<TestClass>-<tmp>/.
For every test class with a failure or error in its Surefire report, this prints, per node log,
the lines that explain a stalled cluster (an ERROR with the first line of its exception), at
most LINES_PER_LOG of them, plus how many
INCONSISTENCY replies the node's log appenders saw.
"""
import glob
import os
import re
import xml.etree.ElementTree as ET

LINES_PER_LOG = 60
TELLING = re.compile(r"changes role|is ready|installed snapshot|stuck behind|\] ERROR |"
                     r"duet node .* serving|stopped serving|replayed|repaired|NotReadyException: ")


def failed_classes():
    names = set()
    for path in glob.glob("modules/*/target/surefire-reports/TEST-*.xml"):
        suite = ET.parse(path).getroot()
        if int(suite.get("failures", 0)) + int(suite.get("errors", 0)) > 0:
            names.add(suite.get("name", "").rsplit(".", 1)[-1])
    return names


def main():
    classes = failed_classes()
    for directory in sorted(glob.glob("modules/*/target/cluster-logs/*")):
        test_class = os.path.basename(directory).split("-", 1)[0]
        if test_class not in classes:
            continue
        for log in sorted(glob.glob(os.path.join(directory, "*.log"))):
            with open(log, errors="replace") as f:
                lines = f.readlines()
            inconsistency = sum(1 for line in lines if "INCONSISTENCY" in line)
            telling = []
            for i, line in enumerate(lines):
                if TELLING.search(line):
                    telling.append(line.rstrip()[:240])
                    if "] ERROR " in line and i + 1 < len(lines) and not TELLING.search(lines[i + 1]):
                        # the exception behind the error: its first line says what went wrong
                        telling.append("    " + lines[i + 1].rstrip()[:240])
            print(f"==== {log}: {len(lines)} lines, {inconsistency} INCONSISTENCY replies; last telling lines:")
            for line in telling[-LINES_PER_LOG:]:
                print("  " + line)


if __name__ == "__main__":
    main()
