"""`make bench`: run every benchmark module and write benchmarks/RESULTS.md.

Each `benchmarks/bench_*.py` module exposes `run() -> str`, returning a
Markdown section with its figures, ratios and the exact commands to rerun
it. Modules can be run alone: `python -m benchmarks.run bench_search`.
"""

import datetime
import importlib
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def machine_description():
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(meminfo.read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    pg = subprocess.run(["psql", "--version"], capture_output=True, text=True).stdout.strip()
    return f"{cpu}, {os.cpu_count()} cores{memory}; {platform.platform()}; Python {platform.python_version()}; {pg}"


def main(argv):
    names = argv or sorted(p.stem for p in HERE.glob("bench_*.py"))
    sections = []
    for name in names:
        module = importlib.import_module(f"benchmarks.{name}")
        print(f"== {name}", flush=True)
        sections.append(module.run())
    header = [
        "# Benchmark results",
        "",
        f"- Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine_description()}",
        "- Command: `make bench` (or `.venv/bin/python -m benchmarks.run bench_<name>` for one section)",
        "",
    ]
    output = HERE / ("RESULTS.md" if not argv else f"RESULTS-{'-'.join(names)}.md")
    output.write_text("\n".join(header + sections) + "\n")
    print(f"Wrote {output}")


if __name__ == "__main__":
    main(sys.argv[1:])
