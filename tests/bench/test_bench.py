"""The benchmark runs end to end at a tiny size (no timing assertions: timings live in the README)."""

import json

from cobranza_pipeline.bench.report import (
    README_END,
    README_START,
    markdown_table,
    update_readme,
)
from cobranza_pipeline.bench.run import bench_size


def test_bench_smallest_size_end_to_end(pg_admin_url, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = bench_size(pg_admin_url, drivers=300, seed=5)
    assert result["drivers"] == 300
    # every measure is present and the 1 % delta really changed raw data
    assert set(result) >= {
        "demo_data_s", "first_job_s", "no_change_job_s", "delta_job_s", "bare_pipeline_s", "dagster_overhead_ratio",
        "refresh", "checks", "queries_ms", "readers_ms", "database_mb", "python_peak_mb", "delta_rows", "mv_rows",
    }
    assert result["delta_rows"]["daily_delta_trips"] > 0
    assert len(result["checks"]) == 18  # 17 checks + the whole suite
    # the dashboard's requests: the table with each filter, the table endpoint, the scout and
    # weekly KPIs and the CSV export (10k rows at most: all of this tiny MV), every row fetched
    queries = result["queries_ms"]
    assert {"table_unfiltered", "table_band_m25", "table_scout_id", "table_week_start", "table_endpoint_unfiltered",
            "scout_kpis", "scout_kpis_latest_week", "weekly_kpis", "export_csv_10k_rows"} <= set(queries)
    assert queries["table_unfiltered"]["rows"] == 200
    assert queries["export_csv_10k_rows"]["rows"] == result["mv_rows"]
    assert queries["scout_kpis"]["rows"] > 1 and queries["weekly_kpis"]["rows"] > 1
    assert all(q["n"] == 30 and q["p50"] <= q["p95"] <= q["p99"] for q in queries.values())
    assert result["readers_ms"]["errors"] == []
    report = {"machine": {"date": "2026-11-24", "cores": 2, "cpu": "Test CPU", "memory_gb": 24, "postgresql": "x",
                         "python": "3.11"},
              "sizes": [result]}
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{README_START}\nold\n{README_END}\nafter\n")
    assert update_readme(str(readme), markdown_table(report))
    text = readme.read_text()
    assert "| drivers | 300 |" in text and "old" not in text and text.endswith("after\n")
    assert "Measured 2026-11-24 on 2 cores (Test CPU), 24 GB" in text
    json.dumps(result, default=str)  # the JSON report can be written
