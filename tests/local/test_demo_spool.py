"""The demo generator's row spool (cobranza_pipeline/local/demo/spool.py): rows come back in
order across batches on disk, a row may change until its batch is checkpointed, and spilling
changes none of the generated rows."""

import datetime as dt

from cobranza_pipeline.local.demo import spool
from cobranza_pipeline.local.demo.generate import demo_rows
from cobranza_pipeline.local.demo.shape import DemoConfig
from cobranza_pipeline.local.demo.spool import RowSpool


def test_rows_come_back_in_order_across_batches():
    rows = RowSpool(batch_rows=3)
    for number in range(10):
        rows.append((number, f"row {number}"))
        if number % 2:
            rows.checkpoint()  # after rows 1, 3, 5, 7, 9: batches of 4 and 4 on disk, 2 held
    assert len(rows) == 10
    assert list(rows) == [(number, f"row {number}") for number in range(10)]


def test_a_row_changes_until_its_batch_is_checkpointed():
    rows = RowSpool(batch_rows=2)
    first, second = [1, None], [2, None]
    rows.append(first)
    rows.append(second)
    first[1] = "named before the checkpoint"
    rows.checkpoint()
    second[1] = "named after it"
    assert list(rows) == [[1, "named before the checkpoint"], [2, None]]


def generated(config: DemoConfig) -> dict[str, list]:
    return {table: [tuple(row) for row in rows] for table, rows in demo_rows(config, config.as_of).items()}


def test_spilling_to_disk_changes_no_generated_row(monkeypatch):
    config = DemoConfig(drivers=1500, seed=3, as_of=dt.date(2026, 6, 1))
    held = generated(config)  # 1,500 drivers: every table fits one batch of 10,000
    monkeypatch.setattr(spool, "BATCH_ROWS", 7)
    spilled = generated(config)
    assert spilled == held
    assert len(held["public.drivers"]) > 1500 and len(held["canon.identity_links"]) > 3000
