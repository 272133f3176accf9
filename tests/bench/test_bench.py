"""The benchmark runs end to end on tiny shapes (no timing assertions: timings live in the README)."""

import json

from cobranza_pipeline.bench.report import README_END, README_START, markdown_table, update_readme
from cobranza_pipeline.bench.run import Shape, bench_shape
from cobranza_pipeline.cli.main import build_parser


def test_bench_tiny_shapes_end_to_end(pg_admin_url, tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    longer = bench_shape(pg_admin_url, Shape(recruited=300, park=700, history_days=20), seed=5)
    assert longer["label"] == "1,000 park, 300 recruited, 20 days"
    # the park's history is there: about 60 % of 700 drivers on each of 20 days, besides the
    # recruited drivers' own rows
    assert 700 * 20 * 0.55 < longer["summary_daily_rows"] < 700 * 20 * 0.65 + 300 * 20
    # each steady day appended a day of the whole park (60 % of 1,000 drivers and the new ones),
    # a payment report and 10 new leads, and the job followed the change
    assert [run["appended"]["new_leads"] for run in longer["steady"]] == [10, 10, 10]
    assert all(500 < run["appended"]["summary_daily"] < 700 for run in longer["steady"])
    assert {"job_s", "stage_s", "mv_s", "checks_s"} <= set(longer["first_job"])
    assert set(longer["floors"]) == {"stage_floor_s", "mv_floor_s"}
    assert len(longer["checks"]) == 22  # 21 checks + the whole suite
    queries = longer["queries_ms"]
    assert {"table_unfiltered", "table_endpoint_unfiltered", "scout_kpis", "weekly_kpis",
            "export_csv_10k_rows"} <= set(queries)
    assert queries["export_csv_10k_rows"]["rows"] == longer["mv_rows"]
    assert all(q["n"] == 30 and q["p50"] <= q["p95"] <= q["p99"] for q in queries.values())
    assert longer["readers_ms"]["errors"] == []
    # the same run as if measured on a 10-day history, 2x faster: the growth table compares them
    short = {**longer, "shape": {**longer["shape"], "history_days": 10}, "label": "1,000 park, 300 recruited, 10 days",
             "steady_job_s": longer["steady_job_s"] / 2}
    report = {"machine": {"date": "2026-11-24", "cores": 2, "cpu": "Test CPU", "memory_gb": 24, "postgresql": "x",
                         "python": "3.11"},
              "sizes": [short, longer]}
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{README_START}\nold\n{README_END}\nafter\n")
    assert update_readme(str(readme), markdown_table(report))
    text = readme.read_text()
    assert "| drivers: recruited / park besides / days of history | 300 / 700 / 10 | 300 / 700 / 20 |" in text
    assert "| 1,000 park, 300 recruited, 10 days -> 20 days |" in text and "**missed** (2.0x vs 1.3x)" in text
    assert "old" not in text and text.endswith("after\n")
    json.dumps(report, default=str)  # the JSON report can be written


def test_bench_shapes_parse_from_the_command_line():
    args = build_parser().parse_args(["bench", "--shapes", "100000:5000:60,100000:5000:730", "--sizes", "10000",
                                      "--dashboard-sizes", "1000000"])
    assert [(s.park, s.recruited, s.history_days) for s in args.shapes] == [(95000, 5000, 60), (95000, 5000, 730)]
    assert (args.sizes, args.dashboard_sizes) == ([10000], [1000000])


def test_a_dashboard_only_shape_measures_the_first_build_and_the_requests(pg_admin_url, monkeypatch):
    """--dashboard-sizes: no steady days, refresh modes, checks or readers; the tables show '-'
    for what it did not measure, and the request target is judged."""
    monkeypatch.delenv("DATABASE_URL", raising=False)
    result = bench_shape(pg_admin_url, Shape(recruited=400, steady=False), seed=5)
    assert result["label"] == "400 recruited (first build, dashboard)"
    assert {"first_job", "floors", "queries_ms", "mv_rows", "totals_rows"} <= set(result)
    assert not {"steady", "steady_job_s", "refresh", "checks", "readers_ms"} & set(result)
    table = markdown_table({"machine": {"date": "2026-12-01", "cores": 2, "memory_gb": 24, "postgresql": "x",
                                        "python": "3.11"}, "sizes": [result]})
    assert "| steady daily job after a new day (median of 3) | - |" in table
    requests = next(line for line in table.splitlines() if line.startswith("| every interactive request"))
    assert requests.split(" | ")[1].endswith(" ms vs 30 ms) |")  # judged: met or missed, with the figure
