"""Presenting `cobranza bench`: the machine, a results table, JSON, and the README section."""

import datetime as dt
import json
import os
import platform
import re
from pathlib import Path

import psycopg

README_START = "<!-- bench:start -->"
README_END = "<!-- bench:end -->"


def machine(admin_url: str) -> dict:
    memory_kb = next(
        (int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")),
        0,
    ) if Path("/proc/meminfo").exists() else 0
    with psycopg.connect(admin_url) as conn:
        server = conn.execute("show server_version").fetchone()[0]
    return {
        "cores": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "postgresql": server,
        "date": dt.date.today().isoformat(),
    }


ROWS = (
    ("drivers", lambda r: f"{r['drivers']:,}"),
    ("summary_daily rows", lambda r: f"{r['summary_daily_rows']:,}"),
    ("demo data generation", lambda r: f"{r['demo_data_s']} s"),
    ("daily job, first (create)", lambda r: f"{r['first_job_s']} s"),
    ("daily job, no raw change", lambda r: f"{r['no_change_job_s']} s"),
    ("daily job after a 1 % delta", lambda r: f"{r['delta_job_s']} s"),
    ("delta rows (trips / payments)", lambda r: f"{r['delta_rows']['daily_delta_trips']:,} / {r['delta_rows']['daily_delta_payments']:,}"),
    ("same steps without Dagster", lambda r: f"{r['bare_pipeline_s']} s"),
    ("Dagster overhead (job / bare)", lambda r: f"{r['dagster_overhead_ratio']}x"),
    ("MV refresh CONCURRENTLY (machinery)", lambda r: f"{r['refresh']['machinery_concurrent_s']} s"),
    ("MV refresh CONCURRENTLY (bare SQL)", lambda r: f"{r['refresh']['bare_concurrent_s']} s"),
    ("MV refresh plain (bare SQL)", lambda r: f"{r['refresh']['bare_plain_s']} s"),
    ("CREATE TABLE AS same SELECT (floor)", lambda r: f"{r['refresh']['create_table_as_floor_s']} s"),
    ("all checks", lambda r: f"{r['checks']['whole_suite_s']} s"),
    ("slowest check", lambda r: "{} ({} s)".format(*max(((k, v) for k, v in r["checks"].items() if k != "whole_suite_s"), key=lambda kv: kv[1]))),
    ("dashboard queries p95 (worst)", lambda r: "{1} ms ({0})".format(*max(((k, v["p95"]) for k, v in r["queries_ms"].items()), key=lambda kv: kv[1]))),
    ("reader p99 idle / during refresh", lambda r: f"{r['readers_ms']['idle'].get('p99')} / {r['readers_ms']['during_refresh'].get('p99')} ms"),
    ("reader errors during refresh", lambda r: str(len(r["readers_ms"]["errors"]))),
    ("Python peak memory", lambda r: f"{r['python_peak_mb']} MB"),
    ("database size", lambda r: f"{r['database_mb']} MB"),
)


def markdown_table(report: dict) -> str:
    sizes = report["sizes"]
    m = report["machine"]
    lines = [
        f"Measured {m['date']} on {m['cores']} cores, {m['memory_gb']} GB, PostgreSQL {m['postgresql']} "
        f"(embedded unless stated), Python {m['python']}; `cobranza bench` regenerates this table.",
        "",
        "| measure | " + " | ".join(f"{r['drivers']:,} drivers" for r in sizes) + " |",
        "|---|" + "---|" * len(sizes),
    ]
    for label, value in ROWS:
        lines.append(f"| {label} | " + " | ".join(value(r) for r in sizes) + " |")
    return "\n".join(lines)


def write_json(report: dict, path: str) -> None:
    Path(path).write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")


def update_readme(readme: str, table: str) -> bool:
    """Replace the text between the bench markers; False when the markers are missing."""
    path = Path(readme)
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if not pattern.search(text):
        return False
    path.write_text(pattern.sub(lambda _: f"{README_START}\n{table}\n{README_END}", text), encoding="utf-8")
    return True
